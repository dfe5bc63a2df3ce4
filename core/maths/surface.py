"""The loss over a window of (a, b): the plot window, the grid, the minimiser set and the path inside it.

The grid comes from the quadratic form L = L* + ½ dᵀ H d around the landing point
(d = θ − θ_landing), which needs only the data's sufficient statistics: its cost does
not grow with the number of points, and the valley floor is exactly L* instead of a
difference of large numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.maths.edges import first_exit
from core.maths.experiment import Experiment
from core.maths.theory import all_x_equal, hessian, landing_point, minimum_loss, valley_target
from core.maths.training import Trajectory

# Points per side of the 3D bowl's grid. The loss is a quadratic, so a coarse grid draws it as
# smoothly as a fine one: at 61 its flat triangles rise a few per cent of the path's lift (2.3 % at the
# defaults) above the true bowl (tests/core/test_surface_grid.py); a screenshot beside 101's shows no
# difference, and the figure a student downloads on a first view is 40 KB smaller.
DEFAULT_GRID = 61
MIN_HALF_WIDTH = 1.0
MARGIN = 1.35
# Diverging paths are followed only while they stay within this many start distances.
PATH_REACH = 3.0


@dataclass(frozen=True)
class Window:
    a_min: float
    a_max: float
    b_min: float
    b_max: float

    def contains(self, a: float, b: float) -> bool:
        return self.a_min <= a <= self.a_max and self.b_min <= b <= self.b_max


def plot_window(trajectory: Trajectory) -> Window:
    """A square window around the landing point holding the start, the path and the valley.

    Square so that "across the valley" looks perpendicular. At the article's defaults
    it spans a, b within ±2 of (1.5, 2.5), which also holds (1, 3) and (0, 4).
    """
    experiment = trajectory.experiment
    centre_a, centre_b = landing_point(experiment)
    start_reach = max(abs(experiment.a0 - centre_a), abs(experiment.b0 - centre_b))
    limit = max(PATH_REACH * start_reach, MIN_HALF_WIDTH)
    # How far each row is from the centre (in the larger of a and b), all rows at once.
    step_reach = np.maximum(np.abs(trajectory.a - centre_a), np.abs(trajectory.b - centre_b))
    near = step_reach[step_reach <= limit]
    reach = max(start_reach, float(near.max())) if near.size else start_reach
    half = max(reach * MARGIN, MIN_HALF_WIDTH)
    return Window(centre_a - half, centre_a + half, centre_b - half, centre_b + half)


@dataclass(frozen=True)
class LossGrid:
    a: np.ndarray  # 1-D, float32
    b: np.ndarray  # 1-D, float32
    loss: np.ndarray  # shape (len(b), len(a)), float32: rows follow b, as Plotly expects


def loss_grid(experiment: Experiment, window: Window, size: int = DEFAULT_GRID) -> LossGrid:
    """L(a, b) on a size×size grid from the quadratic form (no loop over data points)."""
    a_axis = np.linspace(window.a_min, window.a_max, size)
    b_axis = np.linspace(window.b_min, window.b_max, size)
    centre_a, centre_b = landing_point(experiment)
    h = hessian(experiment)
    da = (a_axis - centre_a)[np.newaxis, :]
    db = (b_axis - centre_b)[:, np.newaxis]
    loss = minimum_loss(experiment) + 0.5 * (h[0, 0] * da * da + 2.0 * h[0, 1] * da * db + h[1, 1] * db * db)
    return LossGrid(
        a=a_axis.astype(np.float32),
        b=b_axis.astype(np.float32),
        loss=np.maximum(loss, 0.0).astype(np.float32),
    )


def loss_at(experiment: Experiment, a: float, b: float) -> float:
    """Loss at one (a, b), by the definition (mean squared error)."""
    xs = np.asarray(experiment.xs)
    ys = np.asarray(experiment.ys)
    return float(np.mean((a * xs + b - ys) ** 2))


@dataclass(frozen=True)
class Valley:
    """The minimiser set inside the window: a segment (a line of equally good answers) or a point."""

    a: np.ndarray
    b: np.ndarray
    is_line: bool

    @property
    def endpoints(self) -> tuple[tuple[float, float], tuple[float, float]]:
        return (float(self.a[0]), float(self.b[0])), (float(self.a[-1]), float(self.b[-1]))


def valley(experiment: Experiment, window: Window, samples: int = 60) -> Valley:
    """The line a·x + b = mean(y) clipped to the window, or the single least-squares point."""
    if not all_x_equal(experiment):
        a, b = landing_point(experiment)
        return Valley(np.array([a]), np.array([b]), is_line=False)
    x = experiment.xs[0]
    target = valley_target(experiment)
    # On the line b = target − x·a; keep the part of a where b is inside the window.
    low, high = window.a_min, window.a_max
    if x != 0.0:
        a_at_b_min = (target - window.b_min) / x
        a_at_b_max = (target - window.b_max) / x
        low = max(low, min(a_at_b_min, a_at_b_max))
        high = min(high, max(a_at_b_min, a_at_b_max))
    a_values = np.linspace(low, high, samples) if high > low else np.array([low])
    return Valley(a_values, target - x * a_values, is_line=True)


def equally_good_answers(experiment: Experiment, window: Window, count: int = 3) -> list[tuple[float, float]]:
    """A few round-numbered points on the valley inside the window, to show it is a whole line.

    At the article's defaults these include (1, 3) and (0, 4).
    """
    if not all_x_equal(experiment):
        return []
    x = experiment.xs[0]
    target = valley_target(experiment)
    landing = landing_point(experiment)
    candidates = []
    for a in range(int(np.floor(window.a_min)), int(np.ceil(window.a_max)) + 1):
        b = target - x * a
        if window.contains(a, b) and abs(a - landing[0]) > 1e-9:
            candidates.append((float(a), float(b)))
    candidates.sort(key=lambda p: abs(p[0] - landing[0]))
    return sorted(candidates[:count])


# --- the run inside the window ----------------------------------------------------------------


@dataclass(frozen=True)
class WindowExit:
    """Where the path crossed the window's edge: between ``after_step`` and the next step."""

    after_step: int
    a: float
    b: float
    loss: float
    next_a: float
    next_b: float



