"""The label where a path leaves its chart: one look for the loss curves and the loss surface.

Both kinds of figure draw a run up to the edge of what they show (``core.maths.edges``) and put
a short note at the crossing. The note sits on the side of the point with more room, so a
phone's narrow figure never cuts it off, and beside the point, so it covers neither the mark nor
the line. Its background is a translucent grey that reads on the light and the dark theme.
"""

from __future__ import annotations

SHIFT_PX = 12


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
        "bgcolor": "rgba(127,127,127,0.15)",
    }
