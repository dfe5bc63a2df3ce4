"""The one experiment of this session, as the sidebar made it from the URL and widgets."""

from __future__ import annotations

import streamlit as st

from core.maths import network_settings as ns
from core.maths.experiment import Experiment, from_query

EXPERIMENT_KEY = "experiment"
NOTICES_KEY = "experiment_notices"
LINK_NOTICES_KEY = "link_notices"  # notices about a link's page-level options (ui/teacher.py)
# The many-parameters page's controls, one per link parameter (views/many_parameters.py).
NETWORK_KEYS = {name: f"many.{name}" for name in ns.QUERY_KEYS}


def current_experiment() -> Experiment:
    """The validated experiment for this run.

    ``app.py`` stores it before running the page; a page run on its own (a test)
    falls back to reading the share link directly.
    """
    experiment = st.session_state.get(EXPERIMENT_KEY)
    if isinstance(experiment, Experiment):
        return experiment
    return from_query(st.query_params.to_dict())[0]


def network_settings() -> ns.NetworkSettings:
    """The network the many-parameters page's controls hold now; core's defaults before it has run.

    The lesson builder reads it from any page, so a link it makes for that page carries the
    network the teacher set up there.
    """
    raw = {name: st.session_state.get(key) for name, key in NETWORK_KEYS.items() if key in st.session_state}
    return ns.validate(raw)[0]
