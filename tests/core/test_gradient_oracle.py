"""An oracle for the gradients: central differences of the loss, at random experiments (hypothesis).

The step table's ∂L/∂a and ∂L/∂b come from the chain rule (``training.compute_gradients``). Here
they are checked against the loss itself, measured by an independent definition
(``core.maths.surface.loss_at``, NumPy's mean of squared errors) a little either side of (a, b).
The loss is a quadratic in (a, b), so a central difference has no truncation error at any step
size: what is left is rounding, bounded below.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.maths.experiment import LR_MAX, LR_MIN, POINTS_MAX, VALUE_LIMIT, Experiment
from core.maths.surface import loss_at
from core.maths.training import compute_gradients, measure_loss, predict, train

value = st.floats(min_value=-VALUE_LIMIT, max_value=VALUE_LIMIT, allow_nan=False, allow_infinity=False)
points = st.lists(st.tuples(value, value), min_size=1, max_size=POINTS_MAX).map(tuple)
rates = st.floats(min_value=LR_MIN, max_value=LR_MAX, allow_nan=False)
FAST = settings(max_examples=200, deadline=None)


def central_difference(experiment: Experiment, a: float, b: float) -> tuple[float, float, float]:
    """(∂L/∂a, ∂L/∂b) by central differences, and the size of the rounding they may carry."""
    h_a, h_b = 1e-3 * (1.0 + abs(a)), 1e-3 * (1.0 + abs(b))
    loss = lambda a_, b_: loss_at(experiment, a_, b_)  # noqa: E731 - a name for the formula below
    d_a = (loss(a + h_a, b) - loss(a - h_a, b)) / (2 * h_a)
    d_b = (loss(a, b + h_b) - loss(a, b - h_b)) / (2 * h_b)
    # Each loss value carries a relative rounding of a few ulps of the largest term it sums.
    scale = max(loss(a + h_a, b), loss(a - h_a, b), loss(a, b + h_b), loss(a, b - h_b), 1.0)
    return d_a, d_b, 1e-12 * scale / min(h_a, h_b)


def assert_close(analytic: float, numeric: float, rounding: float) -> None:
    assert abs(analytic - numeric) <= 1e-9 * (1.0 + abs(analytic)) + rounding, (analytic, numeric, rounding)


@FAST
@given(points=points, a=value, b=value)
def test_the_chain_rule_gradient_is_the_slope_of_the_loss(points: tuple, a: float, b: float) -> None:
    experiment = Experiment(points=points, a0=a, b0=b)
    xs, ys = experiment.xs, experiment.ys
    errors = [p - y for p, y in zip(predict(a, b, xs), ys, strict=True)]
    grad_a, grad_b = compute_gradients(errors, xs)
    numeric_a, numeric_b, rounding = central_difference(experiment, a, b)
    assert_close(grad_a, numeric_a, rounding)
    assert_close(grad_b, numeric_b, rounding)
    # The loss the step table shows is the same loss the differences were taken of.
    assert abs(measure_loss(errors) - loss_at(experiment, a, b)) <= 1e-12 * max(1.0, measure_loss(errors))


@FAST
@given(points=points, a=value, b=value, lr=rates, steps=st.integers(min_value=1, max_value=8))
def test_every_row_of_a_run_has_the_gradient_of_its_own_a_and_b(
    points: tuple, a: float, b: float, lr: float, steps: int
) -> None:
    trajectory = train(Experiment(points=points, a0=a, b0=b, lr=lr, steps=steps))
    for row in range(trajectory.n_rows):
        row_a, row_b = float(trajectory.a[row]), float(trajectory.b[row])
        numeric_a, numeric_b, rounding = central_difference(trajectory.experiment, row_a, row_b)
        assert_close(float(trajectory.gradient_a[row]), numeric_a, rounding)
        assert_close(float(trajectory.gradient_b[row]), numeric_b, rounding)


def test_the_oracle_catches_a_wrong_gradient() -> None:
    """The check has teeth: dropping the chain rule's factor 2 is caught at the article's point."""
    numeric_a, numeric_b, rounding = central_difference(Experiment(), 3.0, 4.0)
    assert abs(numeric_a - 6.0) < 1e-9 and abs(numeric_b - 6.0) < 1e-9  # 2·error·x and 2·error, error 3
    with pytest.raises(AssertionError):
        assert_close(3.0, numeric_a, rounding)  # error·x instead of 2·error·x
    with pytest.raises(AssertionError):
        assert_close(6.0 + 1e-6, numeric_b, rounding)
