"""The one experiment of this session, as the sidebar made it from the URL and widgets."""

from __future__ import annotations

import streamlit as st

from core.maths.experiment import Experiment, from_query

EXPERIMENT_KEY = "experiment"
NOTICES_KEY = "experiment_notices"
LINK_NOTICES_KEY = "link_notices"  # notices about a link's page-level options (ui/teacher.py)


def current_experiment() -> Experiment:
    """The validated experiment for this run.

    ``app.py`` stores it before running the page; a page run on its own (a test)
    falls back to reading the share link directly.
    """
    experiment = st.session_state.get(EXPERIMENT_KEY)
    if isinstance(experiment, Experiment):
        return experiment
    return from_query(st.query_params.to_dict())[0]

