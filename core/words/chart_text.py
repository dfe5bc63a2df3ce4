"""Text alternatives of the charts: what each one shows, with the run's own numbers.

A screen reader cannot see a Plotly chart, so every chart carries a few sentences that say
what a sighted student reads off it ("the loss falls from 9 to 0.0544 in 5 updates"). They are
built here, from the same trajectories the figures draw, so the words and the lines never
disagree; ``ui.charts.show_chart`` attaches them to the chart as its accessible description.
Every number goes through :mod:`core.words.notation`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.figures.network import linear_exit
from core.maths.comparison import RateRun
from core.maths.experiment import Experiment
from core.maths.network import NetworkRun
from core.maths.step_order import step_groups
from core.maths.surface import path_in_window, plot_window
from core.maths.theory import all_x_equal, landing_point, least_squares, minimum_loss, statistics
from core.maths.training import Trajectory
from core.words.notation import DECIMALS, plain, point, step_list, valley_equation
from core.words.surface_notes import loss_words

# The map's text alternative lists this many step labels at most (a long run's last ones share one).
LISTED_LABELS = 8


def _updates(count: int) -> str:
    return f"{count} update" if count == 1 else f"{count} updates"


def _level(value: float, *, signed: bool) -> str:
    """A loss or error in a sentence, never a false 0: "0.0544", "below 0.0001", "nearly 0 (size below 0.0001)"."""
    if not signed:
        return loss_words(value)
    if value != 0.0 and plain(abs(value)) == "0":
        return f"nearly 0 (size below {plain(10.0 ** -DECIMALS)})"
    return plain(value)


def _change(first: float, last: float, *, signed: bool) -> str:
    """"falls from 9 to 0.0544", "grows from 9 to 1.2 × 10⁵", "stays at 9"; a signed value by its size.

    A value that rounds to 0 without being 0 is named as such ("falls from 9 to below 0.0001"): a
    screen reader must not hear that the loss reached 0 when the chart shows it still falling.
    """
    start, end = _level(first, signed=signed), _level(last, signed=signed)
    if start == end:
        return f"stays {end}" if end.startswith(("below", "nearly")) else f"stays at {end}"
    if signed:
        verb = "shrinks" if abs(last) < abs(first) else "grows" if abs(last) > abs(first) else "keeps its size"
    else:
        verb = "falls" if last < first else "grows"
    return f"{verb} from {start} to {end}"


def _stopped(trajectory: Trajectory) -> str:
    """A closing sentence when core.maths.training stopped the run before all its steps."""
    divergence = trajectory.divergence
    if divergence is None:
        return ""
    return f" The run diverged and stops after step {divergence.last_step}."


def _course(trajectory: Trajectory, values: np.ndarray, what: str, *, signed: bool = False) -> str:
    """"the loss falls from 9 to 0.0544 in 5 updates" (or "is 9 at the start (no update)" with 0 steps)."""
    if trajectory.last_step == 0:
        return f"the {what} is {_level(float(values[0]), signed=signed)} at the start (no update)"
    change = _change(float(values[0]), float(values[-1]), signed=signed)
    flips = signed and bool(np.any(np.sign(values[1:]) * np.sign(values[:-1]) < 0))
    if flips and change.startswith("stays at"):  # 3 to 3 over 10 bounces: not "stays at 3" (a playtest)
        change = f"keeps its size, {_level(abs(float(values[-1])), signed=False)},"
    span = "for" if change.startswith(("stays", "keeps its size,")) else "in"
    return f"the {what} {change} {span} {_updates(trajectory.last_step)}"


def loss_chart(trajectory: Trajectory, log_scale: bool) -> str:
    """The loss-by-step chart: its axis, the loss from first to last step, the lowest possible loss."""
    axis = "a log" if log_scale else "a linear"
    text = f"Line chart of the loss at every step, on {axis} axis: {_course(trajectory, trajectory.loss, 'loss')}."
    lowest = minimum_loss(trajectory.experiment)
    if lowest > 0.0:
        text += f" A dotted line marks the lowest loss this data allows, {plain(lowest)}."
    return text + _stopped(trajectory)


def _sign_pattern(errors: np.ndarray) -> str:
    """How the signed error sits around 0: one side, flipping every update, or crossing now and then."""
    signs = np.sign(errors)
    nonzero = signs[signs != 0]
    if nonzero.size == 0:
        return "it is 0 throughout"
    if np.all(nonzero > 0):
        return "it stays above 0: every guess is too high"
    if np.all(nonzero < 0):
        return "it stays below 0: every guess is too low"
    flips = int(np.count_nonzero(nonzero[1:] != nonzero[:-1]))
    if flips == nonzero.size - 1:
        return "it changes sign at every update: the guess overshoots, too high then too low"
    return f"it changes sign {flips} times"


def error_chart(trajectory: Trajectory) -> str:
    """The signed-error chart: from first to last step and on which side of 0 it stays."""
    errors = trajectory.errors.mean(axis=1)
    what = "error" if trajectory.experiment.single_point else "mean error"
    course = _course(trajectory, errors, what, signed=True)
    return f"Line chart of the signed {what} at every step: {course}; {_sign_pattern(errors)}." + _stopped(trajectory)


def loss_and_error_chart(trajectory: Trajectory, log_scale: bool) -> str:
    """The loss curve page's first chart: the loss by step, and the signed error on a panel below it."""
    below = error_chart(trajectory)
    return f"{loss_chart(trajectory, log_scale)} Below it, a {below[0].lower()}{below[1:]}"


