"""The many-parameters page: how fast core trains its largest network, and how big its figures are.

Run: ``python benchmarks/bench_network.py`` (from the repository root). Targets (issue 15):
64 hidden units, 200 points and 1000 steps train in ≤ 50 ms in core, and the page's figures
are ≤ 200 KiB on the wire. Prints the median and best of several runs, in wall-clock and in
this process's CPU time (on a shared machine the CPU time is the fairer figure), the load
average they were taken under, and the JSON bytes of each figure as the browser receives it
(``ui.charts.Chart``: the figure's JSON without its template). Not a test: nothing here fails a build.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import plotly.io as pio

from core.figures.network import fit_figure, loss_figure
from core.maths.network import suggested_rate, train_network
from core.maths.network_settings import NetworkSettings

REPEATS = 15
TRAIN_TARGET_MS = 50.0
WIRE_TARGET_KIB = 200.0
LARGEST = NetworkSettings(units=64, points=200)


def timed(call, repeats: int = REPEATS) -> tuple[list[float], list[float]]:
    """(wall ms, CPU ms) of each of ``repeats`` calls, after one warm-up call."""
    call()
    wall, cpu = [], []
    for _ in range(repeats):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start_wall) * 1000.0)
        cpu.append((time.process_time() - start_cpu) * 1000.0)
    return wall, cpu


def wire_bytes(figure) -> int:
    """Bytes of the figure's JSON as ``ui.charts.Chart`` sends it (no template, compact separators)."""
    spec = json.loads(pio.to_json(figure, validate=False))
    spec.get("layout", {}).pop("template", None)
    return len(json.dumps(spec, separators=(",", ":"), allow_nan=False).encode())


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    rate = suggested_rate(train_network(LARGEST, 0.1, 0))  # a rate that runs all 1000 steps
    run = train_network(LARGEST, rate, 1000)
    assert not run.diverged and run.last_step == 1000
    wall, cpu = timed(lambda: train_network(LARGEST, rate, 1000))
    verdict = "ok" if statistics.median(cpu) <= TRAIN_TARGET_MS else "SLOW"
    print(
        f"train H=64 N=200 1000 steps (lr {rate:g}): wall median {statistics.median(wall):.1f} ms, "
        f"best {min(wall):.1f} ms; CPU median {statistics.median(cpu):.1f} ms, best {min(cpu):.1f} ms "
        f"(target ≤ {TRAIN_TARGET_MS:.0f} ms) {verdict}"
    )
    # A yardstick for a busy machine: the one operation no version of the loop can skip, tanh of
    # the 200×64 hidden layer, 1001 times. Compare the loop with it, not only with the target.
    z = np.random.default_rng(0).standard_normal((200, 64))
    out = np.empty_like(z)

    def tanh_alone() -> None:
        for _ in range(1001):
            np.tanh(z, out=out)

    _, floor = timed(tanh_alone, repeats=5)
    print(
        f"yardstick, 1001 × tanh of 200×64 alone: CPU median {statistics.median(floor):.1f} ms "
        f"(the loop is {statistics.median(cpu) / statistics.median(floor):.1f}× that)"
    )
    fit_wall, _ = timed(lambda: fit_figure(run), repeats=5)
    print(f"build the fit figure: median {statistics.median(fit_wall):.1f} ms (once per settings: cached)")
    fit = wire_bytes(fit_figure(run))
    losses = {scale: wire_bytes(loss_figure(run, scale == "log")) for scale in ("linear", "log")}
    for scale, size in losses.items():
        total = (fit + size) / 1024
        verdict = "ok" if total <= WIRE_TARGET_KIB else "TOO BIG"
        print(
            f"figures on the wire ({scale} loss axis): fit {fit / 1024:.1f} KiB + loss {size / 1024:.1f} KiB "
            f"= {total:.1f} KiB (target ≤ {WIRE_TARGET_KIB:.0f} KiB) {verdict}"
        )


if __name__ == "__main__":
    main()
