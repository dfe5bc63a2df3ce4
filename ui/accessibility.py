"""Page-wide accessibility styles: the focus ring, reachable copy buttons, readable chips.

Theme options in ``.streamlit/config.toml`` come first (the light theme's text colour gives the
captions their contrast); ``accessibility.css`` beside this file covers only what no option
reaches. ``app.py`` adds the sheet once per run, before any page.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.figures.stylesheet import style_element

# The sidebar's own sheet (whole button labels) travels with it: still one st.html per run.
STYLE = style_element(Path(__file__).with_name("accessibility.css")) + style_element(
    Path(__file__).with_name("sidebar.css")
)


def page_styles() -> None:
    """Add the page-wide style sheet (a ``<style>``-only ``st.html`` takes no room on the page)."""
    st.html(STYLE)
