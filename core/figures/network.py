"""The many-parameters page's figures: the data with the network's curve moving through the run, and its loss.

- The fit moves in the browser: the figure carries one frame per shown step (each frame only the
  curve's y values and a caption, and the arrowheads below if need be), with Play/Pause and a step
  slider run by Plotly, so stepping
  never reruns the page. Long runs get frames spaced evenly in log(step): a network changes most
  in its first updates, so early steps are shown densely and the thousandth is still reached.
- The y axis is fixed to the data (plus a margin): the curve moves, the picture does not jump.
  A curve that leaves that band whole (a diverging run, before ``core.maths.network`` stops it)
  is not left to vanish: arrowheads along the edge point where it went (their hover says how far:
  "network below the chart: y ≤" and the value), and the legend names the step it left at, as the
  loss curve page marks where its curve left the chart.
- Under the plot, in its own room: the x axis, then Play/Pause, then the step slider with its
  "step N" label (numbers under its ticks while they fit). They are placed in pixels below the
  plot, so a legend that wraps on a phone cannot push them into the axis title.
- The loss figure's step axis ends at the run's last step (a diverging run stops early: the axis
  does not run on to the steps asked for). Its linear axis stops at 4× the starting loss when a
  run diverges, as the loss curve page's does: the line runs off the top, a × on the edge marks the
  step it left at, and a note inside the plot says so. The log axis has room for the whole climb,
  with headroom above it for the note; it is the one to open on when the linear chart would show
  the start alone (:func:`linear_shows_only_the_start`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.figures import palette
from core.figures.curve_range import LINEAR_CAP_FACTOR, Exit, find_exit, log_floor
from core.figures.curves import EXIT_SYMBOL
from core.figures.figure_dict import figure_dict
from core.maths.network import X_RANGE, NetworkRun, climbing, target_curve, target_loss
from core.words.notation import chart_value, plain

TOP_ROOM = 60  # above the plot: the legend, room for two rows on a phone
PLOT_ROOM = 282  # the plot area itself
LOSS_HEIGHT = 360
GRID_POINTS = 161  # where the fitted curve is drawn (smooth at full width, ~0.9 KB per frame)
MAX_FRAMES = 61
FRAME_MS = 120
BUTTON_ROW = 40
AXIS_ROOM = 64  # under the plot: the x axis's numbers and its title (~56 px), before the controls
SLIDER_ROOM = 80  # the slider's "step N" label, its rail, ticks and numbers
CONTROLS_ROOM = BUTTON_ROW + SLIDER_ROOM  # bottom margin below the x axis: Play/Pause, then the step slider
FIT_HEIGHT = TOP_ROOM + PLOT_ROOM + AXIS_ROOM + CONTROLS_ROOM
STILL_HEIGHT = FIT_HEIGHT - CONTROLS_ROOM  # one frame only (no update): nothing to play, no controls
SLIDER_TICK_LIMIT = 12  # up to this many frames the slider shows a tick and a number per frame
EDGE_MARK_EVERY = 10  # an arrowhead at every 10th grid point (17) along the edge a curve left by
EDGE_MARK_INSET = 0.025  # …this share of the y range inside that edge
STEP_ROOM = 0.3  # steps of room at each end of the step axis, so the end markers are not cut
NOTE_ROOM = 0.25  # share of a diverging run's log axis left empty above the climb, for the note
TRANSPARENT = "rgba(0,0,0,0)"


def frame_steps(last_step: int, count: int = MAX_FRAMES) -> list[int]:
    """Every step for short runs; otherwise 0 and ``count − 1`` steps spaced evenly in log(step), ending at the last."""
    if last_step < count:
        return list(range(last_step + 1))
    spaced = np.unique(np.round(np.geomspace(1, last_step, count - 1)).astype(int))
    return [0, *(int(step) for step in spaced)]


def fit_grid() -> np.ndarray:
    """The x values the fitted curve is drawn at."""
    return np.linspace(*X_RANGE, GRID_POINTS)


def fit_y_range(run: NetworkRun, grid: np.ndarray) -> list[float]:
    """The fit chart's fixed y range: the points and the target curve, plus a margin."""
    values = np.concatenate([run.data.ys, target_curve(run.settings.target, grid)])
    low, high = float(values.min()), float(values.max())
    pad = 0.15 * max(high - low, 0.5)
    return [low - pad, high + pad]


def _side(curve: np.ndarray, y_range: list[float]) -> int:
    """+1 when the whole curve is above the chart, −1 when it is all below, 0 when some of it is on the chart."""
    if float(curve.min()) > y_range[1]:
        return 1
    if float(curve.max()) < y_range[0]:
        return -1
    return 0


@dataclass(frozen=True)
class OffChart:
    """The first step at which the model's whole curve lies beyond the fit chart, and where (+1 above, −1 below)."""

    step: int
    side: int


