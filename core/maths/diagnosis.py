"""Checking a student's own round: right, a named mistake, or unknown.

"Your turn" asks the student for the values of one round of the step table, in the order of
the four steps: the prediction, the error, the loss, the two gradients, then the new a and b.
With several data points, what stays doable by hand is one point's prediction and error (the
other points' are given), then the mean loss and mean gradients over every point.

A typed number is **right** when it matches, to 4 decimals, the exact value, the value a hand
calculation gets from the table's 4-decimal numbers (:func:`hand_value`), or the one it gets from
the round's values as "Show me" shows them (:func:`shown_value`); for
values of 0.5 and more the match is relative, 1e-4 of the value, so a large number needs only
its first five digits. A number that is not right is compared with what each common mistake
gives from the same numbers (:func:`mistake_values`): every mistake it matches is named
(the listed slips; with several points a sum where a mean belongs, point 1 alone or a point left
out; a value of this round in the wrong field, such as y_pred or the loss for the error; and a's
or b's old value for its update).
A number that matches no slip but is the right value rounded to fewer decimals (4.93 for
4.9284) is named as rounding: the working was right, only the digits fall short
(:func:`rounded_decimals`). Anything else is **unknown**; the words then point to the step's
formula with the student's numbers plugged in (``core.words.your_turn``).

Later values are always checked against the right earlier ones: the page only opens a field
once the one before it is right or shown.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from core.maths.round_values import (  # noqa: F401  (Quantity and the bases are used through this module too)
    Basis,
    Quantity,
    exact_basis,
    exact_value,
    hand_basis,
    hand_value,
    mean,
    round_quantities,
    shown_value,
    table_value,
)
from core.maths.training import Trajectory
from core.words.notation import DECIMALS

ABSOLUTE_TOLERANCE = 0.5e-4  # half the last of 4 decimals
RELATIVE_TOLERANCE = 1e-4  # from |value| = 0.5 on, this is the larger one
# Rounding noise of the tolerance test itself (0.1 + 0.2 style float error).
FLOAT_SLACK = 1e-9
# A rounded answer is named as such only while its rounding keeps it within 5 % of the value:
# 4.93 for 4.9284 is rounding, 5 for 4.9284 or 0 for 0.3 is a guess.
ROUNDING_SHARE = 0.05


class Mistake(Enum):
    """The common slips of a hand calculation, in the order a hint names them."""

    B_FORGOTTEN = "b left out of the prediction"
    X_NOT_MULTIPLIED = "a added to x, not multiplied"
    SIGN_FLIPPED = "error sign flipped"
    NOT_SQUARED = "loss not squared"
    NEGATIVE_SQUARE = "a minus sign on the square"
    DOUBLED = "error doubled, not squared"
    LOSS_FOR_ERROR = "loss used where the error belongs"
    FACTOR_TWO = "factor 2 forgotten"
    SIGN_AND_FACTOR_TWO = "error sign flipped and factor 2 forgotten"
    X_FORGOTTEN = "x forgotten in ∂L/∂a"
    GRADIENT_ADDED = "gradient added, not subtracted"
    RATE_NOT_APPLIED = "learning rate not applied"
    STEP_ONLY = "step not subtracted from the old value"
    NOT_SIMULTANEOUS = "b updated with the new a"
    NOT_AVERAGED = "sum instead of mean"  # several points only
    FIRST_POINT_ONLY = "point 1 alone instead of the mean"  # several points only
    POINT_LEFT_OUT = "one point left out of the mean"  # several points (with two: point 2 alone)
    OTHER_POINT = "another point's value typed"  # several points: copied from the other points' table
    TRUE_Y = "the true y typed as the prediction"
    NOT_UPDATED = "old value kept, not updated"
    WRONG_ROW = "value from the wrong row"
    ROUND_VALUE = "another value of this round typed"
    ROUNDED = "rounded to fewer than 4 decimals"  # only when no slip above fits


class Verdict(Enum):
    RIGHT = "right"
    MISTAKE = "mistake"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    """One mistake a typed value matches.

    ``row`` is the table row it came from (wrong row, or not updated); ``source`` the value of
    this round it repeats (another value of this round only); ``point`` the point left out (1-based; a
    point left out only).
    """

    mistake: Mistake
    value: float
    row: int | None = None
    source: Quantity | None = None
    point: int | None = None


@dataclass(frozen=True)
class Diagnosis:
    """The verdict on one typed value, with everything the words need to explain it."""

    quantity: Quantity
    answer: float
    verdict: Verdict
    exact: float
    hand: float
    matches: tuple[Match, ...] = ()

    @property
    def right(self) -> bool:
        return self.verdict is Verdict.RIGHT

    @property
    def mistakes(self) -> tuple[Mistake, ...]:
        return tuple(match.mistake for match in self.matches)


def close(value: float, target: float) -> bool:
    """True when ``value`` matches ``target`` to 4 decimals (relative 1e-4 from 0.5 on)."""
    tolerance = max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(target)) * (1 + FLOAT_SLACK) + FLOAT_SLACK
    return abs(value - target) <= tolerance


def answer_decimals(answer: float) -> int:
    """How many decimals a typed number has, as the student wrote it (4.93 → 2, 13 → 0, 1e-05 → 5)."""
    exponent = Decimal(repr(float(answer))).normalize().as_tuple().exponent
    return max(0, -int(exponent))


def rounded_decimals(answer: float, targets: Sequence[float]) -> int | None:
    """The decimals ``answer`` keeps when it is one of ``targets`` rounded to fewer than 4; else None.

    4.93 is 4.9284 rounded to 2 decimals: within half of its last decimal (0.005) of it. A
    rounding that moves the number by more than :data:`ROUNDING_SHARE` of it is not counted.
    """
    places = answer_decimals(answer)
    if places >= DECIMALS:
        return None
    allowance = 0.5 * 10.0**-places
    for target in targets:
        near = abs(answer - target) <= allowance * (1 + FLOAT_SLACK) + FLOAT_SLACK
        if near and allowance <= ROUNDING_SHARE * abs(target):
            return places
    return None


def _mistakes_from(basis: Basis, quantity: Quantity) -> list[tuple[Mistake, float]]:
    """What each slip gives for ``quantity`` when the rest of the round is done right."""
    a, b, lr = basis.a, basis.b, basis.lr
    n = len(basis.xs)
    if n > 1 and quantity in (Quantity.LOSS, Quantity.GRAD_A, Quantity.GRAD_B):
        first = Basis(a, b, basis.xs[:1], basis.ys[:1], lr, basis.errors[:1])
        summed = [(Mistake.NOT_AVERAGED, n * basis.value(quantity)),
                  (Mistake.FIRST_POINT_ONLY, first.value(quantity))]
    else:
        summed = []
    if quantity is Quantity.Y_PRED:  # point 1's prediction, a·x₁ + b
        x = basis.xs[0]
        return [(Mistake.B_FORGOTTEN, a * x), (Mistake.X_NOT_MULTIPLIED, a + x + b), (Mistake.TRUE_Y, basis.ys[0])]
    if quantity is Quantity.ERROR:
        return [(Mistake.SIGN_FLIPPED, -basis.error)]
    if quantity is Quantity.LOSS:
        plain_mean = mean(list(basis.errors))
        size_mean = mean([abs(e) for e in basis.errors])
        doubled = mean([2 * e for e in basis.errors])  # "3² = 6"
        # "(−3)² = −9", or every square given a minus sign: a loss is never negative.
        sign_kept = mean([e * abs(e) for e in basis.errors])
        return [(Mistake.NOT_SQUARED, plain_mean), (Mistake.NOT_SQUARED, size_mean), (Mistake.DOUBLED, doubled),
                (Mistake.NEGATIVE_SQUARE, sign_kept), (Mistake.NEGATIVE_SQUARE, -basis.loss), *summed]
    # The gradient worked out from each squared error instead of the error (2·9·x for e = 3).
    squared = Basis(a, b, basis.xs, basis.ys, lr, tuple(e * e for e in basis.errors))
    if quantity is Quantity.GRAD_A:
        return [
            (Mistake.LOSS_FOR_ERROR, squared.grad_a),
            (Mistake.SIGN_FLIPPED, -basis.grad_a),
            (Mistake.FACTOR_TWO, basis.grad_a / 2),
            (Mistake.SIGN_AND_FACTOR_TWO, -basis.grad_a / 2),
            (Mistake.X_FORGOTTEN, basis.grad_b),
            *summed,
        ]
    if quantity is Quantity.GRAD_B:
        return [
            (Mistake.LOSS_FOR_ERROR, squared.grad_b),
            (Mistake.SIGN_FLIPPED, -basis.grad_b),
            (Mistake.FACTOR_TWO, basis.grad_b / 2),
            (Mistake.SIGN_AND_FACTOR_TWO, -basis.grad_b / 2),
            *summed,
        ]
    if quantity is Quantity.NEW_A:
        grad = basis.grad_a
        return [
            (Mistake.GRADIENT_ADDED, a + lr * grad),
            (Mistake.RATE_NOT_APPLIED, a - grad),
            (Mistake.STEP_ONLY, lr * grad),
        ]
    if quantity is Quantity.NEW_B:
        grad = basis.grad_b
        new_a = a - lr * basis.grad_a
        # The non-simultaneous update: b's gradient measured after a has already moved.
        shifted = [new_a * x + b - y for x, y in zip(basis.xs, basis.ys, strict=True)]
        late_grad = mean([2 * e for e in shifted])
        return [
            (Mistake.GRADIENT_ADDED, b + lr * grad),
            (Mistake.RATE_NOT_APPLIED, b - grad),
            (Mistake.STEP_ONLY, lr * grad),
            (Mistake.NOT_SIMULTANEOUS, b - lr * late_grad),
        ]
    return []


def _points_left_out(basis: Basis, quantity: Quantity) -> list[Match]:
    """One point forgotten in a mean: the mean of the others, or their sum still divided by n.

    From three points on (with two, leaving point 2 out is point 1 alone, named already; leaving
    point 1 out is point 2 alone, named here).
    """
    n = len(basis.xs)
    if n < 2 or quantity not in (Quantity.LOSS, Quantity.GRAD_A, Quantity.GRAD_B):
        return []
    matches = []
    for left_out in range(n if n > 2 else 1):
        keep = [i for i in range(n) if i != left_out]
        rest = Basis(basis.a, basis.b, tuple(basis.xs[i] for i in keep), tuple(basis.ys[i] for i in keep),
                     basis.lr, tuple(basis.errors[i] for i in keep))
        mean_of_rest = rest.value(quantity)
        matches += [Match(Mistake.POINT_LEFT_OUT, mean_of_rest, point=left_out + 1),
                    Match(Mistake.POINT_LEFT_OUT, mean_of_rest * (n - 1) / n, point=left_out + 1)]
    return matches


def _other_points(basis: Basis, quantity: Quantity) -> list[Match]:
    """Point k's prediction or error where point 1's is asked: the page lists them, worked out, beside the
    field. ``source`` says which of the two it is (a prediction copied into the error field too)."""
    if quantity not in (Quantity.Y_PRED, Quantity.ERROR):
        return []
    predictions = [basis.a * x + basis.b for x in basis.xs]
    matches = [Match(Mistake.OTHER_POINT, value, point=k, source=Quantity.Y_PRED)
               for k, value in enumerate(predictions[1:], start=2)]
    if quantity is Quantity.ERROR:
        matches += [Match(Mistake.OTHER_POINT, value, point=k, source=Quantity.ERROR)
                    for k, value in enumerate(basis.errors[1:], start=2)]
    return matches


def _column(trajectory: Trajectory, quantity: Quantity) -> Sequence[float]:
    columns = {
        Quantity.Y_PRED: trajectory.predictions[:, 0],
        Quantity.ERROR: trajectory.errors[:, 0],
        Quantity.LOSS: trajectory.loss,
        Quantity.GRAD_A: trajectory.gradient_a,
        Quantity.GRAD_B: trajectory.gradient_b,
        Quantity.NEW_A: trajectory.a,
        Quantity.NEW_B: trajectory.b,
    }
    return [float(v) for v in columns[quantity]]


def visible_rows(step: int, quantity: Quantity) -> range:
    """The rows a student can copy this quantity from: those above the one being worked out.

    For the new a and b that includes the picked row itself (its a and b are the old values).
    """
    return range(step + 1) if quantity.is_update else range(step)


def mistake_values(trajectory: Trajectory, step: int, quantity: Quantity) -> tuple[Match, ...]:
    """Every value a listed mistake produces for this quantity, from exact and from table numbers."""
    matches: list[Match] = []
    order = round_quantities(trajectory, step)
    others = list(order[: order.index(quantity)])  # done already: y_pred typed as the error, …
    if quantity is Quantity.ERROR:
        others.append(Quantity.LOSS)  # squared too early; other later values only match by chance
    if quantity is Quantity.Y_PRED:
        others.append(Quantity.ERROR)  # worked a step ahead (a playtest typed the error here)
    for basis in (exact_basis(trajectory, step), hand_basis(trajectory, step)):
        matches += [Match(mistake, value) for mistake, value in _mistakes_from(basis, quantity)]
        matches += _points_left_out(basis, quantity)
        matches += _other_points(basis, quantity)
        matches += [Match(Mistake.ROUND_VALUE, basis.value(q), source=q) for q in others]
    column = _column(trajectory, quantity)
    for row in visible_rows(step, quantity):  # for an update, the picked row's own a or b: not updated
        slip = Mistake.NOT_UPDATED if row == step else Mistake.WRONG_ROW
        matches.append(Match(slip, column[row], row))
    return tuple(match for match in matches if math.isfinite(match.value))


def diagnose(trajectory: Trajectory, step: int, quantity: Quantity, answer: float) -> Diagnosis:
    """Right, the mistakes the answer matches (each named once, in hint order), or unknown."""
    exact = exact_value(trajectory, step, quantity)
    hand = hand_value(trajectory, step, quantity)
    if close(answer, exact) or close(answer, hand) or close(answer, shown_value(trajectory, step, quantity)):
        return Diagnosis(quantity, answer, Verdict.RIGHT, exact, hand)
    found: dict[Mistake, Match] = {}
    for match in mistake_values(trajectory, step, quantity):
        if match.mistake not in found and close(answer, match.value):
            found[match.mistake] = match
    if len(found) > 1:
        found.pop(Mistake.ROUND_VALUE, None)  # a listed slip explains the same number better
    if not found and rounded_decimals(answer, (exact, hand)) is not None:
        found[Mistake.ROUNDED] = Match(Mistake.ROUNDED, exact)
    ordered = tuple(found[mistake] for mistake in Mistake if mistake in found)
    verdict = Verdict.MISTAKE if ordered else Verdict.UNKNOWN
    return Diagnosis(quantity, answer, verdict, exact, hand, ordered)
