"""The loss curve's "what will this rate do?": every choice is true of its own regime and of no other.

A playtest found "Smooth: the loss falls step after step" marked wrong at lr 0.4, where the loss
does fall every step (9 → 3.24 → 1.17 …): the choice described the loss, the answer the error.
Here each choice is read as the claims it makes ("flips sign every update", "closer each time", …)
and checked against what training really does at one rate of every regime: exactly one choice
may hold, and it must be the regime's own. With several x the claims are about the steepest
direction: the distance of (a, b) to the best (a, b) along the Hessian's λmax eigenvector.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import numpy as np
import pytest

from core.maths.challenge import fate
from core.maths.experiment import Experiment
from core.maths.theory import Regime, all_x_equal, hessian, landing_point, rate_scale
from core.maths.training import train
from core.words.rate_fate import fate_answer, fate_choices, fate_question

ARTICLE = Experiment()
SAME_X = Experiment(points=((1.0, 4.0), (1.0, 6.0)))  # two points at one x: one factor, the mean error
THREE = Experiment(points=((1.0, 4.0), (2.0, 5.0), (3.0, 7.0)))  # different x: the steepest direction decides
TINY = 1e-9


def _signal(experiment: Experiment) -> np.ndarray:
    """What the choices talk about, step by step: the (mean) error for one x, else the steep coordinate."""
    run = train(experiment.with_(steps=6))
    if all_x_equal(experiment):
        return run.errors.mean(axis=1)
    _, vectors = np.linalg.eigh(hessian(experiment))
    offsets = np.column_stack([run.a, run.b]) - np.array(landing_point(experiment))
    return offsets @ vectors[:, -1]


def _pairs(values: np.ndarray) -> list[tuple[float, float]]:
    return list(itertools.pairwise(values))


def _zero(value: float, scale: float) -> bool:
    return abs(value) <= TINY * scale


def _claims() -> dict[str, Callable[[np.ndarray], bool]]:
    """Each phrase a choice may use, and when it is true of a run's error (or steep coordinate)."""

    def scale(e: np.ndarray) -> float:
        return float(abs(e[0]))

    def same_sign(e: np.ndarray) -> bool:
        return all(a * b > 0 and not _zero(b, scale(e)) for a, b in _pairs(e))

    def flips(e: np.ndarray) -> bool:
        return all(a * b < 0 and not _zero(b, scale(e)) for a, b in _pairs(e))

    def shrinks(e: np.ndarray) -> bool:
        return all(abs(b) < abs(a) * (1 - TINY) and not _zero(b, scale(e)) for a, b in _pairs(e))

    def same_size(e: np.ndarray) -> bool:
        return all(abs(abs(b) - abs(a)) <= TINY * abs(a) and not _zero(b, scale(e)) for a, b in _pairs(e))

    def grows(e: np.ndarray) -> bool:
        return all(abs(b) > abs(a) * (1 + TINY) for a, b in _pairs(e))

    def zero_after_first(e: np.ndarray) -> bool:
        return all(_zero(v, scale(e)) for v in e[1:])

    def never_zero(e: np.ndarray) -> bool:
        return not any(_zero(v, scale(e)) for v in e)

    return {
        "keeps its sign": same_sign,
        "from one side": same_sign,
        "stays on one side": same_sign,
        "flips sign every update": flips,
        "jumps past": flips,
        "back and forth": flips,
        "and shrinks": shrinks,
        "closer each time": shrinks,
        "closes in": shrinks,
        "keeps its size": same_size,
        "never closer": same_size,
        "and grows": grows,
        "further away each time": grows,
        "is 0 after the first update": zero_after_first,
        "lands on": zero_after_first,
        "whole distance": zero_after_first,
        "never quite reaching": never_zero,
    }


def _true_choices(experiment: Experiment) -> set[Regime]:
    """The regimes whose choice text claims only what this run does."""
    signal = _signal(experiment)
    claims = _claims()
    true = set()
    for regime, text in fate_choices(experiment).items():
        made = [phrase for phrase in claims if phrase in text]
        assert made, f"{text!r} makes no claim this test can check"
        if all(claims[phrase](signal) for phrase in made):
            true.add(regime)
    return true


