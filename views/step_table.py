"""Step table: the run row by row, one round worked out with its numbers, and the same loop as code.

Thin page: the experiment comes from ``ui.state``, the trajectory from the cache, and every
number, sentence and formula from ``core.words.tables`` / ``core.words.explain``. The only state of its
own is the picked step, kept under ``step_table.*`` keys so it survives a trip to another page
and is clamped whenever the run gets shorter.
"""

from __future__ import annotations

import streamlit as st

from core.maths.experiment import Experiment
from core.maths.training import Trajectory
from core.words import explain, glossary, tables
from ui import cached, teacher, your_turn
from ui.components import display_math, html_block, prose, scroll_table, section
from ui.state import current_experiment

PICK_KEY = teacher.PICK_KEY  # the picked step; plain state, survives page switches (a link may set it)
SLIDER_KEY = "step_table.slider"  # the slider widget mirrors PICK_KEY
DERIVATION_KEY = "step_table.derivation_open"  # lazy expanders: open or closed
RATE_KEY = "step_table.rate_derivation_open"
EXPORTS_KEY = "step_table.exports_open"
YOUR_TURN_HELP = (
    "Work out each value of a round yourself — prediction, error, loss, gradients, update — and get told "
    "exactly where a slip came from. The link then opens with Your turn on (predict=on)."
)


# --- the step picker ------------------------------------------------------------------------


def _set_pick(step: int) -> None:
    st.session_state[PICK_KEY] = step
    st.session_state[SLIDER_KEY] = step


def _slider_moved() -> None:
    st.session_state[PICK_KEY] = st.session_state[SLIDER_KEY]


def _picked_step(trajectory: Trajectory) -> int:
    """The picked step, clamped to this run's rows (the run may have just got shorter)."""
    step = trajectory.clamp_step(st.session_state.get(PICK_KEY, 0))
    st.session_state[PICK_KEY] = step
    return step


def _step_picker(trajectory: Trajectory, step: int) -> None:
    """A slider plus previous/next buttons; they only change session state, the page reads it."""
    last = trajectory.last_step
    if last == 0:
        st.caption("With 0 steps the table has a single row: the start.")
        return
    st.session_state[SLIDER_KEY] = step  # before the widget exists: keeps it in line with the buttons
    st.slider(
        "Pick a step to highlight and work out below",
        min_value=0,
        max_value=last,
        step=1,
        key=SLIDER_KEY,
        on_change=_slider_moved,
    )
    with st.container(horizontal=True, gap="small"):
        st.button(
            "Previous", key="step_table.previous", icon=":material/chevron_left:", disabled=step <= 0,
            on_click=_set_pick, args=(max(step - 1, 0),),
        )
        st.button(
            "Next", key="step_table.next", icon=":material/chevron_right:", icon_position="right",
            disabled=step >= last, on_click=_set_pick, args=(min(step + 1, last),),
        )


# --- sections ------------------------------------------------------------------------------


def _introduction(trajectory: Trajectory) -> bool:
    """The title, the "Your turn" switch and the setup; returns whether Your turn is on."""
    intro = cached.introduction(trajectory.experiment)
    st.title("Every step of one training run", anchor=False)
    on = your_turn.switch("step_table", YOUR_TURN_HELP)
    blocks = ["The model is a straight line with two numbers to learn, **a** and **b**:", display_math(intro.model),
              intro.setup, intro.goal]
    if not on:  # the first guess is step 0's prediction: the student's to work out
        blocks += ["**The first guess**", display_math(intro.first_prediction), intro.first_miss]
    prose(*blocks)
    return on


def _table(trajectory: Trajectory, step: int, yours: bool) -> None:
    if yours:
        section(
            "The table",
            f"Your turn: the rows after step {step} are hidden, and each **?** in row {step} is yours to work "
            "out below. Pick another step to start from there.",
        )
        _step_picker(trajectory, step)
        your_turn.table(trajectory, step)
        return
    table = cached.step_table(trajectory.experiment)
    if trajectory.experiment.single_point:
        lead = (
            "One row per step. Each row holds a and b before that step's update, the prediction and error "
            "they give, the two gradients measured there, and the loss."
        )
    else:
        lead = (
            "One row per step: a and b before that step's update, the two gradients measured there and the "
            "loss (the mean over all points). Each point's prediction and error are in the box below the table."
        )
    section("The table", lead)
    _step_picker(trajectory, step)
    if table.note:
        st.warning(table.note, icon=":material/warning:")
    html_block(cached.step_table_box(trajectory.experiment, step))
    if not trajectory.experiment.single_point:
        with st.expander(f"Each point at step {step}", icon=":material/scatter_plot:"):
            points = tables.point_table(trajectory, step)
            scroll_table(tables.to_html(points), label=f"Points at step {step}", rows=len(points.rows))


