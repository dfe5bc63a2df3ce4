"""One colour per concept, from the Okabe–Ito palette (safe for colour-blind readers).

Every figure and the step table take their colours from here, so "a" is the same blue
in the table header, the loss-curve hover and the surface. All are readable on both
a white and a dark background.
"""

from __future__ import annotations

# Okabe–Ito, named by what they mean in this app.
A = "#0072B2"  # blue: parameter a
B = "#E69F00"  # orange: parameter b
LOSS = "#D55E00"  # vermillion: the loss
ERROR = "#56B4E9"  # sky blue: the signed error
PATH = "#CC79A7"  # reddish purple: the path of (a, b)
VALLEY = "#009E73"  # bluish green: zero loss, the valley / minimum
LANDING = "#009E73"  # the landing point sits on the valley: same concept, star marker
START = "#CC79A7"  # the start is the path's first point
NEUTRAL = "#7F7F7F"  # grid lines, annotations

# For several learning rates on one chart: distinct hues that avoid the concept colours
# where possible, then repeat with a dash style (see DASHES).
# The last is ink: ui/charts.js draws it in the theme's text colour (black on light, near-white on
# dark), where plain black vanished on the dark theme (playtest).
INK = "#000000"
COMPARISON = ("#D55E00", "#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", INK)
DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
# And a marker each: with 5 other dashes and 7 other markers, no two of the first 35 runs look alike
# even without their colours (tests/core/test_colour_vision.py).
# No "x": it read as the "left the chart" mark.
MARKERS = ("circle", "square", "diamond", "triangle-up", "cross", "hexagon", "star", "pentagon")

# Regime strip: from calm to runaway.
REGIME = {
    "smooth": "#009E73",
    "one step": "#56B4E9",
    "overshooting": "#E69F00",
    "bouncing": "#CC79A7",
    "diverging": "#D55E00",
}

# Loss surface colour scale: light/clear at the valley floor, darker higher up.
SURFACE_SCALE = "Viridis"
