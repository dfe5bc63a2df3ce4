"""The loss curve's "Your turn": predict a rate's fate, then race to the lowest loss.

Both answers come from the closed form (:mod:`core.maths.theory`), never from drawing the
curve: every update multiplies the distance to the best answer, along each eigenvector of the
loss Hessian, by 1 − lr·λ. The fate follows from the steep factor r = 1 − lr·λmax (for one
point r = 1 − 2·lr·(x² + 1)); the number of updates to a loss within 0.0001 of the lowest from
both factors. With every x equal the flat factor is 1 whatever the rate, so the best rate is
the one-step rate 1/λmax (one update). Otherwise 2/(λmin + λmax) makes both factors the same
size, which is best for the distance to the minimum; the loss weighs the steep direction by λmax,
so the rate with the fewest updates from a given start is found by a scan (:func:`best`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from core.maths import theory
from core.maths.experiment import Experiment
from core.maths.theory import Regime

CHALLENGE_TOLERANCE = 1e-4  # "a loss below 0.0001" (above the lowest loss, when that is not 0)
FATES: tuple[Regime, ...] = tuple(Regime)  # the five choices, in the order rates increase


@dataclass(frozen=True)
class Fate:
    """What a rate does, and the closed-form numbers that say why."""

    regime: Regime
    one_x: bool  # every x equal (one point included): one factor r decides everything
    steep: float  # r = 1 − lr·λmax
    flat: float  # 1 − lr·λmin (1 when every x is equal)
    lambda_min: float
    lambda_max: float
    one_step_rate: float
    bounce_rate: float


def fate(experiment: Experiment) -> Fate:
    low, high = theory.eigenvalues(experiment)
    scale = theory.rate_scale(experiment)
    return Fate(
        regime=scale.regime(experiment.lr),
        one_x=theory.all_x_equal(experiment),
        steep=theory.error_ratio(experiment),
        flat=theory.slow_ratio(experiment),
        lambda_min=low,
        lambda_max=high,
        one_step_rate=scale.one_step,
        bounce_rate=scale.bounce,
    )


def parse_fate(raw: object) -> Regime | None:
    """A predicted fate from its name ("smooth", "one step", …); None for anything else."""
    text = str(raw).strip().lower() if raw is not None else ""
    for regime in Regime:
        if text == regime.value:
            return regime
    return None


def fate_key(experiment: Experiment) -> tuple[tuple[tuple[float, float], ...], float]:
    """What a fate depends on: the data's x (through the Hessian) and the rate — not the start or steps."""
    return experiment.points, experiment.lr


# --- the challenge ---------------------------------------------------------------------------

RATE_GRID = 4000  # rates tried between 0 and the bounce rate when the x values differ
SEARCH_ROUNDS = 64  # bisection rounds on the update count (enough for any count below 2⁶⁴)
REFINE_POINTS = 400  # rates tried between two scan points to pin an end of the winning rates


@dataclass(frozen=True)
class Best:
    """The fewest updates any rate needs from this start, and the rates that achieve it."""

    updates: int | None
    rate: float  # the middle of the rates that achieve it
    low: float
    high: float
    balanced: float | None  # 2/(λmin + λmax) when the x values differ (both directions shrink alike)
    balanced_updates: int | None = None  # what the balanced rate needs from this start (None: never, or no such rate)


def balanced_rate(experiment: Experiment) -> float | None:
    """2/(λmin + λmax): both directions shrink by the same factor (None when every x is equal)."""
    if theory.all_x_equal(experiment):
        return None
    low, high = theory.eigenvalues(experiment)
    return 2.0 / (low + high)


def _counts(experiment: Experiment, rates: np.ndarray) -> np.ndarray:
    """For each rate, the fewest exact updates to an excess loss below the tolerance (−1: never)."""
    theta0 = np.array([experiment.a0, experiment.b0])
    lams, vectors = np.linalg.eigh(theory.hessian(experiment))
    lams = np.clip(lams, 0.0, None)
    coords = vectors.T @ (theta0 - np.array(theory.landing_point(experiment)))
    weights = 0.5 * lams * coords**2  # the excess loss after k updates is Σ w·q^k
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        q = (1.0 - rates[:, None] * lams[None, :]) ** 2

        def excess(k: np.ndarray) -> np.ndarray:
            return np.sum(weights * np.where(q == 0.0, (k[:, None] == 0).astype(float), q ** k[:, None]), axis=1)

        low = np.zeros(len(rates), dtype=np.int64)  # excess(low) >= tol, or low == 0 and already there
        high = np.ones(len(rates), dtype=np.int64)
        for _ in range(SEARCH_ROUNDS):  # double until below the tolerance
            above = excess(high) >= CHALLENGE_TOLERANCE
            if not above.any():
                break
            low = np.where(above, high, low)
            high = np.where(above, high * 2, high)
        never = excess(high) >= CHALLENGE_TOLERANCE
        for _ in range(SEARCH_ROUNDS):
            middle = (low + high) // 2
            below = excess(middle) < CHALLENGE_TOLERANCE
            high = np.where(below & (middle > low), middle, high)
            low = np.where(~below, middle, low)
            if np.all(high - low <= 1):
                break
    return np.where(never, -1, high)


