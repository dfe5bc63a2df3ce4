"""Fixes to how Streamlit moves between pages and addresses, in ``navigation_guard.js`` beside this file.

- A page link clicked straight from a field with a typed value: a quick click or a tap sent the
  page switch first and the field's value second, and the field's request (naming the page being
  left) won, so the value was applied but the page did not change. The click now waits until the
  value's run is over, then is made again: the value, then the page.
- One history entry per action: a page switch wrote a bare address (Streamlit keeps only its own
  parameters) before the app wrote the whole link, so Back after a page switch landed on the bare
  one. A second address for the same page, with no click or key press since, replaces the first,
  and so does every address after a bare one of the same action (a lesson stop on another page).
- A typed value's reason (``ui.typed_values``) is scrolled into view when it appears: on a phone
  the field is often the last thing on screen.
- Focus kept when a button pressed with the keyboard disables itself (Next at the last step: focus
  goes to Previous) or is replaced by what it reveals (Predict: focus goes to what stands there
  now), instead of falling to the page's body. It watches the page's changes after the key press,
  not Streamlit's "running" state, which a slow device may never show for a quick run.
- The sidebar's ✕ buttons are named "Remove point N" for screen readers.

``ui.accessibility.page_styles`` sends :data:`SCRIPT` in the same ``st.html`` element as the page's
style sheet, once per run: a component of its own cost one more element and its ~5.6 KB on every
run of every page, which a whole class arriving at once pays per student (PERFORMANCE.md).

Without JavaScript (blocked, another front end) the app behaves as Streamlit does alone: the
value is applied without the page switch, and Back needs one press more after a page switch
(``ui.link.was_written`` keeps the bare entry from opening the article's experiment).
"""

from __future__ import annotations

from pathlib import Path

SCRIPT_ID = "gd-navigation-guard"


def without_comment_lines(source: str) -> str:
    """The script as sent: its lines that are only a comment left out.

    They are for readers of the file (about 4 KB of it), and the script goes to every student
    on every first view of every page.
    """
    return "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("//"))


# Inside a function of its own: Streamlit may insert the element again (a page switch), and a
# second copy must not redeclare the first one's constants; the script itself installs only once.
SCRIPT = (
    f'<script id="{SCRIPT_ID}">(() => {{\n'
    + without_comment_lines(Path(__file__).with_name("navigation_guard.js").read_text(encoding="utf-8"))
    + "\n})();</script>"
)
