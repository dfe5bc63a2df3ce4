"""The lesson-link builder in the real app (AppTest): what its link holds, and that its preview is that link.

A teacher ticks what to hide, types a note, picks a page (any of the four), a step or a tab,
and previews; the link must open for a student exactly as the preview showed it.
"""

from __future__ import annotations

from lesson_support import (
    PAGE_FILES,
    experiment_of,
    hidden_in,
    note_text,
    open_link,
    sidebar_labels,
    url_of,
    worked_out_title,
)

from core.links.options import HIDEABLE
from core.maths import network_settings as ns


def open_builder(at):
    """Open the sidebar's "Make a lesson link" box, as the teacher's click on it does."""
    at.session_state["builder_open"] = True
    return at.run()


def test_the_builder_is_closed_and_lazy_by_default() -> None:
    at = open_link({})
    assert "Make a lesson link" in sidebar_labels(at)
    assert "builder_note" not in {t.key for t in at.sidebar.text_area}


def test_the_builders_preview_is_what_its_link_opens() -> None:
    at = open_link({"lr": "0.4", "steps": "10"})
    at.session_state["builder_open"] = True
    at.run()
    for name in ("data", "a", "b", "presets"):
        at.checkbox(key=f"builder_hide_{name}").check()
    at.text_area(key="builder_note").input("Why does the error <b>flip</b> its sign?")
    at.selectbox(key="builder_page").set_value("loss-curve").run()
    at.selectbox(key="builder_view").set_value("error").run()
    at.button(key="builder_preview").click().run()
    assert not at.exception
    preview = {"url": url_of(at), "experiment": experiment_of(at), "hidden": hidden_in(at),
               "note": note_text(at), "tab": at.session_state["loss_curve.view"], "title": at.title[0].value}
    assert preview["url"] == {"lr": "0.4", "steps": "10", "hide": "data,a,b,presets",
                              "note": "Why does the error <b>flip</b> its sign?", "view": "error"}
    assert preview["title"] == "Loss curve" and preview["tab"] == "Error by step"
    assert at.button(key="builder_leave")  # the teacher's way back
    student = open_link(preview["url"], page="loss-curve")
    assert {"url": url_of(student), "experiment": experiment_of(student), "hidden": hidden_in(student),
            "note": note_text(student), "tab": student.session_state["loss_curve.view"],
            "title": student.title[0].value} == preview
    assert "Presets" not in sidebar_labels(student)
    # leaving the preview brings the teacher's own link back
    at.button(key="builder_leave").click().run()
    assert url_of(at) == {"lr": "0.4", "steps": "10"} and hidden_in(at) == set()


def test_leaving_the_preview_keeps_the_teachers_step_and_the_open_builder() -> None:
    """Keyboard playtest: Next three times (step=3 in the address), preview, leave: the address lost
    step=3, the picker was back at 0 and the builder box had closed."""
    at = open_link({"lr": "0.4", "steps": "10"})
    for _ in range(3):
        at.button(key="step_table.next").click().run()
    assert url_of(at) == {"lr": "0.4", "steps": "10", "step": "3"}
    open_builder(at)
    at.button(key="builder_preview").click().run()
    at.button(key="builder_leave").click().run()
    assert not at.exception
    assert url_of(at) == {"lr": "0.4", "steps": "10", "step": "3"}
    assert worked_out_title(at) == "Step 3, worked out"
    assert at.session_state["builder_open"] and "builder_note" in {t.key for t in at.sidebar.text_area}


def test_the_builders_step_reaches_the_table() -> None:
    at = open_link({})
    at.session_state["builder_open"] = True
    at.run()
    at.number_input(key="builder_step").set_value(2).run()
    at.button(key="builder_preview").click().run()
    assert worked_out_title(at) == "Step 2, worked out" and url_of(at) == {"step": "2"}


def test_a_built_in_lesson_opens_from_the_builder_as_a_preview_with_the_way_back() -> None:
    at = open_link({"lr": "0.4"})
    at.session_state["builder_open"] = True
    at.run()
    at.button(key="builder_lesson_learning-rate").click().run()
    assert not at.exception
    assert experiment_of(at).lr == 0.01 and url_of(at)["lesson"] == "learning-rate"
    assert set(HIDEABLE) - {"lr"} >= hidden_in(at)
    # Teacher playtest: the lesson hides the builder, so the teacher was left without a way back.
    at.button(key="builder_leave").click().run()
    assert url_of(at) == {"lr": "0.4"} and "lesson" not in url_of(at)


def test_a_built_in_lessons_short_link_names_its_first_stops_page() -> None:
    """A root link to a stop on another page switches page as it opens, and the browser keeps the address
    it switched from: the short link the builder shows opens on the stop's own page instead."""
    from ui.lesson_builder import lesson_start_url

    base = "https://class.example"
    assert lesson_start_url(base, "learning-rate", "loss-curve") == f"{base}/loss-curve?lesson=learning-rate&stop=1"
    assert lesson_start_url(base, "article", "step-table") == f"{base}/?lesson=article&stop=1"


def test_the_picked_step_follows_the_table_until_the_teacher_picks_one() -> None:
    """Teacher playtest: Next twice on the table (step=2 in the address bar), and the builder said step 0."""
    at = open_link({"lr": "0.4", "steps": "10"})
    at.button(key="step_table.next").click().run()
    at.button(key="step_table.next").click().run()
    open_builder(at)
    assert at.number_input(key="builder_step").value == 2
    at.number_input(key="builder_step").set_value(5).run()  # the teacher's own pick then stays
    at.button(key="step_table.previous").click().run()
    assert at.number_input(key="builder_step").value == 5


