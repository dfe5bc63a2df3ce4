#!/usr/bin/env python3
"""Where a first view's server time goes under load: a sampling profile of every server thread.

``cProfile`` sees one thread; a Streamlit server runs each session's script in its own thread
and serialises and sends the messages on the event loop's. This script starts
``streamlit run APP`` in a child process wrapped by a sampler (``--child``): a thread that reads
``sys._current_frames()`` every ``--interval`` ms and counts, for every thread that is working
(its innermost frame is not a wait, a ``select`` or a lock), each function on its stack
(inclusive) and the innermost one (self). The parent then sends a wave of first views
(``--arrivals`` students over ``--window`` s, the same links as ``bench_arrivals.py``), stops
the child and prints the functions with the largest share of the samples.

Usage: ``python benchmarks/profile_first_view.py [--arrivals 200 --window 10] [--top 40]``.
A sampling profile is approximate (a thread is seen where it last released the GIL); read
shares, not milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

EVENT_LOOP_IDLE = {"select", "_run_once", "run_forever", "run_until_complete", "run"}


def _working(frame, main_thread: bool) -> bool:
    """Is this thread doing a session's work: running a script, or the event loop handling a message?

    A thread blocked in C (a sleep, a lock, ``select``) still shows its last Python frame, so
    idleness is told by where the thread is: script threads count inside ``_run_script``, the
    event loop's thread counts unless its innermost frame is the loop waiting for events.
    """
    if main_thread:
        return frame.f_code.co_name not in EVENT_LOOP_IDLE
    while frame is not None:
        if frame.f_code.co_name == "_run_script":
            return True
        frame = frame.f_back
    return False


def _child(out: str, interval_ms: float, streamlit_args: list[str]) -> None:
    """Run Streamlit with a sampler thread; write the counts to ``out`` at exit."""
    inclusive: collections.Counter[str] = collections.Counter()
    self_counts: collections.Counter[str] = collections.Counter()
    totals = {"samples": 0, "working": 0}
    me, main_ident = threading.get_ident(), threading.main_thread().ident

    def sample() -> None:
        while True:
            time.sleep(interval_ms / 1000)
            totals["samples"] += 1
            for ident, frame in sys._current_frames().items():
                if ident == me or not _working(frame, ident == main_ident):
                    continue
                totals["working"] += 1
                seen = set()
                leaf = True
                while frame is not None:
                    code = frame.f_code
                    name = f"{_short(code.co_filename)}:{code.co_name}"
                    if leaf:
                        self_counts[name] += 1
                        leaf = False
                    if name not in seen:
                        inclusive[name] += 1
                        seen.add(name)
                    frame = frame.f_back

    def dump(*_args: object) -> None:
        Path(out).write_text(json.dumps({"totals": totals, "inclusive": inclusive.most_common(300),
                                         "self": self_counts.most_common(300)}))

    def reset(*_args: object) -> None:
        inclusive.clear()
        self_counts.clear()
        totals.update(samples=0, working=0)

    signal.signal(signal.SIGUSR2, dump)  # Streamlit keeps SIGTERM for itself
    signal.signal(signal.SIGUSR1, reset)  # the parent's warm-up is over
    threading.Thread(target=sample, daemon=True, name="sampler").start()
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


def _short(filename: str) -> str:
    for marker in ("site-packages/", "/work/main/", "/lib/python3"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


async def _wave(url: str, links: list[tuple[str, str]], window: float) -> list:
    from bench_arrivals import _arrive

    done, served = asyncio.Event(), []
    tasks = [asyncio.create_task(_arrive(url, path, query, window * i / len(links), done, served))
             for i, (path, query) in enumerate(links)]
    while len(served) < len(links):
        await asyncio.sleep(0.1)
    done.set()
    return list(await asyncio.gather(*tasks))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], float(sys.argv[3]), sys.argv[4:])
        return 0
    from _cold import deep_link_paths, plan
    from _common import REPO, free_port, wait_healthy

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--arrivals", type=int, default=200)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--interval", type=float, default=1.0, help="ms between samples (default 1)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--app", default="app.py")
    parser.add_argument("--repo", default=str(REPO))
    parser.add_argument("--gc", choices=["config", "true", "false"], default="config")
    args = parser.parse_args()
    if not 1 <= args.arrivals <= 2000:
        parser.error("arrivals ≤ 2000")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name  # noqa: SIM115 - read after the child exits
    flags = ["run", args.app, "--server.headless", "true", "--server.port", str(port), "--server.address",
             "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if args.gc != "config":
        flags += ["--runner.postScriptGC", args.gc]
    child = subprocess.Popen([sys.executable, __file__, "--child", out, str(args.interval), *flags], cwd=args.repo,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        wait_healthy(url)
        paths = deep_link_paths(Path(args.repo) / "app.py") if args.app == "app.py" else ["/"]
        asyncio.run(_wave(url, [(p, "") for p in paths], 1.0))  # warm: every page once
        time.sleep(6)
        child.send_signal(signal.SIGUSR1)
        outcomes = asyncio.run(_wave(url, plan(args.arrivals, paths) if args.app == "app.py"
                                     else [("/", "")] * args.arrivals, args.window))
        child.send_signal(signal.SIGUSR2)
        for _ in range(100):
            if Path(out).stat().st_size:
                break
            time.sleep(0.1)
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(30)
    profile = json.loads(Path(out).read_text())
    os.unlink(out)
    working = profile["totals"]["working"] or 1
    print(f"{sum(o['ok'] for o in outcomes)}/{len(outcomes)} served; {profile['totals']['working']} working-thread "
          f"samples over {profile['totals']['samples']} ticks")
    print("\ninclusive share (function on the stack):")
    for name, count in profile["inclusive"][: args.top]:
        print(f"  {100 * count / working:5.1f} %  {name}")
    print("\nself share (innermost function):")
    for name, count in profile["self"][: args.top // 2]:
        print(f"  {100 * count / working:5.1f} %  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
