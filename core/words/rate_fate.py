"""Words for the loss curve's "Your turn": the fate of a rate and the fewest-updates challenge.

The reasons are the closed form with this experiment's numbers: r = 1 − 2·lr·(x² + 1) for one
x, the Hessian's eigenvalues for several. Numbers go through :mod:`core.words.notation`;
formulas use the LaTeX helpers of :mod:`core.words.explain`.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.challenge import CHALLENGE_TOLERANCE, Attempt, Best, Fate, first_at_fewest
from core.maths.experiment import LR_MIN, Experiment
from core.maths.theory import Regime, all_x_equal, eigenvalues, minimum_loss
from core.words.explain.latex import aligned
from core.words.notation import as_typed, latex, latex_operand, plain, rate

# Each choice says what the error does (its sign and its size) and how that looks, so it is true of
# its own regime and false of every other: "the loss falls step after step" was true of smooth and of
# overshooting alike, and a student who picked it at lr 0.4 was told they were wrong.
_NAMES: dict[Regime, str] = {
    Regime.SMOOTH: "Smooth",
    Regime.ONE_STEP: "One step",
    Regime.OVERSHOOTING: "Overshooting",
    Regime.BOUNCING: "Bouncing",
    Regime.DIVERGING: "Diverging",
}
_ERROR_DOES: dict[Regime, str] = {  # for one x: what the error does each update
    Regime.SMOOTH: "keeps its sign and shrinks, never quite reaching 0",
    Regime.ONE_STEP: "is 0 after the first update",
    Regime.OVERSHOOTING: "flips sign every update and shrinks",
    Regime.BOUNCING: "flips sign every update and keeps its size",
    Regime.DIVERGING: "flips sign every update and grows",
}
_PREDICTION_DOES: dict[Regime, str] = {  # ... and how the prediction moves ({target}: y_true or the mean of y)
    Regime.SMOOTH: "the prediction closes in on {target} from one side",
    Regime.ONE_STEP: "the prediction lands on {target} at once",
    Regime.OVERSHOOTING: "the prediction jumps past {target}, closer each time",
    Regime.BOUNCING: "the prediction jumps back and forth forever, never closer",
    Regime.DIVERGING: "the prediction jumps past {target}, further away each time",
}
_STEEP_DOES: dict[Regime, str] = {  # for several x: what (a, b) does along the steepest direction (λmax)
    Regime.SMOOTH: "stays on one side of the best (a, b) and closes in, never quite reaching it",
    Regime.ONE_STEP: "covers the whole distance to the best (a, b) in the first update",
    Regime.OVERSHOOTING: "jumps past the best (a, b) every update, closer each time",
    Regime.BOUNCING: "jumps past the best (a, b) and back forever, never closer",
    Regime.DIVERGING: "jumps past the best (a, b) every update, further away each time",
}
_FACTOR: dict[Regime, str] = {  # the factor r (one x) or 1 − lr·λmax (several x) each fate needs
    Regime.SMOOTH: "between 0 and 1",
    Regime.ONE_STEP: "of exactly 0",
    Regime.OVERSHOOTING: "between −1 and 0",
    Regime.BOUNCING: "of exactly −1",
    Regime.DIVERGING: "below −1",
}
_SHRINKS = frozenset({Regime.SMOOTH, Regime.OVERSHOOTING})  # the loss falls at every update
_FLIPS = frozenset({Regime.OVERSHOOTING, Regime.BOUNCING, Regime.DIVERGING})  # the error changes sign
_SETTLES = frozenset(regime for regime in Regime if regime.converges)


@dataclass(frozen=True)
class _Voice:
    """How this experiment's fate is said: the error and its target (one x) or the steepest direction."""

    one_x: bool
    error: str  # "error", or "mean error" for several points at one x
    target: str  # "y_true", or "the mean of the y values"

    def does(self, regime: Regime) -> str:
        """What one update does in this regime, as a clause: "the error flips sign every update and shrinks"."""
        if self.one_x:
            return f"the {self.error} {_ERROR_DOES[regime]}"
        return f"along the steepest direction (a, b) {_STEEP_DOES[regime]}"


def _voice(experiment: Experiment) -> _Voice:
    single = experiment.single_point
    return _Voice(
        one_x=all_x_equal(experiment),
        error="error" if single else "mean error",
        target="y_true" if single else "the mean of the y values",
    )


def fate_choices(experiment: Experiment) -> dict[Regime, str]:
    """The five answers to "what will this rate do?", each true of one regime only, in this data's words."""
    voice = _voice(experiment)
    if voice.one_x:
        return {
            regime: f"{_NAMES[regime]}: {voice.does(regime)} — "
            + _PREDICTION_DOES[regime].format(target=voice.target)
            for regime in Regime
        }
    return {regime: f"{_NAMES[regime]}: {voice.does(regime)}" for regime in Regime}


