"""Lesson links in the real app (AppTest): hide, note, step, view, lesson/stop (the builder: its own file).

Every parameter is opened as a student's first run would open it; hidden controls must be
really absent and still hold the link's values, bad values must give a notice and a rewritten
address bar, and a note must reach the page as text, never as markup.
"""

from __future__ import annotations

import pytest
from app_elements import shown_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hypothesis_st
from lesson_support import (
    CONTROL_KEYS,
    PAGE_FILES,
    experiment_of,
    hidden_in,
    note_bodies,
    note_text,
    notice_text,
    open_link,
    sidebar_labels,
    url_of,
    widget_keys,
    worked_out_title,
)

from core.links.lessons import load_lessons
from core.links.options import from_query as options_from_query
from core.maths.experiment import Experiment
from ui.teacher import PICK_KEY

# --- hide ------------------------------------------------------------------------------------------


def test_without_hide_every_control_is_there() -> None:
    at = open_link({})
    keys = widget_keys(at)
    for control_keys in CONTROL_KEYS.values():
        assert set(control_keys) <= keys
    assert {"Presets", "Make a lesson link"} <= sidebar_labels(at)
    assert "**Share this experiment**" in sidebar_labels(at)


@pytest.mark.parametrize("name", list(CONTROL_KEYS))
def test_a_hidden_control_is_absent_and_keeps_the_links_value(name: str) -> None:
    link = {"data": "2:5", "a": "-1.5", "b": "0.25", "lr": "0.05", "steps": "12", "mode": "hand", "hide": name}
    at = open_link(link)
    keys = widget_keys(at)
    assert not set(CONTROL_KEYS[name]) & keys, f"{name} still drawn"
    for other, control_keys in CONTROL_KEYS.items():
        if other != name:
            assert set(control_keys) <= keys, f"{other} hidden too"
    expected = Experiment(points=((2.0, 5.0),), a0=-1.5, b0=0.25, lr=0.05, steps=12, mode="hand")
    assert experiment_of(at) == expected
    # the summary line still states every value in use
    summary = at.caption[0].value
    assert "x = 2, y_true = 5" in summary and "a = −1.5, b = 0.25" in summary
    assert "learning rate 0.05" in summary and "12 steps" in summary and "hand calculation" in summary
    # kept through a page switch and back (Streamlit drops the state of widgets it does not draw)
    at.switch_page("views/loss_curve.py").run()
    at.switch_page("views/step_table.py").run()
    assert experiment_of(at) == expected
    assert url_of(at) == {**{k: v for k, v in link.items()}, "hide": name}


def test_presets_and_share_can_be_hidden() -> None:
    at = open_link({"hide": "presets,share"})
    labels = sidebar_labels(at)
    assert "Presets" not in labels and "**Share this experiment**" not in labels
    assert "Make a lesson link" in labels
    assert set(CONTROL_KEYS["lr"]) <= widget_keys(at)


def test_hide_all_leaves_only_the_navigation() -> None:
    at = open_link({"hide": "all", "lr": "0.4"})
    assert widget_keys(at) == set()
    assert not at.sidebar.expander and not at.sidebar.markdown
    assert experiment_of(at).lr == 0.4
    assert at.caption[0].value.endswith("10 steps.") is False  # 5 steps: the article's
    assert "learning rate 0.4" in at.caption[0].value and "sidebar" not in at.caption[0].value
    assert url_of(at) == {"lr": "0.4", "hide": "all"}


@pytest.mark.parametrize(("hide", "ending"), [
    ("", "· change it in the sidebar (» at the top left on a phone)."),
    ("presets,share,builder", "· change it in the sidebar (» at the top left on a phone)."),
    ("data,a,b,steps,mode", "· change the learning rate in the sidebar (» at the top left on a phone)."),
    ("data,a,lr,mode", "· change the start or the steps in the sidebar (» at the top left on a phone)."),
    ("data,a,b,lr,steps,mode", "learning rate 0.1 · 5 steps."),
])
def test_the_summary_line_names_what_is_left_to_change(hide: str, ending: str) -> None:
    """A teacher playtest: "change it in the sidebar" stood under a link that left only the rate there."""
    at = open_link({"hide": hide} if hide else {})
    assert at.caption[0].value.endswith(ending), at.caption[0].value


