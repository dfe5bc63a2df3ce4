"""The scene both loss-surface figures draw, and how its loss becomes colour.

Both figures (the bowl in 3D and the same map from above, :mod:`core.figures.surface`) show one
scene — the loss over a window of (a, b), the valley of equally good answers (or the single
minimum), the landing point and the path of the run — so :func:`surface_scene` gathers its
numbers once from ``core.maths.surface``, ``core.maths.theory`` and ``core.maths.training``.

Colour follows √loss, not loss. The loss is a parabola across the valley, so on a linear
colour scale the whole floor would be one flat colour; √loss spreads the colours evenly with
the distance from the floor. The colourbar's ticks still read in loss, so it is labelled honestly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.colors as plotly_colors

from core.figures import palette
from core.maths.step_order import StepGroup, step_groups
from core.maths.surface import (
    DEFAULT_GRID,
    LossGrid,
    PathInWindow,
    Valley,
    Window,
    equally_good_answers,
    loss_grid,
    path_in_window,
    plot_window,
    valley,
)
from core.maths.theory import Regime, landing_point, minimum_loss, regime, valley_target
from core.maths.training import Trajectory
from core.words.notation import plain, point, tick_labels, valley_equation

# The path and valley are drawn this share of the loss span above the surface, so the
# surface's own triangles never hide them.
LIFT_SHARE = 0.012
COLOUR_STOPS = 17


@dataclass(frozen=True)
class SurfaceScene:
    """Everything both figures draw, computed once."""

    trajectory: Trajectory
    window: Window
    grid: LossGrid
    valley: Valley
    answers: list[tuple[float, float]]
    landing: tuple[float, float]
    floor: float  # the minimum loss
    top: float  # the highest loss on the grid
    path: PathInWindow
    regime: Regime
    groups: list[StepGroup]  # the map's step labels: steps that land on one spot share one

    @property
    def has_valley(self) -> bool:
        return self.valley.is_line

    @property
    def lift(self) -> float:
        return LIFT_SHARE * max(self.top - self.floor, 1e-9)

    @property
    def valley_label(self) -> str:
        experiment = self.trajectory.experiment
        target = valley_target(experiment)
        return f"valley {valley_equation(experiment.xs[0], target)}: loss {plain(self.floor)}"

    @property
    def landing_label(self) -> str:
        where = point(*self.landing)
        if not self.has_valley:
            return f"least-squares minimum {where}: loss {plain(self.floor)}"
        if self.regime.converges:
            return f"landing point {where}"
        return f"nearest valley point {where} (not reached)"


def surface_scene(trajectory: Trajectory, size: int = DEFAULT_GRID) -> SurfaceScene:
    """Gather the numbers of both figures from core.maths.surface / core.maths.theory."""
    experiment = trajectory.experiment
    window = plot_window(trajectory)
    grid = loss_grid(experiment, window, size)
    path = path_in_window(trajectory, window)
    return SurfaceScene(
        trajectory=trajectory,
        window=window,
        grid=grid,
        valley=valley(experiment, window),
        answers=equally_good_answers(experiment, window),
        landing=landing_point(experiment),
        floor=minimum_loss(experiment),
        top=float(np.max(grid.loss)),
        path=path,
        regime=regime(experiment),
        groups=step_groups(path, window),
    )


# --- colour: evenly spread over √loss, read in loss -----------------------------------------


def _root_fraction_to_loss(u: np.ndarray, floor: float, top: float) -> np.ndarray:
    """The loss whose √ lies the fraction ``u`` of the way from √floor to √top."""
    low, high = math.sqrt(max(floor, 0.0)), math.sqrt(max(top, floor, 0.0))
    return (low + u * (high - low)) ** 2


def surface_colourscale(floor: float, top: float, stops: int = COLOUR_STOPS) -> list[list]:
    """SURFACE_SCALE (light at the floor) placed along the loss axis so colour follows √loss.

    Used with the loss itself as the colour value, so the colourbar reads in plain loss
    while the colours still change as fast near the floor as higher up. Plotly blends
    linearly between the stops; with this many the bend is invisible.
    """
    u = np.linspace(0.0, 1.0, stops)
    colours = plotly_colors.sample_colorscale(palette.SURFACE_SCALE, list(1.0 - u))
    losses = _root_fraction_to_loss(u, floor, top)
    span = max(top - floor, 1e-12)
    positions = np.clip((losses - floor) / span, 0.0, 1.0)
    positions[0], positions[-1] = 0.0, 1.0
    return [[float(p), c] for p, c in zip(positions, colours, strict=True)]


def _nice_step(span: float, at_least: int = 4) -> float:
    """The largest 1/2/5 × 10ⁿ step that still cuts ``span`` into ``at_least`` parts."""
    magnitude = 10 ** math.floor(math.log10(span))
    for factor in (5, 2, 1, 0.5, 0.2, 0.1):
        if span / (factor * magnitude) >= at_least:
            return factor * magnitude
    return 0.05 * magnitude


def colour_ticks(floor: float, top: float) -> tuple[np.ndarray, list[str]]:
    """Ticks at evenly spaced √loss, labelled with the loss itself (0, 1, 4, 9, 16 at defaults).

    For the contour map, whose values are √loss so its lines are evenly spaced.
    """
    low, high = math.sqrt(max(floor, 0.0)), math.sqrt(max(top, floor, 0.0))
    if high - low <= 1e-12:
        return np.array([low]), tick_labels([floor])
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9) * step
    roots = [float(r) for r in np.arange(first, high + step * 1e-6, step) if r >= low - 1e-12]
    if not roots or roots[0] - low > step * 0.3:
        roots.insert(0, low)
    values = np.array(roots, dtype=float)
    return values, tick_labels([float(r * r) for r in values])


def corner_free_ticks(low: float, high: float) -> tuple[list[float], list[str]]:
    """Ticks for the 3D chart's a axis, none at its near corner (``low``).

    The loss axis stands on that corner with its own 0: an a tick there (−0.5 at the defaults)
    was drawn on top of it. The step is a 1/2/5 one giving five to ten ticks, as Plotly's own.
    """
    if high - low <= 1e-12:
        return [low], tick_labels([low])
    step = _nice_step(high - low, at_least=5)
    first = math.ceil(low / step - 1e-9) * step
    values = [round(float(v), 12) + 0.0 for v in np.arange(first, high + step * 1e-6, step) if v - low > 0.35 * step]
    return values, tick_labels(values)


def root_range(scene: SurfaceScene) -> tuple[float, float]:
    low = math.sqrt(max(scene.floor, 0.0))
    high = math.sqrt(max(scene.top, 0.0))
    return low, max(high, low + 1e-9)


COLOURBAR = dict(thickness=12, len=0.7, outlinewidth=0, title=dict(text="loss", side="top"))
