"""Reading untrusted values: numbers from link text, and user text made safe to quote back.

Every value a share link or a widget hands the app passes through here before it is checked
against its bounds (:mod:`core.maths.experiment`, :mod:`core.maths.network_settings`,
:mod:`core.maths.diagnosis`). Nothing here raises, whatever the input: a link is typed by people
and pasted through chat programs, so anything may arrive.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# Values are kept to 12 significant digits, so a widget's 0.1 + 0.01 is the 0.11 the
# student sees, and the share link holds exactly that.
SIGNIFICANT_DIGITS = 12


@dataclass(frozen=True)
class Notice:
    """Why a value given by the user was not used as given.

    ``param`` is the share-link name (``lr``, ``data``, ...); ``message`` is a short,
    plain-text sentence for the student or teacher. Raw user text appears in it only
    through :func:`quote_raw`, so it can never be markup.
    """

    param: str
    message: str


def safe_text(raw: object) -> str:
    """``str(raw)`` that cannot raise (an int of more than 4300 digits, say, refuses ``str``)."""
    try:
        return str(raw)
    except Exception:  # any object may come through with_(); a notice must still be written
        return "?"


def quote_raw(raw: object, limit: int = 24) -> str:
    """User text made safe to echo in a notice: printable, short, no markup characters."""
    text = safe_text(raw)
    text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    # Characters that Markdown or HTML could interpret are replaced, not escaped,
    # so the notice is plain text wherever it is shown.
    text = re.sub(r"[<>&*_`\[\]()#|\\$~]", "·", text)
    return f"“{text}”"


def parse_float(raw: object) -> float | None:
    """A finite float from user input, or None (non-number, nan, inf, 1e400)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:  # an int beyond the float range, like 10**400
            return None
    else:
        text = safe_text(raw).strip()
        if not text or len(text) > 64:
            return None
        try:
            value = float(text)
        except ValueError:
            return None
    if not math.isfinite(value):
        return None
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def parse_decimal(raw: object) -> tuple[float | None, bool]:
    """:func:`parse_float`, reading one decimal comma as a point ("0,3" → 0.3); and whether it did.

    Much of Europe writes 0,3. A link's single number with one comma and no point has no other
    reading; the caller says that it was read so (the link's data keep "," between points).
    """
    value = parse_float(raw)
    if value is not None or not isinstance(raw, str) or raw.count(",") != 1 or "." in raw:
        return value, False
    value = parse_float(raw.replace(",", "."))
    return value, value is not None
