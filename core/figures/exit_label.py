"""The label where a path leaves its chart: one look for the loss curves and the loss surface.

Both kinds of figure draw a run up to the edge of what they show (``core.maths.edges``) and put
a short note at the crossing. The note sits on the side of the point with more room, so a
phone's narrow figure never cuts it off, and beside the point, so it covers neither the mark nor
the line. Its background is a translucent grey that reads on the light and the dark theme.
"""

from __future__ import annotations

from collections.abc import Sequence

SHIFT_PX = 12
NOTE_BACKGROUND = "rgba(127,127,127,0.15)"
# Several runs leaving one chart are named together above the plot, two to a row: a 390 px
# phone's figure holds two "✕ 0.55 at step 4" side by side, and a row is ~17 px of 12 px text.
EXITS_PER_ROW = 2
ROW_PX = 17


def exit_label(
    x: float, y: float, text: str, *, leftwards: bool, above: bool, colour: str | None = None, mark: str | None = None,
) -> dict:
    """A Plotly annotation beside (x, y): running left of it when ``leftwards``, above it when ``above``.

    ``mark`` starts the note with an "×" in that colour: with several runs leaving one chart, a
    phone's narrow figure can put one run's note next to another's "×" (student playtest), and the
    text itself stays in the theme's colour for contrast.
    """
    font: dict[str, object] = {"size": 12}
    if colour:
        font["color"] = colour
    if mark:
        text = f'<span style="color:{mark}">✕</span> {text}'
    return {
        "x": x,
        "y": y,
        "text": text,
        "showarrow": False,
        "xanchor": "right" if leftwards else "left",
        "xshift": -SHIFT_PX if leftwards else SHIFT_PX,
        "yanchor": "bottom" if above else "top",
        "font": font,
        "bgcolor": NOTE_BACKGROUND,
    }


def exits_note(exits: Sequence[tuple[str, str, int]]) -> tuple[dict, int]:
    """One note above the plot for several runs that left it: each (colour, rate, step) as "✕ 0.6 at step 3".

    Beside their marks, three or more notes fell on one another (teacher playtest, four diverging
    rates); above the plot they never cover a line. Returns the annotation and the pixels of top
    margin it needs. Each "✕" has its run's colour, as the marks on the chart do.
    """
    entries = [f'<span style="color:{colour}">✕</span> {rate} at step {step}' for colour, rate, step in exits]
    rows = ["left the chart:"]
    rows += [" · ".join(entries[k:k + EXITS_PER_ROW]) for k in range(0, len(entries), EXITS_PER_ROW)]
    note = {
        "text": "<br>".join(rows), "xref": "paper", "yref": "paper", "x": 0.0, "y": 1.0,
        "xanchor": "left", "yanchor": "bottom", "yshift": 4, "align": "left", "showarrow": False,
        "font": {"size": 12}, "bgcolor": NOTE_BACKGROUND,
    }
    return note, len(rows) * ROW_PX + 12
