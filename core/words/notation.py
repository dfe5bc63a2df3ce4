"""Numbers and equations as text, shared by the explanations and the figures.

One place decides how a number reads in a sentence or a label, so "1.5", "(1.5, 2.5)"
and "a + b = 4" look the same in the step table's notes, the surface's legend and its
captions. Table cells have their own fixed 4-decimal format (``core.words.tables``).
"""

from __future__ import annotations

import math

DECIMALS = 4
# From here on a number reads better as 1.2346e+08 than as a row of digits.
SCIENTIFIC_FROM = 1e6
MISSING = "—"


def short(value: float, decimals: int = DECIMALS) -> str:
    """A number for running text: at most 4 decimals, no trailing zeros, scientific from 1e6."""
    number = float(value)
    if not math.isfinite(number):
        return MISSING
    if abs(number) >= SCIENTIFIC_FROM:
        return f"{number:.{DECIMALS}e}"
    text = f"{number:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "", "-") else text


def plain(value: float, decimals: int = DECIMALS) -> str:
    """:func:`short` with a typographic minus sign, for sentences and labels (−0.6, not -0.6)."""
    text = short(value, decimals)
    return "−" + text[1:] if text.startswith("-") else text


def point(a: float, b: float) -> str:
    """A parameter pair as text: (1.5, 2.5)."""
    return f"({plain(a)}, {plain(b)})"


def valley_equation(x: float, target: float, *, latex: bool = False) -> str:
    """The valley a·x + b = target written simply: "a + b = 4", "2a + b = 5", "b = 4".

    With ``latex`` the same equation for ``st.latex`` (ASCII minus, a thin space after a
    coefficient).
    """
    number = short if latex else plain
    if x == 0:
        return f"b = {number(target)}"
    if x == 1:
        term = "a"
    elif x == -1:
        term = "-a" if latex else "−a"
    else:
        term = f"{number(x)}\\,a" if latex else f"{number(x)}a"
    return f"{term} + b = {number(target)}"
