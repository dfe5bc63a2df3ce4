"""Which learning rates a run accepts: bounds taken from its data, not fixed numbers.

The rates that matter scale with the data. They are set by λmax, the largest eigenvalue of the
loss's Hessian 2·[[mean x², mean x], [mean x, 1]]: the one-step rate is 1/λmax and the bounce
rate 2/λmax (``core.maths.theory``). At the article's point x = 1 they are 0.25 and 0.5; with
the points x = 1 and x = 100 they are about 0.0001 and 0.0002, below the old fixed minimum of
0.0001 for any rate at all. So the bounds follow λmax:

- the lowest rate is a thousandth of the one-step rate (a run that barely moves), rounded down
  to a power of ten, and never above ``LR_MIN`` (0.0001), the old minimum: a rate any link could
  hold before is still allowed;
- the highest rate is 20 × the bounce rate (the error then grows ×39 per update: divergence a
  student cannot miss, yet not an instant overflow), rounded up to 1, 2 or 5 × a power of ten,
  and never above ``LR_MAX`` (10). At the article's point the bounds are exactly 0.0001 … 10;
- a rate the link does not give is the article's 0.1 when the data allow it, otherwise 0.4 × the
  data's one-step rate (0.1 is 0.4 × 0.25 at the article's point), two significant figures.

This module needs the data's x values only (λmax does not depend on y, the start or the rate),
and imports nothing from the rest of ``core.maths`` but :mod:`core.maths.parsing`:
:mod:`core.maths.experiment` validates every rate with it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.maths.parsing import SIGNIFICANT_DIGITS
from core.words.notation import exact, literal, rate

LR_MIN = 1e-4  # the lowest rate at the article's point; data with a smaller one-step rate go lower
LR_MAX = 10.0  # no data allow more
DEFAULT_LR = 0.1
LOW_FRACTION = 1e-3  # of the one-step rate
HIGH_FACTOR = 20.0  # × the bounce rate
DEFAULT_FRACTION = 0.4  # of the one-step rate, when the article's 0.1 is out of bounds
# Slider stops per power of ten: every rate of the article's regimes (0.01, 0.1, 0.25, 0.4, 0.5,
# 0.6) is one, and one press of an arrow key moves the rate by 20–25 %.
MANTISSAS: tuple[float, ...] = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)
_ROUNDING = 1e-9  # relative slack when rounding to a stop (20 × 0.5 is 10, not "just above 10")


def _power_of_ten(exponent: int) -> float:
    return float(f"1e{exponent}")  # exact decimal text, so 1e-5 is 1e-05 and not 1.0000000000000001e-05


def _decade(value: float) -> int:
    return math.floor(math.log10(value))


def _floor_power_of_ten(value: float) -> float:
    exponent = _decade(value * (1.0 + _ROUNDING))
    return _power_of_ten(exponent)


def _ceil_one_two_five(value: float) -> float:
    """The smallest of 1, 2, 5 × 10^k at or above ``value``."""
    exponent = _decade(value)
    for candidate_exponent in (exponent, exponent + 1):
        for mantissa in (1, 2, 5):
            candidate = float(f"{mantissa}e{candidate_exponent}")
            if candidate >= value * (1.0 - _ROUNDING):
                return candidate
    return _power_of_ten(exponent + 2)  # not reached: 1e(k+1) is always at or above value


def _kept_digits(value: float) -> float:
    """The value as a link holds it (``core.maths.parsing``): 12 significant digits."""
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _two_figures(value: float) -> float:
    return float(f"{value:.2g}")


def largest_eigenvalue(xs: Sequence[float]) -> float:
    """λmax of the loss's Hessian 2·[[mean x², mean x], [mean x, 1]] (mean squared error).

    For one point it is 2(x² + 1) exactly; in general (p + 1) + √((p − 1)² + 4q²) with
    p = mean x², q = mean x, which never cancels (both terms are positive).
    """
    count = len(xs)
    p = math.fsum(x * x for x in xs) / count
    q = math.fsum(xs) / count
    return (p + 1.0) + math.hypot(p - 1.0, 2.0 * q)


@dataclass(frozen=True)
class RateBounds:
    """The learning rates these data accept, and what the rate controls need to offer them."""

    low: float
    high: float
    one_step: float  # 1/λmax
    bounce: float  # 2/λmax
    default: float  # the rate of a link that gives none
    step: float  # the typed field's ± step: a tenth of the one-step rate's power of ten

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)

    def out_of_bounds(self, value: float) -> str | None:
        """Why ``value`` is not allowed, as plain words ending in "using …", or None if it is."""
        if value < self.low:
            return (
                f"{exact(value)} is below the smallest rate these data allow, {exact(self.low)}; "
                f"using {exact(self.low)}"
            )
        if value > self.high:
            return (
                f"{exact(value)} is above the largest rate these data allow, {exact(self.high)} "
                f"(20 × the rate {rate(self.bounce)} at which the run bounces forever); using {exact(self.high)}"
            )
        return None

    def stops(self, current: float | None = None) -> tuple[float, ...]:
        """The rates a log-scaled slider offers: 1, 1.2, 1.5 … 8 × each power of ten from low to high.

        The data's one-step and bounce rates are stops too, to the 12 significant digits a link
        keeps, so a student can land on either boundary; so is ``current`` (a typed rate between
        two stops). Two stops that would read the same at 4 significant figures keep only the
        exact one.
        """
        return _stops(self, current)


@lru_cache(maxsize=1024)
def _stops(bounds: RateBounds, current: float | None) -> tuple[float, ...]:
    """``RateBounds.stops``, cached: the sidebar asks on every run, and a class shares a few data sets."""
    exact = {_kept_digits(bounds.one_step), _kept_digits(bounds.bounce), bounds.low, bounds.high}
    if current is not None and bounds.contains(current):
        exact.add(current)
    grid: set[float] = set()
    for exponent in range(_decade(bounds.low) - 1, _decade(bounds.high) + 2):
        for mantissa in MANTISSAS:
            value = float(f"{literal(mantissa)}e{exponent}")
            if bounds.low * (1.0 - _ROUNDING) <= value <= bounds.high * (1.0 + _ROUNDING):
                grid.add(min(max(value, bounds.low), bounds.high))
    labels = {rate(value) for value in exact}
    kept = {value for value in grid if rate(value) not in labels} | exact
    return tuple(sorted(kept))


@lru_cache(maxsize=256)
def _bounds_for(xs: tuple[float, ...]) -> RateBounds:
    lam = largest_eigenvalue(xs)
    one_step, bounce = 1.0 / lam, 2.0 / lam
    low = min(LR_MIN, _floor_power_of_ten(LOW_FRACTION * one_step))
    high = min(LR_MAX, _ceil_one_two_five(HIGH_FACTOR * bounce))
    default = DEFAULT_LR if low <= DEFAULT_LR <= high else _two_figures(DEFAULT_FRACTION * one_step)
    step = _power_of_ten(_decade(one_step) - 1)
    return RateBounds(low=low, high=high, one_step=one_step, bounce=bounce, default=default, step=step)


def rate_bounds(points: Sequence[tuple[float, float]]) -> RateBounds:
    """The bounds for these (already validated) points; cached, since every run asks."""
    return _bounds_for(tuple(float(x) for x, _ in points))
