"""Navigation, driven through the app: every page is registered, opens by switching, and has its path.

The pages are what ``app.py`` hands to ``st.navigation`` in a real run (recorded, not parsed from
the source); switching goes through AppTest's page switch, as a click in the sidebar does.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.maths.experiment import Experiment
from ui.state import EXPERIMENT_KEY

APP = "../../app.py"
# (file, title in the sidebar, url path, visibility, default): "/" and the hidden "/step-table" both
# run the step table, because Streamlit serves a default page only at "/".
EXPECTED_PAGES = [
    ("views/step_table.py", "Step table", "", "visible", True),
    ("views/loss_curve.py", "Loss curve", "loss-curve", "visible", False),
    ("views/loss_surface.py", "Loss surface", "loss-surface", "visible", False),
    ("views/many_parameters.py", "Many parameters", "many-parameters", "visible", False),
    ("views/step_table.py", "Step table", "step-table", "hidden", False),
]
# The heading each page shows (its st.title), by file.
HEADINGS = {
    "views/step_table.py": "Every step of one training run",
    "views/loss_curve.py": "Loss curve",
    "views/loss_surface.py": "Loss surface",
    "views/many_parameters.py": "Many parameters, the same four steps",
}


@pytest.fixture
def navigation_calls(monkeypatch: pytest.MonkeyPatch) -> list[list]:
    """Every list of pages the app passes to st.navigation, in order."""
    calls: list[list] = []
    original = st.navigation

    def recording(pages: list, *args: object, **kwargs: object):
        calls.append(list(pages))
        return original(pages, *args, **kwargs)

    monkeypatch.setattr(st, "navigation", recording)
    return calls


def start(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def current_path(at: AppTest) -> str:
    """The url path of the page the last run showed ("" is the default page at "/")."""
    return at._registered_pages[at._finished_page_script_hash]["url_pathname"]


def test_the_app_registers_every_page_with_its_title_path_and_visibility(navigation_calls: list[list]) -> None:
    at = start()
    assert navigation_calls, "app.py did not call st.navigation"
    described = [(page.title, page.url_path, page._visibility, page._default) for page in navigation_calls[-1]]
    assert described == [row[1:] for row in EXPECTED_PAGES]
    root = Path(at._script_path).resolve().parent
    registered = [(Path(info["script_path"]).resolve().relative_to(root).as_posix(), info["page_name"],
                   info["url_pathname"]) for info in at._registered_pages.values()]
    assert registered == [(file, title, path) for file, title, path, _, _ in EXPECTED_PAGES]


@pytest.mark.parametrize(("file", "path"), [(file, path) for file, _, path, visibility, _ in EXPECTED_PAGES
                                            if visibility == "visible"])
def test_switching_to_each_page_shows_its_heading_at_its_path(file: str, path: str) -> None:
    at = start(lr="0.2")
    assert current_path(at) == "" and at.title[0].value == HEADINGS["views/step_table.py"]
    at.switch_page(file).run()
    assert not at.exception, [e.message for e in at.exception]
    assert current_path(at) == path
    assert at.title[0].value == HEADINGS[file]
    assert at.session_state[EXPERIMENT_KEY] == Experiment(lr=0.2)  # the shared link's experiment travels along
    assert at.query_params.get("lr") == "0.2"  # the address bar keeps the shared rate


def test_a_round_trip_through_every_page_keeps_the_sidebar_values() -> None:
    at = start()
    at.sidebar.number_input(key="ctl_lr").set_value(0.3).run()
    visited = []
    for file, _, _, visibility, _ in EXPECTED_PAGES:
        if visibility != "visible":
            continue
        at.switch_page(file).run()
        assert not at.exception, [e.message for e in at.exception]
        visited.append((current_path(at), at.title[0].value))
        assert at.sidebar.number_input(key="ctl_lr").value == 0.3
    assert visited == [(path, HEADINGS[file]) for file, _, path, visibility, _ in EXPECTED_PAGES
                       if visibility == "visible"]
