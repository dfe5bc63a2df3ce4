"""The recorded run: the article's table, the simultaneous update, divergence that stops cleanly."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core.maths.experiment import Experiment
from core.maths.training import (
    LOSS_LIMIT,
    PARAM_LIMIT,
    Divergence,
    Trajectory,
    compute_gradients,
    measure_loss,
    predict,
    train,
    update,
)

# Columns: a, b, y_pred, error, grad a, grad b, loss (the article's run, full float64 precision).
EXACT_TABLE = [
    (3.0000, 4.0000, 7.0000, 3.0000, 6.0000, 6.0000, 9.0000),
    (2.4000, 3.4000, 5.8000, 1.8000, 3.6000, 3.6000, 3.2400),
    (2.0400, 3.0400, 5.0800, 1.0800, 2.1600, 2.1600, 1.1664),
    (1.8240, 2.8240, 4.6480, 0.6480, 1.2960, 1.2960, 0.4199),
    (1.6944, 2.6944, 4.3888, 0.3888, 0.7776, 0.7776, 0.1512),
    (1.6166, 2.6166, 4.2333, 0.2333, 0.4666, 0.4666, 0.0544),
]
# The article's hand calculation carries 4 decimals from row to row: row 5 differs in the last digit.
HAND_TABLE = [*EXACT_TABLE[:5], (1.6166, 2.6166, 4.2332, 0.2332, 0.4664, 0.4664, 0.0544)]
COLUMNS = ("a", "b", "y_pred", "error", "grad a", "grad b", "loss")


def table_rows(trajectory: Trajectory) -> list[tuple[float, ...]]:
    """The step table as the app shows it: every column rounded to 4 decimals."""
    columns = (
        trajectory.a,
        trajectory.b,
        trajectory.predictions[:, 0],
        trajectory.errors[:, 0],
        trajectory.gradient_a,
        trajectory.gradient_b,
        trajectory.loss,
    )
    return [tuple(round(float(column[row]), 4) for column in columns) for row in range(trajectory.n_rows)]


@pytest.mark.parametrize(("mode", "expected"), [("exact", EXACT_TABLE), ("hand", HAND_TABLE)])
def test_article_table_every_row_and_column(mode: str, expected: list[tuple[float, ...]]) -> None:
    trajectory = train(Experiment(mode=mode))
    rows = table_rows(trajectory)
    assert len(rows) == 6
    for step, (got, want) in enumerate(zip(rows, expected, strict=True)):
        for name, g, w in zip(COLUMNS, got, want, strict=True):
            assert g == pytest.approx(w, abs=1e-9), f"{mode} row {step} column {name}: {g} != {w}"


def test_row_five_exact_versus_hand() -> None:
    exact = train(Experiment()).errors[5, 0]
    hand = train(Experiment(mode="hand")).errors[5, 0]
    assert exact == pytest.approx(0.23328, abs=1e-12)  # 3 · 0.6⁵
    assert f"{exact:.4f}" == "0.2333"
    assert f"{hand:.4f}" == "0.2332"


def test_hand_mode_keeps_four_decimals_in_a_and_b() -> None:
    trajectory = train(Experiment(mode="hand", steps=20))
    for value in np.concatenate([trajectory.a, trajectory.b]):
        assert value == round(float(value), 4)
    # Exact mode does not round: 1.5 + 1.5·0.6⁵ has five decimals.
    assert train(Experiment()).a[5] == pytest.approx(1.61664, abs=1e-12)


def test_trajectory_shapes_and_steps() -> None:
    experiment = Experiment(points=((1.0, 2.0), (2.0, 3.0), (3.0, 5.0)), steps=7)
    trajectory = train(experiment)
    assert trajectory.n_rows == 8
    assert trajectory.last_step == 7
    assert list(trajectory.steps) == list(range(8))
    assert trajectory.predictions.shape == (8, 3)
    assert trajectory.errors.shape == (8, 3)
    for array in (trajectory.a, trajectory.b, trajectory.gradient_a, trajectory.gradient_b, trajectory.loss):
        assert array.shape == (8,)
    assert trajectory.divergence is None
    assert not trajectory.diverged


def test_zero_steps_gives_only_the_start_row() -> None:
    trajectory = train(Experiment(steps=0))
    assert trajectory.n_rows == 1
    assert (trajectory.a[0], trajectory.b[0], trajectory.loss[0]) == (3.0, 4.0, 9.0)


def test_four_steps_helpers() -> None:
    assert predict(2.0, 1.0, [0.0, 1.0, -3.0]) == [1.0, 3.0, -5.0]
    assert measure_loss([3.0]) == 9.0
    assert measure_loss([1.0, -3.0]) == 5.0  # mean of 1 and 9
    # Two points: ∂a = mean(2·e·x), ∂b = mean(2·e).
    assert compute_gradients([1.0, -3.0], [2.0, 1.0]) == (pytest.approx(-1.0), pytest.approx(-2.0))
    assert update(3.0, 4.0, 6.0, 6.0, 0.1) == (pytest.approx(2.4), pytest.approx(3.4))


def test_both_gradients_come_from_the_same_a_and_b() -> None:
    """At x = 2 a sequential update (b's gradient from the new a) takes another path."""
    x, y, lr = 2.0, 1.0, 0.05
    experiment = Experiment(points=((x, y),), a0=3.0, b0=-1.0, lr=lr, steps=4)
    trajectory = train(experiment)

    simultaneous = [(3.0, -1.0)]
    sequential = [(3.0, -1.0)]
    for _ in range(4):
        a, b = simultaneous[-1]
        error = a * x + b - y
        simultaneous.append((a - lr * 2 * error * x, b - lr * 2 * error))
        a, b = sequential[-1]
        a_new = a - lr * 2 * (a * x + b - y) * x
        b_new = b - lr * 2 * (a_new * x + b - y)  # uses the already-updated a
        sequential.append((a_new, b_new))

    np.testing.assert_allclose(trajectory.a, [p[0] for p in simultaneous], rtol=0, atol=1e-12)
    np.testing.assert_allclose(trajectory.b, [p[1] for p in simultaneous], rtol=0, atol=1e-12)
    assert abs(trajectory.b[1] - sequential[1][1]) > 0.1  # the two orders really differ here
    # Each row's gradients are measured at that row's own (a, b).
    for k in range(trajectory.n_rows):
        error = trajectory.a[k] * x + trajectory.b[k] - y
        assert trajectory.gradient_a[k] == pytest.approx(2 * error * x, abs=1e-12)
        assert trajectory.gradient_b[k] == pytest.approx(2 * error, abs=1e-12)


def test_several_points_use_mean_squared_error() -> None:
    points = ((0.0, 1.0), (2.0, 2.0))
    trajectory = train(Experiment(points=points, a0=1.0, b0=0.0, lr=0.1, steps=1))
    # At (1, 0): predictions 0 and 2, errors -1 and 0.
    np.testing.assert_allclose(trajectory.predictions[0], [0.0, 2.0])
    np.testing.assert_allclose(trajectory.errors[0], [-1.0, 0.0])
    assert trajectory.loss[0] == pytest.approx(0.5)
    assert trajectory.gradient_a[0] == pytest.approx(0.0)  # mean(2·(-1)·0, 2·0·2)
    assert trajectory.gradient_b[0] == pytest.approx(-1.0)  # mean(-2, 0)
    assert (trajectory.a[1], trajectory.b[1]) == (pytest.approx(1.0), pytest.approx(0.1))


@pytest.mark.parametrize("lr", [0.6, 10.0])
def test_divergence_stops_with_a_record_and_finite_arrays(lr: float) -> None:
    experiment = Experiment(lr=lr, steps=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trajectory = train(experiment)
    divergence = trajectory.divergence
    assert isinstance(divergence, Divergence)
    assert trajectory.diverged
    assert trajectory.n_rows < 1001
    assert divergence.last_step == trajectory.last_step
    assert divergence.quantity in ("a", "b", "loss")
    assert divergence.value_sign in (1, -1)
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
        assert np.all(np.isfinite(array))
    assert np.all(np.abs(trajectory.a) <= PARAM_LIMIT)
    assert np.all(np.abs(trajectory.b) <= PARAM_LIMIT)
    assert np.all(trajectory.loss <= LOSS_LIMIT)
    # The loss really grows: every kept row is worse than the one before.
    assert np.all(np.diff(trajectory.loss) > 0)
    text = divergence.describe()
    assert "e+" not in text  # no e-notation for students
    assert f"After step {divergence.last_step}" in text
    assert "nan" not in text.lower() and "inf" not in text.lower()


def test_divergence_at_lr_0_6_grows_by_r_squared() -> None:
    trajectory = train(Experiment(lr=0.6, steps=1000))
    # r = 1 − 2·0.6·2 = −1.4: errors alternate in sign and grow ×1.4.
    errors = trajectory.errors[:, 0]
    np.testing.assert_allclose(errors[1:] / errors[:-1], -1.4, rtol=1e-9)
    # The loss passes 1e24 near step 80 (9 · 1.4^(2k) > 1e24).
    assert 75 <= trajectory.last_step <= 85


def test_bouncing_never_counts_as_divergence() -> None:
    trajectory = train(Experiment(lr=0.5, steps=1000))
    assert trajectory.divergence is None
    assert trajectory.n_rows == 1001
    np.testing.assert_allclose(trajectory.loss, 9.0)
    np.testing.assert_allclose(trajectory.a[::2], 3.0)
    np.testing.assert_allclose(trajectory.a[1::2], 0.0)


def test_largest_start_and_data_are_still_a_finite_first_row() -> None:
    experiment = Experiment(points=((1000.0, -1000.0),), a0=1000.0, b0=1000.0, lr=10.0, steps=1000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trajectory = train(experiment)
    assert trajectory.n_rows >= 1
    assert trajectory.diverged
    assert np.isfinite(trajectory.loss).all()
    assert trajectory.loss[0] == pytest.approx((1000.0 * 1000.0 + 1000.0 + 1000.0) ** 2)
