"""What a teacher's link adds to every page: hidden controls, the note, the lesson stop, the tab and step.

``core.links`` parses and checks the link; this module acts on it once per link opened (the
session's first run, a lesson stop, a builder preview, an address brought back by the browser's
Back or Forward button), shows the note and the lesson's
Previous / Next at the top of every page, and after the page has run contributes the values
in use to the address bar (``ui.link``), so the link always reopens what the student sees.

A lesson link ``lesson=NAME&stop=N`` is expanded into the stop's whole link; any other value
in the link (a rate the student changed, the step they picked) wins over the stop's.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from core.figures import palette
from core.figures.stylesheet import style_element
from core.links.lessons import Lesson, Stop, load_lessons, pinned_query, resolve_stop, stop_link
from core.links.options import PAGE_VIEWS, VIEW_LABELS, LinkOptions, clamp_step, compare_to_text, view_notice
from core.links.options import from_query as options_from_query
from core.links.options import to_query as options_to_query
from core.maths.comparison import PRESET_TOKENS, distinct_picks
from core.maths.experiment import Experiment, Notice
from core.words.comparison_text import already_drawn
from ui import cached
from ui.components import html_block
from ui.link import (
    address_bar,
    capture_link_params,
    contribute,
    contributed,
    history_navigation,
    link_generation,
    link_params,
    replace_link_params,
    was_written,
)
from ui.state import LINK_NOTICES_KEY

# The pages' own state this module sets from a link and reads back for the address bar. It is
# defined here and the pages (views/step_table.py, loss_curve.py, loss_surface.py) take it from
# here: a page module cannot be imported, since importing it runs the page.
PICK_KEY = "step_table.pick"
TAB_KEYS: dict[str, tuple[str, str]] = {  # page -> (the tabs widget's key, the plain key that keeps it)
    "loss-curve": ("loss_curve.view", "loss_curve.view_kept"),
    "loss-surface": ("loss_surface.view", "loss_surface.view_kept"),
}
# The loss curve page's comparison: the multiselect's key (the tokens picked) and the rates added to its options.
COMPARE_KEYS: tuple[str, str] = ("loss_curve.compare", "loss_curve.custom_rates")

EXPANDED_KEY = "_teacher_expanded"  # the session's first link has been read (and a lesson expanded)
APPLIED_KEY = "_teacher_applied"  # the link generation whose step and tab were applied
PENDING_KEY = "_teacher_pending"  # a link to open on the next run: (params, page) from Previous / Next / preview
LESSON_KEY = "_teacher_lesson"  # (name, stop) of the lesson stop in use

_CSS = style_element(Path(__file__).with_name("teacher.css"), {"gd-note": palette.VALLEY})


@functools.cache
def lessons() -> tuple[Mapping[str, Lesson], tuple[Notice, ...]]:
    """The built-in lessons, read once per process (a broken file is skipped with a notice)."""
    return load_lessons()


@dataclass(frozen=True)
class LinkView:
    """The link in use this run, as the page sees it."""

    options: LinkOptions
    page: str  # the page's link name ("step-table" for the root)
    lesson: Lesson | None = None
    stop: int | None = None
    notices: tuple[Notice, ...] = field(default_factory=tuple)

    @property
    def hidden(self) -> frozenset[str]:
        return self.options.hide

    @property
    def current_stop(self) -> Stop | None:
        if self.lesson is None or self.stop is None:
            return None
        return self.lesson.stops[self.stop - 1]


def hidden_controls() -> frozenset[str]:
    """The sidebar controls the link in use leaves out, for words that would point a student at one."""
    return options_from_query(link_params())[0].hide


def page_name(page: StreamlitPage) -> str:
    return page.url_path or "step-table"


def open_stop_link(lesson: str, number: int) -> None:
    """Button callback: open a lesson stop on the next run (its page, experiment, note and all)."""
    found = lessons()[0].get(lesson)
    if found is not None and 1 <= number <= len(found.stops):
        st.session_state[PENDING_KEY] = (stop_link(found, number), found.stops[number - 1].page)


def open_link_later(params: Mapping[str, Sequence[str]], page: str) -> None:
    """Button callback: treat ``params`` on ``page`` as a link just opened, on the next run."""
    st.session_state[PENDING_KEY] = ({key: list(values) for key, values in params.items()}, page)


def _expand_first_link(page: StreamlitPage) -> str | None:
    """The session's first run: a lesson link becomes its stop's whole link. Returns a page to open."""
    st.session_state[EXPANDED_KEY] = True
    raw = capture_link_params()
    options, notices = options_from_query(raw)
    lesson, number, lesson_notices = resolve_stop(options, lessons()[0])
    st.session_state[LINK_NOTICES_KEY] = (*lessons()[1], *notices, *lesson_notices)
    if lesson is None or number is None:
        return None
    replace_link_params(stop_link(lesson, number, overrides=raw))
    # A link to the root opens the stop's page; a link to a page of its own stays there.
    return lesson.stops[number - 1].page if page.url_path == "" else None


def _reopen_address_bar() -> None:
    """Back or Forward brought an earlier address back: open it as a link, on the page it names.

    Unlike a first link, a lesson stop at the root does not switch page: that would push a new
    history entry on top of the one the student went back to, and Back could never get past it.
    """
    raw = address_bar()
    options, notices = options_from_query(raw)
    lesson, number, lesson_notices = resolve_stop(options, lessons()[0])
    st.session_state[LINK_NOTICES_KEY] = (*notices, *lesson_notices)
    if lesson is not None and number is not None:
        raw = stop_link(lesson, number, overrides=raw)
    replace_link_params(raw)


def open_link(page: StreamlitPage, pages: Sequence[StreamlitPage]) -> LinkView:
    """Read the link in use (expanding a lesson stop); may switch page, which ends this run."""
    target: str | None = None
    pending = st.session_state.pop(PENDING_KEY, None)
    if pending is not None:
        params, target = pending
        replace_link_params(params)
        st.session_state[LINK_NOTICES_KEY] = options_from_query(params)[1]
    elif not st.session_state.get(EXPANDED_KEY):
        target = _expand_first_link(page)
    elif history_navigation() and was_written(address_bar()):
        _reopen_address_bar()  # (an entry the app never wrote keeps what is on screen; see ui.link)
    if target is not None and target != page_name(page):
        for candidate in pages:
            if candidate.url_path == target:
                st.switch_page(candidate)
    options, _ = options_from_query(link_params())
    lesson, number, _ = resolve_stop(options, lessons()[0])
    st.session_state[LESSON_KEY] = (lesson.name, number) if lesson is not None else None
    return LinkView(options=options, page=page_name(page), lesson=lesson, stop=number)


def apply_link(link: LinkView, experiment: Experiment) -> None:
    """Once per link opened: pick its step (fitted to the run) and open its tabs."""
    generation = link_generation()
    if st.session_state.get(APPLIED_KEY) == generation:
        return
    st.session_state[APPLIED_KEY] = generation
    if link.options.step is None:
        st.session_state.pop(PICK_KEY, None)
    else:
        step, notice = clamp_step(link.options.step, cached.trajectory(experiment).last_step)
        st.session_state[PICK_KEY] = step
        if notice is not None:
            st.session_state[LINK_NOTICES_KEY] = (*st.session_state.get(LINK_NOTICES_KEY, ()), notice)
    misplaced = view_notice(link.options.view, link.page)
    if misplaced is not None:
        st.session_state[LINK_NOTICES_KEY] = (*st.session_state.get(LINK_NOTICES_KEY, ()), misplaced)
    for page, (widget_key, kept_key) in TAB_KEYS.items():
        label = VIEW_LABELS[link.options.view_for(page)]
        st.session_state[widget_key] = label
        st.session_state[kept_key] = label
    _apply_compare(link.options.compare, experiment)


def _apply_compare(tokens: tuple[str, ...] | None, experiment: Experiment) -> None:
    """The link's compared rates, its own rates added to the choices; a link naming none opens the presets.

    A rate named twice (a preset and its number) or the student's own is drawn once, so it is
    picked once, and the notice says why the address lost it.
    """
    selection_key, custom_key = COMPARE_KEYS
    if tokens is None:
        st.session_state.pop(selection_key, None)
        st.session_state.pop(custom_key, None)
        return
    picks, repeats = distinct_picks(experiment, tokens)
    if repeats:
        said = tuple(Notice("compare", f"Compare: {already_drawn(r.rate, own=r.own)}") for r in repeats)
        st.session_state[LINK_NOTICES_KEY] = (*st.session_state.get(LINK_NOTICES_KEY, ()), *said)
    st.session_state[custom_key] = [token for token in picks if token not in PRESET_TOKENS]
    st.session_state[selection_key] = picks


def compare_in_use() -> tuple[str, ...] | None:
    """The rates the loss curve page compares, when they are not its presets (None: the presets)."""
    selection = st.session_state.get(COMPARE_KEYS[0])
    if not isinstance(selection, list | tuple) or sorted(selection) == sorted(PRESET_TOKENS):
        return None  # the presets, in any order: the same chart
    return tuple(str(token) for token in selection)


def _note_box(note: str, label: str) -> None:
    """The teacher's note as plain text: escaped, so no Markdown, HTML, LaTeX, emoji code or link."""
    html_block(
        f'{_CSS}<div class="gd-teacher-note" role="note" aria-label="{html.escape(label)}">'
        f'<p class="gd-label">{html.escape(label)}</p><p>{html.escape(note)}</p></div>'
    )


