"""Closed-form facts against the iterated run: ratios, regimes, landing point, steps, several points."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from core.maths import theory
from core.maths.experiment import Experiment
from core.maths.theory import Regime
from core.maths.training import train
from core.words.regime_text import regime_sentence

ARTICLE = Experiment()
LINE_DATA = ((1.0, 2.0), (2.0, 3.0), (3.0, 5.0), (4.0, 4.0))
SAME_X_DATA = ((2.0, 1.0), (2.0, 5.0), (2.0, 3.0))


def single(x: float, y: float = 4.0, lr: float = 0.1, steps: int = 5, a0: float = 3.0, b0: float = 4.0) -> Experiment:
    return Experiment(points=((x, y),), a0=a0, b0=b0, lr=lr, steps=steps)


# --- one point: the error ratio ------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "lr"), [(1.0, 0.1), (1.0, 0.01), (1.0, 0.4), (2.0, 0.03), (-3.0, 0.07), (0.0, 0.3), (0.5, 0.5)]
)
def test_error_ratio_matches_consecutive_errors(x: float, lr: float) -> None:
    experiment = single(x, y=1.0, lr=lr, steps=8)
    r = theory.error_ratio(experiment)
    assert r == pytest.approx(1 - 2 * lr * (x * x + 1), abs=1e-15)
    errors = train(experiment).errors[:, 0]
    np.testing.assert_allclose(errors[1:] / errors[:-1], r, rtol=1e-9)
    loss = train(experiment).loss
    np.testing.assert_allclose(loss[1:] / loss[:-1], r * r, rtol=1e-9)


def test_error_ratio_at_the_defaults() -> None:
    assert theory.error_ratio(ARTICLE) == pytest.approx(0.6, abs=1e-15)
    assert theory.slow_ratio(ARTICLE) == 1.0  # nothing pulls along the valley


@pytest.mark.parametrize(
    ("lr", "expected"),
    [
        (0.01, Regime.SMOOTH),
        (0.1, Regime.SMOOTH),
        (0.25, Regime.ONE_STEP),
        (0.4, Regime.OVERSHOOTING),
        (0.5, Regime.BOUNCING),
        (0.6, Regime.DIVERGING),
    ],
)
def test_regimes_at_x_equal_one(lr: float, expected: Regime) -> None:
    experiment = ARTICLE.with_(lr=lr, steps=12)
    assert theory.regime(experiment) is expected
    assert expected.converges == (expected in (Regime.SMOOTH, Regime.ONE_STEP, Regime.OVERSHOOTING))
    # ...and the iterated run behaves that way.
    errors = train(experiment).errors[:, 0]
    if expected is Regime.SMOOTH:
        assert np.all(errors > 0) and np.all(np.diff(errors) < 0)
    elif expected is Regime.ONE_STEP:
        np.testing.assert_allclose(errors[1:], 0.0, atol=1e-12)
    elif expected is Regime.OVERSHOOTING:
        assert np.all(np.sign(errors[1:]) == -np.sign(errors[:-1]))
        assert np.all(np.diff(np.abs(errors)) < 0)
    elif expected is Regime.BOUNCING:
        np.testing.assert_allclose(np.abs(errors), 3.0, rtol=1e-12)
        assert np.all(np.sign(errors[1:]) == -np.sign(errors[:-1]))
    else:
        assert np.all(np.diff(np.abs(errors)) > 0)


def test_boundary_rates_at_x_equal_one() -> None:
    scale = theory.rate_scale(ARTICLE)
    assert scale.one_step == pytest.approx(0.25, abs=1e-15)
    assert scale.bounce == pytest.approx(0.5, abs=1e-15)


@pytest.mark.parametrize("x", [0.0, 2.0, -3.0, 0.5, 10.0])
def test_boundary_rates_for_other_x(x: float) -> None:
    experiment = single(x)
    scale = theory.rate_scale(experiment)
    assert scale.one_step == pytest.approx(1 / (2 * (x * x + 1)), rel=1e-12)
    assert scale.bounce == pytest.approx(1 / (x * x + 1), rel=1e-12)
    assert scale.regime(scale.one_step * 0.5) is Regime.SMOOTH
    assert scale.regime(scale.one_step) is Regime.ONE_STEP
    assert scale.regime(scale.one_step * 1.5) is Regime.OVERSHOOTING
    assert scale.regime(scale.bounce) is Regime.BOUNCING
    assert scale.regime(scale.bounce * 1.01) is Regime.DIVERGING
    assert theory.eigenvalues(experiment) == (0.0, pytest.approx(2 * (x * x + 1)))


def test_one_step_rate_lands_on_the_valley_in_one_update() -> None:
    x = 2.0
    experiment = single(x, y=1.0, lr=1 / (2 * (x * x + 1)), steps=3)
    trajectory = train(experiment)
    np.testing.assert_allclose(trajectory.errors[1:, 0], 0.0, atol=1e-12)
    assert (trajectory.a[1], trajectory.b[1]) == pytest.approx(theory.landing_point(experiment), abs=1e-12)


# --- where the run lands ----------------------------------------------------------------


def test_landing_point_at_the_defaults() -> None:
    assert theory.landing_point(ARTICLE) == pytest.approx((1.5, 2.5), abs=1e-15)
    trajectory = train(ARTICLE.with_(steps=200))
    assert (trajectory.a[-1], trajectory.b[-1]) == pytest.approx((1.5, 2.5), abs=1e-12)
    # Not (1, 3) or (0, 4), although they are exactly as good.
    assert trajectory.a[-1] + trajectory.b[-1] == pytest.approx(4.0, abs=1e-12)


@pytest.mark.parametrize(("x", "y", "a0", "b0"), [(2.0, 1.0, 3.0, -1.0), (-0.5, 7.0, -4.0, 0.0), (0.0, 2.0, 5.0, 5.0)])
def test_landing_point_is_nearest_valley_point(x: float, y: float, a0: float, b0: float) -> None:
    experiment = single(x, y=y, a0=a0, b0=b0, lr=0.5 / (2 * (x * x + 1)), steps=400)
    a, b = theory.landing_point(experiment)
    assert a * x + b == pytest.approx(y, abs=1e-12)  # on the valley
    # The move is along (x, 1), perpendicular to the valley line.
    assert (a0 - a) * 1.0 - (b0 - b) * x == pytest.approx(0.0, abs=1e-12)
    trajectory = train(experiment)
    assert (trajectory.a[-1], trajectory.b[-1]) == pytest.approx((a, b), abs=1e-9)


# --- how long it takes ------------------------------------------------------------------


def first_step_below(experiment: Experiment, tolerance: float) -> int | None:
    trajectory = train(experiment.with_(steps=1000))
    excess = trajectory.loss - theory.minimum_loss(experiment)
    below = np.flatnonzero(excess < tolerance)
    return int(below[0]) if below.size else None


@pytest.mark.parametrize(
    ("experiment", "tolerance"),
    [
        (ARTICLE, 1e-4),
        (ARTICLE, 1e-8),
        (ARTICLE.with_(lr=0.01), 1e-4),
        (ARTICLE.with_(lr=0.4), 1e-6),
        (ARTICLE.with_(lr=0.49), 1e-3),
        (ARTICLE.with_(lr=0.25), 1e-4),
        (single(2.0, y=1.0, a0=3.0, b0=-1.0, lr=0.03), 1e-5),
        (single(-3.0, y=-7.0, a0=10.0, b0=10.0, lr=0.08), 1e-2),
    ],
)
def test_steps_to_tolerance_single_point_matches_iteration(experiment: Experiment, tolerance: float) -> None:
    predicted = theory.steps_to_tolerance(experiment, tolerance)
    assert predicted is not None
    assert predicted == first_step_below(experiment, tolerance)


def test_steps_to_tolerance_at_the_defaults_is_twelve() -> None:
    # 9 · 0.36^k < 1e-4 first holds at k = 12.
    assert theory.steps_to_tolerance(ARTICLE) == 12
    assert theory.steps_to_tolerance(ARTICLE.with_(a0=1.0, b0=3.0)) == 0  # starts on the valley


@pytest.mark.parametrize(
    ("points", "lr", "tolerance"),
    [
        (LINE_DATA, 0.05, 1e-4),
        (LINE_DATA, 0.1, 1e-6),
        (((0.0, 1.0), (1.0, 3.0)), 0.3, 1e-6),
        (((-1.0, 0.0), (0.5, 2.0), (2.0, -1.0)), 0.2, 1e-5),
        (SAME_X_DATA, 0.05, 1e-6),
    ],
)
def test_steps_to_tolerance_several_points_matches_iteration(
    points: tuple[tuple[float, float], ...], lr: float, tolerance: float
) -> None:
    experiment = Experiment(points=points, a0=3.0, b0=4.0, lr=lr, steps=5)
    assert theory.regime(experiment).converges
    predicted = theory.steps_to_tolerance(experiment, tolerance)
    assert predicted is not None
    assert predicted == first_step_below(experiment, tolerance)


@pytest.mark.parametrize("lr", [0.5, 0.6, 10.0])
def test_steps_to_tolerance_is_none_when_never_converging(lr: float) -> None:
    assert theory.steps_to_tolerance(ARTICLE.with_(lr=lr)) is None
    several = Experiment(points=LINE_DATA, lr=lr)
    assert theory.steps_to_tolerance(several) is None


def test_excess_loss_after_matches_the_iterated_loss() -> None:
    experiment = Experiment(points=LINE_DATA, a0=-2.0, b0=6.0, lr=0.08, steps=40)
    trajectory = train(experiment)
    floor = theory.minimum_loss(experiment)
    for k in (0, 1, 5, 17, 40):
        assert theory.excess_loss_after(experiment, k) == pytest.approx(trajectory.loss[k] - floor, rel=1e-8, abs=1e-12)


# --- several points ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "points",
    [LINE_DATA, ((0.0, 1.0), (1.0, 3.0)), ((-1.0, 0.0), (0.5, 2.0), (2.0, -1.0), (3.0, 3.5), (-2.5, -4.0))],
)
def test_long_run_reaches_least_squares(points: tuple[tuple[float, float], ...]) -> None:
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    design = np.column_stack([xs, np.ones_like(xs)])
    (a_lstsq, b_lstsq), *_ = np.linalg.lstsq(design, ys, rcond=None)
    a_poly, b_poly = np.polyfit(xs, ys, 1)

    base = Experiment(points=points, a0=3.0, b0=4.0)
    lr = theory.rate_scale(base).one_step
    trajectory = train(base.with_(lr=lr, steps=1000))
    assert trajectory.divergence is None
    assert (trajectory.a[-1], trajectory.b[-1]) == pytest.approx((a_lstsq, b_lstsq), abs=1e-6)
    assert (trajectory.a[-1], trajectory.b[-1]) == pytest.approx((a_poly, b_poly), abs=1e-6)
    assert theory.least_squares(base) == pytest.approx((a_lstsq, b_lstsq), abs=1e-10)
    assert theory.landing_point(base) == pytest.approx((a_lstsq, b_lstsq), abs=1e-10)
    residual = np.mean((a_lstsq * xs + b_lstsq - ys) ** 2)
    assert theory.minimum_loss(base) == pytest.approx(residual, abs=1e-12)
    assert trajectory.loss[-1] == pytest.approx(residual, abs=1e-9)
    assert not theory.all_x_equal(base)


def test_eigenvalues_and_the_stable_rate_bound() -> None:
    experiment = Experiment(points=LINE_DATA, a0=3.0, b0=4.0)
    xs = np.array(experiment.xs)
    design = np.column_stack([xs, np.ones_like(xs)])
    expected = np.linalg.eigvalsh(2 * design.T @ design / len(xs))
    low, high = theory.eigenvalues(experiment)
    assert (low, high) == pytest.approx(tuple(expected), rel=1e-12)
    np.testing.assert_allclose(theory.hessian(experiment), 2 * design.T @ design / len(xs), rtol=1e-15)
    scale = theory.rate_scale(experiment)
    assert scale.bounce == pytest.approx(2 / high, rel=1e-12)
    assert scale.one_step == pytest.approx(1 / high, rel=1e-12)
    assert theory.error_ratio(experiment) == pytest.approx(1 - experiment.lr * high, rel=1e-12)
    assert theory.slow_ratio(experiment) == pytest.approx(1 - experiment.lr * low, rel=1e-12)

    below = train(experiment.with_(lr=scale.bounce * 0.98, steps=1000))
    above = train(experiment.with_(lr=scale.bounce * 1.02, steps=1000))
    assert below.divergence is None
    assert below.loss[-1] == pytest.approx(theory.minimum_loss(experiment), abs=1e-6)
    assert above.divergence is not None
    assert theory.regime(experiment.with_(lr=scale.bounce * 0.98)) is Regime.OVERSHOOTING
    assert theory.regime(experiment.with_(lr=scale.bounce * 1.02)) is Regime.DIVERGING


def test_all_equal_x_gives_a_valley_at_mean_y() -> None:
    experiment = Experiment(points=SAME_X_DATA, a0=3.0, b0=4.0, lr=0.05, steps=1000)
    ys = np.array(experiment.ys)
    assert theory.all_x_equal(experiment)
    assert theory.minimum_loss(experiment) == pytest.approx(np.var(ys), abs=1e-12)  # 8/3
    assert theory.minimum_loss(experiment) == pytest.approx(8 / 3, abs=1e-12)
    assert theory.eigenvalues(experiment) == (0.0, pytest.approx(10.0))
    a, b = theory.landing_point(experiment)
    assert 2.0 * a + b == pytest.approx(3.0, abs=1e-12)  # valley a·x + b = mean y
    assert (3.0 - a) - (4.0 - b) * 2.0 == pytest.approx(0.0, abs=1e-12)  # moved along (x, 1)
    trajectory = train(experiment)
    assert (trajectory.a[-1], trajectory.b[-1]) == pytest.approx((a, b), abs=1e-9)
    assert trajectory.loss[-1] == pytest.approx(8 / 3, abs=1e-9)


@pytest.mark.parametrize("data", [((0.0, 1.0), (1e-300, 2.0)), ((1000.0, 1.0), (1000.00000001, 2.0))])
def test_x_differing_by_rounding_count_as_one_x(data: tuple[tuple[float, float], ...]) -> None:
    """Regression: these used to divide by a zero (or noise) variance of x."""
    experiment = Experiment(points=data, a0=3.0, b0=4.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert theory.all_x_equal(experiment)
        a, b = theory.landing_point(experiment)
        assert math.isfinite(a) and math.isfinite(b)
        assert a * data[0][0] + b == pytest.approx(1.5, abs=1e-6)
        assert theory.minimum_loss(experiment) == pytest.approx(0.25, abs=1e-12)
        theory.steps_to_tolerance(experiment)


def test_regime_sentences_carry_the_numbers() -> None:
    assert "0.6" in regime_sentence(ARTICLE) and "0.25" in regime_sentence(ARTICLE)
    assert regime_sentence(ARTICLE.with_(lr=0.25)).startswith("One step")
    assert regime_sentence(ARTICLE.with_(lr=0.4)).startswith("Overshooting")
    assert regime_sentence(ARTICLE.with_(lr=0.5)).startswith("Bouncing")
    assert regime_sentence(ARTICLE.with_(lr=0.5)) == (
        "Bouncing: the error flips between +3 and −3 forever (×−1); this is the edge, 0.5."
    )  # the size it bounces at: the first guess's miss, 7 − 4
    assert theory.start_error(ARTICLE) == 3.0
    on_the_valley = regime_sentence(ARTICLE.with_(lr=0.5, b0=1.0))  # 3·1 + 1 = 4: nothing to flip
    assert on_the_valley.endswith("here it is 0 already.") and "+0" not in on_the_valley
    diverging = regime_sentence(ARTICLE.with_(lr=0.6))
    assert diverging.startswith("Diverging") and "1.4" in diverging
    for lr in (0.0001, 0.3, 10.0):
        sentence = regime_sentence(ARTICLE.with_(lr=lr)).lower()
        assert "nan" not in sentence and "inf" not in sentence


def test_regime_sentence_with_points_at_different_x_names_both_factors() -> None:
    two = Experiment(points=((1.0, 4.0), (2.0, 5.0)), steps=50)
    sentence = regime_sentence(two)
    steep, flat = theory.error_ratio(two), theory.slow_ratio(two)
    assert sentence.startswith("Smooth")
    assert f"×{steep:.4g}" in sentence and f"×{flat:.4g}" in sentence
    assert f"×{max(abs(steep), abs(flat)) ** 2:.4g} per step" in sentence  # the pace the loss settles at
    # At the steep direction's one-step rate the run does not land in one update.
    at_one_step = two.with_(lr=theory.rate_scale(two).one_step)
    assert theory.regime_label(at_one_step) == "one step across, slower along"
    assert "single update" not in regime_sentence(at_one_step)


def test_points_at_one_x_keep_the_single_factor_story() -> None:
    same_x = Experiment(points=((1.0, 4.0), (1.0, 6.0)), lr=0.25)
    assert regime_sentence(same_x).startswith("One step: this rate lands")
    assert theory.regime_label(same_x) == "one step"
