"""Several learning rates side by side: which ones, what each does, how long each needs.

The loss-curve page compares the student's rate with a small set of telling rates. The
presets are defined relative to this data's boundary rates (``core.maths.theory.rate_scale``),
so "overshooting" overshoots for any data, not only for the article's point. At the
article's point (one-step rate 0.25, bounce rate 0.5) they are 0.01, 0.25, 0.4 and 0.6.

Everything here is a number (the words beside them are :mod:`core.words.comparison_text`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from core.maths.experiment import DEFAULT_POINTS, Experiment, validate
from core.maths.rate_bounds import RateBounds, rate_bounds
from core.maths.theory import (
    DEFAULT_TOLERANCE,
    RateScale,
    Regime,
    all_x_equal,
    error_ratio,
    minimum_loss,
    rate_scale,
    regime_label,
    slow_ratio,
)
from core.maths.training import Trajectory
from core.words import notation

# The tolerances a student can pick for "converged": loss within this of its minimum.
TOLERANCES: tuple[float, ...] = (1e-2, DEFAULT_TOLERANCE, 1e-6)

# Preset comparison rates, as tokens whose value depends on the data. The labels are
# fixed text (a widget keeps its selection by label); the numbers appear next to them.
PRESET_TOKENS: tuple[str, ...] = ("small", "one_step", "overshoot", "diverge")
PRESET_LABELS: dict[str, str] = {
    "small": "too small (4% of the one-step rate)",
    "one_step": "the one-step rate",
    "overshoot": "overshooting (0.8 × bounce rate)",
    "diverge": "diverging (1.2 × bounce rate)",
}
SMALL_FRACTION = 0.04  # 0.04 × 0.25 = 0.01 at the article's point
OVERSHOOT_FRACTION = 0.8  # 0.8 × 0.5 = 0.4
DIVERGE_FRACTION = 1.2  # 1.2 × 0.5 = 0.6
CUSTOM_PREFIX = "lr="


def _two_figures(value: float) -> float:
    """Round to two significant figures, so preset rates read like rates a person picks."""
    return float(f"{value:.2g}")


def preset_rate(token: str, scale: RateScale) -> float:
    """The learning rate a preset token stands for with this data's boundary rates."""
    if token == "small":
        return _two_figures(SMALL_FRACTION * scale.one_step)
    if token == "one_step":
        return scale.one_step  # exact: rounding would move it off the boundary
    if token == "overshoot":
        return _two_figures(OVERSHOOT_FRACTION * scale.bounce)
    if token == "diverge":
        return _two_figures(DIVERGE_FRACTION * scale.bounce)
    raise ValueError(f"unknown preset {token!r}")


def custom_token(rate: float) -> str:
    return f"{CUSTOM_PREFIX}{notation.literal(rate)}"


def token_rate(token: str, scale: RateScale, bounds: RateBounds | None = None) -> float | None:
    """The rate of a preset or custom token.

    None for a token this version does not know, or a rate outside ``bounds``, the rates the
    data allow (:mod:`core.maths.rate_bounds`; the article's point's when not given).
    """
    bounds = bounds or rate_bounds(DEFAULT_POINTS)
    if token in PRESET_TOKENS:
        rate = preset_rate(token, scale)
        return rate if bounds.contains(rate) else None
    if token.startswith(CUSTOM_PREFIX):
        rate = parse_rate(token[len(CUSTOM_PREFIX) :])[0]
        return rate if rate is not None and bounds.contains(rate) else None
    return None


def token_label(token: str) -> str:
    """Fixed text for a token (independent of the data, see PRESET_LABELS)."""
    if token in PRESET_LABELS:
        return PRESET_LABELS[token]
    return token.removeprefix(CUSTOM_PREFIX)


def parse_rate(
    raw: object, points: tuple[tuple[float, float], ...] = DEFAULT_POINTS
) -> tuple[float | None, str | None]:
    """A rate typed by the student for these data, checked by the same rules as the experiment's.

    Returns (rate, None) or (None, a short plain-text reason).
    """
    experiment, notices = validate({"points": points, "lr": raw})
    if notices:
        bounds = rate_bounds(experiment.points)
        low, high = notation.exact(bounds.low), notation.exact(bounds.high)
        return None, f"A learning rate must be a number from {low} to {high}."
    return experiment.lr, None


# --- the compared runs -----------------------------------------------------------------


@dataclass(frozen=True)
class RateRun:
    """One learning rate to draw: its experiment, regime and the legend text."""

    lr: float
    regime: Regime
    experiment: Experiment
    is_current: bool
    # The run's place among the rates offered (0 for the current one, see slotted_rates): its colour,
    # dash and marker follow it, so adding or removing a rate never repaints the others on the chart.
    slot: int = 0

    @property
    def label(self) -> str:
        who = "your rate" if self.is_current else "lr"
        return f"{who} {notation.rate(self.lr)} ({regime_label(self.experiment)})"


