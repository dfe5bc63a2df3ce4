"""Where r comes from: the update put into the error, step by step, ending with the picked step's numbers.

The gradient's derivation (:mod:`.derivation`) shows where ∂L/∂a and ∂L/∂b come from; this one
takes the next step a student asks about: why every update multiplies the error by the same
r = 1 − 2·lr·(x² + 1), and what r's size means for the run. With points at different x there is
no single r: the words say so in plain terms and keep the eigenvalue story for a closing
paragraph the university student can read.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from core.maths import theory
from core.maths.training import Trajectory
from core.words.explain import checkable
from core.words.explain.checkable import computed, given
from core.words.explain.derivation import DerivationLine
from core.words.explain.latex import aligned
from core.words.explain.shrink import steep_factor
from core.words.notation import latex, rate


def _sizes(trajectory: Trajectory, factor: str = "r") -> DerivationLine:
    """What the factor's size does, with this data's boundary rates."""
    scale = theory.rate_scale(trajectory.experiment)
    one, bounce = rate(scale.one_step), rate(scale.bounce)
    return DerivationLine(
        f"So {factor} is the share of the error that survives one update, and its size decides the run. Between 0 "
        "and 1 the error keeps its sign and shrinks (smooth). At 0 nothing is left: one update lands — that is the "
        f"one-step rate, lr = {one} here. Between −1 and 0 the error changes sign every step but still shrinks "
        f"(overshooting). At −1 it only changes sign: the bounce rate, lr = {bounce} here. Below −1 every error is "
        "bigger than the last (diverging). The learning rate is the only thing you choose in it, so a small rate "
        "means a factor close to 1: safe but slow.",
        aligned(  # one regime per line: a single row would be cut off on a phone
            "0 < r < 1 &: \\ \\text{smooth}", "r = 0 &: \\ \\text{one step}",
            "-1 < r < 0 &: \\ \\text{overshooting}", "r = -1 &: \\ \\text{bouncing}",
            "r < -1 &: \\ \\text{diverging}",
        ),
    )


def _factor(value: float) -> str:
    """A factor inside LaTeX as the sentences say it: 4 significant digits."""
    return latex(float(rate(value).replace("−", "-")), 12)


def _with_numbers(trajectory: Trajectory, step: int) -> DerivationLine:
    """r for this rate and x, and row step+1's error as r times row step's (a hand calculation: nearly)."""
    experiment = trajectory.experiment
    single = experiment.single_point
    symbol = "e" if single else r"\bar e"
    word = "error" if single else "mean error"
    lr, x = given(experiment.lr), given(experiment.xs[0])
    factor = computed(steep_factor(experiment))
    now = computed(trajectory.errors[step].mean())
    after = computed(trajectory.errors[step + 1].mean())
    if experiment.hand:
        # Rounding a and b moves the next error off r·e a little: show the product, then the row's own error.
        d = checkable.digits_for([checkable.Link(_r_of, (lr, x), factor, "")])
        product = Decimal(d.text(factor)) * Decimal(d.text(now))
        text = (
            f"With the numbers of step {step}: in full precision the {word} of row {step + 1} would be r times that "
            f"of row {step}; rounding a and b by hand moves it a little:"
        )
        last = (
            f"r\\,{symbol}_{{{step}}} &= {d.operand(factor)} \\cdot {d.operand(now)} = {_decimal(product)}, "
            f"\\quad {symbol}_{{{step + 1}}} = {d.tex(after)}"
        )
    else:
        link = checkable.times(factor, now, after)
        d = checkable.digits_for([checkable.Link(_r_of, (lr, x), factor, ""), link])
        text = f"With the numbers of step {step}: the {word} of row {step + 1} is r times that of row {step}:"
        if d.sign(link) == "=":
            last = (
                f"{symbol}_{{{step + 1}}} &= r\\,{symbol}_{{{step}}} = {d.operand(factor)} \\cdot {d.operand(now)} "
                f"= {d.tex(after)}"
            )
        else:
            last = (
                f"{symbol}_{{{step + 1}}} &= r\\,{symbol}_{{{step}}}: \\quad {d.tex(after)} \\approx "
                f"{d.operand(factor)} \\cdot {d.operand(now)}"
            )
    first = (
        f"r &= 1 - 2 \\cdot {d.operand(lr)} \\cdot ({d.operand(x)}^2 + 1) "
        f"{d.sign(checkable.Link(_r_of, (lr, x), factor, ''))} {d.tex(factor)}"
    )
    return DerivationLine(text, aligned(first, last))


def _decimal(value: Decimal) -> str:
    """An exact decimal product in LaTeX, without trailing zeros: 0.1250 → 0.125."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _r_of(lr: float, x: float) -> float:
    return 1.0 - 2.0 * lr * (x * x + 1.0)


