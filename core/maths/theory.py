"""Closed-form facts about the run, derived without iterating.

The loss is a quadratic in θ = (a, b): L(θ) = L* + ½ (θ − θ*)ᵀ H (θ − θ*), with the
constant Hessian H = 2·[[mean x², mean x], [mean x, 1]]. Gradient descent multiplies
the distance to the minimiser set along each eigenvector of H by (1 − lr·λ). So every
fact here follows from H's eigenvalues:

- one point: λ = 0 (along the valley) and λmax = 2(x² + 1) (across it); the error is
  multiplied by r = 1 − 2·lr·(x² + 1) each step;
- the rate 1/λmax lands in one step, 2/λmax bounces forever, above it diverges.

With every x equal (one point included) the minimiser set is the valley
a·x + b = mean(y); otherwise it is the single least-squares point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum

import numpy as np

from core.maths.experiment import Experiment
from core.maths.rate_bounds import largest_eigenvalue

# Two rates closer than this (relative) count as the same boundary rate.
BOUNDARY_TOLERANCE = 1e-9
DEFAULT_TOLERANCE = 1e-4
STEPS_SEARCH_LIMIT = 10**9
# Spread of x (variance relative to (1 + mean x²)², roughly λmin/λmax of the Hessian)
# below which the data counts as all-x-equal: see all_x_equal.
X_SPREAD_TOLERANCE = 1e-12


class Regime(Enum):
    """What a learning rate does, in the order rates increase."""

    SMOOTH = "smooth"
    ONE_STEP = "one step"
    OVERSHOOTING = "overshooting"
    BOUNCING = "bouncing"
    DIVERGING = "diverging"

    @property
    def converges(self) -> bool:
        return self in (Regime.SMOOTH, Regime.ONE_STEP, Regime.OVERSHOOTING)


@dataclass(frozen=True)
class Statistics:
    """The sufficient statistics of the data: every loss value is a function of these."""

    mean_xx: float
    mean_x: float
    mean_xy: float
    mean_y: float
    mean_yy: float


def statistics(experiment: Experiment) -> Statistics:
    xs = np.asarray(experiment.xs, dtype=float)
    ys = np.asarray(experiment.ys, dtype=float)
    return Statistics(
        mean_xx=float(np.mean(xs * xs)),
        mean_x=float(np.mean(xs)),
        mean_xy=float(np.mean(xs * ys)),
        mean_y=float(np.mean(ys)),
        mean_yy=float(np.mean(ys * ys)),
    )


def _centred_moments(experiment: Experiment) -> tuple[float, float]:
    """(variance of x, covariance of x and y), taken around the means.

    Centring first avoids the cancellation of ``mean x² − (mean x)²``, which for x
    values like 1000 and 1000.00000001 gives zero or noise instead of the true spread.
    """
    xs = np.asarray(experiment.xs, dtype=float)
    ys = np.asarray(experiment.ys, dtype=float)
    dx = xs - np.mean(xs)
    dy = ys - np.mean(ys)
    return float(np.mean(dx * dx)), float(np.mean(dx * dy))


def all_x_equal(experiment: Experiment) -> bool:
    """True when the data cannot pin (a, b) down: the minimiser set is a whole line.

    x values that differ only by a rounding-sized amount count as equal too: their
    single minimum would lie absurdly far out along an almost flat valley (beyond what
    floats, a plot or a thousand steps can reach), so the valley is the honest answer.
    """
    if len(set(experiment.xs)) == 1:
        return True
    variance, _ = _centred_moments(experiment)
    scale = 1.0 + statistics(experiment).mean_xx
    return variance <= X_SPREAD_TOLERANCE * scale * scale


def hessian(experiment: Experiment) -> np.ndarray:
    s = statistics(experiment)
    return 2.0 * np.array([[s.mean_xx, s.mean_x], [s.mean_x, 1.0]])


def eigenvalues(experiment: Experiment) -> tuple[float, float]:
    """(λmin, λmax) of the Hessian; λmin is 0 exactly when all x are equal (or differ by a rounding).

    λmax is the rate bounds' closed form (one copy of the fact, so the sidebar's slider and the
    regimes agree to the last digit): x = −707 and −708 count as one x, and taking the first one's
    2(x² + 1) had put the one-step rate 0.14 % away from the slider's stop. λmin = det H / λmax,
    with the determinant from the centred variance (4·var x), which does not cancel.
    """
    high = largest_eigenvalue(experiment.xs)
    if all_x_equal(experiment):
        return 0.0, high
    variance, _ = _centred_moments(experiment)
    return 4.0 * variance / high, high


@dataclass(frozen=True)
class RateScale:
    """The boundary learning rates of the regimes for this data."""

    one_step: float  # 1/λmax: lands in one step (one point: 1 / (2(x²+1)))
    bounce: float  # 2/λmax: bounces forever; above it the run diverges

    def regime(self, lr: float) -> Regime:
        if math.isclose(lr, self.one_step, rel_tol=BOUNDARY_TOLERANCE):
            return Regime.ONE_STEP
        if math.isclose(lr, self.bounce, rel_tol=BOUNDARY_TOLERANCE):
            return Regime.BOUNCING
        if lr < self.one_step:
            return Regime.SMOOTH
        if lr < self.bounce:
            return Regime.OVERSHOOTING
        return Regime.DIVERGING


def rate_scale(experiment: Experiment) -> RateScale:
    lam_max = eigenvalues(experiment)[1]
    return RateScale(one_step=1.0 / lam_max, bounce=2.0 / lam_max)


def regime(experiment: Experiment) -> Regime:
    return rate_scale(experiment).regime(experiment.lr)


def error_ratio(experiment: Experiment) -> float:
    """Factor applied to the error across the valley per step: r = 1 − lr·λmax.

    For one point this is 1 − 2·lr·(x² + 1); the loss shrinks by r² per step.
    """
    return 1.0 - experiment.lr * eigenvalues(experiment)[1]


def slow_ratio(experiment: Experiment) -> float:
    """Factor along the flattest direction (1 − lr·λmin); 1 when all x are equal."""
    return 1.0 - experiment.lr * eigenvalues(experiment)[0]


def start_error(experiment: Experiment) -> float:
    """The first guess's miss when all x are equal: a0·x + b0 − mean(y), the error each update multiplies by r."""
    x = experiment.xs[0]
    return experiment.a0 * x + experiment.b0 - valley_target(experiment)