def first_off_chart(run: NetworkRun) -> OffChart | None:
    """Where the curve first leaves the chart whole (every step checked, not only the frames), or None."""
    grid = fit_grid()
    y_range = fit_y_range(run, grid)
    for step in range(run.last_step + 1):
        side = _side(run.curve(step, grid), y_range)
        if side:
            return OffChart(step, side)
    return None


def _caption(run: NetworkRun, step: int) -> str:
    """What the frame shows in the plot's corner: "step 137 · loss 0.0123" (or 1.833 × 10¹⁸, never e-notation)."""
    return f"step {step} · loss {chart_value(float(run.loop.loss[step]))}"


def _caption_place(side: int, y_range: list[float]) -> dict:
    """The caption sits in the bottom corner, or in the top one while the arrowheads fill the bottom edge.

    Either way it is one line in the band the y range leaves free above and below the data.
    """
    if side < 0:
        return {"y": [y_range[1]], "textposition": "bottom left"}
    return {"y": [y_range[0]], "textposition": "top left"}


def _edge_marks(grid: np.ndarray, curve: np.ndarray, side: int, y_range: list[float], model: str) -> dict:
    """Arrowheads along the edge the whole curve left by, pointing the way it went (none while it is on the chart).

    Their hover text says how far off it is: "network below the chart: y ≤" the curve's nearest value.
    """
    xs = grid[::EDGE_MARK_EVERY]
    if not side:
        # Gaps, not empty arrays: animated without a redraw, Plotly keeps the old points of a trace that empties.
        return {"x": xs, "y": [None] * len(xs), "text": ""}
    inset = EDGE_MARK_INSET * (y_range[1] - y_range[0])  # just inside the edge: clear of the axis's numbers
    edge = y_range[1] - inset if side > 0 else y_range[0] + inset
    where = f"above the chart: y ≥ {plain(float(curve.min()))}" if side > 0 else (
        f"below the chart: y ≤ {plain(float(curve.max()))}")
    return {"x": xs, "y": np.full(len(xs), edge), "text": f"{model} {where}",
            "marker": {"symbol": "triangle-up" if side > 0 else "triangle-down"}}


def _controls(steps: list[int]) -> dict:
    """Play/Pause and a step slider below the plot, on two rows so neither covers the other at 390 px.

    Both hang from the plot's bottom edge (``y`` 0) by a padding in pixels: placed as a share of
    the plot's height instead, they rose into the x axis's title whenever the plot came out shorter
    than planned. The slider says "step N" over its rail, as the loss surface's does, and numbers
    its ticks while they fit (up to SLIDER_TICK_LIMIT); a long run's ticks would crowd into a grey
    band, so it keeps only the label. With a single frame (no update) there is nothing to play:
    no controls at all.
    """
    if len(steps) < 2:
        return {"updatemenus": [], "sliders": []}
    frame_args = {"mode": "immediate", "frame": {"duration": FRAME_MS, "redraw": False}, "transition": {"duration": 0}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}
    numbered = len(steps) <= SLIDER_TICK_LIMIT
    return {
        "updatemenus": [{
            "type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
            "y": 0.0, "yanchor": "top", "pad": {"t": AXIS_ROOM, "r": 0},
            "buttons": [
                {"label": "▶ Play", "method": "animate", "args": [None, {**frame_args, "fromcurrent": False}]},
                {"label": "❚❚ Pause", "method": "animate", "args": [[None], jump]},
            ],
        }],
        "sliders": [{
            "active": len(steps) - 1,
            "steps": [{"method": "animate", "label": str(step), "args": [[str(step)], jump]} for step in steps],
            "x": 0.0, "len": 1.0, "y": 0.0, "yanchor": "top",
            "pad": {"t": AXIS_ROOM + BUTTON_ROW, "b": 0, "l": 6, "r": 6},
            "currentvalue": {"prefix": "step ", "visible": True, "xanchor": "left"},
            "ticklen": 3 if numbered else 0,
            "minorticklen": 0,
            "font": {} if numbered else {"color": TRANSPARENT},
        }],
    }


