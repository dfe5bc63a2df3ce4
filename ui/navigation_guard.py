"""Fixes to how Streamlit moves between pages and addresses, in ``navigation_guard.js`` beside this file.

- A page link clicked straight from a field with a typed value: a quick click or a tap sent the
  page switch first and the field's value second, and the field's request (naming the page being
  left) won, so the value was applied but the page did not change. The click now waits until the
  value's run is over, then is made again: the value, then the page.
- One history entry per action: a page switch wrote a bare address (Streamlit keeps only its own
  parameters) before the app wrote the whole link, so Back after a page switch landed on the bare
  one. A second address for the same page, with no click or key press since, replaces the first.
- A typed value's reason (``ui.typed_values``) is scrolled into view when it appears: on a phone
  the field is often the last thing on screen.

Without JavaScript (blocked, another front end) the app behaves as Streamlit does alone: the
value is applied without the page switch, and Back needs one press more after a page switch
(``ui.link.was_written`` keeps the bare entry from opening the article's experiment).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

COMPONENT = "gd_navigation_guard"
KEY = "_navigation_guard"

_JS = Path(__file__).with_name("navigation_guard.js").read_text(encoding="utf-8")


def guard_navigation() -> None:
    """Mount the script (it installs its listeners once per browser tab; later mounts do nothing)."""
    mount = st.components.v2.component(COMPONENT, js=_JS, isolate_styles=False)
    mount(key=KEY)
