"""The loss-curve page in AppTest: its charts hold core's numbers, the comparison set can change."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from app_elements import shown_html
from streamlit.testing.v1 import AppTest

from core.maths.comparison import PRESET_TOKENS
from core.maths.experiment import Experiment
from core.maths.training import train
from tests.plotly_spec import charts, decode, figure_of, label_of

PAGE = "views/loss_curve.py"
ROOT = Path(__file__).resolve().parents[2]
VIEW_KEY = "loss_curve.view"
# The page's tabs; each one's chart is drawn only while it is open.
LOSS_CHART, ERROR_CHART, COMPARE_CHART = "Loss by step", "Error by step", "Learning rates side by side"
TABS = (LOSS_CHART, ERROR_CHART, COMPARE_CHART)


def _open(at: AppTest, tab: str) -> AppTest:
    """Open one of the page's tabs, as a click on it does (a rerun with the tab's state set)."""
    at.session_state[VIEW_KEY] = tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _run(tab: str = LOSS_CHART, **query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=20)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at if tab == LOSS_CHART else _open(at, tab)


def _figure(at: AppTest, tab: str) -> dict:
    """The figure of ``tab``'s chart, opening the tab first if another one is open."""
    if at.session_state[VIEW_KEY] != tab:
        _open(at, tab)
    drawn = charts(at)
    assert len(drawn) == 1, "only the open tab's chart is drawn"
    assert label_of(drawn[0])
    return figure_of(drawn[0])


def _line_names(figure: dict) -> list[str]:
    return [t["name"] for t in figure["data"] if t.get("mode") == "lines+markers"]


def _table_text(at: AppTest) -> list[list[str]]:
    return at.table[0].value.astype(str).values.tolist()


def _assert_all_finite(figure: dict) -> None:
    for trace in figure["data"]:
        if trace.get("x") == [None] and trace.get("hoverinfo") == "skip":
            continue  # a legend entry alone (one "×" for both panels): it has no point to draw
        for name in ("x", "y", "customdata"):
            if name in trace:
                assert np.all(np.isfinite(np.asarray(decode(trace[name]), dtype=float))), (trace["name"], name)


def test_loss_chart_holds_the_trajectory_and_hover_data() -> None:
    at = _run()
    expected = train(Experiment())
    loss = next(t for t in _figure(at, LOSS_CHART)["data"] if t["name"] == "loss")
    np.testing.assert_array_equal(decode(loss["x"]), expected.steps)
    np.testing.assert_allclose(decode(loss["y"]), expected.loss)
    custom = decode(loss["customdata"])
    np.testing.assert_allclose(custom[:, 0], expected.a)
    np.testing.assert_allclose(custom[:, 1], expected.b)
    error = next(t for t in _figure(at, ERROR_CHART)["data"] if t["name"] == "error")
    np.testing.assert_allclose(decode(error["y"]), [3.0, 1.8, 1.08, 0.648, 0.3888, 0.23328])


def test_ratios_theory_beside_practice() -> None:
    at = _run(ERROR_CHART)
    assert [(m.label, m.value) for m in at.metric] == [
        ("error × per step", "0.6"),
        ("loss × per step", "0.36"),
        ("run shows", "0.6"),
    ]
    overshoot = _run(ERROR_CHART, lr="0.4")
    assert [m.value for m in overshoot.metric] == ["−0.6", "0.36", "−0.6"]
    assert any("flips sign" in c.value for c in overshoot.caption)


def test_default_comparison_and_steps_to_converge() -> None:
    at = _run()
    assert _line_names(_figure(at, COMPARE_CHART)) == [
        "your rate 0.1 (smooth)",
        "lr 0.01 (smooth)",
        "lr 0.25 (one step)",
        "lr 0.4 (overshooting)",
        "lr 0.6 (diverging)",
    ]
    assert _table_text(at) == [
        ["0.01", "smooth", "140"],
        ["0.1 (yours)", "smooth", "12"],
        ["0.25", "one step", "1"],
        ["0.4", "overshooting", "12"],
        ["0.6", "diverging", "never"],
    ]
    assert any("left the chart at step 3" in c.value for c in at.caption)


