#!/usr/bin/env python3
"""A class's first wave on freshly started servers, counted (issue #12).

For each of ``--servers`` (5) fresh ``streamlit run app.py`` processes, ``--students`` (30)
websocket sessions open deep links — every page of ``app.py``'s navigation, with and without
query strings, broken links included — and send their first run at the same moment, before
any run has finished in the process (``benchmarks/_cold.py``, the same wave as
``tests/server/``). Printed per server: served (right page, right experiment, notices for
broken values), "page not found", exception elements, other problems, and the first-run time.

Usage: ``python benchmarks/bench_cold_start.py [--servers 5 --students 30] [--out cold.json]``.
Target: every student served on every server (0 "page not found", 0 exceptions).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import cold_wave, deep_link_paths
from _common import REPO, Server, emit, exit_on_sigterm, machine, percentile


def count(arrivals: list) -> dict:
    problems = [problem for arrival in arrivals for problem in arrival.problems]
    ms = [arrival.ms for arrival in arrivals if arrival.ok]
    return {
        "students": len(arrivals),
        "served": sum(arrival.ok for arrival in arrivals),
        "page_not_found": sum("page not found" in arrival.problems for arrival in arrivals),
        "exceptions": sum(any(p.startswith("exception") for p in arrival.problems) for arrival in arrivals),
        "exception_kinds": sorted({p[:200] for p in problems if p.startswith("exception")})[:5],
        "other_problems": sorted({p for p in problems if p != "page not found" and not p.startswith("exception")})[:5],
        "first_run_ms": {"p50": percentile(ms, 50), "p95": percentile(ms, 95),
                         "max": round(max(ms), 1) if ms else None},
    }


async def run(args: argparse.Namespace) -> dict:
    repo = Path(args.repo)
    sys.path.insert(0, str(repo))  # that tree's core decides what each link must show
    paths = deep_link_paths(repo / "app.py")
    result: dict = {"machine": machine(), "paths": paths, "servers": []}
    for number in range(1, args.servers + 1):
        started = time.monotonic()
        with Server(cwd=repo) as server:
            up_s = time.monotonic() - started
            arrivals = await cold_wave(server.url, args.students, paths, timeout=120)
        counts = count(arrivals) | {"server_start_s": round(up_s, 1)}
        result["servers"].append(counts)
        print(f"server {number}: {counts['served']}/{counts['students']} served, "
              f"{counts['page_not_found']} page not found, {counts['exceptions']} exceptions, "
              f"first run p50 {counts['first_run_ms']['p50']} ms p95 {counts['first_run_ms']['p95']} ms",
              file=sys.stderr)
    result["total"] = {
        key: sum(server[key] for server in result["servers"])
        for key in ("students", "served", "page_not_found", "exceptions")
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=5)
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--repo", default=str(REPO), help="the app's directory (e.g. a snapshot of a commit)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    if not (1 <= args.servers <= 20 and 1 <= args.students <= 200):
        parser.error("keep it bounded: servers ≤ 20, students ≤ 200")
    exit_on_sigterm()
    result = asyncio.run(run(args))
    emit(result, args.out)
    total = result["total"]
    print(f"total: {total['served']}/{total['students']} served, {total['page_not_found']} page not found,"
          f" {total['exceptions']} exceptions", file=sys.stderr)
    return 0 if total["served"] == total["students"] else 1


if __name__ == "__main__":
    sys.exit(main())
