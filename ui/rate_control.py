"""The sidebar's learning rate: a typed value and a log-scaled slider beside it, kept in sync.

Why two controls: the rates that matter span powers of ten (0.0001 to 10 at the article's point,
far lower with x = 100), so a ± step of 0.01 took 30 presses from 0.1 to 0.4 and could not reach
a rate of 0.00004 at all. The slider moves along 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × each power
of ten (0.1 → 0.4 is six arrow presses) and stops exactly on the data's one-step and bounce rates;
the typed field takes any value in between. The data bound both (:mod:`core.maths.rate_bounds`):
the slider's stops, and core's check of what is typed (a value outside is replaced and said why).

Sync, one direction per run: the typed field holds the rate (``LR_KEY``, what the share link and
the presets set); moving the slider copies its value there in a callback, before the script runs;
the slider is then set from the field each run, before it is drawn.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.maths.rate_bounds import RateBounds, rate_bounds
from core.words import notation

LR_KEY = "ctl_lr"
LR_SCALE_KEY = "ctl_lr_scale"
MOVED_KEY = "_ctl_lr_moved"  # why the rate was moved after a data edit, shown once


def _slid() -> None:
    """The slider moved: the typed field (the rate in use) follows."""
    st.session_state[LR_KEY] = float(st.session_state[LR_SCALE_KEY])


def fit_rate(points: Sequence[tuple[float, float]]) -> RateBounds:
    """Keep the rate inside these data's bounds, before its widgets are drawn.

    A data edit can move the bounds past the rate (x from 1 to 100: the largest rate drops from
    10 to 0.005). Streamlit would silently reset the field to its minimum; instead the rate goes
    to the nearest allowed one, as for a link, and the sidebar says so once.
    """
    bounds = rate_bounds(points)
    value = st.session_state.get(LR_KEY)
    if isinstance(value, int | float) and not isinstance(value, bool):
        why = bounds.out_of_bounds(float(value))
        if why is not None:
            st.session_state[LR_KEY] = bounds.clamp(float(value))
            st.session_state[MOVED_KEY] = f"Learning rate: {why}."
    return bounds


# Streamlit labels every stop of the slider on every run; the same few dozen rates recur.
_stop_label = lru_cache(maxsize=4096)(notation.rate)


def rate_inputs(
    bounds: RateBounds,
    checked: Mapping[str, object],
    after_field: Callable[[], None] | None = None,
) -> tuple[float, DeltaGenerator]:
    """The typed rate and the slider under it; returns the rate and a slot for the regime's caption.

    ``checked`` is the typed field's ``key`` / ``on_change`` / ``args``: core checks what is typed
    (``ui.typed_values.settle``), so the field has no bounds of its own — a browser refuses an
    out-of-range value without telling the app. ``after_field`` draws what belongs right under the
    field (why a typed value was replaced).
    """
    lr = st.number_input(
        "Learning rate", step=bounds.step, format="%g", **checked,  # type: ignore[arg-type]
        help=(
            f"How far each update moves a and b against their gradients. These data allow "
            f"{notation.exact(bounds.low)} to {notation.exact(bounds.high)}."
        ),
    )
    if after_field is not None:
        after_field()
    if st.session_state.get(LR_SCALE_KEY) != lr:  # only when typed: a write makes the browser redraw the
        st.session_state[LR_SCALE_KEY] = lr  # slider, which could drop an arrow press made meanwhile
    st.select_slider(
        "Learning rate, log scale", options=bounds.stops(lr), key=LR_SCALE_KEY, format_func=_stop_label,
        on_change=_slid,
        help="Slide or press ← → for the next rate up or down; each step is ×1.2 to ×1.33, and the "
        "data's one-step and bounce rates are stops too.",
    )
    moved = st.session_state.pop(MOVED_KEY, None)
    if moved:
        st.caption(moved)
    return float(lr), st.empty()  # the slot is filled once the experiment is validated
