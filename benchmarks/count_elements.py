#!/usr/bin/env python3
"""What a first view sends, message by message: the per-element side of a session's CPU (issue #12).

Every element a script draws is a protobuf ``ForwardMsg`` of its own, built, hashed, queued
and sent as one websocket frame; under a class's arrival wave that per-element work is most
of a first view's server time (``profile_first_view.py``). This script starts the app on a
free loopback port, opens each page once (``_stream.StreamSession``, no browser) and prints
how many messages its first view took and what they were: by container (main page, sidebar),
by element type, and the bytes. ``--list`` prints every message, to see which ones a student
never needed as a separate element.

With ``--repeat N`` it also opens each page N more times, one after another, and divides the
server's CPU time by N: CPU per first view without a queue, comparable across runs on a busy
machine (compare with ``--app benchmarks/bare_app.py`` in the same minutes).

Usage: ``python benchmarks/count_elements.py [--paths / /loss-curve] [--query 'lr=0.3'] [--list]
[--repeat 40] [--app benchmarks/bare_app.py]``. Prints JSON (the counts) and a table on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _cold import deep_link_paths
from _common import REPO, Server, emit, exit_on_sigterm, machine
from _stream import StreamSession
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

CONTAINERS = {0: "main", 1: "sidebar", 2: "event", 3: "bottom"}


def describe(data: bytes) -> tuple[str, str, str]:
    """(container, kind, a short label) of one forward message."""
    forward = ForwardMsg.FromString(data)
    kind = forward.WhichOneof("type")
    if kind != "delta":
        return "-", kind or "?", ""
    path = list(forward.metadata.delta_path)
    container = CONTAINERS.get(path[0], str(path[0])) if path else "?"
    delta = forward.delta
    which = delta.WhichOneof("type")
    if which == "new_element":
        element_kind = delta.new_element.WhichOneof("type")
        element = getattr(delta.new_element, element_kind)
        text = getattr(element, "body", "") or getattr(element, "label", "")
        return container, element_kind, str(text)[:70].replace("\n", " ")
    if which == "add_block":
        block_kind = delta.add_block.WhichOneof("type") or "vertical"
        return container, f"block:{block_kind}", ""
    return container, which or "?", ""


async def first_view(url: str, path: str, query: str) -> list[tuple[int, tuple[str, str, str]]]:
    """The messages of one page's first view, as (bytes, description)."""
    session = StreamSession(url, path, query, timeout=60)
    await session.connect()
    seen: list[tuple[int, tuple[str, str, str]]] = []
    recv = session._ws.recv

    async def recording_recv(*args, **kwargs):
        data = await recv(*args, **kwargs)
        raw = data if isinstance(data, bytes) else data.encode()
        seen.append((len(raw), describe(raw)))
        return data

    session._ws.recv = recording_recv
    result = await session.run()
    await session.close()
    if not result.ok:
        raise RuntimeError(f"{path}?{query} did not open: {result.exceptions or result.status}")
    return seen


async def cpu_per_first_view(server: Server, path: str, query: str, repeat: int) -> float:
    """Server CPU (user + system) per first view, the views one after another: no queueing in it.

    CPU time is spent, not waited, so it holds up on a busy machine where wall-clock times do not.
    """
    # One student stays connected throughout, as in a class: with nobody connected Streamlit
    # empties its cache of compiled scripts, and every view would pay for compiling them again.
    present = StreamSession(server.url, path, query, timeout=60)
    await present.connect()
    await present.run()
    cpu0 = server.cpu_s()
    for _ in range(repeat):
        session = StreamSession(server.url, path, query, timeout=60)
        await session.connect()
        await session.run()
        await session.close()
    cpu = server.cpu_s() - cpu0
    await present.close()
    return round(cpu * 1000 / repeat, 2)


def summary(messages: list[tuple[int, tuple[str, str, str]]]) -> dict:
    by_container = collections.Counter(container for _, (container, _, _) in messages)
    by_kind = collections.Counter(kind for _, (_, kind, _) in messages)
    return {"messages": len(messages), "kb": round(sum(size for size, _ in messages) / 1024, 1),
            "by_container": dict(by_container.most_common()), "by_kind": dict(by_kind.most_common())}


async def run(args: argparse.Namespace) -> dict:
    result: dict = {"machine": machine(), "app": args.app, "query": args.query, "pages": {}}
    with Server(app=args.app, cwd=Path(args.repo)) as server:
        paths = args.paths or (deep_link_paths(Path(args.repo) / "app.py") if args.app == "app.py" else ["/"])
        for path in paths:
            await first_view(server.url, path, args.query)  # warm the caches: a class's later arrivals
            time.sleep(0.2)
            messages = await first_view(server.url, path, args.query)
            result["pages"][path] = line = summary(messages)
            if args.repeat:
                line["cpu_ms_per_first_view"] = await cpu_per_first_view(server, path, args.query, args.repeat)
            print(f"{path:18} {line['messages']:4d} messages {line['kb']:7.1f} KB"
                  f"  CPU {line.get('cpu_ms_per_first_view', '-')} ms  {line['by_container']}", file=sys.stderr)
            if args.list:
                for size, (container, kind, label) in messages:
                    print(f"    {size:7d} B  {container:8} {kind:22} {label}", file=sys.stderr)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paths", nargs="*", help="URL paths (default: every page of the navigation)")
    parser.add_argument("--query", default="", help="the link's query string, e.g. 'lr=0.3&steps=7'")
    parser.add_argument("--list", action="store_true", help="print every message")
    parser.add_argument("--repeat", type=int, default=0,
                        help="also measure server CPU per first view over this many views per page (e.g. 40)")
    parser.add_argument("--app", default="app.py")
    parser.add_argument("--repo", default=str(REPO))
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    exit_on_sigterm()
    emit(asyncio.run(run(args)), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
