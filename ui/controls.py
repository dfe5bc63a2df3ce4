"""The shared experiment controls: sidebar widgets, presets and the share link.

One direction only: URL (first run of a session) or widgets → ``core.maths.experiment.validate``
→ one Experiment in ``st.session_state`` → the page. After every run the URL is
rewritten to ``core.maths.experiment.to_query(experiment)``, so the address bar always holds
exactly what the student sees and a link opens it again on any page.

The widgets are rendered by ``app.py`` before the page runs, so their values survive
page switches. Their keys are set from the URL once, before the widgets exist (Streamlit
forbids writing a widget's key after it is drawn), and by the preset callbacks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Collection, Sequence
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core.maths.experiment import (
    POINTS_MAX,
    STEPS_MAX,
    Experiment,
    Notice,
    describe,
    from_query,
    next_point,
    validate,
)
from core.maths.presets import PRESETS, PRESETS_BY_KEY
from core.words.regime_text import regime_sentence
from ui.components import notice_box
from ui.link import capture_link_params, current_query, link_generation, sync_url
from ui.rate_control import LR_KEY, fit_rate, rate_inputs
from ui.rate_fate import regime_caption
from ui.state import EXPERIMENT_KEY, LINK_NOTICES_KEY, NOTICES_KEY
from ui.typed_values import forget as forget_typed_notice
from ui.typed_values import settle
from ui.typed_values import show as show_typed_notice

URL_LOADED_KEY = "_url_loaded"
NOTICES_FOR_KEY = "_notices_for"
N_POINTS_KEY = "ctl_n_points"
A0_KEY = "ctl_a0"
B0_KEY = "ctl_b0"
STEPS_KEY = "ctl_steps"
HAND_KEY = "ctl_hand"
PRESETS_OPEN_KEY = "ctl_presets_open"
HIDDEN_BEFORE_KEY = "_ctl_hidden_before"  # the controls the last run left out of the sidebar


def _x_key(index: int) -> str:
    return f"ctl_x_{index}"


def _y_key(index: int) -> str:
    return f"ctl_y_{index}"


# --- moving an experiment into the widgets -----------------------------------------


def _load_into_widgets(experiment: Experiment) -> None:
    """Set every control's session-state key to ``experiment`` (before the widgets are drawn)."""
    state = st.session_state
    state[N_POINTS_KEY] = experiment.n_points
    for index, (x, y) in enumerate(experiment.points):
        state[_x_key(index)] = float(x)
        state[_y_key(index)] = float(y)
    state[A0_KEY] = float(experiment.a0)
    state[B0_KEY] = float(experiment.b0)
    state[LR_KEY] = float(experiment.lr)
    state[STEPS_KEY] = int(experiment.steps)
    state[HAND_KEY] = experiment.hand
    forget_typed_notice()


def _load_from_url_once() -> None:
    """When a link is opened (a session's first run, a lesson stop), the link decides the experiment."""
    generation = link_generation()
    if st.session_state.get(URL_LOADED_KEY) == generation:
        return
    experiment, notices = from_query(capture_link_params())
    _load_into_widgets(experiment)
    st.session_state[NOTICES_KEY] = notices
    st.session_state[NOTICES_FOR_KEY] = experiment
    st.session_state[URL_LOADED_KEY] = generation


def _apply_preset(key: str) -> None:
    _load_into_widgets(PRESETS_BY_KEY[key].experiment)
    st.session_state[NOTICES_KEY] = ()


def _add_point() -> None:
    count = st.session_state[N_POINTS_KEY]
    if count >= POINTS_MAX:
        return
    points = [(st.session_state[_x_key(i)], st.session_state[_y_key(i)]) for i in range(count)]
    st.session_state[_x_key(count)], st.session_state[_y_key(count)] = next_point(points)
    st.session_state[N_POINTS_KEY] = count + 1


