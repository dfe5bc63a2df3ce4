"""The page-level share-link options: what a teacher adds to an experiment's link.

An experiment link says *what run* a student sees (``core.maths.experiment``). These options
say *how* the app presents it: which sidebar controls are hidden, the teacher's note, the
picked step of the step table, the open tab of a page, the rates the loss curve page compares,
the lesson stop, and whether the student predicts first ("Your turn"). Parsed like the
experiment: :func:`from_query` never raises, returns the options it will use and one
:class:`Notice` per value it had to replace, and ``from_query(to_query(o))`` gives back ``o``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from core.maths.comparison import CUSTOM_PREFIX, PRESET_TOKENS, custom_token
from core.maths.experiment import STEPS_MAX, Notice, query_values, quote_raw
from core.words.notation import exact

# The sidebar controls a link can hide, in the order the sidebar shows them.
HIDEABLE: tuple[str, ...] = ("data", "a", "b", "lr", "steps", "mode", "presets", "share", "builder")
HIDE_ALL = "all"
NOTE_MAX = 280
LESSON_NAME_MAX = 40
STOP_MAX = 99
COMPARE_MAX = 12  # rates a link may compare: more than a chart's legend can tell apart

# Pages by their link path ("" is the root, which shows the step table too).
PAGES: tuple[str, ...] = ("step-table", "loss-curve", "loss-surface")
# The tabs a page can open with; the first one is the page's default.
PAGE_VIEWS: dict[str, tuple[str, ...]] = {
    "loss-curve": ("loss", "error", "rates"),
    "loss-surface": ("3d", "map"),
}
VIEWS: tuple[str, ...] = tuple(name for names in PAGE_VIEWS.values() for name in names)
VIEW_LABELS: dict[str, str] = {
    "loss": "Loss by step",
    "error": "Error by step",
    "rates": "Learning rates side by side",
    "3d": "3D surface",
    "map": "Top-down map",
}
ON_OFF = ("on", "off")

QUERY_KEYS: tuple[str, ...] = ("hide", "note", "step", "view", "compare", "lesson", "stop", "predict")

_LESSON_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


@dataclass(frozen=True)
class LinkOptions:
    """Everything a link says about presentation; the defaults show the plain app."""

    hide: frozenset[str] = field(default_factory=frozenset)
    note: str = ""
    step: int | None = None  # the step table's picked step; None: the page's own choice
    view: str | None = None  # a tab name from VIEWS; None: each page's first tab
    # The loss curve page's compared rates as comparison tokens (presets by name, "lr=0.3" for a rate
    # of the teacher's own); None: the page's presets. Rates these data cannot run are the page's to say.
    compare: tuple[str, ...] | None = None
    lesson: str | None = None  # a lesson's name (its file name without .toml)
    stop: int | None = None  # 1-based; set whenever ``lesson`` is
    predict: bool = False  # "Your turn": the student predicts before the app shows

    @property
    def hides_all(self) -> bool:
        return self.hide >= frozenset(HIDEABLE)

    def view_for(self, page: str) -> str:
        """The tab ``page`` opens on: the link's view when it is one of this page's, else the first."""
        names = PAGE_VIEWS.get(page, ())
        if self.view in names:
            return self.view  # type: ignore[return-value]
        return names[0] if names else ""


# --- one parser per parameter ------------------------------------------------------------


def parse_hide(raw: str, notices: list[Notice]) -> frozenset[str]:
    names = [part.strip().lower() for part in raw.split(",")]
    names = [name for name in names if name]
    unknown = [name for name in names if name not in HIDEABLE and name != HIDE_ALL]
    if unknown:
        shown = ", ".join(quote_raw(name, limit=16) for name in unknown[:4]) + (" …" if len(unknown) > 4 else "")
        notices.append(
            Notice(
                "hide",
                f"Hide: {shown} {'is not a control' if len(unknown) == 1 else 'are not controls'} the link "
                f"can hide (choose from {', '.join(HIDEABLE)} or all); the others still apply.",
            )
        )
    if HIDE_ALL in names:
        return frozenset(HIDEABLE)
    return frozenset(name for name in names if name in HIDEABLE)


def clean_note(raw: str) -> str:
    """The note as plain text: control characters become spaces, line breaks stay, ends trimmed."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def parse_note(raw: str, notices: list[Notice]) -> str:
    text = clean_note(raw)
    if len(text) > NOTE_MAX:
        notices.append(
            Notice("note", f"Note: {len(text)} characters is more than {NOTE_MAX}; the first {NOTE_MAX} are shown.")
        )
        text = text[:NOTE_MAX].rstrip()
    return text