def fate_question(experiment: Experiment) -> str:
    """The question above the choices: what to think about to answer it."""
    voice = _voice(experiment)
    ask = f"Before the curves appear: with this data, what does the learning rate {rate(experiment.lr)} do?"
    if voice.one_x:
        return f"{ask} Think about the factor r each update multiplies the {voice.error} by: its sign and its size."
    return (
        f"{ask} With points at different x the loss is steepest along one direction of (a, b), and each update "
        "multiplies the distance to the best (a, b) along it by the factor 1 − lr·λmax: think about its sign "
        "and its size."
    )


CLOSE_RATE = 1e-3  # a tried rate nearer than this to the best ones is "just below" or "just above"


def fewest_ratio(experiment: Experiment) -> float:
    """λmax/λmin: how much more the loss weighs the steep direction than the flat one."""
    low, high = eigenvalues(experiment)
    return high / low


def rate_text(value: float) -> str:
    """A rate or a factor to 4 significant digits (0.08333, 0.25, −0.6)."""
    return rate(value)


def _factor(value: float) -> str:
    """A factor or eigenvalue inside LaTeX, to 4 significant digits like :func:`rate`."""
    return latex(float(f"{value:.4g}"), 8)


@dataclass(frozen=True)
class FateAnswer:
    right: bool
    title: str
    text: str
    latex: str


def _verdict(regime: Regime, steep: float, voice: _Voice) -> str:
    """The factor, where it lies, and what that does: true of this regime and no other."""
    if regime is Regime.ONE_STEP:
        return f"The factor is 0: {voice.does(regime)}."
    if regime is Regime.BOUNCING:
        return f"The factor is −1: {voice.does(regime)}."
    return f"The factor {rate_text(steep)} is {_FACTOR[regime]}: {voice.does(regime)}."


def _difference(guess: Regime, actual: Regime, voice: _Voice) -> str:
    """What the student's pick gets right, kindly, and what it would need that this rate does not give."""
    pair = {guess, actual}
    if pair <= _SHRINKS:
        shrinks = f"the {voice.error} shrinks" if voice.one_x else "(a, b) closes in along both directions"
        said = f"You are right that the loss falls at every update: at this rate it does, because {shrinks}. But "
    elif pair <= _FLIPS:
        flips = (
            f"the {voice.error} flips sign" if voice.one_x
            else "along the steepest direction (a, b) jumps past the best (a, b)"
        )
        said = f"You are right that {flips} at every update. But "
    elif pair <= _SETTLES:
        said = "You are right that the run settles. But "
    else:
        said = ""
    name = _NAMES[guess].lower() if said else _NAMES[guess]
    return f"{said}{name} needs a factor {_FACTOR[guess]}, so that {voice.does(guess)}."


def fate_answer(experiment: Experiment, fate: Fate, guess: Regime) -> FateAnswer:
    """The answer to the student's prediction, with the reason from the closed form."""
    right = guess is fate.regime
    name = fate.regime.value
    title = f"Right: {name}." if right else f"Not this time: it is {name}, not {guess.value}."
    voice = _voice(experiment)
    verdict = _verdict(fate.regime, fate.steep, voice)
    if not right:
        verdict += " " + _difference(guess, fate.regime, voice)
    lr = experiment.lr
    if fate.one_x:
        x = experiment.xs[0]
        latex = aligned(  # two lines: one long chain would be cut off on a phone
            "r &= 1 - 2 \\cdot \\text{lr} \\cdot (x^2 + 1)",
            f"&= 1 - 2 \\cdot {latex_operand(lr, 8)} \\cdot ({latex_operand(x)}^2 + 1) = {_factor(fate.steep)}",
        )
        text = f"Each update multiplies the {voice.error} by r. {verdict}"
        text += (
            f" Smooth below {rate_text(fate.one_step_rate)}, one step at it, overshooting up to "
            f"{rate_text(fate.bounce_rate)}, bouncing at it, diverging above."
        )
    else:
        low, high = fate.lambda_min, fate.lambda_max
        latex = aligned(
            f"\\lambda_{{\\min}} &= {_factor(low)}, & 1 - \\text{{lr}}\\,\\lambda_{{\\min}} &= {_factor(fate.flat)}",
            f"\\lambda_{{\\max}} &= {_factor(high)}, & 1 - \\text{{lr}}\\,\\lambda_{{\\max}} &= {_factor(fate.steep)}",
        )
        text = (
            "The loss bends more sharply in one direction of (a, b) than in another; λmax and λmin measure how "
            "sharply (precisely: the two eigenvalues of the loss's Hessian, its matrix of second derivatives). Each "
            "update multiplies the distance to the minimum along each of those directions by 1 − lr·λ. The steep "
            "direction decides the fate. "
            f"{verdict}"
        )
        if fate.regime.converges:
            text += f" The flat direction shrinks ×{rate_text(fate.flat)} per step and sets the pace."
        text += f" Stable below 2/λmax = {rate_text(fate.bounce_rate)}."
    return FateAnswer(right, title, text, latex)


