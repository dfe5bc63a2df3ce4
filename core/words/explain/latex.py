"""LaTeX pieces of the step table's formulas: honest "=" or "≈", aligned lines, lists, symbols.

Rounding is stated honestly: a formula uses "=" when every number in it is shown exactly
and "≈" when a 4-decimal display rounded something.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.words.notation import DECIMALS, latex, short

# Formulas over several points list at most this many terms, then "…" and the last one.
LIST_LIMIT = 4


def shown_exactly(value: float, decimals: int = DECIMALS) -> bool:
    """True when the displayed digits are the value (up to float noise such as 2.4000000000000004)."""
    number = float(value)
    shown = float(short(number, decimals))
    return abs(number - shown) <= 1e-9 * max(1.0, abs(number))


def relation(*values: float) -> str:
    """"=" when every number in a formula is shown exactly, "≈" when one was rounded for display."""
    return "=" if all(shown_exactly(v) for v in values) else r"\approx"


def listing(items: Sequence[str]) -> str:
    """Terms of a sum or vector: all of them when few, else the first three, …, the last."""
    if len(items) <= LIST_LIMIT:
        return items
    return [*items[:3], r"\ldots", items[-1]]


def vector(values: Sequence[float]) -> str:
    """A vector of numbers, long ones shortened: (1, 2, 3, …, 9)."""
    return r"\left(" + r",\ ".join(listing([latex(v) for v in values])) + r"\right)"


def total(terms: Sequence[str]) -> str:
    """A sum of terms, long ones shortened: 1 + 2 + 3 + … + 9."""
    return " + ".join(listing(list(terms)))


def aligned(*lines: str) -> str:
    """Several formula lines aligned at their "&" marks: long chains stay readable on a phone."""
    return "\\begin{aligned} " + r" \\ ".join(lines) + " \\end{aligned}"


Y_PRED = r"y_{\text{pred}}"


Y_PRED_I = r"y_{\text{pred},i}"


DL_DA = r"\frac{\partial L}{\partial a}"


DL_DB = r"\frac{\partial L}{\partial b}"