def _whole_number(raw: str) -> float | None:
    text = raw.strip()
    if not text or len(text) > 32:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def parse_step(raw: str, notices: list[Notice]) -> int | None:
    value = _whole_number(raw)
    if value is None:
        notices.append(Notice("step", f"Step: {quote_raw(raw)} is not a whole number; the table opens at step 0."))
        return None
    if not value.is_integer():
        whole = min(max(math.floor(value + 0.5), 0), STEPS_MAX)
        notices.append(Notice("step", f"Step: {exact(value)} is not a whole number; using {whole}."))
        return whole
    if value < 0:
        notices.append(Notice("step", f"Step: {exact(value)} is below 0; using 0."))
        return 0
    if value > STEPS_MAX:
        top = STEPS_MAX
        notices.append(Notice("step", f"Step: {exact(value)} is above the maximum {top}; using {top}."))
        return STEPS_MAX
    return int(value)


def parse_view(raw: str, notices: list[Notice]) -> str | None:
    text = raw.strip().lower()
    if text in VIEWS:
        return text
    # Each page's own tabs by name: a list of all five read as if this page had them (student playtest).
    tabs = "; ".join(f"/{page} has {', '.join(names)}" for page, names in PAGE_VIEWS.items())
    notices.append(Notice("view", f"View: {quote_raw(raw)} is not a tab ({tabs}); each page opens on its first tab."))
    return None


def view_notice(view: str | None, page: str) -> Notice | None:
    """A notice when the link's tab belongs to another page.

    The tab still opens when the student goes to its page (the session keeps it), but this
    page has no such tab: saying so beats a link that silently seems to do nothing.
    """
    if view is None or view in PAGE_VIEWS.get(page, ()):
        return None
    owner = next(name for name, names in PAGE_VIEWS.items() if view in names)
    return Notice(
        "view",
        f"View: {view} is a tab of the /{owner} page, not of this one; it opens when you go to that page.",
    )


def parse_compare(raw: str, notices: list[Notice]) -> tuple[str, ...] | None:
    """The compared rates: preset names and positive numbers, comma-separated, each once; empty: none.

    A value with no rate in it at all (a typo such as ``compare=fast``) compares the presets, as a
    link without it does, rather than nothing (teacher playtest: one lonely line).
    """
    tokens: list[str] = []
    unknown: list[str] = []
    for part in (piece.strip() for piece in raw.split(",")):
        if not part:
            continue
        name = part.lower()
        number = _whole_number(part)
        if name in PRESET_TOKENS:
            token = name
        elif number is not None and number > 0:
            token = custom_token(number)
        else:
            unknown.append(part)
            continue
        if token not in tokens:
            tokens.append(token)
    if unknown:
        shown = ", ".join(quote_raw(part, limit=16) for part in unknown[:4]) + (" …" if len(unknown) > 4 else "")
        outcome = "the others still apply" if tokens else "the presets are compared instead"
        notices.append(Notice(
            "compare",
            f"Compare: {shown} {'is not a rate' if len(unknown) == 1 else 'are not rates'} (give positive numbers "
            f"or {', '.join(PRESET_TOKENS)}, separated by commas); {outcome}.",
        ))
        if not tokens:
            return None
    if len(tokens) > COMPARE_MAX:
        notices.append(Notice("compare", f"Compare: {len(tokens)} rates is more than {COMPARE_MAX}; "
                                         f"the first {COMPARE_MAX} are compared."))
        tokens = tokens[:COMPARE_MAX]
    return tuple(tokens)


def compare_to_text(tokens: Iterable[str]) -> str:
    """Compared rates in link form: preset names as they are, a rate of one's own as its number."""
    return ",".join(token.removeprefix(CUSTOM_PREFIX) for token in tokens)


def parse_lesson(raw: str, notices: list[Notice]) -> str | None:
    text = raw.strip().lower()
    if _LESSON_NAME.fullmatch(text) and len(text) <= LESSON_NAME_MAX:
        return text
    notices.append(Notice("lesson", f"Lesson: {quote_raw(raw)} is not a lesson name; no lesson is opened."))
    return None


