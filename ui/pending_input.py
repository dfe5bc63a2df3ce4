"""A page link clicked straight from a field with a typed value: the value is applied, then the page opens.

A number field applies its value when it loses the focus. A quick click or a tap on a page link
right from the field sent the page switch first and the field's value second, and the field's
request (naming the page being left) won: the value was applied but the page did not change.
``pending_input.js`` beside this file makes such a click wait until the value is sent, then
makes it again, so both happen in the order the student meant. Without it (JavaScript blocked,
another front end) the app behaves as Streamlit does alone.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

COMPONENT = "gd_pending_input"
KEY = "_pending_input"

_JS = Path(__file__).with_name("pending_input.js").read_text(encoding="utf-8")


def guard_page_links() -> None:
    """Mount the script (once per browser tab it installs its listeners; later mounts do nothing)."""
    mount = st.components.v2.component(COMPONENT, js=_JS, isolate_styles=False)
    mount(key=KEY)
