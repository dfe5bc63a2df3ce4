"""Section 3 of the step table: where the gradient comes from, ending with the picked step's numbers."""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.training import Trajectory
from core.words.explain import checkable
from core.words.explain.checkable import computed, given
from core.words.explain.latex import DL_DA, DL_DB, Y_PRED, aligned, total
from core.words.explain.worked_round import round_digits


@dataclass(frozen=True)
class DerivationLine:
    text: str
    latex: str


def derivation(trajectory: Trajectory, step: int) -> tuple[DerivationLine, ...]:
    """The loss written out and differentiated, ending with the picked step's numbers."""
    step = trajectory.clamp_step(step)
    experiment = trajectory.experiment
    d = round_digits(trajectory, step)  # the worked-out round's displays: the same numbers read the same
    a, b = computed(trajectory.a[step]), computed(trajectory.b[step])
    grad_a, grad_b = computed(trajectory.gradient_a[step]), computed(trajectory.gradient_b[step])
    if experiment.single_point:
        x, y = (given(v) for v in experiment.points[0])
        e = computed(trajectory.errors[step, 0])
        inner = f"{d.tex(a)} \\cdot {d.operand(x)} + {d.operand(b)} - {d.operand(y)}"
        residual = d.sign(checkable.residual(a, x, b, y, e))
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
                    f"{DL_DA} &= 2\\,({inner}) \\cdot {d.operand(x)}",
                    f"&{residual} 2 \\cdot {d.operand(e)} \\cdot {d.operand(x)} "
                    f"{d.sign(checkable.double_product(e, x, grad_a))} {d.tex(grad_a)}",
                ),
            ),
            DerivationLine(
                "",
                aligned(
                    f"{DL_DB} &= 2\\,({inner})",
                    f"&{residual} 2 \\cdot {d.operand(e)} {d.sign(checkable.double(e, grad_b))} {d.tex(grad_b)}",
                ),
            ),
        )
    n = experiment.n_points
    errors = [computed(e) for e in trajectory.errors[step]]
    xs = [given(x) for x in experiment.xs]
    products = [f"{d.operand(e)} \\cdot {d.operand(x)}" for e, x in zip(errors, xs, strict=True)]
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
                f"{DL_DA} &= \\frac{{2}}{{{n}}}\\left({total(products)}\\right)",
                f"&{d.sign(checkable.mean_gradient_a(errors, xs, grad_a))} {d.tex(grad_a)}",
            ),
        ),
    )
