"""The loss surface page's figures: the bowl in 3D and the same map seen from above.

Both draw one :class:`~core.figures.surface_scene.SurfaceScene` (built once per run) with the
traces of :mod:`core.figures.surface_traces`; this module lays them out. Both are plain figure
dicts (:mod:`core.figures.figure_dict`): a class arriving on new links builds the 3D view first,
and as a ``go.Figure`` validating its ~50 traces was most of what that cost.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.colors as plotly_colors

from core.figures import palette
from core.figures.exit_label import exit_label
from core.figures.figure_dict import figure_dict
from core.figures.step_labels import LABEL_FONT
from core.figures.surface_scene import (
    COLOURBAR,
    SurfaceScene,
    colour_ticks,
    corner_free_ticks,
    root_range,
    surface_colourscale,
)
from core.figures.surface_traces import (
    BUTTON_ROW,
    Coords,
    animation_controls,
    final_step,
    legend,
    moving_traces,
    static_traces,
    step_frames,
    style_moving,
)
from core.maths.surface import Window

SURFACE_HEIGHT = 600
CONTOUR_HEIGHT = 620
EXIT_TEXT = LABEL_FONT["color"]  # the step numbers' dark text ...
EXIT_BOX = "rgba(255,255,255,0.88)"  # ... on a light box: the exit label reads on any colour of the surface
# Bottom margins (px) hold the Play/Pause buttons and the step slider; the contour map's
# a axis takes AXIS_ROOM of its margin first.
CONTROLS_ROOM = BUTTON_ROW + 72
SURFACE_BOTTOM = CONTROLS_ROOM
AXIS_ROOM = 48
CONTOUR_BOTTOM = AXIS_ROOM + CONTROLS_ROOM
NO_CONTROLS_BOTTOM = 10  # a run with nothing to step through (0 updates) has no controls to make room for
TOP_MARGIN = 10
CONTOUR_LEVELS = 12


def build_surface_figure(scene: SurfaceScene, *, height: int = SURFACE_HEIGHT) -> dict:
    """The loss bowl L(a, b) in 3D with the valley, the landing point and the path."""
    coords = Coords(three_d=True, lift=scene.lift)
    surface = dict(
        type="surface",
        name="loss L(a, b)",
        x=scene.grid.a,
        y=scene.grid.b,
        z=scene.grid.loss,
        colorscale=surface_colourscale(scene.floor, scene.top),
        cmin=scene.floor,
        cmax=max(scene.top, scene.floor + 1e-9),
        # No colour bar in 3D: the height and the loss axis already read the loss, and on a phone
        # the bar covered the b axis's title. The top-down map, where colour is the loss, keeps one.
        showscale=False,
        opacity=0.93,
        hovertemplate="a = %{x:.3f}<br>b = %{y:.3f}<br>loss = %{z:.4f}<extra></extra>",
        lighting=dict(ambient=0.75, diffuse=0.5, specular=0.05, roughness=0.9),
        contours=dict(z=dict(show=False)),
    )
    static = static_traces(scene, coords)
    moving = style_moving(moving_traces(scene, coords, final_step(scene.path)), scene, coords)
    data = [surface, *static, *moving]
    frames, steps = step_frames(scene, coords, first_moving=1 + len(static))
    window_ = scene.window
    z_low = scene.floor - 0.02 * (scene.top - scene.floor)
    a_ticks, a_labels = corner_free_ticks(window_.a_min, window_.a_max)
    bottom = SURFACE_BOTTOM if frames else NO_CONTROLS_BOTTOM  # no controls: their room goes, not the plot's
    height -= SURFACE_BOTTOM - bottom
    layout = dict(
        height=height,
        margin=dict(l=0, r=0, t=TOP_MARGIN, b=bottom),
        uirevision="surface",
        legend=legend(),
        scene=dict(
            xaxis=dict(title=dict(text="a"), range=[window_.a_min, window_.a_max],
                       tickvals=a_ticks, ticktext=a_labels),
            yaxis=dict(title=dict(text="b"), range=[window_.b_min, window_.b_max]),
            zaxis=dict(title=dict(text="loss"), range=[z_low, scene.top + 2 * scene.lift]),
            aspectmode="manual",
            aspectratio=dict(x=0.92, y=0.92, z=0.7),
            camera=dict(eye=dict(x=0.66, y=-1.95, z=1.05), center=dict(x=-0.06, y=0, z=-0.1)),
            annotations=_exit_annotation(scene, three_d=True),
            uirevision="surface",
        ),
        **animation_controls(steps, redraw=True, plot_height=height - TOP_MARGIN - bottom, axis_room=0),
    )
    return figure_dict(data, layout, frames)


def build_contour_figure(scene: SurfaceScene, *, height: int = CONTOUR_HEIGHT) -> dict:
    """The same scene from above: contour lines of the loss, equal axes so "across" looks square."""
    coords = Coords(three_d=False, lift=0.0)
    low, high = root_range(scene)
    grid = scene.grid  # the 3D view's own grid (core.maths.surface.DEFAULT_GRID): as fine as a map needs
    tickvals, ticktext = colour_ticks(scene.floor, scene.top)
    contour = dict(
        type="contour",
        name="loss L(a, b)",
        x=grid.a,
        y=grid.b,
        z=np.sqrt(grid.loss).astype(np.float32),  # √loss: evenly spaced lines
        customdata=grid.loss,
        colorscale=plotly_colors.get_colorscale(palette.SURFACE_SCALE),  # the stops, as a go.Contour sent them
        reversescale=True,
        zmin=low,
        zmax=high,
        contours=dict(start=low, end=high, size=(high - low) / CONTOUR_LEVELS, coloring="fill", showlines=True),
        line=dict(width=0.6, color="rgba(255,255,255,0.6)"),
        colorbar=dict(COLOURBAR, tickvals=tickvals, ticktext=ticktext),
        hovertemplate="a = %{x:.3f}<br>b = %{y:.3f}<br>loss = %{customdata:.4f}<extra></extra>",
    )
    static = static_traces(scene, coords)
    moving = style_moving(moving_traces(scene, coords, final_step(scene.path)), scene, coords)
    frames, steps = step_frames(scene, coords, first_moving=1 + len(static))
    window_ = scene.window
    bottom = CONTOUR_BOTTOM if frames else AXIS_ROOM  # no controls: only the a axis needs the room
    height -= CONTOUR_BOTTOM - bottom
    layout = dict(
        height=height,
        margin=dict(l=0, r=0, t=TOP_MARGIN, b=bottom),
        uirevision="contour",
        # A finger's swipe scrolls the page, as on the other charts: a drag would box-zoom the map
        # (652 of a phone's 844 px). Zoom stays on the mode bar's + / − and reset buttons.
        dragmode=False,
        legend=legend(),
        # One tick step on both axes (the map is drawn to scale): on a phone plotly.js left a with
        # only 0 and 2 beside b's 1 to 5, and b's title sat against its "3" (teacher playtest).
        xaxis=dict(title=dict(text="a"), range=[window_.a_min, window_.a_max], constrain="domain",
                   dtick=map_tick_step(window_)),
        yaxis=dict(title=dict(text="b", standoff=12), range=[window_.b_min, window_.b_max], scaleanchor="x",
                   scaleratio=1, constrain="domain", dtick=map_tick_step(window_)),
        annotations=_exit_annotation(scene, three_d=False),
        # redraw=True: plotly.js animating without a redraw re-plots only the traces a frame names and
        # removes the subplot's other layers, so the contour's fill and lines vanished at the first frame.
        **animation_controls(
            steps, redraw=True, plot_height=height - TOP_MARGIN - bottom, axis_room=AXIS_ROOM
        ),
    )
    return figure_dict([contour, *static, *moving], layout, frames)


def map_tick_step(window_: Window) -> float:
    """A round tick step (1, 2 or 5 × 10ᵏ) giving the map's longer side 4 to 8 ticks."""
    span = max(window_.a_max - window_.a_min, window_.b_max - window_.b_min, 1e-12)
    power = 10.0 ** math.floor(math.log10(span / 8))
    return next(power * factor for factor in (1, 2, 5, 10) if span / (power * factor) <= 8)


def _exit_annotation(scene: SurfaceScene, three_d: bool) -> list[dict]:
    """A label at the point where the path crossed the edge, on the window's side of it."""
    exit_ = scene.path.exit
    if exit_ is None:
        return []
    window = scene.window
    right_half = exit_.a > (window.a_min + window.a_max) / 2
    top_half = exit_.b > (window.b_min + window.b_max) / 2
    label = exit_label(
        exit_.a, exit_.b, f"left the window after step {exit_.after_step}",
        leftwards=right_half, above=three_d or not top_half, colour=EXIT_TEXT,
    )
    # Dark text on a light box edged in the path's colour: the path's pink on the map's dark corner
    # read at 1.4–3.2 : 1 (keyboard playtest); this reads on every colour of the surface.
    label.update(bgcolor=EXIT_BOX, bordercolor=palette.PATH, borderwidth=1.5)
    if three_d:
        label["z"] = exit_.loss + scene.lift
    else:
        label.update(xref="x", yref="y")
    return [label]
