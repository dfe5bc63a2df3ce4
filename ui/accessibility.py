"""Page-wide accessibility styles (the focus ring, reachable copy buttons, readable chips), sent with the page's script.

Theme options in ``.streamlit/config.toml`` come first (the light theme's text colour gives the
captions their contrast); ``accessibility.css`` beside this file covers only what no option
reaches. ``app.py`` adds the sheet once per run, before any page.
"""

from __future__ import annotations

from pathlib import Path

from core.figures.stylesheet import style_element
from ui.components import html_block
from ui.navigation_guard import SCRIPT

# The sidebar's own sheet (whole button labels) travels with it: still one st.html per run.
STYLE = style_element(Path(__file__).with_name("accessibility.css")) + style_element(
    Path(__file__).with_name("sidebar.css")
)


def page_styles() -> None:
    """Add the page-wide style sheet and the navigation guard's script, in one element.

    The element takes no room: with a script in it Streamlit places it in the page, not among the
    style-only elements, and ``accessibility.css`` hides its box (the style and script still apply).
    """
    html_block(STYLE + SCRIPT, unsafe_allow_javascript=True)
