"""The values of one round of the step table, and what they are worked out from.

A round is predict, measure the loss, compute the gradients, update (:class:`Quantity`, in that
order). :class:`Basis` holds a round's inputs, from the trajectory's own numbers
(:func:`exact_basis`) or as the table shows them to 4 decimals, what a student with pen and paper
works from (:func:`hand_basis`); each slip a hint can name is computed from the same inputs
(:mod:`core.maths.diagnosis`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from core.maths.training import Trajectory
from core.words.notation import cell


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


def mean(values: Sequence[float]) -> float:
    """The plain mean: every loss and gradient of several points averages over them."""
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
        return mean([e * e for e in self.errors])

    @property
    def grad_a(self) -> float:
        return mean([2 * e * x for e, x in zip(self.errors, self.xs, strict=True)])

    @property
    def grad_b(self) -> float:
        return mean([2 * e for e in self.errors])

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


def _on_paper(basis: Basis, earlier: Basis, quantity: Quantity) -> float:
    """``quantity`` worked from ``basis``, taking the prediction and the gradients it needs as
    ``earlier`` gives them, rounded to the table's 4 decimals (as a student carries them on)."""
    if quantity is Quantity.NEW_A:
        return basis.a - basis.lr * table_value(earlier.grad_a)
    if quantity is Quantity.NEW_B:
        return basis.b - basis.lr * table_value(earlier.grad_b)
    if quantity is Quantity.ERROR:
        return table_value(earlier.y_pred) - basis.ys[0]
    return basis.value(quantity)


def hand_value(trajectory: Trajectory, step: int, quantity: Quantity) -> float:
    """What pen and paper get from the table's 4-decimal numbers, each step from the last one rounded."""
    basis = hand_basis(trajectory, step)
    return _on_paper(basis, basis, quantity)


def shown_value(trajectory: Trajectory, step: int, quantity: Quantity) -> float:
    """What pen and paper get from the values as the page shows them: every earlier value of the round
    the exact one rounded to 4 decimals ("Show me" and the other points' table give exactly those).

    A third path beside :func:`exact_value` and :func:`hand_value`: at /?data=1:4,2:5,3:7, step 5,
    Show me gives y_pred 4.2516 (1.1714 + 3.0803 rounded is 4.2517), and the gradient worked from its
    error 0.2516 and the given 0.423 and −0.4056 is −0.0795; the exact one is −0.0793, the hand one
    −0.0794 (student playtest: a right working was told to redo the step).
    """
    exact = exact_basis(trajectory, step)
    shown = Basis(a=table_value(exact.a), b=table_value(exact.b), xs=exact.xs, ys=exact.ys, lr=exact.lr,
                  errors=tuple(table_value(e) for e in exact.errors))
    return _on_paper(shown, exact, quantity)


def still_right(before: Trajectory, after: Trajectory, step: int, done: Sequence[Quantity]) -> tuple[Quantity, ...]:
    """The values worked out in ``before``'s round at ``step`` that ``after``'s round gives too.

    A student who changes the sidebar mid-round (another learning rate) keeps what the change does
    not touch: the prediction, error, loss and gradients of row ``step`` depend on its a and b and
    the data, not on the rate (at row 0). Values are compared as the table shows them, exact and
    by hand; the first one that differs ends what is kept, because every later value is built on it.
    """
    if step > min(before.last_step, after.last_step):
        return ()
    kept = []
    for quantity in done:
        if quantity not in round_quantities(after, step):  # no update after the run's new last row
            break
        same = all(
            table_value(value(before, step, quantity)) == table_value(value(after, step, quantity))
            for value in (exact_value, hand_value)
        )
        if not same:
            break
        kept.append(quantity)
    return tuple(kept)
