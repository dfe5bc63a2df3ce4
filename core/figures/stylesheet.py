"""Style sheets kept in real ``.css`` files beside the module whose markup they style.

The HTML fragments (the rate scale, the tables, the notices) are shown with ``st.html``, which
takes a ``<style>`` element with the markup. Each module reads its sheet once, at import, with
:func:`style_element`; comments are dropped there, so a sheet can explain itself without sending
its comments on every rerun.
"""

from __future__ import annotations

import re
from pathlib import Path

_COMMENT = re.compile(r"/\*.*?\*/\s*", re.DOTALL)


def style_element(path: Path, variables: dict[str, str] | None = None) -> str:
    """The sheet at ``path`` as one ``<style>`` element, comments removed.

    ``variables`` become CSS custom properties on ``:root`` (``{"gd-loss": "#D55E00"}`` →
    ``--gd-loss``), so a sheet takes a concept colour from :mod:`core.figures.palette` with
    ``var(--gd-loss)`` instead of repeating it.
    """
    css = _COMMENT.sub("", path.read_text(encoding="utf-8")).strip()
    if variables:
        declarations = ";".join(f"--{name}:{value}" for name, value in variables.items())
        css = f":root{{{declarations}}}\n{css}"
    return f"<style>{css}</style>"