def _remove_point(index: int) -> None:
    count = st.session_state[N_POINTS_KEY]
    if count <= 1:
        return
    for later in range(index, count - 1):
        st.session_state[_x_key(later)] = st.session_state[_x_key(later + 1)]
        st.session_state[_y_key(later)] = st.session_state[_y_key(later + 1)]
    st.session_state[N_POINTS_KEY] = count - 1


# --- the widgets ---------------------------------------------------------------------
# The number fields have no min_value / max_value: the browser would refuse an out-of-range value
# without telling the app. ``settle`` (ui/typed_values.py) checks each typed value with core's rules
# instead, and the sidebar says under the field which value is used and why.


def _points_now() -> dict[str, object]:
    """The data as the fields hold them, for checking a typed rate against the data's bounds."""
    state = st.session_state
    return {"points": [(state[_x_key(i)], state[_y_key(i)]) for i in range(int(state[N_POINTS_KEY]))]}


def _checked(key: str, field: str, label: str) -> dict[str, object]:
    """A number field's key and its ``settle`` callback (``field``: the Experiment field it sets)."""
    return {"key": key, "on_change": settle, "args": (key, field, label, _points_now)}


def _row(key: str) -> DeltaGenerator:
    """Fields side by side: one horizontal block, not a column block per field (fewer elements per run).

    ``sidebar.css`` keeps such a row on one line, its fields sharing the width as columns did.
    """
    return st.container(horizontal=True, vertical_alignment="bottom", key=key)


def _data_inputs() -> list[tuple[float, float]]:
    count = st.session_state[N_POINTS_KEY]
    points: list[tuple[float, float]] = []
    for index in range(count):
        label_suffix = f" (point {index + 1})" if count > 1 else ""
        with _row(f"ctl_row_{index}"):  # a lone point has no ✕: x and y_true then share the row
            x = st.number_input(
                f"x{label_suffix}", step=1.0, format="%g", **_checked(_x_key(index), "x", f"x{label_suffix}"),
                help="The input the model sees.",
            )
            y = st.number_input(
                f"y_true{label_suffix}", step=1.0, format="%g",
                **_checked(_y_key(index), "y", f"y_true{label_suffix}"),
                help="The answer the model should give for this x.",
            )
            if count > 1:
                st.button(
                    "✕", key=f"ctl_remove_{index}", help=f"Remove point {index + 1}",
                    on_click=_remove_point, args=(index,),
                )
        show_typed_notice(_x_key(index), _y_key(index))
        points.append((x, y))
    st.button(
        "Add a data point", key="ctl_add_point", on_click=_add_point, disabled=count >= POINTS_MAX,
        help="With two points at different x the valley of perfect answers closes into one point.",
        icon=":material/add:",
    )
    return points


def _kept(key: str) -> object:
    """The value of a control that is hidden this run, written back so Streamlit keeps it.

    A widget not drawn in a run loses its state at the end of that run; a value written by
    code stays. Hidden controls keep the link's (or the last shown) value this way.
    """
    st.session_state[key] = st.session_state[key]
    return st.session_state[key]


