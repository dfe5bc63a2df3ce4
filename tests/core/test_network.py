"""The many-parameters network: its gradients against finite differences, its tie to the line, its runs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.maths.experiment import Experiment
from core.maths.network import (
    NICE_RATES,
    Network,
    compute_gradients,
    first_jump,
    initial_parameters,
    largest_gradients,
    make_dataset,
    measure_loss,
    output_rate_limit,
    predict,
    run_loop,
    step_changes,
    suggested_rate,
    target_curve,
    target_loss,
    train_network,
    with_ones,
)
from core.maths.network_settings import TARGETS, NetworkSettings
from core.maths.training import train


def _loss(network: Network, theta: np.ndarray, inputs: np.ndarray, ys: np.ndarray) -> float:
    return measure_loss(predict(network, theta, inputs).y_pred - ys)


def _finite_differences(network: Network, theta: np.ndarray, inputs: np.ndarray, ys: np.ndarray,
                        h: float = 1e-6) -> np.ndarray:
    """Central differences (L(θ + h·e_k) − L(θ − h·e_k)) / 2h, one parameter at a time."""
    gradient = np.empty_like(theta)
    for k in range(len(theta)):
        step = np.zeros_like(theta)
        step[k] = h
        gradient[k] = (_loss(network, theta + step, inputs, ys) - _loss(network, theta - step, inputs, ys)) / (2 * h)
    return gradient


# --- the gradient oracle --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.integers(0, 7),
    n_points=st.integers(1, 9),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([0.3, 1.0, 2.5]),
)
def test_backpropagation_matches_central_finite_differences(units: int, n_points: int, seed: int,
                                                            scale: float) -> None:
    rng = np.random.default_rng(seed)
    network = Network(units)
    theta = scale * rng.standard_normal(network.size)
    xs = rng.uniform(-1.5, 1.5, n_points)
    ys = rng.standard_normal(n_points)
    inputs = with_ones(xs)
    forward = predict(network, theta, inputs)
    backprop = compute_gradients(network, theta, forward, forward.y_pred - ys)
    numeric = _finite_differences(network, theta, inputs, ys)
    assert backprop.shape == (network.size,)
    np.testing.assert_allclose(backprop, numeric, rtol=1e-5, atol=1e-6)


def test_the_gradient_of_a_known_small_network_by_hand() -> None:
    """One unit, one point: every link of the chain rule written out with numbers."""
    network = Network(1)
    w1, b1, w2, b2 = 0.5, -0.25, 2.0, 0.1
    theta = np.array([w1, b1, w2, b2])
    x, y = 0.8, 1.0
    h = np.tanh(w1 * x + b1)
    y_pred = w2 * h + b2
    e = y_pred - y
    forward = predict(network, theta, with_ones(np.array([x])))
    assert forward.y_pred[0] == pytest.approx(y_pred, abs=1e-15)
    gradient = compute_gradients(network, theta, forward, np.array([e]))
    d_z = 2 * e * w2 * (1 - h * h)
    np.testing.assert_allclose(gradient, [d_z * x, d_z, 2 * e * h, 2 * e], rtol=1e-13)


# --- the tie to the two-parameter training ---------------------------------------------------------


def test_no_hidden_units_at_the_article_defaults_is_the_step_table() -> None:
    loop = run_loop(Network(0), np.array([1.0]), np.array([4.0]), np.array([3.0, 4.0]), 0.1, 5)
    line = train(Experiment())
    np.testing.assert_allclose(loop.parameters[:, 0], line.a, rtol=0, atol=1e-12)
    np.testing.assert_allclose(loop.parameters[:, 1], line.b, rtol=0, atol=1e-12)
    np.testing.assert_allclose(loop.loss, line.loss, rtol=0, atol=1e-12)
    np.testing.assert_allclose(loop.gradients[:, 0], line.gradient_a, rtol=0, atol=1e-12)
    np.testing.assert_allclose(loop.gradients[:, 1], line.gradient_b, rtol=0, atol=1e-12)
    assert loop.parameters[5, 0] == pytest.approx(1.61664, abs=1e-12)  # the article's row 5, a = 1.6166


finite = st.floats(-20, 20, allow_nan=False, allow_infinity=False)


@settings(max_examples=80, deadline=None)
@given(x=finite, y=finite, a0=finite, b0=finite, lr=st.floats(1e-4, 1.0), steps=st.integers(0, 60))
def test_no_hidden_units_on_one_point_follows_the_line_to_1e_12(x: float, y: float, a0: float, b0: float,
                                                                 lr: float, steps: int) -> None:
    loop = run_loop(Network(0), np.array([x]), np.array([y]), np.array([a0, b0]), lr, steps)
    line = train(Experiment(points=((x, y),), a0=a0, b0=b0, lr=lr, steps=steps))
    assert len(loop.loss) == line.n_rows
    assert (loop.divergence is None) == (line.divergence is None)
    for mine, theirs in ((loop.parameters[:, 0], line.a), (loop.parameters[:, 1], line.b), (loop.loss, line.loss)):
        scale = np.maximum(1.0, np.abs(theirs))  # values grow before a divergence: compare relatively there
        assert np.all(np.abs(mine - theirs) <= 1e-12 * scale)


def test_the_page_run_with_no_hidden_units_and_one_point_is_the_line() -> None:
    settings_ = NetworkSettings(units=0, points=1, seed=7)
    run = train_network(settings_, 0.2, 40)
    (x,), (y,) = run.data.xs, run.data.ys
    a0, b0 = initial_parameters(Network(0), 7)
    line = train(Experiment(points=((float(x), float(y)),), a0=float(a0), b0=float(b0), lr=0.2, steps=40))
    np.testing.assert_allclose(run.loop.parameters, np.column_stack([line.a, line.b]), rtol=0, atol=1e-12)


# --- runs ---------------------------------------------------------------------------------------------


def test_parameter_counts_and_names() -> None:
    assert Network(0).size == 2 and Network(0).names() == ("a", "b")
    assert Network(1).names() == ("w1[1]", "b1[1]", "w2[1]", "b2")
    for units in (1, 8, 64):
        assert Network(units).size == 3 * units + 1 == len(Network(units).names())
        assert len(initial_parameters(Network(units), 1)) == 3 * units + 1


@pytest.mark.parametrize("target", TARGETS)
def test_a_run_is_reproducible_from_its_seed_and_learns(target: str) -> None:
    settings_ = NetworkSettings(units=8, target=target, points=40, noise=0.1, seed=3)
    first, second = train_network(settings_, 0.2, 400), train_network(settings_, 0.2, 400)
    np.testing.assert_array_equal(first.loop.parameters, second.loop.parameters)
    np.testing.assert_array_equal(first.data.ys, second.data.ys)
    assert not first.diverged and first.last_step == 400
    assert first.loop.loss[-1] < 0.5 * first.loop.loss[0]
    assert not first.loop.parameters.flags.writeable  # shared by every session: read-only


def test_the_data_do_not_depend_on_the_network() -> None:
    small = make_dataset(NetworkSettings(units=1, seed=5))
    large = make_dataset(NetworkSettings(units=64, seed=5))
    np.testing.assert_array_equal(small.xs, large.xs)
    np.testing.assert_array_equal(small.ys, large.ys)
    assert np.all(np.diff(small.xs) >= 0) and small.xs.min() >= -1 and small.xs.max() <= 1
    noiseless = make_dataset(NetworkSettings(noise=0.0, target="step"))
    np.testing.assert_array_equal(noiseless.ys, target_curve("step", noiseless.xs))


def test_a_diverging_run_stops_and_says_where() -> None:
    run = train_network(NetworkSettings(units=64, points=200), 10.0, 1000)
    assert run.diverged and run.last_step < 1000
    assert np.isfinite(run.loop.parameters).all() and np.isfinite(run.loop.loss).all()
    assert np.isfinite(run.loop.gradients).all()
    divergence = run.loop.divergence
    assert divergence is not None and divergence.last_step == run.last_step
    assert "diverged, so it stops here" in divergence.describe()
    assert divergence.quantity in (*run.network.names(), "loss")


def test_step_changes_are_minus_lr_times_the_gradient() -> None:
    run = train_network(NetworkSettings(units=4), 0.3, 10)
    changes = step_changes(run, 3)
    np.testing.assert_allclose(changes.updates, -0.3 * run.loop.gradients[3])
    np.testing.assert_allclose(changes.values + changes.updates, run.loop.parameters[4], rtol=1e-15, atol=1e-15)
    assert changes.applied and not step_changes(run, 10).applied
    assert step_changes(run, 99).step == 10 and step_changes(run, -5).step == 0
    order = largest_gradients(changes, 5)
    magnitudes = np.abs(changes.gradients)
    assert list(magnitudes[order]) == sorted(magnitudes, reverse=True)[:5]


def test_the_output_rate_limit_is_the_lines_exact_bound_without_hidden_units() -> None:
    run = train_network(NetworkSettings(units=0, points=30, seed=2), 0.1, 0)
    xs = run.data.xs
    hessian = 2 * np.array([[np.mean(xs * xs), np.mean(xs)], [np.mean(xs), 1.0]])
    assert output_rate_limit(run) == pytest.approx(2 / np.linalg.eigvalsh(hessian)[-1], rel=1e-12)


def test_without_hidden_units_a_rate_above_the_limit_diverges_and_one_below_converges() -> None:
    settings_ = NetworkSettings(units=0, points=30, seed=2)
    limit = output_rate_limit(train_network(settings_, 0.1, 0))
    assert train_network(settings_, 1.05 * limit, 1000).diverged
    assert not train_network(settings_, 0.95 * limit, 1000).diverged


def test_bigger_networks_have_lower_rate_limits() -> None:
    starts = [train_network(NetworkSettings(units=units, points=100), 0.1, 0) for units in (1, 8, 64)]
    limits = [output_rate_limit(start) for start in starts]
    assert limits[0] > limits[1] > limits[2]


@pytest.mark.parametrize("units", [1, 8, 64])
@pytest.mark.parametrize("target", TARGETS)
def test_the_suggested_rate_falls_smoothly(units: int, target: str) -> None:
    settings_ = NetworkSettings(units=units, target=target)
    start = train_network(settings_, 0.1, 0)
    rate = suggested_rate(start)
    assert rate in NICE_RATES and rate <= 0.5 * output_rate_limit(start)
    calm = train_network(settings_, rate, 1000)
    assert not calm.diverged and first_jump(calm) is None
    assert calm.loop.loss[-1] < 0.5 * calm.loop.loss[0]


def test_a_jump_in_the_loss_is_found() -> None:
    run = train_network(NetworkSettings(units=8, target="sine"), 0.3, 1000)  # close to its limit
    jump = first_jump(run)
    assert jump is not None and run.loop.loss[jump] > 2 * run.loop.loss[:jump].min()


def test_the_target_scores_the_noise_alone() -> None:
    run = train_network(NetworkSettings(noise=0.0), 0.1, 0)
    assert target_loss(run) == 0.0
    noisy = train_network(NetworkSettings(noise=0.5, points=200), 0.1, 0)
    assert 0.15 < target_loss(noisy) < 0.35  # about noise² = 0.25
