"""Shared pytest setup.

AppTest and the ``pages/`` folder: Streamlit decides once per server process whether an
app uses the old ``pages/`` discovery (``PagesManager.uses_pages_directory``), and
``st.navigation`` switches it off for good. AppTest resets that flag to "unknown" before
every run, so each ``at.run()`` behaves like the very first session after a server start:
the first run works, but a rerun then resolves the page the old way and skips ``app.py``
(the same cold-start behaviour as Streamlit issues 8860 / 9992). Tests model a warm
server — the state every session after the first one sees — by giving AppTest a
PagesManager whose flag stays off. The cold start itself is covered by a browser test.
"""

from __future__ import annotations

import os

import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager


class _WarmServerPagesManager(PagesManager):
    """A PagesManager as on a server where ``st.navigation`` has already run once."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        super().__init__(*args, **kwargs)


@pytest.fixture(autouse=True)
def warm_streamlit_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_test_module, "PagesManager", _WarmServerPagesManager)


# --- browser tests: one server and one Chromium per test session --------------------


@pytest.fixture(scope="session")
def app_server():
    """A warm Streamlit server running app.py (see tests/browser_support.py)."""
    from browser_support import require_chromium, streamlit_server, warm_up

    require_chromium()
    with streamlit_server() as base_url:
        warm_up(base_url)
        yield base_url


@pytest.fixture(scope="session")
def browser():
    from browser_support import CHROMIUM, CHROMIUM_ARGS, require_chromium
    from playwright.sync_api import sync_playwright

    require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# --- the result caches' janitor (ui/cached.py) --------------------------------------------

# Never in the middle of a test: a long browser test would leave the process idle long enough for
# the janitor to empty the caches between a test's steps. Tests of the janitor set their own time.
os.environ.setdefault("GD_CACHE_IDLE_S", "inf")
