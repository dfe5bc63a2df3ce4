"""Plotly figures of the loss curve page: pure functions of core data.

Two honesty rules shape every figure here:

- A log axis has no place for 0, yet a loss can be exactly 0 (the one-step rate lands
  in one update; tiny losses also round to 0 in floating point). Such points are drawn
  at a floor below every real value, with their own marker and a hover that says
  "exactly 0", so the curve stays finite and nothing is hidden.
- A diverging curve is drawn as it is until it leaves a fixed range (a few times the
  starting value): the line runs on towards the first step outside it, and that step gets an
  "×" on the edge, at its own place on the step axis, with a note naming it. Nothing is clipped
  silently, and a run that ``core.maths.training`` stopped is marked where it stopped.

The template is left alone so Streamlit's theme (light or dark) styles the figures. They are plain
figure dicts (:mod:`core.figures.figure_dict`): a class arriving on new links builds them first,
and validating them as ``go.Figure`` objects was most of what that cost.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.figures import palette
from core.figures.curve_range import Curve, Exit, chart_cap, error_exit, log_floor, loss_curve, signed_error
from core.figures.exit_label import SHIFT_PX, exit_label, exits_note
from core.figures.figure_dict import figure_dict
from core.maths.comparison import RateRun
from core.maths.experiment import Experiment
from core.maths.theory import minimum_loss
from core.maths.training import Trajectory
from core.words import notation

HEIGHT = 380
COMPARISON_HEIGHT = 420
EXIT_SYMBOL = "x-thin-open"
# How much of the y axis a note on the edge may take up, at most (the error panel of the loss curve's
# first tab is ~130 px high on a phone, and a note ~18 px): the note ends before the line does there.
LABEL_SHARE = 0.2
# Whether a note fits right of its "×" is judged on a 390 px phone, whose plot area is ~290 px wide,
# with ~6 px per character of a 12 px note: both rounded the safe way.
PHONE_PLOT_PX = 280
NOTE_CHAR_PX = 6.5
STEP_AXIS_ROOM = 0.3  # steps of room at each end of the step axis, so end markers are not cut
ZERO_SYMBOL = "triangle-down-open"
HOVER_AB = "a %{customdata[0]:.4f}<br>b %{customdata[1]:.4f}"


# --- shared pieces -----------------------------------------------------------------------


def _new_figure() -> dict:
    """A figure under construction: its traces, and a layout with room for shapes and notes."""
    return {"data": [], "layout": {"shapes": [], "annotations": []}}


def _finished(fig: dict) -> dict:
    """The figure as :mod:`core.figures.figure_dict` writes it, without empty shape or note lists."""
    layout = {key: value for key, value in fig["layout"].items() if value != []}
    return figure_dict(fig["data"], layout)


def _base_layout(fig: dict, x_title: str, y_title: str, height: int = HEIGHT) -> None:
    """Phone-friendly layout: legend below the plot in a row, small margins, no zoom by drag."""
    fig["layout"].update(
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0.0, "xanchor": "left"},
        hovermode="closest",
        dragmode=False,
    )
    fig["layout"].setdefault("xaxis", {}).update(title={"text": x_title}, automargin=True, rangemode="tozero")
    fig["layout"].setdefault("yaxis", {}).update(title={"text": y_title}, automargin=True)


def _step_axis(fig: dict, last_step: int) -> None:
    """Whole-number ticks on the step axis; a little room so end markers are not cut."""
    axis = fig["layout"].setdefault("xaxis", {})
    axis.update(range=[-STEP_AXIS_ROOM, max(last_step, 1) + STEP_AXIS_ROOM], tickformat="d")
    if last_step <= 12:
        axis["dtick"] = 1


def _horizontal_line(fig: dict, y: float, line: dict, note: str | None = None) -> None:
    """A line across the whole plot at ``y``, with a note under its right end (Plotly's ``add_hline``)."""
    layout = fig["layout"]
    layout["shapes"].append({"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
                             "line": line})
    if note is not None:
        layout["annotations"].append({"text": note, "showarrow": False, "xref": "x domain", "x": 1,
                                      "xanchor": "right", "yref": "y", "y": y, "yanchor": "top"})


def _stopped_note(trajectory: Trajectory) -> str | None:
    """Short note when core.maths.training stopped the run before all steps were taken."""
    divergence = trajectory.divergence
    if divergence is None:
        return None
    return f"run stopped after step {divergence.last_step}: {divergence.quantity} ran past the safe range"


# --- 1. loss by step ---------------------------------------------------------------------


def _y_range(log_scale: bool, floor: float, cap: float, curves: Sequence[Curve]) -> list[float] | None:
    """A fixed range only where a curve leaves it or zeros sit at the floor; else autorange."""
    any_exit = any(c.exit is not None for c in curves)
    if log_scale:
        top = cap if any_exit else max(float(np.max(c.y)) for c in curves if c.y.size) * 2.0
        return [math.log10(floor) - 0.3, math.log10(top)]
    if any_exit:
        return [0.0, cap * 1.05]
    return None


def _zero_trace(curve: Curve, color: str, name: str, legend: bool) -> dict:
    return dict(
        type="scatter",
        x=curve.x[curve.zeros],
        y=curve.y[curve.zeros],
        mode="markers",
        name=name,
        legendgroup="zeros",
        showlegend=legend,
        marker={"symbol": ZERO_SYMBOL, "size": 13, "color": color, "line": {"width": 2}},
        hovertemplate="step %{x}<br>loss exactly 0<br>(drawn at the floor: a log axis has no 0)<extra></extra>",
    )


def _exit_trace(exit_: Exit, color: str, name: str, legend: bool, what: str) -> dict:
    return dict(
        type="scatter",
        x=[exit_.x],
        y=[exit_.y],
        mode="markers",
        name=name,
        legendgroup="exits",
        showlegend=legend,
        marker={"symbol": EXIT_SYMBOL, "size": 16, "color": color, "line": {"width": 3}},
        cliponaxis=False,  # on the edge: a log axis ends right there, and half an "×" reads as a "v"
        hovertemplate=(
            f"left the chart at step {exit_.step}<br>{what} there: {notation.chart_value(exit_.value)}<extra></extra>"
        ),
    )


def _exit_annotation(
    fig: dict, exit_: Exit, text: str, log_scale: bool, last_step: int, mark: str | None = None,
    before: float | None = None, span: float = 0.0,
) -> None:
    """A note beside the "×", on the side with more room, so it covers neither the mark nor the line.

    The line comes in from the step before, on the left, so a note on the right of the "×" hangs
    inside the chart where nothing is drawn. A note on the left must end before the line: for an
    exit through the top it sits above the edge, in the margin, and ends where the line crosses the
    edge; for an exit through the bottom it sits above the edge and ends where the line is
    ``LABEL_SHARE`` of the axis's ``span`` above it (a phone's narrow chart put the note across
    the line). ``before`` is the value at the step before the exit.
    """
    y = _chart_y(exit_.y, log_scale)
    left = exit_.x > 0.5 * max(last_step, 1) and not _fits_right(exit_.x, last_step, text, mark)
    through_top = exit_.value > exit_.y
    x = exit_.x
    if left and before is not None and (not log_scale or before > 0.0):
        inside, outside = _chart_y(before, log_scale), _chart_y(exit_.value, log_scale)
        clear = y if through_top else y + LABEL_SHARE * span
        if outside != inside:
            x = min(exit_.x, max(exit_.x - 1.0, exit_.x - 1.0 + (clear - inside) / (outside - inside)))
    above = left if through_top else True
    fig["layout"]["annotations"].append(exit_label(x, y, text, leftwards=left, above=above, mark=mark))


def _fits_right(x: float, last_step: int, text: str, mark: str | None) -> bool:
    """Would the note fit right of the "×" on a phone, the narrowest chart? Nothing is drawn there.

    Estimated from the step axis's share right of ``x`` (``_step_axis``'s range) and the note's
    characters, generously wide, so that it also fits on any wider screen.
    """
    end = max(last_step, 1) + STEP_AXIS_ROOM
    room = (end - x) / (end + STEP_AXIS_ROOM) * PHONE_PLOT_PX
    chars = len(text) + (2 if mark else 0)  # the coloured "✕ " that starts a comparison's note
    return room >= chars * NOTE_CHAR_PX + SHIFT_PX


def _chart_y(value: float, log_scale: bool) -> float:
    """Where ``value`` sits on the chart's y axis (Plotly places log-axis positions by their log10)."""
    return math.log10(value) if log_scale else value


def loss_figure(trajectory: Trajectory, log_scale: bool = False) -> dict:
    """The loss at every step, with a and b in the hover."""
    loss = trajectory.loss.astype(float)
    floor = log_floor(loss)
    cap = chart_cap(float(loss[0]) if loss.size else 0.0, log_scale)
    curve = loss_curve(trajectory, log_scale, floor, cap)
    keep = len(curve.x)
    ab = np.column_stack([trajectory.a[:keep], trajectory.b[:keep]])

    fig = _new_figure()
    fig["data"].append(
        dict(
            type="scatter",
            x=curve.x,
            y=curve.y,
            mode="lines+markers",
            name="loss",
            line={"color": palette.LOSS, "width": 3},
            marker={"size": 7, "color": palette.LOSS},
            customdata=ab,
            text=[notation.chart_value(v) for v in loss[:keep]],
            hovertemplate="step %{x}<br>loss %{text}<br>" + HOVER_AB + "<extra></extra>",
        )
    )
    _add_minimum_line(fig, trajectory.experiment, log_scale)
    if curve.zeros.any():
        fig["data"].append(_zero_trace(curve, palette.LOSS, "loss exactly 0 (drawn at the floor)", True))
    if curve.exit is not None:
        fig["data"].append(_exit_trace(curve.exit, palette.LOSS, "left the chart", True, "loss"))
        _exit_annotation(
            fig, curve.exit, f"left at step {curve.exit.step}", log_scale, trajectory.experiment.steps,
            before=float(loss[curve.exit.step - 1]) if curve.exit.step else None,
        )
    _mark_stopped(fig, trajectory, curve, log_scale)

    _base_layout(fig, "step", "loss (log scale)" if log_scale else "loss")
    _step_axis(fig, trajectory.experiment.steps)
    _loss_axis(fig, log_scale, _y_range(log_scale, floor, cap, [curve]))
    return _finished(fig)


def _loss_axis(fig: dict, log_scale: bool, y_range: list[float] | None) -> None:
    """Linear or log (powers of ten written as such); a fixed range when one is given, else from 0 up."""
    axis = fig["layout"]["yaxis"]
    axis.update(type="log" if log_scale else "linear", exponentformat="power" if log_scale else "none")
    if y_range is not None:
        axis.update(range=y_range, autorange=False)
    elif not log_scale:
        axis["rangemode"] = "tozero"


def _add_minimum_line(fig: dict, experiment: Experiment, log_scale: bool) -> None:
    """With several points the loss cannot reach 0: show the lowest value it can reach."""
    lowest = minimum_loss(experiment)
    if lowest <= 0.0:
        return
    _horizontal_line(fig, lowest, {"color": palette.VALLEY, "dash": "dot", "width": 2},
                     note=f"lowest possible loss {notation.chart_value(lowest)}")


def _mark_stopped(fig: dict, trajectory: Trajectory, curve: Curve, log_scale: bool) -> None:
    """core.maths.training stopped the run: say so at its last drawn point (if still on the chart)."""
    note = _stopped_note(trajectory)
    if note is None or curve.exit is not None or not len(curve.x):
        return
    y = float(curve.y[-1])
    fig["layout"]["annotations"].append(dict(
        x=float(curve.x[-1]),
        y=math.log10(y) if log_scale else y,
        text=note,
        showarrow=True,
        arrowhead=0,
        ax=-40,
        ay=30,
        font={"size": 12},
    ))


# --- 2. signed error by step ---------------------------------------------------------------


def error_figure(trajectory: Trajectory) -> dict:
    """The signed error by step: above 0 the guess is too high, below 0 too low."""
    steps = trajectory.steps
    error = signed_error(trajectory).astype(float)
    single = trajectory.experiment.single_point
    name = "error" if single else "mean error"
    exit_, cap = error_exit(trajectory)
    keep = exit_.step + 1 if exit_ is not None else len(error)

    fig = _new_figure()
    _horizontal_line(fig, 0.0, {"color": palette.NEUTRAL, "width": 1})
    fig["data"].append(
        dict(
            type="scatter",
            x=steps[:keep],
            y=error[:keep],
            mode="lines+markers",
            name=name,
            line={"color": palette.ERROR, "width": 3},
            marker={"size": 8, "color": palette.ERROR},
            customdata=np.column_stack([trajectory.a[:keep], trajectory.b[:keep]]),
            text=[notation.chart_value(v) for v in error[:keep]],
            hovertemplate="step %{x}<br>" + name + " %{text}<br>" + HOVER_AB + "<extra></extra>",
        )
    )
    if exit_ is not None:
        fig["data"].append(_exit_trace(exit_, palette.ERROR, "left the chart", True, name))
        top = cap * 1.05  # a little room beyond the cap, so the × on the edge is drawn whole
        _exit_annotation(fig, exit_, f"left at step {exit_.step}", False, trajectory.experiment.steps,
                         before=float(error[exit_.step - 1]) if exit_.step else None, span=2 * top)
        fig["layout"]["yaxis"] = {"range": [-top, top], "autorange": False}
    title = "error (prediction − true)" if single else "mean error (prediction − true)"
    _base_layout(fig, "step", title)
    _step_axis(fig, trajectory.experiment.steps)
    return _finished(fig)


# --- 3. several learning rates --------------------------------------------------------------


def _style(run: RateRun) -> tuple[str, str, float, str]:
    """Colour, dash, width and marker of a run, by its slot; the student's own rate is solid and bold.

    The others never share the solid line or the circle with it, and differ from one another in dash
    or marker as well as colour, so no two runs are told apart by colour alone. A run keeps its style
    by its slot, its place among the rates offered (``slotted_rates``), not by its size.
    """
    if run.is_current:
        return palette.COMPARISON[0], palette.DASHES[0], 4.0, palette.MARKERS[0]
    other = run.slot - 1
    colors, dashes, markers = palette.COMPARISON[1:], palette.DASHES[1:], palette.MARKERS[1:]
    return colors[other % len(colors)], dashes[other % len(dashes)], 2.5, markers[other % len(markers)]


def _exit_notes(fig: dict, exits: list[tuple[RateRun, Trajectory, Exit, str]], log_scale: bool) -> int:
    """Name the runs that left the chart: one beside its "×", several together above the plot.

    Returns the pixels of top margin the notes need (0 beside a mark).
    """
    if len(exits) == 1:
        ((run, trajectory, exit_, color),) = exits
        text = f"{notation.rate(run.lr)}: off the chart at step {exit_.step}"
        _exit_annotation(fig, exit_, text, log_scale, run.experiment.steps, mark=color,
                         before=float(trajectory.loss[exit_.step - 1]) if exit_.step else None)
        return 0
    if not exits:
        return 0
    note, room = exits_note([(color, notation.rate(run.lr), exit_.step) for run, _, exit_, color in exits])
    fig["layout"]["annotations"].append(note)
    return room


def comparison_figure(pairs: Sequence[tuple[RateRun, Trajectory]], log_scale: bool = False) -> dict:
    """Loss curves of several rates on one chart, each named with its regime."""
    all_loss = np.concatenate([t.loss for _, t in pairs]) if pairs else np.zeros(1)
    floor = log_floor(all_loss)
    reference = max((float(t.loss[0]) for _, t in pairs if t.n_rows), default=0.0)
    cap = chart_cap(reference, log_scale)
    curves = [loss_curve(t, log_scale, floor, cap) for _, t in pairs]

    fig = _new_figure()
    zero_legend = True
    exits: list[tuple[RateRun, Trajectory, Exit, str]] = []
    for (run, trajectory), curve in zip(pairs, curves, strict=True):
        color, dash, width, symbol = _style(run)
        keep = len(curve.x)
        fig["data"].append(
            dict(
                type="scatter",
                x=curve.x,
                y=curve.y,
                mode="lines+markers",
                name=run.label,
                legendgroup=run.label,
                line={"color": color, "dash": dash, "width": width},
                marker={"size": 7, "color": color, "symbol": symbol},
                customdata=np.column_stack([trajectory.a[:keep], trajectory.b[:keep]]),
                text=[notation.chart_value(v) for v in trajectory.loss[:keep]],
                hovertemplate=(
                    f"{run.label}<br>step %{{x}}<br>loss %{{text}}<br>" + HOVER_AB + "<extra></extra>"
                ),
            )
        )
        if curve.zeros.any():
            fig["data"].append(_zero_trace(curve, color, "exactly 0 (drawn at the floor)", zero_legend))
            zero_legend = False
        if curve.exit is not None:
            fig["data"].append(_exit_trace(curve.exit, color, f"{run.label}: left the chart", False, "loss"))
            exits.append((run, trajectory, curve.exit, color))
        elif trajectory.diverged:
            _mark_stopped(fig, trajectory, curve, log_scale)

    steps = pairs[0][0].experiment.steps if pairs else 1
    room = _exit_notes(fig, exits, log_scale)
    _base_layout(fig, "step", "loss (log scale)" if log_scale else "loss", height=COMPARISON_HEIGHT + room)
    fig["layout"]["margin"]["t"] += room
    _step_axis(fig, steps)
    fig["layout"]["legend"]["y"] = -0.3  # below the step title on a phone, with seven runs in four rows
    _loss_axis(fig, log_scale, _y_range(log_scale, floor, cap, curves) if curves else None)
    return _finished(fig)
