#!/usr/bin/env python3
"""A class on one server, over Streamlit's own websocket protocol (no browsers).

Each simulated student is a websocket session that speaks Streamlit's protocol
(``benchmarks/_stream.py``): it opens a page like a share link does, then changes the
sidebar's "Learning rate" number_input by sending a rerun request with that widget's state
(its id read from the page's first deltas) and waits for ``script_finished``.

Phase 1 — an active class: ``--students`` (30) students spread over the three pages, each
changing the learning rate every ~``--interval`` s (5 ± 1 s, seeded) for ``--duration`` s
(60). Reported: rerun latency p50/p95 (send → script_finished), server CPU
(/proc/PID/stat), server RSS (VmRSS) before, during (peak of 1 s samples) and after the
sessions closed.

Phase 2 — a class arriving: ``--arrivals`` (100) students opening a page spread evenly over
``--arrival-window`` s (30), all staying connected until the last one is served. Reported:
how many were served (script_finished, no exception), first-run latency p50/p95, RSS per
connected session, and RSS after they left.

Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL`` (default
120 s) so a student whose wifi blinks gets it back; the benchmark starts the server with
``--session-ttl`` (default 5 s) to see the memory come back within the run; likewise the app
empties its shared result caches after ``--cache-idle`` s (default 8; 10 minutes in the app
itself) without a script run. XSRF
protection stays on (the repo's config): it does not apply to a plain websocket connection.

Loopback only; every loop is bounded by count and time; the server is stopped at the end.
Usage: ``python benchmarks/bench_load.py [--students 30 --duration 60 --arrivals 100] [--out r.json]``.
Targets: 30 active students p95 ≤ 1 s; memory growth ≤ 1 MB per session, back near the
baseline after the sessions close.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import Server, emit, exit_on_sigterm, machine, percentile
from _stream import StreamSession

PAGES = ["/step-table", "/loss-curve", "/loss-surface"]
LABEL = "Learning rate"


def _rate(rng: random.Random) -> float:
    """A learning rate a student might type: two decimals, mostly converging, a few wild."""
    return round(rng.uniform(0.01, 0.55), 2)


class Monitor:
    """Samples the server's RSS every second while a phase runs."""

    def __init__(self, server: Server) -> None:
        self.server, self.peak_kb, self.samples = server, 0, 0
        self._task: asyncio.Task | None = None

    async def _loop(self) -> None:
        while True:
            self.peak_kb = max(self.peak_kb, self.server.memory_kb()["VmRSS"])
            self.samples += 1
            await asyncio.sleep(1.0)

    def __enter__(self) -> Monitor:
        self._task = asyncio.create_task(self._loop())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


async def _student(base_url: str, path: str, seed: int, start_delay: float, end_at: float, interval: float,
                   records: list[dict]) -> dict:
    """One active student: open ``path``, then change the learning rate every ~interval s until end_at."""
    rng = random.Random(seed)
    await asyncio.sleep(start_delay)
    session = StreamSession(base_url, path)
    outcome = {"path": path, "opened": False, "changes": 0, "failed": 0}
    try:
        await session.connect()
        first = await session.run()
        outcome["opened"] = first.ok and LABEL in session.widgets
        if not outcome["opened"]:
            outcome["error"] = (first.exceptions or [first.status])[0]
            return outcome
        while True:
            await asyncio.sleep(interval + rng.uniform(-1.0, 1.0))
            if time.monotonic() >= end_at:
                break
            result = await session.run({LABEL: _rate(rng)})
            records.append({"path": path, "ms": result.ms, "ok": result.ok, "t": time.monotonic()})
            outcome["changes"] += 1
            if not result.ok:
                outcome["failed"] += 1
                outcome.setdefault("error", (result.exceptions or [result.status])[0])
    except (OSError, ConnectionError) as error:
        outcome["error"] = f"{type(error).__name__}: {error}"
    finally:
        await session.close()
    return outcome