def comparison_chart(pairs: Sequence[tuple[RateRun, Trajectory]]) -> str:
    """Several learning rates on one chart: for each, its regime and where its loss goes."""
    if not pairs:
        return "Chart of the loss by step for several learning rates: no rate is selected."
    parts = []
    for run, trajectory in pairs:
        divergence = trajectory.divergence
        stopped = f", then diverges (stopped after step {divergence.last_step})" if divergence is not None else ""
        parts.append(f"{run.label}: {_course(trajectory, trajectory.loss, 'loss')}{stopped}")
    count = len(pairs)
    rates = "one learning rate" if count == 1 else f"{count} learning rates"
    return f"Line chart of the loss by step for {rates}. " + "; ".join(parts) + "."


def _bottom(experiment: Experiment) -> str:
    """The bottom of the surface: the valley line (all x equal) or the one minimum."""
    lowest = minimum_loss(experiment)
    if all_x_equal(experiment):
        line = valley_equation(experiment.xs[0], statistics(experiment).mean_y)
        return f"The valley of the lowest loss ({plain(lowest)}) is the line {line}."
    a, b = least_squares(experiment)
    return f"The lowest loss, {plain(lowest)}, is at the single point (a, b) = {point(a, b)}."


def surface_chart(trajectory: Trajectory, *, three_d: bool) -> str:
    """The loss surface (3D) or its top-down map: the bottom, and the path from start to its last step."""
    experiment = trajectory.experiment
    kind = "3D surface of the loss over (a, b)" if three_d else "Top-down contour map of the loss over (a, b)"
    start = point(trajectory.a[0], trajectory.b[0])
    text = f"{kind}, with the path of the run. {_bottom(experiment)} "
    text += f"The path starts at {start}, loss {plain(trajectory.loss[0])}"
    if trajectory.last_step == 0:
        return text + ", and takes no update."
    end = point(trajectory.a[-1], trajectory.b[-1])
    text += f"; after {_updates(trajectory.last_step)} it is at {end}, loss {loss_words(trajectory.loss[-1])}"
    first, last = plain(trajectory.loss[0]), plain(trajectory.loss[-1])
    if first == last:
        text += ", bouncing across the valley at the same loss."
    elif trajectory.loss[-1] < trajectory.loss[0]:
        landing = point(*landing_point(experiment))  # already there to the digits shown: no "on its way"
        text += f": the point it lands on, to {DECIMALS} decimals." if end == landing else f", on its way to {landing}."
    else:
        text += ", moving away from the bottom."
    text += _stopped(trajectory)
    if not three_d:
        text += _step_order(trajectory)
    return text + " Play or the step slider shows the path one update at a time."


def _step_order(trajectory: Trajectory) -> str:
    """The map's step labels in words, as the map groups them: "steps 0, 2, 4 at (3, 4); step 1 at (0, 1)"."""
    window = plot_window(trajectory)
    groups = step_groups(path_in_window(trajectory, window), window)
    named = [f"step{'s' if len(g.steps) > 1 else ''} {step_list(g.steps)}" for g in groups[:LISTED_LABELS]]
    listed = [f"{steps} at {point(g.a, g.b)}" for steps, g in zip(named, groups, strict=False)]
    more = len(groups) - len(listed)
    tail = f"; and {more} more label{'s' if more != 1 else ''}" if more else ""
    return (
        " On the map, arrowheads point the way each update went and numbers give the steps (steps that land "
        f"closer together than a label share one, at the first of them): {'; '.join(listed)}{tail}."
    )


# --- the many-parameters page ----------------------------------------------------------------


def _network_course(run: NetworkRun) -> str:
    loss = run.loop.loss
    if run.last_step == 0:
        return f"the loss is {loss_words(float(loss[0]))} at the start (no update)"
    change = _change(float(loss[0]), float(loss[-1]), signed=False)
    return f"the loss {change} {'for' if change.startswith('stays') else 'in'} {_updates(run.last_step)}"


def _network_stopped(run: NetworkRun) -> str:
    divergence = run.loop.divergence
    return f" The run diverged and stops after step {divergence.last_step}." if divergence is not None else ""


def network_loss_chart(run: NetworkRun, log_scale: bool) -> str:
    """The network's loss by step; on a linear axis, where a diverging loss leaves it (the × of the figure)."""
    axis = "a log" if log_scale else "a linear"
    text = f"Line chart of the network's loss at every step, on {axis} axis: {_network_course(run)}."
    exit_ = None if log_scale else linear_exit(run)
    if exit_ is not None:
        text += (f" The loss leaves the chart at step {exit_.step} (it is {plain(exit_.value)} there), "
                 "marked by a × on the top edge; the log axis shows the whole climb.")
    return text + _network_stopped(run)


def network_fit_chart(run: NetworkRun) -> str:
    """The training points, the target curve and the network's curve, stepped through the run."""
    xs = run.data.xs
    units = run.network.units
    model = "the line a·x + b" if units == 0 else f"the network ({units} hidden {'unit' if units == 1 else 'units'})"
    # With no update there is one picture, and the chart has no Play or slider (core.figures.network).
    stepping = " Play or the step slider moves the curve through the run." if run.last_step > 0 else ""
    return (
        f"Chart of {len(xs)} training points with x from {plain(float(xs.min()))} to {plain(float(xs.max()))}, "
        f"the {run.settings.target} curve they come from, and the curve of {model} at each step: "
        f"{_network_course(run)}.{_network_stopped(run)}{stepping}"
    )
