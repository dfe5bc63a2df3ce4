"""A class arriving at once on a server that has just started (issue #12) — no browser needed.

Three times, a fresh ``streamlit run app.py`` (free loopback port, headless, otherwise as shipped)
receives 30 websocket sessions whose first runs all start at the same moment, before any run
has finished in the process: deep links to every page of ``app.py``'s navigation, with and
without query strings, broken links included (``benchmarks/_cold.py``). Every one must
finish on the linked page with the linked experiment: no exception element (the import race
of threads loading pandas side by side), no ``page_not_found`` (the old ``pages/`` discovery
before ``st.navigation`` has run), the summary caption of core's reading of the link, and a
notice naming each broken value.
"""

from __future__ import annotations

import importlib.util

import async_runner
import pytest

from benchmarks._cold import QUERIES, Arrival, cold_wave, deep_link_paths, plan
from benchmarks._common import Server
from benchmarks._stream import StreamSession

STUDENTS = 30


def _failures(arrivals: list[Arrival]) -> list[str]:
    return [f"{a.path}?{a.query}: {'; '.join(a.problems)}" for a in arrivals if not a.ok]


def test_every_page_and_kind_of_link_is_in_the_wave():
    """The wave covers the whole navigation, read from app.py, with every kind of link."""
    paths = deep_link_paths()
    assert {"/", "/step-table", "/loss-curve", "/loss-surface"} <= set(paths)
    wave = plan(STUDENTS, paths)
    assert {path for path, _ in wave} == set(paths)
    assert {query for _, query in wave} == set(QUERIES)


async def _open_missing_page(base_url: str) -> tuple[bool, str]:
    session = StreamSession(base_url, "/no-such-page", "lr=0.3", timeout=60)
    await session.connect()
    try:
        result = await session.run()
    finally:
        await session.close()
    return result.page_not_found, session.page_url


@pytest.mark.parametrize("server_number", [1, 2, 3])
def test_a_class_on_a_fresh_server_sees_the_linked_pages(server_number):
    with Server(start_timeout=60) as server:
        arrivals = async_runner.run(cold_wave(server.url, STUDENTS, timeout=60))
        log = server.log_tail()
        event_loop = server.event_loop()
        watches_files = server.watches_files()
        # The check can fail: a link to a page the app does not have is reported, not passed
        # (once the wave is over, so the wave itself stays the server's first visitors).
        not_found, fallback_page = (
            async_runner.run(_open_missing_page(server.url)) if server_number == 1 else (True, "")
        )
    assert len(arrivals) == STUDENTS
    assert _failures(arrivals) == [], f"server {server_number}:\n" + "\n".join(_failures(arrivals)) + "\n" + log
    assert "Traceback" not in log, log
    assert not_found and fallback_page == "", "a missing page went unnoticed"
    # Streamlit's default file watcher walks every loaded module for each new session (~110 ms of
    # CPU per arriving student, PERFORMANCE.md); the app's config turns it off.
    assert not watches_files, "a file watcher started: see server.fileWatcherType in .streamlit/config.toml"
    # requirements.txt installs uvloop (not on Windows) and Streamlit then runs its event loop on it:
    # a lecture hall's arrival cost about a quarter less CPU per student with it (PERFORMANCE.md).
    if importlib.util.find_spec("uvloop") is not None:
        assert event_loop == "uvloop", "uvloop is installed but the server's event loop does not use it"