async def active_class(server: Server, students: int, duration: float, interval: float, seed: int) -> dict:
    base_kb = server.memory_kb()["VmRSS"]
    cpu0, t0 = server.cpu_s(), time.monotonic()
    end_at = t0 + duration
    records: list[dict] = []
    with Monitor(server) as monitor:
        # Arrivals spread over the first interval, as a class does when told "open the link".
        tasks = [
            asyncio.create_task(_student(server.url, PAGES[i % len(PAGES)], seed + i, interval * i / students,
                                         end_at, interval, records))
            for i in range(students)
        ]
        outcomes = await asyncio.wait_for(asyncio.gather(*tasks), duration + 180)
        during_kb = server.memory_kb()["VmRSS"]
    cpu = server.cpu_s() - cpu0
    wall = time.monotonic() - t0
    after_kb = await _settled_rss(server)
    ms = [r["ms"] for r in records if r["ok"]]
    per_page = {
        path: {"n": len(v), "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95)}
        for path in PAGES
        for v in [[r["ms"] for r in records if r["ok"] and r["path"] == path]]
    }
    return {
        "students": students, "opened": sum(o["opened"] for o in outcomes),
        "changes": len(records), "failed_changes": sum(not r["ok"] for r in records),
        "errors": dict(Counter(o["error"] for o in outcomes if "error" in o)),
        "rerun_ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "max": round(max(ms), 1) if ms else None},
        "per_page": per_page,
        "server_cpu_s": round(cpu, 1), "wall_s": round(wall, 1), "server_cores_busy": round(cpu / wall, 2),
        "rss_mb": {"before": _mb(base_kb), "peak_during": _mb(max(monitor.peak_kb, during_kb)),
                   "end_connected": _mb(during_kb), "after_close": _mb(after_kb)},
    }


async def _arriving(base_url: str, path: str, delay: float, done: asyncio.Event, served: list) -> dict:
    await asyncio.sleep(delay)
    session = StreamSession(base_url, path)
    outcome: dict = {"path": path, "ok": False}
    try:
        await session.connect()
        result = await session.run()
        outcome.update(ok=result.ok, ms=result.ms, status=result.status, exceptions=result.exceptions[:1])
        served.append(outcome)
        await done.wait()  # stay connected until everyone has been served
    except (OSError, ConnectionError) as error:
        outcome["error"] = f"{type(error).__name__}: {error}"
        served.append(outcome)
    finally:
        await session.close()
    return outcome


async def arriving_class(server: Server, arrivals: int, window: float) -> dict:
    base_kb = server.memory_kb()["VmRSS"]
    cpu0 = server.cpu_s()
    done, served = asyncio.Event(), []
    with Monitor(server) as monitor:
        tasks = [
            asyncio.create_task(_arriving(server.url, PAGES[i % len(PAGES)], window * i / arrivals, done, served))
            for i in range(arrivals)
        ]
        deadline = time.monotonic() + window + 180
        while len(served) < arrivals and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        connected_kb = server.memory_kb()["VmRSS"]
        done.set()
        outcomes = await asyncio.wait_for(asyncio.gather(*tasks), 60)
    cpu = server.cpu_s() - cpu0
    after_kb = await _settled_rss(server)
    ms = [o["ms"] for o in outcomes if o.get("ok")]
    served_ok = sum(bool(o.get("ok")) for o in outcomes)
    return {
        "arrivals": arrivals, "window_s": window, "served": served_ok,
        "not_served": [o for o in outcomes if not o.get("ok")][:5],
        "first_run_ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95),
                         "max": round(max(ms), 1) if ms else None},
        "server_cpu_s": round(cpu, 1),
        "rss_mb": {"before": _mb(base_kb), "all_connected": _mb(connected_kb),
                   "peak": _mb(max(monitor.peak_kb, connected_kb)), "after_close": _mb(after_kb)},
        "rss_growth_per_session_mb": round((connected_kb - base_kb) / 1024 / max(served_ok, 1), 2),
    }


