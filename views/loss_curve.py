"""Loss curve: how fast the loss falls, and what the learning rate does to it.

Thin page: it reads the one experiment, asks core for trajectories, figures, ratios and
the steps-to-converge table, and lays them out. The rate scale (plain HTML) sits on top; the
three views below it are tabs whose content runs only while open, so changing the learning
rate redraws one Plotly chart in the student's browser instead of four (see PERFORMANCE.md).
The open tab and the comparison set (which other rates to draw) are the page's own state,
kept in session state under ``loss_curve.*`` keys so they survive a trip to another page.
"""

from __future__ import annotations

import streamlit as st

from core.figures.curve_range import linear_shows_only_the_start
from core.figures.rate_strip import rate_strip_html
from core.maths.comparison import (
    PRESET_TOKENS,
    TOLERANCES,
    custom_token,
    distinct_picks,
    parse_rate,
    ratios,
    selected_rates,
    slotted_rates,
    token_label,
)
from core.maths.experiment import Experiment
from core.maths.rate_bounds import rate_bounds
from core.maths.theory import DEFAULT_TOLERANCE
from core.maths.training import Trajectory
from core.words import chart_text, glossary
from core.words.comparison_text import (
    already_drawn,
    convergence_rows,
    ratio_metrics,
    ratio_sentence,
    scale_caption,
    steps_caption,
)
from core.words.curve_notes import comparison_notes, error_notes, loss_notes, twin_sentence
from core.words.notation import decimal
from ui import cached, rate_fate, teacher, your_turn
from ui.charts import show_chart
from ui.components import html_block, loss_axis
from ui.state import current_experiment

SELECTION_KEY, CUSTOM_KEY = teacher.COMPARE_KEYS  # a link may set them (ui/teacher.py)
ADD_KEY = "loss_curve.add_rate"
ADD_BUTTON_KEY = "loss_curve.add"
MESSAGE_KEY = "loss_curve.add_message"
LOSS_SCALE_KEY = "loss_curve.loss_scale"
COMPARE_SCALE_KEY = "loss_curve.compare_scale"
TOLERANCE_KEY = "loss_curve.tolerance"
# The tabs widget, and the plain key that keeps the open tab across page switches (a link may set them).
VIEW_KEY, VIEW_KEPT_KEY = teacher.TAB_KEYS["loss-curve"]
VIEWS = ("Loss by step", "Error by step", "Learning rates side by side")  # the tabs, in order
YOUR_TURN_HELP = (
    "Predict what the learning rate does before the curves are drawn, then find the rate that needs the "
    "fewest updates. The link then opens with Your turn on (predict=on)."
)


def _add_rate(experiment: Experiment) -> None:
    """Button callback: check the typed rate with core's rules for these data, then add and select it."""
    rate, problem = parse_rate(st.session_state.get(ADD_KEY), experiment.points)
    if problem is not None or rate is None:
        st.session_state[MESSAGE_KEY] = problem
        return
    selection = list(st.session_state.get(SELECTION_KEY, PRESET_TOKENS))
    if rate == experiment.lr or rate in selected_rates(experiment, selection)[0]:
        st.session_state[MESSAGE_KEY] = already_drawn(rate, own=rate == experiment.lr)
        return
    st.session_state.pop(MESSAGE_KEY, None)
    token = custom_token(rate)
    customs = list(st.session_state.get(CUSTOM_KEY, []))
    if token not in customs:
        customs.append(token)
    st.session_state[CUSTOM_KEY] = customs
    if token not in selection:
        selection.append(token)
    st.session_state[SELECTION_KEY] = selection


def _rates_picked(experiment: Experiment) -> None:
    """Multiselect callback: a rate drawn already is not chipped twice; a removed rate of one's own leaves the choices.

    Removing it from the choices keeps the chart a copied link draws the same: a run's look follows
    its place among the choices (slotted_rates), and a link holds only the rates picked.
    """
    picks, repeats = distinct_picks(experiment, list(st.session_state.get(SELECTION_KEY, [])))
    if repeats:
        st.session_state[SELECTION_KEY] = picks
        st.session_state[MESSAGE_KEY] = already_drawn(repeats[0].rate, own=repeats[0].own)
    else:
        st.session_state.pop(MESSAGE_KEY, None)
    st.session_state[CUSTOM_KEY] = [token for token in st.session_state.get(CUSTOM_KEY, []) if token in picks]


def _comparison_controls(experiment: Experiment) -> tuple[list[str], list[str]]:
    """The multiselect of rates to compare and the add-a-rate row; returns the options and the selected tokens."""
    if SELECTION_KEY not in st.session_state:
        st.session_state[SELECTION_KEY] = list(PRESET_TOKENS)
    options = list(PRESET_TOKENS) + list(st.session_state.get(CUSTOM_KEY, []))
    selected = st.multiselect(
        "Compare your rate with",
        options,
        format_func=token_label,
        key=SELECTION_KEY,
        persist_state="session",
        help="Remove a rate with its ×; add your own below.",
        on_change=_rates_picked,
        args=(experiment,),
    )
    typed, button = st.columns([3, 1], vertical_alignment="bottom")
    bounds = rate_bounds(experiment.points)  # the rates these data allow, as in the sidebar
    typed.number_input(  # no browser-side bounds: Add answers any typed rate (parse_rate's reason)
        "Another learning rate",
        value=0.3 if bounds.contains(0.3) else bounds.default,
        step=bounds.step,
        format="%g",
        key=ADD_KEY,
        persist_state="session",  # a typed rate survives a trip to another tab
    )
    button.button("Add", key=ADD_BUTTON_KEY, on_click=_add_rate, args=(experiment,), width="stretch")
    message = st.session_state.get(MESSAGE_KEY)
    if message:
        st.warning(message)
    return options, selected


