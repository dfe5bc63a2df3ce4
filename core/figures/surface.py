"""The loss surface page's figures: the bowl in 3D and the same map seen from above.

Both figures show one scene — the loss over a window of (a, b), the valley of equally
good answers (or the single minimum), the landing point and the path of the run — so
:func:`surface_scene` gathers its numbers once from ``core.maths.surface``, ``core.maths.theory``
and ``core.maths.training``, and the two builders only draw them.

Why the figures look the way they do:

- Colour follows √loss, not loss. The loss is a parabola across the valley, so on a
  linear colour scale the whole floor would be one flat colour; √loss spreads the
  colours evenly with the distance from the floor. The colourbar's ticks still read
  in loss, so it is labelled honestly.
- Stepping through the run happens in the browser (Plotly frames + a slider), so no
  Streamlit rerun re-creates the figure and a camera the student rotated is kept.
  Frames carry only the path traces, never the surface.
- A run that leaves the window is drawn up to the window's edge, and the figure says
  where it left; nothing is clipped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import plotly.colors as plotly_colors
import plotly.graph_objects as go

from core.figures import palette
from core.maths.surface import (
    DEFAULT_GRID,
    LossGrid,
    Valley,
    Window,
    equally_good_answers,
    loss_at,
    loss_grid,
    plot_window,
    valley,
)
from core.maths.theory import Regime, landing_point, minimum_loss, regime
from core.maths.training import Trajectory
from core.words.notation import plain as fmt
from core.words.notation import point as fmt_point
from core.words.notation import valley_equation

SURFACE_HEIGHT = 600
CONTOUR_HEIGHT = 620
# Bottom margins (px) hold the Play/Pause buttons and the step slider; the contour map's
# a axis takes AXIS_ROOM of its margin first.
BUTTON_ROW = 40
CONTROLS_ROOM = BUTTON_ROW + 72
SURFACE_BOTTOM = CONTROLS_ROOM
AXIS_ROOM = 48
CONTOUR_BOTTOM = AXIS_ROOM + CONTROLS_ROOM
TOP_MARGIN = 10
# Steps 0 … FIRST_FRAMES − 1 get a frame each; a longer run adds one frame for its last
# step. Each frame holds the path so far, so this bounds the frames' total size.
FIRST_FRAMES = 60
FRAME_MS = 450
# The path and valley are drawn this share of the loss span above the surface, so the
# surface's own triangles never hide them.
LIFT_SHARE = 0.012
SLIDER_LABEL_LIMIT = 12  # more steps than this: the slider shows only the current step
TRANSPARENT = "rgba(0,0,0,0)"
COLOUR_STOPS = 17
# The top-down map is 2D only, so a coarser grid draws it as well at a third of the bytes.
CONTOUR_GRID = 61
CONTOUR_LEVELS = 12


# --- the scene ------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowExit:
    """Where the path crossed the window's edge: between ``after_step`` and the next step."""

    after_step: int
    a: float
    b: float
    loss: float
    next_a: float
    next_b: float

    def describe(self) -> str:
        return (
            f"The path leaves this window after step {self.after_step}: the next update jumps to "
            f"(a, b) = {fmt_point(self.next_a, self.next_b)}, crossing the edge near {fmt_point(self.a, self.b)}. "
            "It is drawn up to the edge; the step table has every value."
        )


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

    @property
    def has_valley(self) -> bool:
        return self.valley.is_line

    @property
    def lift(self) -> float:
        return LIFT_SHARE * max(self.top - self.floor, 1e-9)

    @property
    def valley_label(self) -> str:
        experiment = self.trajectory.experiment
        target = float(np.mean(experiment.ys))
        return f"valley {valley_equation(experiment.xs[0], target)}: loss {fmt(self.floor)}"

    @property
    def landing_label(self) -> str:
        where = fmt_point(*self.landing)
        if not self.has_valley:
            return f"least-squares minimum {where}: loss {fmt(self.floor)}"
        if self.regime.converges:
            return f"landing point {where}"
        return f"nearest valley point {where} (not reached)"