def fit_figure(run: NetworkRun) -> dict:
    """The points, the curve they came from, and the network's curve at every shown step (frames).

    A plain figure dict (:mod:`core.figures.figure_dict`), as is the loss figure: a first view of
    the page builds both, and Plotly's validation of their traces was most of that cost.
    """
    grid = fit_grid()
    steps = frame_steps(run.last_step)
    y_range = fit_y_range(run, grid)
    exact = {step: run.curve(step, grid) for step in steps}
    sides = {step: _side(curve, y_range) for step, curve in exact.items()}
    curves = {step: curve.astype(np.float32) for step, curve in exact.items()}  # float32: half the bytes
    last = steps[-1]
    model = "network" if run.network.units else "line a·x + b"  # 0 hidden units: the line itself
    word = "network" if run.network.units else "line"
    off = first_off_chart(run) if any(sides.values()) else None  # only a curve the frames show leaving needs it
    data = [
        dict(
            type="scatter", x=run.data.xs, y=run.data.ys, mode="markers", name=f"{run.settings.points} points",
            marker={"color": palette.A, "size": 7, "symbol": "circle", "line": {"color": "white", "width": 1}},
            hovertemplate="x %{x:.3f}<br>y %{y:.3f}<extra>point</extra>",
        ),
        dict(
            type="scatter", x=grid, y=target_curve(run.settings.target, grid).astype(np.float32), mode="lines",
            name=f"target: {run.settings.target}",
            line={"color": palette.VALLEY, "width": 2, "dash": "dash"}, hoverinfo="skip",
        ),
        dict(
            type="scatter", x=grid, y=curves[last], mode="lines", name=model,
            line={"color": palette.PATH, "width": 4},
            hovertemplate=f"x %{{x:.3f}}<br>prediction %{{y:.3f}}<extra>{model}</extra>",
        ),
        dict(  # the step shown and its loss, in the page's text colour (frames change its text)
            type="scatter", x=[X_RANGE[1]], text=[_caption(run, last)], mode="text",
            **_caption_place(sides[last], y_range), textfont={"size": 14}, showlegend=False, hoverinfo="skip",
        ),
    ]
    moving = [2, 3]
    if off is not None:  # the whole curve leaves the chart: arrowheads on the edge it left by
        marks = _edge_marks(grid, exact[last], sides[last], y_range, word)
        data.append(dict(
            type="scatter", x=marks["x"], y=marks["y"], text=marks["text"], mode="markers",
            name=f"{word} left the chart at step {off.step}",
            marker={"color": palette.PATH, "size": 11, "line": {"color": "white", "width": 1},
                    "symbol": "triangle-up" if (sides[last] or off.side) > 0 else "triangle-down"},
            hovertemplate="step shown: %{text}<extra></extra>",
        ))
        moving.append(4)

    def frame_data(step: int) -> list[dict]:
        caption = {"type": "scatter", "text": [_caption(run, step)]}
        if off is None:
            return [{"type": "scatter", "y": curves[step]}, caption]
        caption.update(_caption_place(sides[step], y_range))
        return [{"type": "scatter", "y": curves[step]}, caption,
                {"type": "scatter", **_edge_marks(grid, exact[step], sides[step], y_range, word)}]

    frames = [{"name": str(step), "data": frame_data(step), "traces": moving} for step in steps]
    if len(frames) < 2:
        frames = []  # one frame (no update): nothing to step through, and no controls
    layout = dict(
        height=FIT_HEIGHT if frames else STILL_HEIGHT,
        margin={"l": 10, "r": 10, "t": TOP_ROOM, "b": AXIS_ROOM + (CONTROLS_ROOM if frames else 0)},
        legend={"orientation": "h", "x": 0.0, "y": 1.0, "xanchor": "left", "yanchor": "bottom", "bgcolor": TRANSPARENT},
        hovermode="closest",
        dragmode=False,
        uirevision="network-fit",
        xaxis={"title": {"text": "x"}, "range": list(X_RANGE), "automargin": True},
        yaxis={"title": {"text": "y"}, "range": y_range, "automargin": True},
        **_controls(steps),
    )
    return figure_dict(data, layout, frames)


def linear_exit(run: NetworkRun) -> Exit | None:
    """Where a climbing run's loss leaves the linear chart (above 4× its start), or None (it never does).

    Only a climbing run (``core.maths.network.climbing``) is cut at the chart's top: a loss that jumps
    up and falls back again is drawn whole.
    """
    loss = np.asarray(run.loop.loss, dtype=float)
    if not climbing(run) or loss.size < 2:
        return None
    return find_exit(np.arange(loss.size), loss, -np.inf, LINEAR_CAP_FACTOR * max(float(loss[0]), 1e-12))


