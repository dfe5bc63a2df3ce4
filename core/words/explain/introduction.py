"""Section 0 of the step table: the model, the setup, the goal and the first miss, in the run's numbers."""

from __future__ import annotations

from dataclasses import dataclass

from core.maths.experiment import Experiment
from core.maths.theory import Regime, regime
from core.maths.training import Trajectory
from core.words.explain import checkable
from core.words.explain.checkable import computed, given
from core.words.explain.latex import LIST_LIMIT, Y_PRED, Y_PRED_I, aligned, listing
from core.words.notation import plain, rate


@dataclass(frozen=True)
class Introduction:
    """What the page says above the table: the model, the setup, the goal, the first miss."""

    model: str  # LaTeX
    setup: str  # sentence
    goal: str  # sentence
    first_prediction: str  # LaTeX with the start's numbers
    first_miss: str  # sentence


def _points_text(experiment: Experiment) -> str:
    pairs = [f"({plain(x)}, {plain(y)})" for x, y in experiment.points]
    if len(pairs) > LIST_LIMIT:
        pairs = [*pairs[:3], "…", pairs[-1]]
    return ", ".join(pairs)


def _rounds(experiment: Experiment, closing: str, gap: str) -> str:
    """What the rows do to the miss: close it, or, at a rate too large, not (said before the table shows it)."""
    fate = regime(experiment)
    guess, answer = ("the guess", "the answer") if experiment.single_point else ("the line", "the best fit")
    if fate is Regime.BOUNCING:
        return (f"Each row of the table is one more round, but at this learning rate they never shrink {gap}: "
                f"each update throws {guess} to the other side of {answer}, just as far off.")
    if fate is Regime.DIVERGING:
        return (f"Each row of the table is one more round, but at this learning rate they make {gap} grow: "
                f"each update throws {guess} to the other side of {answer}, further off than before.")
    return f"Each row of the table is one more round of {closing}."


def introduction(trajectory: Trajectory) -> Introduction:
    experiment = trajectory.experiment
    start = (
        f"Training starts from a = {plain(experiment.a0)} and b = {plain(experiment.b0)} and "
        f"takes {experiment.steps} update{'s' if experiment.steps != 1 else ''} with a learning rate of "
        f"{rate(experiment.lr)}."  # not plain(): 4 decimals would print a rate of 4e-05 as 0
    )
    goal = (
        "Training searches for values of a and b that make the prediction match the true answer. It does "
        "not solve for them directly: every round it measures the miss, moves both numbers a little against "
        "their gradients, and goes again."
    )
    a0, b0 = experiment.a0, experiment.b0
    if experiment.single_point:
        (x, y), = experiment.points
        prediction = float(trajectory.predictions[0, 0])
        error = float(trajectory.errors[0, 0])
        setup = f"One data point: the input x = {plain(x)} should give y = {plain(y)}. {start}"
        guess = checkable.prediction(given(a0), given(x), given(b0), computed(prediction))
        d = checkable.digits_for([guess])
        formula = (
            f"{Y_PRED} = a \\cdot x + b = {d.tex(given(a0))} \\cdot {d.operand(given(x))} + {d.operand(given(b0))} "
            f"{d.sign(guess)} {d.tex(computed(prediction))}"
        )
        if error == 0.0:
            miss = "That is already the true answer: the loss is 0, so nothing will move."
        else:
            side = "too high" if error > 0 else "too low"
            miss = (
                f"The true answer is {plain(y)}, so the first guess is off by {plain(abs(error))} ({side}). "
                + _rounds(experiment, "closing that gap", "the gap")
            )
    else:
        setup = (
            f"{experiment.n_points} data points (x, y): {_points_text(experiment)}. One line has to fit them "
            f"all, so the loss is the mean of the squared errors. {start}"
        )
        predictions = [computed(p) for p in trajectory.predictions[0]]
        guesses = [
            checkable.prediction(given(a0), given(x), given(b0), p)
            for x, p in zip(experiment.xs, predictions, strict=True)
        ]
        d = checkable.digits_for(guesses)
        shown = r",\ ".join(listing([d.tex(p) for p in predictions]))
        formula = aligned(
            f"{Y_PRED_I} &= {d.tex(given(a0))}\\,x_i + {d.operand(given(b0))}",
            f"{Y_PRED} &{d.sign(*guesses)} \\left({shown}\\right)",
        )
        miss = (
            f"Against the true answers that is a mean squared error of {plain(trajectory.loss[0])} at the "
            "start. " + _rounds(experiment, "bringing it down", "it")
        )
    return Introduction(
        model=f"{Y_PRED} = a \\cdot x + b", setup=setup, goal=goal, first_prediction=formula, first_miss=miss
    )
