"""What part of a loss curve a chart shows: the floor of a log axis, the cap, where a curve leaves.

The loss-curve figures (:mod:`core.figures.curves`) and the notes under them
(:mod:`core.words.curve_notes`) must agree on where a diverging curve leaves the chart and where
exact zeros sit on a log axis; both take it from here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.maths.edges import first_exit
from core.maths.network import CLIMB_FACTOR
from core.maths.training import Trajectory

# Fixed y-range caps for runs that grow: a few times the starting value on a linear axis,
# a million times on a log axis (which has room for it). The linear cap is the same fact as a
# network's "climbing" (core.maths.network): a loss beyond it has left the chart on every page.
LINEAR_CAP_FACTOR = CLIMB_FACTOR
LOG_CAP_FACTOR = 1e6


def log_floor(values: Sequence[float]) -> float:
    """Where exact zeros are drawn on a log axis: one decade below the smallest positive value."""
    positive = [v for v in values if v > 0.0 and math.isfinite(v)]
    if not positive:
        return 1e-3
    return 10.0 ** (math.floor(math.log10(min(positive))) - 1)


@dataclass(frozen=True)
class Exit:
    """Where a curve leaves the chart's range: the value at ``step`` lies beyond the edge ``y``.

    The "×" is drawn at (``step``, ``y``): on the edge, above (or below) the step whose value is off
    the chart. Drawn where the segment from the step before crosses the edge instead, a run that
    jumps from 9 to 3249 in one update put the "×" labelled "step 1" at about step 0.
    """

    step: int  # the first step whose value is outside the range
    y: float  # the edge it lies beyond
    value: float  # the value at ``step``, off the chart

    @property
    def x(self) -> float:
        """Where the "×" sits along the step axis: at the step itself."""
        return float(self.step)


def find_exit(steps: np.ndarray, values: np.ndarray, low: float, high: float) -> Exit | None:
    """The first step whose value is outside [low, high], and the edge it lies beyond."""
    xs, ys = [float(step) for step in steps], [float(v) for v in values]
    crossing = first_exit(xs, ys, (-math.inf, math.inf), (low, high))
    if crossing is None:
        return None
    value = float(values[crossing.index])
    edge = high if value > high else low
    return Exit(step=int(steps[crossing.index]), y=edge, value=value)


def chart_cap(reference: float, log_scale: bool) -> float:
    """The top of the y range: a fixed multiple of the reference (starting) loss."""
    factor = LOG_CAP_FACTOR if log_scale else LINEAR_CAP_FACTOR
    return factor * (reference if reference > 0.0 else 1.0)


@dataclass(frozen=True)
class Curve:
    """A loss curve ready to draw: y values (zeros raised to the floor on a log axis)."""

    x: np.ndarray
    y: np.ndarray
    zeros: np.ndarray  # mask of exact zeros (only raised on a log axis)
    exit: Exit | None


def loss_curve(trajectory: Trajectory, log_scale: bool, floor: float, cap: float) -> Curve:
    """The run's loss as drawn: zeros raised to the floor on a log axis, cut after it leaves the chart."""
    steps = trajectory.steps
    loss = trajectory.loss.astype(float)
    zeros = loss == 0.0 if log_scale else np.zeros(len(loss), dtype=bool)
    y = np.where(zeros, floor, loss) if log_scale else loss
    low = floor if log_scale else -math.inf
    exit_ = find_exit(steps, y, low, cap) if y.size else None
    if exit_ is not None:
        keep = exit_.step + 1  # keep the first point outside: the line heads off the chart
        return Curve(steps[:keep], y[:keep], zeros[:keep], exit_)
    return Curve(steps, y, zeros, None)


def linear_shows_only_the_start(trajectory: Trajectory) -> bool:
    """True when the loss leaves a linear chart at the first update: the chart would show step 0 alone.

    A fast divergence (lr 1.2 or 5 at the article's data: 9 → 130 or 9 → 3249) does that to the
    linear axis, which stops at 4× the starting loss. A log axis shows the same run as a straight
    climb over several steps, so the loss chart opens on it (the student can still pick linear).
    """
    loss = trajectory.loss.astype(float)
    if loss.size < 2:
        return False
    exit_ = loss_curve(trajectory, False, log_floor(loss), chart_cap(float(loss[0]), False)).exit
    return exit_ is not None and exit_.step <= 1


def signed_error(trajectory: Trajectory) -> np.ndarray:
    """The error of one point, or the mean error of several (its sign shows overshooting)."""
    return trajectory.errors.mean(axis=1) if trajectory.n_rows else np.zeros(0)


def error_exit(trajectory: Trajectory) -> tuple[Exit | None, float]:
    """Where the signed error leaves its chart, and the chart's bound (it spans −bound to bound).

    The bound is set by the start, as the loss's cap is: 4× the largest starting error.
    """
    error = signed_error(trajectory).astype(float)
    reference = float(np.max(np.abs(trajectory.errors[0]))) if trajectory.n_rows else 0.0
    cap = chart_cap(reference, False)
    return (find_exit(trajectory.steps, error, -cap, cap) if error.size else None), cap