def _segment_exit(a0: float, b0: float, a1: float, b1: float, window: Window) -> tuple[float, float]:
    """The point where the segment from an inside point to an outside point crosses the window edge."""
    t = 1.0
    for start, end, low, high in ((a0, a1, window.a_min, window.a_max), (b0, b1, window.b_min, window.b_max)):
        delta = end - start
        if delta > 0 and end > high:
            t = min(t, (high - start) / delta)
        elif delta < 0 and end < low:
            t = min(t, (low - start) / delta)
    t = min(max(t, 0.0), 1.0)
    return a0 + t * (a1 - a0), b0 + t * (b1 - b0)


def path_in_window(trajectory: Trajectory, window: Window) -> PathInWindow:
    """The run up to its first step outside the window, plus where it crossed the edge.

    The window always holds the start; a run that leaves it (only a diverging one does)
    is followed no further, because everything after lies off the plot.
    """
    a_values, b_values = trajectory.a, trajectory.b
    inside = 1
    while inside < len(a_values) and window.contains(float(a_values[inside]), float(b_values[inside])):
        inside += 1
    exit_ = None
    if inside < len(a_values):
        last_a, last_b = float(a_values[inside - 1]), float(b_values[inside - 1])
        next_a, next_b = float(a_values[inside]), float(b_values[inside])
        edge_a, edge_b = _segment_exit(last_a, last_b, next_a, next_b, window)
        exit_ = WindowExit(
            after_step=inside - 1,
            a=edge_a,
            b=edge_b,
            loss=loss_at(trajectory.experiment, edge_a, edge_b),
            next_a=next_a,
            next_b=next_b,
        )
    return PathInWindow(
        steps=np.arange(inside),
        a=np.asarray(a_values[:inside], dtype=float),
        b=np.asarray(b_values[:inside], dtype=float),
        loss=np.asarray(trajectory.loss[:inside], dtype=float),
        exit=exit_,
        total_steps=len(a_values),
    )


