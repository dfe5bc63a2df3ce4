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
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from core.maths.experiment import Experiment, to_query

CONTRIBUTED_KEY = "_link_contributed"
LINK_PARAMS_KEY = "_link_params"


def capture_link_params() -> dict[str, list[str]]:
    """The query of this session's first run, every key with all its values (kept for the session)."""
    if LINK_PARAMS_KEY not in st.session_state:
        st.session_state[LINK_PARAMS_KEY] = {key: st.query_params.get_all(key) for key in st.query_params}
    return st.session_state[LINK_PARAMS_KEY]


def replace_link_params(params: Mapping[str, list[str]]) -> None:
    """Treat ``params`` as the link just opened (a lesson stop does this)."""
    st.session_state[LINK_PARAMS_KEY] = {key: list(values) for key, values in params.items()}


def link_params() -> dict[str, list[str]]:
    """The link's parameters as given (raw strings; validate them in core before use)."""
    return capture_link_params()


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
    current = {key: st.query_params.get_all(key) for key in st.query_params}
    if current != {key: [value] for key, value in target.items()}:
        st.query_params.from_dict(target)