# --- the challenge ---------------------------------------------------------------------------


def challenge_intro(experiment: Experiment) -> str:
    lowest = minimum_loss(experiment)
    goal = "below 0.0001" if lowest < CHALLENGE_TOLERANCE else f"within 0.0001 of its lowest value ({plain(lowest)})"
    return (
        f"Which learning rate brings the loss {goal} in the fewest updates, from this start? "
        "Type a rate and press Enter; the count is exact arithmetic, worked out without drawing anything."
    )


def _updates(count: int | None) -> str:
    if count is None:
        return "never gets there"
    return "1 update" if count == 1 else f"{count:,} updates".replace(",", " ")


def attempt_line(attempt: Attempt) -> str:
    """One tried rate: its updates and which side of the best rates it is on, and roughly how far.

    Roughly, in words: the exact distance (0.05 below) gave the best rate away after one try. The
    rate itself is written as the student typed it, every digit: rounded, 0.2500001 read "0.25",
    the same as the one-step rate listed beside it.
    """
    distance = attempt.distance
    if distance == 0.0:
        where = "as few as any rate can do"
    else:
        side = "below" if distance < 0 else "above"
        best = "the best rate" if attempt.best.low == attempt.best.high else "the best rates"
        share = abs(attempt.relative)
        if abs(distance) < CLOSE_RATE:
            where = f"just {side} {best} (within {rate_text(CLOSE_RATE)})"
        elif share < 0.1:
            where = f"a little {side} {best} (within 10 %)"
        elif share < 0.5:
            where = f"{side} {best}"
        else:
            where = f"far {side} {best}"
    return f"lr {as_typed(attempt.rate)}: {_updates(attempt.updates)} ({attempt.regime.value}); {where}."


def best_line(experiment: Experiment, fewest: Best) -> str:
    """The answer: the fewest updates, the rates that reach it, and why."""
    if fewest.updates == 0:
        return "The start is already within 0.0001 of the lowest loss: every rate needs 0 updates."
    if fewest.updates is None:
        return "From this start no rate the app can run gets there."
    count = _updates(fewest.updates)
    if fewest.balanced is None:
        text = (
            f"The best rate is {rate_text(fewest.rate)}, the one-step rate 1/(2(x² + 1)), the rate at which a "
            f"single update removes the whole error: r = 0, so the first update lands in the valley ({count})."
        )
    else:
        rates = (
            rate_text(fewest.rate) if fewest.low == fewest.high
            else f"from {rate_text(fewest.low)} to {rate_text(fewest.high)}"
        )
        text = f"The fewest from this start is {count}, with rates {rates}. " + _balanced_words(experiment, fewest)
    if fewest.rate < LR_MIN:
        text += f" That is below the smallest rate the app runs ({rate_text(LR_MIN)})."
    return text


def _balanced_words(experiment: Experiment, fewest: Best) -> str:
    """How the textbook rate for several points, 2/(λmin + λmax), does from this start, with its count.

    It makes both directions shrink by the same factor: the best promise from any start, not the
    fewest updates from this one. Saying "close to" it alone sent students to a rate that can need
    three times the updates (143 against 83 for three points), so the sentence gives its count.
    """
    balanced = rate_text(fewest.balanced)
    same = "the steep and the flat direction shrink by the same factor"
    if fewest.balanced_updates == fewest.updates:
        return f"2/(λmin + λmax) = {balanced}, which makes {same}, is one of them."
    needs = (
        f"from this one it needs {_updates(fewest.balanced_updates)}" if fewest.balanced_updates is not None
        else "from this one it never gets there"
    )
    side = "lower" if fewest.rate < fewest.balanced else "higher"
    return (
        f"The usual choice for several points, 2/(λmin + λmax) = {balanced}, makes {same}: the best promise "
        f"from any start; {needs}. Which rate is fastest depends on how the start's distance splits between the "
        f"two directions (the loss weighs the steep one {plain(fewest_ratio(experiment), 1)} times more than the "
        f"flat one): here, one a little {side}."
    )


def challenge_status(attempts: list[Attempt]) -> str | None:
    """Whether the student has matched the fewest updates yet."""
    if not attempts:
        return None
    reached = first_at_fewest(attempts)
    if reached is not None:
        count, tried = _updates(reached.updates), as_typed(reached.rate)
        return f"You found it: {count} with lr {tried}, as few as any rate can do."
    fewest = min((a.updates for a in attempts if a.updates is not None), default=None)
    if fewest is None:
        return "None of your rates gets there yet: try a smaller one."
    return f"Your best so far: {_updates(fewest)}. Can a rate do it in fewer?"
