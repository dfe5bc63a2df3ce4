#!/usr/bin/env python3
"""A lecture hall through nginx: 1 and 2 replicas beside one direct process, then a replica crash (#17).

Three stacks run side by side for the whole run, all reading the same ``.streamlit/config.toml``:
``direct`` (one ``streamlit run app.py``, no proxy, as bench_arrivals.py measures it),
``nginx-1`` and ``nginx-2`` (``deploy/run-local --replicas 1`` and ``--replicas 2``). For each
wave (default 300 students within 10 s, then 1000 within 30 s) the three receive the same
class one after the other, through ``bench_arrivals.wave`` (#12's arrival wave: every page with
every kind of link, students stay connected until the last is served). Reported per stack:
served, first render p50 / p95 (arrival → ``script_finished``), CPU ms per session for each
replica and for nginx, and each figure's ratio to ``direct`` measured minutes apart in the same
run — the machine is shared, so the ratios say more than the milliseconds.

Then the fault run on ``nginx-2``: ``--fault-students`` (30) students on every page, each
changing the learning rate every 5 ± 1 s and the step-table students downloading its CSV
(mid-class, as students do); one replica is killed with SIGKILL; reported: how many lost their
replica, how long until each was back on the live one with the same experiment, exception
boxes, downloads before and after (``benchmarks/_failover.py``).

Loopback only, every loop bounded; every stack is stopped by its own PID at the end.
Usage: ``python benchmarks/bench_replicas.py [--waves 300:10,1000:30] [--fault-students 30] [--out r.json]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _balancer import RunLocal, proc_cpu_s
from _cold import deep_link_paths, plan
from _common import REPO, Server, emit, exit_on_sigterm, machine
from _failover import class_with_failover
from _stream import StreamSession
from bench_arrivals import SESSION_TTL_S, _waves, wave


class Stack:
    """What ``bench_arrivals.wave`` needs of a server (url, cpu_s, memory_kb), for any stack."""

    def __init__(self, name: str, url: str, replica_pids: list[int], replica_urls: list[str],
                 nginx_pid: int | None) -> None:
        self.name, self.app, self.url = name, name, url
        self.replica_pids, self.replica_urls, self.nginx_pid = replica_pids, replica_urls, nginx_pid

    def cpu_s(self) -> float:
        return sum(proc_cpu_s(pid) for pid in self.replica_pids)

    def memory_kb(self) -> dict[str, int]:
        return {key: sum(_status_kb(pid, key) for pid in self.replica_pids) for key in ("VmRSS", "VmHWM")}

    def each_cpu_s(self) -> list[float]:
        nginx = [_tree_cpu_s(self.nginx_pid)] if self.nginx_pid else []
        return [proc_cpu_s(pid) for pid in self.replica_pids] + nginx


def _tree_cpu_s(pid: int) -> float:
    """CPU of nginx's master and its workers (the workers do the proxying)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return proc_cpu_s(pid) + sum(proc_cpu_s(int(child)) for child in children)


def _client_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return 0


async def _warm(stack: Stack, paths: list[str]) -> None:
    """Every page once on every replica, straight to its port (nginx would pick one at random)."""
    for url in stack.replica_urls:
        for path in paths:
            session = StreamSession(url, path, timeout=120)
            await session.connect()
            result = await session.run()
            await session.close()
            if not result.ok:
                raise RuntimeError(f"{stack.name} {url}{path} does not open: {result.exceptions or result.status}")
    await asyncio.sleep(SESSION_TTL_S + 6)


async def _measured_wave(stack: Stack, links: list[tuple[str, str]], window: float) -> dict:
    """``wave`` plus each process's CPU, from the first arrival until the closed sessions are dropped."""
    before, client_before = stack.each_cpu_s(), _client_cpu_s()
    result = await wave(stack, links, window)
    spent = [after - b for after, b in zip(stack.each_cpu_s(), before, strict=True)]
    n = len(links)
    # The simulated class is one Python process too: when it is as busy as the servers, the
    # figures measure the shared machine more than the stack.
    result["client_cpu_ms_per_session"] = round((_client_cpu_s() - client_before) * 1000 / n, 1)
    result["cpu_ms_per_session_by_replica"] = [round(s * 1000 / n, 1) for s in spent[:len(stack.replica_pids)]]
    if stack.nginx_pid:
        result["nginx_cpu_ms_per_session"] = round(spent[-1] * 1000 / n, 2)
    return result


