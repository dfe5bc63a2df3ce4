"""The address bar: the experiment's parameters plus the ones a page or a lesson adds.

The sidebar owns the experiment's parameters (``core.maths.experiment.to_query``). Pages and
lessons own others (``predict``, ``step``, ``view``, ``note``, ``hide``, ``units`` …). Each
run, whoever owns a parameter calls :func:`contribute` with its value in use (defaults left
out), and ``app.py`` calls :func:`sync_url` once, after the page has run, so the address bar
always holds exactly what the student sees — and anything else (a typo, a repeated key, a
value that was replaced) is rewritten away.

A page reads its parameters as the link gave them with :func:`link_params`: the raw query
of the session's first run (or of the last lesson stop opened), captured once, so a later
rewrite of the address bar never changes what the page was asked to open with.

Every rewrite of the address bar is a new entry in the browser's history. The browser's Back
and Forward buttons bring an earlier address back, and Streamlit reruns the script with it
(flagged as history navigation, :func:`history_navigation`): that address is then opened like
a link (``ui.teacher.open_link``), so Back undoes a change instead of being overwritten by it.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from core.links.options import LinkOptions
from core.links.options import from_query as options_from_query
from core.maths.experiment import Experiment, Notice, to_query

CONTRIBUTED_KEY = "_link_contributed"
LINK_PARAMS_KEY = "_link_params"
GENERATION_KEY = "_link_generation"  # counts the links opened in this session (first run, lesson stops)
WRITTEN_KEY = "_link_written"  # every address this session's runs wrote (or opened with), newest last
WRITTEN_KEPT = 500  # a long lesson's worth of changes; Back rarely goes further


def capture_link_params() -> dict[str, list[str]]:
    """The query of this session's first run, every key with all its values (kept for the session)."""
    if LINK_PARAMS_KEY not in st.session_state:
        st.session_state[LINK_PARAMS_KEY] = address_bar()
        _remember(st.session_state[LINK_PARAMS_KEY])
    return st.session_state[LINK_PARAMS_KEY]


def replace_link_params(params: Mapping[str, list[str]]) -> None:
    """Treat ``params`` as the link just opened (a lesson stop does this)."""
    st.session_state[LINK_PARAMS_KEY] = {key: list(values) for key, values in params.items()}
    st.session_state[GENERATION_KEY] = link_generation() + 1


def link_generation() -> int:
    """Which link this session is on: 0 for the one it opened with, +1 per link opened since."""
    return int(st.session_state.get(GENERATION_KEY, 0))


def address_bar() -> dict[str, list[str]]:
    """The address bar's query as this run received it, every key with all its values."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def query_key(query: Mapping[str, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A query as one comparable value: the same parameters in any order give the same key."""
    return tuple(sorted((key, tuple(values)) for key, values in query.items()))


def _remember(query: Mapping[str, list[str]]) -> None:
    written: dict = st.session_state.setdefault(WRITTEN_KEY, {})
    key = query_key(query)
    written.pop(key, None)
    written[key] = True
    while len(written) > WRITTEN_KEPT:
        written.pop(next(iter(written)))


def was_written(query: Mapping[str, list[str]]) -> bool:
    """True for an address this session opened with or wrote itself (so it names what was on screen).

    Without the page's script (``ui.navigation_guard``), a page switch leaves one more history
    entry: the new page with none of the link's parameters. Back onto it must not open the
    article's experiment; this tells such an entry from one the app wrote.
    """
    return query_key(query) in st.session_state.get(WRITTEN_KEY, {})


def history_navigation() -> bool:
    """True when the browser's Back or Forward button started this run.

    Streamlit 1.67 reruns the script on the browser's ``popstate`` with the restored address and
    flags the run (``ScriptRunContext.is_history_navigation``; its own query-bound widgets use the
    flag the same way). The flag is read defensively: without it (another Streamlit, a test), Back
    keeps today's behaviour and the run goes on with the widgets' values.
    """
    return bool(getattr(get_script_run_ctx(), "is_history_navigation", False))


def link_params() -> dict[str, list[str]]:
    """The link's parameters as given (raw strings; validate them in core before use)."""
    return capture_link_params()


def link_options() -> tuple[LinkOptions, tuple[Notice, ...]]:
    """The page-level options of the link (hide, note, step, view, lesson, stop, predict), validated.

    ``predict`` is read here by "Your turn"; the notices are shown by ``ui.teacher``.
    """
    return options_from_query(link_params())


def contributed() -> dict[str, str]:
    """What has been contributed to this run's address bar so far."""
    return dict(st.session_state.get(CONTRIBUTED_KEY, {}))


def start_run() -> None:
    """Forget last run's contributions (``app.py`` calls this before the sidebar)."""
    st.session_state[CONTRIBUTED_KEY] = {}


def contribute(params: Mapping[str, str]) -> None:
    """Add page- or lesson-level parameters to this run's address bar (values already validated)."""
    st.session_state.setdefault(CONTRIBUTED_KEY, {}).update(params)


def current_query(experiment: Experiment) -> dict[str, str]:
    """Everything the address bar should hold after this run."""
    return {**to_query(experiment), **st.session_state.get(CONTRIBUTED_KEY, {})}


def sync_url(experiment: Experiment) -> None:
    """Rewrite the address bar to what is in use (drops bad, repeated or unknown keys)."""
    target = current_query(experiment)
    _remember({key: [value] for key, value in target.items()})
    current = address_bar()
    if current != {key: [value] for key, value in target.items()}:
        st.query_params.from_dict(target)
