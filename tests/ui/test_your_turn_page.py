"""Your turn in AppTest: a student works out rounds of the step table and predicts on the loss curve."""

from __future__ import annotations

import re

import pytest
from app_elements import headings, shown_html
from article_table import read_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.maths.diagnosis import Mistake
from core.words.hints import MISTAKE_PHRASES
from core.words.your_turn import STUCK
from tests.plotly_spec import charts

APP = "../../app.py"
CURVE = "views/loss_curve.py"
ANSWER, CHECK, SHOW = "your_turn.answer", "your_turn.check", "your_turn.show"
SWITCH = "your_turn.switch.step_table"
NAN_OR_INF = re.compile(r"\b(nan|inf)\b", re.IGNORECASE)
# The article's round 0 and round 1, in the order the fields ask for them.
ROUND_0 = ("7", "3", "9", "6", "6", "2.4", "3.4")
ROUND_1 = ("5.8", "1.8", "3.24", "3.6", "3.6", "2.04", "3.04")


def open_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def answer(at: AppTest, typed: str, button: str = CHECK) -> AppTest:
    at.text_input(key=ANSWER).input(typed)
    at.button(key=button).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def asked(at: AppTest) -> str | None:
    fields = [field for field in at.text_input if field.key == ANSWER]
    return fields[0].label if fields else None


def step_table(at: AppTest):
    bodies = [element.value for element in shown_html(at) if "gd-table" in element.value]
    return read_html(bodies[0])


def page_text(at: AppTest) -> str:
    parts = [str(element.value) for kind in ("markdown", "caption", "warning", "success", "info", "latex", "subheader")
             for element in at.get(kind)]
    return "\n".join(parts)


def hints(at: AppTest) -> list[str]:
    return [str(element.value) for element in at.warning]


def test_a_whole_round_at_the_defaults_answered_right() -> None:
    at = open_app(predict="on")
    assert at.toggle(key=SWITCH).value is True
    assert asked(at) == "1 · Predict: y_pred = a·x + b"
    table = step_table(at)
    assert [list(row) for row in table.rows] == [["0", "3.0000", "4.0000", "?", "?", "?", "?", "?"]]
    assert "The first guess" not in page_text(at)  # step 0's prediction is the student's to find
    labels = []
    for typed in ROUND_0:
        labels.append(asked(at))
        answer(at, typed)
        assert not hints(at), (typed, hints(at))
    assert labels == [
        "1 · Predict: y_pred = a·x + b", "1 · Predict: error = y_pred − y_true", "2 · Loss: loss = error²",
        "3 · Gradient: ∂L/∂a = 2·error·x", "3 · Gradient: ∂L/∂b = 2·error", "4 · Update: new a = a − lr·∂L/∂a",
        "4 · Update: new b = b − lr·∂L/∂b",
    ]
    # The row joins the table and the next step opens.
    assert at.session_state["step_table.pick"] == 1
    rows = [list(row) for row in step_table(at).rows]
    assert rows == [
        ["0", "3.0000", "4.0000", "7.0000", "3.0000", "6.0000", "6.0000", "9.0000"],
        ["1", "2.4000", "3.4000", "?", "?", "?", "?", "?"],
    ]
    text = page_text(at)
    assert "Step 0 is complete and in the table. Row 1 starts from a = 2.4, b = 3.4" in text
    assert "7 of 7 values right the first time; 0 shown" in text
    assert asked(at) == "1 · Predict: y_pred = a·x + b"
    # The worked-out round and the exports would give the answers away: they wait.
    assert "worked out" not in " ".join(headings(at))
    assert not at.get("download_button")
    # Once the next round has begun, the last one's praise goes: it stood above every slip (playtest).
    answer(at, "5")
    assert "Step 0 is complete" not in page_text(at) and hints(at)


def _at_field(at: AppTest, count: int, answers: tuple[str, ...] = ROUND_0) -> AppTest:
    for typed in answers[:count]:
        answer(at, typed)
    return at