@dataclass(frozen=True)
class PathInWindow:
    """The steps of the run that lie inside the window (always a prefix of the run)."""

    steps: np.ndarray  # int
    a: np.ndarray
    b: np.ndarray
    loss: np.ndarray
    exit: WindowExit | None
    total_steps: int  # rows of the run, inside the window or not

    @property
    def last(self) -> int:
        return len(self.steps) - 1


def path_in_window(trajectory: Trajectory, window: Window) -> PathInWindow:
    """The run up to its first step outside the window, plus where it crossed the edge.

    The window always holds the start; a run that leaves it (only a diverging one does)
    is followed no further, because everything after lies off the plot.
    """
    a_values, b_values = trajectory.a, trajectory.b
    crossing = first_exit(
        a_values.tolist(), b_values.tolist(), (window.a_min, window.a_max), (window.b_min, window.b_max)
    )
    inside = len(a_values) if crossing is None else max(crossing.index, 1)
    exit_ = None
    if crossing is not None:
        exit_ = WindowExit(
            after_step=inside - 1,
            a=crossing.x,
            b=crossing.y,
            loss=loss_at(trajectory.experiment, crossing.x, crossing.y),
            next_a=float(a_values[inside]),
            next_b=float(b_values[inside]),
        )
    return PathInWindow(
        steps=np.arange(inside),
        a=np.asarray(a_values[:inside], dtype=float),
        b=np.asarray(b_values[:inside], dtype=float),
        loss=np.asarray(trajectory.loss[:inside], dtype=float),
        exit=exit_,
        total_steps=len(a_values),
    )
