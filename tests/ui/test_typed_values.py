"""A value typed into a sidebar field is always answered (AppTest through the real app).

The browser used to refuse an out-of-range value on its own (a red icon, the old value kept, no
word to the app). Now every typed number reaches the app, which uses the value core's link rules
give and says so under the field (issue #18, item 8). The browser side — the field showing the
value used, the hint not covering it — is in tests/browser/test_typed_values_browser.py.
"""

from __future__ import annotations

import html

from streamlit.testing.v1 import AppTest

from core.maths.experiment import STEPS_MAX, VALUE_LIMIT, Experiment
from ui.controls import A0_KEY, LR_KEY, STEPS_KEY
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"


def open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    return at


def experiment_of(at: AppTest) -> Experiment:
    experiment = at.session_state[EXPERIMENT_KEY]
    assert isinstance(experiment, Experiment)
    return experiment


def field(at: AppTest, key: str):
    return next(widget for widget in at.sidebar.number_input if widget.key == key)


def typed_notices(at: AppTest) -> list[str]:
    return [html.unescape(element.value) for element in at.sidebar.get("html") if "gd-typed-notice" in element.value]


def test_too_many_steps_are_cut_to_the_maximum_with_a_notice():
    at = open_app()
    field(at, STEPS_KEY).set_value(100_000).run()
    assert not at.exception
    assert experiment_of(at).steps == STEPS_MAX
    assert field(at, STEPS_KEY).value == STEPS_MAX  # the field shows the value in use
    assert len(typed_notices(at)) == 1
    assert f"Steps: 100000 is above the maximum {STEPS_MAX}; using {STEPS_MAX}." in typed_notices(at)[0]
    assert any('role="status"' in element.value for element in at.sidebar.get("html")
               if "gd-typed-notice" in element.value)  # a screen reader reads it out


def test_negative_steps_and_far_starts_are_brought_in_range():
    at = open_app()
    field(at, STEPS_KEY).set_value(-3).run()
    assert experiment_of(at).steps == 0
    assert "Steps: −3 is below 0; using 0." in typed_notices(at)[0]

    field(at, A0_KEY).set_value(-5000.0).run()
    assert experiment_of(at).a0 == -VALUE_LIMIT
    assert field(at, A0_KEY).value == -VALUE_LIMIT
    notices = typed_notices(at)
    assert len(notices) == 1  # the latest field's reason; the steps one is gone
    assert "Start a: −5000 is outside −1000 … 1000; using −1000." in notices[0]


def test_a_data_point_outside_the_limit_is_clamped_with_its_field_named():
    at = open_app()
    at.sidebar.button(key="ctl_add_point").click().run()
    field(at, "ctl_y_1").set_value(2500.0).run()
    assert experiment_of(at).points[1][1] == VALUE_LIMIT
    assert "y_true (point 2): 2500 is outside −1000 … 1000; using 1000." in typed_notices(at)[0]


def test_a_value_in_range_is_used_as_typed_and_clears_the_notice():
    at = open_app()
    field(at, STEPS_KEY).set_value(5000).run()
    assert typed_notices(at)
    field(at, STEPS_KEY).set_value(12).run()
    assert experiment_of(at).steps == 12
    assert typed_notices(at) == []


def test_the_notice_stays_while_the_value_it_explains_is_in_use_and_goes_with_a_preset():
    at = open_app()
    field(at, STEPS_KEY).set_value(5000).run()
    at.sidebar.toggle[0].set_value(True).run()  # another control: the steps are still the cut value
    assert experiment_of(at).steps == STEPS_MAX
    notices = typed_notices(at)
    assert len(notices) == 1 and "Steps: 5000" in notices[0]
    assert not any('role="status"' in element.value for element in at.sidebar.get("html")
                   if "gd-typed-notice" in element.value)  # read out once, then a plain note
    at.session_state["ctl_presets_open"] = True  # open the presets' box
    at.run()
    at.sidebar.button(key="ctl_reset").click().run()
    assert experiment_of(at) == Experiment()
    assert typed_notices(at) == []


def test_a_rate_beyond_the_datas_bounds_is_brought_in_with_the_reason():
    at = open_app()
    field(at, LR_KEY).set_value(50.0).run()
    assert experiment_of(at).lr == 10.0
    assert field(at, LR_KEY).value == 10.0
    assert "; using 10.</p>" in typed_notices(at)[0]
    assert "Learning rate: 50 is above" in typed_notices(at)[0]