def test_tolerance_choice_changes_the_counts() -> None:
    at = _run(COMPARE_CHART)
    at.segmented_control(key="loss_curve.tolerance").set_value(1e-6).run()
    assert _table_text(at)[:2] == [["0.01", "smooth", "197"], ["0.1 (yours)", "smooth", "16"]]


def test_add_and_remove_comparison_rates() -> None:
    at = _run(COMPARE_CHART)
    at.number_input(key="loss_curve.add_rate").set_value(0.5)
    at.button(key="loss_curve.add").click().run()
    assert not at.exception
    names = _line_names(_figure(at, COMPARE_CHART))
    assert "lr 0.5 (bouncing)" in names and len(names) == 6
    assert "lr=0.5" in at.multiselect(key="loss_curve.compare").value
    assert ["0.5", "bouncing", "never"] in _table_text(at)

    at.multiselect(key="loss_curve.compare").unselect("diverge").unselect("small").run()
    names = _line_names(_figure(at, COMPARE_CHART))
    assert names == ["your rate 0.1 (smooth)", "lr 0.25 (one step)", "lr 0.4 (overshooting)", "lr 0.5 (bouncing)"]
    assert "0.6" not in [row[0] for row in _table_text(at)]

    at.multiselect(key="loss_curve.compare").unselect("lr=0.5").run()
    assert "lr 0.5 (bouncing)" not in _line_names(_figure(at, COMPARE_CHART))


@pytest.mark.parametrize(("typed", "said"), [
    (0.1, "0.1 is your own rate: it is on the chart already, as the thick solid line."),
    (0.25, "0.25 is on the chart already."),  # the one-step preset
])
def test_a_rate_already_drawn_is_said_not_added(typed: float, said: str) -> None:
    """A student playtest: Add with the student's own 0.1 put a chip up and changed nothing else."""
    at = _run(COMPARE_CHART)
    at.number_input(key="loss_curve.add_rate").set_value(typed)
    at.button(key="loss_curve.add").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == [said]
    assert at.multiselect(key="loss_curve.compare").value == list(PRESET_TOKENS)
    assert len(_line_names(_figure(at, COMPARE_CHART))) == 5


@pytest.mark.parametrize("typed", [50.0, 0.0, -0.2])
def test_a_rate_outside_the_range_is_answered_not_refused(typed: float) -> None:
    """The box has no browser-side bounds (a browser refuses those without a word); Add says why."""
    at = _run(COMPARE_CHART)
    box = at.number_input(key="loss_curve.add_rate")
    assert box.min is None and box.max is None
    box.set_value(typed)
    at.button(key="loss_curve.add").click().run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["A learning rate must be a number from 0.0001 to 10."]
    assert len(_line_names(_figure(at, COMPARE_CHART))) == 5  # nothing added


@pytest.mark.parametrize("edge", [0.0001, 10.0])
def test_the_smallest_and_largest_allowed_rates_can_be_added(edge: float) -> None:
    """Core's range at these data is 0.0001 to 10; both ends draw finite curves."""
    at = _run(COMPARE_CHART)
    at.number_input(key="loss_curve.add_rate").set_value(edge)
    at.button(key="loss_curve.add").click().run()
    names = _line_names(_figure(at, COMPARE_CHART))
    assert not at.warning
    assert any(name.startswith(f"lr {edge:g} (") for name in names), names
    _assert_all_finite(_figure(at, COMPARE_CHART))


def test_log_scale_with_an_exact_zero() -> None:
    at = _run(lr="0.25")
    at.segmented_control(key="loss_curve.loss_scale").set_value("log").run()
    figure = _figure(at, LOSS_CHART)
    assert figure["layout"]["yaxis"]["type"] == "log"
    _assert_all_finite(figure)
    zero = next(t for t in figure["data"] if "exactly 0" in t["name"])
    np.testing.assert_array_equal(decode(zero["x"]), [1, 2, 3, 4, 5])
    assert any("exactly 0" in c.value for c in at.caption)


