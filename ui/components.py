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

from core.figures.stylesheet import style_element
from core.words import tables

# Charts scroll with the page on a phone: no wheel zoom, no Plotly logo. The mode bar keeps only
# what a student or teacher uses here: download as PNG, zoom in / out and reset on a 2D chart,
# reset the camera on the 3D one. Dragging already turns the 3D scene, and a drag mode picked by a
# tap (box zoom, pan, lasso) would take over a phone's scrolling; "Share chart" would upload the
# figure to Plotly's cloud, and nothing of a class leaves the app. (Where it sits: ui/charts.css.)
PLOTLY_CONFIG = {
    "scrollZoom": False,
    "displaylogo": False,
    "showSendToCloud": False,
    "modeBarButtonsToRemove": [
        "sendChartToCloud", "zoom2d", "pan2d", "select2d", "lasso2d", "autoScale2d",
        "zoom3d", "pan3d", "orbitRotation", "tableRotation", "resetCameraLastSave3d",
    ],
}


class _Markup(str):
    """HTML the app built itself, handed to ``st.html`` as it is.

    ``st.html`` takes a plain string through ``textwrap.dedent`` and ``strip`` first, meant for
    indented literals; an object with ``_repr_html_`` is used unchanged. The app's markup is
    generated, never indented, and the page's style sheet alone is ~9 KB: dedenting it cost about
    0.1 ms of the server's CPU on every run of every student (benchmarks/split_first_view.py).
    """

    def _repr_html_(self) -> str:
        return str(self)


def html_block(body: str, *, unsafe_allow_javascript: bool = False) -> None:
    """``st.html`` for markup the app generated (no dedent pass: see :class:`_Markup`)."""
    st.html(_Markup(body.strip()), unsafe_allow_javascript=unsafe_allow_javascript)


AXIS_SCALES = ("linear", "log")


def _axis_picked(picked_key: str) -> None:
    st.session_state[picked_key] = True


def loss_axis(key: str, log_first: bool = False) -> bool:
    """The "Loss axis" picker (linear | log); True for log.

    It opens on the axis that shows this run (``log_first``: a linear one would show the start
    alone) until the student picks one; from then on their pick stays for the session, whatever
    the run. Shared by the loss curve and the many-parameters page.
    """
    picked_key = f"{key}_picked"
    if not st.session_state.get(picked_key) or key not in st.session_state:
        st.session_state[key] = "log" if log_first else "linear"
    choice = st.segmented_control(
        "Loss axis", AXIS_SCALES, key=key, required=True, persist_state="session",
        on_change=_axis_picked, args=(picked_key,),
    )
    return choice == "log"


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


# --- prose with formulas, as one element ---------------------------------------------------------


def display_math(latex: str) -> str:
    """A formula as a Markdown display-math block: what ``st.latex`` sends, without an element of its own."""
    return f"$$\n{latex.strip()}\n$$"


def prose(*blocks: str) -> None:
    """Paragraphs and display formulas (:func:`display_math`) shown as one Markdown element.

    The browser renders ``$$…$$`` inside Markdown with the same KaTeX (and its MathML for
    screen readers) as ``st.latex``; one element instead of one per paragraph and formula
    matters for a class arriving at once, because every element is a message of its own
    that the server builds, hashes and sends. Empty blocks are left out.
    """
    st.markdown("\n\n".join(block for block in blocks if block))


def section(title: str, *blocks: str) -> None:
    """A section's heading (h3, as ``st.subheader``) and its first paragraphs, as one Markdown element.

    Streamlit gives a Markdown heading the anchor of its words ("The table" → ``#the-table``).
    """
    prose(f"### {title}", *blocks)


# --- HTML tables built by core (core.words.tables owns their markup and its style sheet) ----------


def scroll_table(table_html: str, *, label: str, rows: int) -> None:
    """Show a table built by ``core.words.tables.to_html`` in its own scrolling box.

    The box and its style come from :func:`core.words.tables.scroll_box`; ``label`` names the
    region for screen readers.
    """
    html_block(tables.scroll_box(table_html, label=label, rows=rows))


# --- notices about the share link -----------------------------------------------------------

# The notices' style sheet lives beside this file (components.css).
_NOTICE_CSS = style_element(Path(__file__).with_name("components.css"))


ANNOUNCED_KEY = "_notices_announced"  # the notices this session's screen reader has already heard


def notice_box(title: str, lines: Sequence[str]) -> None:
    """A warning box whose text is never interpreted: every line is HTML-escaped plain text.

    Notices echo parts of a share link, so they must not go through Markdown, which would
    turn ``www.example.com`` into a link or ``:smile:`` into an emoji inside the app's own box.

    Announced once: the first time a session shows a notice, its box is a live region
    (``role="status"``), so a screen reader reads it out; the same notice on later reruns (a
    widget moved, another page) is a plain note, still on screen but not read out again.
    """
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    announced: set[int] = st.session_state.setdefault(ANNOUNCED_KEY, set())
    notice = hash((title, *lines))
    role = "note" if notice in announced else "status"
    announced.add(notice)
    html_block(
        f'{_NOTICE_CSS}<div class="gd-notice" role="{role}"><strong>{html.escape(title)}</strong>'
        f"<ul>{items}</ul></div>"
    )