def _parameter_inputs(
    hidden: Collection[str], points: Sequence[tuple[float, float]]
) -> tuple[float, float, float, int, bool, DeltaGenerator | None]:
    both = not {"a", "b"} & set(hidden)
    with _row("ctl_row_start") if both else contextlib.nullcontext():  # one of them alone: full width
        if "a" in hidden:
            a0 = float(_kept(A0_KEY))  # type: ignore[arg-type]
        else:
            a0 = st.number_input(
                "Start a", step=0.5, format="%g", **_checked(A0_KEY, "a0", "Start a"),
                help="The slope the model starts from.",
            )
        if "b" in hidden:
            b0 = float(_kept(B0_KEY))  # type: ignore[arg-type]
        else:
            b0 = st.number_input(
                "Start b", step=0.5, format="%g", **_checked(B0_KEY, "b0", "Start b"),
                help="The intercept the model starts from.",
            )
    show_typed_notice(A0_KEY, B0_KEY)
    regime_slot: DeltaGenerator | None = None
    bounds = fit_rate(points)  # the data decide which rates are allowed (ui/rate_control.py)
    if "lr" in hidden:
        lr = float(_kept(LR_KEY))  # type: ignore[arg-type]
    else:
        lr, regime_slot = rate_inputs(
            bounds, _checked(LR_KEY, "lr", "Learning rate"), after_field=lambda: show_typed_notice(LR_KEY)
        )
    if "steps" in hidden:
        steps = int(_kept(STEPS_KEY))  # type: ignore[call-overload]
    else:
        steps = st.number_input(
            "Steps (updates)", step=1, **_checked(STEPS_KEY, "steps", "Steps (updates)"),
            help=f"How many rounds of predict → loss → gradient → update to run (0 to {STEPS_MAX}).",
        )
        show_typed_notice(STEPS_KEY)
    if "mode" in hidden:
        hand = bool(_kept(HAND_KEY))
    else:
        hand = st.toggle(
            "Hand calculation (round to 4 decimals)", key=HAND_KEY,
            help="Round a and b to 4 decimals after every update, as on paper; reproduces the article to the digit.",
        )
    return a0, b0, lr, steps, hand, regime_slot


def _presets() -> None:
    # Runs only while open (on_change="rerun"): nine buttons fewer to build and draw on every rerun.
    with st.expander("Presets", icon=":material/bolt:", key=PRESETS_OPEN_KEY, on_change="rerun") as box:
        if not box.open:
            return
        # One column, in the order the rates grow: two columns in a 300 px sidebar cut the labels
        # short ("Oversho…"), and a button's label must be read whole.
        for preset in PRESETS:
            st.button(
                preset.label, key=f"ctl_preset_{preset.key}", help=preset.help,
                on_click=_apply_preset, args=(preset.key,), width="stretch",
            )
        st.button(
            "Reset to the article", key="ctl_reset", on_click=_apply_preset, args=("article",),
            icon=":material/restart_alt:", width="stretch",
        )


def share_link(experiment: Experiment) -> str:
    """The full address of this page with everything in use (what the address bar holds)."""
    base = st.context.url or ""
    if base and not urlsplit(base).path:
        base += "/"  # the root's address reads http://host/?lr=… as the address bar shows it
    query = urlencode(current_query(experiment), safe=":,")
    return f"{base}?{query}" if query else base


SHARE_TITLE = "**Share this experiment**"


def _share_box(experiment: Experiment) -> None:
    # The title and the hint are one Markdown element: on every run of every page a whole class's
    # first views pay per element (PERFORMANCE.md). The link stays a code box of its own: its copy
    # button, and its wrapping in a closed phone sidebar (axe: a Markdown code fence scrolled there).
    st.markdown(f"{SHARE_TITLE}  \n:small[Copy it with the button in the box; the address bar holds the same link.]")
    st.code(share_link(experiment) or "(link appears when the app runs in a browser)", language=None, wrap_lines=True)


def _kept_points() -> list[tuple[float, float]]:
    count = int(_kept(N_POINTS_KEY))  # type: ignore[call-overload]
    return [(float(_kept(_x_key(i))), float(_kept(_y_key(i)))) for i in range(count)]  # type: ignore[arg-type]


def _control_keys(name: str) -> list[str]:
    """The session-state keys of one hideable control (``core.links.options.HIDEABLE``)."""
    if name == "data":
        count = int(st.session_state.get(N_POINTS_KEY, 1))
        return [N_POINTS_KEY, *(key for i in range(count) for key in (_x_key(i), _y_key(i)))]
    return {"a": [A0_KEY], "b": [B0_KEY], "lr": [LR_KEY], "steps": [STEPS_KEY], "mode": [HAND_KEY]}.get(name, [])


