"""The experiment: one immutable, validated description of a training run.

Everything the app shows is a function of an :class:`Experiment`. It is built in
exactly one way from untrusted input (a share link or the sidebar widgets):
:func:`validate`, which never raises and returns the experiment it will use together
with one :class:`Notice` per value it had to replace. The share link is the
experiment written as query parameters (:func:`to_query`), so
``from_query(to_query(e))`` gives back ``e``.

Bounds (written down here, shown in the README):
- 1 to 50 data points; |x|, |y| <= 1000
- |a0|, |b0| <= 1000
- lr within the data's bounds (:mod:`core.maths.rate_bounds`: 0.0001 … 10 at the article's
  point, lower for data with large x); zero, negative or unreadable rates, and a link with no
  rate, fall back to the data's default (the article's 0.1 whenever the data allow it)
- 0 <= steps <= 1000 (integer)
- mode: "exact" or "hand"

Reading raw values (numbers, quoting user text in a notice) is :mod:`core.maths.parsing`;
its names are importable from here too, as before.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from core.maths.parsing import SIGNIFICANT_DIGITS as SIGNIFICANT_DIGITS
from core.maths.parsing import Notice as Notice
from core.maths.parsing import parse_decimal as _parse_decimal
from core.maths.parsing import parse_float as _parse_float
from core.maths.parsing import quote_raw as quote_raw
from core.maths.parsing import safe_text as _safe_text
from core.maths.rate_bounds import DEFAULT_LR as DEFAULT_LR
from core.maths.rate_bounds import LR_MAX as LR_MAX
from core.maths.rate_bounds import LR_MIN as LR_MIN
from core.maths.rate_bounds import RateBounds, rate_bounds
from core.words.notation import exact, literal

Mode = Literal["exact", "hand"]
MODES: tuple[Mode, ...] = ("exact", "hand")

VALUE_LIMIT = 1000.0
STEPS_MAX = 1000
POINTS_MAX = 50

DEFAULT_POINTS: tuple[tuple[float, float], ...] = ((1.0, 4.0),)
DEFAULT_A0 = 3.0
DEFAULT_B0 = 4.0
DEFAULT_STEPS = 5
DEFAULT_MODE: Mode = "exact"

# The share link's keys and the Experiment field each one sets. A stable contract: links handed
# to students must keep working.
QUERY_TO_FIELD = {"data": "points", "a": "a0", "b": "b0", "lr": "lr", "steps": "steps", "mode": "mode"}
QUERY_KEYS = tuple(QUERY_TO_FIELD)


@dataclass(frozen=True)
class Experiment:
    """A fully valid training run: data, start, learning rate, length, precision."""

    points: tuple[tuple[float, float], ...] = DEFAULT_POINTS
    a0: float = DEFAULT_A0
    b0: float = DEFAULT_B0
    lr: float = DEFAULT_LR
    steps: int = DEFAULT_STEPS
    mode: Mode = DEFAULT_MODE

    @property
    def xs(self) -> tuple[float, ...]:
        return tuple(x for x, _ in self.points)

    @property
    def ys(self) -> tuple[float, ...]:
        return tuple(y for _, y in self.points)

    @property
    def n_points(self) -> int:
        return len(self.points)

    @property
    def single_point(self) -> bool:
        return len(self.points) == 1

    @property
    def hand(self) -> bool:
        return self.mode == "hand"

    def with_(self, **changes: object) -> Experiment:
        """A copy with some fields changed, validated again (never raises)."""
        raw = {
            "points": self.points,
            "a0": self.a0,
            "b0": self.b0,
            "lr": self.lr,
            "steps": self.steps,
            "mode": self.mode,
        }
        raw.update(changes)
        return validate(raw)[0]


# --- field validation ----------------------------------------------------------------


def _unreadable(notices: list[Notice], name: str, label: str, raw: object, default: float,
                what: str = "a finite number") -> float:
    """The default for a value that is not a number at all, with a notice that quotes it."""
    notices.append(Notice(name, f"{label}: {quote_raw(raw)} is not {what}; using {exact(default)}."))
    return default


def _read_number(name: str, label: str, raw: object, notices: list[Notice]) -> float | None:
    """A link's single number; a decimal comma is read as a point, and said ("0,3" read as 0.3)."""
    value, comma = _parse_decimal(raw)
    if comma:
        said = f"{label}: {quote_raw(raw)} read as {exact(value)} (links write decimals with a point)."
        notices.append(Notice(name, said))
    return value


