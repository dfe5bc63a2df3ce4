""""Your turn" on the step table: the student types each value of a round and is told what went wrong.

The switch is one session-wide flag (``predict=on`` in the link opens it), mirrored by a toggle
on each page that offers it. The round, the answers and the record live in session state only:
nothing is kept on the server beyond the session. Every check and every sentence comes from core
(``core.maths.diagnosis``, ``core.words.your_turn``); this module only lays them out and keeps
the round's progress.

Keyboard flow: one answer field whose label names the value asked for. Enter checks it (the
field sits in a form); the field keeps its identity from value to value, so focus stays in it
and the student types the next value straight away.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from core.maths.answer import parse_answer
from core.maths.diagnosis import Quantity, diagnose, round_quantities
from core.maths.experiment import Experiment
from core.maths.round_values import still_right
from core.maths.training import Trajectory
from core.words import hints, tables
from core.words import your_turn as words
from core.words.notation import cell
from ui import cached
from ui.components import html_block, scroll_table
from ui.link import contribute, link_generation, link_options

ON_KEY = "your_turn.on"  # plain state: survives page switches, shared by every page
GENERATION_KEY = "your_turn.link_generation"  # which opened link set ON_KEY last
ROUND_KEY = "your_turn.round"
RECORD_KEY = "your_turn.record"
ANSWER_KEY = "your_turn.answer"
FORM_KEY = "your_turn.form"
SUBMITTED_KEY = "your_turn.submitted"  # counts checks: the run after one puts focus back in the field
STUCK_AFTER = 3  # wrong tries on one value before the hint points to "Show me"
ANNOUNCE_KEY = "your_turn.announce"  # what "Show me" filled in, said once to a screen reader

# After a check the page reruns and the browser drops focus; ``your_turn_focus.js`` (beside this
# file) puts it back in the answer field. The count in the comment makes each script new, so
# Streamlit runs it again.
_REFOCUS_JS = Path(__file__).with_name("your_turn_focus.js").read_text(encoding="utf-8")


def _refocus_script(count: int) -> str:
    return f"<script>/* check {count} */\n(() => {{\n{_REFOCUS_JS}\n}})();\n</script>"


# --- the switch ----------------------------------------------------------------------------------


def is_on() -> bool:
    """Your turn is on: from the link when it was opened (``predict=on``), then from the switch."""
    generation = link_generation()  # a lesson stop opened since counts as a new link
    if ON_KEY not in st.session_state or st.session_state.get(GENERATION_KEY) != generation:
        options, _ = link_options()  # its notices are shown with the link's others (ui.teacher)
        st.session_state[ON_KEY] = options.predict
        st.session_state[GENERATION_KEY] = generation
    return bool(st.session_state[ON_KEY])


def keep_in_link() -> bool:
    """Put ``predict=on`` in this run's address bar when Your turn is on (every page calls this)."""
    on = is_on()
    if on:
        contribute({"predict": "on"})
    return on


def _switched(widget_key: str) -> None:
    st.session_state[ON_KEY] = bool(st.session_state[widget_key])


def switch(page: str, help_text: str) -> bool:
    """The page's "Your turn" toggle, kept in line with the session's flag; True when on."""
    widget_key = f"your_turn.switch.{page}"
    st.session_state[widget_key] = keep_in_link()  # before the widget: follows the flag set elsewhere
    st.toggle("Your turn", key=widget_key, on_change=_switched, args=(widget_key,), help=help_text)
    return bool(st.session_state[ON_KEY])


# --- the round's progress --------------------------------------------------------------------------


@dataclass
class Round:
    """The round being worked out: which values are done and how, and what to say about the last try."""

    experiment: Experiment
    step: int
    done: dict[Quantity, str] = field(default_factory=dict)  # "first", "retry" or "shown"
    tries: int = 0  # wrong tries on the value now asked for
    feedback: hints.Feedback | None = None
    problem: str | None = None  # the typed text was not a number
    finished: str | None = None  # what the last finished round gave (shown above the next one)
    revealed_last: Quantity | None = None  # the finished round's last value, when "Show me" filled it in
    changed: str | None = None  # what a sidebar change mid-round kept and undid (said in this round)

    def asked(self, trajectory: Trajectory) -> Quantity | None:
        for quantity in round_quantities(trajectory, self.step):
            if quantity not in self.done:
                return quantity
        return None


