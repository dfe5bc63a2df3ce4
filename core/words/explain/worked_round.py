"""Section 2 of the step table: one round — predict, loss, gradient, update — with its numbers plugged in."""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.training import HAND_DECIMALS, Trajectory, update
from core.words.explain.latex import (
    DL_DA,
    DL_DB,
    Y_PRED,
    Y_PRED_I,
    aligned,
    listing,
    relation,
    shown_exactly,
    total,
    vector,
)
from core.words.notation import latex, latex_operand

UPDATE_RAW_DECIMALS = 8


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
            f"{Y_PRED} = a \\cdot x + b = {latex(a)} \\cdot {latex_operand(x)} + {latex_operand(b)} "
            f"{relation(a, x, b, p)} {latex(p)}",
            f"e = {Y_PRED} - y = {latex(p)} - {latex_operand(y)} {relation(p, y, e)} {latex(e)}",
        )
        text = "The model guesses with the current a and b; the error is the guess minus the true answer."
    else:
        differences = [f"{latex(p)} - {latex_operand(y)}" for p, y in zip(predictions, experiment.ys, strict=True)]
        pairs = r",\ ".join(listing(differences))
        formulas = (
            aligned(
                f"{Y_PRED_I} &= a\\,x_i + b = {latex(a)}\\,x_i + {latex_operand(b)}",
                f"{Y_PRED} &{relation(a, b, *experiment.xs, *predictions)} {vector(predictions)}",
            ),
            aligned(
                f"e_i &= {Y_PRED_I} - y_i",
                f"e &= \\left({pairs}\\right)",
                f"&{relation(*predictions, *errors)} {vector(errors)}",
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
            f"L = ({Y_PRED} - y)^2 = ({latex(p)} - {latex_operand(y)})^2 {relation(p, y, errors[0])} "
            f"{latex_operand(errors[0])}^2 {relation(errors[0], loss)} {latex(loss)}"
        )
        text = "Squaring the error makes every miss count as positive, and big misses count much more."
    else:
        n = experiment.n_points
        squares = [f"{latex_operand(e)}^2" for e in errors]
        formula = aligned(
            "L &= \\frac{1}{n}\\sum_{i=1}^{n} e_i^2",
            f"&= \\frac{{1}}{{{n}}}\\left({total(squares)}\\right) {relation(*errors, loss)} {latex(loss)}",
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
            f"{DL_DA} = 2\\,e\\,x = 2 \\cdot {latex_operand(e)} \\cdot {latex_operand(x)} "
            f"{relation(e, x, grad_a)} {latex(grad_a)}",
            f"{DL_DB} = 2\\,e = 2 \\cdot {latex_operand(e)} {relation(e, grad_b)} {latex(grad_b)}",
        )
    else:
        n = experiment.n_points
        products = [f"{latex_operand(e)} \\cdot {latex_operand(x)}" for e, x in zip(errors, experiment.xs, strict=True)]
        terms = total([latex_operand(e) for e in errors])
        formulas = (
            aligned(
                f"{DL_DA} &= \\frac{{2}}{{n}}\\sum e_i x_i",
                f"&= \\frac{{2}}{{{n}}}\\left({total(products)}\\right) {relation(*errors, *experiment.xs, grad_a)} "
                f"{latex(grad_a)}",
            ),
            aligned(
                f"{DL_DB} &= \\frac{{2}}{{n}}\\sum e_i",
                f"&= \\frac{{2}}{{{n}}}\\left({terms}\\right) {relation(*errors, grad_b)} {latex(grad_b)}",
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
        numbers = f"&= {latex(value)} - {latex_operand(lr, 8)} \\cdot {latex_operand(grad)}"
        if experiment.hand and not shown_exactly(raw):
            rounded_any = True
            numbers += f" = {latex(raw, UPDATE_RAW_DECIMALS)} \\;\\to\\; {latex(kept)}"
        else:
            numbers += f" {relation(value, grad, kept)} {latex(kept)}"
        formulas.append(aligned(f"{name} &\\leftarrow {name} - \\text{{lr}} \\cdot {symbol}", numbers))
    text = (
        f"Both numbers step against their gradient, scaled by the learning rate; the result is row {step + 1}."
    )
    if rounded_any:
        text += f" In hand mode the result is rounded to {HAND_DECIMALS} decimals before the next round."
    return RoundPart(4, "Update", text, tuple(formulas))


def one_round(trajectory: Trajectory, step: int) -> Round:
    """The four parts of the round that starts at ``step`` (clamped to the table's rows)."""
    step = trajectory.clamp_step(step)
    parts = (
        _predict_part(trajectory, step),
        _loss_part(trajectory, step),
        _gradient_part(trajectory, step),
        _update_part(trajectory, step),
    )
    return Round(step=step, parts=parts, is_last=step == trajectory.last_step)