def _bounded_number(
    name: str,
    label: str,
    raw: object,
    default: float,
    low: float,
    high: float,
    notices: list[Notice],
) -> float:
    value = _read_number(name, label, raw, notices)
    if value is None:
        return _unreadable(notices, name, label, raw, default)
    if value < low or value > high:
        clamped = min(max(value, low), high)
        notices.append(
            Notice(
                name,
                f"{label}: {exact(value)} is outside {exact(low)} … "
                f"{exact(high)}; using {exact(clamped)}.",
            )
        )
        return clamped
    return value


def _validate_lr(raw: object, bounds: RateBounds, notices: list[Notice]) -> float:
    """The rate to use: as given when the data allow it, else the nearest allowed one (the default if unreadable)."""
    value = _read_number("lr", "Learning rate", raw, notices)
    if value is None:
        return _unreadable(notices, "lr", "Learning rate", raw, bounds.default)
    if value <= 0:
        notices.append(
            Notice(
                "lr",
                f"Learning rate: {exact(value)} must be above 0 (a zero or negative rate never moves "
                f"toward the answer), and these data allow {exact(bounds.low)} at the least; "
                f"using {exact(bounds.low)}.",
            )
        )
        return bounds.low  # the nearest allowed rate: a − press below the smallest lands here
    why = bounds.out_of_bounds(value)
    if why is not None:
        notices.append(Notice("lr", f"Learning rate: {why}."))
        return bounds.clamp(value)
    return value


def _default_lr(bounds: RateBounds, notices: list[Notice]) -> float:
    """The rate of a link that gives none: 0.1, unless these data need a smaller one (then said why)."""
    if bounds.default != DEFAULT_LR:
        notices.append(
            Notice(
                "lr",
                f"Learning rate: the link gives none, and the usual {exact(DEFAULT_LR)} is above the largest "
                f"rate these data allow, {exact(bounds.high)}; using {exact(bounds.default)} "
                f"(0.4 × the one-step rate, as 0.1 is at the article's point).",
            )
        )
    return bounds.default


def _validate_steps(raw: object, notices: list[Notice]) -> int:
    value = _parse_float(raw)
    if value is None:
        return int(_unreadable(notices, "steps", "Steps", raw, DEFAULT_STEPS, "a whole number"))
    whole = math.floor(value + 0.5)  # halves round up (2.5 -> 3), as a student expects
    clamped = min(max(whole, 0), STEPS_MAX)
    if clamped != value:
        if not value.is_integer():
            why = "is not a whole number"
        elif value < 0:
            why = "is below 0"
        else:
            why = f"is above the maximum {STEPS_MAX}"
        notices.append(Notice("steps", f"Steps: {exact(value)} {why}; using {clamped}."))
    return clamped


def _validate_mode(raw: object, notices: list[Notice]) -> Mode:
    text = _safe_text(raw).strip().lower()
    if text in MODES:
        return text  # type: ignore[return-value]
    notices.append(
        Notice("mode", f"Precision: {quote_raw(raw)} is not “exact” or “hand”; using exact.")
    )
    return DEFAULT_MODE