@pytest.mark.parametrize(
    ("query", "prefix", "typed", "mistake"),
    [
        ({}, 1, "-3", Mistake.SIGN_FLIPPED),
        ({}, 2, "3", Mistake.NOT_SQUARED),
        ({}, 3, "3", Mistake.FACTOR_TWO),
        ({}, 5, "3.6", Mistake.GRADIENT_ADDED),
        ({}, 5, "-3", Mistake.RATE_NOT_APPLIED),
        ({}, 6, "3.52", Mistake.NOT_SIMULTANEOUS),
        ({"data": "3:5"}, 3, "16", Mistake.X_FORGOTTEN),  # e = 8: 2·e instead of 2·e·x = 48
    ],
)
def test_each_listed_mistake_gives_its_hint(query: dict[str, str], prefix: int, typed: str, mistake: Mistake) -> None:
    at = open_app(predict="on", **query)
    answers = ("13", "8", "64", "48", "16") if query else ROUND_0
    _at_field(at, prefix, answers)
    label = asked(at)
    answer(at, typed)
    assert asked(at) == label  # still asked: a wrong value never moves on
    (hint,) = hints(at)
    assert MISTAKE_PHRASES[mistake] in hint and typed.replace("-", "−") in hint
    assert any(element.value for element in at.latex)  # the formula with this round's numbers
    assert not NAN_OR_INF.search(page_text(at))
    assert f"{MISTAKE_PHRASES[mistake].split()[0]}" in page_text(at)
    assert f"{mistake.value} (×1)" in page_text(at)  # the session's record


def test_the_right_value_rounded_too_early_gets_almost_and_the_digits_asked_for() -> None:
    # x = 3, y = 4, start (2, 1), lr 0.0137: error 3, ∂L/∂a = 18, new a = 2 − 0.2466 = 1.7534.
    at = open_app(predict="on", data="3:4", a="2", b="1", lr="0.0137")
    _at_field(at, 5, ("7", "3", "9", "18", "6"))
    label = asked(at)
    answer(at, "1.75")
    assert asked(at) == label  # not taken: the next values are checked against 4 decimals
    (hint,) = hints(at)
    assert hint.startswith("**Almost: 1.75 is the right new a, rounded to 2 decimals.**"), hint
    assert "working is right" in hint and "1.7534" not in hint
    assert "rounded to fewer than 4 decimals (×1)" in page_text(at)  # the session's record
    answer(at, "1.7534")
    assert not hints(at) and asked(at) != label


def test_a_value_from_the_wrong_row_names_the_row() -> None:
    at = _at_field(open_app(predict="on"), 7)
    answer(at, "7")  # row 0's y_pred, typed at step 1
    (hint,) = hints(at)
    assert MISTAKE_PHRASES[Mistake.WRONG_ROW] in hint and "row 0" in hint


def test_something_else_points_to_the_formula_with_the_numbers() -> None:
    at = _at_field(open_app(predict="on"), 2)
    answer(at, "12.5")
    (hint,) = hints(at)
    assert "Not yet: 12.5 is not the loss" in hint and "Redo 2 · Loss" in hint
    assert "L = e^2 = 3^2" in [element.value for element in at.latex][-1]


def test_show_me_reveals_one_value_with_its_working() -> None:
    at = open_app(predict="on")
    answer(at, "", button=SHOW)
    assert asked(at) == "1 · Predict: error = y_pred − y_true"
    assert any("= 3 \\cdot 1 + 4 = 7\n" in element.value for element in at.latex)
    assert "shown: **7.0000**" in page_text(at)
    assert "0 of 1 value right the first time; 1 shown" in page_text(at)


def test_show_me_on_a_rounds_last_value_keeps_its_working_in_view() -> None:
    at = _at_field(open_app(predict="on"), 6)
    answer(at, "", button=SHOW)
    assert at.session_state["step_table.pick"] == 1
    assert any("&= 4 - 0.1 \\cdot 6 = 3.4" in element.value for element in at.latex)
    assert "4 · Update: new b = b − lr·∂L/∂b — shown: **3.4000**" in page_text(at)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("", "Type a number first."), ("abc", "is not a number"), ("nan", "not a value a round can have"),
     ("inf", "not a value a round can have"), ("1e400", "far too large"), ("1,2.3", "comma and a point")],
)
def test_bad_typed_text_gets_a_message_next_to_the_field(typed: str, message: str) -> None:
    at = open_app(predict="on")
    answer(at, typed)
    assert asked(at) == "1 · Predict: y_pred = a·x + b"
    assert any(message in text for text in hints(at)), hints(at)
    assert "Nothing answered yet" in page_text(at)


def test_a_comma_spaces_and_a_plus_are_read_as_a_student_means() -> None:
    at = _at_field(open_app(predict="on"), 7)
    for typed in (" +5,8 ", "1,8"):
        answer(at, typed)
        assert not hints(at)
    assert asked(at) == "2 · Loss: loss = error²"


def test_hand_mode_accepts_the_articles_row_5() -> None:
    at = open_app(predict="on", mode="hand")
    at.slider(key="step_table.slider").set_value(5).run()
    assert [row[0] for row in step_table(at).rows] == ["0", "1", "2", "3", "4", "5"]
    for typed in ("4.2332", "0.2332", "0.0544", "0.4664", "0.4664"):
        answer(at, typed)
        assert not hints(at), (typed, hints(at))
    assert asked(at) is None  # the last row has no update
    assert list(step_table(at).rows[5]) == ["5", "1.6166", "2.6166", "4.2332", "0.2332", "0.4664", "0.4664", "0.0544"]
    assert "the last row of this run" in page_text(at)


