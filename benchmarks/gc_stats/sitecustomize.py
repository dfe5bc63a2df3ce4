"""Garbage-collection counts and time inside a server, for benchmarks/bench_gc.py (never the app).

Python imports ``sitecustomize`` at start-up from the path: bench_gc.py puts this folder on the
server's ``PYTHONPATH`` and names an output file in ``GC_STATS_OUT``. Each collection is timed with
``gc.callbacks``; SIGUSR2 writes the counts and seconds per generation (and the longest pass) to
the file and starts them again from zero.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
import time

_counts = [0, 0, 0]
_seconds = [0.0, 0.0, 0.0]
_longest = [0.0]
_started: dict[int, float] = {}


def _timed(phase: str, info: dict) -> None:
    if phase == "start":
        _started[threading.get_ident()] = time.perf_counter()
        return
    spent = time.perf_counter() - _started.pop(threading.get_ident(), time.perf_counter())
    generation = info["generation"]
    _counts[generation] += 1
    _seconds[generation] += spent
    _longest[0] = max(_longest[0], spent)


def _dump(*_args: object) -> None:
    with open(os.environ["GC_STATS_OUT"], "w", encoding="utf-8") as out:
        json.dump({"passes": _counts, "seconds": _seconds, "longest_s": _longest[0],
                   "thresholds": gc.get_threshold(), "tracked": len(gc.get_objects()),
                   "frozen": gc.get_freeze_count()}, out)
    _counts[:] = [0, 0, 0]
    _seconds[:] = [0.0, 0.0, 0.0]
    _longest[0] = 0.0


if os.environ.get("GC_STATS_OUT"):
    gc.callbacks.append(_timed)
    signal.signal(signal.SIGUSR2, _dump)