def test_a_diverging_current_rate_is_marked() -> None:
    at = _run(lr="0.6", steps="40")
    for index in (LOSS_CHART, ERROR_CHART, COMPARE_CHART):
        figure = _figure(at, index)
        _assert_all_finite(figure)
        assert any("step" in a["text"] for a in figure["layout"]["annotations"])
    assert _table_text(at)[3] == ["0.6 (yours)", "diverging", "never"]


def test_a_fast_divergence_opens_on_the_log_axis_until_the_student_picks_one() -> None:
    """lr 5: 9, then 3249 — a linear chart (up to 4 × 9 = 36) shows the start alone, so the loss opens on log.

    There the "×" stands at the step that is off the chart (step 3, 4.2e8), not where the line crosses.
    A pick of the student's own stays, whatever rate comes next.
    """
    scale = "loss_curve.loss_scale"
    at = _run(lr="5")
    assert at.segmented_control(key=scale).value == "log"
    figure = _figure(at, LOSS_CHART)
    assert figure["layout"]["yaxis"]["type"] == "log"
    exit_mark = next(t for t in figure["data"] if t["name"] == "left the chart" and t.get("yaxis") == "y")
    assert decode(exit_mark["x"]).tolist() == [3.0]
    assert any("opens on a log axis" in c.value for c in at.caption)
    at.query_params["lr"] = "0.4"  # a converging rate: linear, the page's usual axis
    at.run()
    assert at.segmented_control(key=scale).value == "linear"
    at.query_params["lr"] = "5"
    at.run()
    at.segmented_control(key=scale).set_value("linear").run()  # the student wants to see it on linear
    assert not at.exception
    figure = _figure(at, LOSS_CHART)
    assert figure["layout"]["yaxis"]["type"] == "linear"
    exit_mark = next(t for t in figure["data"] if t["name"] == "left the chart" and t.get("yaxis") == "y")
    assert decode(exit_mark["x"]).tolist() == [1.0]  # step 1's loss, 3249, is off the chart; not x ≈ 0
    assert any("pick log above the chart" in c.value for c in at.caption)
    for lr in ("1.2", "0.4"):
        at.query_params["lr"] = lr
        at.run()
        assert at.segmented_control(key=scale).value == "linear"  # the student's pick stays
    assert not at.exception and not at.warning


@pytest.mark.parametrize(
    "query",
    [
        {"lr": "abc"},
        {"data": "1:4,2:5"},
        {"steps": "0"},
        {"steps": "1000"},
        {"lr": "10", "steps": "1000"},
        {"data": "1000:1000", "a": "-1000", "lr": "0.0001"},
        {"data": "1:4,1:6", "steps": "50"},
        {"a": "1.5", "b": "2.5"},  # starts on the valley: every loss is 0
    ],
)
def test_odd_inputs_run_without_exception(query: dict[str, str]) -> None:
    at = _run(**query)
    page_text = ""
    for tab in TABS:
        _assert_all_finite(_figure(at, tab))
        page_text += " ".join(str(e.value) for e in at.markdown) + " ".join(c.value for c in at.caption)
    assert len(at.table) == 1
    assert "gd-strip" in shown_html(at)[-1].value
    assert "nan" not in page_text.lower().split() and "inf" not in page_text.lower().split()


def test_several_points_show_both_factors() -> None:
    at = _run(ERROR_CHART, data="1:2,2:5,3:4", steps="60")
    labels = [m.label for m in at.metric]
    assert labels == ["steep direction ×", "flat direction ×", "run shows"]
    assert any("eigenvalue" in c.value for c in at.caption)


def test_through_the_app_the_comparison_set_survives_a_page_switch() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    at.switch_page("views/loss_curve.py").run()
    assert not at.exception
    _open(at, COMPARE_CHART)
    at.number_input(key="loss_curve.add_rate").set_value(0.3)
    at.button(key="loss_curve.add").click().run()
    at.switch_page("views/step_table.py").run()
    at.switch_page("views/loss_curve.py").run()
    assert not at.exception
    assert "lr 0.3 (overshooting)" in _line_names(_figure(at, COMPARE_CHART))