def _precision_note(trajectory: Trajectory) -> None:
    experiment = trajectory.experiment
    note = cached.precision_note(experiment, switch_shown="mode" not in teacher.hidden_controls())
    if experiment.hand:
        st.info(note, icon=":material/edit_note:")
    else:
        st.caption(note)


def _one_round(trajectory: Trajectory, step: int) -> None:
    worked = cached.one_round(trajectory.experiment, step)
    blocks = [
        f"### Step {worked.step}, worked out",
        "A round is always predict, measure, find the slope, adjust — here with this row's own numbers.",
    ]
    for part in worked.parts:
        blocks.append(f"**{part.number} · {part.title}** — {part.text}")
        blocks += [display_math(formula) for formula in part.formulas]
    prose(*blocks)
    # Closed expanders cost nothing: their content runs only while open (on_change="rerun").
    with st.expander(
        "Where the gradient comes from", icon=":material/functions:", key=DERIVATION_KEY, on_change="rerun"
    ) as derivation:
        if derivation.open:
            prose(*(block for line in explain.derivation(trajectory, step)
                    for block in (line.text, display_math(line.latex))))


def _what_to_notice(trajectory: Trajectory, step: int) -> None:
    section("What to notice", *(block for fact in cached.what_to_notice(trajectory.experiment, step)
            for block in (f"**{fact.title}.** {fact.text}", display_math(fact.latex) if fact.latex else "")))
    with st.expander("Where r comes from", icon=":material/functions:", key=RATE_KEY, on_change="rerun") as rate:
        if rate.open:
            prose(*(block for line in explain.rate_derivation(trajectory, step)
                    for block in (line.text, display_math(line.latex))),
                  "**Words used about learning rates**", *glossary.glossary_lines())


def _code(trajectory: Trajectory) -> None:
    section(
        "The same loop in Python",
        "Training is a short loop: predict, measure the loss, compute the gradient, update. This one uses the "
        "numbers above and prints the table's rows (with 4 decimals); paste it into any Python to check.",
    )
    # Wrapped, not scrolled sideways: a scrolling code box cannot be reached by keyboard (axe's
    # scrollable-region-focusable), and on a phone a wrapped line is read without panning.
    st.code(explain.training_loop_code(trajectory), language="python", wrap_lines=True)


def _exports(experiment: Experiment) -> None:
    section(
        "Take the table with you",
        "The same rows and digits as on screen, for a spreadsheet, notes or a LaTeX document.",
    )
    # The files are handed over with the page (their text made once per experiment and shared by
    # the class), not made on click: Streamlit 1.67 keeps a file made on click only until two more
    # script runs finish anywhere in the process, so in a busy class a click could get a 404, and
    # after a reconnect a click-made file was refused for the old session id.
    exports = (
        ("CSV", "csv", "step-table.csv", "text/csv", ":material/table_view:", "text"),
        ("Markdown", "markdown", "step-table.md", "text/markdown", ":material/markdown:", "markdown"),
        ("LaTeX", "latex", "step-table.tex", "application/x-tex", ":material/functions:", "latex"),
    )
    with st.container(horizontal=True, gap="small"):
        for name, kind, file_name, mime, icon, _ in exports:
            st.download_button(
                name, cached.export_text(experiment, kind), file_name=file_name, mime=mime, icon=icon,
                on_click="ignore", key=f"step_table.download_{name.lower()}",
            )
    with st.expander("Show the exported text", icon=":material/code:", key=EXPORTS_KEY, on_change="rerun") as shown:
        if shown.open:
            names = [name for name, *_ in exports]
            for tab, (_, kind, _, _, _, language) in zip(st.tabs(names), exports, strict=True):
                with tab:
                    st.code(cached.export_text(experiment, kind), language=language)


def main() -> None:
    experiment = current_experiment()
    trajectory = cached.trajectory(experiment)
    step = _picked_step(trajectory)
    yours = _introduction(trajectory)
    _table(trajectory, step, yours)
    if yours:
        your_turn.panel(trajectory, step, PICK_KEY)
        st.caption("The worked-out round, what to notice, the code and the exports return when Your turn is off.")
        return
    _precision_note(trajectory)
    _one_round(trajectory, step)
    _what_to_notice(trajectory, step)
    _code(trajectory)
    _exports(experiment)


main()