@dataclass
class Record:
    answered: int = 0
    first_time: int = 0
    shown: int = 0
    mistakes: Counter = field(default_factory=Counter)


def _record() -> Record:
    if not isinstance(st.session_state.get(RECORD_KEY), Record):
        st.session_state[RECORD_KEY] = Record()
    return st.session_state[RECORD_KEY]


def current_round(trajectory: Trajectory, step: int) -> Round:
    """The round at the picked step; a new one when the step or the experiment changed.

    When the sidebar changed the experiment mid-round, the values it does not touch stay done
    (core.maths.round_values.still_right) and the round says what changed, instead of silently
    starting over.
    """
    state = st.session_state.get(ROUND_KEY)
    if isinstance(state, Round) and state.experiment == trajectory.experiment and state.step == step:
        return state
    fresh = Round(trajectory.experiment, step)
    if isinstance(state, Round) and state.step == step and state.done:
        before = cached.trajectory(state.experiment)
        kept = still_right(before, trajectory, step, list(state.done))
        fresh.done = {quantity: state.done[quantity] for quantity in kept}
        dropped = [quantity for quantity in state.done if quantity not in kept]
        if dropped:
            fresh.changed = words.round_changed(kept, dropped)
    st.session_state[ROUND_KEY] = fresh
    return fresh


def _complete(state: Round, trajectory: Trajectory, quantity: Quantity, how: str, pick_key: str) -> None:
    """A value is done: record it; when the round is complete, open the next step."""
    state.done[quantity] = how
    state.tries, state.feedback, state.problem = 0, None, None
    record = _record()
    record.answered += 1
    record.first_time += how == "first"
    record.shown += how == "shown"
    if state.asked(trajectory) is not None:
        return
    step = state.step
    if step < trajectory.last_step:
        state.finished = words.round_finished(trajectory, step)
        st.session_state[pick_key] = step + 1  # the step table opens the next round
        revealed = quantity if how == "shown" else None  # its working would vanish with the round
        st.session_state[ROUND_KEY] = Round(
            trajectory.experiment, step + 1, finished=state.finished, revealed_last=revealed
        )
    else:
        state.finished = words.run_finished(trajectory)


def _started(state: Round) -> None:
    """The student works on this round now: the last round's green "complete" goes (a playtest saw it
    stay above every wrong try of the next round, praise beside a slip)."""
    state.finished, state.revealed_last = None, None


def _submitted() -> None:
    st.session_state[SUBMITTED_KEY] = int(st.session_state.get(SUBMITTED_KEY, 0)) + 1
    st.session_state[f"{SUBMITTED_KEY}.now"] = True


def _check(trajectory: Trajectory, step: int, pick_key: str) -> None:
    """Form callback: read the typed text, diagnose it, keep the verdict for the next run."""
    _submitted()
    state = current_round(trajectory, step)
    quantity = state.asked(trajectory)
    if quantity is None:
        return
    _started(state)
    parsed = parse_answer(st.session_state.get(ANSWER_KEY))
    if parsed.value is None:
        state.problem, state.feedback = parsed.problem, None
        return
    diagnosis = diagnose(trajectory, step, quantity, parsed.value)
    if diagnosis.right:
        _complete(state, trajectory, quantity, "first" if state.tries == 0 else "retry", pick_key)
        state.feedback = hints.feedback(trajectory, step, diagnosis)
        return
    state.tries += 1
    state.problem = None
    state.feedback = hints.feedback(trajectory, step, diagnosis)
    record = _record()
    for mistake in diagnosis.mistakes[:1]:
        record.mistakes[mistake.value] += 1


def _show(trajectory: Trajectory, step: int, pick_key: str) -> None:
    """Form callback for "Show me": the value asked for is filled in with its working."""
    _submitted()
    state = current_round(trajectory, step)
    quantity = state.asked(trajectory)
    if quantity is not None:
        _started(state)
        value = cell(words.working(trajectory, step, quantity).value)
        st.session_state[ANNOUNCE_KEY] = f"Shown: {words.field_label(trajectory, quantity)} is {value}."
        _complete(state, trajectory, quantity, "shown", pick_key)


# --- the panel -------------------------------------------------------------------------------


