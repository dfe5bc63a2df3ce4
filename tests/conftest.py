"""Shared pytest setup: one Streamlit server and one Chromium per browser-test session."""

from __future__ import annotations

import os

import pytest

# --- browser tests: one server and one Chromium per test session --------------------


@pytest.fixture(scope="session")
def app_server(browser):
    """A warm Streamlit server running app.py (see tests/browser_support.py)."""
    from browser_support import streamlit_server, warm_up

    with streamlit_server() as base_url:
        warm_up(base_url, browser)
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


@pytest.fixture
def new_page(browser):
    """``make(viewport)``: a page in a fresh browser context (a new Streamlit session) and its console errors.

    External requests are blocked and every action waits up to 60 s; the contexts close afterwards.
    """
    from browser_support import DESKTOP, block_external_requests, console_errors

    contexts = []

    def make(viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(60_000)
        block_external_requests(context)
        contexts.append(context)
        page = context.new_page()
        return page, console_errors(page)

    yield make
    for context in contexts:
        context.close()


# --- the result caches' janitor (ui/cached.py) --------------------------------------------

# Never in the middle of a test: a long browser test would leave the process idle long enough for
# the janitor to empty the caches between a test's steps. Tests of the janitor set their own time.
os.environ.setdefault("GD_CACHE_IDLE_S", "inf")
