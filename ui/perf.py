"""Process-wide speed settings for a server shared by a whole class."""

from __future__ import annotations

import gc
import sys

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
    """
    global _modules_at_last_freeze
    modules = len(sys.modules)
    if modules == _modules_at_last_freeze:
        return
    gc.collect()
    gc.freeze()
    _modules_at_last_freeze = modules
