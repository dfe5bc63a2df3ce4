"""Words and formulas for the step table page, with the run's own numbers plugged in.

The page only lays these out: every number in a sentence or formula is formatted here
from a :class:`~core.maths.training.Trajectory` (and :mod:`core.maths.theory`), so the page never does
arithmetic on parameters. Formulas are LaTeX strings for ``st.latex``; sentences are
plain text (safe for Markdown: they never contain user text, only formatted numbers).

Rounding is stated honestly: a formula uses "=" when every number in it is shown exactly
and "≈" when a 4-decimal display rounded something.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.maths import theory
from core.maths.experiment import Experiment, format_number
from core.maths.surface import equally_good_answers, plot_window
from core.maths.training import HAND_DECIMALS, Trajectory, rounding_stall, update
from core.words.notation import plain as text_num
from core.words.notation import short, valley_equation
from core.words.tables import step_table

DECIMALS = 4
# Formulas over several points list at most this many terms, then "…" and the last one.
LIST_LIMIT = 4
UPDATE_RAW_DECIMALS = 8


# --- numbers -------------------------------------------------------------------------------


def num(value: float, decimals: int = DECIMALS) -> str:
    """A number inside LaTeX: like :func:`short`, with scientific notation as m × 10^k."""
    text = short(value, decimals)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def operand(value: float, decimals: int = DECIMALS) -> str:
    """A number used inside a longer expression: negative or scientific ones get parentheses (3·(−2))."""
    text = num(value, decimals)
    return f"({text})" if text.startswith("-") or r"\times" in text else text


def lead(value: float, decimals: int = DECIMALS) -> str:
    """The first number of an expression: no parentheses needed, even when negative (−0.6 − 4)."""
    return num(value, decimals)


def shown_exactly(value: float, decimals: int = DECIMALS) -> bool:
    """True when the displayed digits are the value (up to float noise such as 2.4000000000000004)."""
    number = float(value)
    shown = float(short(number, decimals))
    return abs(number - shown) <= 1e-9 * max(1.0, abs(number))


def relation(*values: float) -> str:
    """"=" when every number in a formula is shown exactly, "≈" when one was rounded for display."""
    return "=" if all(shown_exactly(v) for v in values) else r"\approx"


def _listing(items: Sequence[str]) -> str:
    """Terms of a sum or vector: all of them when few, else the first three, …, the last."""
    if len(items) <= LIST_LIMIT:
        return items
    return [*items[:3], r"\ldots", items[-1]]


def _vector(values: Sequence[float]) -> str:
    return r"\left(" + r",\ ".join(_listing([num(v) for v in values])) + r"\right)"


def _sum(terms: Sequence[str]) -> str:
    return " + ".join(_listing(list(terms)))


def clamp_step(trajectory: Trajectory, step: object) -> int:
    """A row index of this table: the picked step after the run got shorter, or any odd value, made valid."""
    try:
        step = int(step)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        step = 0
    return min(max(step, 0), trajectory.last_step)


def aligned(*lines: str) -> str:
    """Several formula lines aligned at their "&" marks: long chains stay readable on a phone."""
    return "\\begin{aligned} " + r" \\ ".join(lines) + " \\end{aligned}"


Y_PRED = r"y_{\text{pred}}"
Y_PRED_I = r"y_{\text{pred},i}"
DL_DA = r"\frac{\partial L}{\partial a}"
DL_DB = r"\frac{\partial L}{\partial b}"


# --- 0. the start ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Introduction:
    """What the page says above the table: the model, the setup, the goal, the first miss."""

    model: str  # LaTeX
    setup: str  # sentence
    goal: str  # sentence
    first_prediction: str  # LaTeX with the start's numbers
    first_miss: str  # sentence


def _points_text(experiment: Experiment) -> str:
    pairs = [f"({text_num(x)}, {text_num(y)})" for x, y in experiment.points]
    if len(pairs) > LIST_LIMIT:
        pairs = [*pairs[:3], "…", pairs[-1]]
    return ", ".join(pairs)


def introduction(trajectory: Trajectory) -> Introduction:
    experiment = trajectory.experiment
    start = (
        f"Training starts from a = {text_num(experiment.a0)} and b = {text_num(experiment.b0)} and "
        f"takes {experiment.steps} update{'s' if experiment.steps != 1 else ''} with a learning rate of "
        f"{text_num(experiment.lr)}."
    )
    goal = (
        "Training searches for values of a and b that make the prediction match the true answer. It does "
        "not solve for them directly: every round it measures the miss, moves both numbers a little against "
        "their gradients, and goes again."
    )
    a0, b0 = experiment.a0, experiment.b0
    if experiment.single_point:
        (x, y), = experiment.points
        prediction = float(trajectory.predictions[0, 0])
        error = float(trajectory.errors[0, 0])
        setup = f"One data point: the input x = {text_num(x)} should give y = {text_num(y)}. {start}"
        formula = (
            f"{Y_PRED} = a \\cdot x + b = {lead(a0)} \\cdot {operand(x)} + {operand(b0)} "
            f"{relation(a0, x, b0, prediction)} {num(prediction)}"
        )
        if error == 0.0:
            miss = "That is already the true answer: the loss is 0, so nothing will move."
        else:
            side = "too high" if error > 0 else "too low"
            miss = (
                f"The true answer is {text_num(y)}, so the first guess is off by {text_num(abs(error))} ({side}). "
                "Each row of the table is one more round of closing that gap."
            )
    else:
        setup = (
            f"{experiment.n_points} data points (x, y): {_points_text(experiment)}. One line has to fit them "
            f"all, so the loss is the mean of the squared errors. {start}"
        )
        formula = aligned(
            f"{Y_PRED_I} &= {lead(a0)}\\,x_i + {operand(b0)}",
            f"{Y_PRED} &= {_vector(trajectory.predictions[0])}",
        )
        miss = (
            f"Against the true answers that is a mean squared error of {text_num(trajectory.loss[0])} at the "
            "start. Each row of the table is one more round of bringing it down."
        )
    return Introduction(
        model=f"{Y_PRED} = a \\cdot x + b", setup=setup, goal=goal, first_prediction=formula, first_miss=miss
    )


# --- 2. one round, numbers plugged in -----------------------------------------------------------


@dataclass(frozen=True)
class RoundPart:
    """One of the four parts of a round: a title, a sentence and its formulas."""

    number: int
    title: str
    text: str
    formulas: tuple[str, ...]


@dataclass(frozen=True)
class Round:
    step: int
    parts: tuple[RoundPart, ...]
    is_last: bool


def _predict_part(trajectory: Trajectory, step: int) -> RoundPart:
    experiment = trajectory.experiment
    a, b = float(trajectory.a[step]), float(trajectory.b[step])
    predictions = [float(p) for p in trajectory.predictions[step]]
    errors = [float(e) for e in trajectory.errors[step]]
    if experiment.single_point:
        (x, y), = experiment.points
        p, e = predictions[0], errors[0]
        formulas = (
            f"{Y_PRED} = a \\cdot x + b = {lead(a)} \\cdot {operand(x)} + {operand(b)} "
            f"{relation(a, x, b, p)} {num(p)}",
            f"e = {Y_PRED} - y = {lead(p)} - {operand(y)} {relation(p, y, e)} {num(e)}",
        )
        text = "The model guesses with the current a and b; the error is the guess minus the true answer."
    else:
        differences = [f"{lead(p)} - {operand(y)}" for p, y in zip(predictions, experiment.ys, strict=True)]
        pairs = r",\ ".join(_listing(differences))
        formulas = (
            aligned(
                f"{Y_PRED_I} &= a\\,x_i + b = {lead(a)}\\,x_i + {operand(b)}",
                f"{Y_PRED} &{relation(a, b, *experiment.xs, *predictions)} {_vector(predictions)}",
            ),
            aligned(
                f"e_i &= {Y_PRED_I} - y_i",
                f"e &= \\left({pairs}\\right)",
                f"&{relation(*predictions, *errors)} {_vector(errors)}",
            ),
        )
        text = "The line guesses every point with the current a and b; each point gets its own error."
    return RoundPart(1, "Predict", text, formulas)


def _loss_part(trajectory: Trajectory, step: int) -> RoundPart:
    experiment = trajectory.experiment
    loss = float(trajectory.loss[step])
    errors = [float(e) for e in trajectory.errors[step]]
    if experiment.single_point:
        (_, y), = experiment.points
        p = float(trajectory.predictions[step, 0])
        formula = (
            f"L = ({Y_PRED} - y)^2 = ({lead(p)} - {operand(y)})^2 {relation(p, y, errors[0])} "
            f"{operand(errors[0])}^2 {relation(errors[0], loss)} {num(loss)}"
        )
        text = "Squaring the error makes every miss count as positive, and big misses count much more."
    else:
        n = experiment.n_points
        squares = [f"{operand(e)}^2" for e in errors]
        formula = aligned(
            "L &= \\frac{1}{n}\\sum_{i=1}^{n} e_i^2",
            f"&= \\frac{{1}}{{{n}}}\\left({_sum(squares)}\\right) {relation(*errors, loss)} {num(loss)}",
        )
        text = "The loss is the mean of the squared errors: one number for how wrong the whole line is."
    return RoundPart(2, "Loss", text, (formula,))


def _gradient_part(trajectory: Trajectory, step: int) -> RoundPart:
    experiment = trajectory.experiment
    grad_a, grad_b = float(trajectory.gradient_a[step]), float(trajectory.gradient_b[step])
    errors = [float(e) for e in trajectory.errors[step]]
    if experiment.single_point:
        (x, _), = experiment.points
        e = errors[0]
        formulas = (
            f"{DL_DA} = 2\\,e\\,x = 2 \\cdot {operand(e)} \\cdot {operand(x)} {relation(e, x, grad_a)} {num(grad_a)}",
            f"{DL_DB} = 2\\,e = 2 \\cdot {operand(e)} {relation(e, grad_b)} {num(grad_b)}",
        )
    else:
        n = experiment.n_points
        products = [f"{operand(e)} \\cdot {operand(x)}" for e, x in zip(errors, experiment.xs, strict=True)]
        terms = _sum([operand(e) for e in errors])
        formulas = (
            aligned(
                f"{DL_DA} &= \\frac{{2}}{{n}}\\sum e_i x_i",
                f"&= \\frac{{2}}{{{n}}}\\left({_sum(products)}\\right) {relation(*errors, *experiment.xs, grad_a)} "
                f"{num(grad_a)}",
            ),
            aligned(
                f"{DL_DB} &= \\frac{{2}}{{n}}\\sum e_i",
                f"&= \\frac{{2}}{{{n}}}\\left({terms}\\right) {relation(*errors, grad_b)} {num(grad_b)}",
            ),
        )
    text = (
        "The gradient says how fast the loss grows when a or b is nudged up. Both are measured at the same "
        "(a, b), before either one changes."
    )
    return RoundPart(3, "Gradient", text, formulas)


def _update_part(trajectory: Trajectory, step: int) -> RoundPart:
    experiment = trajectory.experiment
    if step == trajectory.last_step:
        if trajectory.divergence is not None:
            text = f"No update is shown after this row. {trajectory.divergence.describe()}"
        else:
            text = (
                f"Step {step} is the last row, so its gradient is measured but no update follows. "
                "Add steps in the sidebar to keep going."
            )
        return RoundPart(4, "Update", text, ())
    a, b = float(trajectory.a[step]), float(trajectory.b[step])
    grad_a, grad_b = float(trajectory.gradient_a[step]), float(trajectory.gradient_b[step])
    raw_a, raw_b = update(a, b, grad_a, grad_b, experiment.lr)
    next_a, next_b = float(trajectory.a[step + 1]), float(trajectory.b[step + 1])
    lr = experiment.lr
    formulas = []
    rounded_any = False
    for name, value, grad, raw, kept, symbol in (
        ("a", a, grad_a, raw_a, next_a, DL_DA),
        ("b", b, grad_b, raw_b, next_b, DL_DB),
    ):
        numbers = f"&= {lead(value)} - {operand(lr, 8)} \\cdot {operand(grad)}"
        if experiment.hand and not shown_exactly(raw):
            rounded_any = True
            numbers += f" = {num(raw, UPDATE_RAW_DECIMALS)} \\;\\to\\; {num(kept)}"
        else:
            numbers += f" {relation(value, grad, kept)} {num(kept)}"
        formulas.append(aligned(f"{name} &\\leftarrow {name} - \\text{{lr}} \\cdot {symbol}", numbers))
    text = (
        f"Both numbers step against their gradient, scaled by the learning rate; the result is row {step + 1}."
    )
    if rounded_any:
        text += f" In hand mode the result is rounded to {HAND_DECIMALS} decimals before the next round."
    return RoundPart(4, "Update", text, tuple(formulas))


def one_round(trajectory: Trajectory, step: int) -> Round:
    """The four parts of the round that starts at ``step`` (clamped to the table's rows)."""
    step = clamp_step(trajectory, step)
    parts = (
        _predict_part(trajectory, step),
        _loss_part(trajectory, step),
        _gradient_part(trajectory, step),
        _update_part(trajectory, step),
    )
    return Round(step=step, parts=parts, is_last=step == trajectory.last_step)


# --- 3. where the gradient comes from ------------------------------------------------------------


@dataclass(frozen=True)
class DerivationLine:
    text: str
    latex: str


def derivation(trajectory: Trajectory, step: int) -> tuple[DerivationLine, ...]:
    """The loss written out and differentiated, ending with the picked step's numbers."""
    step = clamp_step(trajectory, step)
    experiment = trajectory.experiment
    a, b = float(trajectory.a[step]), float(trajectory.b[step])
    grad_a, grad_b = float(trajectory.gradient_a[step]), float(trajectory.gradient_b[step])
    if experiment.single_point:
        (x, y), = experiment.points
        e = float(trajectory.errors[step, 0])
        inner = f"{lead(a)} \\cdot {operand(x)} + {operand(b)} - {operand(y)}"
        return (
            DerivationLine("Put the model into the loss:", f"L = ({Y_PRED} - y)^2 = (a x + b - y)^2"),
            DerivationLine(
                "Multiply the square out (x and y are fixed numbers; only a and b can change):",
                "L = a^2x^2 + 2abx - 2axy + b^2 - 2by + y^2",
            ),
            DerivationLine(
                "Differentiate term by term with respect to a; the terms without a drop out:",
                aligned(f"{DL_DA} &= 2ax^2 + 2bx - 2xy", "&= 2x\\,(ax + b - y) = 2\\,e\\,x"),
            ),
            DerivationLine(
                "The same with respect to b:",
                aligned(f"{DL_DB} &= 2ax + 2b - 2y", "&= 2\\,(ax + b - y) = 2\\,e"),
            ),
            DerivationLine(
                "The chain rule gives the same in one line: the outer square brings 2·(ax + b − y), the inside "
                "brings x (for a) or 1 (for b):",
                aligned(
                    f"{DL_DA} &= 2\\,(ax + b - y) \\cdot \\frac{{\\partial (ax + b - y)}}{{\\partial a}}",
                    "&= 2\\,(ax + b - y) \\cdot x",
                ),
            ),
            DerivationLine(
                f"With the numbers of step {step}:",
                aligned(
                    f"{DL_DA} &= 2\\,({inner}) \\cdot {operand(x)}",
                    f"&{relation(a, b, x, y, e)} 2 \\cdot {operand(e)} \\cdot {operand(x)} {relation(e, x, grad_a)} "
                    f"{num(grad_a)}",
                ),
            ),
            DerivationLine(
                "",
                aligned(
                    f"{DL_DB} &= 2\\,({inner})",
                    f"&{relation(a, b, x, y, e)} 2 \\cdot {operand(e)} {relation(e, grad_b)} {num(grad_b)}",
                ),
            ),
        )
    n = experiment.n_points
    errors = [float(e) for e in trajectory.errors[step]]
    products = [f"{operand(e)} \\cdot {operand(x)}" for e, x in zip(errors, experiment.xs, strict=True)]
    return (
        DerivationLine(
            "With several points the loss is the mean of one square per point:",
            "L = \\frac{1}{n}\\sum_{i=1}^{n} (a x_i + b - y_i)^2",
        ),
        DerivationLine(
            "The derivative of a sum is the sum of the derivatives, and each square works as for one point "
            "(chain rule: 2·(inside) times x_i for a, times 1 for b):",
            aligned(
                f"{DL_DA} &= \\frac{{2}}{{n}}\\sum_{{i=1}}^{{n}} (a x_i + b - y_i)\\,x_i",
                f"{DL_DB} &= \\frac{{2}}{{n}}\\sum_{{i=1}}^{{n}} (a x_i + b - y_i)",
            ),
        ),
        DerivationLine(
            f"With the numbers of step {step} (e_i = a x_i + b − y_i):",
            aligned(
                f"{DL_DA} &= \\frac{{2}}{{{n}}}\\left({_sum(products)}\\right)",
                f"&{relation(*errors, *experiment.xs, grad_a)} {num(grad_a)}",
            ),
        ),
    )


# --- 4. what to notice ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    """One observation tied to the numbers on screen; ``latex`` is optional."""

    title: str
    text: str
    latex: str | None = None


def _sequence(values: Sequence[float], limit: int = 3) -> str:
    shown = " → ".join(text_num(v) for v in values[:limit])
    return shown + (" → …" if len(values) > limit else "")


def _shrink_fact(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    r = theory.error_ratio(experiment)
    losses = [float(v) for v in trajectory.loss]
    if theory.excess_loss_after(experiment, 0) <= 1e-12 * max(1.0, losses[0]):
        return Fact(
            "Nothing to learn",
            "The start already has the lowest possible loss, so every gradient is 0 and a and b never move. "
            "Change the start or the data in the sidebar to see training at work.",
        )
    if not theory.all_x_equal(experiment):
        slow = theory.slow_ratio(experiment)
        if kind.converges:
            text = (
                "The gradient is the average pull of all points, and it weakens as the line fits better, so the "
                f"steps get shorter by themselves. The loss no longer shrinks by one fixed factor: the distance "
                f"to the best line shrinks ×{text_num(abs(r))} per step in the steepest direction"
                f"{' (flipping from side to side)' if r < 0 else ''} and only "
                f"×{text_num(abs(slow))} in the flattest one, which sets the pace. On screen the loss goes "
                f"{_sequence(losses)}."
            )
            return Fact("The steps shrink with the error", text)
        grows = "stays the same" if kind is theory.Regime.BOUNCING else "grows"
        text = (
            f"At this rate the steepest direction is multiplied by {text_num(r)} per step: its size {grows}, so "
            f"the gradient never fades and the loss goes {_sequence(losses)}."
        )
        return Fact("The steps do not shrink", text)

    x = experiment.xs[0]
    # With several points at one x, the average error plays the part of the single error.
    errors = [float(e) for e in trajectory.errors.mean(axis=1)]
    formula = aligned(
        "r &= 1 - 2 \\cdot \\text{lr} \\cdot (x^2 + 1)",
        f"&= 1 - 2 \\cdot {operand(experiment.lr, 8)} \\cdot ({operand(x)}^2 + 1) {relation(experiment.lr, x, r)} "
        f"{num(r)}",
    )
    ratio = f"r = {text_num(r)}"
    loss_ratio = f"r² = {text_num(r * r)}"
    if kind is theory.Regime.SMOOTH:
        title = "The steps shrink with the error"
        text = (
            f"The gradients are 2·error·x and 2·error: large while the guess is far off, fading as it "
            f"improves, so each update shortens itself. Every update multiplies the error by {ratio} "
            f"(error {_sequence(errors)}) and the loss by {loss_ratio} (loss {_sequence(losses)})."
        )
    elif kind is theory.Regime.ONE_STEP:
        title = "One update lands exactly"
        text = (
            f"With {ratio} the first update removes the whole error: the error goes {_sequence(errors)} and "
            "the gradient is zero from then on."
        )
    elif kind is theory.Regime.OVERSHOOTING:
        title = "Overshooting, but still getting closer"
        text = (
            f"Here {ratio} is negative: every update jumps past the answer, so the error flips sign "
            f"({_sequence(errors, 4)}). Its size still shrinks ×{text_num(abs(r))} per step, so the run settles; "
            f"the loss shrinks ×{text_num(r * r)} ({_sequence(losses)})."
        )
    elif kind is theory.Regime.BOUNCING:
        title = "Bouncing forever"
        text = (
            f"With {ratio} each update jumps exactly as far past the answer as it was before: the error flips "
            f"between ± the same size ({_sequence(errors, 4)}) and the loss never falls ({_sequence(losses)})."
        )
    else:
        title = "Each step overshoots further"
        text = (
            f"With {ratio} the error flips sign and grows ×{text_num(abs(r))} per update "
            f"({_sequence(errors, 4)}). A bigger error means a bigger gradient, which means a bigger jump: the "
            f"loss grows ×{text_num(r * r)} per step ({_sequence(losses)})."
        )
    if x == 0.0:
        text += " (With x = 0, a has no effect on the prediction, so only b moves.)"
    return Fact(title, text, formula)


def _gradients_fact(trajectory: Trajectory, step: int) -> Fact:
    experiment = trajectory.experiment
    grad_a, grad_b = float(trajectory.gradient_a[step]), float(trajectory.gradient_b[step])
    if not theory.all_x_equal(experiment):
        return Fact(
            "Every point pulls in its own direction",
            "Each point has its own x, so ∂L/∂a is no longer a fixed multiple of ∂L/∂b: the points pull a and b "
            f"in different proportions. At step {step}: ∂L/∂a = {text_num(grad_a)}, ∂L/∂b = {text_num(grad_b)}.",
        )
    x = experiment.xs[0]
    latex = (
        f"{DL_DA} = x \\cdot {DL_DB}: \\quad {num(grad_a)} {relation(grad_a, x, grad_b)} "
        f"{operand(x)} \\cdot {operand(grad_b)}"
    )
    if x == 1.0:
        text = (
            "With x = 1 the two gradients are equal (2·error·1 = 2·error), so a and b move by the same "
            "amount at every step. With any other x they would differ: ∂L/∂a is always x times ∂L/∂b."
        )
    elif x == 0.0:
        text = (
            "With x = 0 the gradient for a is always 0: a does not affect the prediction at x = 0, so it "
            "keeps its start value and only b learns."
        )
    else:
        text = (
            f"Here x = {text_num(x)}, so the two gradients differ: ∂L/∂a is always x times ∂L/∂b, and a moves "
            f"{text_num(abs(x))} times as far as b at every step"
            + (", in the opposite direction" if x < 0 else "")
            + " (the article's x = 1 is the special case where they are equal)."
        )
    return Fact("Two gradients from one error", text, latex)


def _heading_fact(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    landing_a, landing_b = theory.landing_point(experiment)
    landing = f"({text_num(landing_a)}, {text_num(landing_b)})"
    if theory.all_x_equal(experiment):
        x = experiment.xs[0]
        target = sum(experiment.ys) / experiment.n_points
        answers = equally_good_answers(experiment, plot_window(trajectory))
        named = [f"({text_num(a)}, {text_num(b)})" for a, b in answers]
        others = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)
        floor = theory.minimum_loss(experiment)
        valley = (
            "zero loss" if floor == 0.0 else f"the lowest possible loss, {text_num(floor)} (points with the same "
            "x but different y cannot all be hit)"
        )
        text = (
            f"Every (a, b) on the line a·x + b = {text_num(target)} gives {valley}: it is a whole valley of "
            "equally good answers"
            + (f", for example {others}" if others else "")
            + ". Gradient descent steps straight across the valley, along the direction (x, 1), and "
        )
        if kind.converges:
            text += f"lands on the valley point nearest the start, {landing}."
        else:
            text += (
                f"would land on {landing}, the valley point nearest the start, but at this rate it "
                + ("hops over the valley and back forever." if kind is theory.Regime.BOUNCING else "never gets there: "
                   "each jump lands farther from the valley.")
            )
        return Fact("Where the path is heading", text, valley_equation(x, target, latex=True))
    if kind.converges:
        ending = "the run settles there."
    elif kind is theory.Regime.BOUNCING:
        ending = "at this rate the run bounces around it forever."
    else:
        ending = "at this rate each step lands farther from it."
    text = (
        "With points at different x no whole line of answers fits them all equally well: the valley closes to "
        f"a single best point, the least-squares line a = {text_num(landing_a)}, b = {text_num(landing_b)}; "
        + ending
    )
    latex = f"(a^*, b^*) = ({num(landing_a)},\\ {num(landing_b)})"
    return Fact("Where the path is heading", text, latex)


def _pace_fact(trajectory: Trajectory) -> Fact | None:
    experiment = trajectory.experiment
    needed = theory.steps_to_tolerance(experiment)
    if needed is None or needed == 0:
        return None
    return Fact(
        "How long it takes",
        f"The loss gets within {text_num(theory.DEFAULT_TOLERANCE)} of its lowest value after {needed} "
        f"update{'s' if needed != 1 else ''}"
        + (" — more than this table shows." if needed > experiment.steps else " — the table shows it happening.")
        + " Nothing here solves for a and b directly: each row only corrects the last one a little.",
    )


def what_to_notice(trajectory: Trajectory, step: int) -> tuple[Fact, ...]:
    """The observations for the numbers on screen (regime-aware, one point or several)."""
    step = clamp_step(trajectory, step)
    facts = [_shrink_fact(trajectory), _gradients_fact(trajectory, step), _heading_fact(trajectory)]
    stall = rounding_stall(trajectory)
    if stall is not None:
        facts.insert(0, Fact(
            "Rounding froze this hand calculation",
            f"From step {stall} on, each update is smaller than 0.00005, so rounding a and b to "
            f"{HAND_DECIMALS} decimals puts them straight back where they were: the table stops changing "
            "although the gradient is not zero. Full precision would keep creeping on; the notes below "
            "describe that exact arithmetic. Turn off hand calculation, or use a larger rate, to see it.",
        ))
    pace = _pace_fact(trajectory)
    if pace is not None:
        facts.append(pace)
    return tuple(facts)


# --- 5. hand calculation vs full precision ---------------------------------------------------------


def _at_article_settings(trajectory: Trajectory) -> bool:
    """True when the run is the article's example, whatever its precision mode and length."""
    article = Experiment()
    experiment = trajectory.experiment
    return (experiment.points, experiment.a0, experiment.b0, experiment.lr) == (
        article.points, article.a0, article.b0, article.lr
    )


def precision_note(trajectory: Trajectory, other: Trajectory) -> str:
    """Why hand mode and full precision can differ, with the first differing cell of this run.

    ``other`` is the same experiment in the other mode (the page gets it from the cache).
    """
    hand = trajectory.experiment.hand
    mine, theirs = step_table(trajectory), step_table(other)
    first = None
    for row_index, (row, other_row) in enumerate(zip(mine.rows, theirs.rows, strict=False)):
        for column, cell, other_cell in zip(mine.columns, row, other_row, strict=True):
            if cell != other_cell:
                first = (row_index, column.header, cell, other_cell)
                break
        if first:
            break
    if hand:
        lead = (
            f"Hand calculation: a and b are rounded to {HAND_DECIMALS} decimals after every update, as you would on "
            "paper, and the next round uses the rounded values. The small rounding errors carry from row to row."
        )
        if first:
            row_index, header, cell, other_cell = first
            lead += (
                f" Here the first visible difference is row {row_index}, {header}: {cell} by hand, {other_cell} in "
                "full precision"
                + ("." if _at_article_settings(trajectory) else
                   " (at the article's settings row 5 reads 4.2332 instead of 4.2333 for the same reason).")
            )
        else:
            lead += " For this run both give the same 4-decimal table."
        return lead
    lead = (
        "Full precision: every number is carried with all its digits and only rounded for display. "
        "Turn on “Hand calculation” in the sidebar to round a and b to 4 decimals after each update, as the "
        "article does on paper"
    )
    if first:
        row_index, header, cell, other_cell = first
        return lead + f"; here that changes row {row_index}, {header}, from {cell} to {other_cell}."
    return lead + " (at its settings that turns row 5's 4.2333 into 4.2332); here both give the same table."


# --- 6. the training loop as code ------------------------------------------------------------------


def _py(value: float) -> str:
    """A Python literal that reproduces the float exactly (3.0 → 3, 0.1 → 0.1)."""
    return format_number(value)


def training_loop_code(trajectory: Trajectory) -> str:
    """A short, runnable Python loop with this experiment's numbers that prints the table's rows.

    It follows :func:`core.maths.training.train` operation for operation, so its printed rows
    match the step table (tests execute it).
    """
    experiment = trajectory.experiment
    setup = [
        f"a, b = {_py(experiment.a0)}, {_py(experiment.b0)}  # the starting guess",
        f"lr = {_py(experiment.lr)}  # learning rate",
        f"steps = {experiment.steps}  # number of updates",
    ]
    guard = [
        "    if abs(a) > 1e12 or abs(b) > 1e12 or loss > 1e24:  # the run has blown up: stop",
        "        print(\"diverged: stopping\")",
        "        break",
    ] if trajectory.diverged else []
    rounding = [
        f"    a, b = round(a, {HAND_DECIMALS}), round(b, {HAND_DECIMALS})  # hand calculation: round like on paper",
    ] if experiment.hand else []
    if experiment.single_point:
        (x, y), = experiment.points
        lines = [
            f"x, y = {_py(x)}, {_py(y)}  # the data point",
            *setup,
            "",
            'print("step, a, b, y_pred, error, grad_a, grad_b, loss")',
            "for step in range(steps + 1):",
            "    y_pred = a * x + b  # 1. predict",
            "    error = y_pred - y",
            "    loss = error * error  # 2. loss",
            *guard,
            "    grad_a = 2 * error * x  # 3. gradient (both from the same a, b)",
            "    grad_b = 2 * error",
            '    print(f"{step}, {a:.4f}, {b:.4f}, {y_pred:.4f}, {error:.4f}, {grad_a:.4f}, {grad_b:.4f}, {loss:.4f}")',
            "    a, b = a - lr * grad_a, b - lr * grad_b  # 4. update",
            *rounding,
        ]
    else:
        points = ", ".join(f"({_py(x)}, {_py(y)})" for x, y in experiment.points)
        lines = [
            f"data = [{points}]  # the (x, y) points",
            *setup,
            "n = len(data)",
            "",
            'print("step, a, b, grad_a, grad_b, loss")',
            "for step in range(steps + 1):",
            "    y_pred = [a * x + b for x, _ in data]  # 1. predict",
            "    errors = [p - y for p, (_, y) in zip(y_pred, data)]",
            "    loss = sum(e * e for e in errors) / n  # 2. loss (mean squared error)",
            *guard,
            "    grad_a = sum(2 * e * x for e, (x, _) in zip(errors, data)) / n  # 3. gradient",
            "    grad_b = sum(2 * e for e in errors) / n",
            '    print(f"{step}, {a:.4f}, {b:.4f}, {grad_a:.4f}, {grad_b:.4f}, {loss:.4f}")',
            "    a, b = a - lr * grad_a, b - lr * grad_b  # 4. update",
            *rounding,
        ]
    return "\n".join(lines) + "\n"
