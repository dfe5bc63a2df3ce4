"""What to notice, first fact: how each update scales the error and the loss, said only where it is true.

Every ratio here is stated next to the run's own numbers, as "×q" or "by r = q" followed by a
bracket naming what it scales: "(error 3 → 1.8 → 1.08 → …)". The property test in
``tests/core/test_notice_sentences.py`` reads the sentences back in that form and checks each
ratio against the trajectory, for any experiment a share link allows. So:

- with several points the error that scales by r is the *mean* error, and it is called that;
- when the loss has a floor above 0 (points at one x with different y, or points no line fits) only
  the part above the floor scales by r²: the sentence says so and names the floor;
- a hand calculation rounds a and b to 4 decimals, which can push the values on screen off the
  exact factor: then the factor is given as what full precision would do.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import numpy as np

from core.maths import theory
from core.maths.experiment import Experiment
from core.maths.training import Trajectory
from core.words.explain.checkable import MAX_DECIMALS, Digits, given
from core.words.explain.fact import Fact
from core.words.explain.latex import aligned
from core.words.notation import SCIENTIFIC_FROM, latex, plain, rate, short

# Each fact quotes this many values of a series ("3 → 1.8 → 1.08 → …"); flips are easier to see in four.
SHOWN = 3
SHOWN_FLIPPING = 4


def sequence(values: Sequence[float], limit: int = SHOWN) -> str:
    """A series as the facts quote it: its first values with 4 decimals, "→ …" when it goes on."""
    shown = " → ".join(plain(v) for v in values[:limit])
    return shown + (" → …" if len(values) > limit else "")


def display_error(value: float) -> float:
    """How far a value quoted with :func:`plain` can be from the true one (half its last digit)."""
    return 5e-5 * max(1.0, abs(value)) if abs(value) >= SCIENTIFIC_FROM else 5e-5


def follows(values: Sequence[float], factor: float, limit: int) -> bool:
    """True when each quoted value is ``factor`` times the one before, to the quoted digits."""
    shown = [float(short(v)) for v in values[:limit]]
    q = float(rate(factor).replace("−", "-"))
    for before, after in pairwise(shown):
        slack = display_error(after) + abs(q) * display_error(before) + 5e-4 * abs(q * before) + 1e-12
        if abs(after - q * before) > slack:
            return False
    return True


def _alternates(values: Sequence[float]) -> bool:
    """True when the quoted values that are not 0 flip sign from each one to the next."""
    shown = [v for v in values[:SHOWN_FLIPPING] if plain(v) != "0"]
    return all(before * after < 0 for before, after in pairwise(shown))


def _flip(name: str, errors: Sequence[float]) -> str:
    """'the error flips sign', or what full precision would do when hand rounding hides the flips."""
    if _alternates(errors):
        return f"the {name} flips sign"
    return f"in full precision the {name} would flip sign every step"


def floor_of(trajectory: Trajectory) -> float | None:
    """The lowest loss any (a, b) reaches, when it shows as more than 0; None for a floor of 0."""
    floor = theory.minimum_loss(trajectory.experiment)
    return floor if plain(floor) != "0" else None


def _scaled(
    lead: str, factor: float, name: str, values: Sequence[float], limit: int, *, tail: str = "", sizes: bool = False
) -> str:
    """'multiplies the error by r = 0.6 (error 3 → 1.8 → …)', or what full precision would do.

    ``lead`` ends right before the factor ("… by r = ", "shrinks ×"); ``tail`` follows it
    (" per step"). With ``sizes`` the factor scales the values' sizes while their signs flip.
    """
    claim = f"{lead}{rate(factor)}{tail}"
    quoted = f"({name} {sequence(values, limit)})"
    if follows([abs(v) for v in values] if sizes else values, factor, limit):
        return f"{claim} {quoted}"
    return f"{claim} in full precision, though rounding a and b by hand moves the values on screen off that {quoted}"


def nothing_to_learn(trajectory: Trajectory) -> Fact | None:
    """When the start is already as good as it gets: say why in the run's own numbers."""
    experiment = trajectory.experiment
    losses = [float(v) for v in trajectory.loss]
    if theory.excess_loss_after(experiment, 0) > 1e-12 * max(1.0, losses[0]):
        return None
    gradients = (*trajectory.gradient_a, *trajectory.gradient_b)
    if any(plain(gradient) != "0" for gradient in gradients):
        # A tiny error times a large x still moves a, and in hand mode a start with more than 4
        # decimals is rounded into a small error later on (b 0.54754 → 0.5475 → 0.5476): the
        # table would show the move.
        return None
    a0, b0 = experiment.a0, experiment.b0
    closing = " Change the start or the data in the sidebar to see training at work."
    if experiment.single_point:
        (x, y), = experiment.points
        guess = f"a·x + b = {plain(a0)}·{plain(x)} + {plain(b0)} = {plain(y)}"
        why = (
            f"The start already predicts the true answer: {guess}, exactly y = {plain(y)}. The error is 0, so "
            "both gradients (2·error·x and 2·error) are 0 and a and b never move."
        )
        if x == 0.0:
            why += f" (At x = 0 the guess is just b, and b starts at {plain(b0)}.)"
        return Fact("Nothing to learn", why + closing)
    floor = theory.minimum_loss(experiment)
    if theory.all_x_equal(experiment):
        x = experiment.xs[0]
        why = (
            f"Every point has x = {plain(x)}, and the start predicts a·x + b = {plain(a0 * x + b0)} there: the mean "
            "of the y values, the best one line can do. The errors cancel out, so the mean error and both gradients "
            "are 0 and nothing moves."
        )
    else:
        why = (
            f"The start a = {plain(a0)}, b = {plain(b0)} is already the least-squares line: the points pull in "
            "opposite directions with equal strength, so both gradients are 0 and nothing moves."
        )
    if floor_of(trajectory) is not None:
        why += f" The loss that is left, {plain(floor)}, is the lowest any line reaches for these points."
    return Fact("Nothing to learn", why + closing)


