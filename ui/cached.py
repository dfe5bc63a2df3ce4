"""Core results cached per experiment and shared by every session, so a class on one server does each run once.

The caches are plain ``functools.lru_cache`` LRUs keyed by their arguments. An Experiment is a
frozen dataclass that Python hashes almost for free; ``st.cache_data`` and
``st.cache_resource`` hash arguments with Streamlit's own hasher, which cost more per call for
an Experiment than most hits saved (a page makes 2–7 such calls per run; PERFORMANCE.md). ``maxsize``
bounds memory: typed-in rates would otherwise grow the caches without limit.

Values are shared, never copied: nothing may change them. Trajectory arrays are made
read-only to enforce that; charts are immutable JSON strings.
Concurrent misses for the same key may both compute it; the results are equal.

When the class has gone (no script run for ``GD_CACHE_IDLE_S`` seconds, 10 minutes by default)
a background thread empties the caches and hands the freed memory back to the system, so an
idle server returns near its starting size (see :func:`note_use`).
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import functools
import gc
import os
import threading
import time

import numpy as np

from core.figures import curves as figures_curves
from core.figures import network as figures_network
from core.figures.loss_view import loss_and_error_figure
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import SurfaceScene, surface_scene
from core.maths.comparison import RateRun, compared_runs
from core.maths.experiment import Experiment
from core.maths.network import NetworkRun, train_network
from core.maths.network_settings import NetworkSettings
from core.maths.training import Trajectory, train
from core.words import explain, tables
from core.words.surface_notes import surface_notes
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


EXPORTS = {"csv": tables.to_csv, "markdown": tables.to_markdown, "latex": tables.to_latex}


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def export_text(experiment: Experiment, kind: str) -> str:
    """The step table as a file's text (``kind`` is a key of ``EXPORTS``), made once per experiment."""
    return EXPORTS[kind](tables.step_table(trajectory(experiment)))


# --- step table page ---------------------------------------------------------------------------
# Its sentences and formulas depend only on the experiment and the picked step; a class opening
# one link asks for the same ones, so each is written once (they are frozen dataclasses and strings).


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def introduction(experiment: Experiment) -> explain.Introduction:
    return explain.introduction(trajectory(experiment))


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def precision_note(experiment: Experiment, switch_shown: bool = True) -> str:
    other = trajectory(experiment.with_(mode="exact" if experiment.hand else "hand"))
    return explain.precision_note(trajectory(experiment), other, switch_shown)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def one_round(experiment: Experiment, step: int) -> explain.Round:
    return explain.one_round(trajectory(experiment), step)


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def step_table(experiment: Experiment) -> tables.Table:
    return tables.step_table(trajectory(experiment))


@functools.lru_cache(maxsize=16)
def step_table_box(experiment: Experiment, step: int) -> str:
    """The step table's HTML in its scrolling box, with step ``step`` highlighted.

    Few entries: a first view asks for step 0 (or the link's step), which a class shares, while a
    student sliding along a 1000-step run would fill a larger cache with ~0.3 MB boxes nobody reuses.
    """
    table = step_table(experiment)
    return tables.scroll_box(tables.to_html(table, highlight=step), label="Step table", rows=len(table.rows))


@functools.lru_cache(maxsize=CACHE_ENTRIES)
def what_to_notice(experiment: Experiment, step: int) -> tuple[explain.Fact, ...]:
    return explain.what_to_notice(trajectory(experiment), step)


# --- loss surface page ------------------------------------------------------------------------

SURFACE_ENTRIES = 64  # one figure is ~50-65 KB of JSON with its step frames


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_scene_of(experiment: Experiment) -> SurfaceScene:
    """The grid, the path and the valley both of the page's figures are drawn from."""
    return surface_scene(trajectory(experiment))


# Each figure is built and serialised on its own, when its tab is first opened: a student who
# never opens the top-down map never pays for it, and a class arriving on new links builds only
# the 3D view.
@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_chart(experiment: Experiment) -> Chart:
    """The 3D bowl with the run's path (the figure itself is not kept)."""
    return Chart.of(build_surface_figure(surface_scene_of(experiment)))


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def contour_chart(experiment: Experiment) -> Chart:
    """The top-down map with the run's numbered steps (the figure itself is not kept)."""
    return Chart.of(build_contour_figure(surface_scene_of(experiment)))


@functools.lru_cache(maxsize=SURFACE_ENTRIES)
def surface_notes_of(experiment: Experiment) -> tuple[str, ...]:
    """The notes beside the figures."""
    return tuple(surface_notes(surface_scene_of(experiment)))