def linear_shows_only_the_start(run: NetworkRun) -> bool:
    """True when the loss leaves the linear chart in the run's first quarter (at the first update at least).

    That chart would show the start and little else: a network diverges fast (64 units at lr 10: 1.56,
    then 9.8 × 10⁴, … 2.3 × 10²⁰ at step 4; 32 units at lr 0.2 on the step: off at step 2 of 14), so the
    page opens the log axis on such a run, which shows the climb step by step (as the loss curve page
    does when its run leaves at the first update).
    """
    exit_ = linear_exit(run)
    return exit_ is not None and exit_.step <= max(1, run.last_step // 4)


def _climb_note(run: NetworkRun, exit_: Exit | None) -> str | None:
    """What the note in the plot says: where the loss left the chart (×), and where the run stopped."""
    lines = [] if exit_ is None else [f"× left the chart at step {exit_.step}"]
    if run.loop.divergence is not None:
        lines.append(f"stopped after step {run.loop.divergence.last_step}: diverged")
    return "<br>".join(lines) or None


def _note(text: str, right: bool) -> dict:
    """The note in a top corner of the plot, inside it: never cut at the figure's edge, never on a tick."""
    return {
        "text": text, "xref": "paper", "yref": "paper", "x": 1.0 if right else 0.0, "y": 1.0,
        "xanchor": "right" if right else "left", "yanchor": "top", "xshift": -6 if right else 6, "yshift": -4,
        "align": "right" if right else "left", "showarrow": False,
        "font": {"size": 12}, "bgcolor": "rgba(127,127,127,0.15)",
    }


def loss_figure(run: NetworkRun, log_scale: bool = False) -> dict:
    """The loss at every step, with the loss the target curve itself scores on these points for scale.

    A run that diverged: the step axis ends where it stopped; on the linear axis the line runs off the
    top at 4× the starting loss, where a × marks the step it left at (its hover gives the loss there);
    the log axis shows the whole climb. A note in the top corner away from the climb says both.
    """
    loss = np.asarray(run.loop.loss, dtype=float)
    steps = np.arange(len(loss))
    last = max(run.last_step, 1)
    exit_ = None if log_scale else linear_exit(run)
    keep = exit_.step + 1 if exit_ is not None else len(loss)  # the first point off the chart: the line heads there
    floor = log_floor(loss)
    y = np.maximum(loss, floor) if log_scale else loss  # a loss of exactly 0 sits at the floor on a log axis
    data = [
        dict(
            type="scatter", x=steps[:keep], y=y[:keep].astype(np.float32),
            mode="lines+markers" if len(loss) <= 60 else "lines",
            name="loss", line={"color": palette.LOSS, "width": 3}, marker={"size": 6, "color": palette.LOSS},
            hovertemplate="step %{x}<br>loss %{y:.4g}<extra></extra>",
        )
    ]
    reference = target_loss(run)
    if reference > 0.0:
        data.append(
            dict(
                type="scatter", x=[0, last], y=[reference, reference], mode="lines",
                name=f"the target curve itself: {plain(reference)}",
                line={"color": palette.VALLEY, "width": 2, "dash": "dash"},
                hovertemplate="the noiseless target scores %{y:.4g} on these points<extra></extra>",
            )
        )
    cap = LINEAR_CAP_FACTOR * float(loss[0])
    if exit_ is not None:
        data.append(dict(
            type="scatter", x=[exit_.step], y=[cap], mode="markers", name=f"left the chart at step {exit_.step}",
            marker={"symbol": EXIT_SYMBOL, "size": 16, "color": palette.LOSS, "line": {"width": 3}},
            cliponaxis=False,  # on the edge: half an "×" would read as a "v"
            hovertemplate=(f"left the chart at step {exit_.step}<br>loss there: {chart_value(exit_.value)}"
                           "<extra></extra>"),
        ))
    annotations = []
    note = _climb_note(run, exit_)
    if note is not None:
        # The climb ends at the right (log) or at the ×: the note takes the top corner away from it.
        away_right = exit_ is not None and exit_.step + 0.5 < 0.5 * last
        annotations.append(_note(note, right=away_right))
    x_axis = {"title": {"text": "step"}, "range": [-STEP_ROOM, last + STEP_ROOM], "tickformat": "d",
              "automargin": True}
    if last <= 12:
        x_axis["dtick"] = 1
    y_axis = {"title": {"text": "loss (log scale)" if log_scale else "loss"}, "type": "log" if log_scale else "linear",
              "exponentformat": "power" if log_scale else "none", "automargin": True}
    layout = dict(
        height=LOSS_HEIGHT,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0.0, "xanchor": "left"},
        hovermode="closest",
        dragmode=False,
        annotations=annotations,
        uirevision="network-loss",
        xaxis=x_axis,
        yaxis=y_axis,
    )
    shown = np.append(y[:keep], reference) if reference > 0.0 else y[:keep]
    if log_scale:
        if run.diverged:  # the whole climb, and room above it for the note
            low, high = math.log10(float(shown.min())), math.log10(float(shown.max()))
            y_axis["range"] = [low - 0.3, high + 0.3 + NOTE_ROOM * (high - low + 0.6)]
        return figure_dict(data, layout)
    top = float(shown.max())
    if exit_ is not None:
        top = cap
    elif run.diverged:
        top *= 1.0 + NOTE_ROOM  # stopped on the chart: room above the line for the note
    y_axis["range"] = [0.0, 1.05 * top if top > 0 else 1.0]
    return figure_dict(data, layout)
