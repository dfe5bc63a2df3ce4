"""Hints on a typed value of "Your turn": right, the slip it came from, or the step to redo.

A hint never holds raw user text, only the student's number formatted like any other
(:func:`core.words.notation.as_typed`), so it is safe for Markdown. It names every slip the number
fits (:mod:`core.maths.diagnosis`), says in one sentence where it came from, and shows the step's
formula with the round's numbers plugged in but not its result: that is what "Show me" is for.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.diagnosis import Diagnosis, Match, Mistake, Quantity, Verdict, answer_decimals, exact_basis
from core.maths.training import Trajectory
from core.words.notation import DECIMALS, as_typed, cell, plain
from core.words.your_turn import (
    ONE_POINT_NAMES,
    SEVERAL_POINTS_NAMES,
    SHORT_NAMES,
    STEP_OF,
    layout_formula,
    plugged,
)

# How a hint's title names each slip: "Not yet: −3 is what you get with …".
MISTAKE_PHRASES = {
    Mistake.B_FORGOTTEN: "b left out of the prediction",
    Mistake.X_NOT_MULTIPLIED: "a added to x instead of multiplied",
    Mistake.SIGN_FLIPPED: "the error's sign flipped",
    Mistake.NOT_SQUARED: "the loss not squared",
    Mistake.NEGATIVE_SQUARE: "a minus sign on the square",
    Mistake.DOUBLED: "the error doubled instead of squared",
    Mistake.LOSS_FOR_ERROR: "the loss where the error belongs",
    Mistake.FACTOR_TWO: "the factor 2 forgotten",
    Mistake.SIGN_AND_FACTOR_TWO: "the error's sign flipped and the factor 2 forgotten",
    Mistake.X_FORGOTTEN: "x forgotten in ∂L/∂a",
    Mistake.GRADIENT_ADDED: "the gradient added instead of subtracted",
    Mistake.RATE_NOT_APPLIED: "the learning rate left out",
    Mistake.STEP_ONLY: "the step alone, not subtracted from the old value",
    Mistake.NOT_SIMULTANEOUS: "b updated with the new a",
    Mistake.NOT_UPDATED: "the old value, not updated",
    Mistake.WRONG_ROW: "a value from another row",
    Mistake.ROUND_VALUE: "another value of this round",
    Mistake.NOT_AVERAGED: "the sum where the mean belongs",
    Mistake.FIRST_POINT_ONLY: "point 1 alone",
    Mistake.POINT_LEFT_OUT: "a point left out",
    Mistake.OTHER_POINT: "another point's value",
    Mistake.TRUE_Y: "the true y where the prediction belongs",
    Mistake.ROUNDED: "rounding to fewer than 4 decimals",
}


# --- feedback on a typed value -----------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """What the page says about one typed value: a short title, a sentence, maybe a formula."""

    right: bool
    title: str
    text: str
    latex: str | None = None


def _mistake_sentence(trajectory: Trajectory, step: int, quantity: Quantity, match: Match) -> str:
    basis = exact_basis(trajectory, step)
    e = plain(basis.error)
    mistake = match.mistake
    if mistake is Mistake.B_FORGOTTEN:
        return "That is a·x alone: the prediction adds b to it, y_pred = a·x + b."
    if mistake is Mistake.X_NOT_MULTIPLIED:
        return "That is a + x + b: in the prediction a multiplies x, y_pred = a·x + b."
    if mistake is Mistake.NEGATIVE_SQUARE:
        if trajectory.experiment.single_point:
            negative = e.startswith("−")
            op = f"({e})" if negative else e
            signs = ", and a minus times a minus is a plus" if negative else ""
            return f"A square is never negative: {op}² = {op} × {op}{signs}. So the loss is 0 or more."
        # Said of each square: with errors of both signs the number typed may itself be positive.
        return ("A square is never negative: each point's error² is 0 or more, a negative error's too "
                "(a minus times a minus is a plus).")
    if mistake is Mistake.SIGN_FLIPPED:
        if quantity is Quantity.ERROR:
            return (
                "That is y_true − y_pred. The error is the prediction minus the truth, y_pred − y_true, "
                "so it is positive when the line guesses too high."
            )
        return (
            "That is what error = y_true − y_pred gives. Use error = y_pred − y_true"
            + (f" = {e}." if trajectory.experiment.single_point else " for every point.")
        )
    one = trajectory.experiment.single_point
    if mistake is Mistake.NOT_SQUARED:
        if one:
            return "That is the error itself: the loss is the error squared, error × error."
        return "That is the mean of the errors (or of their sizes): the loss squares each error before averaging."
    if mistake is Mistake.DOUBLED:
        if one:
            op = f"({e})" if e.startswith("−") else e
            return f"That is 2 × error. Squaring multiplies the error by itself: {op}² = {op} × {op}."
        return "That is the mean of 2 × error. Squaring multiplies each error by itself, error × error, not by 2."
    if mistake is Mistake.LOSS_FOR_ERROR:
        rule = "2·error·x" if quantity is Quantity.GRAD_A else "2·error"
        if one:
            return (f"That uses the loss, error², where the gradient takes the error itself: {rule}, with "
                    f"error = {e}. The 2 already comes from differentiating the square.")
        return (f"That uses each point's squared error where the gradient takes the error itself: the mean of "
                f"{rule}. The 2 already comes from differentiating the square.")
    if mistake is Mistake.FACTOR_TWO:
        return "The derivative of error² is 2·error, so both gradients carry a 2."
    if mistake is Mistake.SIGN_AND_FACTOR_TWO:
        return (
            "Two slips at once: the error is y_pred − y_true (not y_true − y_pred), and the derivative of "
            "error² is 2·error, so the gradient carries a 2."
        )
    if mistake is Mistake.X_FORGOTTEN:
        return (
            "That is ∂L/∂b. For a the chain rule adds a factor x, because a is multiplied by x in the "
            "prediction: 2·error·x."
        )
    if mistake is Mistake.GRADIENT_ADDED:
        return "You went uphill: the update subtracts lr × gradient, it does not add it."
    if mistake is Mistake.RATE_NOT_APPLIED:
        return (
            f"That moves by the whole gradient: multiply it by the learning rate {plain(basis.lr)} first, "
            "then subtract."
        )
    if mistake is Mistake.STEP_ONLY:
        name, old = ("a", basis.a) if quantity is Quantity.NEW_A else ("b", basis.b)
        return (
            f"That is the step lr × ∂L/∂{name} on its own. The update moves {name} by that step: "
            f"subtract it from {name} = {plain(old)}."
        )
    if mistake is Mistake.ROUND_VALUE and match.source is not None:
        return _round_value_sentence(quantity, match.source, one, e)
    if mistake is Mistake.NOT_UPDATED:
        name = quantity.value[-1]
        return (f"That is row {step}'s {name} as it was. The update moves it a step against its gradient: "
                f"{name} − lr × ∂L/∂{name}.")
    if mistake is Mistake.NOT_SIMULTANEOUS:
        return (
            "You measured b's gradient after a had already moved. Both gradients come from the same "
            f"(a, b) = ({plain(basis.a)}, {plain(basis.b)}): use this row's ∂L/∂b."
        )
    if mistake is Mistake.ROUNDED:
        return (
            f"Your working is right; only the digits fall short. The table keeps {DECIMALS} decimals and "
            f"the next values are checked against them: type {SHORT_NAMES[quantity]} with {DECIMALS} decimals."
        )
    if mistake is Mistake.FIRST_POINT_ONLY:
        n = trajectory.experiment.n_points
        return (
            f"Only point 1 is in it. The loss and both gradients take every point: the mean over all n = {n}, "
            "the other points' errors given in their table."
        )
    if mistake is Mistake.POINT_LEFT_OUT and match.point is not None:
        n, k = trajectory.experiment.n_points, match.point
        return (
            f"Point {k} is left out. The loss and both gradients take every point: the mean over all n = {n}, "
            f"point {k}'s error {plain(basis.errors[k - 1])} included."
        )
    if mistake is Mistake.OTHER_POINT and match.point is not None:
        k = match.point
        x_k, (x_1, y_1) = trajectory.experiment.xs[k - 1], trajectory.experiment.points[0]
        if quantity is Quantity.Y_PRED:
            return (f"Point {k}'s prediction is a·x + b at its x = {plain(x_k)}. This field asks for point 1's: "
                    f"the same a and b at x = {plain(x_1)}.")
        return (f"It comes from the other points' table. This field asks for point 1's error: your prediction "
                f"for point 1 minus its true y, {plain(y_1)}.")
    if mistake is Mistake.TRUE_Y:
        return ("That is the true answer, what the line should give. The prediction is what it gives now, with "
                "this row's a and b: y_pred = a·x + b. Training is there because the two differ.")
    if mistake is Mistake.NOT_AVERAGED:
        n = trajectory.experiment.n_points
        return f"That is the sum over the points: the loss and both gradients are means, so divide by n = {n}."
    row = match.row if match.row is not None else step
    return f"That is the {SHORT_NAMES[quantity]} of row {row}. This round is row {step}: use its a and b."


# What a field asks for, said of the value itself where a value of the round was typed in its place.
ITSELF = {Quantity.Y_PRED: "the prediction itself", Quantity.ERROR: "the error itself"}
# Why a later value of the round is not this one: what it does with the one asked for.
LATER = {
    Quantity.ERROR: "it compares the prediction with the truth",
    Quantity.LOSS: "it squares the error",
}


def _round_value_sentence(quantity: Quantity, source: Quantity, one: bool, error: str) -> str:
    """Another value of this round typed in this field: where that value sits in the round, and what this
    field asks for instead. A value from later on has not been reached yet; one from earlier is already
    in the student's working (the loss typed as a gradient: the gradient takes the error, not the loss).
    """
    names = ONE_POINT_NAMES if one else SEVERAL_POINTS_NAMES
    asked = f"{ITSELF[quantity]}, {names[quantity]}" if quantity in ITSELF else names[quantity]
    order = list(Quantity)
    ahead = order.index(source) - order.index(quantity)
    if ahead > 0:
        when = "next" if ahead == 1 else "later"
        why = f": {LATER[source]}" if source in LATER else " in the round"
        return f"The {SHORT_NAMES[source]} comes {when}{why}. This field asks for {asked}."
    if source is Quantity.LOSS and quantity in (Quantity.GRAD_A, Quantity.GRAD_B):
        rule = "2·error·x" if quantity is Quantity.GRAD_A else "2·error"
        if one:
            return f"The gradient takes the error itself, not the loss: {rule}, with error = {error}."
        return f"The gradient takes each point's error, not the loss: the mean of {rule}."
    return f"It is already in your working; this field asks for the next value, {asked}."


def feedback(trajectory: Trajectory, step: int, diagnosis: Diagnosis) -> Feedback:
    """Right, the named mistake(s), or the step's formula with the numbers plugged in."""
    quantity = diagnosis.quantity
    name = SHORT_NAMES[quantity]
    typed = as_typed(diagnosis.answer)  # 0.940252 stays 0.940252, never 0.9403
    if diagnosis.verdict is Verdict.RIGHT:
        shown = cell(diagnosis.exact)
        if cell(diagnosis.answer) == shown:
            return Feedback(True, f"Right: {name} = {shown}", "")
        # Right within the last digit (worked from the table's rounded numbers, say): say why they differ.
        return Feedback(True, f"Right: {name} = {shown}", (
            f"Your {typed} is close enough: the table keeps every digit and rounds only what it shows, so "
            "working from its rounded numbers can land a digit away."
        ))
    formula = layout_formula(trajectory, quantity, *plugged(trajectory, step, quantity))
    if diagnosis.verdict is Verdict.MISTAKE:
        first, *others = diagnosis.matches
        text = _mistake_sentence(trajectory, step, quantity, first)
        if others:
            also = " or ".join(_phrase(match) for match in others)
            text += f" (Your number also fits {also}.)"
        title = f"Not yet: {typed} is what you get with {MISTAKE_PHRASES[first.mistake]}"
        if first.mistake is Mistake.ROUND_VALUE and first.source is not None:
            several = not trajectory.experiment.single_point and first.source in POINT_ONE
            whose = "point 1's" if several else "this round's"
            title = f"Not yet: {typed} is {whose} {SHORT_NAMES[first.source]}"
        if first.mistake is Mistake.OTHER_POINT and first.point is not None and first.source is not None:
            title = f"Not yet: {typed} is point {first.point}'s {SHORT_NAMES[first.source]}"
        if first.mistake is Mistake.TRUE_Y:
            title = f"Not yet: {typed} is the true y, not the prediction"
        if first.mistake is Mistake.NOT_UPDATED:
            title = f"Not yet: {typed} is {quantity.value[-1]} before this update"
        if first.mistake is Mistake.ROUNDED:
            places = _decimals_words(answer_decimals(diagnosis.answer))
            title = f"Almost: {typed} is the right {name}, rounded to {places}"
        return Feedback(False, title, text, formula)
    number, title = STEP_OF[quantity]
    ordinal = ("first", "second", "third", "fourth")[number - 1]
    # Named as its field is ("2 · Loss"), not "step 2": the heading's step is the table's row.
    text = (
        f"It is none of the usual slips. Redo {number} · {title}, the {ordinal} of a round's four steps, "
        "from its formula."
    )
    if quantity in SECOND_HALF:  # the first value of its step is already right: redo this one only
        the_value = name if name.startswith("∂") else f"the {name}"
        text = (f"It is none of the usual slips. Redo {the_value}, the second half of {number} · {title}, "
                "from its formula.")
    if quantity is Quantity.LOSS and diagnosis.answer < 0:
        text = f"A loss is never negative: it is a square, or a mean of squares. {text}"
    the_name = name if name.startswith("∂") else f"the {name}"  # "is not the error", "is not ∂L/∂a"
    return Feedback(False, f"Not yet: {typed} is not {the_name}", text, formula)


# The second value of a step of the round: its field comes once the first value is done.
SECOND_HALF = (Quantity.ERROR, Quantity.GRAD_B, Quantity.NEW_B)
# With several points the student works out point 1's prediction and error only (the others are given).
POINT_ONE = (Quantity.Y_PRED, Quantity.ERROR)


def _phrase(match: Match) -> str:
    """A slip as the hint's "also fits" names it: with the point it left out, where there is one."""
    if match.mistake is Mistake.POINT_LEFT_OUT and match.point is not None:
        return f"point {match.point} left out"
    if match.mistake is Mistake.OTHER_POINT and match.point is not None and match.source is not None:
        return f"point {match.point}'s {SHORT_NAMES[match.source]}"
    return MISTAKE_PHRASES[match.mistake]


def _decimals_words(places: int) -> str:
    return "a whole number" if places == 0 else f"{places} decimal" + ("" if places == 1 else "s")
