"""Properties over many experiments (hypothesis): the loss falls, nothing is ever NaN, input never breaks core."""

from __future__ import annotations

import math
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.maths import surface, theory
from core.maths.experiment import (
    LR_MAX,
    MODES,
    POINTS_MAX,
    QUERY_KEYS,
    STEPS_MAX,
    VALUE_LIMIT,
    Experiment,
    Notice,
    from_query,
    to_query,
    validate,
)
from core.maths.rate_bounds import rate_bounds
from core.maths.training import train
from core.words.regime_text import regime_sentence

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

values = st.floats(min_value=-VALUE_LIMIT, max_value=VALUE_LIMIT, allow_nan=False)
points = st.lists(st.tuples(values, values), min_size=1, max_size=5)


@st.composite
def experiments(draw: st.DrawFn, max_steps: int = STEPS_MAX) -> Experiment:
    """Any valid experiment, built the one way the app builds them (validate)."""
    raw = {
        "points": draw(points),
        "a0": draw(values),
        "b0": draw(values),
        "lr": 0.0,  # drawn below, within the bounds of the points
        "steps": draw(st.integers(min_value=0, max_value=max_steps)),
        "mode": draw(st.sampled_from(MODES)),
    }
    bounds = rate_bounds(validate({"points": raw["points"]})[0].points)
    share = draw(st.floats(min_value=0.0, max_value=1.0))  # where on a log scale from low to high
    raw["lr"] = bounds.clamp(float(f"{bounds.low * (bounds.high / bounds.low) ** share:.12g}"))
    experiment, notices = validate(raw)
    assert notices == ()
    return experiment


def assert_within_bounds(experiment: Experiment) -> None:
    assert isinstance(experiment, Experiment)
    assert 1 <= experiment.n_points <= POINTS_MAX
    for x, y in experiment.points:
        assert isinstance(x, float) and isinstance(y, float)
        assert math.isfinite(x) and math.isfinite(y)
        assert abs(x) <= VALUE_LIMIT and abs(y) <= VALUE_LIMIT
    for start in (experiment.a0, experiment.b0):
        assert isinstance(start, float) and math.isfinite(start) and abs(start) <= VALUE_LIMIT
    assert isinstance(experiment.lr, float) and rate_bounds(experiment.points).contains(experiment.lr)
    assert 0 < experiment.lr <= LR_MAX
    assert type(experiment.steps) is int and 0 <= experiment.steps <= STEPS_MAX
    assert experiment.mode in MODES


def assert_plain_notices(notices: tuple[Notice, ...]) -> None:
    for notice in notices:
        assert notice.param in QUERY_KEYS
        assert not set("<>&`") & set(notice.message), notice.message
        assert notice.message.isprintable()


@FAST
@given(
    x=st.floats(min_value=-50, max_value=50),
    y=values,
    a0=values,
    b0=values,
    fraction=st.floats(min_value=0.3, max_value=0.995),
)
def test_single_point_loss_never_increases_below_the_bounce_rate(
    x: float, y: float, a0: float, b0: float, fraction: float
) -> None:
    base = Experiment(points=((x, y),), a0=a0, b0=b0, steps=200)
    lr = fraction * theory.rate_scale(base).bounce
    experiment = base.with_(lr=lr)  # always inside the data's bounds (their low is ≤ 0.001 × one-step)
    assert experiment.lr == float(f"{lr:.12g}")
    assert theory.regime(experiment).converges
    loss = train(experiment).loss
    slack = 1e-9 * loss[:-1] + 1e-16  # float rounding once the error is down at ~1e-9
    assert np.all(loss[1:] <= loss[:-1] + slack)
    assert loss[-1] <= loss[0]


@FAST
@given(experiment=experiments())
def test_no_nan_or_inf_anywhere(experiment: Experiment) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trajectory = train(experiment)
        window = surface.plot_window(trajectory)
        grid = surface.loss_grid(experiment, window, size=21)
        valley = surface.valley(experiment, window)
        landing = theory.landing_point(experiment)
        floor = theory.minimum_loss(experiment)
        steps = theory.steps_to_tolerance(experiment)
        sentence = regime_sentence(experiment)
    arrays = (
        trajectory.a,
        trajectory.b,
        trajectory.predictions,
        trajectory.errors,
        trajectory.gradient_a,
        trajectory.gradient_b,
        trajectory.loss,
    )
    for array in arrays:
        assert array.shape[0] == trajectory.n_rows >= 1
        assert np.isfinite(array).all()
    if trajectory.divergence is None:
        assert trajectory.n_rows == experiment.steps + 1
    else:
        assert trajectory.divergence.last_step == trajectory.last_step < experiment.steps
    for array in (grid.a, grid.b, grid.loss, valley.a, valley.b):
        assert np.isfinite(array).all()
    assert all(math.isfinite(v) for v in (*landing, floor, window.a_min, window.a_max, window.b_min, window.b_max))
    assert steps is None or steps >= 0
    assert "nan" not in sentence.lower() and "inf" not in sentence.lower()


@FAST
@given(experiment=experiments())
def test_share_link_round_trip(experiment: Experiment) -> None:
    query = to_query(experiment)
    assert from_query(query) == (experiment, ())
    assert experiment.with_() == experiment


query_values = st.one_of(st.text(), st.lists(st.text(), max_size=4))
query_keys = st.one_of(st.sampled_from(QUERY_KEYS), st.text(max_size=8))


@settings(max_examples=200, deadline=None)
@given(params=st.dictionaries(query_keys, query_values, max_size=8))
def test_from_query_never_raises_and_stays_in_bounds(params: dict[str, object]) -> None:
    experiment, notices = from_query(params)
    assert_within_bounds(experiment)
    assert_plain_notices(notices)


numberish = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(),
    st.none(),
    st.booleans(),
)
raw_points = st.one_of(
    st.text(),
    st.lists(st.tuples(numberish, numberish), max_size=60),
    st.lists(st.one_of(st.text(), st.lists(numberish, max_size=3)), max_size=5),
    numberish,
)


@settings(max_examples=200, deadline=None)
@given(
    raw=st.fixed_dictionaries(
        {},
        optional={
            "points": raw_points,
            "a0": numberish,
            "b0": numberish,
            "lr": numberish,
            "steps": numberish,
            "mode": st.one_of(st.text(), st.sampled_from(MODES), numberish),
        },
    )
)
def test_validate_never_raises_and_stays_in_bounds(raw: dict[str, object]) -> None:
    experiment, notices = validate(raw)
    assert_within_bounds(experiment)
    assert_plain_notices(notices)
    # Whatever was typed, the link of the result reads back without a notice.
    assert from_query(to_query(experiment)) == (experiment, ())


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("0123456789.-:,e "), max_size=40))
def test_data_text_near_the_format_never_raises(text: str) -> None:
    experiment, notices = from_query({"data": text})
    assert_within_bounds(experiment)
    assert_plain_notices(notices)
