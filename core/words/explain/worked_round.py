"""Section 2 of the step table: one round — predict, loss, gradient, update — with its numbers plugged in.

Every formula adds up from the numbers it shows: the round's numbers carry as many decimals as
that takes (:mod:`.checkable`), at least the table's 4, and the first part says why when more.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.training import HAND_DECIMALS, Trajectory, update
from core.words.explain import checkable
from core.words.explain.checkable import Digits, computed, given
from core.words.explain.latex import (
    DL_DA,
    DL_DB,
    Y_PRED,
    Y_PRED_I,
    aligned,
    listing,
)
from core.words.notation import latex

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
    decimals: int = 4  # of the computed numbers in its formulas


def _vector(digits: Digits, values: list[checkable.Number]) -> str:
    return r"\left(" + r",\ ".join(listing([digits.tex(v) for v in values])) + r"\right)"


def _total(terms: list[str]) -> str:
    return " + ".join(listing(terms))


def round_links(trajectory: Trajectory, step: int) -> list[checkable.Link]:
    """The arithmetic the round at ``step`` shows, in the order a student follows it."""
    experiment = trajectory.experiment
    a, b = computed(trajectory.a[step]), computed(trajectory.b[step])
    xs = [given(x) for x in experiment.xs]
    ys = [given(y) for y in experiment.ys]
    predictions = [computed(p) for p in trajectory.predictions[step]]
    errors = [computed(e) for e in trajectory.errors[step]]
    loss = computed(trajectory.loss[step])
    grad_a, grad_b = computed(trajectory.gradient_a[step]), computed(trajectory.gradient_b[step])
    links = [checkable.prediction(a, x, b, p) for x, p in zip(xs, predictions, strict=True)]
    links += [checkable.difference(p, y, e) for p, y, e in zip(predictions, ys, errors, strict=True)]
    if experiment.single_point:
        links += [
            checkable.residual(a, xs[0], b, ys[0], errors[0]),  # the derivation's 2·(a·x + b − y)
            checkable.square(errors[0], loss),
            checkable.double_product(errors[0], xs[0], grad_a),
            checkable.double(errors[0], grad_b),
        ]
    else:
        links += [
            checkable.mean_of_squares(errors, loss),
            checkable.mean_gradient_a(errors, xs, grad_a),
            checkable.mean_gradient_b(errors, grad_b),
        ]
    if step < trajectory.last_step:
        lr = given(experiment.lr)
        raw_a, raw_b = _raw_updates(trajectory, step)
        links += [checkable.step(a, lr, grad_a, raw_a), checkable.step(b, lr, grad_b, raw_b)]
    return links


def round_digits(trajectory: Trajectory, step: int) -> Digits:
    """The displays at which every formula of the round at ``step`` adds up on screen.

    A hand calculation shows its unrounded update with ``UPDATE_RAW_DECIMALS`` decimals before it
    is rounded to the next row's 4, so those results start there.
    """
    step = trajectory.clamp_step(step)
    start = {}
    if trajectory.experiment.hand and step < trajectory.last_step:
        for raw in _raw_updates(trajectory, step):
            start[raw] = UPDATE_RAW_DECIMALS
    return checkable.digits_for(round_links(trajectory, step), start)


def _raw_updates(trajectory: Trajectory, step: int) -> tuple[checkable.Number, checkable.Number]:
    """a and b after the update at ``step``, before a hand calculation rounds them."""
    raw_a, raw_b = update(
        float(trajectory.a[step]), float(trajectory.b[step]), float(trajectory.gradient_a[step]),
        float(trajectory.gradient_b[step]), trajectory.experiment.lr,
    )
    return computed(raw_a), computed(raw_b)


def _predict_part(trajectory: Trajectory, step: int, digits: Digits) -> RoundPart:
    experiment = trajectory.experiment
    a, b = computed(trajectory.a[step]), computed(trajectory.b[step])
    predictions = [computed(p) for p in trajectory.predictions[step]]
    errors = [computed(e) for e in trajectory.errors[step]]
    xs, ys = [given(x) for x in experiment.xs], [given(y) for y in experiment.ys]
    d = digits
    if experiment.single_point:
        x, y, p, e = xs[0], ys[0], predictions[0], errors[0]
        formulas = (  # two lines: with the digits that make it add up, one line is cut off on a phone
            aligned(
                f"{Y_PRED} &= a \\cdot x + b",
                f"&= {d.tex(a)} \\cdot {d.operand(x)} + {d.operand(b)} {d.sign(checkable.prediction(a, x, b, p))} "
                f"{d.tex(p)}",
            ),
            f"e = {Y_PRED} - y = {d.tex(p)} - {d.operand(y)} {d.sign(checkable.difference(p, y, e))} {d.tex(e)}",
        )
        text = "The model guesses with the current a and b; the error is the guess minus the true answer."
    else:
        guesses = [checkable.prediction(a, x, b, p) for x, p in zip(xs, predictions, strict=True)]
        misses = [checkable.difference(p, y, e) for p, y, e in zip(predictions, ys, errors, strict=True)]
        differences = [f"{d.tex(p)} - {d.operand(y)}" for p, y in zip(predictions, ys, strict=True)]
        pairs = r",\ ".join(listing(differences))
        formulas = (
            aligned(
                f"{Y_PRED_I} &= a\\,x_i + b = {d.tex(a)}\\,x_i + {d.operand(b)}",
                f"{Y_PRED} &{d.sign(*guesses)} {_vector(d, predictions)}",
            ),
            aligned(
                f"e_i &= {Y_PRED_I} - y_i",
                f"e &= \\left({pairs}\\right)",
                f"&{d.sign(*misses)} {_vector(d, errors)}",
            ),
        )
        text = "The line guesses every point with the current a and b; each point gets its own error."
    return RoundPart(1, "Predict", text, formulas)


def _loss_part(trajectory: Trajectory, step: int, digits: Digits) -> RoundPart:
    experiment = trajectory.experiment
    d = digits
    loss = computed(trajectory.loss[step])
    errors = [computed(e) for e in trajectory.errors[step]]
    if experiment.single_point:
        y = given(experiment.ys[0])
        p = computed(trajectory.predictions[step, 0])
        formula = aligned(
            f"L &= ({Y_PRED} - y)^2",
            f"&= ({d.tex(p)} - {d.operand(y)})^2 {d.sign(checkable.difference(p, y, errors[0]))} "
            f"{d.operand(errors[0])}^2 {d.sign(checkable.square(errors[0], loss))} {d.tex(loss)}",
        )
        text = "Squaring the error makes every miss count as positive, and big misses count much more."
    else:
        n = experiment.n_points
        squares = [f"{d.operand(e)}^2" for e in errors]
        formula = aligned(
            "L &= \\frac{1}{n}\\sum_{i=1}^{n} e_i^2",
            f"&= \\frac{{1}}{{{n}}}\\left({_total(squares)}\\right) "
            f"{d.sign(checkable.mean_of_squares(errors, loss))} {d.tex(loss)}",
        )
        text = "The loss is the mean of the squared errors: one number for how wrong the whole line is."
    return RoundPart(2, "Loss", text, (formula,))


def _gradient_part(trajectory: Trajectory, step: int, digits: Digits) -> RoundPart:
    experiment = trajectory.experiment
    d = digits
    grad_a, grad_b = computed(trajectory.gradient_a[step]), computed(trajectory.gradient_b[step])
    errors = [computed(e) for e in trajectory.errors[step]]
    xs = [given(x) for x in experiment.xs]
    if experiment.single_point:
        e, x = errors[0], xs[0]
        formulas = (
            f"{DL_DA} = 2\\,e\\,x = 2 \\cdot {d.operand(e)} \\cdot {d.operand(x)} "
            f"{d.sign(checkable.double_product(e, x, grad_a))} {d.tex(grad_a)}",
            f"{DL_DB} = 2\\,e = 2 \\cdot {d.operand(e)} {d.sign(checkable.double(e, grad_b))} {d.tex(grad_b)}",
        )
    else:
        n = experiment.n_points
        products = [f"{d.operand(e)} \\cdot {d.operand(x)}" for e, x in zip(errors, xs, strict=True)]
        terms = _total([d.operand(e) for e in errors])
        formulas = (
            aligned(
                f"{DL_DA} &= \\frac{{2}}{{n}}\\sum e_i x_i",
                f"&= \\frac{{2}}{{{n}}}\\left({_total(products)}\\right) "
                f"{d.sign(checkable.mean_gradient_a(errors, xs, grad_a))} "
                f"{d.tex(grad_a)}",
            ),
            aligned(
                f"{DL_DB} &= \\frac{{2}}{{n}}\\sum e_i",
                f"&= \\frac{{2}}{{{n}}}\\left({terms}\\right) "
                f"{d.sign(checkable.mean_gradient_b(errors, grad_b))} {d.tex(grad_b)}",
            ),
        )
    text = (
        "The gradient says how fast the loss grows when a or b is nudged up. Both are measured at the same "
        "(a, b), before either one changes."
    )
    return RoundPart(3, "Gradient", text, formulas)


def _update_part(trajectory: Trajectory, step: int, digits: Digits) -> RoundPart:
    experiment = trajectory.experiment
    d = digits
    if step == trajectory.last_step:
        if trajectory.divergence is not None:
            text = f"No update is shown after this row. {trajectory.divergence.describe()}"
        else:
            text = (
                f"Step {step} is the last row, so its gradient is measured but no update follows. "
                "Add steps in the sidebar to keep going."
            )
        return RoundPart(4, "Update", text, ())
    a, b = computed(trajectory.a[step]), computed(trajectory.b[step])
    grad_a, grad_b = computed(trajectory.gradient_a[step]), computed(trajectory.gradient_b[step])
    raw_a, raw_b = _raw_updates(trajectory, step)
    next_a, next_b = computed(trajectory.a[step + 1]), computed(trajectory.b[step + 1])
    lr = given(experiment.lr)
    formulas = []
    rounded_any = False
    for name, value, grad, raw, kept, symbol in (
        ("a", a, grad_a, raw_a, next_a, DL_DA),
        ("b", b, grad_b, raw_b, next_b, DL_DB),
    ):
        numbers = f"&= {d.tex(value)} - {d.operand(lr)} \\cdot {d.operand(grad)}"
        if experiment.hand and latex(raw.value, UPDATE_RAW_DECIMALS) != latex(kept.value, UPDATE_RAW_DECIMALS):
            rounded_any = True
            numbers += f" {d.sign(checkable.step(value, lr, grad, raw))} {d.tex(raw)} \\;\\to\\; {latex(kept.value)}"
        else:
            numbers += f" {d.sign(checkable.step(value, lr, grad, kept))} {d.tex(kept)}"
        formulas.append(aligned(f"{name} &\\leftarrow {name} - \\text{{lr}} \\cdot {symbol}", numbers))
    text = (
        f"Both numbers step against their gradient, scaled by the learning rate; the result is row {step + 1}."
    )
    if rounded_any:
        text += f" In hand mode the result is rounded to {HAND_DECIMALS} decimals before the next round."
    return RoundPart(4, "Update", text, tuple(formulas))


def one_round(trajectory: Trajectory, step: int) -> Round:
    """The four parts of the round that starts at ``step`` (clamped to the table's rows).

    Its numbers carry the decimals at which every formula adds up on screen; when that is more
    than the table's 4, the first part says so with the sum that 4 decimals would break.
    """
    step = trajectory.clamp_step(step)
    links = round_links(trajectory, step)
    digits = round_digits(trajectory, step)
    predict = _predict_part(trajectory, step, digits)
    note = checkable.extra_digits_note(links, digits)
    if note:
        predict = RoundPart(predict.number, predict.title, f"{predict.text} {note}", predict.formulas)
    parts = (
        predict,
        _loss_part(trajectory, step, digits),
        _gradient_part(trajectory, step, digits),
        _update_part(trajectory, step, digits),
    )
    return Round(step=step, parts=parts, is_last=step == trajectory.last_step, decimals=digits.decimals)