def test_several_points_ask_for_point_one_then_the_means() -> None:
    at = open_app(predict="on", data="1:4,2:5,3:7")
    assert asked(at) == "1 · Predict: y_pred of point 1 = a·x₁ + b"
    assert "With 3 points, you work out point 1's prediction and error" in page_text(at)
    others = [element.value for element in shown_html(at) if "gd-table" in element.value][1]
    assert [list(row) for row in read_html(others).rows] == [
        ["2", "2.0000", "5.0000", "10.0000", "5.0000"], ["3", "3.0000", "7.0000", "13.0000", "6.0000"]]
    answer(at, "7")
    answer(at, "3")
    answer(at, "70")  # 9 + 25 + 36: the sum, not the mean
    assert MISTAKE_PHRASES[Mistake.NOT_AVERAGED] in hints(at)[0] and "divide by n = 3" in hints(at)[0]
    for typed in ("23.3333", "20.6667", "9.3333"):
        answer(at, typed)
        assert not hints(at), (typed, hints(at))
    answer(at, "20.6667")  # new a typed as ∂L/∂a: not a listed slip, so the formula is shown
    assert "Not yet" in hints(at)[0]


@pytest.mark.parametrize(("value", "on"), [("on", True), ("off", False), ("ON ", True)])
def test_the_link_opens_your_turn(value: str, on: bool) -> None:
    at = open_app(predict=value)
    assert at.toggle(key=SWITCH).value is on
    assert (asked(at) is not None) is on
    written = at.query_params.get("predict", [])
    assert ([written] if isinstance(written, str) else list(written)) == (["on"] if on else [])  # "ON " → on


def test_the_switch_writes_predict_into_the_link_and_back_out() -> None:
    at = open_app()
    assert "predict" not in at.query_params
    at.toggle(key=SWITCH).set_value(True).run()
    assert at.session_state["_link_contributed"].get("predict") == "on"
    at.switch_page(CURVE).run()
    assert at.toggle(key="your_turn.switch.loss_curve").value is True  # one switch for the session
    at.toggle(key="your_turn.switch.loss_curve").set_value(False).run()
    assert "predict" not in at.session_state["_link_contributed"]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=30), st.sampled_from(["<script>alert(1)</script>", "on&x=1", "1", "true", ""])))
def test_fuzzed_predict_values_never_break_the_page(value: str) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["predict"] = value
    at.run()
    assert not at.exception, (value, [e.message for e in at.exception])
    on = value.strip().lower() == "on"
    assert at.toggle(key=SWITCH).value is on
    assert "<script>" not in page_text(at)


def test_the_loss_curve_waits_for_the_prediction_then_explains_it() -> None:
    at = open_app(predict="on", lr="0.4")
    at.switch_page(CURVE).run()
    assert not charts(at) and "Where your rate sits" not in headings(at)
    sidebar = [element.value for element in at.sidebar.caption]
    assert any(text.startswith("Your turn: predict what this rate does") for text in sidebar)
    assert not any(text.startswith("Overshooting") for text in sidebar)  # the sidebar would give it away
    at.button(key="your_turn.predict").click().run()  # nothing picked
    assert any("Pick one of the five" in text for text in hints(at))
    at.radio(key="your_turn.fate_choice").set_value("overshooting")
    at.button(key="your_turn.predict").click().run()
    assert not at.exception
    (said,) = [element.value for element in at.success]
    assert said.startswith("**Right: overshooting.**") and "−0.6 is between −1 and 0" in said
    assert any("= -0.6" in element.value for element in at.latex)
    assert charts(at) and "Where your rate sits" in headings(at)
    assert any(element.value.startswith("Overshooting") for element in at.sidebar.caption)
    assert "Change the learning rate in the sidebar to predict again." in [c.value for c in at.main.caption]
    at.switch_page("views/loss_surface.py").run()
    assert at.session_state["_link_contributed"].get("predict") == "on"  # the link keeps it on every page
    at.switch_page("views/many_parameters.py").run()
    assert not at.exception and at.session_state["_link_contributed"].get("predict") == "on"


@pytest.mark.parametrize("hide", ["lr", "all"])
def test_a_link_that_hides_the_rate_does_not_send_the_student_to_it(hide: str) -> None:
    at = open_app(predict="on", lr="0.4", hide=hide)
    at.switch_page(CURVE).run()
    at.radio(key="your_turn.fate_choice").set_value("overshooting")
    at.button(key="your_turn.predict").click().run()
    assert not at.exception
    captions = [c.value for c in at.main.caption]
    assert not any("learning rate in the sidebar" in text for text in captions), captions
    assert "This link sets the learning rate; a link with another rate asks again." in captions