def test_unknown_hide_names_are_named_and_the_rest_still_apply() -> None:
    at = open_link({"hide": "lr,knob,<b>x</b>"})
    assert "ctl_lr" not in widget_keys(at) and "ctl_a0" in widget_keys(at)
    text = notice_text(at)
    assert "knob" in text and "“hide” in the link" in text and "<b>" not in text
    assert url_of(at) == {"hide": "lr"}


def test_repeated_hide_keeps_the_last_with_a_notice() -> None:
    at = open_link({"hide": ["a", "b"]})
    keys = widget_keys(at)
    assert "ctl_a0" in keys and "ctl_b0" not in keys
    assert "appears 2 times" in notice_text(at)
    assert url_of(at) == {"hide": "b"}


# --- note ------------------------------------------------------------------------------------------

NASTY_NOTES = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)> **bold** _it_",
    "[a link](https://evil.example) www.evil.example :smile: $x^2$ \\(y\\)",
    "# Heading\n- item\n\n> quote",
    "&lt;b&gt; is not bold",
]


@pytest.mark.parametrize("note", NASTY_NOTES)
def test_a_note_is_shown_as_plain_text_on_every_page(note: str) -> None:
    at = open_link({"note": note})
    assert note_text(at) == note
    body = note_bodies(at)[0]
    assert "<script" not in body and "<img" not in body and "<a " not in body and "<h1" not in body
    for element in [*at.markdown, *at.caption, *shown_html(at)]:
        assert "<script" not in str(element.value) and "<img" not in str(element.value)  # escaped, if at all
    for page in ("loss-curve", "loss-surface"):
        at.switch_page(PAGE_FILES[page]).run()
        assert not at.exception
        assert note_text(at) == note
    assert url_of(at)["note"] == note


def test_a_long_note_is_cut_with_a_notice() -> None:
    at = open_link({"note": "Why? " * 100})
    assert len(note_text(at)) <= 280 and note_text(at).startswith("Why? Why?")
    assert "“note” in the link" in notice_text(at)
    assert len(url_of(at)["note"]) <= 280


def test_no_note_no_box() -> None:
    assert note_bodies(open_link({"note": "  "})) == []


# --- step ------------------------------------------------------------------------------------------


def test_step_opens_the_table_at_that_step_and_round_trips() -> None:
    at = open_link({"step": "3"})
    assert at.session_state[PICK_KEY] == 3
    assert worked_out_title(at) == "Step 3, worked out"
    assert url_of(at) == {"step": "3"}
    at.button(key="step_table.next").click().run()
    assert worked_out_title(at) == "Step 4, worked out" and url_of(at) == {"step": "4"}
    at.switch_page("views/loss_curve.py").run()
    assert url_of(at) == {"step": "4"}  # the pick is kept, and so is the link to it


@pytest.mark.parametrize(
    ("raw", "used", "fragment"),
    [("40", 5, "ends at step 5"), ("99999999999", 5, "above the maximum"), ("-2", 0, "below 0"),
     ("2.5", 3, "not a whole number"), ("1e400", 0, "not a whole number"), ("<b>", 0, "not a whole number")],
)
def test_bad_steps_are_fitted_with_a_notice(raw: str, used: int, fragment: str) -> None:
    at = open_link({"step": raw})
    assert worked_out_title(at) == f"Step {used}, worked out"
    text = notice_text(at)
    assert fragment in text and "“step” in the link" in text
    assert url_of(at) == ({"step": str(used)} if used else {})


def test_step_is_fitted_to_a_shorter_run() -> None:
    at = open_link({"step": "8", "steps": "10", "lr": "0.6"})  # diverges? no: 0.6 grows but stays in range
    assert worked_out_title(at) == "Step 8, worked out"


# --- view ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("page", "view", "label"), [
    ("loss-curve", "error", "Error by step"), ("loss-curve", "rates", "Learning rates side by side"),
    ("loss-surface", "map", "Top-down map"),
])
def test_view_opens_a_named_tab_and_round_trips(page: str, view: str, label: str) -> None:
    at = open_link({"view": view}, page=page)
    key = "loss_curve.view" if page == "loss-curve" else "loss_surface.view"
    assert at.session_state[key] == label
    assert url_of(at) == {"view": view}