def surface_scene(trajectory: Trajectory, size: int = DEFAULT_GRID) -> SurfaceScene:
    """Gather the numbers of both figures from core.maths.surface / core.maths.theory."""
    experiment = trajectory.experiment
    window = plot_window(trajectory)
    grid = loss_grid(experiment, window, size)
    return SurfaceScene(
        trajectory=trajectory,
        window=window,
        grid=grid,
        valley=valley(experiment, window),
        answers=equally_good_answers(experiment, window),
        landing=landing_point(experiment),
        floor=minimum_loss(experiment),
        top=float(np.max(grid.loss)),
        path=path_in_window(trajectory, window),
        regime=regime(experiment),
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
        return np.array([low]), _tick_texts([floor])
    step = _nice_step(high - low)
    first = math.ceil(low / step - 1e-9) * step
    roots = [float(r) for r in np.arange(first, high + step * 1e-6, step) if r >= low - 1e-12]
    if not roots or roots[0] - low > step * 0.3:
        roots.insert(0, low)
    values = np.array(roots, dtype=float)
    return values, _tick_texts([float(r * r) for r in values])


def _tick_texts(losses: list[float]) -> list[str]:
    """Short labels, with as many digits as it takes to tell them apart (a high floor needs more)."""
    if max(losses) < 1e4:
        texts = [fmt(v, 2) for v in losses]
        if len(set(texts)) == len(texts):
            return texts
    for digits in range(3, 16):
        texts = [f"{v:.{digits}g}" for v in losses]
        if len(set(texts)) == len(texts):
            return texts
    return texts


def _root_range(scene: SurfaceScene) -> tuple[float, float]:
    low = math.sqrt(max(scene.floor, 0.0))
    high = math.sqrt(max(scene.top, 0.0))
    return low, max(high, low + 1e-9)


COLOURBAR = dict(thickness=12, len=0.7, outlinewidth=0, title=dict(text="loss", side="top"))


# --- traces shared by both figures ------------------------------------------------------------------


def _path_customdata(path: PathInWindow) -> np.ndarray:
    """(step, a, b, loss) per drawn point, full precision for the hover text."""
    return np.column_stack([path.steps.astype(float), path.a, path.b, path.loss])


PATH_HOVER = (
    "<b>step %{customdata[0]:.0f}</b><br>a = %{customdata[1]:.4f}<br>b = %{customdata[2]:.4f}"
    "<br>loss = %{customdata[3]:.4f}<extra></extra>"
)


def _path_label(scene: SurfaceScene) -> str:
    updates = scene.path.total_steps - 1
    return f"path ({updates} update{'s' if updates != 1 else ''})"


def _frame_steps(path: PathInWindow) -> list[int]:
    """Which drawn steps get a frame: every one up to FIRST_FRAMES, then the last."""
    steps = list(range(min(path.last + 1, FIRST_FRAMES)))
    if path.last not in steps:
        steps.append(path.last)
    return steps


def _f32(values: np.ndarray | list[float]) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


@dataclass(frozen=True)
class _Coords:
    """How one figure places a point: 3D needs a height, 2D does not."""

    three_d: bool
    lift: float

    def xyz(self, a: np.ndarray, b: np.ndarray, loss: np.ndarray) -> dict:
        coords = {"x": _f32(a), "y": _f32(b)}
        if self.three_d:
            coords["z"] = _f32(np.asarray(loss) + self.lift)
        return coords

    def scatter(self, **kwargs: object) -> go.Scatter3d | go.Scatter:
        if self.three_d:
            return go.Scatter3d(**kwargs)
        return go.Scatter(**kwargs)


def _moving_traces(scene: SurfaceScene, coords: _Coords, upto: int, with_exit: bool) -> list[dict]:
    """The traces frames replace: the path up to step ``upto``, the current-step marker, the exit.

    Plain dicts: a figure validates its frames once, and validating Plotly trace objects
    first as well doubled the build time of long runs.
    """
    path = scene.path
    kind = "scatter3d" if coords.three_d else "scatter"
    n = upto + 1
    path_trace = {"type": kind, "mode": "lines+markers", **coords.xyz(path.a[:n], path.b[:n], path.loss[:n])}
    current = {
        "type": kind,
        "mode": "markers",
        **coords.xyz(path.a[upto:n], path.b[upto:n], path.loss[upto:n]),
    }
    exit_ = path.exit
    if exit_ is not None and with_exit:
        edge = coords.xyz(
            np.array([path.a[-1], exit_.a]), np.array([path.b[-1], exit_.b]), np.array([path.loss[-1], exit_.loss])
        )
    else:
        edge = coords.xyz(np.array([]), np.array([]), np.array([]))
    return [path_trace, current, {"type": kind, "mode": "lines+markers", **edge}]


def _static_traces(scene: SurfaceScene, coords: _Coords) -> list:
    """Valley (or minimum), equally good answers, landing point and start: never in frames."""
    traces = []
    marker_size = 5 if coords.three_d else 11
    if scene.has_valley:
        floor = np.full(len(scene.valley.a), scene.floor)
        traces.append(
            coords.scatter(
                name=scene.valley_label,
                mode="lines",
                line=dict(color=palette.VALLEY, width=7 if coords.three_d else 4),
                hovertemplate="valley: a = %{x:.3f}, b = %{y:.3f}<br>loss " + fmt(scene.floor) + "<extra></extra>",
                **coords.xyz(scene.valley.a, scene.valley.b, floor),
            )
        )
    if scene.answers:
        a = np.array([p[0] for p in scene.answers])
        b = np.array([p[1] for p in scene.answers])
        listed = ", ".join(fmt_point(*p) for p in scene.answers)
        traces.append(
            coords.scatter(
                name=f"equally good: {listed}",
                mode="markers",
                marker=dict(
                    color="white", size=marker_size, symbol="circle", line=dict(color=palette.VALLEY, width=3)
                ),
                hovertemplate="(a, b) = (%{x:.4g}, %{y:.4g})<br>loss " + fmt(scene.floor)
                + ", as good as any<extra></extra>",
                **coords.xyz(a, b, np.full(len(a), scene.floor)),
            )
        )
    landing_a, landing_b = scene.landing
    traces.append(
        coords.scatter(
            name=scene.landing_label,
            mode="markers",
            marker=dict(
                color=palette.LANDING,
                size=marker_size + 4 if coords.three_d else 18,
                symbol="diamond" if coords.three_d else "star",
                line=dict(color="white", width=1.5),
            ),
            hovertemplate=scene.landing_label + "<extra></extra>",
            **coords.xyz(np.array([landing_a]), np.array([landing_b]), np.array([scene.floor])),
        )
    )
    path = scene.path
    traces.append(
        coords.scatter(
            name=f"start {fmt_point(path.a[0], path.b[0])}",
            mode="markers",
            marker=dict(color=palette.START, size=marker_size + 3 if coords.three_d else 15, symbol="square",
                        line=dict(color="white", width=1.5)),
            hovertemplate=f"start {fmt_point(path.a[0], path.b[0])}<br>loss {fmt(path.loss[0])}<extra></extra>",
            **coords.xyz(path.a[:1], path.b[:1], path.loss[:1]),
        )
    )
    return traces


def _style_moving(traces: list[dict], scene: SurfaceScene, coords: _Coords) -> list[dict]:
    """Names, colours and hover of the moving traces (set once, in the figure's data)."""
    path_trace, current, exit_trace = traces
    width = 6 if coords.three_d else 3
    path_trace.update(
        name=_path_label(scene),
        line=dict(color=palette.PATH, width=width),
        marker=dict(color=palette.PATH, size=4 if coords.three_d else 8, line=dict(color="white", width=1)),
        customdata=_path_customdata(scene.path),
        hovertemplate=PATH_HOVER,
    )
    current.update(
        name="step shown",
        showlegend=False,
        marker=dict(color="white", size=7 if coords.three_d else 13, symbol="circle",
                    line=dict(color=palette.PATH, width=4)),
        hoverinfo="skip",
    )
    exit_ = scene.path.exit
    exit_trace.update(
        name="left the window" if exit_ else "",
        showlegend=exit_ is not None,
        line=dict(color=palette.PATH, width=width, dash="dash"),
        marker=dict(color=palette.PATH, size=[0, 7 if coords.three_d else 12], symbol=["circle", "x"]),
        hovertemplate=(
            f"left the window after step {exit_.after_step}<br>next step at {fmt_point(exit_.next_a, exit_.next_b)}"
            "<extra></extra>"
            if exit_
            else None
        ),
    )
    return traces


def _frames(scene: SurfaceScene, coords: _Coords, first_moving: int) -> tuple[list[dict], list[int]]:
    """One frame per step shown; each replaces only the three moving traces (``traces``), never the surface."""
    steps = _frame_steps(scene.path)
    indices = [first_moving, first_moving + 1, first_moving + 2]
    frames = [
        {
            "name": str(step),
            "data": _moving_traces(scene, coords, step, with_exit=step == scene.path.last),
            "traces": indices,
        }
        for step in steps
    ]
    return frames, steps


def _animation_controls(steps: list[int], redraw: bool, plot_height: float, axis_room: float) -> dict:
    """Play/Pause buttons and a step slider, all run by Plotly in the browser (no rerun).

    They sit in the bottom margin on two rows — buttons, then a full-width slider — so
    neither covers the other on a 390 px phone. ``axis_room`` (px) is left free under the
    plot area first, for the contour map's a axis.
    """
    frame_args = {
        "mode": "immediate",
        "frame": {"duration": FRAME_MS, "redraw": redraw},
        "transition": {"duration": 0},
    }
    show_labels = len(steps) <= SLIDER_LABEL_LIMIT
    slider_steps = [
        {
            "method": "animate",
            "label": str(step),
            "args": [[str(step)], {**frame_args, "frame": {"duration": 0, "redraw": redraw}}],
        }
        for step in steps
    ]
    return {
        "updatemenus": [
            {
                "type": "buttons",
                "direction": "left",
                "showactive": False,
                "x": 0.0,
                "xanchor": "left",
                "y": -axis_room / plot_height,
                "yanchor": "top",
                "pad": {"t": 0, "r": 0},
                "buttons": [
                    {"label": "▶ Play", "method": "animate", "args": [None, {**frame_args, "fromcurrent": False}]},
                    {"label": "❚❚ Pause", "method": "animate",
                     "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": redraw}}]},
                ],
            }
        ],
        "sliders": [
            {
                "active": len(steps) - 1,
                "steps": slider_steps,
                "x": 0.0,
                "len": 1.0,
                "y": -(axis_room + BUTTON_ROW) / plot_height,
                "yanchor": "top",
                "pad": {"t": 0, "b": 0, "l": 6, "r": 6},
                "currentvalue": {"prefix": "step ", "visible": True, "xanchor": "left"},
                "ticklen": 3 if show_labels else 0,
                "font": {} if show_labels else {"color": TRANSPARENT},
            }
        ],
    }


