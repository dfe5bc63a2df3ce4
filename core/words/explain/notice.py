"""Section 4 of the step table: what to notice in the numbers on screen (regime-aware, one point or several)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.maths import theory
from core.maths.surface import equally_good_answers, plot_window
from core.maths.training import HAND_DECIMALS, Trajectory, rounding_stall
from core.words.explain.latex import DL_DA, DL_DB, aligned, relation
from core.words.notation import latex, latex_operand, plain, valley_equation


@dataclass(frozen=True)
class Fact:
    """One observation tied to the numbers on screen; ``latex`` is optional."""

    title: str
    text: str
    latex: str | None = None


def _sequence(values: Sequence[float], limit: int = 3) -> str:
    shown = " → ".join(plain(v) for v in values[:limit])
    return shown + (" → …" if len(values) > limit else "")


def _shrink_fact(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    r = theory.error_ratio(experiment)
    losses = [float(v) for v in trajectory.loss]
    if theory.excess_loss_after(experiment, 0) <= 1e-12 * max(1.0, losses[0]):
        return Fact(
            "Nothing to learn",
            "The start already has the lowest possible loss, so every gradient is 0 and a and b never move. "
            "Change the start or the data in the sidebar to see training at work.",
        )
    if not theory.all_x_equal(experiment):
        slow = theory.slow_ratio(experiment)
        if kind.converges:
            text = (
                "The gradient is the average pull of all points, and it weakens as the line fits better, so the "
                f"steps get shorter by themselves. The loss no longer shrinks by one fixed factor: the distance "
                f"to the best line shrinks ×{plain(abs(r))} per step in the steepest direction"
                f"{' (flipping from side to side)' if r < 0 else ''} and only "
                f"×{plain(abs(slow))} in the flattest one, which sets the pace. On screen the loss goes "
                f"{_sequence(losses)}."
            )
            return Fact("The steps shrink with the error", text)
        grows = "stays the same" if kind is theory.Regime.BOUNCING else "grows"
        text = (
            f"At this rate the steepest direction is multiplied by {plain(r)} per step: its size {grows}, so "
            f"the gradient never fades and the loss goes {_sequence(losses)}."
        )
        return Fact("The steps do not shrink", text)

    x = experiment.xs[0]
    # With several points at one x, the average error plays the part of the single error.
    errors = [float(e) for e in trajectory.errors.mean(axis=1)]
    formula = aligned(
        "r &= 1 - 2 \\cdot \\text{lr} \\cdot (x^2 + 1)",
        f"&= 1 - 2 \\cdot {latex_operand(experiment.lr, 8)} \\cdot ({latex_operand(x)}^2 + 1) "
        f"{relation(experiment.lr, x, r)} "
        f"{latex(r)}",
    )
    ratio = f"r = {plain(r)}"
    loss_ratio = f"r² = {plain(r * r)}"
    if kind is theory.Regime.SMOOTH:
        title = "The steps shrink with the error"
        text = (
            f"The gradients are 2·error·x and 2·error: large while the guess is far off, fading as it "
            f"improves, so each update shortens itself. Every update multiplies the error by {ratio} "
            f"(error {_sequence(errors)}) and the loss by {loss_ratio} (loss {_sequence(losses)})."
        )
    elif kind is theory.Regime.ONE_STEP:
        title = "One update lands exactly"
        text = (
            f"With {ratio} the first update removes the whole error: the error goes {_sequence(errors)} and "
            "the gradient is zero from then on."
        )
    elif kind is theory.Regime.OVERSHOOTING:
        title = "Overshooting, but still getting closer"
        text = (
            f"Here {ratio} is negative: every update jumps past the answer, so the error flips sign "
            f"({_sequence(errors, 4)}). Its size still shrinks ×{plain(abs(r))} per step, so the run settles; "
            f"the loss shrinks ×{plain(r * r)} ({_sequence(losses)})."
        )
    elif kind is theory.Regime.BOUNCING:
        title = "Bouncing forever"
        text = (
            f"With {ratio} each update jumps exactly as far past the answer as it was before: the error flips "
            f"between ± the same size ({_sequence(errors, 4)}) and the loss never falls ({_sequence(losses)})."
        )
    else:
        title = "Each step overshoots further"
        text = (
            f"With {ratio} the error flips sign and grows ×{plain(abs(r))} per update "
            f"({_sequence(errors, 4)}). A bigger error means a bigger gradient, which means a bigger jump: the "
            f"loss grows ×{plain(r * r)} per step ({_sequence(losses)})."
        )
    if x == 0.0:
        text += " (With x = 0, a has no effect on the prediction, so only b moves.)"
    return Fact(title, text, formula)


def _gradients_fact(trajectory: Trajectory, step: int) -> Fact:
    experiment = trajectory.experiment
    grad_a, grad_b = float(trajectory.gradient_a[step]), float(trajectory.gradient_b[step])
    if not theory.all_x_equal(experiment):
        return Fact(
            "Every point pulls in its own direction",
            "Each point has its own x, so ∂L/∂a is no longer a fixed multiple of ∂L/∂b: the points pull a and b "
            f"in different proportions. At step {step}: ∂L/∂a = {plain(grad_a)}, ∂L/∂b = {plain(grad_b)}.",
        )
    x = experiment.xs[0]
    formula = (
        f"{DL_DA} = x \\cdot {DL_DB}: \\quad {latex(grad_a)} {relation(grad_a, x, grad_b)} "
        f"{latex_operand(x)} \\cdot {latex_operand(grad_b)}"
    )
    if x == 1.0:
        text = (
            "With x = 1 the two gradients are equal (2·error·1 = 2·error), so a and b move by the same "
            "amount at every step. With any other x they would differ: ∂L/∂a is always x times ∂L/∂b."
        )
    elif x == 0.0:
        text = (
            "With x = 0 the gradient for a is always 0: a does not affect the prediction at x = 0, so it "
            "keeps its start value and only b learns."
        )
    else:
        text = (
            f"Here x = {plain(x)}, so the two gradients differ: ∂L/∂a is always x times ∂L/∂b, and a moves "
            f"{plain(abs(x))} times as far as b at every step"
            + (", in the opposite direction" if x < 0 else "")
            + " (the article's x = 1 is the special case where they are equal)."
        )
    return Fact("Two gradients from one error", text, formula)


def _heading_fact(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    landing_a, landing_b = theory.landing_point(experiment)
    landing = f"({plain(landing_a)}, {plain(landing_b)})"
    if theory.all_x_equal(experiment):
        x = experiment.xs[0]
        target = theory.valley_target(experiment)
        answers = equally_good_answers(experiment, plot_window(trajectory))
        named = [f"({plain(a)}, {plain(b)})" for a, b in answers]
        others = ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else "".join(named)
        floor = theory.minimum_loss(experiment)
        valley = (
            "zero loss" if floor == 0.0 else f"the lowest possible loss, {plain(floor)} (points with the same "
            "x but different y cannot all be hit)"
        )
        text = (
            f"Every (a, b) on the line a·x + b = {plain(target)} gives {valley}: it is a whole valley of "
            "equally good answers"
            + (f", for example {others}" if others else "")
            + ". Gradient descent steps straight across the valley, along the direction (x, 1), and "
        )
        if kind.converges:
            text += f"lands on the valley point nearest the start, {landing}."
        else:
            text += (
                f"would land on {landing}, the valley point nearest the start, but at this rate it "
                + ("hops over the valley and back forever." if kind is theory.Regime.BOUNCING else "never gets there: "
                   "each jump lands farther from the valley.")
            )
        return Fact("Where the path is heading", text, valley_equation(x, target, latex=True))
    if kind.converges:
        ending = "the run settles there."
    elif kind is theory.Regime.BOUNCING:
        ending = "at this rate the run bounces around it forever."
    else:
        ending = "at this rate each step lands farther from it."
    text = (
        "With points at different x no whole line of answers fits them all equally well: the valley closes to "
        f"a single best point, the least-squares line a = {plain(landing_a)}, b = {plain(landing_b)}; "
        + ending
    )
    formula = f"(a^*, b^*) = ({latex(landing_a)},\\ {latex(landing_b)})"
    return Fact("Where the path is heading", text, formula)


def _pace_fact(trajectory: Trajectory) -> Fact | None:
    experiment = trajectory.experiment
    needed = theory.steps_to_tolerance(experiment)
    if needed is None or needed == 0:
        return None
    return Fact(
        "How long it takes",
        f"The loss gets within {plain(theory.DEFAULT_TOLERANCE)} of its lowest value after {needed} "
        f"update{'s' if needed != 1 else ''}"
        + (" — more than this table shows." if needed > experiment.steps else " — the table shows it happening.")
        + " Nothing here solves for a and b directly: each row only corrects the last one a little.",
    )


def what_to_notice(trajectory: Trajectory, step: int) -> tuple[Fact, ...]:
    """The observations for the numbers on screen (regime-aware, one point or several)."""
    step = trajectory.clamp_step(step)
    facts = [_shrink_fact(trajectory), _gradients_fact(trajectory, step), _heading_fact(trajectory)]
    stall = rounding_stall(trajectory)
    if stall is not None:
        facts.insert(0, Fact(
            "Rounding froze this hand calculation",
            f"From step {stall} on, each update is smaller than 0.00005, so rounding a and b to "
            f"{HAND_DECIMALS} decimals puts them straight back where they were: the table stops changing "
            "although the gradient is not zero. Full precision would keep creeping on; the notes below "
            "describe that exact arithmetic. Turn off hand calculation, or use a larger rate, to see it.",
        ))
    pace = _pace_fact(trajectory)
    if pace is not None:
        facts.append(pace)
    return tuple(facts)
