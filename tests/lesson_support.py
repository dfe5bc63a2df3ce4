"""Opening links in the real app (AppTest) and reading back what a student gets: shared by the lesson tests."""

from __future__ import annotations

import html
import re
from pathlib import Path

from app_elements import headings, shown_html
from streamlit.testing.v1 import AppTest

from core.maths.experiment import Experiment
from ui.state import EXPERIMENT_KEY

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE_FILES = {
    "many-parameters": "views/many_parameters.py",
    "step-table": "views/step_table.py", "loss-curve": "views/loss_curve.py", "loss-surface": "views/loss_surface.py",
}
# Each hideable control and the widget keys (or labels) that draw it.
CONTROL_KEYS = {
    "data": ["ctl_x_0", "ctl_y_0", "ctl_add_point"],
    "a": ["ctl_a0"],
    "b": ["ctl_b0"],
    "lr": ["ctl_lr"],
    "steps": ["ctl_steps"],
    "mode": ["ctl_hand"],
}


def open_link(query: dict[str, str | list[str]], page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(PAGE_FILES[page]).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def experiment_of(at: AppTest) -> Experiment:
    return at.session_state[EXPERIMENT_KEY]


def url_of(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key][-1] if isinstance(at.query_params[key], list) else at.query_params[key]
            for key in at.query_params}


def widget_keys(at: AppTest) -> set[str]:
    widgets = [*at.sidebar.number_input, *at.sidebar.toggle, *at.sidebar.button, *at.sidebar.checkbox]
    return {element.key for element in widgets if element.key}


def sidebar_labels(at: AppTest) -> set[str]:
    # the share box's title opens a Markdown element of its own (with the hint under it)
    return {element.label for element in at.sidebar.expander} | {m.value.split("  \n")[0] for m in at.sidebar.markdown}


def _text_of(body: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", "\n", re.sub(r"<style>.*?</style>", "", body, flags=re.DOTALL)))


def notice_text(at: AppTest) -> str:
    return "\n".join(_text_of(e.value) for e in shown_html(at) if "gd-notice" in e.value)


def note_bodies(at: AppTest) -> list[str]:
    return [e.value for e in shown_html(at) if "gd-teacher-note" in e.value and "role=\"note\"" in e.value]


def note_text(at: AppTest) -> str:
    """The note as a reader sees it: the text inside the box after its label."""
    bodies = note_bodies(at)
    assert len(bodies) == 1, bodies
    paragraphs = re.findall(r"<p>(.*?)</p>", bodies[0], flags=re.DOTALL)
    return html.unescape(paragraphs[-1])


def worked_out_title(at: AppTest) -> str:
    return next(h for h in headings(at) if "worked out" in h)


def hidden_in(at: AppTest) -> set[str]:
    keys = widget_keys(at)
    return {name for name, control_keys in CONTROL_KEYS.items() if not set(control_keys) & keys}
