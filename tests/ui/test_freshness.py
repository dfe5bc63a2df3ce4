"""ui.freshness in a session that outlives a code reload: old modules' objects are dropped, not tripped on."""

from __future__ import annotations

import enum

from streamlit.testing.v1 import AppTest

from ui import freshness

APP = "../../app.py"


class _OldRegime(enum.Enum):
    """Stands for an enum of the modules before the push: a different class from today's Regime."""

    SMOOTH = "smooth"


_OldRegime.__module__ = "core.maths.rate_scale"  # as if defined by the app's own (old) module


def test_a_session_from_before_the_reload_forgets_the_old_objects_and_keeps_the_rest() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    current = at.session_state[freshness.STAMP_KEY]
    assert current == freshness._loaded_stamp
    # The state a student's session kept across a push: made by the old code, and plain values.
    at.session_state[freshness.STAMP_KEY] = current - 1
    at.session_state["loss_curve.fates"] = {_OldRegime.SMOOTH: "picked"}  # the playtest's KeyError
    at.session_state["plain"] = (0.3, "kept")
    at.number_input(key="ctl_lr").set_value(0.3)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert "loss_curve.fates" not in at.session_state
    assert at.session_state["plain"] == (0.3, "kept")
    assert at.number_input(key="ctl_lr").value == 0.3  # a widget's plain value survives
    assert at.session_state[freshness.STAMP_KEY] == current


def test_a_session_on_todays_code_keeps_everything() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.session_state["loss_curve.fates"] = {_OldRegime.SMOOTH: "picked"}
    at.run()
    assert "loss_curve.fates" in at.session_state  # nothing reloaded: nothing is dropped
