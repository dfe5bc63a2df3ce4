"""How a number reads: the one place that turns numbers into text, one function per purpose.

One module decides how a number reads, so "1.5", "(1.5, 2.5)" and "a + b = 4" look the same in
the step table's notes, the surface's legend and its captions. Pick by purpose:

- :func:`plain` — a number in a sentence or a label: at most 4 decimals, a real minus sign (−0.6),
  large ones as 1.2346 × 10⁸.
- :func:`short` — the same with an ASCII minus, for formulas and code-like text.
- :func:`latex` / :func:`latex_operand` — a number inside an ``st.latex`` formula (m × 10^k;
  an operand gets parentheses when negative or scientific).
- :func:`cell` — a table cell: always 4 decimals, as in the article (``core.words.tables``).
- :func:`read_cell` — a cell read on screen only (never exported) and a metric: :func:`cell`'s digits
  with a real minus sign and powers of ten as × 10ᵏ (−0.9212, 1.8329 × 10¹⁸); :func:`on_screen` does
  the same to a cell's text already written by :func:`cell`.
- :func:`rate` — a learning rate or a per-step factor: 4 significant digits (1/12 → 0.08333).
- :func:`chart_value` — a loss or error in a chart's hover or note, "0 (exactly)" for zero.
- :func:`chart_value` — the same number written on the chart itself (a caption in the plot): × 10ᵏ,
  never e-notation (1.833 × 10¹⁸).
- :func:`decimal` — a small number written out, never in e-notation (a tolerance: 0.0001).
- :func:`written_out` / :func:`as_typed` — a number a student gave, with every digit it has and
  never in e-notation (the second with a real minus sign, for sentences): 0.940252, −3.
- :func:`literal` — the shortest text that reads back as the same float (share links, notices,
  the loop shown as Python): 3.0 → 3, 0.1 → 0.1.
- :func:`tick_labels` — axis labels with as many digits as it takes to tell them apart.
- :func:`step_list` — step numbers that share one spot on a chart ("0, 2, 4", "5–50").

None of them ever prints "nan" or "inf" for a finite input.
"""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

DECIMALS = 4
# From here on a number reads better as 1.2346e+08 than as a row of digits.
SCIENTIFIC_FROM = 1e6
MISSING = "—"


def short(value: float, decimals: int = DECIMALS) -> str:
    """A number for running text: at most 4 decimals, no trailing zeros, scientific from 1e6."""
    number = float(value)
    if not math.isfinite(number):
        return MISSING
    if abs(number) >= SCIENTIFIC_FROM:  # more decimals asked for: more digits of the mantissa
        return f"{number:.{max(decimals, DECIMALS)}e}"
    text = f"{number:.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "", "-") else text


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _typeset(text: str, *, trim: bool) -> str:
    """e-notation as × 10ᵏ (3.4702e+06 is for programmers; a student reads 3.4702 × 10⁶), and a real minus sign.

    ``trim`` drops the mantissa's trailing zeros (2.0000e+07 → 2 × 10⁷); a table's cells keep them.
    """
    if "e+" in text or "e-" in text:
        mantissa, exponent = text.split("e")
        if trim:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa} × 10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    return "−" + text[1:] if text.startswith("-") else text


def plain(value: float, decimals: int = DECIMALS) -> str:
    """:func:`short` for sentences and labels: a real minus sign (−0.6), powers of ten as 3.47 × 10⁶."""
    return _typeset(short(value, decimals), trim=True)


def latex(value: float, decimals: int = DECIMALS) -> str:
    """A number inside LaTeX: like :func:`short`, with scientific notation as m × 10^k."""
    text = short(value, decimals)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"


def latex_operand(value: float, decimals: int = DECIMALS) -> str:
    """A number used inside a longer expression: negative or scientific ones get parentheses (3·(−2))."""
    text = latex(value, decimals)
    return f"({text})" if text.startswith("-") or r"\times" in text else text


