"""The traces both loss-surface figures share: the path, its frames, the valley and the markers.

Stepping through the run happens in the browser (Plotly frames + a slider), so no Streamlit
rerun re-creates the figure and a camera the student rotated is kept. Frames carry only the
path traces, never the surface. A run that leaves the window is drawn up to the window's edge
(``core.maths.surface.path_in_window``); nothing is clipped silently. The update that leaves gets
a frame of its own, the slider's last stop: the path runs on, dashed, to the ✕ on the edge. So
even a run that leaves after step 0 has two frames to step between, and a run with nothing to
step through (0 updates) gets no Play, Pause or slider at all. The map's step labels, one of the
traces frames replace, are :mod:`core.figures.step_labels`'.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.figures import palette
from core.figures.step_labels import LABEL_FONT, label_trace
from core.figures.surface_scene import SurfaceScene
from core.maths.surface import PathInWindow
from core.words.notation import plain, point

# Bottom margins (px) hold the Play/Pause buttons and the step slider.
BUTTON_ROW = 40
# Steps 0 … FIRST_FRAMES − 1 get a frame each; a longer run adds one frame for its last
# step. Each frame holds the path so far, so this bounds the frames' total size.
FIRST_FRAMES = 60
FRAME_MS = 450
SLIDER_LABEL_LIMIT = 12  # more steps than this: the slider shows only the current step
TRANSPARENT = "rgba(0,0,0,0)"


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


def final_step(path: PathInWindow) -> int:
    """The step the figure opens on: the last drawn one, or the one after it when that update leaves the window."""
    return path.last + 1 if path.exit is not None else path.last


def frame_steps(path: PathInWindow) -> list[int]:
    """Which steps get a frame: every one up to FIRST_FRAMES, then the last drawn, then the one that leaves."""
    steps = list(range(min(path.last + 1, FIRST_FRAMES)))
    for step in (path.last, final_step(path)):
        if step not in steps:
            steps.append(step)
    return steps


def _f32(values: np.ndarray | list[float]) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


@dataclass(frozen=True)
class Coords:
    """How one figure places a point: 3D needs a height, 2D does not."""

    three_d: bool
    lift: float

    def xyz(self, a: np.ndarray, b: np.ndarray, loss: np.ndarray) -> dict:
        coords = {"x": _f32(a), "y": _f32(b)}
        if self.three_d:
            coords["z"] = _f32(np.asarray(loss) + self.lift)
        return coords

    def scatter(self, **kwargs: object) -> dict:
        """A plain trace dict (``core.figures.figure_dict``): 3D or flat as the figure is."""
        return {"type": "scatter3d" if self.three_d else "scatter", **kwargs}


def moving_traces(scene: SurfaceScene, coords: Coords, step: int) -> list[dict]:
    """The traces frames replace: the path up to ``step``, the step's marker, the way out of the window.

    ``step`` one past the last drawn step is the update that leaves the window: the path is drawn
    whole, with the dashed line to the edge and its ✕, and no point is marked (it lies off the chart).
    Plain dicts, as every trace of these figures (``core.figures.figure_dict``).
    """
    path = scene.path
    kind = "scatter3d" if coords.three_d else "scatter"
    exit_ = path.exit
    leaving = exit_ is not None and step > path.last
    upto = min(step, path.last)
    n = upto + 1
    shown = n if leaving else upto  # the marked point: none while leaving
    path_trace = {"type": kind, "mode": "lines+markers", **coords.xyz(path.a[:n], path.b[:n], path.loss[:n])}
    current = {
        "type": kind,
        "mode": "markers",
        **coords.xyz(path.a[shown:n], path.b[shown:n], path.loss[shown:n]),
    }
    if exit_ is not None and leaving:
        edge = coords.xyz(
            np.array([path.a[-1], exit_.a]), np.array([path.b[-1], exit_.b]), np.array([path.loss[-1], exit_.loss])
        )
    else:
        edge = coords.xyz(np.array([]), np.array([]), np.array([]))
    traces = [path_trace, current, {"type": kind, "mode": "lines+markers", **edge}]
    if not coords.three_d:
        traces.append(label_trace(scene, upto))
    return traces


def static_traces(scene: SurfaceScene, coords: Coords) -> list[dict]:
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
                hovertemplate="valley: a = %{x:.3f}, b = %{y:.3f}<br>loss " + plain(scene.floor) + "<extra></extra>",
                **coords.xyz(scene.valley.a, scene.valley.b, floor),
            )
        )
    if scene.answers:
        a = np.array([p[0] for p in scene.answers])
        b = np.array([p[1] for p in scene.answers])
        listed = ", ".join(point(*p) for p in scene.answers)
        traces.append(
            coords.scatter(
                name=f"equally good: {listed}",
                mode="markers",
                marker=dict(
                    color="white", size=marker_size, symbol="circle", line=dict(color=palette.VALLEY, width=3)
                ),
                hovertemplate="(a, b) = (%{x:.4g}, %{y:.4g})<br>loss " + plain(scene.floor)
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
            name=f"start {point(path.a[0], path.b[0])}",
            mode="markers",
            marker=dict(color=palette.START, size=marker_size + 3 if coords.three_d else 15, symbol="square",
                        line=dict(color="white", width=1.5)),
            hovertemplate=f"start {point(path.a[0], path.b[0])}<br>loss {plain(path.loss[0])}<extra></extra>",
            **coords.xyz(path.a[:1], path.b[:1], path.loss[:1]),
        )
    )
    return traces


def style_moving(traces: list[dict], scene: SurfaceScene, coords: Coords) -> list[dict]:
    """Names, colours and hover of the moving traces (set once, in the figure's data)."""
    path_trace, current, exit_trace = traces[:3]
    width = 6 if coords.three_d else 3
    marker = dict(color=palette.PATH, size=4, line=dict(color="white", width=1))
    if not coords.three_d:
        # On the map each point after the start is an arrowhead pointing the way the update went, so
        # a run that goes back and forth along one line still shows its direction.
        count = len(scene.path.steps)
        marker.update(size=[8] + [12] * (count - 1), symbol=["circle"] + ["arrow"] * (count - 1),
                      angleref="previous")
    path_trace.update(
        name=_path_label(scene),
        line=dict(color=palette.PATH, width=width),
        marker=marker,
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
        marker=dict(color=palette.PATH, size=[0, 7 if coords.three_d else 14], symbol=["circle", "x"],
                    line=dict(color="white", width=0 if coords.three_d else 1.5)),
        hovertemplate=(
            f"left the window after step {exit_.after_step}<br>next step at {point(exit_.next_a, exit_.next_b)}"
            "<extra></extra>"
            if exit_
            else None
        ),
    )
    if not coords.three_d:
        exit_trace.update(cliponaxis=False)  # the ✕ sits on the window's edge, often a corner: drawn whole
    if len(traces) > 3:
        traces[3].update(name="step numbers", showlegend=False, hoverinfo="skip", cliponaxis=False,
                         textfont=LABEL_FONT)
    return traces


def step_frames(scene: SurfaceScene, coords: Coords, first_moving: int) -> tuple[list[dict], list[int]]:
    """One frame per step shown; each replaces only the moving traces (``traces``), never the surface.

    Those are the path, the step shown and the exit, and on the map the step numbers too. A run
    with a single frame (0 updates) gets none: there is nothing to step through.
    """
    steps = frame_steps(scene.path)
    if len(steps) < 2:
        return [], steps
    indices = list(range(first_moving, first_moving + len(moving_traces(scene, coords, 0))))
    frames = [
        {"name": str(step), "data": moving_traces(scene, coords, step), "traces": indices} for step in steps
    ]
    return frames, steps


def animation_controls(steps: list[int], redraw: bool, plot_height: float, axis_room: float) -> dict:
    """Play/Pause buttons and a step slider, all run by Plotly in the browser (no rerun).

    They sit in the bottom margin on two rows — buttons, then a full-width slider — so
    neither covers the other on a 390 px phone. ``axis_room`` (px) is left free under the
    plot area first, for the contour map's a axis. With fewer than two steps there is nothing
    to play or step through, and no controls at all (Play would do nothing and the slider
    would not be drawn).
    """
    if len(steps) < 2:
        return {"updatemenus": [], "sliders": []}
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


def legend() -> dict:
    return dict(orientation="h", x=0.0, y=1.0, xanchor="left", yanchor="bottom", itemsizing="constant",
                bgcolor=TRANSPARENT)
