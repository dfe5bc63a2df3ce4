#!/usr/bin/env python3
"""A lecture hall opening the teacher's link: the explorer beside a hello-world app (issue #12).

Two warm servers run side by side for the whole run: the explorer (``app.py``) and the
hello-world app (``benchmarks/bare_app.py``: one number input, ``st.write``, a 2-point
``st.plotly_chart``), both reading the same ``.streamlit/config.toml`` (so the same
``runner.postScriptGC``, unless ``--gc`` overrides it for both). For each wave, first the
explorer then the hello-world app receives ``N`` students arriving evenly over ``W`` seconds
(default waves: 300 in 10 s, 1000 in 30 s). Each student connects, opens a page (the explorer:
every page of its navigation with every kind of link, as in ``_cold.plan``) and stays connected
until the last one is served; then all leave and the server is given the session TTL to drop them.

Printed per wave and app: served, first render p50 / p95 / max (arrival, i.e. the start of the
websocket connection, → ``script_finished``), server CPU per arriving session, RSS growth
per connected session, bytes of a first view; and the explorer-to-hello-world ratios.

Both servers run on uvloop when it is installed (``requirements.txt``), as Streamlit chooses;
``--event-loop asyncio`` hides it from both, for the figures without it.

Usage: ``python benchmarks/bench_arrivals.py [--waves 300:10,1000:30] [--gc config|true|false]
[--file-watcher config|auto|none] [--event-loop installed|asyncio] [--out r.json]``.
Targets: all served; p95 ≤ 150 ms (300 in 10 s) and ≤ 300 ms (1000 in 30 s); CPU per session
≤ 1.5× the hello-world app; ≤ 0.2 MB per connected session with 1000 connected.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import deep_link_paths, plan
from _common import REPO, Server, emit, exit_on_sigterm, machine, percentile, without_uvloop
from _stream import StreamSession

SESSION_TTL_S = 5  # closed sessions are dropped within the run (Streamlit's default is 120 s)


async def _arrive(base_url: str, path: str, query: str, delay: float, done: asyncio.Event, served: list) -> dict:
    await asyncio.sleep(delay)
    arrived = time.perf_counter()
    session = StreamSession(base_url, path, query, timeout=120)
    outcome: dict = {"ok": False}
    try:
        await session.connect()
        result = await session.run()
        outcome.update(ok=result.ok, ms=(time.perf_counter() - arrived) * 1000, run_ms=result.ms,
                       bytes=result.bytes, problem=(result.exceptions or [result.status])[0] if not result.ok else "")
        served.append(outcome)
        await done.wait()  # stay connected until everyone has been served
    except (OSError, ConnectionError, TimeoutError) as error:
        outcome["problem"] = f"{type(error).__name__}: {error}"
        served.append(outcome)
    finally:
        await session.close()
    return outcome


async def wave(server: Server, links: list[tuple[str, str]], window: float) -> dict:
    """``len(links)`` students arriving evenly over ``window`` s; all stay until the last is served."""
    n = len(links)
    rss0, cpu0 = server.memory_kb()["VmRSS"], server.cpu_s()
    done, served = asyncio.Event(), []
    tasks = [asyncio.create_task(_arrive(server.url, path, query, window * i / n, done, served))
             for i, (path, query) in enumerate(links)]
    deadline = time.monotonic() + window + 300
    while len(served) < n and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    cpu = server.cpu_s() - cpu0
    connected_kb = server.memory_kb()["VmRSS"]
    done.set()
    outcomes = await asyncio.wait_for(asyncio.gather(*tasks), 120)
    await asyncio.sleep(SESSION_TTL_S + 6)  # past the TTL and Streamlit's sweep of closed sessions
    ok = [o for o in outcomes if o["ok"]]
    ms = [o["ms"] for o in ok]
    run_ms = [o["run_ms"] for o in ok]
    return {
        "arrivals": n, "window_s": window, "served": len(ok),
        "problems": sorted({o.get("problem", "") for o in outcomes if not o["ok"]})[:5],
        "first_render_ms": _spread(ms),
        "run_ms": {"p50": percentile(run_ms, 50), "p95": percentile(run_ms, 95)},
        "cpu_ms_per_session": round(cpu * 1000 / n, 1),
        "rss_mb": {"before": _mb(rss0), "all_connected": _mb(connected_kb),
                   "after_left": _mb(server.memory_kb()["VmRSS"])},
        "mb_per_connected_session": round((connected_kb - rss0) / 1024 / max(len(ok), 1), 3),
        "kb_per_first_view": round(sum(o["bytes"] for o in ok) / 1024 / max(len(ok), 1), 1),
    }


async def _warm(server: Server, paths: list[str]) -> None:
    for path in paths:
        session = StreamSession(server.url, path, timeout=120)
        await session.connect()
        result = await session.run()
        await session.close()
        if not result.ok:
            raise RuntimeError(f"{server.app} {path} does not open: {result.exceptions or result.status}")
    await asyncio.sleep(SESSION_TTL_S + 6)


def _ratio(app: float | None, bare: float | None) -> float | None:
    return round(app / bare, 2) if app is not None and bare else None


async def run(args: argparse.Namespace) -> dict:
    repo = Path(args.repo)
    extra = ["--server.disconnectedSessionTTL", str(SESSION_TTL_S)]
    if args.gc != "config":
        extra += ["--runner.postScriptGC", args.gc]
    if args.file_watcher != "config":
        extra += ["--server.fileWatcherType", args.file_watcher]
    paths = deep_link_paths(repo / "app.py")
    result: dict = {"machine": machine(), "gc": args.gc, "file_watcher": args.file_watcher, "paths": paths,
                    "waves": []}
    with tempfile.TemporaryDirectory() as shadow:
        env = without_uvloop(Path(shadow)) if args.event_loop == "asyncio" else None
        with (Server(cwd=repo, extra=extra, env=env) as app,
              Server(app="benchmarks/bare_app.py", cwd=REPO, extra=extra, env=env) as bare):
            result["event_loop"] = {"app": app.event_loop(), "bare": bare.event_loop()}
            print(f"event loop: {result['event_loop']}", file=sys.stderr)
            await _waves_on(app, bare, paths, args.waves, result)
    return result


async def _waves_on(app: Server, bare: Server, paths: list[str], waves: list[tuple[int, float]],
                    result: dict) -> None:
    """Warm both servers, then send each wave to the explorer and then to hello-world."""
    await _warm(app, paths)
    await _warm(bare, ["/"])
    result["rss_mb_warm"] = {"app": _mb(app.memory_kb()["VmRSS"]), "bare": _mb(bare.memory_kb()["VmRSS"])}
    for n, window in waves:
        app_wave = await wave(app, plan(n, paths), window)
        bare_wave = await wave(bare, [("/", "")] * n, window)
        ratios = {
            "first_render_p50": _ratio(app_wave["first_render_ms"]["p50"], bare_wave["first_render_ms"]["p50"]),
            "first_render_p95": _ratio(app_wave["first_render_ms"]["p95"], bare_wave["first_render_ms"]["p95"]),
            "cpu_per_session": _ratio(app_wave["cpu_ms_per_session"], bare_wave["cpu_ms_per_session"]),
        }
        result["waves"].append({"app": app_wave, "bare": bare_wave, "ratio": ratios})
        print(f"{_line('app ', app_wave)}\n{_line('bare', bare_wave)}\n     ratios {ratios}", file=sys.stderr)
    result["rss_mb_peak"] = {"app": _mb(app.memory_kb()["VmHWM"]), "bare": _mb(bare.memory_kb()["VmHWM"])}


def _line(name: str, w: dict) -> str:
    first = w["first_render_ms"]
    return (f"{name} {w['arrivals']} in {w['window_s']:g} s: served {w['served']}, first render p50"
            f" {first['p50']} ms p95 {first['p95']} ms max {first['max']} ms,"
            f" CPU {w['cpu_ms_per_session']} ms/session, {w['mb_per_connected_session']} MB/connected session,"
            f" {w['kb_per_first_view']} KB/first view")


def _spread(ms: list[float]) -> dict:
    return {"p50": percentile(ms, 50), "p95": percentile(ms, 95), "max": round(max(ms), 1) if ms else None}


def _mb(kb: int) -> float:
    return round(kb / 1024, 1)


def _waves(text: str) -> list[tuple[int, float]]:
    waves = [(int(n), float(w)) for n, w in (item.split(":") for item in text.split(","))]
    if not all(1 <= n <= 2000 and 1 <= w <= 300 for n, w in waves):
        raise argparse.ArgumentTypeError("each wave N:W with N ≤ 2000 students and W ≤ 300 s")
    return waves


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--waves", type=_waves, default=_waves("300:10,1000:30"),
                        help="N:W,... (default 300:10,1000:30)")
    parser.add_argument("--gc", choices=["config", "true", "false"], default="config",
                        help="runner.postScriptGC for both servers (default: what .streamlit/config.toml says)")
    parser.add_argument("--file-watcher", choices=["config", "auto", "none"], default="config",
                        help="server.fileWatcherType for both servers (default: what .streamlit/config.toml says;"
                             " auto is Streamlit's own default)")
    parser.add_argument("--event-loop", choices=["installed", "asyncio"], default="installed",
                        help="asyncio: hide uvloop from both servers (default: uvloop when installed)")
    parser.add_argument("--repo", default=str(REPO), help="the explorer's directory (e.g. a snapshot of a commit)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    exit_on_sigterm()
    result = asyncio.run(run(args))
    emit(result, args.out)
    return 0 if all(w["app"]["served"] == w["app"]["arrivals"] for w in result["waves"]) else 1


if __name__ == "__main__":
    sys.exit(main())
