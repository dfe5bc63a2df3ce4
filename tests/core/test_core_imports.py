"""core is pure Python + NumPy (+ Plotly): importing any of it must not pull in Streamlit."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import core

CORE_DIR = Path(core.__file__).parent
ROOT = CORE_DIR.parent
EXPECTED_MODULES = {
    "maths.experiment", "maths.training", "maths.theory", "maths.surface",
    "words.notation", "words.tables", "figures.palette", "figures.curves", "figures.surface",
    "figures.surface_scene", "figures.surface_traces", "figures.stylesheet", "figures.rate_strip",
    "figures.exit_label", "maths.edges", "figures.curve_range", "words.curve_notes", "words.comparison_text",
    "words.regime_text",
    "words.surface_notes", "words.explain.latex", "words.explain.introduction", "words.explain.worked_round",
    "words.explain.derivation", "words.explain.notice", "words.explain.precision", "words.explain.loop_code",
}


def core_modules() -> list[str]:
    """Every module under core/, as a dotted name relative to ``core`` (packages walked)."""
    return sorted(
        ".".join(path.relative_to(CORE_DIR).with_suffix("").parts)
        for path in CORE_DIR.rglob("*.py")
        if path.name != "__init__.py"
    )


def test_core_is_split_by_kind() -> None:
    """The tree says where things live: the maths, the words and the figures."""
    packages = {info.name for info in pkgutil.iter_modules([str(CORE_DIR)]) if info.ispkg}
    assert packages >= {"maths", "words", "figures"}
    loose = [info.name for info in pkgutil.iter_modules([str(CORE_DIR)]) if not info.ispkg]
    assert loose == []


def test_the_core_modules_are_there() -> None:
    assert set(core_modules()) >= EXPECTED_MODULES


def test_no_core_module_is_over_400_lines() -> None:
    """Small modules with names that explain themselves: none over ~400 lines."""
    sizes = {str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
             for path in CORE_DIR.rglob("*.py")}
    assert sizes and {name: n for name, n in sizes.items() if n > 420} == {}


def test_importing_every_core_module_leaves_streamlit_out() -> None:
    names = ["core", *(f"core.{name}" for name in core_modules())]
    script = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "assert 'streamlit' not in sys.modules, sorted(m for m in sys.modules if m.startswith('streamlit'))\n"
        "print('ok', len(sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok")


def test_no_core_file_mentions_streamlit_imports() -> None:
    pattern = re.compile(r"^\s*(import\s+streamlit|from\s+streamlit\b)", re.MULTILINE)
    files = sorted(CORE_DIR.rglob("*.py"))
    assert files
    offenders = [str(path.relative_to(ROOT)) for path in files if pattern.search(path.read_text(encoding="utf-8"))]
    assert offenders == []
    for path in files:
        assert "import streamlit" not in path.read_text(encoding="utf-8"), path
