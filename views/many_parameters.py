"""Many parameters: a small neural network trained by the four steps the student already knows.

Thin page: the network's settings are the page's own controls (in the share link as ``units``,
``target``, ``points``, ``noise``, ``seed``), validated by ``core.maths.network_settings``; the
shared learning rate and steps come from the sidebar's experiment. Core trains the network
(cached per settings in ``ui.cached``), builds the figures and writes every sentence and table;
the fit moves through the run in the browser (Plotly frames), so Play never reruns this script.
"""

from __future__ import annotations

import functools

import streamlit as st

from core.figures.network import linear_shows_only_the_start
from core.maths import network_settings as ns
from core.maths.experiment import Notice
from core.maths.network import NetworkRun, climbing
from core.words import chart_text, network_tables, tables
from core.words import network as words
from core.words.notation import literal, read_cell
from ui import cached, teacher, typed_values, your_turn
from ui.charts import show_chart
from ui.components import display_math, loss_axis, notice_box, prose, scroll_table, section
from ui.controls import LR_KEY, STEPS_KEY
from ui.link import contribute, history_navigation, link_params
from ui.state import NETWORK_KEYS, current_experiment

KEYS = NETWORK_KEYS  # one widget per link parameter
NOTICES_KEY = "many._notices"
NOTICES_FOR_KEY = "many._notices_for"
PICK_KEY = "many.pick"  # the picked step: plain state, survives page switches
SLIDER_KEY = "many.step_slider"
SCALE_KEY = "many.loss_scale"
CHAIN_KEY = "many.chain_open"


# --- the page's own controls --------------------------------------------------------------


def _load_from_link_once() -> None:
    """The link decides the settings: on this page's first run, and when Back or Forward restored one.

    After Back or Forward the address is the one this page had then (``ui.link``): its settings
    come back with it. Other links opened meanwhile (a lesson stop) leave the student's settings.
    """
    if KEYS["units"] in st.session_state and not history_navigation():
        return
    settings, notices = ns.from_query(link_params())
    for name in ns.QUERY_KEYS:
        st.session_state[KEYS[name]] = getattr(settings, name)
    st.session_state[NOTICES_KEY] = notices
    st.session_state[NOTICES_FOR_KEY] = settings


def _controls() -> ns.NetworkSettings:
    """The network and data controls; their bounds are core's, so validating them adds no notice."""
    with st.container(border=True):
        st.markdown("**The network and its data**")
        left, right = st.columns(2, gap="medium")
        with left:
            units = st.slider(
                "Hidden units", 0, ns.UNITS_MAX, key=KEYS["units"], persist_state="session",
                help="0 is the line a·x + b of the other pages; each unit adds 3 parameters.",
            )
            target = st.selectbox(
                "Target curve", ns.TARGETS, key=KEYS["target"], persist_state="session",
                help="The curve the points are drawn from.",
            )
            points = st.slider(
                "Points", ns.POINTS_MIN, ns.POINTS_MAX, key=KEYS["points"], persist_state="session",
                help="How many training points, at random x between −1 and 1.",
            )
        with right:
            # No browser-side bounds: a browser refuses an out-of-range value without a word to the
            # app, so the app checks it and says what it used (ui.typed_values).
            noise = st.number_input(
                "Noise", step=0.05, format="%g", key=KEYS["noise"], persist_state="session",
                help="How far each point is scattered off the curve "
                f"(standard deviation, 0 to {literal(ns.NOISE_MAX)}).",
                on_change=typed_values.settle_with, args=(KEYS["noise"], functools.partial(ns.check_setting, "noise")),
            )
            seed = st.number_input(
                "Seed", step=1, key=KEYS["seed"], persist_state="session",
                help=f"Which random points and starting weights (0 to {literal(ns.SEED_MAX)}): "
                "the same seed gives the same run.",
                on_change=typed_values.settle_with, args=(KEYS["seed"], functools.partial(ns.check_setting, "seed")),
            )
            typed_values.show(KEYS["noise"], KEYS["seed"])
    settings, _ = ns.validate({"units": units, "target": target, "points": points, "noise": noise, "seed": seed})
    return settings


def _notices(settings: ns.NetworkSettings) -> None:
    """Say which link values were replaced, while the settings are still the ones they were about."""
    notices: tuple[Notice, ...] = st.session_state.get(NOTICES_KEY, ())
    if notices and st.session_state.get(NOTICES_FOR_KEY) == settings:
        notice_box(
            "Some values in the link could not be used as given:",
            [f"{notice.message} (“{notice.param}” in the link)" for notice in notices],
        )


def _use_suggestion(rate: float, steps: int) -> None:
    st.session_state[LR_KEY] = rate
    st.session_state[STEPS_KEY] = steps


# --- sections ---------------------------------------------------------------------------------