# --- loss curve page ---------------------------------------------------------------------------
# Building a figure dict and serialising it still costs a few ms (PERFORMANCE.md
# has the figures). The page's figures depend only on the experiment and the page's own choices, so
# each is built and serialised once per combination (ui.charts.Chart).

CURVE_ENTRIES = 128


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def loss_chart(experiment: Experiment, log_scale: bool) -> Chart:
    return Chart.of(loss_and_error_figure(trajectory(experiment), log_scale))  # the signed error under the loss


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def error_chart(experiment: Experiment) -> Chart:
    return Chart.of(figures_curves.error_figure(trajectory(experiment)))


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def compared(experiment: Experiment, rates: tuple[float | None, ...]) -> tuple[tuple[RateRun, Trajectory], ...]:
    """The compared runs with their trajectories: the current rate first, then each other rate once.

    One list for the page's words and its chart, so the two always show the same runs.
    """
    return tuple((run, trajectory(run.experiment)) for run in compared_runs(experiment, list(rates)))


@functools.lru_cache(maxsize=CURVE_ENTRIES)
def comparison_chart(experiment: Experiment, rates: tuple[float | None, ...], log_scale: bool) -> Chart:
    return Chart.of(figures_curves.comparison_figure(list(compared(experiment, rates)), log_scale))


# --- many parameters page ----------------------------------------------------------------------
# Keyed by the page's settings plus the shared rate and steps. A run of the largest network keeps
# every row's parameters and gradients (~3 MB at 64 units and 1000 steps), so few runs are kept;
# the charts are ~0.1 MB of JSON each.

NETWORK_RUN_ENTRIES = 16
NETWORK_CHART_ENTRIES = 64


@functools.lru_cache(maxsize=NETWORK_RUN_ENTRIES)
def network_run(settings: NetworkSettings, lr: float, steps: int) -> NetworkRun:
    return train_network(settings, lr, steps)  # its arrays are read-only already


@functools.lru_cache(maxsize=NETWORK_CHART_ENTRIES)
def network_fit_chart(settings: NetworkSettings, lr: float, steps: int) -> Chart:
    return Chart.of(figures_network.fit_figure(network_run(settings, lr, steps)))


@functools.lru_cache(maxsize=NETWORK_CHART_ENTRIES)
def network_loss_chart(settings: NetworkSettings, lr: float, steps: int, log_scale: bool) -> Chart:
    return Chart.of(figures_network.loss_figure(network_run(settings, lr, steps), log_scale))


# --- letting go when the class has left --------------------------------------------------------

def _idle_seconds(raw: str | None, default: float = 600.0) -> float:
    """``GD_CACHE_IDLE_S`` as seconds; a missing, unreadable or negative value means the default."""
    try:
        value = float(raw) if raw is not None else default
    except ValueError:
        return default
    return value if value >= 0 else default  # NaN fails the test too


IDLE_RELEASE_S = _idle_seconds(os.environ.get("GD_CACHE_IDLE_S"))
CACHES = (
    trajectory, export_text, introduction, precision_note, one_round, what_to_notice, step_table, step_table_box,
    surface_scene_of, surface_chart, contour_chart, surface_notes_of,
    loss_chart, error_chart, compared, comparison_chart,
    network_run, network_fit_chart, network_loss_chart,
)

_last_use = time.monotonic()
_janitor: threading.Thread | None = None
_janitor_lock = threading.Lock()


def note_use() -> None:
    """Record that a script run used the caches; starts the janitor thread once per process."""
    global _last_use, _janitor
    _last_use = time.monotonic()
    if _janitor is None:
        with _janitor_lock:
            if _janitor is None:
                _janitor = threading.Thread(target=_release_when_idle, name="gd-cache-janitor", daemon=True)
                _janitor.start()


def _release_when_idle() -> None:
    while True:
        time.sleep(min(60.0, max(IDLE_RELEASE_S / 4, 0.5)))
        sweep()


def sweep() -> bool:
    """Once no run has used the caches for ``IDLE_RELEASE_S``: empty them (True if they held anything).

    The heap is trimmed on every idle sweep, not only the first: Streamlit drops a closed
    session only after its ``disconnectedSessionTTL``, often after the caches were emptied.
    """
    if time.monotonic() - _last_use < IDLE_RELEASE_S:
        return False
    held = any(cache.cache_info().currsize for cache in CACHES)
    release()
    return held


def release() -> None:
    """Empty every cache and return the freed heap to the system (glibc keeps it otherwise).

    Cheap when there is nothing to free: the long-lived objects are frozen (``ui.perf``), so the
    collection scans little, and a trim of an already trimmed heap is quick.
    """
    for cache in CACHES:
        cache.cache_clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc (macOS, musl): memory is reused, not returned
        _libc().malloc_trim(0)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL("libc.so.6")
