""""Make a lesson link": the teacher ticks what to hide, types the note, picks page, step and tab.

It lives in the sidebar, closed by default; like the Presets expander its content runs only
while it is open. The link it shows is the experiment in use plus the chosen options, and
"Preview as a student" opens that very link in this session (through the same path a
student's first run takes), so the preview is what a class gets; a bar at the top of the page
says it is a preview and leads back. The built-in lessons are listed below it, one button each.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from core.links.options import HIDEABLE, NOTE_MAX, PAGE_VIEWS, PAGES, VIEW_LABELS, compare_to_text
from core.links.options import from_query as options_from_query
from core.links.options import to_query as options_to_query
from core.maths import network_settings as ns
from core.maths.experiment import Experiment, to_query
from core.words import network as network_words
from ui.link import address_bar, history_navigation, link_params, query_key
from ui.site import UNUSED_CONTROLS
from ui.state import network_settings
from ui.teacher import PICK_KEY, LinkView, compare_in_use, lessons, open_link_later, open_stop_link, tab_in_use

OPEN_KEY = "builder_open"
OPEN_KEPT_KEY = "_builder_open_kept"  # the box's state across page switches (the browser closes it there)
HIDE_KEY = "builder_hide_{}"
NOTE_KEY = "builder_note"
PAGE_KEY = "builder_page"
PAGE_PICKED_KEY = "_builder_page_picked"  # set once the teacher chose a page; until then it follows theirs
STEP_KEY = "builder_step"
STEP_PICKED_KEY = "_builder_step_picked"  # set once the teacher chose a step; until then it follows the table's
VIEW_KEY = "builder_view"
VIEW_PICKED_KEY = "_builder_view_picked"  # set once the teacher chose a tab; until then it follows the page's
PREDICT_KEY = "builder_predict"
RETURN_KEY = "_builder_return"  # the link and page to go back to after a preview
LAST_PREVIEW_KEY = "_builder_last_preview"  # (its link, its page, the way back): Back can reach it again

CONTROL_LABELS = {
    "data": "Data", "a": "Start a", "b": "Start b", "lr": "Rate", "steps": "Steps",
    "mode": "Precision", "presets": "Presets", "share": "Share box", "builder": "Lesson builder",
}
PAGE_LABELS = {
    "step-table": "Step table", "loss-curve": "Loss curve", "loss-surface": "Loss surface",
    "many-parameters": "Many parameters",
}
# Every page a lesson link can open on. Many parameters is here, not in lesson files' pages: its
# link also carries the network (units, target, points, noise, seed), which a lesson stop has no field for.
NETWORK_PAGE = "many-parameters"
LINK_PAGES: tuple[str, ...] = (*PAGES, NETWORK_PAGE)


def builder_query(experiment: Experiment) -> dict[str, str]:
    """The link the builder's choices make: the experiment in use plus the options, each validated."""
    raw: dict[str, str] = {}
    hidden = [name for name in HIDEABLE if st.session_state.get(HIDE_KEY.format(name))]
    if hidden:
        raw["hide"] = ",".join(hidden)
    note = st.session_state.get(NOTE_KEY)
    if isinstance(note, str) and note.strip():
        raw["note"] = note[:NOTE_MAX]
    page = st.session_state.get(PAGE_KEY, PAGES[0])
    if page == "step-table":
        step = st.session_state.get(STEP_KEY)
        if isinstance(step, int) and step > 0:
            raw["step"] = str(min(step, experiment.steps))
    view = st.session_state.get(VIEW_KEY)
    if page in PAGE_VIEWS and view in PAGE_VIEWS[page] and view != PAGE_VIEWS[page][0]:
        raw["view"] = view
    compared = compare_in_use()
    if page == "loss-curve" and view == "rates" and compared is not None:
        raw["compare"] = compare_to_text(compared)  # the rates the teacher set up on that tab
    if st.session_state.get(PREDICT_KEY):
        raw["predict"] = "on"
    options, _ = options_from_query(raw)
    network = ns.to_query(network_settings()) if page == NETWORK_PAGE else {}
    return {**to_query(experiment), **network, **options_to_query(options)}


def app_base_url(link: LinkView) -> str:
    """The app's address without the current page's path (``st.context.url`` includes it)."""
    url = (st.context.url or "").rstrip("/")
    path = "" if link.page == "step-table" and not url.endswith("/step-table") else link.page
    if path and url.endswith("/" + path):
        url = url[: -len(path) - 1]
    return url


