"""What an AppTest run shows, for tests that read its elements."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from ui.accessibility import STYLE
from ui.navigation_guard import SCRIPT

PAGE_ELEMENT = STYLE + SCRIPT  # what ui.accessibility.page_styles sends


def shown_html(at: AppTest) -> list:
    """The run's ``st.html`` elements except the app's own style sheet and script (``ui.accessibility``).

    That one element carries the page's script on every run, so a test that no ``<script>`` from a
    link reaches the page looks at every other one. It is left out by its exact text, never by a
    part of it that a link's note could also hold.
    """
    elements = at.get("html")
    own = [element for element in elements if str(element.value) == PAGE_ELEMENT]
    assert len(own) <= 1, "the style sheet and script are sent once per run"
    return [element for element in elements if str(element.value) != PAGE_ELEMENT]


def headings(at: AppTest) -> list[str]:
    """The section headings a run shows: ``st.subheader``s and Markdown ``###`` lines (``ui.components.section``)."""
    found = [str(element.value) for element in at.subheader]
    for element in at.markdown:
        found += [line[4:] for line in str(element.value).splitlines() if line.startswith("### ")]
    return found