def cell(value: float) -> str:
    """One table cell: 4 decimals, scientific from 1e6 on, never "nan"/"inf" or "-0.0000"."""
    number = float(value)
    if not math.isfinite(number):
        return MISSING
    if abs(number) >= SCIENTIFIC_FROM:
        return f"{number:.{DECIMALS}e}"
    text = f"{number:.{DECIMALS}f}"
    if text.startswith("-") and float(text) == 0.0:
        text = text[1:]
    return text


def read_cell(value: float) -> str:
    """:func:`cell` read on screen: 4 decimals, a real minus sign, 1.8329 × 10¹⁸ (an export keeps :func:`cell`)."""
    return _typeset(cell(value), trim=False)


def on_screen(text: str) -> str:
    """A table's cell text as the page shows it: a number as :func:`read_cell` writes it, anything else as it is.

    One table feeds the page and the CSV, Markdown and LaTeX exports; only the page gets the real minus
    sign and × 10ᵏ, so the same rows read like the sentences around them and still paste into a program.
    """
    try:
        float(text)
    except ValueError:
        return text
    return _typeset(text, trim=False)


def rate(value: float) -> str:
    """A rate or factor as short text: 0.1 → "0.1", 1/12 → "0.08333", −0.6 with a real minus sign."""
    text = f"{value:.4g}"
    return "−" + text[1:] if text.startswith("-") else text


def chart_value(value: float) -> str:
    """Loss or error on a chart (hover, label): "0.0123" (4 decimals, like the step table), "1.833 × 10¹⁸",
    "1.2 × 10⁻⁵", "0 (exactly)". Powers of ten as a student writes them, never e-notation."""
    if value == 0.0:
        return "0 (exactly)"
    if 1e-3 <= abs(value) < SCIENTIFIC_FROM:
        return _typeset(f"{value:.4f}", trim=False)
    return _typeset(f"{value:.3e}", trim=True)


def decimal(value: float) -> str:
    """A small number written out in decimals, for readers who may not know e-notation: 1e-4 → "0.0001"."""
    return f"{value:.10f}".rstrip("0")


def written_out(value: float) -> str:
    """Every digit of a float, never in e-notation: 1.79533213645e-05 → "0.0000179533213645"."""
    text = format(Decimal(repr(float(value))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def as_typed(value: float) -> str:
    """:func:`written_out` with a typographic minus: a student's own number quoted back (−3, 0.940252)."""
    text = written_out(value)
    return "−" + text[1:] if text.startswith("-") else text


def literal(value: float) -> str:
    """Shortest plain text for a parameter value that reads back as the same float: 3.0 → "3", 0.1 → "0.1"."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def exact(value: float) -> str:
    """:func:`literal` as a student reads it: every digit the value has, a real minus sign, and powers
    of ten written out (2e-07 → 2 × 10⁻⁷; a playtest's summary line read "learning rate 2e-07")."""
    return _typeset(literal(value), trim=False)


def tick_labels(values: list[float]) -> list[str]:
    """Short labels, with as many digits as it takes to tell them apart (a high floor needs more)."""
    if max(values) < 1e4:
        texts = [plain(v, 2) for v in values]
        if len(set(texts)) == len(texts):
            return texts
    for digits in range(3, 16):
        texts = [f"{v:.{digits}g}" for v in values]
        if len(set(texts)) == len(texts):
            return texts
    return texts


def step_list(steps: tuple[int, ...] | list[int]) -> str:
    """Step numbers that share one spot on a chart: "3", "0, 2, 4", "5–50" (a run), "0, 2, …, 50"."""
    numbers = [int(s) for s in steps]
    if len(numbers) <= 3:
        return ", ".join(str(n) for n in numbers)
    if all(later - earlier == 1 for earlier, later in itertools.pairwise(numbers)):
        return f"{numbers[0]}–{numbers[-1]}"
    return f"{numbers[0]}, {numbers[1]}, …, {numbers[-1]}"


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
