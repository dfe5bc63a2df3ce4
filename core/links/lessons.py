"""Built-in lessons: a sequence of stops, each a whole link (page, experiment, note, hidden controls, step, view).

A lesson is a TOML file in ``lessons/`` so a teacher who forks the repository can add one
without touching code. Files are checked strictly here: every value goes through the same
parsers as a share link, and anything those parsers would have to replace is a problem of
the file. :func:`load_lessons` never raises — the app skips a broken file with a notice and
a test (tests/core/test_lessons.py) fails on it.

File layout::

    title = "Choosing a learning rate"
    summary = "One sentence on what the class will see."

    [[stop]]
    title = "Tiny steps"
    page = "loss-curve"            # step-table | loss-curve | loss-surface
    note = "What does the curve do?"  # plain text, at most 280 characters
    hide = ["presets", "share"]    # or "all"
    view = "loss"                  # a tab of that page
    step = 2                       # the step table's picked step
    compare = [0.01, 0.4, "diverge"]  # the loss curve's compared rates: numbers or preset names
    predict = false                # "Your turn"
    lr = 0.01                      # the experiment: data, a, b, lr, steps, mode
    steps = 20
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from core.links.options import (
    NOTE_MAX,
    PAGE_VIEWS,
    PAGES,
    LinkOptions,
    clean_note,
)
from core.links.options import from_query as options_from_query
from core.links.options import to_query as options_to_query
from core.maths.experiment import QUERY_KEYS as EXPERIMENT_KEYS
from core.maths.experiment import Experiment, Notice, data_to_text, quote_raw
from core.maths.experiment import from_query as experiment_from_query
from core.maths.experiment import to_query as experiment_to_query
from core.words.notation import literal

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
TITLE_MAX = 80
SUMMARY_MAX = 280
STOPS_MAX = 30

_STOP_KEYS = frozenset({"title", "page", "note", "hide", "view", "step", "compare", "predict", *EXPERIMENT_KEYS})
_FILE_KEYS = frozenset({"title", "summary", "stop"})


class LessonError(ValueError):
    """A lesson file that cannot be used; ``problems`` lists every reason, in file order."""

    def __init__(self, name: str, problems: list[str]) -> None:
        super().__init__(f"lesson {name}: " + "; ".join(problems))
        self.name = name
        self.problems = problems


@dataclass(frozen=True)
class Stop:
    """One stop of a lesson: a page opened with a whole link."""

    title: str
    page: str
    experiment: Experiment
    options: LinkOptions  # note, hide, step, view, predict (no lesson/stop: those are added by query())

    def query(self, lesson: str, number: int) -> dict[str, str]:
        """This stop as link parameters, ``lesson=NAME&stop=N`` included."""
        options = replace(self.options, lesson=lesson, stop=number)
        return {**experiment_to_query(self.experiment), **options_to_query(options)}


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    summary: str
    stops: tuple[Stop, ...]


def _text(value: object, where: str, limit: int, problems: list[str], required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where} must be non-empty text")
        return ""
    text = clean_note(value)
    if len(text) > limit:
        problems.append(f"{where} is {len(text)} characters, more than {limit}")
    return text


def _link_value(value: object) -> str | None:
    """A TOML value in share-link text; None for a type a link cannot hold."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        return str(value)
    return None


def _parse_stop(number: int, raw: object, problems: list[str]) -> Stop | None:
    where = f"stop {number}"
    if not isinstance(raw, Mapping):
        problems.append(f"{where} is not a table of keys")
        return None
    for key in sorted(set(raw) - _STOP_KEYS):
        problems.append(f"{where}: unknown key {quote_raw(key, limit=20)}")
    title = _text(raw.get("title"), f"{where}: title", TITLE_MAX, problems)
    page = raw.get("page")
    if page not in PAGES:
        problems.append(f"{where}: page must be one of {', '.join(PAGES)}")
        page = PAGES[0]

    experiment_query: dict[str, str] = {}
    for key in EXPERIMENT_KEYS:
        if key in raw:
            text = _link_value(raw[key])
            if text is None:
                problems.append(f"{where}: {key} must be a number or text")
            else:
                experiment_query[key] = text
    experiment, notices = experiment_from_query(experiment_query)

    link: dict[str, str] = {}
    if "note" in raw:
        link["note"] = _text(raw["note"], f"{where}: note", NOTE_MAX, problems)
    if "hide" in raw:
        hide = raw["hide"]
        if isinstance(hide, str):
            link["hide"] = hide
        elif isinstance(hide, list) and all(isinstance(name, str) for name in hide):
            link["hide"] = ",".join(hide)
        else:
            problems.append(f"{where}: hide must be a list of control names or \"all\"")
    for key in ("view", "step"):
        if key in raw:
            text = _link_value(raw[key])
            if text is None:
                problems.append(f"{where}: {key} must be a number or text")
            else:
                link[key] = text
    if "compare" in raw:
        rates = raw["compare"]
        parts = [_link_value(rate) for rate in rates] if isinstance(rates, list) else [None]
        if any(part is None for part in parts):
            problems.append(f"{where}: compare must be a list of rates and preset names")
        else:
            link["compare"] = ",".join(str(part) for part in parts)
    if "predict" in raw:
        if isinstance(raw["predict"], bool):
            link["predict"] = "on" if raw["predict"] else "off"
        else:
            problems.append(f"{where}: predict must be true or false")
    options, option_notices = options_from_query(link)
    problems.extend(f"{where}: {notice.message}" for notice in (*notices, *option_notices))

    if options.view is not None and options.view not in PAGE_VIEWS.get(str(page), ()):
        problems.append(f"{where}: view {options.view} is not a tab of {page}")
    if options.compare is not None and page != "loss-curve":
        problems.append(f"{where}: compare is for the loss-curve page, not {page}")
    if options.step is not None and options.step > experiment.steps:
        problems.append(f"{where}: step {options.step} is beyond the run's {experiment.steps} steps")
    return Stop(title=title, page=str(page), experiment=experiment, options=options)


