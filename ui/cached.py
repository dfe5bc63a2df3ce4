"""Core results cached per experiment, so a class sharing one server does each run once.

``max_entries`` bounds memory: slider floats would otherwise make the cache grow without
limit. Experiments are frozen dataclasses, which ``st.cache_data`` hashes by value.
"""

from __future__ import annotations

import streamlit as st

from core.experiment import Experiment
from core.figures_surface import SurfaceView, build_surface_view
from core.training import Trajectory, train

CACHE_ENTRIES = 256


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def trajectory(experiment: Experiment) -> Trajectory:
    return train(experiment)


# --- loss surface page ------------------------------------------------------------------------

SURFACE_ENTRIES = 64


@st.cache_resource(max_entries=SURFACE_ENTRIES, show_spinner=False)
def surface_view(experiment: Experiment) -> SurfaceView:
    """Both loss-surface figures and their notes, built once per experiment for every session.

    ``cache_resource``, not ``cache_data``: a cache_data hit unpickles the figures, and
    rebuilding a Plotly figure from a pickle re-validates every attribute (~150 ms for
    the surface), which is slower than building it. The shared object is never
    changed: ``st.plotly_chart`` serialises a copy.
    """
    return build_surface_view(trajectory(experiment))
