"""What an AppTest run shows, for tests that read its elements."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.navigation_guard import SCRIPT_ID


def shown_html(at: AppTest) -> list:
    """The run's ``st.html`` elements except the app's own style sheet and script (``ui.accessibility``).

    That one element carries the page's script on every run, so a test that no ``<script>`` from a
    link reaches the page looks at every other one.
    """
    return [element for element in at.get("html") if SCRIPT_ID not in str(element.value)]
