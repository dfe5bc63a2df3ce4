"""A value typed into a sidebar field is always answered: used as typed, or replaced with a reason.

Streamlit's number field refuses a value outside its ``min_value`` … ``max_value`` in the browser
alone: it turns red and the page goes on with the old value, and the server never hears of it.
So the sidebar's fields get no bounds of their own; their ``on_change`` callback (:func:`settle`)
checks the typed value with core's rules for a link (:mod:`core.maths.typed`), puts the value the
experiment uses into the field before the script runs, and keeps the reason, which :func:`show`
writes under the field for as long as the field holds that value.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from pathlib import Path

import streamlit as st

from core.figures.stylesheet import style_element
from core.maths.experiment import Notice
from core.maths.typed import check_coordinate, check_field
from ui.components import html_block

NOTICE_KEY = "_typed_notice"  # (widget key, the value put in its place, the sentence, announced yet)

_CSS = style_element(Path(__file__).with_name("typed_values.css"))


def settle(key: str, field: str, label: str, current: Callable[[], Mapping[str, object]]) -> None:
    """``on_change`` of a sidebar number field: keep a value core uses, replace one it would not.

    ``field`` is the Experiment field the widget sets (``"x"`` / ``"y"`` for a data point's
    coordinate, whose ``label`` names it in the notice); ``current`` gives the experiment's other
    fields as the widgets hold them (the rate's bounds depend on the data).
    """
    if field in ("x", "y"):
        settle_with(key, lambda value: check_coordinate(label, value))
    else:
        settle_with(key, lambda value: check_field(current(), field, value))


def settle_with(key: str, check: Callable[[float], tuple[object, Notice | None]]) -> None:
    """``on_change`` of any number field without browser-side bounds: ``check`` is core's rule for it.

    ``check`` returns the value to use and, when it differs from the typed one, the notice saying why.
    """
    value = st.session_state.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        return  # a cleared field: Streamlit keeps its previous value
    used, notice = check(value)
    if notice is None:
        st.session_state.pop(NOTICE_KEY, None)
        return
    st.session_state[key] = used  # allowed in a callback: the widget is drawn after it, with this value
    st.session_state[NOTICE_KEY] = (key, used, notice.message, False)


def forget() -> None:
    """A whole experiment was set (a preset, a link): an earlier field's reason no longer applies."""
    st.session_state.pop(NOTICE_KEY, None)


def show(*keys: str) -> None:
    """Under the field(s) ``keys``: why the value typed there was replaced, while it still holds that value.

    A live region the first time (a screen reader reads it once), a plain note on later reruns.
    """
    kept = st.session_state.get(NOTICE_KEY)
    if not kept:
        return
    key, used, message, announced = kept
    if key not in keys:
        return
    if st.session_state.get(key) != used:
        st.session_state.pop(NOTICE_KEY, None)
        return
    role = "note" if announced else "status"
    st.session_state[NOTICE_KEY] = (key, used, message, True)
    html_block(f'{_CSS}<p class="gd-typed-notice" role="{role}">{html.escape(message)}</p>')