def parse_stop(raw: str, notices: list[Notice]) -> int | None:
    value = _whole_number(raw)
    if value is None or not value.is_integer():
        notices.append(Notice("stop", f"Stop: {quote_raw(raw)} is not a whole number; using stop 1."))
        return 1
    if value < 1:
        notices.append(Notice("stop", f"Stop: {exact(value)} is below 1; using stop 1."))
        return 1
    return int(min(value, STOP_MAX))  # beyond the lesson's last stop: resolve_stop says so


def parse_predict(raw: str, notices: list[Notice]) -> bool:
    text = raw.strip().lower()
    if text in ON_OFF:
        return text == "on"
    notices.append(Notice("predict", f"Predict: {quote_raw(raw)} is not “on” or “off”; using off."))
    return False


# --- the whole link ------------------------------------------------------------------------


def _text(value: object) -> str:
    """A link value as text; an object whose str() refuses counts as unreadable text."""
    try:
        return str(value)
    except Exception:
        return "?"


# Keys a teacher may write from the sidebar's labels, which the link spells otherwise. They are
# named in a notice rather than dropped without a word (a playtest's ?x=2 opened x = 1 silently).
_DATA = "Not a link key: x and y_true are given together, as data=x:y_true (for example data=2:4)."
_RATE = "Not a link key: the learning rate is given as lr= (for example lr=0.3)."
GUESSED_KEYS = {
    "x": _DATA, "y": _DATA, "y_true": _DATA,
    "a0": "Not a link key: the start a is given as a= (for example a=3).",
    "b0": "Not a link key: the start b is given as b= (for example b=4).",
    "rate": _RATE, "learning_rate": _RATE,
}


def guessed_key_notices(params: Mapping[str, object]) -> list[Notice]:
    """One notice per mistaken spelling in the link, under the first key that used it."""
    said: dict[str, Notice] = {}
    for key, message in GUESSED_KEYS.items():
        if key in params and message not in said:
            said[message] = Notice(key, message)
    return list(said.values())


def from_query(params: Mapping[str, object]) -> tuple[LinkOptions, tuple[Notice, ...]]:
    """The options a link describes. Never raises; keys of the experiment are left to others."""
    values, notices = query_values(params, QUERY_KEYS)
    notices += guessed_key_notices(params)
    raw = {key: _text(value) for key, value in values.items()}
    lesson = parse_lesson(raw["lesson"], notices) if "lesson" in raw else None
    stop = parse_stop(raw["stop"], notices) if "stop" in raw else None
    if lesson is None:
        if stop is not None and "lesson" not in raw:
            notices.append(Notice("stop", "Stop: a stop needs a lesson (lesson=NAME) beside it; it is ignored."))
        stop = None
    elif stop is None:
        stop = 1
    options = LinkOptions(
        hide=parse_hide(raw["hide"], notices) if "hide" in raw else frozenset(),
        note=parse_note(raw["note"], notices) if "note" in raw else "",
        step=parse_step(raw["step"], notices) if "step" in raw else None,
        view=parse_view(raw["view"], notices) if "view" in raw else None,
        compare=parse_compare(raw["compare"], notices) if "compare" in raw else None,
        lesson=lesson,
        stop=stop,
        predict=parse_predict(raw["predict"], notices) if "predict" in raw else False,
    )
    return options, tuple(notices)


def hide_to_text(hide: Iterable[str]) -> str:
    """``hide`` in link form: "all", or the names in sidebar order joined by commas."""
    names = frozenset(hide)
    if names >= frozenset(HIDEABLE):
        return HIDE_ALL
    return ",".join(name for name in HIDEABLE if name in names)


def to_query(options: LinkOptions) -> dict[str, str]:
    """The link parameters of ``options``; values at their default are left out."""
    query: dict[str, str] = {}
    if options.hide:
        query["hide"] = hide_to_text(options.hide)
    if options.note:
        query["note"] = options.note
    if options.step is not None:
        query["step"] = str(options.step)
    if options.view is not None:
        query["view"] = options.view
    if options.compare is not None:
        query["compare"] = compare_to_text(options.compare)
    if options.lesson is not None:
        query["lesson"] = options.lesson
        query["stop"] = str(options.stop or 1)
    if options.predict:
        query["predict"] = "on"
    return query


def clamp_step(step: int, last_step: int) -> tuple[int, Notice | None]:
    """The link's step fitted to a run whose table ends at ``last_step``, with a notice when cut."""
    if step <= last_step:
        return max(step, 0), None
    return last_step, Notice(
        "step", f"Step: this run's table ends at step {last_step}, so step {step} is shown as step {last_step}."
    )
