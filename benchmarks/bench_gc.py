#!/usr/bin/env python3
"""What Python's garbage collector costs a class arriving at once, by collector thresholds (issue #12).

For each ``--thresholds`` setting (``GD_GC_THRESHOLDS``, read by ``ui/perf.py``) a warm explorer
server, then hello-world (``benchmarks/bare_app.py``, which freezes everything after every run and
so never collects), receive ``bench_arrivals``' waves (default 300 in 10 s, then 1000 in 30 s; every
page, every kind of link). Inside each server ``benchmarks/gc_stats/sitecustomize.py`` times every
collection (``gc.callbacks``). Printed per wave: server CPU per arriving session, first render
p95, and the collector's passes and seconds per generation with its longest pause.

Usage: ``python benchmarks/bench_gc.py [--thresholds 700,10,10 20000,10,10] [--waves 300:10,1000:30]
[--out r.json]``. About 3 minutes per setting on a quiet machine. The memory side of a setting is
``bench_long_class.py`` (run it with ``GD_GC_THRESHOLDS`` set in its environment).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import deep_link_paths, plan
from _common import REPO, Server, emit, exit_on_sigterm, machine
from bench_arrivals import SESSION_TTL_S, _warm, _waves, wave

SITE = Path(__file__).resolve().parent / "gc_stats"


def _collector(server: Server, out: Path) -> dict:
    """The server's collector figures since the last call (SIGUSR2 makes it write them)."""
    out.unlink(missing_ok=True)
    os.kill(server.proc.pid, signal.SIGUSR2)
    deadline = time.monotonic() + 10
    while not out.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.05)
    figures = json.loads(out.read_text())
    return {"passes": figures["passes"], "seconds": [round(s, 3) for s in figures["seconds"]],
            "longest_ms": round(figures["longest_s"] * 1000, 1), "thresholds": figures["thresholds"]}


async def _one(app: str, thresholds: str | None, waves: list[tuple[int, float]], folder: Path) -> list[dict]:
    out = folder / f"gc-{os.getpid()}.json"
    env = {"PYTHONPATH": str(SITE), "GC_STATS_OUT": str(out)}
    if thresholds:
        env["GD_GC_THRESHOLDS"] = thresholds
    extra = ["--server.disconnectedSessionTTL", str(SESSION_TTL_S)]
    results = []
    with Server(app=app, cwd=REPO, extra=extra, env=env) as server:
        paths = deep_link_paths(REPO / "app.py") if app == "app.py" else ["/"]
        await _warm(server, paths)
        for n, window in waves:
            _collector(server, out)  # from zero
            links = plan(n, paths) if app == "app.py" else [("/", "")] * n
            figures = await wave(server, links, window)
            gc_figures = _collector(server, out)
            results.append({"arrivals": n, "window_s": window, "served": figures["served"],
                            "cpu_ms_per_session": figures["cpu_ms_per_session"],
                            "first_render_p95_ms": figures["first_render_ms"]["p95"], "gc": gc_figures,
                            "gc_ms_per_session": round(sum(gc_figures["seconds"]) * 1000 / n, 2)})
            print(f"{app} {thresholds or 'app default'} {n} in {window:g} s: CPU {figures['cpu_ms_per_session']} "
                  f"ms/session, p95 {figures['first_render_ms']['p95']} ms, gc {gc_figures}", file=sys.stderr)
    return results


async def run(args: argparse.Namespace) -> dict:
    result: dict = {"machine": machine(), "settings": {}}
    with tempfile.TemporaryDirectory() as folder:
        for thresholds in args.thresholds:
            result["settings"][thresholds] = await _one("app.py", thresholds, args.waves, Path(folder))
        result["hello-world"] = await _one("benchmarks/bare_app.py", None, args.waves, Path(folder))
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--thresholds", nargs="+", default=["700,10,10", "20000,10,10"])
    parser.add_argument("--waves", type=_waves, default=_waves("300:10,1000:30"))
    parser.add_argument("--out")
    args = parser.parse_args()
    exit_on_sigterm()
    emit(asyncio.run(run(args)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