async def _settled_rss(server: Server) -> int:
    """RSS once the closed sessions are past their TTL (Streamlit drops them on its next sweep)
    and the app's idle caches have been released (``GD_CACHE_IDLE_S``, set from ``--cache-idle``)."""
    await asyncio.sleep(SETTLE_S)
    return server.memory_kb()["VmRSS"]


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


SETTLE_S = 15.0  # ≥ session TTL + Streamlit's sweep, and ≥ --cache-idle + the janitor's check


async def run(args: argparse.Namespace) -> dict:
    extra = ["--server.disconnectedSessionTTL", str(args.session_ttl)]
    os.environ["GD_CACHE_IDLE_S"] = str(args.cache_idle)  # the server inherits it (ui/cached.py)
    result: dict = {"machine": machine(), "session_ttl_s": args.session_ttl, "cache_idle_s": args.cache_idle}
    with Server(extra=extra) as server:
        # Warm the server: every page once (imports, caches, st.navigation), as after the first visitors.
        result["rss_mb_start"] = _mb(server.memory_kb()["VmRSS"])
        # "/" first: the first session of a server resolves deep links before st.navigation has
        # run and gets "page not found" (Streamlit issues 8860 / 9992).
        for path in ["/", *PAGES]:
            warm = StreamSession(server.url, path)
            await warm.connect()
            first = await warm.run()
            await warm.close()
            if not first.ok:
                problem = "page not found" if first.page_not_found else (first.exceptions or first.status)
                raise RuntimeError(f"{path} does not open: {problem}")
        await asyncio.sleep(SETTLE_S)
        result["rss_mb_warm"] = _mb(server.memory_kb()["VmRSS"])
        result["active"] = await active_class(server, args.students, args.duration, args.interval, args.seed)
        result["arriving"] = await arriving_class(server, args.arrivals, args.arrival_window)
        result["rss_mb_end"] = _mb(server.memory_kb()["VmRSS"])
        result["rss_mb_peak_process"] = _mb(server.memory_kb()["VmHWM"])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--duration", type=float, default=60.0, help="s of active use (default 60)")
    parser.add_argument("--interval", type=float, default=5.0, help="s between a student's changes (default 5)")
    parser.add_argument("--arrivals", type=int, default=100)
    parser.add_argument("--arrival-window", type=float, default=30.0, help="s over which they arrive (default 30)")
    parser.add_argument("--session-ttl", type=int, default=5, help="server.disconnectedSessionTTL (default 5 s)")
    parser.add_argument("--cache-idle", type=float, default=8.0,
                        help="s without a run before the app empties its caches (default 8; the app's own is 600)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    if not (1 <= args.students <= 200 and 1 <= args.arrivals <= 500 and 1 <= args.duration <= 600):
        parser.error("keep the load bounded: students ≤ 200, arrivals ≤ 500, duration ≤ 600 s")
    exit_on_sigterm()
    result = asyncio.run(run(args))
    emit(result, args.out)
    active, arriving = result["active"], result["arriving"]
    print(
        f"active {active['students']} students: {active['changes']} changes, rerun p50 {active['rerun_ms']['p50']} ms"
        f" p95 {active['rerun_ms']['p95']} ms, server {active['server_cores_busy']} cores busy,"
        f" RSS {active['rss_mb']}\n"
        f"arriving {arriving['arrivals']}: served {arriving['served']}, first run p50 {arriving['first_run_ms']['p50']}"
        f" ms p95 {arriving['first_run_ms']['p95']} ms, {arriving['rss_growth_per_session_mb']} MB/session,"
        f" RSS {arriving['rss_mb']}",
        file=sys.stderr,
    )
    ok = active["opened"] == active["students"] and not active["failed_changes"] and arriving["served"] == args.arrivals
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