def _ratio(value: float | None, direct: float | None) -> float | None:
    return round(value / direct, 2) if value is not None and direct else None


async def run(args: argparse.Namespace) -> dict:
    paths = deep_link_paths(REPO / "app.py")
    ttl_env = {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(SESSION_TTL_S)}
    result: dict = {"machine": machine(), "paths": paths, "waves": []}
    with (Server(extra=["--server.disconnectedSessionTTL", str(SESSION_TTL_S)]) as direct,
          RunLocal(1, env=ttl_env) as one, RunLocal(2, env=ttl_env) as two):
        stacks = [Stack("direct", direct.url, [direct.pid], [direct.url], None)]
        for name, local in (("nginx-1", one), ("nginx-2", two)):
            stacks.append(Stack(name, local.url, local.replica_pids,
                                [f"http://127.0.0.1:{r['port']}" for r in local.info["replicas"]],
                                local.info["nginx_pid"]))
        for stack in stacks:
            await _warm(stack, paths)
        for index, (n, window) in enumerate(args.waves):
            row: dict = {"arrivals": n, "window_s": window}
            # Each wave in another order, so no stack always goes first (or right after a wave).
            for stack in stacks[index % 3:] + stacks[:index % 3]:
                row[stack.name] = await _measured_wave(stack, plan(n, paths), window)
                print(_line(stack.name, row[stack.name]), file=sys.stderr, flush=True)
            base = row["direct"]
            row["ratio_to_direct"] = {
                name: {
                    "first_render_p50": _ratio(row[name]["first_render_ms"]["p50"], base["first_render_ms"]["p50"]),
                    "first_render_p95": _ratio(row[name]["first_render_ms"]["p95"], base["first_render_ms"]["p95"]),
                    "cpu_per_session": _ratio(row[name]["cpu_ms_per_session"], base["cpu_ms_per_session"]),
                }
                for name in ("nginx-1", "nginx-2")
            }
            print(f"     ratios to direct {row['ratio_to_direct']}", file=sys.stderr, flush=True)
            result["waves"].append(row)
        if args.fault_students:
            _, fault = await class_with_failover(two, args.fault_students, interval=5.0, kill_after=20.0,
                                                 after_kill=30.0)
            result["fault"] = fault
            print(f"fault: {json.dumps(fault)}", file=sys.stderr, flush=True)
    return result


def _line(name: str, w: dict) -> str:
    line = (f"{name:8} {w['arrivals']} in {w['window_s']:g} s: served {w['served']}, first render p50"
            f" {w['first_render_ms']['p50']} ms p95 {w['first_render_ms']['p95']} ms, CPU ms/session by replica"
            f" {w['cpu_ms_per_session_by_replica']}, client {w['client_cpu_ms_per_session']} ms/session")
    return line + (f", nginx {w['nginx_cpu_ms_per_session']} ms/session" if "nginx_cpu_ms_per_session" in w else "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waves", type=_waves, default=_waves("300:10,1000:30"),
                        help="N:W,... (default 300:10,1000:30)")
    parser.add_argument("--fault-students", type=int, default=30, help="students in the fault run (0: no fault run)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    if not 0 <= args.fault_students <= 200:
        parser.error("keep the fault run bounded: at most 200 students")
    exit_on_sigterm()
    result = asyncio.run(run(args))
    emit(result, args.out)
    served = all(row[name]["served"] == row["arrivals"] for row in result["waves"]
                 for name in ("direct", "nginx-1", "nginx-2"))
    fault = result.get("fault", {"recovered": 0, "dropped": 0})
    return 0 if served and fault["recovered"] == fault["dropped"] else 1


if __name__ == "__main__":
    sys.exit(main())
