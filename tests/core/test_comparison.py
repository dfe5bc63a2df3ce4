"""The learning-rate comparison: which rates (core.maths.comparison), what each does, how long each needs
(core.words.comparison_text).

The numbers are the article's (x = 1, y = 4, start (3, 4)): one-step rate 0.25, bounce rate 0.5,
and every smooth or overshooting run multiplies its error by r = 1 − 4·lr each update.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures.curves import comparison_figure
from core.maths.comparison import (
    PRESET_TOKENS,
    compared_runs,
    custom_token,
    distinct_picks,
    parse_rate,
    preset_rate,
    ratios,
    selected_rates,
    token_label,
    token_rate,
)
from core.maths.experiment import LR_MAX, LR_MIN, Experiment
from core.maths.theory import Regime, rate_scale, steps_to_tolerance
from core.maths.training import train
from core.words.comparison_text import (
    convergence_rows,
    ratio_metrics,
    ratio_sentence,
    scale_caption,
    steps_caption,
    steps_text,
)
from core.words.notation import decimal
from tests.plotly_spec import decode

ARTICLE = Experiment()


# --- which rates ----------------------------------------------------------------------------


def test_presets_follow_the_datas_boundary_rates() -> None:
    assert [preset_rate(token, rate_scale(ARTICLE)) for token in PRESET_TOKENS] == [0.01, 0.25, 0.4, 0.6]
    # At x = 2 the boundaries are 0.1 and 0.2: the presets move with them.
    at_two = rate_scale(Experiment(points=((2.0, 5.0),)))
    assert [preset_rate(token, at_two) for token in PRESET_TOKENS] == [0.004, 0.1, 0.16, 0.24]
    with pytest.raises(ValueError, match="unknown preset"):
        preset_rate("fastest", at_two)


ALLOWED = "A learning rate must be a number from 0.0001 to 10."  # at the article's point


def test_tokens_custom_unknown_and_out_of_range() -> None:
    scale = rate_scale(ARTICLE)
    assert custom_token(0.3) == "lr=0.3" and token_rate("lr=0.3", scale) == 0.3
    assert token_rate("lr=abc", scale) is None and token_rate("lr=0", scale) is None
    assert token_rate("fastest", scale) is None
    assert token_label("overshoot") == "overshooting (0.8 × bounce rate)" and token_label("lr=0.3") == "0.3"
    rates, unavailable = selected_rates(ARTICLE, ["small", "one_step", "lr=0.3", "bogus", "lr=abc"])
    assert rates == (0.01, 0.25, 0.3) and unavailable == ["bogus", "abc"]
    # At x = 1000 every preset lies below the article's smallest rate 0.0001, but the rates follow the
    # data (core.maths.rate_bounds): all four are drawn, and a custom 0.3 is far above these data's top.
    far = Experiment(points=((1000.0, 1.0),), lr=2e-7)
    rates, unavailable = selected_rates(far, [*PRESET_TOKENS, "lr=0.3"])
    assert rates == (2e-08, rate_scale(far).one_step, 8e-07, 1.2e-06) and unavailable == ["0.3"]
    assert parse_rate("4e-7", far.points) == (4e-7, None) and parse_rate("4e-7") == (None, ALLOWED)
    assert parse_rate("0.3", far.points) == (None, "A learning rate must be a number from 1 × 10⁻¹⁰ to 2 × 10⁻⁵.")


@pytest.mark.parametrize(("raw", "rate"), [("0.2", 0.2), (" 0.05 ", 0.05), ("10", 10.0), ("1e-4", 1e-4)])
def test_a_typed_rate_is_read_like_the_experiments(raw: str, rate: float) -> None:
    assert parse_rate(raw) == (rate, None)


@pytest.mark.parametrize("raw", ["0", "-0.1", "nan", "inf", "11", "abc", "", "<b>0.2</b>"])
def test_a_bad_typed_rate_says_the_allowed_range(raw: str) -> None:
    assert parse_rate(raw) == (None, ALLOWED)


def test_compared_runs_put_yours_first_then_each_other_rate_once_in_order() -> None:
    runs = compared_runs(ARTICLE, [0.6, 0.01, 0.1, 0.6, 0.25, 20.0])
    assert [(run.lr, run.regime, run.is_current) for run in runs] == [
        (0.1, Regime.SMOOTH, True),
        (0.01, Regime.SMOOTH, False),
        (0.25, Regime.ONE_STEP, False),
        (0.6, Regime.DIVERGING, False),
    ]
    assert [run.label for run in runs] == [
        "your rate 0.1 (smooth)", "lr 0.01 (smooth)", "lr 0.25 (one step)", "lr 0.6 (diverging)",
    ]
    # Only the rate differs: same data, start, length and precision.
    assert all(run.experiment == ARTICLE.with_(lr=run.lr) for run in runs)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(min_value=-1.0, max_value=2 * LR_MAX, allow_nan=False), max_size=8))
def test_compared_runs_are_always_valid_distinct_and_sorted(rates: list[float]) -> None:
    runs = compared_runs(ARTICLE, rates)
    others = [run.lr for run in runs[1:]]
    assert runs[0].is_current and runs[0].lr == ARTICLE.lr
    assert others == sorted(set(others)) and ARTICLE.lr not in others
    assert all(LR_MIN <= lr <= LR_MAX for lr in others)
    assert set(others) == {rate for rate in rates if LR_MIN <= rate <= LR_MAX} - {ARTICLE.lr}


# --- what each rate does, how long it needs -----------------------------------------------------------


def test_the_articles_factors_from_theory_and_from_the_run() -> None:
    value = ratios(train(ARTICLE))
    assert (value.error, value.loss, value.slow) == pytest.approx((0.6, 0.36, None))
    assert value.observed == pytest.approx(0.6, rel=1e-12) and value.observed_step == 5
    assert [(m.label, m.value) for m in ratio_metrics(value)] == [
        ("error × per step", "0.6"), ("loss × per step", "0.36"), ("run shows", "0.6"),
    ]
    assert ratio_sentence(value).startswith("The factor is positive and below 1")


def test_the_one_step_rate_shows_its_factor_0_in_the_run_too() -> None:
    """Teacher playtest: at lr 0.25 the run's metric read "—" beside the formula's 0."""
    value = ratios(train(ARTICLE.with_(lr=0.25)))
    assert value.observed == 0.0 and value.observed_step == 1
    assert ("run shows", "0") in [(m.label, m.value) for m in ratio_metrics(value)]
    assert ratios(train(ARTICLE.with_(steps=0))).observed is None  # no update: nothing to divide


@pytest.mark.parametrize(
    ("lr", "start"),
    [(0.25, "The factor is 0"), (0.4, "The factor is negative"), (0.5, "The factor is negative"),
     (0.6, "The factor is negative")],
)
def test_the_sentence_follows_the_sign_and_size_of_the_factor(lr: float, start: str) -> None:
    sentence = ratio_sentence(ratios(train(ARTICLE.with_(lr=lr))))
    assert sentence.startswith(start)
    ending = {0.4: "still settles.", 0.5: "bounces forever.", 0.6: "runs away."}.get(lr)
    assert ending is None or sentence.endswith(ending)


def test_several_points_have_two_factors() -> None:
    two = Experiment(points=((1.0, 2.0), (2.0, 5.0)), lr=0.1)
    value = ratios(train(two))
    assert value.slow is not None and abs(value.slow) < 1.0 and value.observed_is_loss
    labels = [metric.label for metric in ratio_metrics(value)]
    assert labels == ["steep direction ×", "flat direction ×", "run shows"]
    assert "two directions" in ratio_sentence(value)


def test_steps_to_converge_at_the_article_point() -> None:
    # Loss 9·0.36^k ≤ 1e-4 from k = 12 on (smooth 0.1); 9·0.9216^k from k = 140 (0.01).
    rows = convergence_rows(compared_runs(ARTICLE, [0.6, 0.01, 0.25]))
    assert [(row.rate, row.regime, row.steps, row.is_current) for row in rows] == [
        ("0.01", "smooth", "140", False),
        ("0.1 (yours)", "smooth", "12", True),
        ("0.25", "one step", "1", False),
        ("0.6", "diverging", "never", False),
    ]
    assert 9 * 0.36**12 <= 1e-4 < 9 * 0.36**11
    assert steps_to_tolerance(ARTICLE.with_(lr=0.01)) == math.ceil(math.log(1e-4 / 9) / math.log(0.96**2))


def test_counts_and_tolerances_as_text() -> None:
    assert [steps_text(n) for n in (None, 0, 7, 1234)] == ["never", "0 (already there)", "7", "1,234"]
    assert [decimal(t) for t in (1e-2, 1e-4, 1e-6)] == ["0.01", "0.0001", "0.000001"]


def test_captions_carry_this_datas_numbers() -> None:
    assert scale_caption(ARTICLE) == (
        "For one point at x = 1 the boundaries come straight from the formula: "
        "1 / (2·(x² + 1)) = 0.25 lands in one step, 1 / (x² + 1) = 0.5 bounces forever."
    )
    several = Experiment(points=((1.0, 2.0), (2.0, 5.0)))
    assert "largest eigenvalue" in scale_caption(several)
    assert "(the charts above show 5)" in steps_caption(ARTICLE)
    assert "flattest direction" in steps_caption(several) and "flattest" not in steps_caption(ARTICLE)


# --- picks drawn once, and several runs leaving one chart ---------------------------------------


def test_a_rate_named_twice_or_the_students_own_is_picked_once() -> None:
    """A preset and its number name one line (0.01 is "small" at the article's point); the own rate is drawn already."""
    picks, repeats = distinct_picks(ARTICLE, ["small", "lr=0.01", "lr=0.1", "lr=50", "lr=0.3", "overshoot", "lr=0.4"])
    assert picks == ["small", "lr=50", "lr=0.3", "overshoot"]  # 50 cannot run here: kept, and named as not drawn
    assert [(r.token, r.rate, r.own) for r in repeats] == [("lr=0.01", 0.01, False), ("lr=0.1", 0.1, True),
                                                          ("lr=0.4", 0.4, False)]


def test_several_runs_leaving_the_chart_are_named_together_above_it() -> None:
    """Teacher playtest: four diverging rates put four notes on one another; above the plot they cover nothing."""
    pairs = [(run, train(run.experiment)) for run in compared_runs(ARTICLE, [0.55, 0.6, 0.7, 0.8])]
    figure = comparison_figure(pairs)
    (note,) = figure["layout"]["annotations"]
    assert (note["xref"], note["yref"], note["y"], note["yanchor"]) == ("paper", "paper", 1.0, "bottom")
    rows = note["text"].split("<br>")
    assert rows[0] == "left the chart:" and len(rows) == 3  # two runs to a row
    for run, _ in pairs[1:]:  # each diverging rate at the step its "×" marks, the "✕" in its run's colour
        colour = next(t["line"]["color"] for t in figure["data"] if t.get("name") == run.label)
        mark = next(t for t in figure["data"] if t.get("name") == f"{run.label}: left the chart")
        step = int(decode(mark["x"])[0])
        assert f'<span style="color:{colour}">✕</span> {run.lr:g} at step {step}' in note["text"]
    single = comparison_figure([(run, train(run.experiment)) for run in compared_runs(ARTICLE, [0.6])])
    room = figure["layout"]["margin"]["t"] - single["layout"]["margin"]["t"]
    assert room > 0 and figure["layout"]["height"] - single["layout"]["height"] == room  # the plot keeps its size
