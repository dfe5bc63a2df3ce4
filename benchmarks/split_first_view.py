#!/usr/bin/env python3
"""Whose CPU a first view is: the app's own Python, Streamlit's element calls, or the event loop.

Issue #12 compares a student's first view with hello-world's. A sampling profile
(``profile_first_view.py``) says where threads are, but a script thread waiting for the GIL
looks busy there. This script counts CPU instead: it runs ``streamlit run APP`` in a child
process in which every Streamlit call the script makes (``st.*``, ``DeltaGenerator`` methods,
``st.session_state`` and ``st.query_params`` operations; the outermost call only) and every
script run are timed with ``time.thread_time()``, the CPU of the calling thread. The parent opens
``--views`` first views of each path one after another (a new websocket session each, as a
student arriving), after a warm-up, and reads the process's CPU from /proc around them.

Printed per first view: the process's CPU; the script thread's CPU, split into Streamlit calls
(by name, with how many a view makes) and the rest (the app's own code plus Streamlit's run
set-up, which hello-world pays too); and the remainder, the event loop's thread (connecting,
sending each message). Run it on ``benchmarks/bare_app.py`` too (``--app``) for hello-world's.

Usage: ``python benchmarks/split_first_view.py [--app app.py] [--paths /] [--views 100] [--top 25]``.
The timers add ~1 µs per call; compare runs of this script, not its totals with other benchmarks'.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import functools
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

SPECIAL = {"__getitem__", "__setitem__", "__contains__", "__iter__", "__delitem__", "__len__"}
NOT_CALLS = {"session_state", "query_params", "sidebar", "secrets", "context", "cache_data", "cache_resource",
             "fragment", "dialog", "column_config"}


def _child(out: str, streamlit_args: list[str]) -> None:
    """Run Streamlit with timers on its script API and on each script run; dump them on SIGUSR2."""
    import streamlit as st
    from streamlit.delta_generator import DeltaGenerator
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.runtime.state.query_params_proxy import QueryParamsProxy
    from streamlit.runtime.state.session_state_proxy import SessionStateProxy

    spent: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()
    runs = {"cpu": 0.0, "count": 0}
    inside = threading.local()

    def timed(name: str, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            if getattr(inside, "on", False):  # a call made by another Streamlit call is already counted
                return func(*args, **kwargs)
            inside.on, start = True, time.thread_time()
            try:
                return func(*args, **kwargs)
            finally:
                spent[name] += time.thread_time() - start
                calls[name] += 1
                inside.on = False
        return wrapper

    for cls, prefix in ((DeltaGenerator, "st."), (SessionStateProxy, "state."), (QueryParamsProxy, "query.")):
        names = {name for base in cls.__mro__[:-1] for name in vars(base)
                 if not name.startswith("_") or name in SPECIAL}
        for name in names:
            attribute = getattr(cls, name, None)
            if callable(attribute) and not isinstance(attribute, type | property):
                setattr(cls, name, timed(prefix + name, attribute))
    for name in dir(st):  # st.markdown and friends are bound to the main DeltaGenerator at import
        attribute = getattr(st, name)
        if name.startswith("_") or name in NOT_CALLS or isinstance(attribute, type):
            continue
        if callable(attribute):
            setattr(st, name, timed("st." + name, attribute))

    run_script = script_runner.ScriptRunner._run_script

    def counted_run(self, *args, **kwargs):
        start = time.thread_time()
        try:
            return run_script(self, *args, **kwargs)
        finally:
            runs["cpu"] += time.thread_time() - start
            runs["count"] += 1

    script_runner.ScriptRunner._run_script = counted_run

    def dump(*_args: object) -> None:
        Path(out).write_text(json.dumps({"runs": runs, "spent": spent, "calls": calls}))

    def reset(*_args: object) -> None:
        spent.clear()
        calls.clear()
        runs.update(cpu=0.0, count=0)

    signal.signal(signal.SIGUSR2, dump)  # Streamlit keeps SIGTERM for itself
    signal.signal(signal.SIGUSR1, reset)
    from streamlit.web import cli

    sys.argv = ["streamlit", *streamlit_args]
    cli.main()


def _process_cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _views(url: str, path: str, count: int) -> None:
    from _stream import first_view

    for _ in range(count):
        await first_view(url, path)


async def _with_student(url: str, path: str, warm: int, views: int, between) -> None:
    """One student stays connected (as in a class); the first views come and go around it."""
    from _stream import StreamSession

    student = StreamSession(url, "/", timeout=120)
    await student.connect()
    await student.run()
    await _views(url, path, warm)
    between()
    await _views(url, path, views)
    await asyncio.sleep(0.5)  # the last sessions' clean-up lands in the block
    await student.close()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], sys.argv[3:])
        return 0
    from _common import REPO, free_port, wait_healthy

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--app", default="app.py", help="the script, relative to the repository (default app.py)")
    parser.add_argument("--paths", nargs="*", default=["/"])
    parser.add_argument("--views", type=int, default=100)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    if not 1 <= args.views <= 2000:
        parser.error("--views from 1 to 2000")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out = tempfile.NamedTemporaryFile(suffix=".json", delete=False).name  # noqa: SIM115 - read after the dump
    flags = ["run", args.app, "--server.headless", "true", "--server.port", str(port), "--server.address",
             "127.0.0.1", "--browser.gatherUsageStats", "false"]
    child = subprocess.Popen([sys.executable, __file__, "--child", out, *flags], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    try:
        wait_healthy(url)
        start: list[float] = []

        def between() -> None:
            """The warm-up is over: reset the child's timers and read its CPU."""
            child.send_signal(signal.SIGUSR1)
            time.sleep(0.3)
            start.append(_process_cpu_s(child.pid))

        for path in args.paths:
            Path(out).write_text("")
            asyncio.run(_with_student(url, path, 15, args.views, between))
            process_ms = (_process_cpu_s(child.pid) - start[-1]) * 1000 / args.views
            child.send_signal(signal.SIGUSR2)
            for _ in range(100):
                if Path(out).stat().st_size:
                    break
                time.sleep(0.1)
            _report(args, path, process_ms, json.loads(Path(out).read_text()))
    finally:
        child.send_signal(signal.SIGTERM)
        child.wait(30)
        os.unlink(out)
    return 0


def _report(args: argparse.Namespace, path: str, process_ms: float, profile: dict) -> None:
    runs = profile["runs"]["count"] or 1  # the connected student's first run was before the reset
    script_ms = profile["runs"]["cpu"] * 1000 / runs
    streamlit_ms = sum(profile["spent"].values()) * 1000 / runs
    print(f"{args.app} {path}: {profile['runs']['count']} first views")
    print(f"  process CPU per first view      {process_ms:6.2f} ms")
    print(f"  script thread                   {script_ms:6.2f} ms")
    print(f"    in Streamlit calls            {streamlit_ms:6.2f} ms")
    print(f"    the rest (app code, run set-up) {script_ms - streamlit_ms:5.2f} ms")
    print(f"  event loop and other threads    {process_ms - script_ms:6.2f} ms")
    ranked = sorted(profile["spent"].items(), key=lambda item: -item[1])
    for name, seconds in ranked[: args.top]:
        print(f"    {seconds * 1000 / runs:6.3f} ms  {profile['calls'][name] / runs:5.1f}×  {name}")


if __name__ == "__main__":
    sys.exit(main())