def _legend() -> dict:
    return dict(orientation="h", x=0.0, y=1.0, xanchor="left", yanchor="bottom", itemsizing="constant",
                bgcolor=TRANSPARENT)


# --- the figures -----------------------------------------------------------------------------


def build_surface_figure(
    trajectory: Trajectory,
    grid: LossGrid | None = None,
    window: Window | None = None,
    *,
    scene: SurfaceScene | None = None,
    height: int = SURFACE_HEIGHT,
) -> go.Figure:
    """The loss bowl L(a, b) in 3D with the valley, the landing point and the path.

    ``grid`` and ``window`` default to ``core.maths.surface``'s for this run; pass a ``scene``
    to share one with :func:`build_contour_figure`.
    """
    scene = scene or _scene_for(trajectory, grid, window)
    coords = _Coords(three_d=True, lift=scene.lift)
    surface = go.Surface(
        name="loss L(a, b)",
        x=scene.grid.a,
        y=scene.grid.b,
        z=scene.grid.loss,
        colorscale=surface_colourscale(scene.floor, scene.top),
        cmin=scene.floor,
        cmax=max(scene.top, scene.floor + 1e-9),
        colorbar=dict(COLOURBAR, x=1.0, xanchor="right", xpad=4),
        opacity=0.93,
        hovertemplate="a = %{x:.3f}<br>b = %{y:.3f}<br>loss = %{z:.4f}<extra></extra>",
        lighting=dict(ambient=0.75, diffuse=0.5, specular=0.05, roughness=0.9),
        contours=dict(z=dict(show=False)),
    )
    static = _static_traces(scene, coords)
    moving = _style_moving(_moving_traces(scene, coords, scene.path.last, with_exit=True), scene, coords)
    data = [surface, *static, *moving]
    frames, steps = _frames(scene, coords, first_moving=1 + len(static))
    fig = go.Figure(data=data, frames=frames)
    window_ = scene.window
    z_low = scene.floor - 0.02 * (scene.top - scene.floor)
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=TOP_MARGIN, b=SURFACE_BOTTOM),
        uirevision="surface",
        legend=_legend(),
        scene=dict(
            xaxis=dict(title=dict(text="a"), range=[window_.a_min, window_.a_max]),
            yaxis=dict(title=dict(text="b"), range=[window_.b_min, window_.b_max]),
            zaxis=dict(title=dict(text="loss"), range=[z_low, scene.top + 2 * scene.lift]),
            aspectmode="manual",
            aspectratio=dict(x=0.92, y=0.92, z=0.7),
            camera=dict(eye=dict(x=0.66, y=-1.95, z=1.05), center=dict(x=-0.06, y=0, z=-0.1)),
            annotations=_exit_annotation(scene, three_d=True),
            uirevision="surface",
        ),
        **_animation_controls(steps, redraw=True, plot_height=height - TOP_MARGIN - SURFACE_BOTTOM, axis_room=0),
    )
    return fig