def render_top(link: LinkView) -> None:
    """The lesson bar and the note, at the top of every page."""
    lesson, stop = link.lesson, link.current_stop
    if lesson is not None and stop is not None and link.stop is not None:
        number, count = link.stop, len(lesson.stops)
        with st.container(border=True, key="teacher_lesson"):
            st.caption(f"Lesson · {lesson.title} · stop {number} of {count}")
            st.text(stop.title)
            if link.options.note:
                _note_box(link.options.note, "From your teacher")
            with st.container(horizontal=True, gap="small"):
                st.button(
                    "Previous stop", key="teacher_previous", icon=":material/chevron_left:", disabled=number <= 1,
                    on_click=open_stop_link, args=(lesson.name, number - 1),
                )
                st.button(
                    "Next stop", key="teacher_next", icon=":material/chevron_right:", icon_position="right",
                    disabled=number >= count, on_click=open_stop_link, args=(lesson.name, number + 1),
                )
    elif link.options.note:
        _note_box(link.options.note, "From your teacher")


def tab_in_use(page: str) -> str | None:
    """The link name of the tab ``page`` has open, from the page's own state."""
    if page not in TAB_KEYS:
        return None
    widget_key, kept_key = TAB_KEYS[page]
    label = st.session_state.get(widget_key, st.session_state.get(kept_key))
    names = {VIEW_LABELS[name]: name for name in PAGE_VIEWS[page]}
    return names.get(label, PAGE_VIEWS[page][0]) if isinstance(label, str) else PAGE_VIEWS[page][0]


