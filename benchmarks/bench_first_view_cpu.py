#!/usr/bin/env python3
"""Server CPU per first view, two versions of the app side by side with hello-world (issue #12).

An arrival wave's cost is the server's CPU per arriving student (``bench_arrivals.py``); on a
machine shared with other work the wave's latencies say little, and even CPU per session moves
by ±30 % between runs as the load changes. This script compares versions under the same load:
it starts one server per ``--repo`` (e.g. a snapshot of the commit before a change, and the
working tree) plus ``benchmarks/bare_app.py``, keeps one student connected to each (as in a class;
with nobody connected Streamlit drops its compiled scripts), and then opens first views in turn —
version A, version B, …, hello-world, again and again — each a new websocket session that connects,
runs its first script and leaves. Each server's CPU time (user + system, from /proc) over a page's
block of views, divided by the views, is its CPU per first view of that page; hello-world's is
measured in every block and pooled.

Usage: ``python benchmarks/bench_first_view_cpu.py --repo /tmp/before --repo . [--views 40]
[--paths / /loss-curve] [--out r.json]``. Prints JSON and a table on stderr (ms per first view,
messages, KB, and the ratio to hello-world).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import deep_link_paths
from _common import REPO, Server, emit, exit_on_sigterm, machine
from _stream import StreamSession, first_view


async def _view(server: Server, path: str) -> tuple[int, int]:
    """One student's first view: (messages, bytes); raises if the page did not open cleanly."""
    result = await first_view(server.url, path)
    return result.messages, result.bytes


async def run(args: argparse.Namespace) -> dict:
    repos = [Path(repo).resolve() for repo in args.repo]
    paths = args.paths or deep_link_paths(repos[0] / "app.py")
    result: dict = {"machine": machine(), "repos": [str(repo) for repo in repos], "views": args.views, "pages": {}}
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(cwd=repo)) for repo in repos]
        bare = stack.enter_context(Server(app="benchmarks/bare_app.py", cwd=REPO))
        present = []
        for server in [*servers, bare]:
            student = StreamSession(server.url, "/", timeout=120)
            await student.connect()
            await student.run()
            present.append(student)
        bare_cpu, bare_views = 0.0, 0
        for path in paths:
            shape = {}
            for server in servers:  # warm: each page's first visit imports and caches what it needs
                shape[server] = await _view(server, path)
            await _view(bare, "/")
            start = {server: server.cpu_s() for server in [*servers, bare]}  # keyed by server: two may share a cwd
            for _ in range(args.views):
                for server in servers:
                    await _view(server, path)
                await _view(bare, "/")
            await asyncio.sleep(0.5)  # let the last sessions' clean-up land in this block
            page = {}
            for server in servers:
                cpu_ms = (server.cpu_s() - start[server]) * 1000 / args.views
                messages, size = shape[server]
                page[str(server.cwd)] = {"cpu_ms": round(cpu_ms, 2), "messages": messages, "kb": round(size / 1024, 1)}
            bare_cpu += bare.cpu_s() - start[bare]
            bare_views += args.views
            result["pages"][path] = page
        for student in present:
            await student.close()
    result["bare_cpu_ms"] = round(bare_cpu * 1000 / bare_views, 2)
    result["machine"]["load_avg_after"] = machine()["load_avg"]
    for path, page in result["pages"].items():
        for repo, line in page.items():
            line["ratio_to_bare"] = round(line["cpu_ms"] / result["bare_cpu_ms"], 2)
            print(f"{path:18} {line['cpu_ms']:6.2f} ms  ×{line['ratio_to_bare']:<5} {line['messages']:4d} messages"
                  f" {line['kb']:6.1f} KB  {repo}", file=sys.stderr)
    print(f"hello-world {result['bare_cpu_ms']} ms per first view", file=sys.stderr)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", action="append", help="an app directory (repeat to compare; default: this one)")
    parser.add_argument("--views", type=int, default=40, help="first views per page and version (default 40)")
    parser.add_argument("--paths", nargs="*", help="URL paths (default: every page of the first repo's navigation)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    args.repo = args.repo or [str(REPO)]
    if not 1 <= args.views <= 1000:
        parser.error("--views from 1 to 1000")
    exit_on_sigterm()
    emit(asyncio.run(run(args)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