def _split_entries(text: str) -> tuple[list[tuple[int, object, object]], list[tuple[int, str]]]:
    """The ``x:y`` entries of the share-link ``data`` value, each with its 1-based entry number."""
    entries: list[tuple[int, object, object]] = []
    problems: list[tuple[int, str]] = []
    for index, entry in enumerate(str(text).split(","), start=1):
        entry = entry.strip()
        if not entry:
            problems.append((index, f"entry {index} is empty"))
            continue
        halves = entry.split(":")
        if len(halves) != 2 or not halves[0].strip() or not halves[1].strip():
            problems.append((index, f"entry {index} {quote_raw(entry)} is not x:y"))
            continue
        entries.append((index, halves[0], halves[1]))
    return entries, problems


def _points_summary(points: Sequence[tuple[float, float]], shown: int = 3) -> str:
    """The points in use, in share-link form, cut short for a notice: "1:4,2:5" or "1:1,2:1,3:1 … (50 points)"."""
    text = data_to_text(points[:shown])
    return text if len(points) <= shown else f"{text} … ({len(points)} points)"


def _validate_points(raw: object, notices: list[Notice]) -> tuple[tuple[float, float], ...]:
    """Points from either share-link text or a sequence of (x, y) pairs."""
    # Every problem is numbered by its entry in the link, and listed in that order.
    numbered: list[tuple[int, str]] = []
    if isinstance(raw, str):
        candidates, numbered = _split_entries(raw)
    elif isinstance(raw, Sequence):
        candidates = []
        for index, item in enumerate(raw, start=1):
            if isinstance(item, Sequence) and not isinstance(item, str) and len(item) == 2:
                candidates.append((index, item[0], item[1]))
            else:
                numbered.append((index, f"entry {index} is not an (x, y) pair"))
    else:
        candidates, numbered = [], [(0, "it is not a list of x:y pairs")]

    points: list[tuple[float, float]] = []
    for index, raw_x, raw_y in candidates:
        x, y = _parse_float(raw_x), _parse_float(raw_y)
        if x is None or y is None:
            numbered.append((index, f"entry {index} has a value that is not a finite number"))
            continue
        if abs(x) > VALUE_LIMIT or abs(y) > VALUE_LIMIT:
            numbered.append((index, f"entry {index} was clamped to ±{exact(VALUE_LIMIT)}"))
            x = min(max(x, -VALUE_LIMIT), VALUE_LIMIT)
            y = min(max(y, -VALUE_LIMIT), VALUE_LIMIT)
        points.append((x, y))
    problems = [message for _, message in sorted(numbered, key=lambda item: item[0])]

    if len(points) > POINTS_MAX:
        problems.append(f"only the first {POINTS_MAX} of {len(points)} points are used")
        points = points[:POINTS_MAX]
    if not points:
        problems.append("no usable point was left, so the article's point x = 1, y = 4 is used")
        points = list(DEFAULT_POINTS)
    elif problems:
        problems.append(f"using {_points_summary(points)}")
    if problems:
        shown = "; ".join(problems[:3]) + ("; …" if len(problems) > 4 else "")
        if len(problems) > 3:  # the last entry says what is used: always show it
            shown += f"; {problems[-1]}"
        notices.append(Notice("data", f"Data: {shown}."))
    return tuple(points)


def validate(raw: Mapping[str, object]) -> tuple[Experiment, tuple[Notice, ...]]:
    """Turn untrusted values into an Experiment. Never raises.

    ``raw`` may hold ``points`` (text ``x:y,...`` or a sequence of pairs), ``a0``,
    ``b0``, ``lr``, ``steps`` and ``mode``; a missing key takes the article's default.
    """
    notices: list[Notice] = []
    points = _validate_points(raw["points"], notices) if "points" in raw else DEFAULT_POINTS
    bounds = rate_bounds(points)
    experiment = Experiment(
        points=points,
        a0=_bounded_number("a", "Start a", raw["a0"], DEFAULT_A0, -VALUE_LIMIT, VALUE_LIMIT, notices)
        if "a0" in raw
        else DEFAULT_A0,
        b0=_bounded_number("b", "Start b", raw["b0"], DEFAULT_B0, -VALUE_LIMIT, VALUE_LIMIT, notices)
        if "b0" in raw
        else DEFAULT_B0,
        lr=_validate_lr(raw["lr"], bounds, notices) if "lr" in raw else _default_lr(bounds, notices),
        steps=_validate_steps(raw["steps"], notices) if "steps" in raw else DEFAULT_STEPS,
        mode=_validate_mode(raw["mode"], notices) if "mode" in raw else DEFAULT_MODE,
    )
    return experiment, tuple(notices)


