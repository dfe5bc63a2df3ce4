"""What every run of ``app.py`` sets up identically: built once per process, handed out per run.

A whole class's first views all run ``app.py`` from the top, and Streamlit does real work for
its set-up calls: each ``st.Page`` resolves its script's path on disk, and a page icon given as
a file is read and registered with the media file manager for every session. Neither changes
while the server runs (PERFORMANCE.md, section 4: "Later the same evening").
"""

from __future__ import annotations

import base64
import copy
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

# Sidebar controls a page does not use are left out there, never shown as if they did something:
# the network page has its own data and starting weights; only the learning rate and steps apply.
UNUSED_CONTROLS: dict[str, frozenset[str]] = {
    "many-parameters": frozenset({"data", "a", "b", "mode", "presets", "regime"}),
}

_built: dict[tuple[str, str], list[st.Page]] = {}
_lock = threading.Lock()


@cache
def favicon(path: str = "assets/favicon.png") -> str:
    """The icon as a data URL: Streamlit passes a URL through, where a file is re-read every run."""
    data = (Path(__file__).resolve().parent.parent / path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def pages(build: Callable[[], list[st.Page]]) -> list[st.Page]:
    """Fresh copies of the pages ``build`` makes, which runs once per process and entry script.

    Copies, not the same objects: ``st.navigation`` marks the page it returns as the one this run
    may call, and two sessions sharing one object would clear each other's mark.
    """
    ctx = get_script_run_ctx()
    key = (str(ctx.main_script_path) if ctx else "", build.__qualname__)
    with _lock:
        if key not in _built:
            _built[key] = build()
        built = _built[key]
    return [copy.copy(page) for page in built]
