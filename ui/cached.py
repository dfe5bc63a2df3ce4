"""Core results cached per experiment, so a class sharing one server does each run once.

``max_entries`` bounds memory: slider floats would otherwise make the cache grow without
limit. Experiments are frozen dataclasses, which ``st.cache_data`` hashes by value.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.training import Trajectory, train

CACHE_ENTRIES = 256


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def trajectory(experiment: Experiment) -> Trajectory:
    return train(experiment)