def build_contour_figure(
    trajectory: Trajectory,
    grid: LossGrid | None = None,
    window: Window | None = None,
    *,
    scene: SurfaceScene | None = None,
    height: int = CONTOUR_HEIGHT,
) -> go.Figure:
    """The same scene from above: contour lines of the loss, equal axes so "across" looks square."""
    scene = scene or _scene_for(trajectory, grid, window)
    coords = _Coords(three_d=False, lift=0.0)
    low, high = _root_range(scene)
    grid = loss_grid(trajectory.experiment, scene.window, CONTOUR_GRID)
    tickvals, ticktext = colour_ticks(scene.floor, scene.top)
    contour = go.Contour(
        name="loss L(a, b)",
        x=grid.a,
        y=grid.b,
        z=np.sqrt(grid.loss).astype(np.float32),  # √loss: evenly spaced lines
        customdata=grid.loss,
        colorscale=palette.SURFACE_SCALE,
        reversescale=True,
        zmin=low,
        zmax=high,
        contours=dict(start=low, end=high, size=(high - low) / CONTOUR_LEVELS, coloring="fill", showlines=True),
        line=dict(width=0.6, color="rgba(255,255,255,0.6)"),
        colorbar=dict(COLOURBAR, tickvals=tickvals, ticktext=ticktext),
        hovertemplate="a = %{x:.3f}<br>b = %{y:.3f}<br>loss = %{customdata:.4f}<extra></extra>",
    )
    static = _static_traces(scene, coords)
    moving = _style_moving(_moving_traces(scene, coords, scene.path.last, with_exit=True), scene, coords)
    frames, steps = _frames(scene, coords, first_moving=1 + len(static))
    fig = go.Figure(data=[contour, *static, *moving], frames=frames)
    window_ = scene.window
    fig.update_layout(
        height=height,
        margin=dict(l=0, r=0, t=TOP_MARGIN, b=CONTOUR_BOTTOM),
        uirevision="contour",
        legend=_legend(),
        xaxis=dict(title=dict(text="a"), range=[window_.a_min, window_.a_max], constrain="domain"),
        yaxis=dict(title=dict(text="b"), range=[window_.b_min, window_.b_max], scaleanchor="x", scaleratio=1,
                   constrain="domain"),
        annotations=_exit_annotation(scene, three_d=False),
        **_animation_controls(
            steps, redraw=False, plot_height=height - TOP_MARGIN - CONTOUR_BOTTOM, axis_room=AXIS_ROOM
        ),
    )
    return fig


