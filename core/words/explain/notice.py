"""Section 4 of the step table: what to notice in the numbers on screen (regime-aware, one point or several)."""

from __future__ import annotations

from core.maths import theory
from core.maths.surface import equally_good_answers, plot_window
from core.maths.training import HAND_DECIMALS, Trajectory, rounding_stall
from core.words.explain import checkable
from core.words.explain.checkable import computed, given
from core.words.explain.fact import Fact
from core.words.explain.latex import DL_DA, DL_DB
from core.words.explain.shrink import floor_of, nothing_to_learn, shrink_fact
from core.words.notation import latex, plain, valley_equation


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
    link = checkable.times(given(x), computed(grad_b), computed(grad_a))
    d = checkable.digits_for([link])
    formula = (
        f"{DL_DA} = x \\cdot {DL_DB}: \\quad {d.tex(link.result)} {d.sign(link)} "
        f"{d.operand(given(x))} \\cdot {d.operand(computed(grad_b))}"
    )
    error = "error" if experiment.single_point else "(mean error)"
    if x == 1.0:
        text = (
            f"With x = 1 the two gradients are equal (2·{error}·1 = 2·{error}), so a and b move by the same "
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
        floor = floor_of(trajectory)
        valley = (
            "zero loss" if floor is None else f"the lowest possible loss, {plain(floor)} (points with the same "
            "x but different y cannot all be hit)"
        )
        text = (
            f"Every (a, b) on the line a·x + b = {plain(target)} gives {valley}: it is a whole valley of "
            "equally good answers"
            + (f", for example {others}" if others else "")
            + ". Gradient descent steps straight across the valley, along the direction (x, 1), and "
        )
        if nothing_to_learn(trajectory) is not None:
            text += f"here the start, {landing}, already lies in it: there is nowhere to go."
        elif kind.converges:
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
    """How many updates bring the loss within the tolerance of its lowest value: the table's row when it
    shows it, else the closed form (which is full precision: a hand calculation is said to differ)."""
    experiment = trajectory.experiment
    tolerance = theory.DEFAULT_TOLERANCE
    floor = theory.minimum_loss(experiment)
    needed = theory.steps_to_tolerance(experiment)
    if needed == 0:
        return None
    within = "within " + plain(tolerance) + " of its lowest value"
    rows = [k for k in range(trajectory.n_rows) if float(trajectory.loss[k]) - floor < tolerance]
    if rows:
        text = (
            f"The loss gets {within} after {rows[0]} update{'s' if rows[0] != 1 else ''}: row {rows[0]} of the "
            "table shows it happening."
        )
    elif needed is None:
        return None
    elif experiment.hand:
        text = (
            f"In full precision the loss would get {within} after {needed} update{'s' if needed != 1 else ''}; "
            "this hand calculation has not got there in the table's rows, and rounding can slow it down or "
            "freeze it."
        )
    else:
        text = (
            f"The loss gets {within} after {needed} update{'s' if needed != 1 else ''} — more than this table "
            "shows."
        )
    return Fact(
        "How long it takes",
        text + " Nothing here solves for a and b directly: each row only corrects the last one a little.",
    )


def what_to_notice(trajectory: Trajectory, step: int) -> tuple[Fact, ...]:
    """The observations for the numbers on screen (regime-aware, one point or several)."""
    step = trajectory.clamp_step(step)
    facts = [shrink_fact(trajectory), _gradients_fact(trajectory, step), _heading_fact(trajectory)]
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