def _several_x(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    r, slow = steep_factor(experiment), theory.slow_ratio(experiment)
    losses = [float(v) for v in trajectory.loss]
    floor = theory.minimum_loss(experiment)
    if kind.converges:
        text = (
            "The gradient is the average pull of all points, and it weakens as the line fits better, so the "
            "steps get shorter by themselves. The loss need not shrink by one fixed factor: the distance to the "
            f"best line shrinks ×{rate(abs(r))} per step in the steepest direction"
            f"{' (flipping from side to side)' if r < 0 else ''} and only ×{rate(abs(slow))} per step in the "
            f"flattest one, which sets the pace. The loss heads for its lowest value, {plain(floor)} "
            f"(loss {sequence(losses)})."
        )
        return Fact("The steps shrink with the error", text)
    grows = "stays the same" if kind is theory.Regime.BOUNCING else "grows"
    text = (
        f"At this rate the distance to the best line in the steepest direction is multiplied by {rate(r)} per "
        f"step: its size {grows}, so the gradient never fades (loss {sequence(losses)})."
    )
    return Fact("The steps do not shrink", text)


def _loss_clause(trajectory: Trajectory, factor: float) -> str:
    """The loss's share of a fact, as a sentence: all of it scales by r², or only the part above a floor."""
    losses = np.asarray(trajectory.loss, dtype=float)
    floor = floor_of(trajectory)
    if floor is None:
        return "The loss " + _scaled("is multiplied by r² = ", factor, "loss", losses, SHOWN, tail=" per step") + "."
    above = losses - theory.minimum_loss(trajectory.experiment)
    return (
        f"The loss cannot go below its floor, {plain(floor)}, because points at the same x with different y "
        "cannot all be hit: only the part above the floor "
        + _scaled("is multiplied by r² = ", factor, "loss above the floor", above, SHOWN, tail=" per step")
        + f", while the loss itself {'levels off towards the floor' if factor < 1 else 'grows with it'} "
        f"(loss {sequence(losses)})."
    )


def _one_x(trajectory: Trajectory) -> Fact:
    experiment = trajectory.experiment
    kind = theory.regime(experiment)
    r = steep_factor(experiment)
    x = experiment.xs[0]
    name = "error" if experiment.single_point else "mean error"
    gradients = "2·error·x and 2·error" if experiment.single_point else "2·(mean error)·x and 2·(mean error)"
    errors = [float(e) for e in trajectory.errors.mean(axis=1)]
    losses = [float(v) for v in trajectory.loss]
    floor = floor_of(trajectory)
    formula = r_formula(experiment)
    if kind is theory.Regime.SMOOTH:
        title = "The steps shrink with the error"
        text = (
            f"The gradients are {gradients}: large while the guess is far off, fading as it improves, "
            "so each update shortens itself. Every update "
            + _scaled(f"multiplies the {name} by r = ", r, name, errors, SHOWN)
            + ". "
            + _loss_clause(trajectory, r * r)
        )
    elif kind is theory.Regime.ONE_STEP:
        title = "One update lands exactly"
        text = (
            f"With r = {rate(r)} the first update removes the whole {name} ({name} {sequence(errors)}) and the "
            "gradient is zero from then on"
            + ("" if floor is None else f"; the loss drops to its floor, {plain(floor)}, and stays there")
            + f" (loss {sequence(losses)})."
        )
    elif kind is theory.Regime.OVERSHOOTING:
        title = "Overshooting, but still getting closer"
        text = (
            f"Here r = {rate(r)} is negative: every update jumps past the answer, so {_flip(name, errors)}, but "
            "its size "
            + _scaled("shrinks ×", abs(r), name, errors, SHOWN_FLIPPING, tail=" per step", sizes=True)
            + ", so the run settles. "
            + _loss_clause(trajectory, r * r)
        )
    elif kind is theory.Regime.BOUNCING:
        title = "Bouncing forever"
        text = (
            f"With r = {rate(r)} each update jumps exactly as far past the answer as it was before: "
            + (f"the {name} flips between ± the same size" if _alternates(errors) else
               f"in full precision the {name} would flip between ± the same size")
            + f" ({name} {sequence(errors, SHOWN_FLIPPING)}) and the loss never falls "
            f"(loss {sequence(losses)})."
        )
    else:
        title = "Each step overshoots further"
        text = (
            f"With r = {rate(r)} {_flip(name, errors)} and its size "
            + _scaled("grows ×", abs(r), name, errors, SHOWN_FLIPPING, tail=" per update", sizes=True)
            + ". A bigger error means a bigger gradient, which means a bigger jump. "
            + _loss_clause(trajectory, r * r)
        )
    if x == 0.0:
        text += " (With x = 0, a has no effect on the prediction, so only b moves.)"
    return Fact(title, text, formula)


def steep_factor(experiment: Experiment) -> float:
    """r as the sentences say it: exactly 0 at the one-step rate and −1 at the bounce rate.

    The regimes' boundaries are matched within a relative 1e-9 (:mod:`core.maths.theory`), so
    float noise there (1.1e-16 instead of 0) is never quoted as a factor.
    """
    kind = theory.regime(experiment)
    if kind is theory.Regime.ONE_STEP:
        return 0.0
    if kind is theory.Regime.BOUNCING:
        return -1.0
    return theory.error_ratio(experiment)


def r_formula(experiment: Experiment) -> str:
    """r = 1 − 2·lr·(x² + 1) with the numbers plugged in, r as the sentences say it (4 significant digits).

    "=" only when lr and x are shown exactly and they give exactly that r.
    """
    lr, x = given(experiment.lr), given(experiment.xs[0])
    said = float(rate(steep_factor(experiment)).replace("−", "-"))
    digits = Digits()
    again = 1.0 - 2.0 * digits.shown(lr) * (digits.shown(x) ** 2 + 1.0)
    exact = digits.exact(lr) and digits.exact(x) and abs(again - said) <= 1e-12 * max(1.0, abs(said))
    sign = "=" if exact else r"\approx"
    return aligned(
        "r &= 1 - 2 \\cdot \\text{lr} \\cdot (x^2 + 1)",
        f"&= 1 - 2 \\cdot {digits.operand(lr)} \\cdot ({digits.operand(x)}^2 + 1) "
        f"{sign} {latex(said, MAX_DECIMALS)}",
    )


def shrink_fact(trajectory: Trajectory) -> Fact:
    """The first fact of "What to notice": how an update scales the error and the loss here."""
    nothing = nothing_to_learn(trajectory)
    if nothing is not None:
        return nothing
    if not theory.all_x_equal(trajectory.experiment):
        return _several_x(trajectory)
    return _one_x(trajectory)