def valley_target(experiment: Experiment) -> float:
    """What every (a, b) on the valley predicts when all x are equal: a·x + b = mean(y), the best one line can do."""
    return statistics(experiment).mean_y


def minimum_loss(experiment: Experiment) -> float:
    """The smallest loss any (a, b) reaches (0 unless points at one x disagree or no line fits)."""
    if all_x_equal(experiment):
        ys = np.asarray(experiment.ys, dtype=float)
        return float(np.mean((ys - np.mean(ys)) ** 2))  # the variance of y, centred first
    a, b = least_squares(experiment)
    xs = np.asarray(experiment.xs)
    ys = np.asarray(experiment.ys)
    return float(np.mean((a * xs + b - ys) ** 2))


def least_squares(experiment: Experiment) -> tuple[float, float]:
    """The unique minimiser when the x values differ (the normal equations, centred)."""
    s = statistics(experiment)
    variance, covariance = _centred_moments(experiment)
    a = covariance / variance
    return a, s.mean_y - a * s.mean_x


def landing_point(experiment: Experiment) -> tuple[float, float]:
    """Where a converging run ends: θ0 − H⁺·∇L(θ0).

    With all x equal each step moves along (x, 1), across the valley, so the run
    ends at the valley's point nearest the start ((1.5, 2.5) from (3, 4) at the
    article's defaults). With distinct x it is the least-squares minimiser.
    """
    if not all_x_equal(experiment):
        return least_squares(experiment)
    x = experiment.xs[0]
    error = experiment.a0 * x + experiment.b0 - valley_target(experiment)
    shift = error / (x * x + 1.0)
    return experiment.a0 - shift * x, experiment.b0 - shift


def excess_loss_after(experiment: Experiment, k: int) -> float:
    """Loss above the minimum after k exact updates, from the eigen-decomposition."""
    theta0 = np.array([experiment.a0, experiment.b0])
    target = np.array(landing_point(experiment))
    lams, vectors = np.linalg.eigh(hessian(experiment))
    coords = vectors.T @ (theta0 - target)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        factors = np.abs(1.0 - experiment.lr * lams) ** k
        value = float(np.sum(0.5 * np.clip(lams, 0.0, None) * (coords * factors) ** 2))
    return value if math.isfinite(value) else math.inf


def steps_to_tolerance(experiment: Experiment, tolerance: float = DEFAULT_TOLERANCE) -> int | None:
    """Fewest exact updates that bring the loss within ``tolerance`` of its minimum.

    None when the rate never gets there (bouncing or diverging). For one point it
    is the smallest k with e0²·r^(2k) < tolerance.
    """
    if excess_loss_after(experiment, 0) < tolerance:
        return 0
    if not regime(experiment).converges:
        return None
    if experiment.single_point:
        x, y = experiment.points[0]
        error0 = experiment.a0 * x + experiment.b0 - y
        r = abs(error_ratio(experiment))
        if r == 0.0:
            return 1
        # e0² r^(2k) < tol  <=>  k > log(tol / e0²) / (2 log r)
        bound = math.log(tolerance / error0**2) / (2.0 * math.log(r))
        k = max(math.floor(bound) + 1, 1)
        # Guard the floor against rounding right at the boundary.
        while k > 1 and error0**2 * r ** (2 * (k - 1)) < tolerance:
            k -= 1
        return k
    low, high = 0, 1
    while excess_loss_after(experiment, high) >= tolerance:
        low, high = high, high * 2
        if high > STEPS_SEARCH_LIMIT:
            return None
    while high - low > 1:
        middle = (low + high) // 2
        if excess_loss_after(experiment, middle) < tolerance:
            high = middle
        else:
            low = middle
    return high


def regime_label(experiment: Experiment) -> str:
    """The regime's name for this data: with distinct x, "one step" is only the steep direction."""
    kind = regime(experiment)
    if kind is Regime.ONE_STEP and not all_x_equal(experiment):
        return "one step across, slower along"
    return kind.value
