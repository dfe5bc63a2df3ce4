"""Browser-test support: a real Streamlit server and Debian's Chromium driven by Playwright.

Locally the browser tests skip when no Chromium is found; in CI (``CI`` set) a missing
browser is a failure, so they can never silently stop running. Use the fixtures from
``tests/conftest.py``: ``app_server`` (base URL of a server started once per test session)
and ``browser`` (a Playwright Chromium).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from benchmarks._common import wait_healthy

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("HARNESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Streamlit's frontend first probes these next to a page's own path and gets 404s before
# falling back to the root: expected noise, not an app error.
IGNORED_PROBES = ("/_stcore/health", "/_stcore/host-config")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def require_chromium() -> None:
    """Skip locally without Chromium, fail in CI where the browser tests must run."""
    if chromium_available():
        return
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests are required in CI, but no Chromium was found at {CHROMIUM}")
    pytest.skip(f"No Chromium at {CHROMIUM} (apt-get install chromium); required in CI")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(app: str = "app.py", cwd: Path = REPO) -> Iterator[str]:
    """Start ``streamlit run`` on a free loopback port; yield its base URL; stop it."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", app,
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
    ]
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def warm_up(base_url: str, browser) -> None:
    """Load "/" once, so the tests' timings see a warm server (modules imported, caches filled).

    A cold server serves deep links correctly too (tests/server/, and the cold-start test in
    test_e2e.py, which does not warm up); this is only about what a test waits for. It uses the
    session's browser: a second Playwright started while that one runs refuses to work.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + "/")
        wait_for_app(page)
    finally:
        context.close()


def wait_for_app(page, timeout_ms: int = 60_000) -> None:
    """Wait until Streamlit has finished running the script and drawn the main block."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout_ms)
    page.wait_for_selector("[data-testid='stMain']", timeout=timeout_ms)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stSkeleton\"]')"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout_ms,
    )


def is_external(url: str) -> bool:
    """True for an http(s) URL off this machine (the tests have no internet and send nothing there)."""
    parsed = urlparse(url)
    return parsed.scheme in ("http", "https") and parsed.hostname not in LOOPBACK_HOSTS


def block_external_requests(context) -> None:
    """Abort every request a page makes to the outside world (e.g. Streamlit fetching a
    Material-icon favicon from Google's font CDN); only the loopback server is reached."""
    context.route(is_external, lambda route: route.abort())


def is_ignored_console_error(text: str, url: str = "") -> bool:
    """True for Streamlit's own 404 probes of ``/<page>/_stcore/...`` on subpages, and for a
    resource from outside this machine that could not load (no internet in the sandbox)."""
    if any(probe in text or probe in url for probe in IGNORED_PROBES):
        return True
    return text.startswith("Failed to load resource") and is_external(url)


def console_errors(page) -> list[str]:
    """Start collecting console errors and page exceptions; returns the live list."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error" and not is_ignored_console_error(message.text, message.location.get("url", "")):
            errors.append(f"console: {message.text} @ {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


def record_reruns(page, runs: list[str]) -> None:
    """Append to ``runs`` the page of every run the browser asks the server for; call before ``goto``.

    Read from the websocket (each ``rerun_script`` BackMsg the page sends), not from the page: on a
    slow client React can take a quick run's start and end in one render, and the
    ``data-test-script-state`` attribute a watcher would see never changes.
    """
    from streamlit.proto.BackMsg_pb2 import BackMsg

    def on_frame(payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = BackMsg.FromString(payload)
            if message.WhichOneof("type") == "rerun_script":
                runs.append(message.rerun_script.page_name or message.rerun_script.page_script_hash)

    page.on("websocket", lambda socket: socket.on("framesent", on_frame))


def query(page) -> dict[str, str]:
    """The page's address-bar query, each key's last value."""
    return {key: values[-1] for key, values in parse_qs(urlparse(page.url).query).items()}


def sidebar_field(page, label: str):
    """The input of the sidebar number field labelled exactly ``label``."""
    return page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(
        has=page.locator("[data-testid=stWidgetLabel]", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    ).locator("input")


# Records every change of Streamlit's script state, so a test can tell whether a rerun happened.
STATE_RECORDER = """
(() => {
  window.__states = [];
  new MutationObserver(records => {
    for (const r of records)
      if (r.attributeName === 'data-test-script-state')
        window.__states.push(r.target.getAttribute('data-test-script-state'));
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
})();
"""


def open_page(page, url: str) -> None:
    """Go to ``url`` and wait until Streamlit has drawn the app and finished its run."""
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app(page)


# The 3D figure's graph div, in whichever document holds it (the page itself since ui.charts;
# earlier the surface page drew it inside a frame).
SURFACE_JS = "() => [...document.querySelectorAll('.js-plotly-plot')]" \
             ".find(gd => gd._fullLayout && gd._fullLayout.scene && gd._fullLayout.scene._scene" \
             " && gd.querySelector('.main-svg'))"


def surface_frame(page, timeout_s: float = 60.0):
    """The frame in which the 3D surface has been drawn (the page itself; any frame is searched), once drawn."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            try:
                if frame.evaluate(f"() => !!({SURFACE_JS})()"):
                    return frame
            except PlaywrightError:  # a frame that is navigating or gone
                continue
        page.wait_for_timeout(200)
    raise AssertionError("no drawn 3D Plotly figure on the loss-surface page")