def finish_link(link: LinkView, experiment: Experiment) -> None:
    """After the page ran: contribute the link's options and the step and tab in use (pages win)."""
    in_use = dict(options_to_query(link.options))
    # predict belongs to "Your turn" (ui/your_turn.py), which writes it while it is on.
    for key in ("step", "view", "compare", "lesson", "stop", "predict"):
        in_use.pop(key, None)
    if link.lesson is not None and link.stop is not None:
        in_use.update(lesson=link.lesson.name, stop=str(link.stop))  # an unknown lesson is left out
    pick = st.session_state.get(PICK_KEY, 0)
    if isinstance(pick, int) and pick > 0:
        in_use["step"] = str(pick)
    view = tab_in_use(link.page)
    if view is not None and view != PAGE_VIEWS[link.page][0]:
        in_use["view"] = view
    compare = compare_in_use()
    if compare is not None:
        in_use["compare"] = compare_to_text(compare)
    stop = link.current_stop
    if stop is not None:
        # A stop's own values are written even at their default, or reopening would bring the stop's back.
        in_use = {**pinned_query(stop, experiment), **in_use}
        if stop.options.step is not None:
            in_use.setdefault("step", "0")
        for key in ("hide", "note"):  # a link that clears the stop's hidden controls or note says so
            if key in options_to_query(stop.options):
                in_use.setdefault(key, "")
        if stop.options.predict:  # Your turn switched off (every page writes predict=on while it is on)
            in_use["predict"] = "off"
        if stop.options.view is not None and view is not None:
            in_use.setdefault("view", view)
        if stop.options.compare is not None:  # back at the presets: said, or reopening brings the stop's back
            in_use.setdefault("compare", compare_to_text(PRESET_TOKENS))
    already = contributed()
    contribute({key: value for key, value in in_use.items() if key not in already})
