"""Where a drawn path leaves its chart: the first point outside a box, and where it crosses the edge.

The loss curves (a value leaving the y range of its axis) and the loss surface (the path of
(a, b) leaving the window) both draw a run up to the edge of what they show and say where it
left. This is that geometry, once: the straight segment from the last point inside to the first
point outside, cut where it meets the box.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Range = tuple[float, float]  # (low, high) of one axis


@dataclass(frozen=True)
class EdgeExit:
    """Point ``index`` is the first outside the box; the segment from the point before meets the edge at (x, y)."""

    index: int
    x: float
    y: float


def _clamp(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


def first_exit(xs: Sequence[float], ys: Sequence[float], x_range: Range, y_range: Range) -> EdgeExit | None:
    """Where the path first leaves the box ``x_range`` × ``y_range``; None if it stays in.

    A bound may be infinite (a curve runs on along its steps).

    A path that starts outside "crosses" at its first point, moved onto the nearest edge.
    """
    (x_min, x_max), (y_min, y_max) = x_range, y_range
    index = next(
        (k for k, (x, y) in enumerate(zip(xs, ys, strict=True)) if not (x_min <= x <= x_max and y_min <= y <= y_max)),
        None,
    )
    if index is None:
        return None
    x1, y1 = float(xs[index]), float(ys[index])
    if index == 0:
        return EdgeExit(0, _clamp(x1, x_min, x_max), _clamp(y1, y_min, y_max))
    x0, y0 = float(xs[index - 1]), float(ys[index - 1])
    t = 1.0
    for start, end, low, high in ((x0, x1, x_min, x_max), (y0, y1, y_min, y_max)):
        delta = end - start
        if delta > 0 and end > high:
            t = min(t, (high - start) / delta)
        elif delta < 0 and end < low:
            t = min(t, (low - start) / delta)
    t = _clamp(t, 0.0, 1.0) if math.isfinite(t) else 1.0
    return EdgeExit(index, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
