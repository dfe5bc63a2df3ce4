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
from core.maths.training import Trajectory

# Fixed y-range caps for runs that grow: a few times the starting value on a linear axis,
# a million times on a log axis (which has room for it).
LINEAR_CAP_FACTOR = 4.0
LOG_CAP_FACTOR = 1e6


def log_floor(values: Sequence[float]) -> float:
    """Where exact zeros are drawn on a log axis: one decade below the smallest positive value."""
    positive = [v for v in values if v > 0.0 and math.isfinite(v)]
    if not positive:
        return 1e-3
    return 10.0 ** (math.floor(math.log10(min(positive))) - 1)


@dataclass(frozen=True)
class Exit:
    """Where a curve leaves the chart's range: between ``step - 1`` and ``step``."""

    step: int  # the first step whose value is outside the range
    x: float  # where the straight segment crosses the edge (in step units)
    y: float  # the edge it crosses
    value: float  # the value at ``step``, off the chart


def find_exit(
    steps: np.ndarray, values: np.ndarray, low: float, high: float, log_scale: bool = False
) -> Exit | None:
    """The first point outside [low, high] and where the drawn segment meets the edge.

    The crossing is computed in the axis's own coordinates (log10 on a log axis), so
    the "×" sits exactly where the drawn line meets the edge.
    """

    def axis(v: float) -> float:
        return math.log10(v) if log_scale else v

    xs, ys = [float(step) for step in steps], [axis(float(v)) for v in values]
    crossing = first_exit(xs, ys, (-math.inf, math.inf), (axis(low), axis(high)))
    if crossing is None:
        return None
    value = float(values[crossing.index])
    edge = high if value > high else low
    return Exit(step=int(steps[crossing.index]), x=crossing.x, y=edge, value=value)


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
    exit_ = find_exit(steps, y, low, cap, log_scale) if y.size else None
    if exit_ is not None:
        keep = exit_.step + 1  # keep the first point outside: the line heads off the chart
        return Curve(steps[:keep], y[:keep], zeros[:keep], exit_)
    return Curve(steps, y, zeros, None)
