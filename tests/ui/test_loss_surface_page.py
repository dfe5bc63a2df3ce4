"""The loss-surface page in AppTest: one 3D chart and one map, with core's numbers and honest words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.maths.experiment import Experiment
from core.maths.training import train
from tests.plotly_spec import charts, decode, figure_of, label_of

PAGE = "views/loss_surface.py"
VIEW_KEY = "loss_surface.view"  # the page's tabs widget
ROOT = Path(__file__).resolve().parents[2]


def _run(**query: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / PAGE), default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _figures(at: AppTest) -> tuple[dict, dict]:
    """(3D surface, top-down map), as ``ui.charts`` sends them to the browser.

    A first view carries only the open tab's chart; once the map's tab has been opened, both
    are sent on every run (so a turned 3D view survives a trip to the map and back).
    """
    assert [label_of(chart) for chart in charts(at)] == ["3D loss surface with the path of the run"]
    at.session_state[VIEW_KEY] = "Top-down map"  # the student opens the map's tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    drawn = charts(at)
    assert [label_of(chart) for chart in drawn] == [
        "3D loss surface with the path of the run",
        "Top-down map of the loss with the path of the run",
    ]
    assert all(json.loads(chart.proto.json)["src"].startswith("app/static/plotly-") for chart in drawn)  # no CDN
    return figure_of(drawn[0]), figure_of(drawn[1])


def _names(figure: dict) -> list[str]:
    return [str(trace.get("name", "")) for trace in figure["data"]]


def _text(at: AppTest) -> str:
    return " ".join(str(m.value) for m in at.markdown) + " " + " ".join(str(c.value) for c in at.caption)


def test_default_page_shows_the_bowl_the_valley_and_the_path() -> None:
    at = _run()
    surface, contour = _figures(at)
    # Exactly one 3D figure on the page (browsers allow few WebGL contexts).
    assert [t["type"] for t in surface["data"]].count("surface") == 1
    assert not any(t["type"] in ("surface", "scatter3d") for t in contour["data"])
    assert "valley a + b = 4: loss 0" in _names(surface) and "valley a + b = 4: loss 0" in _names(contour)
    assert "landing point (1.5, 2.5)" in _names(surface)
    path = next(t for t in surface["data"] if t["name"].startswith("path"))
    np.testing.assert_allclose(np.asarray(decode(path["x"]), dtype=float), train(Experiment()).a, rtol=1e-6)
    assert len(surface["frames"]) == 6
    text = _text(at)
    assert "a + b = 4" in text and "(1.5, 2.5)" in text and "(x, 1) = (1, 1)" in text
    assert "(0, 4) and (1, 3)" in text
    assert "After 5 updates" in text and "(1.6166, 2.6166)" in text and "0.0544" in text
    assert [tab.label for tab in at.tabs] == ["3D surface", "Top-down map"]


def test_two_points_show_one_minimum_and_say_why() -> None:
    at = _run(data="1:4,2:5")
    surface, contour = _figures(at)
    for figure in (surface, contour):
        assert not any(name.startswith("valley") for name in _names(figure))
        assert "least-squares minimum (1, 3): loss 0" in _names(figure)
    assert "two equations in two unknowns" in _text(at)


def test_a_diverging_run_says_where_it_left() -> None:
    at = _run(lr="0.6", steps="50")
    text = _text(at)
    assert "This run diverges" in text and "leaves this window after step 3" in text
    surface, _ = _figures(at)
    assert "left the window" in _names(surface)


@pytest.mark.parametrize(
    "query",
    [
        {"lr": "0.6", "steps": "50"},
        {"lr": "0.5"},
        {"data": "0:4"},
        {"data": "1:4,1:6"},
        {"lr": "nan", "steps": "-3", "data": "<b>x</b>"},
    ],
)
def test_odd_inputs_render_without_nan(query: dict[str, str]) -> None:
    at = _run(**query)
    surface, contour = _figures(at)
    for figure in (surface, contour):
        for trace in figure["data"]:
            for key in ("x", "y", "z", "customdata"):
                if key in trace:
                    assert np.all(np.isfinite(np.asarray(decode(trace[key]), dtype=float))), (trace.get("name"), key)
    words = _text(at).lower().replace(",", " ").replace(".", " ").split()
    assert "nan" not in words and "inf" not in words


def test_through_the_app_with_a_shared_link() -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lr"] = "0.2"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    surface, _ = _figures(at)
    path = next(t for t in surface["data"] if t["name"].startswith("path"))
    expected = train(Experiment(lr=0.2))
    np.testing.assert_allclose(np.asarray(decode(path["x"]), dtype=float), expected.a, rtol=1e-6)
    # lr 0.2 at x = 1: the error shrinks ×0.2 per step, to 3·0.2⁵ after 5; half of it is left on a and on b.
    assert (expected.a[-1], expected.b[-1]) == pytest.approx((1.5 + 1.5 * 0.2**5, 2.5 + 1.5 * 0.2**5))
    assert "the run is at (1.5005, 2.5005)" in _text(at)


@pytest.mark.parametrize("lr", ["1.2", "5"])
def test_a_run_that_leaves_at_once_keeps_a_slider_and_says_where_it_ends(lr: str) -> None:
    """Playtest find: leaving the window after step 0 left one frame, so no slider, while the
    caption still said to drag it. Both charts now step from the start to the update that leaves."""
    at = _run(lr=lr)
    for figure in _figures(at):
        assert [frame["name"] for frame in figure["frames"]] == ["0", "1"]
        assert [step["label"] for step in figure["layout"]["sliders"][0]["steps"]] == ["0", "1"]
    caption = " ".join(str(c.value) for c in at.caption)
    assert "Play or drag the step slider" in caption and "last stop, step 1, lies outside the window" in caption


def test_a_run_with_no_update_offers_nothing_to_play() -> None:
    at = _run(steps="0")
    for figure in _figures(at):
        assert not figure.get("frames") and not figure["layout"].get("sliders")
        assert not figure["layout"].get("updatemenus")
    caption = " ".join(str(c.value) for c in at.caption)
    assert "nothing to play or step through" in caption and "drag the step slider" not in caption


def test_the_valley_lessons_stop_says_what_is_true_of_its_30_updates() -> None:
    """Phone playtest, lesson stop 5 (30 updates): the page said "loss 0" of a loss of ~4e-13, and "at (1.5, 2.5)
    … on its way to (1.5, 2.5)"; the map's labels "3, 4" read as a point. Now every one of them says what it is."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["lesson"] = "article"
    at.query_params["stop"] = "5"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Loss surface"
    text = _text(at)
    assert "the run is at (1.5, 2.5) with loss below 0.0001." in text and "with loss 0" not in text
    (drawn,) = charts(at)  # the stop opens the map
    description = json.loads(drawn.proto.json)["description"]
    ending = "after 30 updates it is at (1.5, 2.5), loss below 0.0001: the point it lands on, to 4 decimals."
    assert ending in description
    assert "on its way" not in description
    assert "steps 3, 4 at (1.824, 2.824); steps 5–30 at (1.6166, 2.6166)" in description
    labels = next(t for t in figure_of(drawn)["data"] if t.get("name") == "step numbers")
    assert [text.strip("\u2002") for text in labels["text"]] == ["0", "1", "2", "steps 3, 4", "steps 5–30"]
