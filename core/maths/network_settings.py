"""The many-parameters page's own settings: which network, which data — validated like the experiment.

The network page reuses the shared learning rate and number of steps (``core.maths.experiment``)
and adds five values of its own, each in the share link: ``units`` (hidden units, 0–64; 0 is
the line a·x + b), ``target`` (the curve the points come from), ``points`` (how many), ``noise``
(the spread added to each point) and ``seed`` (which random draw of points and starting weights).
As for the experiment, untrusted input goes through exactly one function, :func:`validate`,
which never raises and returns one :class:`Notice` per value it had to replace; and
``from_query(to_query(s))`` gives ``s`` back.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

# One parser and one notice style for every share-link value (the experiment's).
from core.maths.experiment import Notice, query_values, quote_raw
from core.maths.experiment import _parse_float as parse_number
from core.words.notation import exact, literal

Target = Literal["line", "parabola", "sine", "step"]
TARGETS: tuple[Target, ...] = ("line", "parabola", "sine", "step")

UNITS_MAX = 64
POINTS_MIN = 1
POINTS_MAX = 200
NOISE_MAX = 1.0
SEED_MAX = 9999

DEFAULT_UNITS = 8
DEFAULT_TARGET: Target = "sine"
DEFAULT_POINTS = 40
DEFAULT_NOISE = 0.1
DEFAULT_SEED = 1

QUERY_KEYS = ("units", "target", "points", "noise", "seed")


@dataclass(frozen=True)
class NetworkSettings:
    """A valid choice of network and data (the learning rate and steps come from the experiment)."""

    units: int = DEFAULT_UNITS
    target: Target = DEFAULT_TARGET
    points: int = DEFAULT_POINTS
    noise: float = DEFAULT_NOISE
    seed: int = DEFAULT_SEED

    @property
    def n_parameters(self) -> int:
        """3H + 1 with H hidden units; with none, the line's two (a and b)."""
        return parameter_count(self.units)


def parameter_count(units: int) -> int:
    """Input weight, bias and output weight per hidden unit, plus the output bias; 2 for the bare line."""
    return 2 if units == 0 else 3 * units + 1


# --- field validation ------------------------------------------------------------------------


def _whole(name: str, label: str, raw: object, default: int, low: int, high: int, notices: list[Notice]) -> int:
    """A whole number in [low, high]: halves round up, out-of-range values go to the nearest end."""
    value = parse_number(raw)
    if value is None:
        notices.append(Notice(name, f"{label}: {quote_raw(raw)} is not a whole number; using {default}."))
        return default
    whole = math.floor(value + 0.5)
    clamped = min(max(whole, low), high)
    if clamped != value:
        if not value.is_integer():
            why = "is not a whole number"
        elif value < low:
            why = f"is below the minimum {low}"
        else:
            why = f"is above the maximum {high}"
        notices.append(Notice(name, f"{label}: {exact(value)} {why}; using {clamped}."))
    return clamped


def _noise(raw: object, notices: list[Notice]) -> float:
    value = parse_number(raw)
    if value is None:
        notices.append(
            Notice("noise", f"Noise: {quote_raw(raw)} is not a finite number; using {exact(DEFAULT_NOISE)}.")
        )
        return DEFAULT_NOISE
    clamped = min(max(value, 0.0), NOISE_MAX)
    if clamped != value:
        notices.append(
            Notice(
                "noise",
                f"Noise: {exact(value)} is outside 0 … {exact(NOISE_MAX)}; "
                f"using {exact(clamped)}.",
            )
        )
    return clamped


def _target(raw: object, notices: list[Notice]) -> Target:
    try:
        text = str(raw).strip().lower()
    except Exception:  # an object whose str() fails: still a notice, never an exception
        text = ""
    if text in TARGETS:
        return text  # type: ignore[return-value]
    names = ", ".join(f"“{name}”" for name in TARGETS)
    notices.append(Notice("target", f"Target: {quote_raw(raw)} is not one of {names}; using {DEFAULT_TARGET}."))
    return DEFAULT_TARGET


def validate(raw: Mapping[str, object]) -> tuple[NetworkSettings, tuple[Notice, ...]]:
    """Turn untrusted values into settings. Never raises; a missing key takes its default."""
    notices: list[Notice] = []
    settings = NetworkSettings(
        units=_whole("units", "Hidden units", raw["units"], DEFAULT_UNITS, 0, UNITS_MAX, notices)
        if "units" in raw
        else DEFAULT_UNITS,
        target=_target(raw["target"], notices) if "target" in raw else DEFAULT_TARGET,
        points=_whole("points", "Points", raw["points"], DEFAULT_POINTS, POINTS_MIN, POINTS_MAX, notices)
        if "points" in raw
        else DEFAULT_POINTS,
        noise=_noise(raw["noise"], notices) if "noise" in raw else DEFAULT_NOISE,
        seed=_whole("seed", "Seed", raw["seed"], DEFAULT_SEED, 0, SEED_MAX, notices) if "seed" in raw else DEFAULT_SEED,
    )
    return settings, tuple(notices)


def check_setting(name: str, value: object) -> tuple[object, Notice | None]:
    """One typed setting (``noise``, ``seed`` …): the value the network uses, and why when it differs.

    The same rule as a link's value, so a field and a link never disagree.
    """
    settings, notices = validate({name: value})
    return getattr(settings, name), next((notice for notice in notices if notice.param == name), None)


# --- share link ---------------------------------------------------------------------------------


def from_query(params: Mapping[str, object]) -> tuple[NetworkSettings, tuple[Notice, ...]]:
    """The settings a share link describes; a repeated key uses its last value, with a notice.

    Other keys (the experiment's, Streamlit's ``embed``) are ignored here.
    """
    raw, notices = query_values(params, QUERY_KEYS)
    settings, field_notices = validate(raw)
    return settings, tuple(notices) + field_notices


def to_query(settings: NetworkSettings) -> dict[str, str]:
    """The share-link parameters of ``settings``; values at their default are left out."""
    default = NetworkSettings()
    query: dict[str, str] = {}
    if settings.units != default.units:
        query["units"] = str(settings.units)
    if settings.target != default.target:
        query["target"] = settings.target
    if settings.points != default.points:
        query["points"] = str(settings.points)
    if settings.noise != default.noise:
        query["noise"] = literal(settings.noise)
    if settings.seed != default.seed:
        query["seed"] = str(settings.seed)
    return query