def test_points_at_one_x_show_one_factor_and_settle() -> None:
    """Two points at x = 1: the valley stays a line, so there is one factor and lr 0.25 lands at once."""
    at = _run(ERROR_CHART, data="1:4,1:6", lr="0.25")
    labels = [m.label for m in at.metric]
    assert labels == ["error × per step", "loss × per step", "run shows"]
    captions = " ".join(c.value for c in at.caption)
    assert "one factor is 1 or more" not in captions and "flattest direction still shrinks" not in captions


def test_the_first_view_shows_what_lr_04_does_differently_from_lr_01() -> None:
    """At lr 0.4 the loss curve is lr 0.1's: the first view draws the signed error under it, zigzagging
    across 0, and names the twin rate (issue #18, item 4)."""
    at = _run(lr="0.4")
    assert at.session_state[VIEW_KEY] == LOSS_CHART
    figure = _figure(at, LOSS_CHART)
    loss = next(t for t in figure["data"] if t["name"] == "loss")
    error = next(t for t in figure["data"] if t["name"] == "error")
    np.testing.assert_allclose(decode(loss["y"]), train(Experiment()).loss)  # lr 0.1's loss, to the digit
    np.testing.assert_allclose(decode(error["y"]), [3.0, -1.8, 1.08, -0.648, 0.3888, -0.23328], atol=1e-12)
    text = " ".join(str(m.value) for m in at.markdown)
    assert "Your rate 0.4 and the rate 0.1 draw the same loss curve" in text
    assert "changes sign every time" in text
    default = _run()
    assert "Your rate 0.1 and the rate 0.4 draw the same loss curve" in " ".join(str(m.value) for m in default.markdown)
    bouncing = _run(lr="0.5")
    assert "same loss curve" not in " ".join(str(m.value) for m in bouncing.markdown)


def _predicting(**query: str) -> AppTest:
    """The loss curve with Your turn on (predict=on), opened through the app as a student's link does."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    for key, value in {"predict": "on", **query}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_prediction_at_lr_04_offers_no_choice_that_is_true_of_two_fates() -> None:
    """Playtest: "Smooth: the loss falls step after step" was marked wrong at lr 0.4, where the loss does fall."""
    at = _predicting(lr="0.4")
    choices = at.radio(key="your_turn.fate_choice").options
    assert len(choices) == 5 and not any("loss" in choice for choice in choices)
    assert choices[0].startswith("Smooth: the error keeps its sign and shrinks")
    assert choices[2].startswith("Overshooting: the error flips sign every update and shrinks")
    at.radio(key="your_turn.fate_choice").set_value("smooth")
    at.button(key="your_turn.predict").click().run()
    (said,) = [element.value for element in at.warning]
    assert said.startswith("**Not this time: it is overshooting, not smooth.**")
    assert "You are right that the loss falls at every update" in said
    assert "smooth needs a factor between 0 and 1, so that the error keeps its sign" in said


def test_the_prediction_with_several_x_speaks_of_the_steepest_direction() -> None:
    at = _predicting(data="1:4,2:5,3:7")
    question = " ".join(str(m.value) for m in at.markdown)
    assert "steepest along one direction of (a, b)" in question
    choices = at.radio(key="your_turn.fate_choice").options
    assert all("along the steepest direction (a, b)" in choice for choice in choices)


def test_the_challenge_lists_each_rate_as_typed() -> None:
    """0.2500001 was listed as "lr 0.25 … (overshooting)" right above "lr 0.25 … (one step)"."""
    at = _predicting(lr="0.4")
    at.radio(key="your_turn.fate_choice").set_value("overshooting")
    at.button(key="your_turn.predict").click().run()
    for typed in ("0.25", "0.2500001", "0,30000001"):
        at.text_input(key="your_turn.challenge_rate").input(typed)
        at.button(key="your_turn.try_rate").click().run()
        assert not at.exception
    tried = [element.value for element in at.markdown if element.value.startswith("- lr")]
    assert tried == [
        "- lr 0.30000001: 4 updates (overshooting); above the best rate.",
        "- lr 0.2500001: 1 update (overshooting); as few as any rate can do.",
        "- lr 0.25: 1 update (one step); as few as any rate can do.",
    ]
    assert [element.value for element in at.success][-1].startswith("You found it: 1 update with lr 0.25,")