def table(trajectory: Trajectory, step: int) -> None:
    """The step table with the rows after ``step`` hidden and the round's unknowns shown as "?"."""
    state = current_round(trajectory, step)
    shown = words.round_table(trajectory, step, list(state.done))
    scroll_table(tables.to_html(shown, highlight=step), label="Step table, your turn", rows=len(shown.rows))


def _shown(trajectory: Trajectory, step: int, quantity: Quantity) -> None:
    """A value "Show me" filled in: its label, the value, why, and the working."""
    work = words.working(trajectory, step, quantity)
    label = words.field_label(trajectory, quantity)
    st.markdown(f":material/visibility: {label} — shown: **{cell(work.value)}**. {work.text}")
    st.latex(work.latex)


def _done_list(trajectory: Trajectory, state: Round) -> None:
    for quantity, how in state.done.items():
        if how == "shown":
            _shown(trajectory, state.step, quantity)
        else:
            value = cell(words.working(trajectory, state.step, quantity).value)
            st.markdown(f":material/check_circle: {words.field_label(trajectory, quantity)} — **{value}**")


def _feedback(state: Round) -> None:
    if state.problem:
        st.warning(state.problem, icon=":material/keyboard:")
        return
    said = state.feedback
    if said is None or said.right:  # a right value is confirmed above the next field (panel)
        return
    # A second try with the same slip gives the same hint: its count makes it new text, so a screen
    # reader announces it again (the alert element itself stays; keyboard playtest).
    again = f"Try {state.tries}: " if state.tries > 1 else ""
    # From the third try on, the way out is named (a playtest's seventh try read like its first).
    stuck = f" {words.STUCK}" if state.tries >= STUCK_AFTER else ""
    st.warning(f"{again}**{said.title}.** {said.text}{stuck}", icon=":material/lightbulb:")
    if said.latex:
        st.caption("The formula with this round's numbers — finish it yourself:")
        st.latex(said.latex)


def panel(trajectory: Trajectory, step: int, pick_key: str) -> None:
    """The round to work out: the values done so far, the field for the next one, the record."""
    state = current_round(trajectory, step)
    st.subheader(f"Your turn: step {step}", anchor="your-turn")
    if state.changed:
        st.info(state.changed, icon=":material/tune:")
    if state.finished:
        st.success(state.finished, icon=":material/task_alt:")
        if state.revealed_last is not None and step > 0:
            _shown(trajectory, step - 1, state.revealed_last)
    st.markdown(words.introduction(trajectory, step))
    if not trajectory.experiment.single_point:
        others = words.other_points_table(trajectory, step)
        st.caption(f"The other points at step {step}, worked out for you:")
        scroll_table(tables.to_html(others), label=f"The other points at step {step}", rows=len(others.rows))
    _done_list(trajectory, state)
    announce = st.session_state.pop(ANNOUNCE_KEY, None)
    if announce:  # the value shown appears above, out of the focus's way: a status says it (keyboard playtest)
        html_block(f'<p class="gd-visually-hidden" role="status">{html.escape(announce)}</p>')
    if state.feedback is not None and state.feedback.right:  # about the value above, not the next field
        said = state.feedback
        st.success(f"{said.title}. {said.text}" if said.text else said.title, icon=":material/check:")
    quantity = state.asked(trajectory)
    if quantity is not None:
        with st.form(FORM_KEY, clear_on_submit=True, enter_to_submit=True):
            st.text_input(
                words.field_label(trajectory, quantity), key=ANSWER_KEY,
                placeholder="a number", autocomplete="off",
            )
            _feedback(state)
            with st.container(horizontal=True, gap="small"):
                st.form_submit_button(
                    "Check", key="your_turn.check", icon=":material/done:", on_click=_check,
                    args=(trajectory, step, pick_key),
                )
                st.form_submit_button(
                    "Show me", key="your_turn.show", icon=":material/visibility:", on_click=_show,
                    args=(trajectory, step, pick_key),
                )
        if st.session_state.pop(f"{SUBMITTED_KEY}.now", False):
            html_block(_refocus_script(st.session_state[SUBMITTED_KEY]), unsafe_allow_javascript=True)
    _record_box()


def _record_box() -> None:
    record = _record()
    lines = words.record_lines(record.answered, record.first_time, record.shown, record.mistakes.most_common())
    with st.container(border=True):
        st.markdown("**Your record in this session**")
        for line in lines:
            st.caption(line)