def test_the_first_tab_is_left_out_of_the_link() -> None:
    at = open_link({"view": "error"}, page="loss-curve")
    at.session_state["loss_curve.view"] = "Loss by step"
    at.run()
    assert url_of(at) == {}


@pytest.mark.parametrize("raw", ["graph", "<script>", "MAPS", ""])
def test_an_unknown_view_opens_the_first_tab_with_a_notice(raw: str) -> None:
    at = open_link({"view": raw}, page="loss-curve")
    assert at.session_state["loss_curve.view"] == "Loss by step"
    assert "“view” in the link" in notice_text(at)
    assert url_of(at) == {}


def test_a_view_of_another_page_is_noticed_and_still_opens_there() -> None:
    at = open_link({"view": "map"})  # the root shows the step table, which has no tabs
    assert "/loss-surface" in notice_text(at) and "map" in notice_text(at)
    assert url_of(at) == {}
    at.switch_page(PAGE_FILES["loss-surface"]).run()
    assert at.session_state["loss_surface.view"] == "Top-down map"


# --- predict ---------------------------------------------------------------------------------------


def test_predict_is_kept_in_the_link_and_a_bad_value_noticed() -> None:
    assert url_of(open_link({"predict": "on"}))["predict"] == "on"
    at = open_link({"predict": "maybe"})
    assert "“predict” in the link" in notice_text(at) and "predict" not in url_of(at)


# --- lessons ---------------------------------------------------------------------------------------

LESSONS, _ = load_lessons()
STOPS = [(name, number) for name, lesson in LESSONS.items() for number in range(1, len(lesson.stops) + 1)]


@pytest.mark.parametrize(("name", "number"), STOPS, ids=[f"{n}-{s}" for n, s in STOPS])
def test_every_lesson_stop_renders(name: str, number: int) -> None:
    stop = LESSONS[name].stops[number - 1]
    at = open_link({"lesson": name, "stop": str(number)})
    assert experiment_of(at) == stop.experiment
    assert note_text(at) == stop.options.note
    assert hidden_in(at) == set(stop.options.hide) & set(CONTROL_KEYS)
    assert [t.value for t in at.text] == [stop.title]
    assert f"stop {number} of {len(LESSONS[name].stops)}" in at.caption[0].value
    assert url_of(at)["lesson"] == name and url_of(at)["stop"] == str(number)
    assert notice_text(at) == ""
    if stop.page == "step-table" and stop.options.predict:  # Your turn: the round is the student's to do
        assert url_of(at)["predict"] == "on"
        assert any(h.value == f"Your turn: step {stop.options.step or 0}" for h in at.subheader)
    elif stop.page == "step-table":
        assert worked_out_title(at) == f"Step {stop.options.step or 0}, worked out"
    else:
        key = "loss_curve.view" if stop.page == "loss-curve" else "loss_surface.view"
        assert at.session_state[key] in {"Loss by step", "Error by step", "Learning rates side by side",
                                         "3D surface", "Top-down map"}
        assert url_of(at).get("view", stop.options.view_for(stop.page)) == stop.options.view_for(stop.page)


def test_your_turn_comes_with_its_stop_and_goes_with_it() -> None:
    at = open_link({"lesson": "article", "stop": "1"})
    assert url_of(at)["predict"] == "on"
    at.button(key="teacher_next").click().run()
    assert "predict" not in url_of(at) and worked_out_title(at) == "Step 0, worked out"


def test_previous_and_next_walk_the_stops_across_pages() -> None:
    at = open_link({"lesson": "article", "stop": "3"})
    assert worked_out_title(at) == "Step 3, worked out"
    at.button(key="teacher_next").click().run()
    assert not at.exception
    assert [t.value for t in at.text] == ["The loss falling"] and at.title[0].value == "Loss curve"
    assert hidden_in(at) == {"data", "a", "b", "mode"}
    at.button(key="teacher_next").click().run()
    assert experiment_of(at).steps == 30 and at.session_state["loss_surface.view"] == "Top-down map"
    assert url_of(at)["stop"] == "5" and url_of(at)["view"] == "map"
    at.button(key="teacher_previous").click().run()
    at.button(key="teacher_previous").click().run()
    assert experiment_of(at) == Experiment() and worked_out_title(at) == "Step 3, worked out"
    assert at.button(key="teacher_previous").disabled is False
    at.button(key="teacher_previous").click().run().button(key="teacher_previous").click().run()
    assert at.button(key="teacher_previous").disabled is True