def _send_returning_values(hidden: Collection[str]) -> None:
    """A control left out last run and drawn again now: write its keys again, before it is drawn.

    Streamlit sends a re-created widget's value to the browser only when code set it in this
    run; otherwise the browser's new field starts from the widget's default (0), and the next
    rerun sends that 0 back. After Many parameters (which leaves out the data and the starts),
    a change on another page turned them into zeros.
    """
    before = st.session_state.get(HIDDEN_BEFORE_KEY, frozenset())
    for name in before - set(hidden):
        for key in _control_keys(name):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state[HIDDEN_BEFORE_KEY] = frozenset(hidden)


def render_sidebar(hidden: Collection[str] = frozenset()) -> Experiment:
    """Draw the shared controls and return the experiment every page uses this run.

    ``hidden`` names controls left out of the sidebar (``core.links.options.HIDEABLE``: a
    lesson link's ``hide=``, or a page that does not use them); they keep their values.
    ``"regime"`` leaves out the line's caption under the learning rate (a page with another model).
    """
    _load_from_url_once()
    _send_returning_values(hidden)
    with st.sidebar:
        if "data" in hidden:
            points = _kept_points()
        else:
            st.subheader("Data", anchor=False)
            points = _data_inputs()
        if not {"a", "b", "lr", "steps", "mode"} <= set(hidden):
            st.subheader("Training", anchor=False)
        a0, b0, lr, steps, hand, regime_slot = _parameter_inputs(hidden, points)
        # Each typed value was already checked by core's rules (ui/typed_values.py), so no notice here.
        experiment, _ = validate(
            {"points": points, "a0": a0, "b0": b0, "lr": lr, "steps": steps, "mode": "hand" if hand else "exact"}
        )
        if regime_slot is not None and "regime" not in hidden:  # "regime": a page whose model is not the line
            regime_slot.caption(regime_caption(experiment) or regime_sentence(experiment))
        if "presets" not in hidden:
            _presets()
    st.session_state[EXPERIMENT_KEY] = experiment
    return experiment


def finish_run(experiment: Experiment, hidden: Collection[str] = frozenset()) -> None:
    """After the page ran: show the share link under the sidebar's controls and rewrite the address bar.

    Drawn only now, once the page has added its part of the link (a step, a tab): straight into the
    sidebar, not into a slot reserved earlier, which was one more element on every run.
    """
    if "share" not in hidden:
        with st.sidebar:
            _share_box(experiment)
    sync_url(experiment)


def render_notices(experiment: Experiment) -> None:
    """Say which share-link values were replaced, while the experiment is still the one they were about."""
    notices: Sequence[Notice] = (*st.session_state.get(NOTICES_KEY, ()), *st.session_state.get(LINK_NOTICES_KEY, ()))
    if not notices or st.session_state.get(NOTICES_FOR_KEY) != experiment:
        return
    notice_box(
        "Some values in the link could not be used as given:",
        [f"{notice.message} (“{notice.param}” in the link)" for notice in notices],
    )


# The sidebar's controls of the experiment, as the summary line names them.
CHANGEABLE = {"data": "the data", "a": "the start", "b": "the start", "lr": "the learning rate",
              "steps": "the steps", "mode": "the rounding"}


def what_to_change(hidden: Collection[str]) -> str | None:
    """"change it", or what a link that hides some controls leaves to change ("change the learning rate");
    None when it hides them all. A teacher playtest: "change it in the sidebar" stood under a link that
    left only the learning rate there."""
    shown = list(dict.fromkeys(words for key, words in CHANGEABLE.items() if key not in hidden))
    if not shown:
        return None
    if len(shown) == len(set(CHANGEABLE.values())):
        return "change it"
    return "change " + (shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}")


def render_summary(experiment: Experiment, hidden: Collection[str] = frozenset()) -> None:
    """One line naming the experiment in use, so a phone user (sidebar closed) knows what is shown.

    It always states every value, including those of hidden controls.
    """
    change = what_to_change(hidden)
    if change is None:
        st.caption(f"{describe(experiment)}.")
    else:
        st.caption(f"{describe(experiment)} · {change} in the sidebar (» at the top left on a phone).")
