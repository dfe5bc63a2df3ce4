"""The loss surface: the grid is the loss, the window frames the story, the valley is the minimiser set."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core.maths import surface, theory
from core.maths.experiment import Experiment
from core.maths.training import train

ARTICLE = Experiment()
LINE_DATA = ((1.0, 2.0), (2.0, 3.0), (3.0, 5.0), (4.0, 4.0))

EXPERIMENTS = [
    ARTICLE,
    ARTICLE.with_(lr=0.45, steps=30),
    Experiment(points=((2.0, 1.0),), a0=-3.0, b0=7.0, lr=0.05, steps=20),
    Experiment(points=LINE_DATA, a0=3.0, b0=4.0, lr=0.05, steps=50),
    Experiment(points=((2.0, 1.0), (2.0, 5.0), (2.0, 3.0)), a0=3.0, b0=4.0),
    Experiment(points=((-3.0, 10.0), (0.5, -2.0)), a0=900.0, b0=-900.0, lr=0.01, steps=100),
]


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_grid_is_the_loss_by_definition(experiment: Experiment) -> None:
    window = surface.plot_window(train(experiment))
    size = 41
    grid = surface.loss_grid(experiment, window, size=size)
    a_axis = np.linspace(window.a_min, window.a_max, size)
    b_axis = np.linspace(window.b_min, window.b_max, size)
    scale = float(grid.loss.max())
    for i in range(0, size, 5):
        for j in range(0, size, 7):
            # Rows follow b, columns follow a (as Plotly's z expects).
            expected = surface.loss_at(experiment, float(a_axis[i]), float(b_axis[j]))
            assert grid.loss[j, i] == pytest.approx(expected, rel=1e-5, abs=1e-6 * scale)


def test_loss_at_by_hand() -> None:
    assert surface.loss_at(ARTICLE, 3.0, 4.0) == 9.0
    assert surface.loss_at(ARTICLE, 1.0, 3.0) == 0.0
    assert surface.loss_at(Experiment(points=((0.0, 1.0), (2.0, 2.0))), 1.0, 0.0) == 0.5


def test_grid_types_and_shapes() -> None:
    window = surface.plot_window(train(ARTICLE))
    grid = surface.loss_grid(ARTICLE, window, size=121)
    assert grid.a.dtype == np.float32 and grid.b.dtype == np.float32 and grid.loss.dtype == np.float32
    assert grid.a.shape == (121,) and grid.b.shape == (121,)
    assert grid.loss.shape == (121, 121)
    assert grid.a[0] == pytest.approx(window.a_min) and grid.a[-1] == pytest.approx(window.a_max)
    assert grid.b[0] == pytest.approx(window.b_min) and grid.b[-1] == pytest.approx(window.b_max)
    assert np.all(np.diff(grid.a) > 0) and np.all(np.diff(grid.b) > 0)
    assert grid.loss.min() >= 0.0
    assert surface.loss_grid(ARTICLE, window).loss.shape == (surface.DEFAULT_GRID, surface.DEFAULT_GRID)


def test_grid_is_not_transposed() -> None:
    """With x = 2 the loss changes faster along a than along b, so rows and columns differ."""
    experiment = Experiment(points=((2.0, 0.0),), a0=1.0, b0=1.0)
    window = surface.Window(-1.0, 1.0, -1.0, 1.0)
    grid = surface.loss_grid(experiment, window, size=3)
    # loss[j, i] = (2·a_i + b_j)²; at a = 1, b = -1: 1; at a = -1, b = 1: 1; at a = 1, b = 0: 4.
    assert grid.loss[0, 2] == pytest.approx(1.0)
    assert grid.loss[1, 2] == pytest.approx(4.0)
    assert grid.loss[2, 1] == pytest.approx(1.0)
    assert grid.loss[2, 2] == pytest.approx(9.0)


def test_window_at_the_defaults() -> None:
    window = surface.plot_window(train(ARTICLE))
    for a, b in [(3.0, 4.0), (1.5, 2.5), (1.0, 3.0), (0.0, 4.0)]:
        assert window.contains(a, b), (a, b)
    # Square, centred on the landing point.
    assert window.a_max - window.a_min == pytest.approx(window.b_max - window.b_min)
    assert (window.a_min + window.a_max) / 2 == pytest.approx(1.5)
    assert (window.b_min + window.b_max) / 2 == pytest.approx(2.5)


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_window_holds_start_landing_and_converging_path(experiment: Experiment) -> None:
    trajectory = train(experiment)
    window = surface.plot_window(trajectory)
    assert window.contains(experiment.a0, experiment.b0)
    assert window.contains(*theory.landing_point(experiment))
    if theory.regime(experiment).converges:
        for a, b in zip(trajectory.a, trajectory.b, strict=True):
            assert window.contains(float(a), float(b))


def test_window_stays_finite_for_a_diverging_run() -> None:
    experiment = ARTICLE.with_(lr=10.0, steps=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trajectory = train(experiment)
        window = surface.plot_window(trajectory)
        grid = surface.loss_grid(experiment, window, size=61)
    assert all(np.isfinite([window.a_min, window.a_max, window.b_min, window.b_max]))
    assert window.contains(3.0, 4.0)
    assert np.isfinite(grid.loss).all()
    # The path is followed only while it stays near: a window of ±1e12 would hide everything.
    assert window.a_max - window.a_min < 100


def test_valley_points_satisfy_the_line() -> None:
    window = surface.plot_window(train(ARTICLE))
    valley = surface.valley(ARTICLE, window)
    assert valley.is_line
    assert len(valley.a) == 60
    np.testing.assert_allclose(valley.a * 1.0 + valley.b, 4.0, atol=1e-12)
    for a, b in zip(valley.a, valley.b, strict=True):
        assert window.a_min - 1e-9 <= a <= window.a_max + 1e-9  # clipped to the window
        assert window.b_min - 1e-9 <= b <= window.b_max + 1e-9
        assert surface.loss_at(ARTICLE, float(a), float(b)) == pytest.approx(0.0, abs=1e-20)
    (a_first, b_first), (a_last, b_last) = valley.endpoints
    assert a_first < a_last and b_first > b_last


def test_valley_with_other_x_and_several_equal_x() -> None:
    one = Experiment(points=((-2.0, 3.0),), a0=1.0, b0=1.0)
    window = surface.plot_window(train(one))
    valley = surface.valley(one, window)
    np.testing.assert_allclose(-2.0 * valley.a + valley.b, 3.0, atol=1e-12)

    same_x = Experiment(points=((2.0, 1.0), (2.0, 5.0), (2.0, 3.0)))
    window = surface.plot_window(train(same_x))
    valley = surface.valley(same_x, window)
    assert valley.is_line
    np.testing.assert_allclose(2.0 * valley.a + valley.b, 3.0, atol=1e-12)  # mean y
    losses = [surface.loss_at(same_x, float(a), float(b)) for a, b in zip(valley.a, valley.b, strict=True)]
    np.testing.assert_allclose(losses, 8 / 3, rtol=1e-12)  # the floor is the variance of y


def test_valley_at_x_zero_is_horizontal() -> None:
    experiment = Experiment(points=((0.0, 2.0),), a0=3.0, b0=4.0)
    window = surface.plot_window(train(experiment))
    valley = surface.valley(experiment, window)
    np.testing.assert_allclose(valley.b, 2.0)
    assert valley.a[0] == pytest.approx(window.a_min) and valley.a[-1] == pytest.approx(window.a_max)


def test_two_points_with_different_x_give_one_minimiser() -> None:
    experiment = Experiment(points=((0.0, 1.0), (2.0, 5.0)), a0=3.0, b0=4.0)
    window = surface.plot_window(train(experiment))
    valley = surface.valley(experiment, window)
    assert not valley.is_line
    assert len(valley.a) == 1
    assert valley.endpoints[0] == pytest.approx((2.0, 1.0))  # the line through both points
    assert surface.equally_good_answers(experiment, window) == []


def test_equally_good_answers_at_the_defaults() -> None:
    window = surface.plot_window(train(ARTICLE))
    answers = surface.equally_good_answers(ARTICLE, window)
    assert (0.0, 4.0) in answers and (1.0, 3.0) in answers
    assert len(answers) <= 3
    for a, b in answers:
        assert a + b == 4.0
        assert window.contains(a, b)
        assert (a, b) != (1.5, 2.5)