def _overview(run: NetworkRun) -> None:
    st.markdown(words.model_sentence(run.network.units))
    with st.container(horizontal=True):  # one block, not a row of three columns: fewer elements per view
        st.metric("Parameters", f"{run.network.size:,}", help=words.parameter_count_formula(run.network.units))
        st.metric("Loss at the start", read_cell(float(run.loop.loss[0])))
        st.metric(f"Loss after {run.last_step} updates", read_cell(float(run.loop.loss[-1])))
    advice = words.suggestion(run)
    if advice is not None:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.info(advice.text, icon=":material/warning:" if climbing(run) else ":material/lightbulb:")
            st.button(
                advice.button, key="many.suggest", on_click=_use_suggestion, args=(advice.rate, advice.steps),
                icon=":material/play_arrow:",
            )


def _fit(run: NetworkRun) -> None:
    st.subheader("The data and the network's curve", anchor="the-fit")
    show_chart(
        cached.network_fit_chart(run.settings, run.lr, run.steps), key="many_fit",
        label="Training points, the target curve and the network's curve at each step",
        description=chart_text.network_fit_chart(run),
    )
    st.caption(words.fit_caption(run))
    stopped = words.divergence_sentence(run)
    if stopped is not None:
        st.warning(stopped, icon=":material/warning:")


def _loss(run: NetworkRun) -> None:
    st.subheader("The loss by step", anchor="the-loss")
    log = loss_axis(SCALE_KEY, log_first=linear_shows_only_the_start(run))  # the run's axis until one is picked
    show_chart(
        cached.network_loss_chart(run.settings, run.lr, run.steps, log), key="many_loss",
        label="The loss at every step of the run",
        description=chart_text.network_loss_chart(run, log),
    )
    st.markdown(words.fit_sentence(run))
    st.caption(words.rate_sentence(run))


def _picked_step(run: NetworkRun) -> int:
    step = min(max(int(st.session_state.get(PICK_KEY, 0)), 0), run.last_step)
    st.session_state[PICK_KEY] = step
    return step


def _slider_moved() -> None:
    st.session_state[PICK_KEY] = st.session_state[SLIDER_KEY]


def _parameters(run: NetworkRun) -> None:
    st.subheader("Every parameter at one step", anchor="parameters")
    step = _picked_step(run)
    if run.last_step > 0:
        st.session_state[SLIDER_KEY] = step  # before the widget exists: clamped to this run
        st.slider("Pick a step", 0, run.last_step, key=SLIDER_KEY, on_change=_slider_moved)
    st.markdown(network_tables.parameter_table_lead(run, step))
    table = network_tables.parameter_table(run, step)
    scroll_table(tables.to_html(table), label=f"Parameters at step {step}", rows=len(table.rows))
    st.caption(network_tables.output_bias_check(run, step))


def _bridge(run: NetworkRun) -> None:
    section(
        "The same loop, two parameters or many",
        "The four steps of the step table, as code, for the line and for the network. In the network's loop every "
        "parameter sits in one vector θ, so the update is still one line.",
    )
    left, right = st.columns(2, gap="medium")
    for column, code, caption in zip(
        (left, right), (words.TWO_PARAMETER_LOOP, words.network_loop(run.network.units)), words.LOOP_CAPTIONS,
        strict=True,
    ):
        with column:
            st.code(code, language="python", wrap_lines=True)
            st.caption(caption)
    with st.expander("Backpropagation, layer by layer", icon=":material/functions:", key=CHAIN_KEY,
                     on_change="rerun") as chain:
        if chain.open:  # one element, each formula under its sentence (ui.components.prose)
            prose(*(block for line in words.chain_rule(run.network.units)
                    for block in (line.words, display_math(line.latex))))


def _sizes(run: NetworkRun) -> None:
    st.subheader("From 2 parameters to 175 billion", anchor="sizes")
    table = network_tables.sizes_table(run.network.units)
    scroll_table(tables.to_html(table), label="Parameter counts of this app's models and published ones",
                 rows=len(table.rows))
    st.caption("  \n".join(network_tables.size_sources()))
    st.markdown(network_tables.LARGE_MODELS_LINE)


# --- the page -----------------------------------------------------------------------------------

experiment = current_experiment()
_load_from_link_once()
st.title("Many parameters, the same four steps", anchor=False)
st.markdown(words.INTRODUCTION)
settings = _controls()
_notices(settings)
contribute(ns.to_query(settings))
your_turn.keep_in_link()  # predict=on stays in the link on this page too
network_run = cached.network_run(settings, experiment.lr, experiment.steps)
st.caption(words.shared_settings_sentence(experiment.lr, experiment.steps, teacher.hidden_controls()))
_overview(network_run)
_fit(network_run)
_loss(network_run)
_parameters(network_run)
_bridge(network_run)
_sizes(network_run)
