"""Words for "Your turn": field labels, the round's table, the "Show me" working and the record.

Every number goes through :mod:`core.words.notation` (sentences) or the LaTeX helpers of
:mod:`core.words.explain` (formulas). The hints on a typed value are :mod:`core.words.hints`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.maths.diagnosis import (
    Quantity,
    exact_basis,
    exact_value,
    round_quantities,
)
from core.maths.training import Trajectory
from core.words.explain.latex import aligned, listing, relation
from core.words.notation import cell, latex, latex_operand, plain
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


def plugged(trajectory: Trajectory, step: int, quantity: Quantity) -> tuple[str, str, list[float]]:
    """The formula of ``quantity`` (LaTeX "lhs = rule"), the rule with this round's numbers, the numbers used."""
    basis = exact_basis(trajectory, step)
    x, y = basis.xs[0], basis.ys[0]
    n = len(basis.xs)
    one = n == 1
    if quantity is Quantity.Y_PRED:
        rule = r"y_{\text{pred}} = a\,x + b" if one else r"y_{\text{pred},1} = a\,x_1 + b"
        return rule, f"{latex(basis.a)} \\cdot {latex_operand(x)} + {latex_operand(basis.b)}", [basis.a, x, basis.b]
    if quantity is Quantity.ERROR:
        y_pred = basis.y_pred
        rule = r"e = y_{\text{pred}} - y" if one else r"e_1 = y_{\text{pred},1} - y_1"
        return rule, f"{latex(y_pred)} - {latex_operand(y)}", [y_pred, y]
    errors = list(basis.errors)
    if quantity is Quantity.LOSS:
        if one:
            return "L = e^2", f"{latex_operand(errors[0])}^2", errors
        squares = " + ".join(listing([f"{latex_operand(e)}^2" for e in errors]))
        return r"L = \frac{1}{n}\sum e_i^2", f"\\frac{{1}}{{{n}}}\\left({squares}\\right)", errors
    if quantity is Quantity.GRAD_A:
        if one:
            return r"\frac{\partial L}{\partial a} = 2\,e\,x", (
                f"2 \\cdot {latex_operand(errors[0])} \\cdot {latex_operand(x)}"), [errors[0], x]
        products = [f"{latex_operand(e)} \\cdot {latex_operand(xi)}" for e, xi in zip(errors, basis.xs, strict=True)]
        terms = " + ".join(listing(products))
        return (r"\frac{\partial L}{\partial a} = \frac{2}{n}\sum e_i x_i",
                f"\\frac{{2}}{{{n}}}\\left({terms}\\right)", [*errors, *basis.xs])
    if quantity is Quantity.GRAD_B:
        if one:
            return r"\frac{\partial L}{\partial b} = 2\,e", f"2 \\cdot {latex_operand(errors[0])}", errors
        terms = " + ".join(listing([latex_operand(e) for e in errors]))
        return (r"\frac{\partial L}{\partial b} = \frac{2}{n}\sum e_i",
                f"\\frac{{2}}{{{n}}}\\left({terms}\\right)", errors)
    name, value, grad = ("a", basis.a, basis.grad_a) if quantity is Quantity.NEW_A else ("b", basis.b, basis.grad_b)
    rule = f"{name}_{{\\text{{new}}}} = {name} - \\text{{lr}} \\cdot \\frac{{\\partial L}}{{\\partial {name}}}"
    return rule, f"{latex(value)} - {latex_operand(basis.lr, 8)} \\cdot {latex_operand(grad)}", [value, grad]


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
    """"Show me": one value with its formula and numbers, ending in the value the table shows."""
    rule, numbers, used = plugged(trajectory, step, quantity)
    value = exact_value(trajectory, step, quantity)
    why = _WHY if trajectory.experiment.single_point else {**_WHY, **_WHY_SEVERAL}
    text = why[quantity]
    if quantity.is_update and trajectory.experiment.hand:
        text += " In hand mode the result is rounded to 4 decimals."
    tail = f" {relation(*used, value)} {latex(value)}"
    return Working(quantity, text, layout_formula(trajectory, quantity, rule, numbers, tail), value)


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
