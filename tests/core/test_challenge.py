"""The loss curve's Your turn: the fate of a rate, the fewest-updates challenge, their words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.maths.challenge import (
    CHALLENGE_TOLERANCE,
    attempt,
    balanced_rate,
    best,
    fate,
    parse_fate,
    updates_needed,
)
from core.maths.experiment import LR_MIN, Experiment, validate
from core.maths.theory import Regime, minimum_loss, rate_scale
from core.maths.training import train
from core.words.rate_fate import attempt_line, best_line, challenge_status, fate_answer

THREE = Experiment(points=((1.0, 4.0), (2.0, 5.0), (3.0, 7.0)))


@pytest.mark.parametrize(
    ("lr", "regime", "r"),
    [(0.1, Regime.SMOOTH, "0.6"), (0.25, Regime.ONE_STEP, "0"), (0.4, Regime.OVERSHOOTING, "-0.6"),
     (0.5, Regime.BOUNCING, "-1"), (0.6, Regime.DIVERGING, "-1.4")],
)
def test_the_fate_of_each_rate_at_the_articles_point(lr: float, regime: Regime, r: str) -> None:
    experiment = Experiment(lr=lr)
    answer = fate(experiment)
    assert answer.regime is regime and answer.one_x
    words = fate_answer(experiment, answer, regime)
    assert words.right and words.title == f"Right: {regime.value}."
    assert words.latex.endswith(f"(1^2 + 1) = {r} \\end{{aligned}}")  # two lines: fits a phone
    wrong = Regime.DIVERGING if regime is not Regime.DIVERGING else Regime.SMOOTH
    other = fate_answer(experiment, answer, wrong)
    assert not other.right and f"it is {regime.value}, not {wrong.value}" in other.title
    assert "0.25" in other.text and "0.5" in other.text  # the boundaries, from the closed form


def test_several_points_reason_with_the_hessians_eigenvalues() -> None:
    answer = fate(THREE)
    assert answer.regime is Regime.OVERSHOOTING and not answer.one_x  # steep factor 1 − 0.1·11.093
    assert answer.lambda_min == pytest.approx(0.24039, abs=1e-4)
    assert answer.lambda_max == pytest.approx(11.0930, abs=1e-3)
    words = fate_answer(THREE, answer, Regime.SMOOTH)
    assert "−0.1093 is between −1 and 0" in words.text
    assert r"\lambda_{\min} &= 0.2404" in words.latex and r"\lambda_{\max} &= 11.09" in words.latex
    assert "2/λmax = 0.1803" in words.text


def test_a_fate_is_read_by_its_name() -> None:
    assert parse_fate("one step") is Regime.ONE_STEP
    assert parse_fate(" Diverging ") is Regime.DIVERGING
    assert parse_fate("<script>") is None and parse_fate(None) is None


def test_one_point_the_one_step_rate_wins_in_one_update() -> None:
    fewest = best(Experiment())
    assert (fewest.updates, fewest.rate, fewest.balanced) == (1, 0.25, None)
    tried = attempt(Experiment(), 0.2)
    assert tried.updates == 4 and tried.distance == pytest.approx(-0.05)
    assert attempt_line(tried) == "lr 0.2: 4 updates (smooth); below the best rate."
    # Which side and roughly how far, never the distance itself (0.05 below would name 0.25).
    assert attempt_line(attempt(Experiment(), 0.24)).endswith("a little below the best rate (within 10 %).")
    assert attempt_line(attempt(Experiment(), 0.1)).endswith("far below the best rate.")
    assert attempt_line(attempt(Experiment(), 0.3)).endswith("; above the best rate.")
    assert attempt_line(attempt(Experiment(), 0.25)).endswith("as few as any rate can do.")
    assert attempt(Experiment(), 0.6).updates is None
    assert "one-step rate" in best_line(Experiment(), fewest)
    # The count is what training really does: loss below 0.0001 after 12 updates at 0.1, not after 11.
    run = train(Experiment(lr=0.1, steps=12))
    assert updates_needed(Experiment(), 0.1) == 12
    assert run.loss[12] < CHALLENGE_TOLERANCE <= run.loss[11]


def test_several_points_the_scan_finds_fewer_updates_than_the_balanced_rate() -> None:
    fewest = best(THREE)
    assert fewest.balanced == pytest.approx(2 / (0.24039 + 11.09294), rel=1e-4)
    assert fewest.updates == 83 and updates_needed(THREE, fewest.balanced) == 143
    assert fewest.low <= fewest.rate <= fewest.high < fewest.balanced
    lowest = minimum_loss(THREE)
    run = train(THREE.with_(lr=fewest.rate, steps=83))
    assert run.loss[83] - lowest < CHALLENGE_TOLERANCE <= run.loss[82] - lowest
    assert "from 0.1701 to 0.1727" in best_line(THREE, fewest)
    # The ends are pinned down: just outside them a rate needs one update more.
    assert updates_needed(THREE, fewest.low) == updates_needed(THREE, fewest.high) == 83
    assert updates_needed(THREE, fewest.low - 2e-5) == updates_needed(THREE, fewest.high + 2e-5) == 84
    assert "46.1 times more" in best_line(THREE, fewest)
    # The textbook rate is named with what it costs from this start, not as the answer's neighbour.
    assert fewest.balanced_updates == 143
    assert "2/(λmin + λmax) = 0.1765" in best_line(THREE, fewest)
    assert "from this one it needs 143 updates" in best_line(THREE, fewest)
    assert "here, one a little lower" in best_line(THREE, fewest)
    assert attempt_line(attempt(THREE, 0.17, fewest)) == (
        "lr 0.17: 84 updates (overshooting); just below the best rates (within 0.001)."
    )


def test_when_the_balanced_rate_is_among_the_best_the_answer_says_so() -> None:
    symmetric, _ = validate({"points": [[-1, 2], [1, 4]]})  # x = ±1: both directions bend alike
    fewest = best(symmetric)
    assert fewest.updates == fewest.balanced_updates == 1
    answer = best_line(symmetric, fewest)
    assert "2/(λmin + λmax) = 0.5, which makes the steep and the flat direction shrink by the same factor" in answer
    assert answer.endswith("is one of them.")


def test_the_record_of_attempts() -> None:
    assert challenge_status([]) is None
    slow = attempt(Experiment(), 0.1)
    assert challenge_status([slow]) == "Your best so far: 12 updates. Can a rate do it in fewer?"
    assert challenge_status([slow, attempt(Experiment(), 0.25)]).startswith("You found it: 1 update with lr 0.25")
    assert challenge_status([attempt(Experiment(), 0.7)]).startswith("None of your rates")


def test_a_best_rate_below_the_apps_range_is_said() -> None:
    far = Experiment(points=((-3.0, 4.0), (2.0, -5.0), (900.0, 7.0)))
    fewest = best(far)
    assert fewest.rate < LR_MIN
    assert "below the smallest rate the app runs" in best_line(far, fewest)
    assert balanced_rate(Experiment()) is None


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.floats(min_value=0.0, max_value=1.0, exclude_min=True, exclude_max=True))
def test_no_typed_rate_beats_the_fewest(fraction: float) -> None:
    rate = max(fraction * rate_scale(THREE).bounce, LR_MIN)
    count = updates_needed(THREE, rate)
    assert count is None or count >= best(THREE).updates
