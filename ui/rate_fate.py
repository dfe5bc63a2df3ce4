""""Your turn" on the loss curve: predict what the rate will do, then the fewest-updates challenge.

The curves stay hidden until the student has said what this learning rate does with this data
(a prediction per data set and rate, kept for the session); then the answer comes with its
reason from the closed form. The challenge checks typed rates with core's closed-form counts.
Everything said comes from ``core.maths.challenge`` and ``core.words.rate_fate``.
"""

from __future__ import annotations

import streamlit as st

from core.maths import challenge
from core.maths.answer import parse_answer
from core.maths.comparison import parse_rate
from core.maths.experiment import Experiment
from core.maths.theory import Regime
from core.words import rate_fate as words
from core.words.notation import rate
from ui import your_turn

FATES_KEY = "your_turn.fates"  # {fate key: predicted Regime}, this session only
CHOICE_KEY = "your_turn.fate_choice"
FATE_PROBLEM_KEY = "your_turn.fate_problem"
ATTEMPTS_KEY = "your_turn.attempts"  # {experiment: [rates tried]}
RATE_KEY = "your_turn.challenge_rate"
RATE_PROBLEM_KEY = "your_turn.challenge_problem"
REVEAL_KEY = "your_turn.challenge_revealed"  # experiments whose best rate was asked for


def predicted(experiment: Experiment) -> Regime | None:
    """The student's prediction for this data and rate, if made this session."""
    return st.session_state.get(FATES_KEY, {}).get(challenge.fate_key(experiment))


def regime_caption(experiment: Experiment) -> str | None:
    """The sidebar's line under the rate while a prediction is awaited (it would name the answer)."""
    if your_turn.is_on() and predicted(experiment) is None:
        return "Your turn: predict what this rate does on the Loss curve page; its name appears here after."
    return None


def _predict(experiment: Experiment) -> None:
    choice = challenge.parse_fate(st.session_state.get(CHOICE_KEY))
    if choice is None:
        st.session_state[FATE_PROBLEM_KEY] = "Pick one of the five answers first."
        return
    st.session_state.pop(FATE_PROBLEM_KEY, None)
    fates = dict(st.session_state.get(FATES_KEY, {}))
    fates[challenge.fate_key(experiment)] = choice
    st.session_state[FATES_KEY] = fates


def _ask(experiment: Experiment) -> None:
    st.subheader("Your turn: what will this rate do?", anchor="your-turn")
    st.markdown(words.fate_question(experiment))
    choices = words.fate_choices(experiment)  # each true of one fate only
    with st.form("your_turn.fate_form"):
        st.radio(
            f"Learning rate {rate(experiment.lr)} will be …",
            [regime.value for regime in challenge.FATES],
            format_func=lambda value: choices[Regime(value)],
            index=None,
            key=CHOICE_KEY,
        )
        problem = st.session_state.get(FATE_PROBLEM_KEY)
        if problem:
            st.warning(problem, icon=":material/touch_app:")
        st.form_submit_button(
            "Predict", key="your_turn.predict", icon=":material/done:", on_click=_predict,
            args=(experiment,),
        )
    st.caption("The curves, the rate scale and the challenge appear once you have predicted.")


def prediction(experiment: Experiment, rate_in_sidebar: bool = True) -> bool:
    """Ask for the rate's fate, or show the answer; True once the student has predicted.

    ``rate_in_sidebar`` is False when the link hides the learning rate: the words then do not
    send the student looking for it.
    """
    guess = predicted(experiment)
    if guess is None:
        _ask(experiment)
        return False
    answer = words.fate_answer(experiment, challenge.fate(experiment), guess)
    st.subheader("Your prediction", anchor="your-turn")
    if answer.right:
        st.success(f"**{answer.title}** {answer.text}", icon=":material/check:")
    else:
        st.warning(f"**{answer.title}** {answer.text}", icon=":material/lightbulb:")
    st.latex(answer.latex)
    if rate_in_sidebar:
        st.caption("Change the learning rate in the sidebar to predict again.")
    else:
        st.caption("This link sets the learning rate; a link with another rate asks again.")
    return True


# --- the challenge ---------------------------------------------------------------------------


def _tried(experiment: Experiment) -> list[float]:
    return list(st.session_state.get(ATTEMPTS_KEY, {}).get(experiment, []))


def _try_rate(experiment: Experiment) -> None:
    parsed = parse_answer(st.session_state.get(RATE_KEY), example="0.3")
    value, problem = (parsed.value, parsed.problem)
    if value is not None:
        value, problem = parse_rate(value, experiment.points)  # the rates these data allow
    if problem is not None or value is None:
        st.session_state[RATE_PROBLEM_KEY] = problem
        return
    st.session_state.pop(RATE_PROBLEM_KEY, None)
    attempts = dict(st.session_state.get(ATTEMPTS_KEY, {}))
    rates = [r for r in attempts.get(experiment, []) if r != value]
    attempts[experiment] = [*rates, value]
    st.session_state[ATTEMPTS_KEY] = attempts


def _reveal(experiment: Experiment) -> None:
    st.session_state[REVEAL_KEY] = {*st.session_state.get(REVEAL_KEY, set()), experiment}


def challenge_section(experiment: Experiment) -> None:
    """Type rates, see the updates each needs and how far it is from the best; reveal on request."""
    st.subheader("Challenge: the fewest updates", anchor="challenge")
    st.markdown(words.challenge_intro(experiment))
    if challenge.already_there(experiment):
        st.info(words.best_line(experiment, challenge.best(experiment)))
        return
    with st.form("your_turn.challenge_form", clear_on_submit=True, enter_to_submit=True):
        st.text_input("Try a learning rate", key=RATE_KEY, placeholder="e.g. 0.2", autocomplete="off")
        problem = st.session_state.get(RATE_PROBLEM_KEY)
        if problem:
            st.warning(problem, icon=":material/keyboard:")
        st.form_submit_button(
            "Try it", key="your_turn.try_rate", icon=":material/bolt:", on_click=_try_rate,
            args=(experiment,),
        )
    fewest = challenge.best(experiment)
    attempts = [challenge.attempt(experiment, value, fewest) for value in _tried(experiment)]
    for line in reversed([words.attempt_line(attempt) for attempt in attempts]):
        st.markdown(f"- {line}")
    status = words.challenge_status(attempts)
    found = challenge.first_at_fewest(attempts) is not None
    if status:
        (st.success if found else st.info)(status)
    if found or experiment in st.session_state.get(REVEAL_KEY, set()):
        st.markdown(words.best_line(experiment, fewest))
    else:
        st.button(
            "Show the best rate", key="your_turn.reveal", icon=":material/visibility:", on_click=_reveal,
            args=(experiment,),
        )
