"""The words beside the learning-rate comparison: the factors as metrics, what they mean, the captions.

The numbers come from :mod:`core.maths.comparison` (which rates, their factors, how long each
needs); this module only says them, with :mod:`core.words.notation` writing every number.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.comparison import RateRun, Ratios
from core.maths.experiment import Experiment
from core.maths.theory import DEFAULT_TOLERANCE, all_x_equal, rate_scale, regime_label, steps_to_tolerance
from core.words import notation

# --- steps to converge -------------------------------------------------------------------


@dataclass(frozen=True)
class ConvergenceRow:
    """One line of the steps-to-converge table, already as text."""

    rate: str
    regime: str
    steps: str
    is_current: bool


def already_drawn(rate: float, own: bool) -> str:
    """Why Add changed nothing: the typed rate is on the chart already (a playtest saw a chip and no new line)."""
    if own:
        return f"{notation.rate(rate)} is your own rate: it is on the chart already, as the thick solid line."
    return f"{notation.rate(rate)} is on the chart already."


def steps_text(steps: int | None) -> str:
    if steps is None:
        return "never"
    if steps == 0:
        return "0 (already there)"
    return f"{steps:,}"


def convergence_rows(runs: list[RateRun], tolerance: float = DEFAULT_TOLERANCE) -> list[ConvergenceRow]:
    """Steps each rate needs to bring the loss within ``tolerance`` of its minimum."""
    rows = []
    for run in sorted(runs, key=lambda r: r.lr):
        steps = steps_to_tolerance(run.experiment, tolerance)
        rate = notation.rate(run.lr) + (" (yours)" if run.is_current else "")
        rows.append(ConvergenceRow(rate, regime_label(run.experiment), steps_text(steps), run.is_current))
    return rows


# --- ratios as text -------------------------------------------------------------------------


@dataclass(frozen=True)
class RatioMetric:
    """One number beside the error chart: a label, its value as text and a one-line help."""

    label: str
    value: str
    help: str


def _observed_text(value: Ratios) -> str:
    return "—" if value.observed is None else notation.rate(value.observed)


def ratio_metrics(value: Ratios) -> list[RatioMetric]:
    """Theory next to practice: the closed-form factors and the one read off the run."""
    if value.slow is None:
        step = value.observed_step
        observed_help = (
            f"error at step {step} ÷ error at step {step - 1}, from the run itself"
            if step is not None
            else "no two consecutive non-zero errors in this run to divide"
        )
        return [
            RatioMetric("error × per step", notation.rate(value.error), "r = 1 − 2·lr·(x² + 1), from the formula"),
            RatioMetric("loss × per step", notation.rate(value.loss), "r²: the loss is the error squared"),
            RatioMetric("run shows", _observed_text(value), observed_help),
        ]
    step = value.observed_step
    observed_help = (
        f"(loss − lowest loss) at step {step} ÷ the same at step {step - 1}, from the run itself"
        if step is not None
        else "the run has no two consecutive steps above its lowest loss to divide"
    )
    return [
        RatioMetric(
            "steep direction ×", notation.rate(value.error), "1 − lr·λmax: the factor in the steepest direction"
        ),
        RatioMetric("flat direction ×", notation.rate(value.slow), "1 − lr·λmin: the factor in the flattest direction"),
        RatioMetric("run shows", _observed_text(value), observed_help),
    ]


def ratio_sentence(value: Ratios) -> str:
    """What the per-step factor means for the curve, in one or two plain sentences."""
    if value.slow is not None:
        slowest = max(abs(value.error), abs(value.slow))
        return (
            "With several points the loss has two directions, each with its own factor. "
            f"Above its lowest value the loss ends up shrinking by the square of the larger one "
            f"({notation.rate(slowest)}² = {notation.rate(slowest * slowest)} per step)."
            if slowest < 1.0
            else "With several points the loss has two directions; at this rate one factor is "
            "1 or more in size, so the loss does not settle."
        )
    r = value.error
    if r == 0.0:
        return "The factor is 0: the first update lands exactly on the answer, so the error is 0 from step 1 on."
    if r > 0.0:
        return (
            "The factor is positive and below 1: the error keeps its sign and shrinks by the same "
            "share every step — a straight line on the log scale."
        )
    size = abs(r)
    if size < 1.0:
        tail = "each jump is smaller than the last, so it still settles."
    elif size == 1.0:
        tail = "each jump is exactly as big as the last, so it bounces forever."
    else:
        tail = "each jump is bigger than the last, so it runs away."
    return f"The factor is negative: the error flips sign every step (the guess jumps past the answer), and {tail}"


# --- captions ----------------------------------------------------------------------------------


def scale_caption(experiment: Experiment) -> str:
    """Where the strip's boundary rates come from, with this data's numbers plugged in."""
    scale = rate_scale(experiment)
    one, bounce = notation.rate(scale.one_step), notation.rate(scale.bounce)
    if experiment.single_point:
        x = notation.literal(experiment.xs[0])
        return (
            f"For one point at x = {x} the boundaries come straight from the formula: "
            f"1 / (2·(x² + 1)) = {one} lands in one step, 1 / (x² + 1) = {bounce} bounces forever."
        )
    return (
        "With several points the boundaries come from λmax, the steepest curvature of the loss: how sharply it "
        "bends upwards in the direction of (a, b) where it bends most (precisely, the largest eigenvalue λmax of "
        f"its Hessian, the matrix of second derivatives). 1/λmax = {one} lands that steepest direction in one "
        f"step, 2/λmax = {bounce} is where it starts to bounce."
    )


def steps_caption(experiment: Experiment) -> str:
    """How the steps-to-converge table was counted (and, for several points, what "one step" means)."""
    text = (
        "Counted from the closed form, so it does not depend on how many steps you run "
        f"(the charts above show {experiment.steps}). “never”: a bouncing or diverging rate does not settle."
    )
    if not all_x_equal(experiment):
        text += (
            " With points at different x the one-step rate settles only the steepest direction at once; "
            "the flattest direction still shrinks step by step."
        )
    return text
