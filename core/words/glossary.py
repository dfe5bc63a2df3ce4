"""Plain words for the terms the app uses about learning rates, with the precise term kept beside them.

A 16-year-old who has just met gradient descent should be able to follow every sentence; a
university student should still find the exact term. So each term has a gloss in everyday words
and, where there is one, the precise name (shown after the gloss, or behind an expander).
Every page that uses one of these terms takes its wording from here, so the words match.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.experiment import Experiment
from core.maths.theory import all_x_equal


@dataclass(frozen=True)
class Term:
    """A term, what it means in plain words, and (optionally) the precise version."""

    name: str
    plain: str
    precise: str | None = None


FACTOR = Term(
    "r, the error's factor",
    "the share of the error that is left after one update; the new error is r times the old one",
)
BELOW_ONE = Term(
    "below 1 in size",
    "r between −1 and 1: every update leaves a smaller error than the one before, so training settles (a "
    "negative r flips the error's sign each time, but it still shrinks)",
    "|r| < 1",
)
ONE_STEP_RATE = Term(
    "one-step rate",
    "the learning rate that makes r = 0: one update removes the whole error and lands on the best answer",
    "lr = 1/λmax; for one point 1/(2(x² + 1))",
)
BOUNCE_RATE = Term(
    "bounce rate",
    "the learning rate that makes r = −1: each update jumps exactly as far past the answer as it was before, "
    "so the error flips sign forever without shrinking; any larger rate makes it grow",
    "lr = 2/λmax; for one point 1/(x² + 1)",
)
CURVATURE = Term(
    "λmax, the steepest curvature",
    "how sharply the loss bends upwards in the direction of (a, b) where it bends most, like the steepest "
    "side of a bowl; a sharper bend needs a smaller learning rate",
    "the largest eigenvalue λmax of the loss's Hessian, the 2×2 matrix of its second derivatives "
    "H = 2·[[mean x², mean x], [mean x, 1]]",
)

TERMS: tuple[Term, ...] = (FACTOR, BELOW_ONE, ONE_STEP_RATE, BOUNCE_RATE, CURVATURE)


def glossary_lines() -> list[str]:
    """One Markdown line per term: the plain meaning, then the precise one in brackets."""
    lines = []
    for term in TERMS:
        line = f"- **{term.name}**: {term.plain}."
        if term.precise:
            line += f" *(Precisely: {term.precise}.)*"
        lines.append(line)
    return lines


def factor_intro(experiment: Experiment) -> str:
    """The loss curve's opening sentence about the factor r, with its terms glossed.

    Only when every point shares one x does an update multiply the error by one factor; with points
    at different x each direction of (a, b) has its own, and single errors may even grow while the
    loss falls, so the sentence says that instead of promising every error shrinks.
    """
    if all_x_equal(experiment):
        error = "error" if experiment.single_point else "mean error"
        return (
            f"Every update multiplies the {error} by a factor r fixed by the learning rate and the data (for one "
            "point: r = 1 − 2·lr·(x² + 1); the step table shows where that comes from). When r is below 1 in size, "
            f"that is between −1 and 1, each {error} is smaller than the one before: the loss falls fast at first and "
            f"then ever more gently. A negative r flips the {error}'s sign each step. At r = −1 or beyond, the run "
            "bounces for ever or blows up."
        )
    return (
        "With points at different x, an update no longer multiplies one error by one factor. The loss bends most "
        "along one direction of (a, b) and least along another, and each direction has its own factor, "
        "r = 1 − lr·λ, where λ says how sharply the loss bends that way (the step table's \"Where r comes from\" "
        "works both out). When both are below 1 in size, that is between −1 and 1, (a, b) closes in on the best "
        "line at every update: the loss falls fast at first and then ever more gently, at the pace of whichever "
        "factor is nearer to ±1 (mostly the gentle direction's). One point's own error may still grow, since the "
        "best line need not pass through it. A negative r sends (a, b) from side to side. Once the sharp "
        "direction's r reaches −1, the run bounces for ever or blows up."
    )
