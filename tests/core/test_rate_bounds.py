"""The learning rate's bounds come from the data: the rates a run needs are always allowed.

Issue #18, item 7: with ``data=1:4,100:4`` the one-step rate (9.998e-05) was below the fixed
minimum 0.0001 and the default 0.1 blew up at once. The share-link contract still holds: a link's
lr outside the data's bounds gets a notice naming ``lr``, the nearest allowed value and a rewritten
link; a rate inside them reads back exactly.
"""

from __future__ import annotations

import itertools
import math
from urllib.parse import parse_qs, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.maths import theory
from core.maths.experiment import DEFAULT_LR, LR_MAX, LR_MIN, VALUE_LIMIT, Experiment, from_query, to_query
from core.maths.rate_bounds import (
    DEFAULT_FRACTION,
    HIGH_FACTOR,
    LOW_FRACTION,
    largest_eigenvalue,
    rate_bounds,
)
from core.maths.training import train
from core.words.explain.introduction import introduction
from core.words.notation import exact, literal, rate

ARTICLE_POINTS = ((1.0, 4.0),)
FAR = ((1.0, 4.0), (100.0, 4.0))
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.floats(min_value=-VALUE_LIMIT, max_value=VALUE_LIMIT, allow_nan=False).map(lambda v: float(f"{v:.12g}"))
point_lists = st.lists(st.tuples(values, values), min_size=1, max_size=6).map(tuple)


def kept(value: float) -> float:
    return float(f"{value:.12g}")


def link(points: tuple[tuple[float, float], ...], **params: str) -> tuple[Experiment, tuple]:
    """Open a share link the way the browser hands it over (encoded, then parsed)."""
    query = urlencode({"data": ",".join(f"{literal(x)}:{literal(y)}" for x, y in points), **params}, safe=":,")
    return from_query(parse_qs(query, keep_blank_values=True))


def test_the_article_keeps_its_bounds_default_and_step() -> None:
    bounds = rate_bounds(ARTICLE_POINTS)
    assert (bounds.low, bounds.high, bounds.default, bounds.step) == (LR_MIN, LR_MAX, DEFAULT_LR, 0.01)
    assert (bounds.one_step, bounds.bounce) == (0.25, 0.5)


def test_far_apart_points_allow_their_one_step_rate() -> None:
    bounds = rate_bounds(FAR)
    one_step = theory.rate_scale(Experiment(points=FAR)).one_step
    assert math.isclose(bounds.one_step, one_step, rel_tol=1e-12)
    assert rate(one_step) == "9.998e-05"  # what the rate strip shows
    assert bounds.low == 1e-8 <= LOW_FRACTION * one_step  # the old minimum was 0.0001, above it
    assert bounds.high == 0.005 and bounds.high >= HIGH_FACTOR * bounds.bounce
    assert bounds.step == 1e-6

    experiment, notices = link(FAR, lr=literal(one_step))
    assert notices == () and experiment.lr == kept(one_step)  # a link keeps 12 significant digits
    assert kept(one_step) in bounds.stops()  # and the slider can land on it
    assert theory.regime(experiment) is theory.Regime.ONE_STEP


def test_a_link_without_a_rate_gets_one_that_does_not_blow_up() -> None:
    experiment, notices = link(FAR)
    assert experiment.lr == 4e-05 == float(f"{DEFAULT_FRACTION * rate_bounds(FAR).one_step:.2g}")
    assert theory.regime(experiment) is theory.Regime.SMOOTH
    assert train(experiment.with_(steps=50)).divergence is None
    [notice] = notices
    assert notice.param == "lr" and "the link gives none" in notice.message and "using 4 × 10⁻⁵" in notice.message
    assert to_query(experiment)["lr"] == "4e-05"  # the rewritten link names the rate in use


@pytest.mark.parametrize(
    ("raw", "used", "words"),
    [
        ("0.1", 0.005, "above the largest rate these data allow, 0.005"),
        ("1e-9", 1e-8, "below the smallest rate these data allow, 1 × 10⁻⁸"),
        ("0", 1e-08, "must be above 0"),
        ("abc", 4e-05, "is not a finite number"),
    ],
)
def test_a_rate_outside_the_datas_bounds_is_replaced_and_said(raw: str, used: float, words: str) -> None:
    experiment, notices = link(FAR, lr=raw)
    assert experiment.lr == used
    [notice] = notices
    assert notice.param == "lr" and words in notice.message and f"using {exact(used)}." in notice.message
    again, again_notices = from_query(to_query(experiment))
    assert again == experiment and again_notices == ()


