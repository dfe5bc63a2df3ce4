#!/usr/bin/env python3
"""Server time per rerun, for each page at the defaults, and what ``gc.freeze()`` buys.

Three measurements, all warm (the first runs of each page are not counted):

1. In-process, with Streamlit's ``AppTest``: wall time of ``at.run()`` (the whole script:
   sidebar + page, plus AppTest's own bookkeeping) and, separately, a ``gc.collect(2)``
   right after it — the collection Streamlit's real ScriptRunner does after every run
   (``runner.postScriptGC``; AppTest's runner skips it). Run twice, each in a fresh
   subprocess: as shipped (``ui/perf.py`` freezes the long-lived objects once per
   process) and with that freeze switched off.
2. A real server (``streamlit run app.py`` on loopback): one websocket session per page
   asks for ``--runs`` reruns at the defaults; a sample is send → ``script_finished``
   (script + serialisation + loopback; the client ACKs at once, see ``_stream.py``, so a
   ~40 ms TCP stall that is not the server's work stays out). Once as shipped, once with
   ``--runner.postScriptGC false`` to show what the post-run collection costs there.
3. The same for ``benchmarks/bare_app.py`` (one number_input + a 2-point chart): what a
   rerun costs in Streamlit with nothing of ours in it.

Usage: ``python benchmarks/bench_script_time.py [--runs 20] [--out result.json]``.
Prints a table and the JSON. Target: median ≤ 20 ms per rerun at the defaults.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BENCH_DIR, REPO, Server, emit, exit_on_sigterm, machine, percentile

# (URL path, page script for AppTest.switch_page); "/" runs the default page.
PAGES = [
    ("/", None),
    ("/loss-curve", "views/loss_curve.py"),
    ("/loss-surface", "views/loss_surface.py"),
]
BARE = ("bare", None)


def _summary(samples: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(samples),
        "median_ms": round(statistics.median(samples), 1) if samples else None,
        "p95_ms": percentile(samples, 95),
        "min_ms": round(min(samples), 1) if samples else None,
    }


# --- 1. in-process (child process) ---------------------------------------------------


def _in_process(freeze: bool, runs: int) -> dict[str, object]:
    """Time warm AppTest reruns of every page (and the bare app) in this process."""
    import gc

    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.testing.v1 import AppTest

    sys.path.insert(0, str(REPO))
    import ui.perf

    # A warm server (see tests/conftest.py): st.navigation has already switched off the
    # old pages/ discovery, which AppTest would otherwise reset before every run.
    original_init = PagesManager.__init__

    def warm_init(self: PagesManager, *args: object, **kwargs: object) -> None:
        PagesManager.uses_pages_directory = False
        original_init(self, *args, **kwargs)

    PagesManager.__init__ = warm_init  # type: ignore[method-assign]
    if not freeze:  # app.py imports the function on every run, so this switches the lever off
        ui.perf.freeze_long_lived_objects = lambda: None

    result: dict[str, object] = {"freeze": freeze}
    for path, script in [*PAGES, BARE]:
        app = BENCH_DIR / "bare_app.py" if path == "bare" else REPO / "app.py"
        at = AppTest.from_file(str(app), default_timeout=60)
        try:
            at.run()
            if script:
                at.switch_page(script).run()
            for _ in range(3):  # warm: caches filled, every module imported
                at.run()
        except Exception as error:  # a missing or broken page: report it, measure the rest
            result[path] = {"error": f"{type(error).__name__}: {error}"[:500]}
            continue
        if at.exception:
            result[path] = {"error": [e.message for e in at.exception][:3]}
            continue
        run_ms: list[float] = []
        gc_ms: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            at.run()
            ran = time.perf_counter()
            gc.collect(2)  # what Streamlit's ScriptRunner does after every run (AppTest's runner does not)
            run_ms.append((ran - start) * 1000)
            gc_ms.append((time.perf_counter() - ran) * 1000)
        result[path] = {
            "rerun": _summary(run_ms),
            "post_run_gc": _summary(gc_ms),
            "rerun_with_gc": _summary([a + b for a, b in zip(run_ms, gc_ms, strict=True)]),
            "elements": len(list(at.main)) + len(list(at.sidebar)),
        }
    result["tracked_objects"] = len(gc.get_objects())
    result["frozen_objects"] = gc.get_freeze_count()
    return result


def _child_json(freeze: bool, runs: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", "freeze" if freeze else "nofreeze", "--runs", str(runs)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=900, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": (done.stderr or done.stdout)[-2000:]}
    return json.loads(lines[-1])


# --- 2./3. a real server over the websocket -------------------------------------------


async def _server_reruns(base_url: str, paths: list[str], runs: int) -> dict[str, object]:
    from _stream import StreamSession

    out: dict[str, object] = {}
    for path in paths:
        session = StreamSession(base_url, path, quickack=True)
        await session.connect()
        try:
            first = await session.run()
            if not first.ok:
                out[path] = {"error": first.exceptions[:3] or first.status}
                continue
            for _ in range(3):
                await session.run()
            samples, sizes = [], []
            for _ in range(runs):
                rerun = await session.run()
                samples.append(rerun.ms)
                sizes.append(rerun.bytes)
            out[path] = {**_summary(samples), "kib_per_rerun": round(statistics.median(sizes) / 1024, 1)}
        finally:
            await session.close()
    return out


def _server(app: str, paths: list[str], runs: int, extra: list[str] | None = None) -> dict[str, object]:
    with Server(app, extra=extra) as server:
        return asyncio.run(_server_reruns(server.url, paths, runs))


# --- report ---------------------------------------------------------------------------


def _table(result: dict[str, object]) -> str:
    rows = [f"{'page':14s} {'AppTest run':>12s} {'post-run gc':>12s} {'no freeze run':>14s} {'no freeze gc':>13s}"
            f" {'server':>8s} {'server no gc':>13s}"]
    frozen, thawed = result["in_process_freeze"], result["in_process_no_freeze"]
    server, no_gc = result["server"], result["server_no_post_gc"]

    def cell(block: object, *keys: str) -> str:
        value: object = block
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        return "-" if value is None else f"{value}"

    for path, _ in [*PAGES, BARE]:
        server_key = "/" if path == "bare" else path
        srv = result["bare_server"] if path == "bare" else server
        srv_no_gc = result["bare_server_no_post_gc"] if path == "bare" else no_gc
        rows.append(
            f"{path:14s} {cell(frozen, path, 'rerun', 'median_ms'):>12s}"
            f" {cell(frozen, path, 'post_run_gc', 'median_ms'):>12s}"
            f" {cell(thawed, path, 'rerun', 'median_ms'):>14s} {cell(thawed, path, 'post_run_gc', 'median_ms'):>13s}"
            f" {cell(srv, server_key, 'median_ms'):>8s} {cell(srv_no_gc, server_key, 'median_ms'):>13s}"
        )
    return "medians in ms\n" + "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="timed reruns per page (default 20)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    parser.add_argument("--child", choices=["freeze", "nofreeze"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_in_process(args.child == "freeze", args.runs)))
        return 0
    exit_on_sigterm()

    paths = [path for path, _ in PAGES]
    result: dict[str, object] = {"machine": machine(), "runs": args.runs}
    result["in_process_freeze"] = _child_json(True, args.runs)
    result["in_process_no_freeze"] = _child_json(False, args.runs)
    result["server"] = _server("app.py", paths, args.runs)
    result["server_no_post_gc"] = _server("app.py", paths, args.runs, ["--runner.postScriptGC", "false"])
    bare = str(Path("benchmarks") / "bare_app.py")
    result["bare_server"] = _server(bare, ["/"], args.runs)
    result["bare_server_no_post_gc"] = _server(bare, ["/"], args.runs, ["--runner.postScriptGC", "false"])
    emit(result, args.out)
    print(_table(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