# --- share link ----------------------------------------------------------------------

def from_query(params: Mapping[str, object]) -> tuple[Experiment, tuple[Notice, ...]]:
    """The experiment a share link describes.

    ``params`` maps a query key to its value, or to a list of values when the key was
    repeated (the last one is used, with a notice). Unknown keys are ignored: they may
    belong to Streamlit (``embed``) or to a later version of the app.
    """
    values, notices = query_values(params, QUERY_TO_FIELD)
    experiment, field_notices = validate({QUERY_TO_FIELD[key]: value for key, value in values.items()})
    return experiment, tuple(notices) + field_notices


def query_values(params: Mapping[str, object], keys: Iterable[str]) -> tuple[dict[str, object], list[Notice]]:
    """The raw value of each of ``keys`` a link holds, for every part of the app that reads one.

    A repeated key arrives as a list of values: the last one is used, with a notice (an empty
    list counts as absent). Keys not asked for are left alone.
    """
    values: dict[str, object] = {}
    notices: list[Notice] = []
    for key in keys:
        if key not in params:
            continue
        value = params[key]
        if isinstance(value, list | tuple):
            if not value:
                continue
            if len(value) > 1:
                notices.append(
                    Notice(
                        key,
                        f"“{key}” appears {len(value)} times in the link; the last one, "
                        f"{quote_raw(value[-1])}, is used.",
                    )
                )
            value = value[-1]
        values[key] = value
    return values, notices


def next_point(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The point "Add a data point" suggests: one step right of the others (or left, at the edge).

    A new x different from every other one is what closes the valley into one best answer;
    the y repeats the last point's, so the student then decides what the data say.
    """
    xs = [x for x, _ in points]
    x = max(xs) + 1.0 if max(xs) + 1.0 <= VALUE_LIMIT else min(xs) - 1.0
    return x, points[-1][1]


def describe(experiment: Experiment) -> str:
    """A one-line plain-text summary: data, start, rate, length, precision."""
    if experiment.single_point:
        (x, y), = experiment.points
        data = f"x = {exact(x)}, y_true = {exact(y)}"
    else:
        data = f"{experiment.n_points} points"
    mode = " · hand calculation" if experiment.hand else ""
    return (
        f"{data} · start a = {exact(experiment.a0)}, b = {exact(experiment.b0)} · "
        f"learning rate {exact(experiment.lr)} · {experiment.steps} steps{mode}"
    )


def data_to_text(points: Sequence[tuple[float, float]]) -> str:
    return ",".join(f"{literal(x)}:{literal(y)}" for x, y in points)


def to_query(experiment: Experiment) -> dict[str, str]:
    """The share-link parameters of an experiment; values at their default are left out."""
    default = Experiment()
    query: dict[str, str] = {}
    if experiment.points != default.points:
        query["data"] = data_to_text(experiment.points)
    if experiment.a0 != default.a0:
        query["a"] = literal(experiment.a0)
    if experiment.b0 != default.b0:
        query["b"] = literal(experiment.b0)
    if experiment.lr != default.lr:
        query["lr"] = literal(experiment.lr)
    if experiment.steps != default.steps:
        query["steps"] = str(experiment.steps)
    if experiment.mode != default.mode:
        query["mode"] = experiment.mode
    return query