def test_a_students_own_change_wins_over_the_stop_when_the_link_is_reopened() -> None:
    at = open_link({"lesson": "learning-rate", "stop": "3"})
    at.number_input(key="ctl_lr").set_value(0.1).run()  # back to the default rate
    link = url_of(at)
    assert link["lr"] == "0.1", "a value the stop sets is written even at its default"
    again = open_link(link)
    assert experiment_of(again).lr == 0.1 and url_of(again) == link


@pytest.mark.parametrize(("query", "param", "fragment"), [
    ({"lesson": "nope"}, "lesson", "not a lesson of this app"),
    ({"lesson": "<script>x</script>"}, "lesson", "not a lesson name"),
    ({"lesson": "article", "stop": "99"}, "stop", "has 6 stops"),
    ({"lesson": "article", "stop": "-1"}, "stop", "below 1"),
    ({"stop": "2"}, "stop", "needs a lesson"),
])
def test_bad_lessons_and_stops_give_a_notice(query: dict[str, str], param: str, fragment: str) -> None:
    at = open_link(query)
    text = notice_text(at)
    assert fragment in text and f"“{param}” in the link" in text and "<script" not in text
    assert "lesson" not in url_of(at) or url_of(at)["lesson"] == "article"


# --- generated links through the real app -----------------------------------------------------------

link_values = hypothesis_st.one_of(
    hypothesis_st.text(max_size=60),
    hypothesis_st.sampled_from(["all", "a,lr", "map", "error", "article", "learning-rate", "99", "-1", "1e400",
                                "<script>alert(1)</script>", "**x** :smile: [a](http://e.x)", "on", "off"]),
    hypothesis_st.integers(min_value=-10**6, max_value=10**6).map(str),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hypothesis_st.dictionaries(
    hypothesis_st.sampled_from(["hide", "note", "step", "view", "lesson", "stop", "predict", "lr"]),
    hypothesis_st.one_of(link_values, hypothesis_st.lists(link_values, min_size=1, max_size=3)),
    max_size=6,
))
def test_any_generated_link_opens_cleanly_and_is_rewritten_to_a_canonical_one(query: dict[str, object]) -> None:
    at = open_link(query)  # no exception (asserted inside)
    for element in shown_html(at):
        assert "<script" not in element.value and "<img" not in element.value
    rewritten = url_of(at)
    notices = options_from_query(rewritten)[1]
    assert notices == (), notices  # what the address bar holds is read back without a single notice
    again = open_link(rewritten)
    assert url_of(again) == rewritten and notice_text(again) == ""


@pytest.mark.parametrize(("cleared", "value", "written"),
                         [("hide", "", ""), ("note", "", ""), ("predict", "off", "off"), ("predict", "", "off")])
def test_a_link_that_clears_a_stops_own_option_keeps_it_cleared_when_reopened(cleared: str, value: str,
                                                                                written: str) -> None:
    # Found by the property above: the stop's own value came back when the rewritten link was opened.
    at = open_link({cleared: value, "lesson": "article"})
    rewritten = url_of(at)
    assert rewritten[cleared] == written
    again = open_link(rewritten)
    assert url_of(again) == rewritten and notice_text(again) == ""


def test_a_broken_lesson_file_is_skipped_with_a_notice_and_the_app_still_runs(tmp_path, monkeypatch) -> None:
    import core.links.lessons as lessons_module
    import ui.teacher as teacher

    (tmp_path / "fine.toml").write_text(
        'title = "Fine"\n[[stop]]\ntitle = "Only"\npage = "loss-curve"\nnote = "Look at the curve."\nlr = 0.3\n',
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text('title = "Broken"\n[[stop]]\npage = "nowhere"\n', encoding="utf-8")
    monkeypatch.setattr(teacher, "load_lessons", lambda: lessons_module.load_lessons(tmp_path))
    teacher.lessons.cache_clear()
    try:
        at = open_link({"lesson": "fine"})
        assert experiment_of(at).lr == 0.3 and note_text(at) == "Look at the curve."
        assert "broken.toml" in notice_text(at) and "was skipped" in notice_text(at)
        at = open_link({"lesson": "broken"})
        assert "not a lesson of this app (fine)" in notice_text(at)
    finally:
        teacher.lessons.cache_clear()