@functools.lru_cache(maxsize=256)  # a scan of 4000 rates; experiments are immutable and hashable
def best(experiment: Experiment) -> Best:
    """The fewest updates from this start and the rates that reach it.

    Every x equal: the one-step rate, 1 update (no rate can do it in 0 unless already there).
    Otherwise a fine scan of the converging rates, counted with the closed form: the loss weighs
    the steep direction by λmax, so the winner often sits a little below 2/(λmin + λmax).
    """
    balanced = balanced_rate(experiment)
    scale = theory.rate_scale(experiment)
    if already_there(experiment):
        return Best(0, scale.one_step, 0.0, scale.bounce, balanced)
    if balanced is None:
        return Best(1, scale.one_step, scale.one_step, scale.one_step, None)
    rates = np.linspace(0.0, scale.bounce, RATE_GRID + 1)[1:-1]
    counts = _counts(experiment, rates)
    reached = counts >= 0
    if not reached.any():
        return Best(None, balanced, balanced, balanced, balanced)
    fewest = int(counts[reached].min())
    found = np.flatnonzero(counts == fewest)
    first, last = int(found[0]), int(found[-1])
    # The scan's step is bounce/4000; pin each end of the winning rates down on a finer grid.
    low = _edge(experiment, rates[first - 1] if first > 0 else 0.0, rates[first], fewest, lowest=True)
    high = _edge(
        experiment, rates[last], rates[last + 1] if last + 1 < len(rates) else scale.bounce, fewest, lowest=False
    )
    return Best(fewest, float(np.median(rates[found])), low, high, balanced, updates_needed(experiment, balanced))


def _edge(experiment: Experiment, start: float, stop: float, fewest: int, *, lowest: bool) -> float:
    """The lowest (or highest) rate from ``start`` to ``stop`` that still needs only ``fewest`` updates.

    One of the two ends is a winner of the scan, so a hit always exists.
    """
    fine = np.linspace(start, stop, REFINE_POINTS)
    hits = fine[_counts(experiment, fine) == fewest]
    if not len(hits):
        return float(stop if lowest else start)
    return float(hits[0] if lowest else hits[-1])


def updates_needed(experiment: Experiment, rate: float) -> int | None:
    """Exact updates until the loss is within 0.0001 of its lowest; None if this rate never gets there."""
    return theory.steps_to_tolerance(experiment.with_(lr=rate), CHALLENGE_TOLERANCE)


@dataclass(frozen=True)
class Attempt:
    """One rate the student tried: the updates it needs and how far it is from the best rate."""

    rate: float
    updates: int | None
    best: Best
    regime: Regime

    @property
    def distance(self) -> float:
        """Signed: negative below the best rates, positive above them, 0 among them."""
        if self.best.low <= self.rate <= self.best.high or self.updates == self.best.updates:
            return 0.0
        return self.rate - (self.best.low if self.rate < self.best.low else self.best.high)

    @property
    def relative(self) -> float:
        return self.distance / self.best.rate


def attempt(experiment: Experiment, rate: float, fewest: Best | None = None) -> Attempt:
    """Check one typed rate (validated to the app's range) against the fewest updates possible."""
    tried = experiment.with_(lr=rate)
    return Attempt(
        rate=tried.lr,
        updates=updates_needed(experiment, tried.lr),
        best=fewest if fewest is not None else best(experiment),
        regime=theory.regime(tried),
    )


def first_at_fewest(attempts: list[Attempt]) -> Attempt | None:
    """The first tried rate that needs no more updates than the best one (None: not found yet)."""
    for tried in attempts:
        if tried.updates is not None and tried.best.updates is not None and tried.updates <= tried.best.updates:
            return tried
    return None


def already_there(experiment: Experiment) -> bool:
    """True when the start is already within 0.0001 of the lowest loss: no rate can do better than 0."""
    return theory.excess_loss_after(experiment, 0) < CHALLENGE_TOLERANCE
