"""Core results cached per experiment, so a class sharing one server does each run once.

``max_entries`` bounds memory: slider floats would otherwise make the cache grow without
limit. Experiments are frozen dataclasses, which ``st.cache_data`` hashes by value.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from core import figures_curves
from core.comparison import compared_runs
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


# --- loss curve page ---------------------------------------------------------------------------
# Building a Plotly figure is almost all attribute validation (15–20 ms each); handing a built
# figure to st.plotly_chart costs ~2 ms. The page's four figures depend only on the experiment
# and the page's own choices, so each is built once per combination and shared (read-only)
# by every session, like the surface above.

CURVE_ENTRIES = 128


@st.cache_resource(max_entries=CURVE_ENTRIES, show_spinner=False)
def loss_figure(experiment: Experiment, log_scale: bool) -> go.Figure:
    return figures_curves.loss_figure(trajectory(experiment), log_scale)


@st.cache_resource(max_entries=CURVE_ENTRIES, show_spinner=False)
def error_figure(experiment: Experiment) -> go.Figure:
    return figures_curves.error_figure(trajectory(experiment))


@st.cache_resource(max_entries=CURVE_ENTRIES, show_spinner=False)
def comparison_figure(experiment: Experiment, rates: tuple[float, ...], log_scale: bool) -> go.Figure:
    runs = compared_runs(experiment, list(rates))
    return figures_curves.comparison_figure([(run, trajectory(run.experiment)) for run in runs], log_scale)


@st.cache_resource(max_entries=CURVE_ENTRIES, show_spinner=False)
def rate_strip_figure(experiment: Experiment) -> go.Figure:
    return figures_curves.rate_strip_figure(experiment)
