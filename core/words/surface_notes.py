"""The words beside the loss surface: what the figure shows, with this run's numbers."""

from __future__ import annotations

from core.figures.surface_scene import SurfaceScene
from core.maths.surface import WindowExit
from core.maths.theory import Regime, valley_target
from core.words.notation import DECIMALS, plain, point, valley_equation


def loss_words(loss: float) -> str:
    """A loss in a sentence, never a false 0: "0.0544"; "0" only when it is 0; "below 0.0001" when it
    rounds to 0 without being 0 (4e-13 after 30 updates at the defaults)."""
    text = plain(loss)
    if text == "0" and loss > 0:
        return f"below {plain(10.0 ** -DECIMALS)}"
    return text


def window_exit_sentence(exit_: WindowExit) -> str:
    """Where the path left the window, and where its next step went."""
    return (
        f"The path leaves this window after step {exit_.after_step}: the next update jumps to "
        f"(a, b) = {point(exit_.next_a, exit_.next_b)}, crossing the edge near {point(exit_.a, exit_.b)}. "
        "It is drawn up to the edge; the step table has every value."
    )


TURN = "Drag the 3D surface to turn it (on a touch screen, start sideways: a swipe up or down scrolls the page)"
TURN_AND_READ = (
    f"{TURN}; the top-down map is easier to read on a phone, and its numbers "
    "beside the points are the steps (arrowheads show which way each update went)."
)


def stepping_caption(scene: SurfaceScene) -> str:
    """The line under the charts: how to step through the run, true to what the charts offer.

    A run with no update has one picture and no Play or slider (``core.figures.surface_traces``);
    a run that leaves the window ends its slider on the update that leaves, drawn to the edge.
    """
    if scene.trajectory.last_step == 0:
        return (
            "With 0 updates the charts show only the start, so there is nothing to play or step through: "
            f"give the run some steps to watch it walk. {TURN}; the top-down map is easier to read on a phone."
        )
    text = "▶ Play or drag the step slider under a chart to walk the path one update at a time. "
    exit_ = scene.path.exit
    if exit_ is not None:
        text += (
            f"The slider's last stop, step {exit_.after_step + 1}, lies outside the window: the dashed line runs "
            f"from step {exit_.after_step} to the edge (✕), on its way to {point(exit_.next_a, exit_.next_b)}. "
        )
    return text + TURN_AND_READ


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
    target = valley_target(experiment)
    equation = valley_equation(x, target)
    answers = " and ".join(point(*p) for p in scene.answers[:2])
    first = f"**A valley, not a single bottom.** Every (a, b) with {equation} "
    if experiment.n_points == 1:
        first += f"predicts exactly y = {plain(target)}, so the loss is 0 along the whole green line"
    else:
        first += (
            f"predicts the mean y = {plain(target)}. All points share x = {plain(x)}, so no line can hit them all; "
            f"the lowest loss left is {plain(scene.floor)}, the same all along the green line"
        )
    first += f": {answers} are as good as any." if answers else "."
    if x == 0:
        first += " With x = 0 the prediction ignores a, which is why the valley runs parallel to the a axis."
    landing = point(*scene.landing)
    direction = f"(x, 1) = ({plain(x)}, 1)"
    second = (
        f"**Straight across.** Both gradients are {'2·error' if experiment.n_points == 1 else '2·(mean error)'} "
        "times (x, 1), so every update moves (a, b) along "
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
            f"one solution, a = {plain(a)}, b = {plain(b)}. The valley has closed into a single lowest point."
        )
    if scene.floor <= 1e-12:
        fits = "fits every point exactly"
    else:
        fits = f"leaves the smallest possible loss, {plain(scene.floor)}"
    return (
        f"**One bottom.** {experiment.n_points} points at {len(xs)} different x give {experiment.n_points} equations "
        f"for two unknowns, so (a, b) is pinned down: the least-squares answer a = {plain(a)}, b = {plain(b)} {fits}."
    )


def _run_note(scene: SurfaceScene) -> str:
    path = scene.path
    trajectory = scene.trajectory
    if path.exit is not None:
        text = f"**This run diverges.** {window_exit_sentence(path.exit)}"
        if trajectory.divergence is not None:
            text += f" {trajectory.divergence.describe()}"
        return text
    last = path.last
    where = point(path.a[-1], path.b[-1])
    loss = loss_words(path.loss[-1])
    text = f"**After {last} update{'s' if last != 1 else ''}** the run is at {where} with loss {loss}."
    if scene.regime is Regime.BOUNCING:
        text += " At this rate it jumps back and forth across the valley forever, never settling."
    elif scene.regime is Regime.OVERSHOOTING:
        text += " At this rate each update overshoots to the other side, but by less every time."
    if trajectory.divergence is not None:
        text += f" {trajectory.divergence.describe()}"
    return text
