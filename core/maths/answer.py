"""A number a student types as an answer (Your turn, the rate's fate), read as they write it.

Never raises: a typed text is a finite number or a plain-language reason it is not one, which
the page shows as a hint, not an error.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.maths.experiment import quote_raw

ANSWER_LIMIT = 1e15  # anything typed beyond this cannot be a value of a round of this app
ANSWER_MAX_CHARS = 64


@dataclass(frozen=True)
class Parsed:
    """A typed answer as a finite number, or the reason it is not one (plain text)."""

    value: float | None
    problem: str | None = None


_MINUS_SIGNS = {"−": "-", "–": "-", "‒": "-", "﹣": "-", "－": "-"}
_SPACES = (" ", "\u00a0", "\u2009", "\u202f", "_", "'")
_GAP = f"[{''.join(_SPACES)}]"  # one of the spaces above, between two digits
# A gap between digits is a thousands separator only between groups of three: 1 000 or 12 345.5.
# Working typed instead of its result: "2.4-0.36", "1/4", "3*2", "(7-4)^2", "3²".
_WORKING = re.compile(r"[\d.()\s]*\d[\d.()\s]*(?:[-+*/×÷·^²][\d.()\s]*)+")
_OPERATOR_BETWEEN = re.compile(r"[\d)]\s*[-+*/×÷·^]\s*[\d(]|\d\s*²")
_GROUPED = re.compile(rf"[+-]?\d{{1,3}}(?:{_GAP}\d{{3}})+(?:[.,]\d*)?(?:[eE][+-]?\d+)?")


def parse_answer(raw: object, example: str = "1.8 or −0.6") -> Parsed:
    """Read a typed number the way a student writes it; never raises.

    Accepts spaces (around it, and inside as a thousands separator, "1 000"), a leading + or a
    typographic minus, a comma as the decimal point ("1,8" is 1.8) and e-notation. "3 5" is
    refused: 35 or 3.5 is the student's to say. Refuses, with a message, an empty field,
    letters, nan, infinity, a number beyond 10¹⁵ and a mix of comma and point. ``example`` is what
    the refusal of letters suggests typing (a learning rate is never negative: "0.3").
    """
    text = "" if raw is None else str(raw)
    for sign, ascii_sign in _MINUS_SIGNS.items():
        text = text.replace(sign, ascii_sign)
    text = text.strip()
    if re.search(rf"\d{_GAP}+\d", text) and not _GROUPED.fullmatch(text):
        return Parsed(None, f"{quote_raw(raw)} has a gap between digits: type one number, like 35 or 3.5.")
    for space in _SPACES:
        text = text.replace(space, "")
    text = text.strip()
    if not text:
        return Parsed(None, "Type a number first.")
    if len(text) > ANSWER_MAX_CHARS:
        return Parsed(None, "That is too long for a number: type it with at most a few decimals.")
    if "," in text and "." in text:
        return Parsed(None, f"{quote_raw(raw)} mixes a comma and a point: use one decimal point, like 1.8.")
    if text.count(",") > 1:
        return Parsed(None, f"{quote_raw(raw)} has more than one comma: use one decimal point, like 1.8.")
    text = text.replace(",", ".")
    lowered = text.lower().lstrip("+-")
    if lowered in ("nan", "inf", "infinity", "∞"):
        return Parsed(None, f"{quote_raw(raw)} is not a value a round can have: type digits, like 1.8.")
    try:
        value = float(text)
    except ValueError:
        if _WORKING.fullmatch(text) and _OPERATOR_BETWEEN.search(text):
            return Parsed(None, f"{quote_raw(raw)} is the working: work it out and type the one number it gives.")
        return Parsed(None, f"{quote_raw(raw)} is not a number: type digits, like {example}.")
    if not math.isfinite(value) or abs(value) > ANSWER_LIMIT:
        return Parsed(None, "That number is far too large for this round: check the digits.")
    return Parsed(value + 0.0)  # + 0.0 turns −0 into 0