def lesson_url(base: str, page: str, query: dict[str, str]) -> str:
    encoded = urlencode(query, safe=":,")
    return f"{base}/{page}" + (f"?{encoded}" if encoded else "")


def lesson_start_url(base: str, name: str, page: str) -> str:
    """A lesson's first stop as a short link, on the stop's own page.

    ``/?lesson=…`` works too, but a first stop on another page then switches page as it opens, and
    the browser keeps the address it switched from: a student's first Back showed the stop's note on
    the step table.
    """
    path = "" if page == "step-table" else page
    return f"{base}/{path}?lesson={name}&stop=1"


def _way_back(current: str) -> tuple[dict[str, list[str]], str]:
    """Where "Leave the student preview" returns: the teacher's address as it stands, on this page.

    The address bar, not the link the session opened with: a step the teacher picked with Next
    (``step=3``), or a rate typed in the sidebar, is in the address and comes back with it.
    """
    return address_bar(), current


def _preview_lesson(name: str, current: str) -> None:
    """Button callback: a built-in lesson's first stop as a student preview, with the way back to the teacher's link."""
    st.session_state[RETURN_KEY] = _way_back(current)
    st.session_state.pop(LAST_PREVIEW_KEY, None)
    st.session_state[OPEN_KEY] = st.session_state[OPEN_KEPT_KEY] = False
    open_stop_link(name, 1)


def _preview(query: dict[str, str], page: str, current: str) -> None:
    back = _way_back(current)
    link = {key: [value] for key, value in query.items()}
    st.session_state[RETURN_KEY] = back
    st.session_state[LAST_PREVIEW_KEY] = (link, page, back)
    st.session_state[OPEN_KEY] = st.session_state[OPEN_KEPT_KEY] = False  # closed, as a student first sees it
    open_link_later(link, page)


def _rearm_after_back(link: LinkView) -> None:
    """Back from the teacher's own page onto the preview's address is the preview again, with its way out."""
    last = st.session_state.get(LAST_PREVIEW_KEY)
    if RETURN_KEY in st.session_state or last is None or not history_navigation():
        return
    params, page, back = last
    if link.page == page and query_key(link_params()) == query_key(params):
        st.session_state[RETURN_KEY] = back


def render_preview_bar(link: LinkView) -> None:
    """At the top of the page during a student preview: what it is, and the way back to the teacher's link.

    In the page, not only in the sidebar: on a phone the sidebar is folded away.
    """
    _rearm_after_back(link)
    if RETURN_KEY not in st.session_state:
        return
    with st.container(border=True, horizontal=True, vertical_alignment="center", key="builder_preview_bar"):
        st.markdown("**Student preview:** the page as your link opens it for a class.", width="stretch")
        st.button("Leave the student preview", key="builder_leave", on_click=_leave_preview, icon=":material/close:")


def _leave_preview() -> None:
    """Back to the teacher's own address, with the builder open again: the preview was started from it."""
    back = st.session_state.pop(RETURN_KEY, None)
    if back is not None:
        open_link_later(*back)
        st.session_state[OPEN_KEY] = st.session_state[OPEN_KEPT_KEY] = True


def _page_picked() -> None:
    st.session_state[PAGE_PICKED_KEY] = True


def _step_picked() -> None:
    st.session_state[STEP_PICKED_KEY] = True


def _view_picked() -> None:
    st.session_state[VIEW_PICKED_KEY] = True


