"""The many-parameters page's figures: the data with the network's curve moving through the run, and its loss.

- The fit moves in the browser: the figure carries one frame per shown step (each frame only the
  curve's y values and a caption), with Play/Pause and a step slider run by Plotly, so stepping
  never reruns the page. Long runs get frames spaced evenly in log(step): a network changes most
  in its first updates, so early steps are shown densely and the thousandth is still reached.
- The y axis is fixed to the data (plus a margin): the curve moves, the picture does not jump.
  A curve outside that band is simply off the chart at that step; a diverging run is stopped by
  ``core.maths.network`` and the caption says so.
- The loss figure's linear axis stops at 4× the starting loss when a run diverges (as the loss
  curve page's does) and says where the run stopped; the log axis has room for all of it.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from core.figures import palette
from core.figures.curves import log_floor
from core.maths.network import X_RANGE, NetworkRun, target_curve, target_loss
from core.words.notation import chart_value, plain

FIT_HEIGHT = 470
TOP_ROOM = 60  # above the plot: the legend, room for two rows on a phone
LOSS_HEIGHT = 360
GRID_POINTS = 161  # where the fitted curve is drawn (smooth at full width, ~0.9 KB per frame)
MAX_FRAMES = 61
FRAME_MS = 120
BUTTON_ROW = 40
AXIS_ROOM = 48  # under the plot: the x axis and its title, before the controls
CONTROLS_ROOM = BUTTON_ROW + 40  # bottom margin below the x axis: Play/Pause, then the step slider
SLIDER_TICK_LIMIT = 12  # up to this many frames the slider shows a tick per frame
LINEAR_CAP_FACTOR = 4.0  # a growing loss leaves a linear chart at 4× its start (as the loss curve page)
TRANSPARENT = "rgba(0,0,0,0)"


def frame_steps(last_step: int, count: int = MAX_FRAMES) -> list[int]:
    """Every step for short runs; otherwise 0 and ``count − 1`` steps spaced evenly in log(step), ending at the last."""
    if last_step < count:
        return list(range(last_step + 1))
    spaced = np.unique(np.round(np.geomspace(1, last_step, count - 1)).astype(int))
    return [0, *(int(step) for step in spaced)]


def _caption(run: NetworkRun, step: int) -> str:
    """What the frame shows in the plot's corner: "step 137 · loss 0.0123"."""
    return f"step {step} · loss {chart_value(float(run.loop.loss[step]))}"


def _y_range(run: NetworkRun, grid: np.ndarray) -> list[float]:
    values = np.concatenate([run.data.ys, target_curve(run.settings.target, grid)])
    low, high = float(values.min()), float(values.max())
    pad = 0.15 * max(high - low, 0.5)
    return [low - pad, high + pad]