def test_the_challenge_counts_updates_for_typed_rates() -> None:
    at = open_app(predict="on")
    at.switch_page(CURVE).run()
    at.radio(key="your_turn.fate_choice").set_value("diverging")
    at.button(key="your_turn.predict").click().run()
    assert any("it is smooth, not diverging" in text for text in hints(at))
    for typed in ("0,2", "abc", "0", "0.25"):
        at.text_input(key="your_turn.challenge_rate").input(typed)
        at.button(key="your_turn.try_rate").click().run()
        assert not at.exception
        if typed == "abc":  # a rate is never negative: the example is not "−0.6" (student playtest)
            assert any("type digits, like 0.3." in text for text in page_text(at).split("\n")), page_text(at)
    tried = [element.value for element in at.markdown if element.value.startswith("- lr")]
    assert tried == [
        "- lr 0.25: 1 update (one step); as few as any rate can do.",
        "- lr 0.2: 4 updates (smooth); below the best rate.",
    ]
    found = "You found it: 1 update with lr 0.25, as few as any rate can do."
    assert [element.value for element in at.success] == [found]
    assert "The best rate is 0.25, the one-step rate" in page_text(at)


def test_a_sidebar_change_mid_round_keeps_what_it_does_not_touch_and_says_so() -> None:
    """A playtest: five values right, then another learning rate, and the round silently started over."""
    at = open_app(predict="on")
    for typed in ROUND_0[:5]:  # y_pred, error, loss and both gradients: none depends on the rate at row 0
        answer(at, typed)
    at.number_input(key="ctl_lr").set_value(0.2).run()
    assert asked(at) == "4 · Update: new a = a − lr·∂L/∂a"  # the round goes on where it was
    assert not [element for element in at.info if "changed" in str(element.value)]  # nothing undone: nothing said
    answer(at, "1.8")  # 3 − 0.2·6 with the new rate
    at.number_input(key="ctl_b0").set_value(5.0).run()  # a new start: the prediction changes
    assert asked(at) == "1 · Predict: y_pred = a·x + b"
    (said,) = [str(element.value) for element in at.info if "changed" in str(element.value)]
    assert said.startswith("The experiment changed in the sidebar, so this round starts again")
    assert "y_pred, error, loss, ∂L/∂a, ∂L/∂b and new a take its new numbers" in said
    assert not at.exception


def test_a_right_value_is_confirmed_above_the_next_field_not_inside_it() -> None:
    """It used to sit inside the next field's form and read like feedback on the new field."""
    at = answer(open_app(predict="on"), "7")

    def alerts(node, in_form: bool = False):
        for child in getattr(node, "children", {}).values():
            if type(child).__name__ == "Success":
                yield str(child.value), in_form
            yield from alerts(child, in_form or getattr(child, "type", "") == "form")

    assert [alert for alert in alerts(at.main) if "Right" in alert[0]] == [("Right: y_pred = 7.0000", False)]


def test_a_third_wrong_try_points_to_show_me() -> None:
    """Student playtest: seven wrong tries read alike, with no word of the way out."""
    at = open_app(predict="on")
    answer(at, "3")  # b left out: named from the first try
    assert "left out" in hints(at)[0] and "Show me" not in hints(at)[0]
    answer(at, "3")
    assert "Show me" not in hints(at)[0]
    answer(at, "3")
    assert hints(at)[0].startswith("Try 3: ") and hints(at)[0].endswith(STUCK)


def test_screen_readers_hear_a_repeated_slip_and_a_shown_value() -> None:
    """Keyboard playtest: the same slip twice left the alert's text unchanged (not announced again), and
    the value "Show me" filled in sat above the field with nothing announcing it."""
    at = open_app(predict="on")
    answer(at, "7")
    answer(at, "-3")
    first = hints(at)[0]
    answer(at, "-3")
    second = hints(at)[0]
    assert second != first and second.startswith("Try 2: ") and second.endswith(first)
    statuses = [e.value for e in shown_html(at) if 'role="status"' in e.value]
    assert not statuses  # nothing shown yet
    answer(at, "", button=SHOW)
    statuses = [e.value for e in shown_html(at) if 'role="status"' in e.value]
    assert any("Shown: 1 · Predict: error = y_pred − y_true is 3.0000." in s for s in statuses), statuses
    answer(at, "9")  # the next run says nothing more
    assert not [e.value for e in shown_html(at) if "Shown: " in e.value]