def parse_lesson(name: str, text: str) -> Lesson:
    """A lesson from its file's text; raises :class:`LessonError` listing every problem."""
    problems: list[str] = []
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise LessonError(name, [f"not valid TOML ({error})"]) from None
    options, name_notices = options_from_query({"lesson": name})
    if name_notices or options.lesson != name:
        problems.append("the file name must be lowercase letters, digits and dashes")
    for key in sorted(set(raw) - _FILE_KEYS):
        problems.append(f"unknown key {quote_raw(key, limit=20)}")
    title = _text(raw.get("title"), "title", TITLE_MAX, problems)
    summary = _text(raw.get("summary"), "summary", SUMMARY_MAX, problems, required=False)
    raw_stops = raw.get("stop")
    if not isinstance(raw_stops, list) or not raw_stops:
        problems.append("a lesson needs at least one [[stop]]")
        raw_stops = []
    elif len(raw_stops) > STOPS_MAX:
        problems.append(f"{len(raw_stops)} stops is more than {STOPS_MAX}")
    stops = [stop for number, item in enumerate(raw_stops, start=1) if (stop := _parse_stop(number, item, problems))]
    if problems:
        raise LessonError(name, problems)
    return Lesson(name=name, title=title, summary=summary, stops=tuple(stops))


def load_lessons(folder: Path = LESSONS_DIR) -> tuple[dict[str, Lesson], tuple[Notice, ...]]:
    """Every usable lesson in ``folder`` by name (in file-name order), and one notice per skipped file."""
    lessons: dict[str, Lesson] = {}
    notices: list[Notice] = []
    try:
        paths = sorted(folder.glob("*.toml"))
    except OSError:
        paths = []
    for path in paths:
        try:
            lessons[path.stem] = parse_lesson(path.stem, path.read_text(encoding="utf-8"))
        except LessonError as error:
            file = quote_raw(path.name, limit=40)
            notices.append(Notice("lesson", f"The lesson file {file} was skipped: {error.problems[0]}."))
        except (OSError, UnicodeDecodeError):
            notices.append(Notice("lesson", f"The lesson file {quote_raw(path.name, limit=40)} could not be read."))
    return lessons, tuple(notices)


def resolve_stop(
    options: LinkOptions, lessons: Mapping[str, Lesson]
) -> tuple[Lesson | None, int | None, tuple[Notice, ...]]:
    """The lesson and 1-based stop a link asks for, fitted to what exists (with notices)."""
    if options.lesson is None:
        return None, None, ()
    lesson = lessons.get(options.lesson)
    if lesson is None:
        known = ", ".join(lessons) or "none are installed"
        return None, None, (
            Notice(
                "lesson",
                f"Lesson: {quote_raw(options.lesson)} is not a lesson of this app ({known}); no lesson is opened.",
            ),
        )
    stop = options.stop or 1
    if stop > len(lesson.stops):
        last = len(lesson.stops)
        notice = Notice("stop", f"Stop: “{lesson.title}” has {last} stops, so stop {stop} opens as stop {last}.")
        return lesson, last, (notice,)
    return lesson, stop, ()


def stop_link(lesson: Lesson, number: int, overrides: Mapping[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The raw link of a stop, with a link's own values (other than lesson/stop) winning over the stop's.

    A student who changed the learning rate during a stop and copied the address bar shares
    that rate: the link's explicit values override what the stop set.
    """
    params = {key: [value] for key, value in lesson.stops[number - 1].query(lesson.name, number).items()}
    for key, values in (overrides or {}).items():
        if key not in ("lesson", "stop"):
            params[key] = list(values)
    return params


def pinned_query(stop: Stop, experiment: Experiment) -> dict[str, str]:
    """The experiment's link values that must be written even at their default during a lesson stop.

    ``to_query`` leaves defaults out, but a stop's link is read with the stop's values as the
    base: a rate set back to 0.1 must be written so reopening the link does not give the stop's rate.
    """
    every = {
        "data": data_to_text(experiment.points),
        "a": literal(experiment.a0),
        "b": literal(experiment.b0),
        "lr": literal(experiment.lr),
        "steps": str(experiment.steps),
        "mode": experiment.mode,
    }
    in_use = experiment_to_query(experiment)
    return {key: every[key] for key in experiment_to_query(stop.experiment) if key not in in_use}


__all__ = ["Lesson", "LessonError", "Stop", "load_lessons", "parse_lesson", "pinned_query", "resolve_stop", "stop_link"]
