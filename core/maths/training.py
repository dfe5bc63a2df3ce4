"""Plain gradient descent on y_pred = a·x + b, one round at a time.

A round of training is four plain operations, named as the app names them:

1. ``predict``   — y_pred = a·x + b for every data point
2. ``measure_loss`` — the mean of the squared errors (for one point: error²)
3. ``compute_gradients`` — ∂L/∂a = mean(2·error·x), ∂L/∂b = mean(2·error)
4. ``update``    — a ← a − lr·∂L/∂a and b ← b − lr·∂L/∂b, both from the same (a, b)

:func:`train` repeats them and records every row of the step table. When the values
leave a safe range the run stops and says where and why, so no NaN or inf ever
reaches a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.maths.experiment import Experiment

HAND_DECIMALS = 4
# Beyond these the run counts as diverged. Starts are bounded by 1000 and x by 1000,
# so the first row is always inside; one further update stays far from float overflow.
PARAM_LIMIT = 1e12
LOSS_LIMIT = 1e24


# --- the four steps of one round --------------------------------------------------
# Plain Python floats and lists: with at most 50 points this is both the clearest
# form and faster than NumPy's per-call overhead (figures in PERFORMANCE.md).


def predict(a: float, b: float, xs: Sequence[float]) -> list[float]:
    """Step 1: the model's guess for every x."""
    return [a * x + b for x in xs]


def measure_loss(errors: Sequence[float]) -> float:
    """Step 2: mean squared error (with one point, simply error²)."""
    return sum(e * e for e in errors) / len(errors)


def compute_gradients(errors: Sequence[float], xs: Sequence[float]) -> tuple[float, float]:
    """Step 3: how the loss changes when a or b is nudged (chain rule on error²)."""
    n = len(errors)
    grad_a = sum(2 * e * x for e, x in zip(errors, xs, strict=True)) / n
    grad_b = sum(2 * e for e in errors) / n
    return grad_a, grad_b


def update(a: float, b: float, grad_a: float, grad_b: float, lr: float) -> tuple[float, float]:
    """Step 4: move both parameters against their gradients, simultaneously."""
    return a - lr * grad_a, b - lr * grad_b


# --- the recorded run ----------------------------------------------------------------


@dataclass(frozen=True)
class Divergence:
    """Where a run left the safe range: the update after ``last_step`` was not kept."""

    last_step: int
    quantity: str  # "a", "b" or "loss"
    value_sign: int  # +1 or -1: which way it ran off

    def describe(self) -> str:
        direction = "" if self.quantity == "loss" else (" (upwards)" if self.value_sign > 0 else " (downwards)")
        limit = "10²⁴" if self.quantity == "loss" else "10¹² in size"
        return (
            f"After step {self.last_step} the next update would push {self.quantity} beyond "
            f"{limit}{direction}: the run diverged, so it stops here."
        )


@dataclass(frozen=True)
class Trajectory:
    """Every row of the step table, as arrays indexed by step (row k is before update k+1).

    ``predictions`` and ``errors`` have one column per data point. ``gradient_a``,
    ``gradient_b`` and ``loss`` in row k are measured at that row's (a, b); the last
    row's gradient is shown but not applied.
    """

    experiment: Experiment
    a: np.ndarray
    b: np.ndarray
    predictions: np.ndarray
    errors: np.ndarray
    gradient_a: np.ndarray
    gradient_b: np.ndarray
    loss: np.ndarray
    divergence: Divergence | None

    @property
    def steps(self) -> np.ndarray:
        return np.arange(len(self.a))

    @property
    def n_rows(self) -> int:
        return len(self.a)

    @property
    def last_step(self) -> int:
        return len(self.a) - 1

    @property
    def diverged(self) -> bool:
        return self.divergence is not None

    def clamp_step(self, step: object) -> int:
        """A row index of this run from any picked step: too big after the run got shorter, negative, not a number."""
        try:
            row = int(step)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError):
            row = 0
        return min(max(row, 0), self.last_step)


def rounding_stall(trajectory: Trajectory) -> int | None:
    """In hand mode, the first step whose update rounding wiped out (a and b unchanged, gradient not 0).

    An update smaller than half the last kept decimal (0.00005) rounds back to the same 4-decimal
    values, so a hand calculation stops moving for good while exact arithmetic would crawl on.
    """
    if not trajectory.experiment.hand:
        return None
    for step in range(1, trajectory.n_rows):
        unchanged = trajectory.a[step] == trajectory.a[step - 1] and trajectory.b[step] == trajectory.b[step - 1]
        if unchanged and (trajectory.gradient_a[step - 1] != 0.0 or trajectory.gradient_b[step - 1] != 0.0):
            return step
    return None


def _round_like_by_hand(value: float) -> float:
    return round(value, HAND_DECIMALS)


def _unsafe(a: float, b: float, loss: float) -> str | None:
    if abs(a) > PARAM_LIMIT:
        return "a"
    if abs(b) > PARAM_LIMIT:
        return "b"
    if loss > LOSS_LIMIT:
        return "loss"
    return None


def train(experiment: Experiment) -> Trajectory:
    """Run gradient descent for ``experiment.steps`` updates and record every row."""
    xs, ys = experiment.xs, experiment.ys
    a, b = experiment.a0, experiment.b0

    # One flat list per column: NumPy builds arrays from flat lists faster than from a
    # list of per-row lists (PERFORMANCE.md).
    a_col: list[float] = []
    b_col: list[float] = []
    pred_col: list[float] = []
    error_col: list[float] = []
    grad_a_col: list[float] = []
    grad_b_col: list[float] = []
    loss_col: list[float] = []
    divergence: Divergence | None = None
    for step in range(experiment.steps + 1):
        y_pred = predict(a, b, xs)  # 1. predict
        errors = [p - y for p, y in zip(y_pred, ys, strict=True)]
        loss = measure_loss(errors)  # 2. measure the loss
        runaway = _unsafe(a, b, loss)
        if runaway is not None:  # the update that led here is not kept
            sign = {"a": a, "b": b, "loss": 1.0}[runaway]
            divergence = Divergence(last_step=step - 1, quantity=runaway, value_sign=1 if sign > 0 else -1)
            break
        grad_a, grad_b = compute_gradients(errors, xs)  # 3. compute the gradient
        a_col.append(a)
        b_col.append(b)
        pred_col.extend(y_pred)
        error_col.extend(errors)
        grad_a_col.append(grad_a)
        grad_b_col.append(grad_b)
        loss_col.append(loss)
        a, b = update(a, b, grad_a, grad_b, experiment.lr)  # 4. update
        if experiment.hand:
            a, b = _round_like_by_hand(a), _round_like_by_hand(b)

    n_rows, n_points = len(a_col), experiment.n_points
    return Trajectory(
        experiment=experiment,
        a=np.array(a_col),
        b=np.array(b_col),
        predictions=np.array(pred_col).reshape(n_rows, n_points),
        errors=np.array(error_col).reshape(n_rows, n_points),
        gradient_a=np.array(grad_a_col),
        gradient_b=np.array(grad_b_col),
        loss=np.array(loss_col),
        divergence=divergence,
    )
