"""Words for "Your turn": field labels, the round's table, the "Show me" working and the record.

Every number goes through :mod:`core.words.notation` (sentences) or the LaTeX helpers of
:mod:`core.words.explain` (formulas). The hints on a typed value are :mod:`core.words.hints`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.maths.diagnosis import (
    Quantity,
    exact_basis,
    exact_value,
    round_quantities,
)
from core.maths.training import Trajectory
from core.words.explain import checkable
from core.words.explain.checkable import Digits, computed, given
from core.words.explain.latex import aligned, total
from core.words.notation import cell, plain
from core.words.tables import ERROR, POINT_COLUMNS, Y_PRED, Table, step_table

HIDDEN_CELL = "?"
STUCK = "Stuck? **Show me** fills this value in with its working, and the round goes on."

STEP_OF = {
    Quantity.Y_PRED: (1, "Predict"),
    Quantity.ERROR: (1, "Predict"),
    Quantity.LOSS: (2, "Loss"),
    Quantity.GRAD_A: (3, "Gradient"),
    Quantity.GRAD_B: (3, "Gradient"),
    Quantity.NEW_A: (4, "Update"),
    Quantity.NEW_B: (4, "Update"),
}
ONE_POINT_NAMES = {
    Quantity.Y_PRED: "y_pred = a·x + b",
    Quantity.ERROR: "error = y_pred − y_true",
    Quantity.LOSS: "loss = error²",
    Quantity.GRAD_A: "∂L/∂a = 2·error·x",
    Quantity.GRAD_B: "∂L/∂b = 2·error",
    Quantity.NEW_A: "new a = a − lr·∂L/∂a",
    Quantity.NEW_B: "new b = b − lr·∂L/∂b",
}
SEVERAL_POINTS_NAMES = {
    Quantity.Y_PRED: "y_pred of point 1 = a·x₁ + b",
    Quantity.ERROR: "error of point 1 = y_pred − y₁",
    Quantity.LOSS: "loss = mean of error²",
    Quantity.GRAD_A: "∂L/∂a = mean of 2·error·x",
    Quantity.GRAD_B: "∂L/∂b = mean of 2·error",
    Quantity.NEW_A: "new a = a − lr·∂L/∂a",
    Quantity.NEW_B: "new b = b − lr·∂L/∂b",
}
SHORT_NAMES = {
    Quantity.Y_PRED: "y_pred",
    Quantity.ERROR: "error",
    Quantity.LOSS: "loss",
    Quantity.GRAD_A: "∂L/∂a",
    Quantity.GRAD_B: "∂L/∂b",
    Quantity.NEW_A: "new a",
    Quantity.NEW_B: "new b",
}


def field_label(trajectory: Trajectory, quantity: Quantity) -> str:
    """The label of the answer field: which step of the round, and its formula in words."""
    number, title = STEP_OF[quantity]
    names = ONE_POINT_NAMES if trajectory.experiment.single_point else SEVERAL_POINTS_NAMES
    return f"{number} · {title}: {names[quantity]}"


def introduction(trajectory: Trajectory, step: int) -> str:
    """What the student is asked to do at ``step``, and (several points) what stays by hand."""
    experiment = trajectory.experiment
    quantities = round_quantities(trajectory, step)
    start = f"Work out step {step} yourself from a = {plain(trajectory.a[step])} and b = {plain(trajectory.b[step])}"
    if quantities[-1].is_update:
        start += f", then row {step + 1}'s new a and b."
    else:
        start += ". It is the last row, so no update follows (add steps in the sidebar to keep going)."
    if experiment.single_point:
        extra = " Type each value and press Enter; 4 decimals are enough."
    else:
        extra = (
            f" With {experiment.n_points} points, you work out point 1's prediction and error; the other "
            "points' are given below, so the mean loss and the mean gradients stay doable by hand. "
            "Press Enter after each value; 4 decimals are enough."
        )
    return start + extra


# --- the table with the round's unknowns hidden ------------------------------------------------

_CELL_OF = {Quantity.Y_PRED: "y_pred", Quantity.ERROR: "error", Quantity.LOSS: "loss",
            Quantity.GRAD_A: "grad_a", Quantity.GRAD_B: "grad_b"}


def round_table(trajectory: Trajectory, step: int, done: Sequence[Quantity]) -> Table:
    """The step table up to ``step``: that row shows only a, b and the values already worked out."""
    full = step_table(trajectory)
    keys = [column.key for column in full.columns]
    shown = {"step", "a", "b"} | {_CELL_OF[q] for q in done if q in _CELL_OF}
    row = tuple(cell if key in shown else HIDDEN_CELL for key, cell in zip(keys, full.rows[step], strict=True))
    note = full.note if step == trajectory.last_step else None
    return Table(full.columns, (*full.rows[:step], row), note)


def other_points_table(trajectory: Trajectory, step: int) -> Table:
    """Points 2, 3, … with their prediction and error at ``step`` (point 1 is the student's)."""
    columns = (*POINT_COLUMNS[:3], Y_PRED, ERROR)
    rows = []
    for index, (x, y) in enumerate(trajectory.experiment.points[1:], start=1):
        rows.append((
            str(index + 1), cell(x), cell(y),
            cell(trajectory.predictions[step, index]), cell(trajectory.errors[step, index]),
        ))
    return Table(columns, tuple(rows))


# --- the working of one value ------------------------------------------------------------------


@dataclass(frozen=True)
class Working:
    """One value worked out: a sentence and the formula with the round's numbers."""

    quantity: Quantity
    text: str
    latex: str
    value: float


@dataclass(frozen=True)
class _Arithmetic:
    """One value's formula: its rule, the arithmetic it shows (:mod:`.checkable` links) and the numbers."""

    rule: str  # LaTeX "lhs = rule"
    links: tuple[checkable.Link, ...]
    result: checkable.Number
    numbers: Callable[[Digits], str]  # the rule with this round's numbers, written at the given digits


def _arithmetic(trajectory: Trajectory, step: int, quantity: Quantity) -> _Arithmetic:
    basis = exact_basis(trajectory, step)
    n = len(basis.xs)
    one = n == 1
    a, b = computed(basis.a), computed(basis.b)
    xs, y = [given(x) for x in basis.xs], given(basis.ys[0])
    errors = [computed(e) for e in basis.errors]
    result = computed(exact_value(trajectory, step, quantity))
    if quantity is Quantity.Y_PRED:
        rule = r"y_{\text{pred}} = a\,x + b" if one else r"y_{\text{pred},1} = a\,x_1 + b"
        return _Arithmetic(rule, (checkable.prediction(a, xs[0], b, result),), result,
                           lambda d: f"{d.tex(a)} \\cdot {d.operand(xs[0])} + {d.operand(b)}")
    if quantity is Quantity.ERROR:
        y_pred = computed(basis.y_pred)
        rule = r"e = y_{\text{pred}} - y" if one else r"e_1 = y_{\text{pred},1} - y_1"
        return _Arithmetic(rule, (checkable.difference(y_pred, y, result),), result,
                           lambda d: f"{d.tex(y_pred)} - {d.operand(y)}")
    if quantity is Quantity.LOSS:
        if one:
            return _Arithmetic("L = e^2", (checkable.square(errors[0], result),), result,
                               lambda d: f"{d.operand(errors[0])}^2")
        return _Arithmetic(
            r"L = \frac{1}{n}\sum e_i^2", (checkable.mean_of_squares(errors, result),), result,
            lambda d: f"\\frac{{1}}{{{n}}}\\left({total([f'{d.operand(e)}^2' for e in errors])}\\right)",
        )
    if quantity is Quantity.GRAD_A:
        if one:
            return _Arithmetic(r"\frac{\partial L}{\partial a} = 2\,e\,x",
                               (checkable.double_product(errors[0], xs[0], result),), result,
                               lambda d: f"2 \\cdot {d.operand(errors[0])} \\cdot {d.operand(xs[0])}")
        return _Arithmetic(
            r"\frac{\partial L}{\partial a} = \frac{2}{n}\sum e_i x_i",
            (checkable.mean_gradient_a(errors, xs, result),), result,
            lambda d: "\\frac{2}{" + str(n) + "}\\left("
            + total([f"{d.operand(e)} \\cdot {d.operand(x)}" for e, x in zip(errors, xs, strict=True)]) + "\\right)",
        )
    if quantity is Quantity.GRAD_B:
        if one:
            return _Arithmetic(r"\frac{\partial L}{\partial b} = 2\,e", (checkable.double(errors[0], result),),
                               result, lambda d: f"2 \\cdot {d.operand(errors[0])}")
        return _Arithmetic(
            r"\frac{\partial L}{\partial b} = \frac{2}{n}\sum e_i", (checkable.mean_gradient_b(errors, result),),
            result, lambda d: f"\\frac{{2}}{{{n}}}\\left({total([d.operand(e) for e in errors])}\\right)",
        )
    is_a = quantity is Quantity.NEW_A
    name, value, grad = ("a", a, computed(basis.grad_a)) if is_a else ("b", b, computed(basis.grad_b))
    lr = given(basis.lr)
    rule = f"{name}_{{\\text{{new}}}} = {name} - \\text{{lr}} \\cdot \\frac{{\\partial L}}{{\\partial {name}}}"
    return _Arithmetic(rule, (checkable.step(value, lr, grad, result),), result,
                       lambda d: f"{d.tex(value)} - {d.operand(lr)} \\cdot {d.operand(grad)}")


def plugged(trajectory: Trajectory, step: int, quantity: Quantity) -> tuple[str, str]:
    """The formula of ``quantity`` (LaTeX "lhs = rule") and the rule with this round's numbers as the
    table shows them (a hint's formula: the student redoes it from the same numbers)."""
    arithmetic = _arithmetic(trajectory, step, quantity)
    return arithmetic.rule, arithmetic.numbers(Digits())


def layout_formula(trajectory: Trajectory, quantity: Quantity, rule: str, numbers: str, tail: str = "") -> str:
    """One line when short; the rule and the numbers on two aligned lines when it would not fit a phone."""
    if trajectory.experiment.single_point and not quantity.is_update:
        return f"{rule} = {numbers}{tail}"
    return aligned(rule.replace(" = ", " &= ", 1), f"&= {numbers}{tail}")


_WHY = {
    Quantity.Y_PRED: "The line's guess with this row's a and b.",
    Quantity.ERROR: "The guess minus the true answer: positive when the line guesses too high.",
    Quantity.LOSS: "The error squared, so every miss counts as positive and big misses count more.",
    Quantity.GRAD_A: "The chain rule on error²: 2·error, times x because a is multiplied by x.",
    Quantity.GRAD_B: "The chain rule on error²: 2·error (b is added as it is, so no x).",
    Quantity.NEW_A: "A step against the gradient, scaled by the learning rate.",
    Quantity.NEW_B: "The same step for b, with the gradient measured at the same (a, b) as a's.",
}
_WHY_SEVERAL = {
    Quantity.Y_PRED: "Point 1's guess with this row's a and b.",
    Quantity.ERROR: "Point 1's guess minus its true y: positive when the line guesses too high.",
    Quantity.LOSS: "The mean of every point's squared error.",
    Quantity.GRAD_A: "The mean over the points of 2·error·x.",
    Quantity.GRAD_B: "The mean over the points of 2·error.",
}


def working(trajectory: Trajectory, step: int, quantity: Quantity) -> Working:
    """"Show me": one value with its formula and numbers, ending in the value the table shows.

    Its numbers carry the digits that make the line add up, as the worked round's do (at the article's
    step 5, 1.61664 + 2.61664 ≈ 4.2333 where 1.6166 + 2.6166 gives 4.2332), and the text then says why.
    """
    arithmetic = _arithmetic(trajectory, step, quantity)
    digits = checkable.digits_for(arithmetic.links)
    why = _WHY if trajectory.experiment.single_point else {**_WHY, **_WHY_SEVERAL}
    text = why[quantity]
    if quantity.is_update and trajectory.experiment.hand:
        text += " In hand mode the result is rounded to 4 decimals."
    note = checkable.extra_digits_note(arithmetic.links, digits)
    if note:
        text += f" {note}"
    tail = f" {digits.sign(*arithmetic.links)} {digits.tex(arithmetic.result)}"
    formula = layout_formula(trajectory, quantity, arithmetic.rule, arithmetic.numbers(digits), tail)
    return Working(quantity, text, formula, arithmetic.result.value)


def round_changed(kept: Sequence[Quantity], dropped: Sequence[Quantity]) -> str:
    """Said once when the sidebar changed the experiment in the middle of a round."""
    redo = _and([SHORT_NAMES[q] for q in dropped])
    if not kept:
        return f"The experiment changed in the sidebar, so this round starts again: {redo} take its new numbers."
    held = _and([SHORT_NAMES[q] for q in kept])
    return (f"The experiment changed in the sidebar. Your {held} still hold with its numbers; {redo} "
            f"{'takes' if len(dropped) == 1 else 'take'} the new ones, so work {'it' if len(dropped) == 1 else 'them'} "
            "out again.")


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def round_finished(trajectory: Trajectory, step: int) -> str:
    """Said when a round is complete and its row joins the table."""
    a, b = plain(trajectory.a[step + 1]), plain(trajectory.b[step + 1])
    return f"Step {step} is complete and in the table. Row {step + 1} starts from a = {a}, b = {b}: your turn again."


def run_finished(trajectory: Trajectory) -> str:
    """Said when the last row of the run is worked out."""
    return (
        f"Step {trajectory.last_step} is complete: the last row of this run. Add steps in the sidebar to keep "
        "going, or pick an earlier step to try again."
    )


# --- the session's record ----------------------------------------------------------------------


def record_lines(answered: int, first_time: int, shown: int, mistakes: Sequence[tuple[str, int]]) -> list[str]:
    """The session's record as sentences: right first time, shown, and the mistakes seen."""
    if answered == 0:
        return ["Nothing answered yet in this session."]
    values = "value" if answered == 1 else "values"  # "0 of 1 value", not "0 of 1 values"
    lines = [f"{first_time} of {answered} {values} right the first time; {shown} shown with “Show me”."]
    if mistakes:
        seen = ", ".join(f"{name} (×{count})" for name, count in mistakes)
        lines.append(f"Mistakes seen: {seen}.")
    else:
        lines.append("No named mistake seen so far.")
    lines.append("This record lives only in this browser tab's session; nothing is stored.")
    return lines