def _scene_for(trajectory: Trajectory, grid: LossGrid | None, window: Window | None) -> SurfaceScene:
    """A scene from core's window/grid, or from the ones given (a test or a finer grid)."""
    scene = surface_scene(trajectory)
    if grid is None and window is None:
        return scene
    window = window or scene.window
    grid = grid or loss_grid(trajectory.experiment, window)
    experiment = trajectory.experiment
    return SurfaceScene(
        trajectory=trajectory,
        window=window,
        grid=grid,
        valley=valley(experiment, window),
        answers=equally_good_answers(experiment, window),
        landing=scene.landing,
        floor=scene.floor,
        top=float(np.max(grid.loss)),
        path=path_in_window(trajectory, window),
        regime=scene.regime,
    )


def _exit_annotation(scene: SurfaceScene, three_d: bool) -> list[dict]:
    """A label at the point where the path crossed the edge, pointing in from the inside.

    The text is placed on the window's side of the point, so it is never cut off at the
    figure's edge (a phone leaves little room there).
    """
    exit_ = scene.path.exit
    if exit_ is None:
        return []
    window = scene.window
    right_half = exit_.a > (window.a_min + window.a_max) / 2
    top_half = exit_.b > (window.b_min + window.b_max) / 2
    label = dict(
        x=exit_.a,
        y=exit_.b,
        text=f"left the window after step {exit_.after_step}",
        showarrow=True,
        arrowhead=2,
        arrowcolor=palette.PATH,
        ax=-30 if right_half else 30,
        ay=-36 if three_d or not top_half else 36,
        xanchor="right" if right_half else "left",
        font=dict(color=palette.PATH, size=13),
        bgcolor="rgba(255,255,255,0.85)",
    )
    if three_d:
        label["z"] = exit_.loss + scene.lift
    else:
        label.update(xref="x", yref="y")
    return [label]


# --- the words beside the figure ------------------------------------------------------------------


