"""A class's first wave on a server that has just started: shared by tests/server and the benchmarks.

A teacher's link is opened by a whole class within seconds, often on a server that the
first visitor has just woken. Every student of the wave is a websocket session
(``_stream.StreamSession``) opening a deep link — every page in ``app.py``'s navigation, with
and without a query string, broken links included — and all of them send their first
``rerun_script`` at the same moment, before any script run has finished in the process.

A student counts as served only if the run finished, with no exception element and no
``page_not_found``, on the page the link named, showing the experiment the link describes:
the summary caption ``app.py`` draws on every page must be ``describe()`` of what core's own
link parser makes of the query (so a replaced bad value is checked too), and a broken value
must be named in a notice.
"""

from __future__ import annotations

import ast
import asyncio
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO
from _stream import StreamSession

if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # core, for what a link must show

# Links a class is sent: plain, tuned, multi-point, hand mode, and broken ones (each bad value
# names its key, so the notice can be checked).
QUERIES: tuple[str, ...] = (
    "",
    "lr=0.3&steps=7",
    "data=1:2,3:5&a=0.5&b=-1&lr=0.05&steps=12",
    "lr=0.45&steps=3&mode=hand",
    "lr=abc",
    "steps=-3",
    "data=1:",
    "lr=abc&steps=-3&data=1:",
)
LR_LABEL, STEPS_LABEL = "Learning rate", "Steps (updates)"
PAGES_WITHOUT_SUMMARY = {"many-parameters"}  # its own model: app.py states no line experiment there
BROKEN_KEYS: dict[str, tuple[str, ...]] = {
    "lr=abc": ("lr",), "steps=-3": ("steps",), "data=1:": ("data",), "lr=abc&steps=-3&data=1:": ("lr", "steps", "data"),
}


def deep_link_paths(app: Path = REPO / "app.py") -> list[str]:
    """Every URL path the app's navigation serves, read from its ``st.Page(...)`` calls.

    "/" for the default page, "/<url_path>" for each page with one (a page without one is
    served under its file name, as Streamlit infers it). Read from the source, not hard-coded,
    so a page added to the navigation is in the wave the day it is added.
    """
    paths = ["/"]
    for node in ast.walk(ast.parse(app.read_text())):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"):
            continue
        keywords = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        default = keywords.get("default")
        if isinstance(default, ast.Constant) and default.value is True:
            continue
        url_path = keywords.get("url_path")
        if isinstance(url_path, ast.Constant) and isinstance(url_path.value, str):
            paths.append("/" + url_path.value.strip("/"))
        elif node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            paths.append("/" + Path(node.args[0].value).stem.lstrip("0123456789_-"))
    return list(dict.fromkeys(paths))


def linked_experiment(query: str):  # -> core.maths.experiment.Experiment (core is imported late: see REPO)
    """What core's own link parser makes of the query (a bad value replaced, as the app does)."""
    from core.maths.experiment import from_query

    experiment, _ = from_query({key: values for key, values in parse_qs(query, keep_blank_values=True).items()})
    return experiment


def expected_summary(query: str) -> str:
    """The summary caption a link must show: ``describe()`` of core's reading of the query."""
    from core.maths.experiment import describe

    return describe(linked_experiment(query))


def widget_value(session: StreamSession, label: str) -> float | None:
    """The value a sidebar number_input shows after the run (the one set from the link, else its default)."""
    widget = session.widgets.get(label)
    if widget is None:
        return None
    return widget.value if widget.set_value else widget.default


@dataclass
class Arrival:
    """One student of the wave."""

    path: str
    query: str
    ok: bool = False
    ms: float = 0.0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)


def plan(students: int, paths: list[str]) -> list[tuple[str, str]]:
    """(path, query) for each student: every page with every kind of link, round-robin."""
    combos = [(path, query) for query in QUERIES for path in paths]
    # Interleave so that even a small wave has every page and a broken link in it.
    combos.sort(key=lambda combo: (QUERIES.index(combo[1]) + paths.index(combo[0])) % len(QUERIES))
    return [combos[i % len(combos)] for i in range(students)]


async def _arrive(base_url: str, path: str, query: str, start: asyncio.Event, connected: list[int],
                  timeout: float) -> Arrival:
    arrival = Arrival(path, query)
    session = StreamSession(base_url, path, query, timeout=timeout)
    try:
        try:
            await session.connect()
        finally:
            connected.append(1)
        await start.wait()  # everyone sends the first rerun at the same moment
        result = await session.run()
    except (OSError, ConnectionError, TimeoutError) as error:
        arrival.problems.append(f"{type(error).__name__}: {error}")
        return arrival
    finally:
        await session.close()
    arrival.ms, arrival.bytes = result.ms, result.bytes
    if result.page_not_found:
        arrival.problems.append("page not found")
    arrival.problems += [f"exception {text}" for text in result.exceptions]
    if result.status not in ("FINISHED_SUCCESSFULLY",):
        arrival.problems.append(f"status {result.status}")
    if session.page_url.strip("/") != path.strip("/"):
        arrival.problems.append(f"ran page {session.page_url!r}")
    # Every page has the sidebar's rate and steps (a page with a model of its own uses those two);
    # the pages about the line also state the whole experiment in the summary caption.
    experiment = linked_experiment(query)
    for label, expected in ((LR_LABEL, experiment.lr), (STEPS_LABEL, experiment.steps)):
        shown = widget_value(session, label)
        if shown is None or abs(shown - expected) > 1e-12:
            arrival.problems.append(f"{label!r} shows {shown}, the link says {expected}")
    summary = expected_summary(query)
    if path.strip("/") not in PAGES_WITHOUT_SUMMARY and not any(summary in text for text in session.texts):
        arrival.problems.append(f"summary {summary!r} not shown")
    for key in BROKEN_KEYS.get(query, ()):
        if not any(f"“{key}” in the link" in text for text in session.texts):
            arrival.problems.append(f"no notice naming {key!r}")
    arrival.ok = not arrival.problems
    return arrival


async def cold_wave(base_url: str, students: int = 30, paths: list[str] | None = None,
                    timeout: float = 120.0) -> list[Arrival]:
    """Open ``students`` sessions, then start all their first runs at once; return each outcome."""
    start, connected = asyncio.Event(), []
    tasks = [asyncio.create_task(_arrive(base_url, path, query, start, connected, timeout))
             for path, query in plan(students, paths or deep_link_paths())]
    deadline = asyncio.get_running_loop().time() + timeout
    while len(connected) < len(tasks) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.02)  # every handshake done (or failed): then release them together
    start.set()
    return list(await asyncio.gather(*tasks))
