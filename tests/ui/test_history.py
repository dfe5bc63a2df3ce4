"""Back and Forward through the real app (AppTest): an address brought back is opened as a link.

Streamlit 1.67 reruns the script when the browser goes Back or Forward, with the restored
address and a history-navigation flag (``ui.link.history_navigation``). AppTest cannot press
Back, so these tests give the run the restored address and raise the flag; the real button is
tested in tests/browser/test_history_browser.py.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.maths.experiment import Experiment
from ui import teacher
from ui.controls import STEPS_KEY
from ui.link import WRITTEN_KEY
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"


def experiment_of(at: AppTest) -> Experiment:
    experiment = at.session_state[EXPERIMENT_KEY]
    assert isinstance(experiment, Experiment)
    return experiment


def steps_field(at: AppTest):
    return next(widget for widget in at.number_input if widget.key == STEPS_KEY)


def last_written(at: AppTest) -> dict[str, str]:
    """The address the app wrote at the end of its last run."""
    written = list(at.session_state[WRITTEN_KEY])
    return {key: values[-1] for key, values in written[-1]}


def restore(at: AppTest, monkeypatch: pytest.MonkeyPatch, query: dict[str, str]) -> None:
    """Rerun as Streamlit does after Back: the earlier address, flagged as history navigation."""
    at.query_params.clear()
    for key, value in query.items():
        at.query_params[key] = value
    monkeypatch.setattr(teacher, "history_navigation", lambda: True)
    at.run()
    monkeypatch.setattr(teacher, "history_navigation", lambda: False)
    assert not at.exception, [e.message for e in at.exception]


def test_back_opens_the_restored_address_instead_of_keeping_the_widgets(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["steps"] = "8"
    at.run()
    steps_field(at).set_value(12).run()
    assert experiment_of(at).steps == 12

    restore(at, monkeypatch, {"steps": "8"})
    assert experiment_of(at).steps == 8
    assert steps_field(at).value == 8

    steps_field(at).set_value(5).run()  # the article's count: the address has no steps
    steps_field(at).set_value(9).run()
    restore(at, monkeypatch, {})
    assert experiment_of(at) == Experiment()
    assert steps_field(at).value == 5


def test_an_address_the_app_never_wrote_keeps_what_is_on_screen(monkeypatch):
    """Without the page's script, a page switch leaves a bare entry (no link parameters) in the
    history: Back onto it must not throw the student's experiment away for the article's."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lr"] = "0.4"
    at.run()
    restore(at, monkeypatch, {})
    assert experiment_of(at).lr == 0.4


def test_a_widget_change_after_back_is_kept(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    steps_field(at).set_value(9).run()
    restore(at, monkeypatch, {})
    steps_field(at).set_value(7).run()  # an ordinary rerun: the student's value wins again
    assert experiment_of(at).steps == 7


def test_back_to_a_lesson_stop_reopens_the_stop(monkeypatch):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"lesson": "learning-rate", "stop": "1"})
    at.run()
    stop_one, address_one = experiment_of(at), last_written(at)
    at.button(key="teacher_next").click().run()
    at.run()  # the stop opens on the run after the button's
    assert at.session_state[teacher.LESSON_KEY] == ("learning-rate", 2)
    assert experiment_of(at) != stop_one

    restore(at, monkeypatch, address_one)
    assert experiment_of(at) == stop_one
    assert at.session_state[teacher.LESSON_KEY] == ("learning-rate", 1)