def surface_notes(scene: SurfaceScene) -> list[str]:
    """Short Markdown paragraphs explaining what the figure shows, with this run's numbers."""
    notes: list[str] = []
    if scene.has_valley:
        notes.extend(_valley_notes(scene))
    else:
        notes.append(_minimum_note(scene))
    notes.append(_run_note(scene))
    return notes


def _valley_notes(scene: SurfaceScene) -> list[str]:
    experiment = scene.trajectory.experiment
    x = experiment.xs[0]
    target = float(np.mean(experiment.ys))
    equation = valley_equation(x, target)
    answers = " and ".join(fmt_point(*p) for p in scene.answers[:2])
    first = f"**A valley, not a single bottom.** Every (a, b) with {equation} "
    if experiment.n_points == 1:
        first += f"predicts exactly y = {fmt(target)}, so the loss is 0 along the whole green line"
    else:
        first += (
            f"predicts the mean y = {fmt(target)}. All points share x = {fmt(x)}, so no line can hit them all; "
            f"the lowest loss left is {fmt(scene.floor)}, the same all along the green line"
        )
    first += f": {answers} are as good as any." if answers else "."
    if x == 0:
        first += " With x = 0 the prediction ignores a, which is why the valley runs parallel to the a axis."
    landing = fmt_point(*scene.landing)
    direction = f"(x, 1) = ({fmt(x)}, 1)"
    second = (
        f"**Straight across.** Both gradients are 2·error times (x, 1), so every update moves (a, b) along "
        f"{direction} — at right angles to the valley, never along it. The run therefore heads for the valley's "
        f"point nearest the start, {landing}"
    )
    if x == 0:
        second += ": only b ever changes."
    else:
        second += "."
    return [first, second]


def _minimum_note(scene: SurfaceScene) -> str:
    experiment = scene.trajectory.experiment
    a, b = scene.landing
    xs = sorted(set(experiment.xs))
    if experiment.n_points == 2:
        (x1, y1), (x2, y2) = experiment.points
        return (
            f"**One bottom.** The second point pins (a, b) down: {valley_equation(x1, y1)} and "
            f"{valley_equation(x2, y2)} are two equations in two unknowns, and with different x they have "
            f"one solution, a = {fmt(a)}, b = {fmt(b)}. The valley has closed into a single lowest point."
        )
    if scene.floor <= 1e-12:
        fits = "fits every point exactly"
    else:
        fits = f"leaves the smallest possible loss, {fmt(scene.floor)}"
    return (
        f"**One bottom.** {experiment.n_points} points at {len(xs)} different x give {experiment.n_points} equations "
        f"for two unknowns, so (a, b) is pinned down: the least-squares answer a = {fmt(a)}, b = {fmt(b)} {fits}."
    )


def _run_note(scene: SurfaceScene) -> str:
    path = scene.path
    trajectory = scene.trajectory
    if path.exit is not None:
        text = f"**This run diverges.** {path.exit.describe()}"
        if trajectory.divergence is not None:
            text += f" {trajectory.divergence.describe()}"
        return text
    last = path.last
    where = fmt_point(path.a[-1], path.b[-1])
    text = f"**After {last} update{'s' if last != 1 else ''}** the run is at {where} with loss {fmt(path.loss[-1])}."
    if scene.regime is Regime.BOUNCING:
        text += " At this rate it jumps back and forth across the valley forever, never settling."
    elif scene.regime is Regime.OVERSHOOTING:
        text += " At this rate each update overshoots to the other side, but by less every time."
    if trajectory.divergence is not None:
        text += f" {trajectory.divergence.describe()}"
    return text




@dataclass(frozen=True)
class SurfaceView:
    """What the loss surface page shows: both figures and the words beside them."""

    surface: go.Figure
    contour: go.Figure
    notes: tuple[str, ...]


def build_surface_view(trajectory: Trajectory) -> SurfaceView:
    scene = surface_scene(trajectory)
    return SurfaceView(
        surface=build_surface_figure(trajectory, scene=scene),
        contour=build_contour_figure(trajectory, scene=scene),
        notes=tuple(surface_notes(scene)),
    )
