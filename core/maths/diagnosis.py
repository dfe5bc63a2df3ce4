"""Checking a student's own round: right, a named mistake, or unknown.

"Your turn" asks the student for the values of one round of the step table, in the order of
the four steps: the prediction, the error, the loss, the two gradients, then the new a and b.
With several data points, what stays doable by hand is one point's prediction and error (the
other points' are given), then the mean loss and mean gradients over every point.

A typed number is **right** when it matches, to 4 decimals, either the exact value or the
value a hand calculation gets from the table's 4-decimal numbers (:func:`hand_value`); for
values of 0.5 and more the match is relative, 1e-4 of the value, so a large number needs only
its first five digits. A number that is not right is compared with what each common mistake
gives from the same numbers (:func:`mistake_values`): every mistake it matches is named
(the listed slips; with several points a sum where a mean belongs, point 1 alone or a point left
out; and a value of this round already worked out typed again, such as y_pred for the error).
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

from core.maths.training import Trajectory
from core.words.notation import DECIMALS, cell

ABSOLUTE_TOLERANCE = 0.5e-4  # half the last of 4 decimals
RELATIVE_TOLERANCE = 1e-4  # from |value| = 0.5 on, this is the larger one
# Rounding noise of the tolerance test itself (0.1 + 0.2 style float error).
FLOAT_SLACK = 1e-9
# A rounded answer is named as such only while its rounding keeps it within 5 % of the value:
# 4.93 for 4.9284 is rounding, 5 for 4.9284 or 0 for 0.3 is a guess.
ROUNDING_SHARE = 0.05


class Quantity(Enum):
    """The values of one round, in the order the student works them out."""

    Y_PRED = "y_pred"
    ERROR = "error"
    LOSS = "loss"
    GRAD_A = "grad_a"
    GRAD_B = "grad_b"
    NEW_A = "new_a"
    NEW_B = "new_b"

    @property
    def is_update(self) -> bool:
        return self in (Quantity.NEW_A, Quantity.NEW_B)


class Mistake(Enum):
    """The common slips of a hand calculation, in the order a hint names them."""

    SIGN_FLIPPED = "error sign flipped"
    NOT_SQUARED = "loss not squared"
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
    WRONG_ROW = "value from the wrong row"
    EARLIER_VALUE = "earlier value of the round typed again"
    ROUNDED = "rounded to fewer than 4 decimals"  # only when no slip above fits


class Verdict(Enum):
    RIGHT = "right"
    MISTAKE = "mistake"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Match:
    """One mistake a typed value matches.

    ``row`` is the table row it came from (wrong row only); ``source`` the value of this round
    it repeats (an earlier value typed again only); ``point`` the point left out (1-based; a
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


def round_quantities(trajectory: Trajectory, step: int) -> tuple[Quantity, ...]:
    """What the student computes at ``step``: the whole round, or no update after the last row."""
    quantities = tuple(Quantity)
    return quantities if step < trajectory.last_step else quantities[:5]


def table_value(value: float) -> float:
    """A number as a table cell shows it (4 decimals, or 5 significant digits when scientific)."""
    text = cell(value)
    try:
        return float(text)
    except ValueError:  # the dash of a value that is not finite (never in a trajectory)
        return value


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


@dataclass(frozen=True)
class Basis:
    """The inputs of one round: the row's a and b, the data, the rate and every point's error.

    The exact basis has the trajectory's own numbers; the hand basis has them as the table
    shows them, which is what a student with pen and paper works from.
    """

    a: float
    b: float
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    lr: float
    errors: tuple[float, ...]  # point 1's comes from this basis' own prediction

    @property
    def y_pred(self) -> float:
        return self.a * self.xs[0] + self.b

    @property
    def error(self) -> float:
        return self.errors[0]

    @property
    def loss(self) -> float:
        return _mean([e * e for e in self.errors])

    @property
    def grad_a(self) -> float:
        return _mean([2 * e * x for e, x in zip(self.errors, self.xs, strict=True)])

    @property
    def grad_b(self) -> float:
        return _mean([2 * e for e in self.errors])

    def value(self, quantity: Quantity) -> float:
        """The right value of ``quantity`` from this basis' numbers."""
        if quantity is Quantity.NEW_A:
            return self.a - self.lr * self.grad_a
        if quantity is Quantity.NEW_B:
            return self.b - self.lr * self.grad_b
        return getattr(self, quantity.value)


def exact_basis(trajectory: Trajectory, step: int) -> Basis:
    experiment = trajectory.experiment
    return Basis(
        a=float(trajectory.a[step]),
        b=float(trajectory.b[step]),
        xs=experiment.xs,
        ys=experiment.ys,
        lr=experiment.lr,
        errors=tuple(float(e) for e in trajectory.errors[step]),
    )


def hand_basis(trajectory: Trajectory, step: int) -> Basis:
    """The table's 4-decimal numbers, each value worked out from the rounded one before it."""
    experiment = trajectory.experiment
    a, b = table_value(trajectory.a[step]), table_value(trajectory.b[step])
    x1, y1 = experiment.points[0]
    # Point 1's error comes from the student's own (rounded) prediction; the others are given.
    first = table_value(a * x1 + b) - y1
    others = [table_value(e) for e in trajectory.errors[step][1:]]
    errors = (table_value(first), *others)
    return Basis(a=a, b=b, xs=experiment.xs, ys=experiment.ys, lr=experiment.lr, errors=errors)


def exact_value(trajectory: Trajectory, step: int, quantity: Quantity) -> float:
    """The value the table shows (the next row's a or b for an update, rounded in hand mode)."""
    if quantity is Quantity.NEW_A:
        return float(trajectory.a[step + 1])
    if quantity is Quantity.NEW_B:
        return float(trajectory.b[step + 1])
    return exact_basis(trajectory, step).value(quantity)


def hand_value(trajectory: Trajectory, step: int, quantity: Quantity) -> float:
    """What pen and paper get from the table's 4-decimal numbers, each step from the last one rounded."""
    basis = hand_basis(trajectory, step)
    if quantity is Quantity.NEW_A:
        return basis.a - basis.lr * table_value(basis.grad_a)
    if quantity is Quantity.NEW_B:
        return basis.b - basis.lr * table_value(basis.grad_b)
    if quantity is Quantity.ERROR:
        return table_value(basis.y_pred) - basis.ys[0]
    if quantity is Quantity.Y_PRED:
        return basis.y_pred
    return basis.value(quantity)


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
    if quantity is Quantity.ERROR:
        return [(Mistake.SIGN_FLIPPED, -basis.error)]
    if quantity is Quantity.LOSS:
        plain_mean = _mean(list(basis.errors))
        size_mean = _mean([abs(e) for e in basis.errors])
        return [(Mistake.NOT_SQUARED, plain_mean), (Mistake.NOT_SQUARED, size_mean), *summed]
    if quantity is Quantity.GRAD_A:
        return [
            (Mistake.SIGN_FLIPPED, -basis.grad_a),
            (Mistake.FACTOR_TWO, basis.grad_a / 2),
            (Mistake.SIGN_AND_FACTOR_TWO, -basis.grad_a / 2),
            (Mistake.X_FORGOTTEN, basis.grad_b),
            *summed,
        ]
    if quantity is Quantity.GRAD_B:
        return [
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
        late_grad = _mean([2 * e for e in shifted])
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
    earlier = tuple(Quantity)[: tuple(Quantity).index(quantity)]
    for basis in (exact_basis(trajectory, step), hand_basis(trajectory, step)):
        matches += [Match(mistake, value) for mistake, value in _mistakes_from(basis, quantity)]
        matches += _points_left_out(basis, quantity)
        matches += [Match(Mistake.EARLIER_VALUE, basis.value(q), source=q) for q in earlier]
    column = _column(trajectory, quantity)
    matches += [Match(Mistake.WRONG_ROW, column[row], row) for row in visible_rows(step, quantity)]
    return tuple(match for match in matches if math.isfinite(match.value))


def diagnose(trajectory: Trajectory, step: int, quantity: Quantity, answer: float) -> Diagnosis:
    """Right, the mistakes the answer matches (each named once, in hint order), or unknown."""
    exact = exact_value(trajectory, step, quantity)
    hand = hand_value(trajectory, step, quantity)
    if close(answer, exact) or close(answer, hand):
        return Diagnosis(quantity, answer, Verdict.RIGHT, exact, hand)
    found: dict[Mistake, Match] = {}
    for match in mistake_values(trajectory, step, quantity):
        if match.mistake not in found and close(answer, match.value):
            found[match.mistake] = match
    if len(found) > 1:
        found.pop(Mistake.EARLIER_VALUE, None)  # a listed slip explains the same number better
    if not found and rounded_decimals(answer, (exact, hand)) is not None:
        found[Mistake.ROUNDED] = Match(Mistake.ROUNDED, exact)
    ordered = tuple(found[mistake] for mistake in Mistake if mistake in found)
    verdict = Verdict.MISTAKE if ordered else Verdict.UNKNOWN
    return Diagnosis(quantity, answer, verdict, exact, hand, ordered)
