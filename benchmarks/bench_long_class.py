#!/usr/bin/env python3
"""A long class on one server: does its memory stay flat? (issue #12; decides ``runner.postScriptGC``)

Streamlit runs ``gc.collect(2)`` after every script run (``runner.postScriptGC``). With a
class connected that pass walks every live session's objects, which is what made a class's
arrival slow; turning it off leaves cyclic garbage to Python's own generational collector.
This run shows what that does to memory over a lesson.

The simulated class, for ``--minutes`` (60) of wall-clock time:

- ``--students`` (30) stay the whole lesson, spread over every page of the navigation
  (read from ``app.py``), each typing a new learning rate every 5 ± 1 s;
- ``--visitors`` (100) more arrive at random moments, stay 1–10 minutes doing the same, and
  leave (their websocket closes);
- at the end everyone leaves, and the server is left alone for ``--settle`` s (longer than
  the session TTL plus the app's idle-cache time) before the last sample.

RSS (VmRSS) is sampled every ``--sample`` s and written, one JSON line per sample, to
``--out`` as it runs (so a cut-short run still has its curve), followed by a summary line:
the warm baseline (every page opened once, then idle), the RSS once the warm-up minutes
are over, the highest RSS after the warm-up (drift = the difference), and the RSS after
everyone left (return = difference to the warm baseline). Targets: drift ≤ 20 MB,
return ≤ 10 MB.

Usage (one server per run; compare the setting by running it twice, side by side)::

    python benchmarks/bench_long_class.py --gc false --out long-gc-off.jsonl
    python benchmarks/bench_long_class.py --gc true --out long-gc-on.jsonl
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import deep_link_paths
from _common import REPO, Server, exit_on_sigterm, machine, percentile
from _stream import StreamSession

LABEL = "Learning rate"


class Lesson:
    """Counters and samples shared by every simulated student."""

    def __init__(self, server: Server, out: Path | None) -> None:
        self.server, self.out = server, out
        self.t0 = time.monotonic()
        self.connected = 0
        self.runs, self.failed, self.ms = 0, 0, []
        self.errors: list[str] = []
        self.samples: list[dict] = []

    def minute(self) -> float:
        return (time.monotonic() - self.t0) / 60

    def write(self, record: dict) -> None:
        if self.out is not None:
            with self.out.open("a") as handle:
                handle.write(json.dumps(record) + "\n")

    def sample(self, phase: str) -> dict:
        record = {"minute": round(self.minute(), 2), "phase": phase, "rss_mb": _mb(self.server.memory_kb()["VmRSS"]),
                  "connected": self.connected, "runs": self.runs, "failed": self.failed,
                  "cpu_s": round(self.server.cpu_s(), 1), "load_avg": round(os.getloadavg()[0], 2)}
        self.samples.append(record)
        self.write(record)
        return record


async def _student(lesson: Lesson, path: str, seed: int, start_at: float, leave_at: float, interval: float) -> None:
    """Open ``path`` at ``start_at`` (monotonic), change the rate every ~interval s, leave at ``leave_at``."""
    rng = random.Random(seed)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    session = StreamSession(lesson.server.url, path, timeout=60)
    try:
        await session.connect()
        lesson.connected += 1
        try:
            result = await session.run()
            lesson.runs += 1
            if not result.ok or LABEL not in session.widgets:
                lesson.failed += 1
                lesson.errors.append(f"{path} open: {(result.exceptions or [result.status])[0]}")
                return
            while True:
                await asyncio.sleep(interval + rng.uniform(-1.0, 1.0))
                if time.monotonic() >= leave_at:
                    return
                result = await session.run({LABEL: round(rng.uniform(0.01, 0.55), 2)})
                lesson.runs += 1
                lesson.ms.append(result.ms)
                if not result.ok:
                    lesson.failed += 1
                    lesson.errors.append(f"{path}: {(result.exceptions or [result.status])[0]}")
        finally:
            lesson.connected -= 1
    except (OSError, ConnectionError) as error:
        lesson.failed += 1
        lesson.errors.append(f"{path}: {type(error).__name__}: {error}")
    finally:
        await session.close()


async def _sampler(lesson: Lesson, every: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        lesson.sample("class")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)


async def run(args: argparse.Namespace) -> dict:
    out = Path(args.out) if args.out else None
    if out is not None:
        out.write_text("")
    extra = ["--runner.postScriptGC", args.gc, "--server.disconnectedSessionTTL", str(args.session_ttl)]
    os.environ["GD_CACHE_IDLE_S"] = str(args.cache_idle)  # the server inherits it (ui/cached.py)
    paths = deep_link_paths(Path(args.repo) / "app.py")
    with Server(cwd=Path(args.repo), extra=extra) as server:
        lesson = Lesson(server, out)
        lesson.write({"machine": machine(), "args": vars(args), "paths": paths})
        for path in paths:  # every page once, as the teacher does before the lesson
            warm = StreamSession(server.url, path, timeout=60)
            await warm.connect()
            first = await warm.run()
            await warm.close()
            if not first.ok:
                raise RuntimeError(f"{path} does not open: {first.exceptions or first.status}")
        await asyncio.sleep(args.session_ttl + 20)
        warm_mb = lesson.sample("warm")["rss_mb"]
        rng = random.Random(args.seed)
        lesson.t0 = start = time.monotonic()
        end = start + args.minutes * 60
        tasks = [
            asyncio.create_task(_student(lesson, paths[i % len(paths)], args.seed + i, start + 5.0 * i / args.students,
                                         end, args.interval))
            for i in range(args.students)
        ]
        for j in range(args.visitors):
            arrive = start + rng.uniform(0, max(args.minutes * 60 - 60, 1))
            leave = min(arrive + rng.uniform(60, 600), end)
            tasks.append(asyncio.create_task(
                _student(lesson, rng.choice(paths), args.seed + 1000 + j, arrive, leave, args.interval)))
        stop = asyncio.Event()
        sampler = asyncio.create_task(_sampler(lesson, args.sample, stop))
        await asyncio.gather(*tasks)
        stop.set()
        await sampler
        lesson.sample("everyone left")
        settle_end = time.monotonic() + args.settle
        while time.monotonic() < settle_end - args.sample:  # the way back down, sampled too
            await asyncio.sleep(args.sample)
            lesson.sample("leaving")
        await asyncio.sleep(max(0.0, settle_end - time.monotonic()))
        left_mb = lesson.sample("settled")["rss_mb"]
        after_warmup = [s["rss_mb"] for s in lesson.samples
                        if s["phase"] in ("class", "everyone left") and s["minute"] >= args.warmup]
        at_warmup = after_warmup[0] if after_warmup else warm_mb
        left_at_end = next(x["rss_mb"] for x in lesson.samples if x["phase"] == "everyone left")
        summary = {
            "postScriptGC": args.gc, "minutes": args.minutes, "students": args.students, "visitors": args.visitors,
            "runs": lesson.runs, "failed": lesson.failed, "errors": lesson.errors[:5],
            "rerun_ms": {"p50": percentile(lesson.ms, 50), "p95": percentile(lesson.ms, 95)},
            "rss_mb": {"warm": warm_mb, "at_warmup_end": at_warmup, "max_after_warmup": max(after_warmup, default=0),
                       "end_of_class": left_at_end, "settled": left_mb,
                       "peak_process": _mb(server.memory_kb()["VmHWM"])},
            "drift_mb": round(max(after_warmup, default=at_warmup) - at_warmup, 1),
            "return_mb": round(left_mb - warm_mb, 1),
            "return_to_warmup_end_mb": round(left_mb - at_warmup, 1),
            "per_10_min_median_mb": [
                percentile([s["rss_mb"] for s in lesson.samples if s["phase"] == "class" and k <= s["minute"] < k + 10],
                           50)
                for k in range(0, int(args.minutes), 10)
            ],
            "server_cpu_s": lesson.samples[-1]["cpu_s"],
        }
        lesson.write({"summary": summary})
    return summary


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gc", choices=["true", "false"], default="false", help="runner.postScriptGC for the server")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=5.0, help="minutes before the drift is measured (default 5)")
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--visitors", type=int, default=100)
    parser.add_argument("--interval", type=float, default=5.0)
    parser.add_argument("--sample", type=float, default=10.0, help="s between RSS samples (default 10)")
    parser.add_argument("--session-ttl", type=int, default=120, help="server.disconnectedSessionTTL (Streamlit's 120)")
    parser.add_argument("--cache-idle", type=float, default=60.0, help="GD_CACHE_IDLE_S for the server (default 60)")
    parser.add_argument("--settle", type=float, default=200.0, help="s alone after everyone left (default 200)")
    parser.add_argument("--repo", default=str(REPO), help="the app's directory (e.g. a snapshot of a commit)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", help="JSON lines: samples as they come, then the summary")
    args = parser.parse_args()
    if not (1 <= args.students <= 100 and 0 <= args.visitors <= 500 and 0.5 <= args.minutes <= 120):
        parser.error("keep the load bounded: students ≤ 100, visitors ≤ 500, minutes ≤ 120")
    exit_on_sigterm()
    summary = asyncio.run(run(args))
    print(json.dumps(summary, indent=2))
    ok = summary["failed"] == 0 and summary["drift_mb"] <= 20 and summary["return_mb"] <= 10
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
