"""Process-wide speed settings for a server shared by a whole class."""

from __future__ import annotations

import gc
import os
import sys

# Python's default (700, 10, 10) runs a young-generation pass every 700 net new container objects.
# A student's first view leaves ~850 behind (the session's state and widgets, which live as long
# as the student stays), so a class arriving at once set off a pass per arrival and, as the
# sessions piled up, full passes over all of them: in a wave of 1000 arrivals in 30 s, 2.2 ms of
# garbage collection per student and pauses up to 0.3 s. With 20 000 the same wave took ~23 young
# passes and no full one (benchmarks/bench_gc.py; PERFORMANCE.md, "The garbage collector's
# thresholds"). The older generations keep Python's ratios, so cyclic garbage is still found
# within minutes during a lesson, and the idle janitor (ui/cached.py) collects everything once
# the class has gone.
DEFAULT_THRESHOLDS = (20_000, 10, 10)


def _thresholds(raw: str | None) -> tuple[int, int, int]:
    """``GD_GC_THRESHOLDS`` ("700,10,10", set by benchmarks/bench_gc.py), or the default for anything else."""
    try:
        values = tuple(int(part) for part in (raw or "").split(","))
    except ValueError:
        return DEFAULT_THRESHOLDS
    return values if len(values) == 3 and all(value > 0 for value in values) else DEFAULT_THRESHOLDS


COLLECTOR_THRESHOLDS = _thresholds(os.environ.get("GD_GC_THRESHOLDS"))

_modules_at_last_freeze = 0


def freeze_long_lived_objects() -> None:
    """Move what is imported so far out of the garbage collector's sight, whenever a run imported more.

    A full collection walks every tracked object: Streamlit's ``gc.collect(2)`` after every script
    run (turned off in this app's config, ``runner.postScriptGC``, issue #12) and Python's own
    generation-2 passes, which still run. With NumPy, pandas, Plotly and pyarrow loaded, scanning
    their objects dominated each pass (PERFORMANCE.md, the gc lever).
    Modules and caches live for the whole process, so freezing them is safe; objects a
    session creates later are still collected normally.

    Called after every run; it acts only when the module count grew since its last freeze —
    the first run of the process, and the first visit of each page that imports something
    new (Plotly loads a trace type's classes on first use). Freezing only after the first run
    left those later imports to be scanned on every rerun of the chart pages (measured with
    benchmarks/bench_script_time.py, see PERFORMANCE.md). The collection before the freeze
    keeps that run's garbage out of the frozen set; it happens a handful of times per process.
    The first one also sets :data:`COLLECTOR_THRESHOLDS`.
    """
    global _modules_at_last_freeze
    modules = len(sys.modules)
    if modules == _modules_at_last_freeze:
        return
    gc.collect()
    gc.freeze()
    gc.set_threshold(*COLLECTOR_THRESHOLDS)
    _modules_at_last_freeze = modules
