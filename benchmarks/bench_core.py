"""How fast core answers: one student's click must cost the shared server milliseconds, not seconds.

Run: ``python benchmarks/bench_core.py`` (from the repository root). Prints the median time
of each operation over several repeats (``timeit``), with its target beside it, and the size
of the surface figure's JSON when ``core.figures.surface`` is present. Not a test: the
numbers depend on the machine, so nothing here fails a build.
"""

from __future__ import annotations

import os
import statistics
import sys
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotly.io as pio

from core.figures.surface import build_surface_figure
from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment
from core.maths.surface import loss_grid, plot_window
from core.maths.training import train

REPEATS = 15


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    best_ms: float
    target_ms: float | None

    @property
    def verdict(self) -> str:
        if self.target_ms is None:
            return ""
        return "ok" if self.median_ms <= self.target_ms else "SLOW"


def measure(name: str, call: Callable[[], object], target_ms: float | None, repeats: int = REPEATS) -> Result:
    """Median (and best) milliseconds per call; ``number`` is chosen so one repeat takes ~50 ms or more."""
    timer = timeit.Timer(call)
    number, _ = timer.autorange()  # calls per repeat so that one repeat takes at least 0.2 s
    number = max(1, number // 4)
    per_call = [total / number * 1000.0 for total in timer.repeat(repeat=repeats, number=number)]
    return Result(name, statistics.median(per_call), min(per_call), target_ms)


def surface_figure_results(experiment: Experiment) -> tuple[list[Result], str | None]:
    """The 3D figure's build time and JSON size (a plain figure dict, written as ``ui.charts.Chart`` does)."""
    scene = surface_scene(train(experiment))
    size = len(pio.to_json(build_surface_figure(scene), validate=False))
    results = [
        measure("build_surface_figure (defaults)", lambda: build_surface_figure(scene), None, repeats=7),
        measure("  ... + its JSON", lambda: pio.to_json(build_surface_figure(scene), validate=False), None, repeats=7),
    ]
    return results, f"surface figure JSON at the defaults: {size:,} characters ({size / 1024:.0f} KiB)"


def main() -> None:
    article = Experiment()
    long_run = article.with_(steps=1000)
    long_hand = long_run.with_(mode="hand")
    many_points = Experiment(points=tuple((float(i), 0.5 * i + 1.0) for i in range(-25, 25)), lr=0.0004, steps=1000)
    window = plot_window(train(article))
    long_trajectory = train(long_run)

    results = [
        measure("train, 1 point, 1000 steps (exact)", lambda: train(long_run), 5.0),
        measure("train, 1 point, 1000 steps (hand)", lambda: train(long_hand), 5.0),
        measure("train, 50 points, 1000 steps", lambda: train(many_points), None),
        measure("train, defaults (5 steps)", lambda: train(article), None),
        measure("plot_window of a 1000-step run", lambda: plot_window(long_trajectory), None),
        measure("loss_grid 121×121", lambda: loss_grid(article, window, 121), 1.0),
        measure("loss_grid 401×401", lambda: loss_grid(article, window, 401), None),
    ]
    figure_results, size_line = surface_figure_results(article)
    results += figure_results

    width = max(len(r.name) for r in results) + 2
    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"core benchmark — Python {sys.version.split()[0]}, median of {REPEATS} repeats (figures: 7)")
    print(f"{os.cpu_count()} CPUs, load average {load}: on a busy machine trust 'best' more than 'median'\n")
    print(f"{'operation':<{width}}{'median ms':>11}{'best ms':>10}{'target ms':>11}  verdict")
    print("-" * (width + 41))
    for r in results:
        target = "—" if r.target_ms is None else f"≤ {r.target_ms:g}"
        print(f"{r.name:<{width}}{r.median_ms:>11.3f}{r.best_ms:>10.3f}{target:>11}  {r.verdict}")
    print()
    print(size_line or "core.figures.surface is not there yet: no figure build time or JSON size.")


if __name__ == "__main__":
    main()
