"""Code pushed under a running server, without a reboot: the next class gets the new code whole.

The app runs without Streamlit's file watcher (``.streamlit/config.toml``). Streamlit compiles
``app.py`` and the pages afresh once the last session has left, but the ``ui`` and ``core``
modules stay loaded: a push that renamed a function made every page an ``ImportError``
(a student playtest saw exactly that). ``ui/freshness.py`` reloads the app's modules when its
sources change. No browser: a real server from a copy of the app, and the project's websocket
client (``benchmarks/_stream.py``).
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import async_runner
import pytest

from benchmarks._common import REPO, Server
from benchmarks._stream import StreamSession
from ui.freshness import CHECK_EVERY_S, SOURCES, code_stamp

NEW_CODE_SAYS = '\nprint("the pushed ui/site.py is loaded", flush=True)\n'  # into the server's log
APP_PARTS = ("app.py", "core", "ui", "views", "assets", "lessons", "static", ".streamlit")


def _copy_app(to: Path) -> Path:
    for part in APP_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, to / part, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, to / part)
    return to


def _push_a_renamed_function(app: Path) -> None:
    """What a push can do: a function renamed in a module, and app.py calling it by its new name."""
    site, entry = app / "ui" / "site.py", app / "app.py"
    assert "def favicon(" in site.read_text() and "favicon()" in entry.read_text()
    site.write_text(site.read_text().replace("def favicon(", "def site_icon(") + NEW_CODE_SAYS)
    entry.write_text(entry.read_text().replace("favicon", "site_icon"))


async def _first_view(url: str, path: str = "/loss-curve"):
    session = StreamSession(url, path, "lr=0.3", timeout=60)
    await session.connect()
    try:
        result = await session.run()
    finally:
        await session.close()
    # The page asked for, not the default one: the reload's rerun once lost a first view's page.
    assert session.page_url == path.strip("/"), (path, session.page_url)
    return result


async def _class_around_a_push(url: str, app: Path, someone_stays: bool) -> dict:
    """A first student (who leaves, or stays), the push, then two newcomers and the stayer's next change."""
    results = {}
    stayer = StreamSession(url, "/loss-curve", "lr=0.3", timeout=60)
    await stayer.connect()
    results["before"] = await stayer.run()
    if not someone_stays:
        await stayer.close()
    _push_a_renamed_function(app)
    await asyncio.sleep(CHECK_EVERY_S + 0.5)
    results["newcomer"] = await _first_view(url)
    results["another"] = await _first_view(url, "/many-parameters")
    if someone_stays:
        results["stayer's change"] = await stayer.run()
        await stayer.close()
    return results


def test_the_stamp_sees_a_changed_source(tmp_path):
    app = _copy_app(tmp_path)
    before = code_stamp(app)
    assert before > 0 and set(SOURCES) <= set(APP_PARTS)
    time.sleep(0.01)
    (app / "core" / "words" / "notation.py").write_text((app / "core" / "words" / "notation.py").read_text())
    assert code_stamp(app) > before
    assert code_stamp(tmp_path / "nothing here") == 0
    stamp = code_stamp(app)
    time.sleep(0.01)
    (app / "ui" / "charts.js").write_text((app / "ui" / "charts.js").read_text())  # read by ui.charts at import
    assert code_stamp(app) > stamp


@pytest.mark.parametrize("someone_stays", [False, True], ids=["class-gone", "student-connected"])
def test_a_push_without_a_reboot_serves_the_new_code(tmp_path, someone_stays):
    """class-gone: Streamlit recompiles app.py; student-connected: it keeps the old compiled one."""
    app = _copy_app(tmp_path)
    with Server(cwd=app, start_timeout=60) as server:
        results = async_runner.run(_class_around_a_push(server.url, app, someone_stays))
        log = server.log_tail(20000)
    for who, result in results.items():
        assert result.ok, (who, result.status, result.exceptions, log[-3000:])
    assert "ImportError" not in log
    assert "the pushed ui/site.py is loaded" in log  # the new code runs, not the old code consistently