def test_a_note_longer_than_the_limit_is_cut_and_said_never_dropped() -> None:
    """Streamlit's field with max_chars dropped a longer paste whole, silently (teacher playtest)."""
    from core.links.options import NOTE_MAX

    at = open_link({})
    open_builder(at)
    long_note = "Why? " * 60  # 300 characters
    at.text_area(key="builder_note").input(long_note).run()
    assert any(f"the link keeps the first {NOTE_MAX}" in c.value for c in at.sidebar.caption)
    at.button(key="builder_preview").click().run()
    assert note_text(at) == long_note[:NOTE_MAX].strip()


def test_a_link_to_the_rates_tab_carries_the_rates_the_teacher_compares() -> None:
    at = open_link({"compare": "0.02,diverge", "view": "rates"}, page="loss-curve")
    at = open_builder(at)
    assert at.selectbox(key="builder_view").value == "rates"  # the tab open on the page, until one is picked
    at.button(key="builder_preview").click().run()
    assert url_of(at) == {"view": "rates", "compare": "0.02,diverge"}
    assert at.multiselect(key="loss_curve.compare").value == ["lr=0.02", "diverge"]


def test_the_page_follows_the_teachers_own_until_they_pick_one() -> None:
    at = open_builder(open_link({}, page="loss-surface"))
    assert at.selectbox(key="builder_page").value == "loss-surface"
    at.switch_page(PAGE_FILES["loss-curve"])
    at = open_builder(at)
    assert at.selectbox(key="builder_page").value == "loss-curve"
    at.selectbox(key="builder_page").set_value("step-table").run()
    at.switch_page(PAGE_FILES["loss-surface"])
    at = open_builder(at)
    assert at.selectbox(key="builder_page").value == "step-table"  # the teacher's pick stays


def test_a_lesson_link_to_many_parameters_carries_the_network_set_up_there() -> None:
    at = open_link({"lr": "0.2", "steps": "300"})
    at.switch_page("views/many_parameters.py")
    at = open_builder(at)
    assert at.selectbox(key="builder_page").value == "many-parameters"
    at.slider(key="many.units").set_value(3).run()
    at.selectbox(key="many.target").set_value("parabola").run()
    at.checkbox(key="builder_hide_lr").check()
    at.text_area(key="builder_note").input("Which parameter moves most?").run()
    captions = [caption.value for caption in at.sidebar.caption]
    assert ("The link also holds the network as set on Many parameters: 3 hidden units, the parabola curve,"
            " 40 points, noise 0.1, seed 1.") in captions
    at.button(key="builder_preview").click().run()
    assert not at.exception
    preview = url_of(at)
    assert preview == {"lr": "0.2", "steps": "300", "units": "3", "target": "parabola", "hide": "lr",
                       "note": "Which parameter moves most?"}
    assert at.title[0].value == "Many parameters, the same four steps"
    student = open_link(preview, page="many-parameters")
    assert url_of(student) == preview and note_text(student) == "Which parameter moves most?"
    assert student.session_state["many.units"] == 3 and student.session_state["many.target"] == "parabola"
    assert "lr" in hidden_in(student)


def test_the_network_of_a_teacher_who_never_opened_the_page_is_the_default() -> None:
    at = open_builder(open_link({}))
    at.selectbox(key="builder_page").set_value("many-parameters").run()
    at.button(key="builder_preview").click().run()
    assert url_of(at) == {} and at.title[0].value == "Many parameters, the same four steps"
    assert at.session_state["many.units"] == ns.DEFAULT_UNITS


def test_a_link_can_hide_the_builder_from_the_class() -> None:
    at = open_builder(open_link({"lr": "0.3"}))
    at.checkbox(key="builder_hide_builder").check().run()
    at.button(key="builder_preview").click().run()
    assert url_of(at) == {"lr": "0.3", "hide": "builder"}
    assert "Make a lesson link" not in sidebar_labels(at)
    assert at.button(key="builder_leave")  # the teacher's way out stays, in the page
    student = open_link({"lr": "0.3", "hide": "builder"})
    assert "Make a lesson link" not in sidebar_labels(student)
    assert hidden_in(student) == set() and experiment_of(student).lr == 0.3


def test_hide_boxes_that_change_nothing_on_the_chosen_page_are_named() -> None:
    at = open_builder(open_link({}))
    at.checkbox(key="builder_hide_data").check()
    at.checkbox(key="builder_hide_lr").check().run()
    captions = lambda: [caption.value for caption in at.sidebar.caption]  # noqa: E731
    assert not any("anyway" in caption for caption in captions())  # the step table shows both
    at.selectbox(key="builder_page").set_value("many-parameters").run()
    assert ("Many parameters has no Data in its sidebar anyway: hiding it applies once the class moves to "
            "another page.") in captions()  # the rate is on that page: hiding it is not named
    at.checkbox(key="builder_hide_a").check()
    at.checkbox(key="builder_hide_presets").check().run()
    assert ("Many parameters has no Data, Start a or Presets in its sidebar anyway: hiding them applies once the "
            "class moves to another page.") in captions()
