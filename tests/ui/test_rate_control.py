"""The sidebar's learning rate (issue #18, item 7): bounds from the data, a log slider kept in sync.

Through the real app (AppTest): the typed field's minimum is never above the rate the data need,
the slider moves the rate in a few presses and follows a typed value, and a data edit that moves
the bounds past the rate says so instead of silently resetting it.
"""

from __future__ import annotations

from app_elements import shown_html
from streamlit.testing.v1 import AppTest

from core.maths.rate_bounds import rate_bounds
from core.maths.theory import Regime, regime
from core.words.notation import literal
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"
FAR = ((1.0, 4.0), (100.0, 4.0))


def open_link(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def notices_text(at: AppTest) -> str:
    return " ".join(element.value for element in at.markdown) + " ".join(str(e.proto) for e in shown_html(at))


def test_far_apart_points_get_a_rate_field_that_reaches_their_one_step_rate() -> None:
    at = open_link({"data": "1:4,100:4"})
    field = at.sidebar.number_input(key="ctl_lr")
    assert field.value == 4e-05 and field.step == 1e-06
    slider = at.sidebar.select_slider(key="ctl_lr_scale")
    assert slider.options[0] == "1e-08" and slider.options[-1] == "0.005"  # the data's bounds
    experiment = at.session_state[EXPERIMENT_KEY]
    assert experiment.lr == 4e-05 and regime(experiment) is Regime.SMOOTH  # the default no longer blows up
    assert at.query_params["lr"] == "4e-05"
    assert "the link gives none" in notices_text(at)


def test_a_link_with_the_one_step_rate_opens_exactly_on_it() -> None:
    one_step = literal(float(f"{rate_bounds(FAR).one_step:.12g}"))
    at = open_link({"data": "1:4,100:4", "lr": one_step})
    assert at.session_state[EXPERIMENT_KEY].lr == float(one_step)
    assert regime(at.session_state[EXPERIMENT_KEY]) is Regime.ONE_STEP
    assert at.query_params["lr"] == one_step
    assert at.sidebar.select_slider(key="ctl_lr_scale").value == float(one_step)


def test_the_one_step_rate_can_be_typed_and_a_rate_below_the_bounds_is_replaced() -> None:
    at = open_link({"data": "1:4,100:4"})
    one_step = float(f"{rate_bounds(FAR).one_step:.12g}")  # 9.998e-05, below the old minimum 0.0001
    at.sidebar.number_input(key="ctl_lr").set_value(one_step).run()
    assert at.session_state[EXPERIMENT_KEY].lr == one_step
    assert regime(at.session_state[EXPERIMENT_KEY]) is Regime.ONE_STEP
    at.sidebar.number_input(key="ctl_lr").set_value(1e-9).run()
    assert at.session_state[EXPERIMENT_KEY].lr == 1e-08
    assert at.sidebar.number_input(key="ctl_lr").value == 1e-08
    assert at.sidebar.select_slider(key="ctl_lr_scale").value == 1e-08


def test_a_link_rate_above_the_datas_bounds_is_replaced_with_a_notice() -> None:
    at = open_link({"data": "1:4,100:4", "lr": "0.1"})
    assert at.session_state[EXPERIMENT_KEY].lr == 0.005
    assert at.query_params["lr"] == "0.005"
    text = notices_text(at)
    assert "0.1 is above the largest rate these data allow, 0.005" in text and "“lr” in the link" in text


def test_the_log_slider_sets_the_rate_in_one_move_and_follows_typing() -> None:
    at = open_link({})
    slider = at.sidebar.select_slider(key="ctl_lr_scale")
    assert slider.label == "Learning rate, log scale"
    assert slider.value == 0.1 and slider.options[0] == "0.0001" and slider.options[-1] == "10"
    assert slider.options.index("0.4") - slider.options.index("0.1") == 6  # six arrow presses, not 30 taps

    slider.set_value(0.4).run()
    assert at.sidebar.number_input(key="ctl_lr").value == 0.4
    assert at.session_state[EXPERIMENT_KEY].lr == 0.4
    assert at.query_params["lr"] == "0.4"

    at.sidebar.number_input(key="ctl_lr").set_value(0.123).run()
    slider = at.sidebar.select_slider(key="ctl_lr_scale")
    assert slider.value == 0.123 and "0.123" in slider.options
    assert at.session_state[EXPERIMENT_KEY].lr == 0.123


def test_a_preset_moves_the_slider_too() -> None:
    at = open_link({})
    at.sidebar.expander[0].open = True  # the presets are drawn only while open
    at.session_state["ctl_presets_open"] = True
    at.run()
    overshoot = next(button for button in at.sidebar.button if button.key == "ctl_preset_overshoot")
    overshoot.click().run()
    assert at.sidebar.select_slider(key="ctl_lr_scale").value == 0.4
    assert at.session_state[EXPERIMENT_KEY].lr == 0.4


def test_a_data_edit_that_moves_the_bounds_past_the_rate_says_so() -> None:
    at = open_link({"lr": "0.4"})
    at.sidebar.number_input(key="ctl_x_0").set_value(100.0).run()
    assert not at.exception
    assert at.session_state[EXPERIMENT_KEY].lr == 0.002  # the nearest allowed rate at x = 100, as for a link
    assert at.sidebar.number_input(key="ctl_lr").value == 0.002
    captions = [caption.value for caption in at.sidebar.caption]
    assert any("0.4 is above the largest rate these data allow, 0.002" in caption for caption in captions)
    at.sidebar.number_input(key="ctl_steps").set_value(6).run()  # said once, not on every run
    assert not any("largest rate" in caption.value for caption in at.sidebar.caption)