def _notes(lines: list[str]) -> None:
    for line in lines:
        st.caption(line)


def _tab_picked() -> None:
    """Remember the open tab in plain state: widget state is dropped while another page is shown."""
    st.session_state[VIEW_KEPT_KEY] = st.session_state[VIEW_KEY]


def _loss_by_step(experiment: Experiment, trajectory: Trajectory) -> None:
    """The first view: the loss with the signed error under it, and the rate that draws the same loss curve."""
    st.subheader("Loss by step", anchor=False)
    loss_log = loss_axis(LOSS_SCALE_KEY, log_first=linear_shows_only_the_start(trajectory))
    show_chart(
        cached.loss_chart(experiment, loss_log), key="loss_curve.loss_chart",
        label="Loss by step, with the signed error below",
        description=chart_text.loss_and_error_chart(trajectory, loss_log),
    )
    twin = twin_sentence(experiment)
    if twin:
        st.markdown(twin)
    _notes(loss_notes(trajectory, loss_log) + error_notes(trajectory))


def _error_by_step(experiment: Experiment, trajectory: Trajectory) -> None:
    st.subheader("Error by step, with its sign", anchor=False)
    chart_column, numbers = st.columns([3, 1], gap="large")
    with chart_column:
        chart = cached.error_chart(experiment)
        show_chart(
            chart, key="loss_curve.error_chart", label="Error by step, with its sign",
            description=chart_text.error_chart(trajectory),
        )
        _notes(error_notes(trajectory))
    with numbers:
        run_ratios = ratios(trajectory)
        for metric in ratio_metrics(run_ratios):
            st.metric(metric.label, metric.value, help=metric.help)
    st.caption(ratio_sentence(run_ratios))


def _side_by_side(experiment: Experiment, _trajectory: Trajectory) -> None:
    st.subheader("Learning rates side by side", anchor=False)
    st.markdown(
        "Same data, same start, same number of steps — only the learning rate differs. "
        "Your rate is the thick solid line."
    )
    options, selected = _comparison_controls(experiment)
    unavailable = selected_rates(experiment, selected)[1]
    rates = slotted_rates(experiment, options, selected)  # each rate keeps its look as others come and go
    if unavailable:
        st.caption("Not drawn (outside the rates the app runs for this data): " + ", ".join(unavailable) + ".")
    pairs = list(cached.compared(experiment, rates))
    compare_log = loss_axis(COMPARE_SCALE_KEY)
    chart = cached.comparison_chart(experiment, rates, compare_log)
    show_chart(
        chart, key="loss_curve.compare_chart", label="Loss by step for several learning rates",
        description=chart_text.comparison_chart(pairs),
    )
    _notes(comparison_notes(pairs, compare_log))

    st.subheader("Steps to converge", anchor=False)
    tolerance = st.segmented_control(
        "Converged means the loss is within this of its lowest value",
        TOLERANCES,
        default=DEFAULT_TOLERANCE,
        format_func=decimal,
        key=TOLERANCE_KEY,
        required=True,
        persist_state="session",
    )
    rows = convergence_rows([run for run, _ in pairs], tolerance if tolerance in TOLERANCES else DEFAULT_TOLERANCE)
    st.table(
        [{"learning rate": row.rate, "what it does": row.regime, "steps needed": row.steps} for row in rows],
        hide_index=True,
    )
    st.caption(steps_caption(experiment))


def main() -> None:
    experiment = current_experiment()
    trajectory = cached.trajectory(experiment)

    st.title("Loss curve", anchor=False)
    st.markdown(glossary.factor_intro(experiment))

    yours = your_turn.switch("loss_curve", YOUR_TURN_HELP)
    if yours and not rate_fate.prediction(experiment, rate_in_sidebar="lr" not in teacher.hidden_controls()):
        return  # the curves and the rate scale would give the answer away

    st.subheader("Where your rate sits", anchor=False)
    html_block(rate_strip_html(experiment))
    st.caption(scale_caption(experiment))

    # Only the open tab's content runs (on_change="rerun"): a rate change redraws one chart, not four.
    kept = st.session_state.get(VIEW_KEPT_KEY)
    if VIEW_KEY not in st.session_state and kept in VIEWS:
        st.session_state[VIEW_KEY] = kept  # back from another page: reopen the tab left open
    tabs = st.tabs(list(VIEWS), key=VIEW_KEY, on_change=_tab_picked)
    for tab, section in zip(tabs, (_loss_by_step, _error_by_step, _side_by_side), strict=True):
        if tab.open:
            with tab:
                section(experiment, trajectory)
    if yours:
        rate_fate.challenge_section(experiment)


main()
