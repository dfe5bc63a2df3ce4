"""Code pushed while the server runs: load all of it, never old modules under new page scripts.

The app runs without Streamlit's file watcher (``.streamlit/config.toml``: it walked every loaded
module for each student arriving). Streamlit still compiles ``app.py`` and the pages afresh
whenever the last session has left, but the modules they import (``core``, ``ui``) stay as first
loaded. After a push that a teacher did not follow with a reboot, the next class got new scripts
on old modules: an ``ImportError`` or a silent mismatch on every page.

:func:`reload_if_code_changed` (first thing in each run of ``app.py``) looks at the app's source
files at most every :data:`CHECK_EVERY_S` seconds. When one changed since they were loaded, it does
what the watcher would have: it forgets the app's modules, drops Streamlit's compiled scripts and
reruns, so that run and every later one import the new code whole.

A student still connected keeps session state made by the old modules: an ``Experiment``, a round
of Your turn, a ``Regime`` picked in the loss curve's quiz. The new modules' classes are new
objects, so the old values no longer match them (a keyboard playtest hit ``KeyError:
<Regime.SMOOTH>`` right after an edit). Each session's first run on new code drops the values
the old modules made (:func:`_forget_old_objects`); widgets and the link rebuild them, and a round
in progress starts again instead of failing.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("app.py", "core", "ui", "views")  # what a push can change under a running server
# Python, and the JavaScript and CSS beside it that its modules read when they are imported.
SUFFIXES = (".py", ".js", ".css")
CHECK_EVERY_S = 2.0  # a stat of ~100 files: every run would be ~0.1 ms of each student's CPU

STAMP_KEY = "_code_stamp"  # per session: the code its last run used (a source stamp)
APP_PACKAGES = frozenset(name.removesuffix(".py") for name in SOURCES if name != "app.py")

_lock = threading.Lock()
_loaded_stamp: int | None = None  # the newest source file's mtime when these modules were loaded
_checked_at = 0.0


def code_stamp(root: Path = ROOT) -> int:
    """The newest modification time (ns) of the app's sources under ``root`` (.py, and the .js/.css they read)."""
    newest = 0
    pending = [root / name for name in SOURCES]
    while pending:
        path = pending.pop()
        try:
            if path.is_file():
                newest = max(newest, path.stat().st_mtime_ns)
                continue
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                        pending.append(Path(entry.path))
                    elif entry.name.endswith(SUFFIXES):
                        newest = max(newest, entry.stat().st_mtime_ns)
        except OSError:  # a file replaced while we look: the next check sees the result
            continue
    return newest


def _forget_app_modules() -> None:
    """Drop the app's own modules, so the next import reads them from disk again."""
    folders = tuple(str(ROOT / name) + os.sep for name in SOURCES if not name.endswith(".py"))
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None) or ""
        if path.startswith(folders):
            del sys.modules[name]


def _drop_compiled_scripts() -> None:
    """Streamlit keeps app.py and the pages compiled while any session is connected."""
    try:
        from streamlit.runtime import Runtime

        Runtime.instance()._script_cache.clear()  # private: what Streamlit's own watcher clears
    except (AttributeError, RuntimeError):  # no runtime (AppTest, bare mode): nothing compiled to drop
        pass


def _rerun_on_the_asked_page() -> None:
    """``st.rerun()``, keeping the page a first view asked for.

    This runs before ``st.navigation``, when a new session's page is still only the name in its
    address (``/many-parameters``): ``st.rerun()`` then reran on the default page, and a student
    arriving just after a push landed on the step table. The rerun request here carries the
    intended page the way the browser sent it (Streamlit's own request type; plain ``st.rerun()``
    if its internals ever differ).
    """
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
        from streamlit.runtime.scriptrunner_utils.script_requests import RerunData

        ctx = get_script_run_ctx()
        pages = ctx.pages_manager
        request = RerunData(
            query_string=ctx.query_string,
            page_script_hash=pages.intended_page_script_hash or "",
            page_name=pages.intended_page_name or "",
            context_info=ctx.context_info,
        )
        ctx.script_requests.request_rerun(request)
    except (AttributeError, TypeError):
        st.rerun()
    st.empty()  # a yield point: the script runner acts on the request here, before anything is sent


def _made_by_the_app(value: object, depth: int = 0) -> bool:
    """True for an instance of a class from the app's modules, also inside a few levels of containers."""
    if type(value).__module__.partition(".")[0] in APP_PACKAGES:
        return True
    if depth >= 3:
        return False
    if isinstance(value, dict):
        return any(_made_by_the_app(k, depth + 1) or _made_by_the_app(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(_made_by_the_app(item, depth + 1) for item in value)
    return False


def _forget_old_objects() -> None:
    """A session's first run on reloaded code: drop what its state holds from the old modules."""
    stamp = _loaded_stamp
    if stamp is None:
        return
    seen = st.session_state.get(STAMP_KEY)
    if seen == stamp:
        return
    if seen is not None:
        for key in list(st.session_state.keys()):
            if _made_by_the_app(st.session_state.get(key)):
                del st.session_state[key]
    st.session_state[STAMP_KEY] = stamp


def reload_if_code_changed() -> None:
    """Rerun on the new code when the app's sources changed on disk since they were loaded.

    Then, in every run, a session that last ran on older code forgets the objects that code made.
    """
    if _check_sources():
        _rerun_on_the_asked_page()
    _forget_old_objects()


def _check_sources() -> bool:
    """True when the sources changed since they were loaded (the app's modules are then forgotten)."""
    global _loaded_stamp, _checked_at
    now = time.monotonic()
    if now - _checked_at < CHECK_EVERY_S:
        return False
    with _lock:
        if now - _checked_at < CHECK_EVERY_S:  # another session checked meanwhile
            return False
        _checked_at = now
        stamp = code_stamp()
        if _loaded_stamp is None or stamp <= _loaded_stamp:
            _loaded_stamp = stamp if _loaded_stamp is None else _loaded_stamp
            return False
        _loaded_stamp = stamp
        _forget_app_modules()
        _drop_compiled_scripts()
    return True
