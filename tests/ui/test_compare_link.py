"""The compared rates in a link (compare=…): opened as the link says, written back as the student changes them.

A teacher's link to the loss curve's "Learning rates side by side" tab names the rates the class
compares; the address bar then follows the student's own picks, so a shared or reopened link
draws the same chart.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hypothesis_st
from lesson_support import PAGE_FILES, notice_text, open_link, url_of

from core.links.lessons import load_lessons
from core.links.options import from_query as options_from_query
from core.maths.comparison import PRESET_TOKENS
from tests.plotly_spec import charts, figure_of

SELECTION = "loss_curve.compare"


def _picked(at) -> list[str]:
    return list(at.multiselect(key=SELECTION).value)


def _drawn_lines(at) -> list[str]:
    (chart,) = charts(at)
    return [trace["name"] for trace in figure_of(chart)["data"] if trace.get("mode") == "lines+markers"]


def test_a_link_opens_the_rates_it_names_beside_the_students_own() -> None:
    at = open_link({"compare": "0.02,diverge", "view": "rates"}, page="loss-curve")
    assert _picked(at) == ["lr=0.02", "diverge"]
    assert "0.02" in at.multiselect(key=SELECTION).options  # a rate of the teacher's own is a choice too
    assert _drawn_lines(at) == ["your rate 0.1 (smooth)", "lr 0.02 (smooth)", "lr 0.6 (diverging)"]
    assert url_of(at) == {"compare": "0.02,diverge", "view": "rates"}


def test_the_address_follows_the_students_picks_and_leaves_the_presets_out() -> None:
    at = open_link({"compare": "0.02,diverge", "view": "rates"}, page="loss-curve")
    at.multiselect(key=SELECTION).unselect("diverge").run()
    assert url_of(at)["compare"] == "0.02"
    at.multiselect(key=SELECTION).unselect("lr=0.02").run()
    assert url_of(at)["compare"] == ""  # none at all: said, or reopening would draw the presets
    assert _drawn_lines(at) == ["your rate 0.1 (smooth)"]
    at.multiselect(key=SELECTION).set_value(list(PRESET_TOKENS)).run()
    assert "compare" not in url_of(at)


def test_a_rate_the_student_adds_goes_into_the_link() -> None:
    at = open_link({"view": "rates"}, page="loss-curve")
    at.number_input(key="loss_curve.add_rate").set_value(0.5)
    at.button(key="loss_curve.add").click().run()
    assert url_of(at)["compare"] == "small,one_step,overshoot,diverge,0.5"
    again = open_link(url_of(at), page="loss-curve")  # the link a student would share
    assert _picked(again) == [*PRESET_TOKENS, "lr=0.5"] and _drawn_lines(again) == _drawn_lines(at)


def test_the_rates_stay_in_the_link_on_another_page() -> None:
    at = open_link({"compare": "0.3", "view": "rates"}, page="loss-curve")
    at.switch_page(PAGE_FILES["loss-surface"]).run()
    assert url_of(at)["compare"] == "0.3"
    at.switch_page(PAGE_FILES["loss-curve"]).run()
    assert _picked(at) == ["lr=0.3"]


def test_what_is_not_a_rate_is_noticed_and_left_out_of_the_rewritten_link() -> None:
    at = open_link({"compare": "0.3,fast,-1", "view": "rates"}, page="loss-curve")
    assert "“compare” in the link" in notice_text(at) and "fast" in notice_text(at)
    assert _picked(at) == ["lr=0.3"]
    assert url_of(at)["compare"] == "0.3"


def test_a_rate_these_data_cannot_run_is_said_not_drawn() -> None:
    at = open_link({"compare": "50,0.3", "view": "rates"}, page="loss-curve")
    assert not at.exception
    assert any("Not drawn" in caption.value and "50" in caption.value for caption in at.caption)
    assert _drawn_lines(at) == ["your rate 0.1 (smooth)", "lr 0.3 (overshooting)"]


def test_the_lesson_stop_that_compares_opens_its_rates() -> None:
    lesson = load_lessons()[0]["learning-rate"]
    number = next(k for k, stop in enumerate(lesson.stops, 1) if stop.options.compare is not None)
    at = open_link({"lesson": lesson.name, "stop": str(number)}, page="loss-curve")
    assert _picked(at) == list(lesson.stops[number - 1].options.compare or ())
    assert url_of(at)["compare"] == "0.01,0.4,0.5,0.6"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=hypothesis_st.one_of(
    hypothesis_st.text(max_size=60),
    hypothesis_st.lists(hypothesis_st.sampled_from(["small", "diverge", "0.3", "1e-9", "7", "x", "", " "]),
                        max_size=6).map(",".join),
))
def test_fuzzed_compare_values_never_break_the_page(raw: str) -> None:
    at = open_link({"compare": raw, "view": "rates"}, page="loss-curve")
    assert not at.exception
    written = url_of(at).get("compare")
    if written is not None:
        assert options_from_query({"compare": written})[1] == ()  # the rewritten link reads without a notice


def _styles(at) -> dict[str, tuple]:
    (chart,) = charts(at)
    return {trace["name"]: (trace["line"]["color"], trace["line"].get("dash"), trace["marker"].get("symbol"))
            for trace in figure_of(chart)["data"] if trace.get("mode") == "lines+markers"}


def test_a_copied_address_draws_every_line_as_the_sender_saw_it() -> None:
    """Teacher playtest: after removing 0.25 and adding 0.3, the copied link drew 0.5 and 0.3 in other styles."""
    at = open_link({"compare": "0.01,0.25,0.5", "view": "rates"}, page="loss-curve")
    at.multiselect(key=SELECTION).unselect("lr=0.25").run()
    assert "0.25" not in at.multiselect(key=SELECTION).options  # a removed rate of one's own leaves the choices
    at.number_input(key="loss_curve.add_rate").set_value(0.3)
    at.button(key="loss_curve.add").click().run()
    again = open_link(url_of(at), page="loss-curve")
    assert _styles(again) == _styles(at) and len(_styles(at)) == 4


def test_a_link_with_no_rate_in_it_compares_the_presets_and_says_so() -> None:
    at = open_link({"compare": "fast,slow", "view": "rates"}, page="loss-curve")
    assert "the presets are compared instead" in notice_text(at)
    assert _picked(at) == list(PRESET_TOKENS) and "compare" not in url_of(at)


def test_a_rate_named_twice_or_the_students_own_is_chipped_once_with_the_reason() -> None:
    at = open_link({"compare": "small,0.01,one_step,0.25,0.1,0.3", "view": "rates"}, page="loss-curve")
    assert _picked(at) == ["small", "one_step", "lr=0.3"]
    assert "0.01 is on the chart already" in notice_text(at) and "0.1 is your own rate" in notice_text(at)
    assert url_of(at)["compare"] == "small,one_step,0.3"


def test_picking_a_preset_whose_rate_is_drawn_already_says_so_instead_of_a_second_chip() -> None:
    at = open_link({"compare": "0.01,0.25,0.5", "view": "rates"}, page="loss-curve")
    at.multiselect(key=SELECTION).select("one_step").run()  # the one-step rate is 0.25 here
    assert _picked(at) == ["lr=0.01", "lr=0.25", "lr=0.5"]
    assert [warning.value for warning in at.warning] == ["0.25 is on the chart already."]


def test_the_presets_picked_again_in_another_order_are_still_left_out_of_the_link() -> None:
    at = open_link({"view": "rates"}, page="loss-curve")
    at.multiselect(key=SELECTION).unselect("small").run()
    assert url_of(at)["compare"] == "one_step,overshoot,diverge"
    at.multiselect(key=SELECTION).select("small").run()
    assert "compare" not in url_of(at)