def _choices(experiment: Experiment, current: str) -> str:
    st.markdown("**Hide from the sidebar**")
    with st.container(horizontal=True, gap="small"):  # wraps in sidebar order at any width
        for name in HIDEABLE:
            st.checkbox(CONTROL_LABELS[name], key=HIDE_KEY.format(name), persist_state="session", width="content")
    # No max_chars: Streamlit's field then drops a longer paste whole, silently (teacher playtest).
    st.text_area(
        "Note for the class (plain text)", key=NOTE_KEY, height=90,
        placeholder="A question or an instruction, shown on every page.", persist_state="session",
        help=f"Up to {NOTE_MAX} characters. Press Ctrl+Enter (or click outside the box) to put it in the link.",
    )
    note = st.session_state.get(NOTE_KEY)
    if isinstance(note, str) and len(note) > NOTE_MAX:
        st.caption(f"The note has {len(note)} characters: the link keeps the first {NOTE_MAX}.")
    if not st.session_state.get(PAGE_PICKED_KEY) and current in LINK_PAGES:
        st.session_state[PAGE_KEY] = current  # the page the teacher is looking at, until they pick one
    page = st.selectbox(
        "Open on page", LINK_PAGES, format_func=PAGE_LABELS.__getitem__, key=PAGE_KEY, persist_state="session",
        on_change=_page_picked,
    )
    _not_on_page(page)
    if page == "step-table" and experiment.steps > 0:
        if not st.session_state.get(STEP_PICKED_KEY):
            on_table = st.session_state.get(PICK_KEY, 0)  # the step highlighted on the table, until they pick one
            st.session_state[STEP_KEY] = on_table if isinstance(on_table, int) else 0
        kept = st.session_state.get(STEP_KEY)
        if isinstance(kept, int) and kept > experiment.steps:
            st.session_state[STEP_KEY] = experiment.steps  # the run got shorter since it was picked
        st.number_input(
            "Picked step", min_value=0, max_value=experiment.steps, step=1, key=STEP_KEY, persist_state="session",
            on_change=_step_picked,
        )
    if page in PAGE_VIEWS:
        if not st.session_state.get(VIEW_PICKED_KEY):
            st.session_state[VIEW_KEY] = tab_in_use(page)  # the tab open on that page, until they pick one
        if st.session_state.get(VIEW_KEY) not in PAGE_VIEWS[page]:
            st.session_state[VIEW_KEY] = PAGE_VIEWS[page][0]
        st.selectbox("Open tab", PAGE_VIEWS[page], format_func=VIEW_LABELS.__getitem__, key=VIEW_KEY,
                     persist_state="session", on_change=_view_picked)
    st.checkbox("Students predict before they see (Your turn)", key=PREDICT_KEY, persist_state="session")
    return page


def _not_on_page(page: str) -> None:
    """Say which ticked hide boxes change nothing on the chosen page (they apply on the other pages)."""
    ticked = [name for name in HIDEABLE if st.session_state.get(HIDE_KEY.format(name))]
    idle = [CONTROL_LABELS[name] for name in ticked if name in UNUSED_CONTROLS.get(page, ())]
    if idle:
        names = idle[0] if len(idle) == 1 else f"{', '.join(idle[:-1])} or {idle[-1]}"
        st.caption(
            f"{PAGE_LABELS[page]} has no {names} in its sidebar anyway: hiding "
            f"{'it' if len(idle) == 1 else 'them'} applies once the class moves to another page."
        )


def _remember_open() -> None:
    st.session_state[OPEN_KEPT_KEY] = bool(st.session_state.get(OPEN_KEY))


def render_builder(link: LinkView, experiment: Experiment) -> None:
    """The sidebar's lesson-link builder (left out when a link hides it, or everything)."""
    if "builder" in link.options.hide:
        return
    # The browser draws the box afresh, closed, on another page: the teacher's choice is kept here.
    opened = bool(st.session_state.get(OPEN_KEPT_KEY, False))
    with st.expander("Make a lesson link", expanded=opened, icon=":material/school:", key=OPEN_KEY,
                     on_change=_remember_open) as box:
        if not box.open:
            return
        st.caption("The link holds the experiment in the sidebar plus what you choose here.")
        page = _choices(experiment, link.page)
        if page == NETWORK_PAGE:
            st.caption(network_words.link_network_sentence(network_settings()))
        query = builder_query(experiment)
        base = app_base_url(link)
        st.code(lesson_url(base, page, query) if base else "(the link appears in a browser)", language=None,
                wrap_lines=True)
        st.caption("Copy it with the button in the box, after your note is applied (Ctrl+Enter, or a click "
                   "outside the note): a copy made while the note is still being typed holds the previous one.")
        st.button(
            "Preview as a student", key="builder_preview", icon=":material/visibility:", width="stretch",
            on_click=_preview, args=(query, page, link.page),
        )
        st.markdown("**Built-in lessons**: send the class the short link; Previous stop and Next stop walk it.")
        for lesson in lessons()[0].values():
            st.markdown(f"{lesson.title} — :small[{lesson.summary}]")
            if base:
                st.code(lesson_start_url(base, lesson.name, lesson.stops[0].page), language=None, wrap_lines=True)
            st.button(
                f"Preview “{lesson.title}”", key=f"builder_lesson_{lesson.name}", icon=":material/visibility:",
                width="stretch", on_click=_preview_lesson, args=(lesson.name, link.page),
            )
