"""The loss curve's opening words about the factor r say only what holds for the data on screen."""

from __future__ import annotations

import numpy as np

from core.maths import theory
from core.maths.experiment import Experiment, from_query
from core.maths.training import train
from core.words.glossary import factor_intro


def linked(query: dict[str, str]) -> Experiment:
    experiment, notices = from_query(query)
    assert not notices
    return experiment


def test_one_point_the_error_is_multiplied_by_r() -> None:
    text = factor_intro(linked({}))
    assert "Every update multiplies the error by a factor r" in text
    assert "each error is smaller than the one before" in text


def test_several_points_at_one_x_speak_of_the_mean_error() -> None:
    experiment = linked({"data": "2:3,2:5"})
    text = factor_intro(experiment)
    assert "multiplies the mean error by a factor r" in text
    errors = train(experiment).errors.mean(axis=1)
    r = theory.error_ratio(experiment)
    assert np.allclose(errors[1:], r * errors[:-1])  # what the sentence promises, step by step


def test_points_at_different_x_promise_no_single_factor() -> None:
    """Here point 3's own error starts at 0 and grows while the loss falls, as the sentence warns."""
    experiment = linked({"data": "0:0,1:3,2:4", "a": "2", "b": "0"})
    text = factor_intro(experiment)
    assert "each error is smaller" not in text and "multiplies the error" not in text
    assert "each direction has its own factor, r = 1 − lr·λ" in text
    # The pace is the factor nearer ±1: at lr 0.178 the sharp direction's −0.9745 is slower than the flat 0.957.
    assert "whichever factor is nearer to ±1" in text and "flat direction's pace" not in text
    near_bounce = linked({"data": "1:4,2:5,3:7", "lr": "0.178"})
    sharp = theory.error_ratio(near_bounce)
    assert abs(sharp) > abs(theory.slow_ratio(near_bounce)) and sharp < 0
    assert "One point's own error may still grow" in text
    trajectory = train(experiment)
    assert np.all(np.diff(trajectory.loss) < 0)
    assert abs(trajectory.errors[-1, 2]) > abs(trajectory.errors[0, 2])
