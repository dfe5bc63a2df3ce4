"""Core results cached per experiment and shared by every session, so a class on one server does each run once.

The caches are plain ``functools.lru_cache`` LRUs keyed by their arguments. An Experiment is a
frozen dataclass that Python hashes in under a microsecond; ``st.cache_data`` and
``st.cache_resource`` hash arguments with Streamlit's own hasher, which took ~1 ms per call for
an Experiment — more than most hits saved (a page makes 2–7 such calls per run). ``maxsize``
bounds memory: typed-in rates would otherwise grow the caches without limit.

Values are shared, never copied: nothing may change them. Trajectory arrays are made
read-only to enforce that; figures are only ever serialised (``st.plotly_chart`` copies them).
Concurrent misses for the same key may both compute it; the results are equal.
"""

from __future__ import annotations

import dataclasses
import functools

import numpy as np

from core import figures_curves
from core.comparison import compared_runs
from core.experiment import Experiment
from core.figures_surface import SurfaceView, build_surface_view
from core.training import Trajectory, train
from ui.charts import Chart

CACHE_ENTRIES = 256


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def trajectory(experiment: Experiment) -> Trajectory:
    run = train(experiment)
    for field in dataclasses.fields(run):
        value = getattr(run, field.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    return run


# --- loss surface page ------------------------------------------------------------------------

SURFACE_ENTRIES = 64  # one view is ~0.37 MB (both figures with their frames)


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_view(experiment: Experiment) -> SurfaceView:
    """Both loss-surface figures and their notes, built once per experiment for every session."""
    return build_surface_view(trajectory(experiment))


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_map_chart(experiment: Experiment) -> Chart:
    """The top-down map (a 2D chart with its step frames), serialised once per experiment."""
    return Chart.of(surface_view(experiment).contour)


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_chart(experiment: Experiment) -> Chart:
    """The 3D bowl with its step frames, serialised once per experiment."""
    return Chart.of(surface_view(experiment).surface)


# --- loss curve page ---------------------------------------------------------------------------
# Building a Plotly figure is almost all attribute validation (15–20 ms each), serialising it a
# few ms more. The page's figures depend only on the experiment and the page's own choices, so
# each is built and serialised once per combination (ui.charts.Chart).

CURVE_ENTRIES = 128


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def loss_chart(experiment: Experiment, log_scale: bool) -> Chart:
    return Chart.of(figures_curves.loss_figure(trajectory(experiment), log_scale))


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def error_chart(experiment: Experiment) -> Chart:
    return Chart.of(figures_curves.error_figure(trajectory(experiment)))


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def comparison_chart(experiment: Experiment, rates: tuple[float, ...], log_scale: bool) -> Chart:
    runs = compared_runs(experiment, list(rates))
    return Chart.of(figures_curves.comparison_figure([(run, trajectory(run.experiment)) for run in runs], log_scale))
