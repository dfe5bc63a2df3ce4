"""The app shell: shared controls, presets and the copy-link box (navigation is tests/ui/test_navigation.py)."""

from __future__ import annotations

import re

import pytest
from app_elements import PAGE_ELEMENT
from streamlit.testing.v1 import AppTest

from core.maths.experiment import Experiment
from core.maths.presets import PRESETS, PRESETS_BY_KEY
from ui.accessibility import STYLE
from ui.controls import SHARE_TITLE
from ui.navigation_guard import SCRIPT
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"
PAGES = ["views/step_table.py", "views/loss_curve.py", "views/loss_surface.py"]


def start(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def shown_experiment(at: AppTest) -> Experiment:
    return at.session_state[EXPERIMENT_KEY]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_at_the_defaults_with_the_sidebar(page: str) -> None:
    at = start()
    at.switch_page(page).run()
    assert not at.exception, [e.message for e in at.exception]
    assert shown_experiment(at) == Experiment()
    labels = [widget.label for widget in at.sidebar.number_input]
    assert labels == ["x", "y_true", "Start a", "Start b", "Learning rate", "Steps (updates)"]
    assert at.sidebar.toggle(key="ctl_hand").value is False
    assert any("Smooth: the error shrinks ×0.6 per step" in c.value for c in at.sidebar.caption)
    assert any("x = 1, y_true = 4" in c.value for c in at.main.caption)
    assert len(at.main.children) > 3  # the page itself drew something beyond the summary


@pytest.mark.parametrize("page", PAGES)
def test_every_page_sends_the_style_sheet_and_guard_script_once(page: str) -> None:
    at = start()
    at.switch_page(page).run()
    own = [element for element in at.get("html") if element.value == PAGE_ELEMENT]
    assert len(own) == 1
    assert own[0].proto.unsafe_allow_javascript  # or the browser would drop the guard's script


def test_the_page_element_survives_the_browsers_html_cleaning() -> None:
    """Streamlit cleans that element with DOMPurify, which drops a <style> or <script> whose text has
    "<" right before a letter, "/" or "!" (a comparison written "i<n", a tag in a comment)."""
    for part, closing in ((STYLE, "</style>"), (SCRIPT, "</script>")):
        for body in re.findall(r"<(?:style|script)[^>]*>(.*?)" + closing, part, flags=re.DOTALL):
            assert not re.search(r"<[/!A-Za-z]", body), re.search(r".{30}<[/!A-Za-z].{30}", body, re.DOTALL)
    assert SCRIPT.count("<script") == 1 and SCRIPT.rstrip().endswith("})();</script>")  # wrapped: a re-insert


def open_presets(at: AppTest) -> None:
    """Open the sidebar's Presets expander; closed, its buttons are not even built."""
    assert not [b for b in at.button if b.key.startswith("ctl_preset_")]
    at.session_state["ctl_presets_open"] = True
    at.run()


@pytest.mark.parametrize("preset", [p.key for p in PRESETS])
@pytest.mark.parametrize("page", PAGES)
def test_every_preset_on_every_page(preset: str, page: str) -> None:
    at = start(lr="0.33", steps="7")
    at.switch_page(page).run()
    open_presets(at)
    at.button(key=f"ctl_preset_{preset}").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert shown_experiment(at) == PRESETS_BY_KEY[preset].experiment
    assert not at.error, [e.value for e in at.error]


def test_regime_sentence_follows_the_rate() -> None:
    at = start()
    expectations = {0.01: "Smooth", 0.25: "One step", 0.4: "Overshooting", 0.5: "Bouncing", 0.6: "Diverging"}
    for rate, word in expectations.items():
        at.number_input(key="ctl_lr").set_value(rate).run()
        captions = [c.value for c in at.sidebar.caption]
        assert any(c.startswith(word) for c in captions), (rate, captions)
    assert any("above 0.5" in c for c in captions)


def test_switching_pages_keeps_the_experiment() -> None:
    at = start()
    at.number_input(key="ctl_lr").set_value(0.4).run()
    at.number_input(key="ctl_steps").set_value(9).run()
    for page in [*PAGES, PAGES[0]]:
        at.switch_page(page).run()
        assert shown_experiment(at) == Experiment(lr=0.4, steps=9)
        assert at.number_input(key="ctl_lr").value == 0.4
        assert dict(at.query_params) == {"lr": "0.4", "steps": "9"}


def test_adding_and_removing_points() -> None:
    at = start()
    at.button(key="ctl_add_point").click().run()
    assert shown_experiment(at).points == ((1.0, 4.0), (2.0, 4.0))
    at.number_input(key="ctl_y_1").set_value(5.0).run()
    assert at.query_params["data"] == ["1:4,2:5"] or at.query_params["data"] == "1:4,2:5"
    at.button(key="ctl_remove_0").click().run()
    assert shown_experiment(at).points == ((2.0, 5.0),)
    assert "ctl_remove_0" not in [b.key for b in at.button]  # the last point cannot be removed


def test_reset_returns_to_the_article() -> None:
    at = start(lr="0.6", steps="30", data="1:4,2:5")
    open_presets(at)
    at.button(key="ctl_reset").click().run()
    assert shown_experiment(at) == Experiment()
    assert dict(at.query_params) == {}


def test_hand_toggle_sets_mode() -> None:
    at = start()
    at.toggle(key="ctl_hand").set_value(True).run()
    assert shown_experiment(at).mode == "hand"
    assert dict(at.query_params) == {"mode": "hand"}


def test_copy_link_box_is_shown() -> None:
    at = start(lr="0.4")
    assert [m.value for m in at.sidebar.markdown if m.value.startswith(SHARE_TITLE)]
    codes = [c.value for c in at.sidebar.code]
    assert len(codes) == 1
    assert codes[0].endswith("?lr=0.4")


def test_generated_markup_reaches_the_page_as_built() -> None:
    """``html_block`` skips ``st.html``'s dedent (meant for indented literals; ~0.1 ms a run on the
    9 KB style sheet): a preformatted block keeps its indentation, where plain ``st.html`` loses it."""

    def page() -> None:
        import streamlit as st

        from ui.components import html_block

        body = "  <pre>\n    a = a - lr * grad_a\n    b = b - lr * grad_b</pre>"  # every line indented
        html_block(body)
        st.html(body)

    at = AppTest.from_function(page)
    at.run()
    generated, plain = (element.value for element in at.get("html"))
    assert generated == "<pre>\n    a = a - lr * grad_a\n    b = b - lr * grad_b</pre>"
    assert plain == "<pre>\n  a = a - lr * grad_a\n  b = b - lr * grad_b</pre>"  # dedented: what html_block avoids