def _one_x(trajectory: Trajectory, step: int) -> tuple[DerivationLine, ...]:
    experiment = trajectory.experiment
    single = experiment.single_point
    e_name = "e" if single else r"\bar e"
    first = (
        "Take the error before an update, e = a·x + b − y. The update moves both numbers against their gradients, "
        "2·e·x and 2·e:" if single else
        "Take the mean error before an update, ē = a·x + b − ȳ (ȳ the mean of the y values: all points share x, "
        "so ē plays the part of one point's error). The update moves both numbers against their gradients, "
        "2·ē·x and 2·ē:"
    )
    y_name = "y" if single else r"\bar y"
    lines = [
        DerivationLine(
            first,
            aligned(
                f"a' &= a - \\text{{lr}} \\cdot 2\\,{e_name}\\,x",
                f"b' &= b - \\text{{lr}} \\cdot 2\\,{e_name}",
            ),
        ),
        DerivationLine(
            "Put the new a and b into the error. The old error comes back, minus a part that is proportional to it:",
            aligned(
                f"{e_name}' &= a'x + b' - {y_name}",  # one short line each: a long one is cut off on a phone
                f"&= (a - 2\\,\\text{{lr}}\\,{e_name}\\,x)\\,x + (b - 2\\,\\text{{lr}}\\,{e_name}) - {y_name}",
                f"&= (a x + b - {y_name}) - 2\\,\\text{{lr}}\\,{e_name}\\,(x^2 + 1)",
                f"&= {e_name}\\,\\bigl(1 - 2\\,\\text{{lr}}\\,(x^2 + 1)\\bigr) = r\\,{e_name}",
            ),
        ),
        DerivationLine(
            "Nothing in r depends on a, b or the error — only on the learning rate and x — so every update "
            "multiplies the error by the same r, and the loss, the error squared, by r²"
            + ("." if single else " (the part of it above the floor that no line can remove)."),
            f"L' = ({e_name}')^2 = r^2\\,{e_name}^2 = r^2 L" if single else "L' - L_{\\min} = r^2\\,(L - L_{\\min})",
        ),
    ]
    if trajectory.last_step >= 1:  # the last row has no next row: show the update that led to it
        lines.append(_with_numbers(trajectory, min(step, trajectory.last_step - 1)))
    lines.append(_sizes(trajectory))
    return tuple(lines)


def _several_x(trajectory: Trajectory) -> tuple[DerivationLine, ...]:
    experiment = trajectory.experiment
    low, high = theory.eigenvalues(experiment)
    steep, flat = steep_factor(experiment), theory.slow_ratio(experiment)
    hessian = theory.hessian(experiment)
    return (
        DerivationLine(
            "With points at different x the errors no longer move together, so no single r describes an update. "
            "The loss is still a bowl, but an oval one: it is steeper in one direction of (a, b) than in another. "
            "Along the steepest direction the distance to the best line is multiplied by 1 − lr·λmax each update, "
            "along the flattest by 1 − lr·λmin, where λ says how sharply the bowl bends that way (λmax in the "
            "steepest direction, λmin in the flattest; a sharper bend needs a smaller learning rate).",
            aligned(
                f"\\text{{steepest: }} 1 - \\text{{lr}}\\,\\lambda_{{\\max}} &\\approx {_factor(steep)}",
                f"\\text{{flattest: }} 1 - \\text{{lr}}\\,\\lambda_{{\\min}} &\\approx {_factor(flat)}",
            ),
        ),
        DerivationLine(
            "The steepest direction decides whether the run settles (the factor must stay between −1 and 1); the "
            "flattest decides how long it takes. For one point the flattest direction is the valley itself "
            "(λmin = 0, nothing to fix there) and 1 − lr·λmax is exactly r = 1 − 2·lr·(x² + 1).",
            f"\\lambda_{{\\max}} \\approx {_factor(high)}, \\quad \\lambda_{{\\min}} \\approx {_factor(low)}",
        ),
        DerivationLine(
            "For the university student: λmin and λmax are the eigenvalues of the loss's Hessian H, the matrix of "
            "its second derivatives (constant here, because the loss is a quadratic in a and b). Along H's "
            "eigenvectors each update is a separate one-number update, d ← (1 − lr·λ)·d, which is why the stable "
            "rates are those below 2/λmax.",
            f"H = {_matrix(hessian)}",
        ),
        _sizes(trajectory, "the steepest factor 1 − lr·λmax"),
    )


def _matrix(values: np.ndarray) -> str:
    rows = [" & ".join(latex(float(v), 4) for v in row) for row in values]
    return "\\begin{pmatrix} " + " \\\\ ".join(rows) + " \\end{pmatrix}"


def rate_derivation(trajectory: Trajectory, step: int) -> tuple[DerivationLine, ...]:
    """Why an update multiplies the error by r, ending with the picked step's numbers and what r's size does."""
    step = trajectory.clamp_step(step)
    if theory.all_x_equal(trajectory.experiment):
        return _one_x(trajectory, step)
    return _several_x(trajectory)


