#!/usr/bin/env python3
"""What one element of each kind adds to a first view's server CPU (issue #12's ratio to hello-world).

Issue #12 asks that a student's first view cost the server at most 1.5× what hello-world's does
(one number input, one line of text, a 2-point chart). This script measures the price list that
target is spent from: for each kind of element the explorer draws, a copy of
``benchmarks/bare_app.py`` with ``--copies`` more elements of that kind is started as its own
server, and ``bench_first_view_cpu.run`` opens first views of all of them in turn, interleaved,
under the same load. (CPU with K extra elements − CPU of hello-world) / K is what one element of
that kind costs the server per first view: building it in the script's thread, serialising and
hashing its message, and sending it on the event loop's.

Usage: ``python benchmarks/bench_element_cost.py [--copies 20] [--views 40] [--out r.json]``.
Prints JSON and a table on stderr (µs per element and kind, the hello-world baseline in ms).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_first_view_cpu
from _common import BENCH_DIR, REPO, emit, exit_on_sigterm

# One element of each kind the explorer's pages draw, as a line of the padded app (``i`` counts).
# The style sheet is the size of the explorer's own (ui/accessibility.py: ~9 KB, with a script).
KINDS: dict[str, str] = {
    "markdown": 'st.markdown(f"A paragraph about the **loss** and its gradient, number {i}.")',
    "caption": 'st.caption(f"A caption under a control, number {i}.")',
    "subheader": 'st.subheader(f"Heading {i}", anchor=False)',
    "sidebar number_input": (
        'st.sidebar.number_input(f"Value {i}", min_value=-1e6, max_value=1e6, value=1.0, step=0.01, '
        'format="%g", key=f"n{i}")'
    ),
    "button": 'st.button(f"Button {i}", key=f"b{i}")',
    "download_button": (
        'st.download_button(f"File {i}", "a,b\\n1,2\\n" * 50, file_name="rows.csv", mime="text/csv", '
        'on_click="ignore", key=f"d{i}")'
    ),
    "toggle": 'st.toggle(f"Switch {i}", key=f"t{i}")',
    "expander (closed)": 'st.expander(f"More {i}", key=f"e{i}", on_change="rerun")',
    "slider": 'st.slider(f"Step {i}", 0, 20, 3, key=f"s{i}")',
    "code": 'st.code("for step in range(5):\\n    a -= lr * grad_a\\n" * 3, language="python")',
    "html, 9 KB sheet + script": (
        'st.html("<style>" + ".gd-x{color:#123456}\\n" * 450 + "</style><script>let i = 0;</script>", '
        "unsafe_allow_javascript=True)"
    ),
}


def _padded_app(folder: Path, line: str, copies: int) -> None:
    """hello-world plus ``copies`` of one element, run from its own folder with the repo's config."""
    source = (BENCH_DIR / "bare_app.py").read_text()
    padding = f"\nfor i in range({copies}):\n    {line}\n"
    head, freeze, tail = source.rpartition("\ngc.freeze()")  # the last line (the docstring names it too)
    if not freeze:
        raise SystemExit("bare_app.py changed: no gc.freeze() line to pad before")
    folder.mkdir(parents=True)
    (folder / "app.py").write_text(head + padding + freeze + tail)
    shutil.copytree(REPO / ".streamlit", folder / ".streamlit")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=20, help="extra elements per padded app (default 20)")
    parser.add_argument("--views", type=int, default=40, help="first views per app (default 40)")
    parser.add_argument("--kinds", nargs="*", choices=sorted(KINDS), help="only these kinds (default: all)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    if not 1 <= args.copies <= 200:
        parser.error("--copies from 1 to 200")
    exit_on_sigterm()
    kinds = args.kinds or list(KINDS)
    with tempfile.TemporaryDirectory(prefix="element-cost-") as tmp:
        folders = {kind: Path(tmp) / f"k{n}" for n, kind in enumerate(kinds)}
        for kind, folder in folders.items():
            _padded_app(folder, KINDS[kind], args.copies)
        measured = asyncio.run(bench_first_view_cpu.run(argparse.Namespace(
            repo=[str(folder) for folder in folders.values()], views=args.views, paths=["/"],
        )))
    base = measured["bare_cpu_ms"]
    result = {"machine": measured["machine"], "copies": args.copies, "views": args.views,
              "hello_world_ms": base, "kinds": {}}
    for kind, folder in folders.items():
        line = measured["pages"]["/"][str(folder)]
        per_element_us = (line["cpu_ms"] - base) * 1000 / args.copies
        result["kinds"][kind] = {"us_per_element": round(per_element_us), "padded_app_ms": line["cpu_ms"]}
        print(f"{kind:28} {per_element_us:7.0f} µs per element", file=sys.stderr)
    print(f"hello-world {base} ms per first view", file=sys.stderr)
    emit(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
