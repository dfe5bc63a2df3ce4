"""The sentences under the loss-curve charts: what a figure had to mark, in words.

Zeros on a log axis, where a curve left the chart, a run that training stopped, and two rates
whose loss curves coincide. The chart's range comes from :mod:`core.figures.curve_range`, the
same place the figures take it from, so the words and the marks always agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from core.figures.curve_range import (
    LINEAR_CAP_FACTOR,
    chart_cap,
    error_exit,
    linear_shows_only_the_start,
    log_floor,
    loss_curve,
)
from core.maths.comparison import RateRun
from core.maths.experiment import Experiment
from core.maths.theory import error_ratio, minimum_loss
from core.maths.training import Trajectory
from core.maths.twin_rate import start_error, twin_rate
from core.words import notation


def loss_notes(trajectory: Trajectory, log_scale: bool) -> list[str]:
    """Plain sentences for what a figure had to mark: zeros on a log axis, exits, a stopped run."""
    loss = trajectory.loss.astype(float)
    notes = []
    if log_scale and bool(np.any(loss == 0.0)):
        notes.append(
            "▽ marks a loss of exactly 0. A log axis has no 0, so those points sit on the floor of the chart."
        )
    start = float(loss[0]) if loss.size else 0.0
    cap = chart_cap(start, log_scale)
    left = _left_at(trajectory, log_scale, log_floor(loss), cap)
    if left:
        step, value = left
        notes.append(
            f"× marks where the loss left the chart at step {step} (loss {value}); the axis stops at "
            f"{notation.plain(cap)} ({_factor_text(log_scale)} the starting loss) so the early steps "
            "stay readable."
        )
        if not log_scale:
            on_log = _left_at(trajectory, True, log_floor(loss), chart_cap(start, True))
            if on_log is None or on_log[0] > step:
                notes.append("The log axis keeps more of this run in view: pick log above the chart.")
    if log_scale and linear_shows_only_the_start(trajectory):
        notes.append(
            "On a linear axis this run is off the chart from its first update on, with only the start in view, "
            "so the chart opens on a log axis: there a loss that grows by the same factor every update climbs in "
            "a straight line. Pick linear above the chart to see it on a linear axis."
        )
    return notes + _stopped(trajectory)


def error_notes(trajectory: Trajectory) -> list[str]:
    """Why the signed error's chart stops early: it left its fixed axis (a student playtest at lr 1.5
    saw one segment and four blank steps, with only the loss's × explained)."""
    exit_, bound = error_exit(trajectory)
    if exit_ is None:
        return []
    single = trajectory.experiment.single_point
    what = "error" if single else "mean error"
    start = "the starting error" if single else "the largest starting error of a point"
    after = ", so the steps after it are not drawn" if exit_.step < trajectory.last_step else ""
    return [
        f"In the {what}'s chart, × marks where it left at step {exit_.step} ({what} {notation.plain(exit_.value)}); "
        f"its axis stays between ±{notation.plain(bound)} ({_factor_text(False)} {start}){after}."
    ]


def comparison_notes(pairs: Sequence[tuple[RateRun, Trajectory]], log_scale: bool) -> list[str]:
    """One sentence per rate that left the chart or was stopped by core.maths.training."""
    if not pairs:
        return []
    all_loss = np.concatenate([t.loss for _, t in pairs])
    floor = log_floor(all_loss)
    reference = max((float(t.loss[0]) for _, t in pairs if t.n_rows), default=0.0)
    cap = chart_cap(reference, log_scale)
    notes = []
    if log_scale and bool(np.any(all_loss == 0.0)):
        notes.append("▽ marks a loss of exactly 0, drawn on the floor of the log axis.")
    for run, trajectory in pairs:
        left = _left_at(trajectory, log_scale, floor, cap)
        if left:
            step, value = left
            notes.append(
                f"{run.label}: left the chart at step {step} (loss {value}; the axis stops at "
                f"{_factor_text(log_scale)} the largest starting loss)."
            )
        notes.extend(_stopped(trajectory, f"{run.label}: "))
    notes.extend(twin_notes([run for run, _ in pairs]))
    return notes


def twin_notes(runs: Sequence[RateRun]) -> list[str]:
    """Rates whose loss curves coincide: for one point, factors r and −r square to the same r²."""
    if not runs or not runs[0].experiment.single_point:
        return []
    notes = []
    for i, first in enumerate(runs):
        for second in runs[i + 1 :]:
            r1, r2 = error_ratio(first.experiment), error_ratio(second.experiment)
            if r1 != 0.0 and math.isclose(r1, -r2, rel_tol=1e-9):
                notes.append(
                    f"{notation.rate(first.lr)} and {notation.rate(second.lr)} draw the same loss curve: their error "
                    f"factors {notation.rate(r1)} and {notation.rate(r2)} have the same square, "
                    f"{notation.rate(r1 * r1)}. The signed error chart tells them apart."
                )
    return notes


def twin_sentence(experiment: Experiment) -> str | None:
    """Under the loss-and-error chart: the other rate with this very loss curve, and what tells them apart.

    None when no other rate draws the same curve (:func:`core.maths.twin_rate.twin_rate`).
    """
    twin = twin_rate(experiment)
    if twin is None:
        return None
    ratio = error_ratio(experiment)
    single = experiment.single_point
    lowest = minimum_loss(experiment)
    loss = "the loss" if lowest == 0.0 else f"the loss above its lowest value ({notation.plain(lowest)})"
    what = "error" if single else "mean error"
    too_high = start_error(experiment) > 0
    return (
        f"**Same loss curve, different run.** Your rate {notation.rate(experiment.lr)} and the rate "
        f"{notation.rate(twin)} draw the same loss curve: at both, each update multiplies {loss} by "
        f"{notation.rate(ratio * ratio)}. The signed {what} under it tells them apart. "
        f"{_sign_story(experiment.lr, ratio, single, too_high)} {_sign_story(twin, -ratio, single, too_high)}"
    )


def _sign_story(lr: float, ratio: float, single: bool, too_high: bool) -> str:
    """What the error does at one rate of a twin pair, in words; ``too_high``: the start predicts too much."""
    subject, verb = ("the prediction", "s") if single else ("the predictions", "")
    target = "y_true" if single else "the mean of the y values"
    first, second = ("too high", "too low") if too_high else ("too low", "too high")
    start = f"At {notation.rate(lr)} it is multiplied by {notation.rate(ratio)} each update, so it"
    if ratio < 0:
        return f"{start} changes sign every time: {subject} jump{verb} past {target}, {first}, then {second}."
    side = "above" if too_high else "below"
    return f"{start} keeps its sign: {subject} stay{verb} {first} and close{verb} in from {side}."


def _left_at(trajectory: Trajectory, log_scale: bool, floor: float, cap: float) -> tuple[int, str] | None:
    """The step where the figure draws the run leaving the chart, and its loss as text; None if it stays."""
    exit_ = loss_curve(trajectory, log_scale, floor, cap).exit
    return None if exit_ is None else (exit_.step, notation.plain(exit_.value))


def _stopped(trajectory: Trajectory, who: str = "") -> list[str]:
    """Why core.maths.training stopped the run, if it did."""
    return [] if trajectory.divergence is None else [who + trajectory.divergence.describe()]


def _factor_text(log_scale: bool) -> str:
    return "a million times" if log_scale else f"{LINEAR_CAP_FACTOR:g}×"