def _controls(steps: list[int], plot_height: float) -> dict:
    """Play/Pause and a step slider below the plot, on two rows so neither covers the other at 390 px.

    The slider's own labels stay hidden: the step and its loss are a text trace in the plot (see
    :func:`fit_figure`), which follows the page's theme and keeps every frame to its data alone —
    frames that change the layout doubled the figure's build time.
    """
    frame_args = {"mode": "immediate", "frame": {"duration": FRAME_MS, "redraw": False}, "transition": {"duration": 0}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": False}, "transition": {"duration": 0}}
    return {
        "updatemenus": [{
            "type": "buttons", "direction": "left", "showactive": False, "x": 0.0, "xanchor": "left",
            "y": -AXIS_ROOM / plot_height, "yanchor": "top", "pad": {"t": 0, "r": 0},
            "buttons": [
                {"label": "▶ Play", "method": "animate", "args": [None, {**frame_args, "fromcurrent": False}]},
                {"label": "❚❚ Pause", "method": "animate", "args": [[None], jump]},
            ],
        }],
        "sliders": [{
            "active": len(steps) - 1,
            "steps": [{"method": "animate", "label": str(step), "args": [[str(step)], jump]} for step in steps],
            "x": 0.0, "len": 1.0, "y": -(AXIS_ROOM + BUTTON_ROW) / plot_height, "yanchor": "top",
            "pad": {"t": 0, "b": 0, "l": 6, "r": 6},
            "currentvalue": {"visible": False},
            "ticklen": 3 if len(steps) <= SLIDER_TICK_LIMIT else 0,
            "minorticklen": 0,
            "font": {"color": TRANSPARENT},
        }],
    }


def fit_figure(run: NetworkRun) -> go.Figure:
    """The points, the curve they came from, and the network's curve at every shown step (frames)."""
    grid = np.linspace(*X_RANGE, GRID_POINTS)
    steps = frame_steps(run.last_step)
    curves = {step: run.curve(step, grid).astype(np.float32) for step in steps}  # float32: half the bytes
    last = steps[-1]
    y_range = _y_range(run, grid)
    model = "network" if run.network.units else "line a·x + b"  # 0 hidden units: the line itself
    data = [
        go.Scatter(
            x=run.data.xs, y=run.data.ys, mode="markers", name=f"{run.settings.points} points",
            marker={"color": palette.A, "size": 7, "symbol": "circle", "line": {"color": "white", "width": 1}},
            hovertemplate="x %{x:.3f}<br>y %{y:.3f}<extra>point</extra>",
        ),
        go.Scatter(
            x=grid, y=target_curve(run.settings.target, grid).astype(np.float32), mode="lines",
            name=f"target: {run.settings.target}",
            line={"color": palette.VALLEY, "width": 2, "dash": "dash"}, hoverinfo="skip",
        ),
        go.Scatter(
            x=grid, y=curves[last], mode="lines", name=model,
            line={"color": palette.PATH, "width": 4},
            hovertemplate=f"x %{{x:.3f}}<br>prediction %{{y:.3f}}<extra>{model}</extra>",
        ),
        go.Scatter(  # the step shown and its loss, in the page's text colour (frames change its text)
            x=[X_RANGE[1]], y=[y_range[0]], mode="text", text=[_caption(run, last)], textposition="top left",
            textfont={"size": 14}, showlegend=False, hoverinfo="skip",
        ),
    ]
    frames = [
        {
            "name": str(step),
            "data": [{"type": "scatter", "y": curves[step]}, {"type": "scatter", "text": [_caption(run, step)]}],
            "traces": [2, 3],
        }
        for step in steps
    ]
    fig = go.Figure(data=data, frames=frames)
    plot_height = FIT_HEIGHT - TOP_ROOM - AXIS_ROOM - CONTROLS_ROOM
    fig.update_layout(
        height=FIT_HEIGHT,
        margin={"l": 10, "r": 10, "t": TOP_ROOM, "b": AXIS_ROOM + CONTROLS_ROOM},
        legend={"orientation": "h", "x": 0.0, "y": 1.0, "xanchor": "left", "yanchor": "bottom", "bgcolor": TRANSPARENT},
        hovermode="closest",
        dragmode=False,
        uirevision="network-fit",
        **_controls(steps, plot_height),
    )
    fig.update_xaxes(title_text="x", range=list(X_RANGE), automargin=True)
    fig.update_yaxes(title_text="y", range=y_range, automargin=True)
    return fig


def loss_figure(run: NetworkRun, log_scale: bool = False) -> go.Figure:
    """The loss at every step, with the loss the target curve itself scores on these points for scale."""
    loss = np.asarray(run.loop.loss, dtype=float)
    steps = np.arange(len(loss))
    fig = go.Figure()
    floor = log_floor(loss)
    y = np.maximum(loss, floor) if log_scale else loss  # a loss of exactly 0 sits at the floor on a log axis
    fig.add_trace(
        go.Scatter(
            x=steps, y=y.astype(np.float32), mode="lines+markers" if len(loss) <= 60 else "lines", name="loss",
            line={"color": palette.LOSS, "width": 3}, marker={"size": 6, "color": palette.LOSS},
            hovertemplate="step %{x}<br>loss %{y:.4g}<extra></extra>",
        )
    )
    reference = target_loss(run)
    if reference > 0.0:
        fig.add_trace(
            go.Scatter(
                x=[0, max(run.steps, 1)], y=[reference, reference], mode="lines",
                name=f"the target curve itself: {plain(reference)}",
                line={"color": palette.VALLEY, "width": 2, "dash": "dash"},
                hovertemplate="the noiseless target scores %{y:.4g} on these points<extra></extra>",
            )
        )
    annotations = []
    if run.diverged:
        divergence = run.loop.divergence
        assert divergence is not None
        annotations.append({
            "text": f"stopped after step {divergence.last_step}: diverged", "x": divergence.last_step,
            "y": float(np.log10(y[-1])) if log_scale else min(float(y[-1]), LINEAR_CAP_FACTOR * float(loss[0])),
            "xanchor": "right", "yanchor": "top", "showarrow": True, "arrowhead": 2, "ax": -20, "ay": 20,
            "font": {"size": 12}, "bgcolor": "rgba(127,127,127,0.15)",
        })
    fig.update_layout(
        height=LOSS_HEIGHT,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0.0, "xanchor": "left"},
        hovermode="closest",
        dragmode=False,
        annotations=annotations,
        uirevision="network-loss",
    )
    fig.update_xaxes(title_text="step", range=[-0.3, max(run.steps, 1) + 0.3], tickformat="d", automargin=True)
    fig.update_yaxes(
        title_text="loss (log scale)" if log_scale else "loss", type="log" if log_scale else "linear",
        exponentformat="power" if log_scale else "none", automargin=True,
    )
    if not log_scale:
        top = max(float(loss.max()), reference)
        if run.diverged:
            top = min(top, LINEAR_CAP_FACTOR * float(loss[0]))
        fig.update_yaxes(range=[0.0, 1.05 * top if top > 0 else 1.0])
    return fig
