"""Small Streamlit pieces shared by the pages (additive: each helper stands alone)."""

from __future__ import annotations

import functools
import html
import os
import shutil
import threading
from collections.abc import Sequence
from pathlib import Path

import plotly
import plotly.graph_objects as go
import streamlit as st
from plotly.offline import get_plotlyjs_version

from core.figures import palette

# Charts scroll with the page on a phone: no wheel zoom, no Plotly logo.
PLOTLY_CONFIG = {"scrollZoom": False, "displaylogo": False}


def show_figure(fig: go.Figure | dict, key: str) -> None:
    """A Plotly figure at full width, in Streamlit's theme (light or dark), with the app's config."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", theme="streamlit")


# --- plotly.js served by the app itself ------------------------------------------------------

# Streamlit serves ./static/ (next to app.py) at app/static/ when server.enableStaticServing is on.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
_COPY_LOCK = threading.Lock()  # sessions run in threads: one copies, the others wait for it


@functools.cache
def plotly_js_url() -> str | None:
    """The app-relative URL of plotly.js in ./static/, copied there from the plotly package once.

    Not from a CDN: tests have no internet and classrooms may block CDNs. Not inlined either
    (~4.8 MB per render). The name carries the version, so an upgrade is never served stale, and
    the copy is renamed into place so a half-written file is never served. Streamlit looks files
    up on each request, so one created after startup is served. ``None`` when static serving is
    off or the folder is not writable: callers then fall back to ``st.plotly_chart``.
    """
    if not st.get_option("server.enableStaticServing"):
        return None
    name = f"plotly-{get_plotlyjs_version()}.min.js"
    target = STATIC_DIR / name
    with _COPY_LOCK:
        if not target.exists():
            try:
                STATIC_DIR.mkdir(exist_ok=True)
                partial = target.with_name(f".{name}.{os.getpid()}.part")
                shutil.copyfile(PLOTLY_JS, partial)
                os.replace(partial, target)
            except OSError:
                return None
    return f"app/static/{name}"


# --- HTML tables built by core (core.words.tables.to_html) ---------------------------------------

# Scoped to the gd-* classes core uses. Colours are translucent greys so the same rules read on
# the light and the dark theme; concept colours arrive inline on the header cells from core.
_TABLE_CSS = """<style>
.gd-scroll{max-width:100%;width:fit-content;overflow-x:auto;-webkit-overflow-scrolling:touch;
  border:1px solid rgba(128,128,128,.35);border-radius:.5rem}
.gd-scroll.gd-tall{max-height:30rem;overflow-y:auto}
.gd-table{border-collapse:separate;border-spacing:0;font-variant-numeric:tabular-nums;font-size:.92rem;
  line-height:1.4;margin:0;width:auto;border:0}
.gd-table th,.gd-table td{padding:.4rem .85rem;text-align:right;white-space:nowrap;border:0;vertical-align:middle}
.gd-table thead th{font-weight:600;position:sticky;top:0;z-index:1;border-bottom:4px solid rgba(128,128,128,.5);
  background:rgba(128,128,128,.2);backdrop-filter:blur(14px);-webkit-backdrop-filter:blur(14px)}
.gd-table tbody th{font-weight:600;opacity:.8}
.gd-table tbody tr+tr>*{border-top:1px solid rgba(128,128,128,.18)}
.gd-table tbody tr.gd-picked{background:rgba(128,128,128,.26);font-weight:700}
.gd-table tbody tr.gd-picked th{opacity:1;box-shadow:inset 4px 0 0 currentColor}
.gd-table td.gd-note{text-align:left;white-space:normal;font-weight:600;padding:.65rem .85rem;
  border-top:3px solid __NOTE__}
</style>""".replace("__NOTE__", palette.LOSS)
TALL_TABLE_ROWS = 16


def scroll_table(table_html: str, *, label: str, rows: int) -> None:
    """Show a table built by ``core.words.tables.to_html`` in its own scrolling box.

    The box scrolls sideways on a phone (nothing is cut off) and, for long runs, downwards
    with a sticky header, so a 1000-step table does not push the rest of the page away.
    ``label`` names the region for screen readers; it must be plain app text.
    """
    tall = " gd-tall" if rows > TALL_TABLE_ROWS else ""
    region = f'<div class="gd-scroll{tall}" role="region" aria-label="{html.escape(label)}" tabindex="0">'
    st.html(f"{_TABLE_CSS}{region}{table_html}</div>")


# --- notices about the share link -----------------------------------------------------------

_NOTICE_CSS = (
    "<style>.gd-notice{border-left:4px solid #E69F00;background:rgba(230,159,0,0.14);"
    "border-radius:0.5rem;padding:0.75rem 1rem;margin:0 0 0.5rem 0;line-height:1.5}"
    ".gd-notice ul{margin:0.25rem 0 0 0;padding-left:1.25rem}</style>"
)


def notice_box(title: str, lines: Sequence[str]) -> None:
    """A warning box whose text is never interpreted: every line is HTML-escaped plain text.

    Notices echo parts of a share link, so they must not go through Markdown, which would
    turn ``www.example.com`` into a link or ``:smile:`` into an emoji inside the app's own box.
    """
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    st.html(
        f'{_NOTICE_CSS}<div class="gd-notice" role="status"><strong>{html.escape(title)}</strong>'
        f"<ul>{items}</ul></div>"
    )