def test_old_links_keep_working() -> None:
    """Every rate a link could hold before (0.0001 … 10) still opens as it did at the article's point."""
    for raw in ("0.0001", "0.01", "0.1", "0.25", "0.4", "0.5", "0.6", "10"):
        experiment, notices = from_query({"lr": raw})
        assert notices == () and experiment.lr == float(raw)
    assert from_query({"data": "1:4,2:5"}) == (Experiment(points=((1.0, 4.0), (2.0, 5.0))), ())


def test_the_slider_stops_are_log_spaced_and_hold_the_boundaries() -> None:
    bounds = rate_bounds(ARTICLE_POINTS)
    stops = bounds.stops(0.123)
    assert stops[0] == LR_MIN and stops[-1] == LR_MAX
    for wanted in (0.01, 0.1, 0.123, 0.25, 0.4, 0.5, 0.6):
        assert wanted in stops
    # 0.1 → 0.4: six presses of an arrow key, where the ± 0.01 field needed 30.
    assert stops.index(0.4) - stops.index(0.1) == 7  # 0.123 is a stop of its own here
    assert bounds.stops().index(0.4) - bounds.stops().index(0.1) == 6


# --- fuzzing the link with random data and rates ---------------------------------------------------------


@FUZZ
@given(points=point_lists)
def test_bounds_suit_any_data(points: tuple[tuple[float, float], ...]) -> None:
    bounds = rate_bounds(points)
    scale = theory.rate_scale(Experiment(points=points))
    assert math.isclose(bounds.one_step, 1.0 / largest_eigenvalue([x for x, _ in points]))
    assert math.isclose(bounds.one_step, scale.one_step, rel_tol=1e-9)
    assert 0 < bounds.low <= min(LR_MIN, LOW_FRACTION * bounds.one_step * (1 + 1e-9))
    # Room to see every regime: a tenth of the one-step rate up to well past the bounce rate.
    assert bounds.low < 0.1 * bounds.one_step and bounds.high >= min(LR_MAX, HIGH_FACTOR * bounds.bounce * (1 - 1e-9))
    assert bounds.high <= LR_MAX and bounds.high > bounds.bounce
    assert bounds.contains(bounds.default)
    assert bounds.default == DEFAULT_LR or bounds.default < bounds.one_step  # the article's 0.1, or a smooth rate
    stops = bounds.stops()
    assert stops == tuple(sorted(set(stops))) and stops[0] == bounds.low and stops[-1] == bounds.high
    assert kept(bounds.one_step) in stops and kept(bounds.bounce) in stops
    # 1.5 → 2 is the widest step; a boundary rate that reads like a stop (1.4995e-06 as "1.5e-06")
    # takes that stop's place, which may widen it by a hair.
    assert all(later / earlier <= 4 / 3 * 1.01 for earlier, later in itertools.pairwise(stops))
    assert len({rate(stop) for stop in stops}) == len(stops)  # every slider label reads differently


@FUZZ
@given(points=point_lists, share=st.floats(min_value=0.0, max_value=1.0))
def test_any_rate_inside_the_bounds_round_trips_exactly(points: tuple[tuple[float, float], ...], share: float) -> None:
    bounds = rate_bounds(points)
    lr = bounds.clamp(float(f"{bounds.low * (bounds.high / bounds.low) ** share:.12g}"))
    experiment, notices = link(points, lr=literal(lr))
    assert notices == ()
    assert experiment.lr == lr
    assert from_query(to_query(experiment)) == (experiment, ())
    assert lr in bounds.stops(lr)  # the slider can show it


@FUZZ
@given(
    points=point_lists,
    factor=st.one_of(st.floats(min_value=1.0001, max_value=1e12), st.floats(min_value=1e-12, max_value=0.9999)),
)
def test_any_rate_outside_the_bounds_gets_a_notice_and_the_nearest_rate(
    points: tuple[tuple[float, float], ...], factor: float
) -> None:
    bounds = rate_bounds(points)
    raw = float(f"{(bounds.high if factor > 1 else bounds.low) * factor:.12g}")
    experiment, notices = link(points, lr=repr(raw))
    assert experiment.lr == (bounds.high if factor > 1 else bounds.low)
    lr_notices = [n for n in notices if n.param == "lr"]
    assert len(lr_notices) == 1 and f"using {exact(experiment.lr)}." in lr_notices[0].message
    assert not set("<>&`") & set(lr_notices[0].message)
    rewritten = to_query(experiment)
    assert from_query(rewritten) == (experiment, ())


def test_the_step_tables_words_name_a_tiny_rate_not_zero() -> None:
    """With rates down to 1e-08 allowed, a sentence that rounds the rate to 4 decimals would say 0."""
    experiment, _ = link(FAR)
    setup = introduction(train(experiment)).setup
    assert "with a learning rate of 4e-05." in setup