def _rates(experiment: Experiment) -> dict[Regime, float]:
    """One rate inside each regime, and the two boundary rates themselves."""
    scale = rate_scale(experiment)
    return {
        Regime.SMOOTH: 0.4 * scale.one_step,
        Regime.ONE_STEP: scale.one_step,
        Regime.OVERSHOOTING: 0.5 * (scale.one_step + scale.bounce),
        Regime.BOUNCING: scale.bounce,
        Regime.DIVERGING: 1.2 * scale.bounce,
    }


@pytest.mark.parametrize("data", [ARTICLE, SAME_X, THREE], ids=["one point", "two points at one x", "three x"])
@pytest.mark.parametrize("regime", list(Regime), ids=lambda regime: regime.value)
def test_each_choice_is_true_of_its_own_regime_only(data: Experiment, regime: Regime) -> None:
    experiment = data.with_(lr=_rates(data)[regime])
    assert fate(experiment).regime is regime  # the premise
    assert _true_choices(experiment) == {regime}


def test_at_lr_04_the_smooth_choice_no_longer_claims_what_overshooting_does() -> None:
    """The playtest: at lr 0.4 the loss falls 9 → 3.24 → 1.17, so "the loss falls" must not be the smooth choice."""
    experiment = ARTICLE.with_(lr=0.4)
    np.testing.assert_allclose(train(experiment).loss[:3], [9.0, 3.24, 1.1664])
    choices = fate_choices(experiment)
    assert not any("loss" in text for text in choices.values())  # the loss falls at smooth and overshooting alike
    assert choices[Regime.SMOOTH].startswith("Smooth: the error keeps its sign and shrinks")
    assert choices[Regime.OVERSHOOTING].startswith("Overshooting: the error flips sign every update and shrinks")
    assert "sign and its size" in fate_question(experiment)


def test_a_wrong_pick_hears_what_it_got_right_and_what_it_would_need() -> None:
    experiment = ARTICLE.with_(lr=0.4)
    words = fate_answer(experiment, fate(experiment), Regime.SMOOTH)
    assert not words.right and words.title == "Not this time: it is overshooting, not smooth."
    assert "The factor −0.6 is between −1 and 0: the error flips sign every update and shrinks." in words.text
    assert "You are right that the loss falls at every update: at this rate it does, because the error shrinks." in (
        words.text
    )
    assert "But smooth needs a factor between 0 and 1, so that the error keeps its sign and shrinks" in words.text
    bounce = fate_answer(experiment, fate(experiment), Regime.BOUNCING)
    assert "You are right that the error flips sign at every update." in bounce.text
    needs = "But bouncing needs a factor of exactly −1, so that the error flips sign every update and keeps its size."
    assert needs in bounce.text
    far = fate_answer(ARTICLE, fate(ARTICLE), Regime.DIVERGING)  # lr 0.1: nothing in common to grant
    assert "You are right" not in far.text
    assert "Diverging needs a factor below −1, so that the error flips sign every update and grows." in far.text


@pytest.mark.parametrize("data", [ARTICLE, SAME_X, THREE], ids=["one point", "two points at one x", "three x"])
@pytest.mark.parametrize("actual", list(Regime), ids=lambda regime: regime.value)
def test_every_answer_is_true_of_the_run(data: Experiment, actual: Regime) -> None:
    """Whatever the pick, the reason describes this run, and what it grants the pick holds here too."""
    experiment = data.with_(lr=_rates(data)[actual])
    run = train(experiment.with_(steps=6))
    signal = _signal(experiment)
    claims = _claims()
    for guess in Regime:
        words = fate_answer(experiment, fate(experiment), guess)
        assert words.right is (guess is actual)
        (verdict,) = re.findall(r"The factor .*?\.(?=\s|$)", words.text)  # "The factor −0.6 is between −1 and 0: …"
        said = [phrase for phrase in claims if phrase in verdict]
        assert said and all(claims[phrase](signal) for phrase in said), (guess, verdict)
        if guess is actual:
            assert "needs a factor" not in words.text
            continue
        assert f"{guess.value} needs a factor" in words.text.lower()
        if "the loss falls at every update" in words.text:
            assert np.all(np.diff(run.loss) < 0)
        if "flips sign at every update" in words.text or "jumps past the best (a, b) at every update" in words.text:
            assert claims["flips sign every update"](signal)
        if "the run settles" in words.text:
            assert actual.converges