def selected_rates(experiment: Experiment, tokens: list[str]) -> tuple[tuple[float, ...], list[str]]:
    """The rates the picked tokens stand for, and the labels of those this data cannot run."""
    scale = rate_scale(experiment)
    bounds = rate_bounds(experiment.points)
    rates: list[float] = []
    unavailable: list[str] = []
    for token in tokens:
        rate = token_rate(token, scale, bounds)
        if rate is None:
            unavailable.append(token_label(token))
        else:
            rates.append(rate)
    return tuple(rates), unavailable


@dataclass(frozen=True)
class Repeat:
    """A picked token whose rate is drawn already: by an earlier pick, or as the student's own rate."""

    token: str
    rate: float
    own: bool


def distinct_picks(experiment: Experiment, tokens: Sequence[str]) -> tuple[list[str], list[Repeat]]:
    """The picks with each rate once: a later pick of a rate drawn already is left out and returned.

    A preset and a number can name one rate ("small" and 0.01 at the article's point), and a pick
    can be the student's own rate; either way the chart has one line for it, so a second chip
    would be one whose × seems to do nothing (teacher playtest). Picks these data cannot run are
    kept: the page names them as not drawn.
    """
    scale = rate_scale(experiment)
    bounds = rate_bounds(experiment.points)
    seen = {experiment.lr}
    kept: list[str] = []
    repeats: list[Repeat] = []
    for token in tokens:
        rate = token_rate(token, scale, bounds)
        if rate is None:
            kept.append(token)
        elif rate in seen:
            repeats.append(Repeat(token, rate, own=rate == experiment.lr))
        else:
            seen.add(rate)
            kept.append(token)
    return kept, repeats


def slotted_rates(experiment: Experiment, options: Sequence[str], selected: Sequence[str]) -> tuple[float | None, ...]:
    """Each option's rate where it is selected, else None, in the options' order.

    The presets keep their places, and with them their looks, whatever else is added or removed. A
    rate of one's own sits after them in the order it was added; removing one leaves the choices
    (views/loss_curve.py), so those added after it move up a place, as a copied link draws them.
    """
    scale = rate_scale(experiment)
    bounds = rate_bounds(experiment.points)
    chosen = set(selected)
    return tuple(token_rate(token, scale, bounds) if token in chosen else None for token in options)


def compared_runs(experiment: Experiment, rates: Sequence[float | None]) -> list[RateRun]:
    """The current rate first, then each other rate once, in increasing order.

    A run's ``slot`` is one more than the place of its rate in ``rates`` (None marks a place not
    drawn; see :func:`slotted_rates`). Every run uses the experiment's data, start, steps and
    precision; only lr differs.
    """
    scale = rate_scale(experiment)
    bounds = rate_bounds(experiment.points)
    slots: dict[float, int] = {}
    for place, rate in enumerate(rates, start=1):
        if rate is not None and rate != experiment.lr and bounds.contains(rate):
            slots.setdefault(rate, place)
    others = [RateRun(rate, scale.regime(rate), experiment.with_(lr=rate), False, slot=slots[rate])
              for rate in sorted(slots)]
    return [RateRun(experiment.lr, scale.regime(experiment.lr), experiment, True), *others]


# --- ratios: theory and what the run shows ----------------------------------------------


@dataclass(frozen=True)
class Ratios:
    """The per-step factors from the closed form, and the one the trajectory shows.

    For one point the error is multiplied by ``error`` each step and the loss by its
    square. With several points there are two factors (across and along the valley);
    ``slow`` is the second one and the loss above its minimum ends up shrinking by the
    square of whichever factor is larger in size.
    """

    error: float
    loss: float
    slow: float | None
    observed: float | None  # error[k+1]/error[k] (one point) or excess-loss ratio (several)
    observed_step: int | None  # the k+1 of the observed ratio
    observed_is_loss: bool


def ratios(trajectory: Trajectory) -> Ratios:
    experiment = trajectory.experiment
    r = error_ratio(experiment)
    # With every x equal (one point included) there is a single factor: the valley's floor
    # is flat, so its λmin = 0 factor of 1 says nothing about settling.
    single = all_x_equal(experiment)
    slow = None if single else slow_ratio(experiment)
    observed, step = _observed_ratio(trajectory)
    return Ratios(error=r, loss=r * r, slow=slow, observed=observed, observed_step=step, observed_is_loss=not single)


# Below this size a difference is rounding noise, not the geometric decay.
_NOISE_FLOOR = 1e-9


def _observed_ratio(trajectory: Trajectory) -> tuple[float | None, int | None]:
    """The last clean ratio between consecutive rows, or (None, None) if there is none."""
    if trajectory.n_rows < 2:
        return None, None
    if all_x_equal(trajectory.experiment):
        values = trajectory.errors.mean(axis=1)  # every point's error moves by the same amount
    else:
        values = trajectory.loss - minimum_loss(trajectory.experiment)
    for k in range(trajectory.n_rows - 1, 0, -1):
        before, after = float(values[k - 1]), float(values[k])
        # An exact 0 after a clean value is the one-step rate landing: a ratio of 0, as the formula says
        # (the loss curve showed "—" at lr 0.25; teacher playtest). Rounding noise is never exactly 0.
        if abs(before) > _NOISE_FLOOR and (abs(after) > _NOISE_FLOOR or after == 0.0):
            ratio = after / before
            if math.isfinite(ratio):
                return ratio, k
    return None, None
