"""The top-down map's step labels: which steps share a spot, and how they read (issue #18, item 5).

A bouncing or diverging run goes back and forth along one line, so its updates draw over each
other; the numbers beside the points (and the arrowheads) are what shows their order.
"""

from __future__ import annotations

import json

import plotly.io as pio
import pytest

from core.figures.step_labels import LABEL_GAP, step_label
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment, from_query
from core.maths.step_order import groups_upto, step_groups
from core.maths.surface import path_in_window, plot_window
from core.maths.training import train
from core.words.chart_text import surface_chart
from core.words.notation import step_list

ARTICLE = Experiment()


def _groups(experiment: Experiment):
    trajectory = train(experiment)
    window = plot_window(trajectory)
    return step_groups(path_in_window(trajectory, window), window)


def _contour(experiment: Experiment) -> dict:
    return json.loads(pio.to_json(build_contour_figure(surface_scene(train(experiment))), validate=False))


def _labels(trace: dict) -> list[str]:
    return [text.strip(LABEL_GAP) for text in trace["text"]]


def test_a_bouncing_run_puts_even_and_odd_steps_on_its_two_points() -> None:
    groups = _groups(ARTICLE.with_(lr=0.5))
    assert [g.steps for g in groups] == [(0, 2, 4), (1, 3, 5)]
    assert (groups[0].a, groups[0].b) == pytest.approx((3.0, 4.0))
    assert (groups[1].a, groups[1].b) == pytest.approx((0.0, 1.0))
    assert [g.steps for g in groups_upto(groups, 3)] == [(0, 2), (1, 3)]
    assert [g.steps for g in groups_upto(groups, 0)] == [(0,)]


def test_the_articles_run_labels_each_step_until_they_crowd() -> None:
    assert [g.steps for g in _groups(ARTICLE)] == [(0,), (1,), (2,), (3, 4), (5,)]
    assert [g.steps for g in _groups(ARTICLE.with_(lr=0.4))] == [(k,) for k in range(6)]


@pytest.mark.parametrize(
    "query",
    [{}, {"lr": "0.5", "steps": "50"}, {"lr": "0.6", "steps": "20"}, {"lr": "0.01", "steps": "1000"},
     {"data": "1:4,2:5,3:7", "lr": "0.05", "steps": "40"}, {"data": "0:4"}, {"steps": "0"}],
)
def test_every_drawn_step_has_exactly_one_label(query: dict[str, str]) -> None:
    experiment, _ = from_query(query)
    trajectory = train(experiment)
    window = plot_window(trajectory)
    path = path_in_window(trajectory, window)
    groups = step_groups(path, window)
    listed = sorted(s for g in groups for s in g.steps)
    assert listed == list(range(len(path.steps)))
    assert all(list(g.steps) == sorted(g.steps) for g in groups)


def test_step_lists_read_short() -> None:
    assert step_list((3,)) == "3"
    assert step_list((0, 2, 4)) == "0, 2, 4"
    assert step_list(tuple(range(5, 51))) == "5–50"
    assert step_list(tuple(range(0, 51, 2))) == "0, 2, …, 50"


def test_a_label_of_several_steps_says_steps_so_it_never_reads_as_a_point() -> None:
    """Phone playtest: "3, 4" beside a point read as the point (3, 4), right under the legend's "start (3, 4)"."""
    assert step_label((3,)) == "3"
    assert step_label((3, 4)) == "steps 3, 4"
    assert step_label(tuple(range(5, 31))) == "steps 5–30"
    assert step_label(tuple(range(0, 51, 2))) == "steps 0, 2, …, 50"
    for query in ({}, {"steps": "30"}, {"lr": "0.45", "steps": "20"}, {"lr": "0.01", "steps": "1000"}):
        spec = _contour(from_query(query)[0])
        (labels,) = [t for t in spec["data"] if t.get("name") == "step numbers"]
        for text in _labels(labels):
            assert text.isdigit() or text.startswith("steps "), (query, text)


@pytest.mark.parametrize(("steps", "label"), [(5, "5"), (30, "steps 5–30")])
def test_the_label_beside_the_landing_star_turns_away_from_it(steps: int, label: str) -> None:
    """Step 5 lies up and right of the star (1.5, 2.5); its label turns to the path's lower side, where the
    star is not, instead of sitting on it ("5–30" on top of the star in the playtest)."""
    spec = _contour(ARTICLE.with_(steps=steps))
    (labels,) = [t for t in spec["data"] if t.get("name") == "step numbers"]
    texts = _labels(labels)
    assert texts[:3] == ["0", "1", "2"] and texts[-1] == label
    positions = labels["textposition"]
    assert positions[0] == "top left" and positions[-1] == "bottom right"


def test_the_map_writes_the_step_numbers_and_grows_them_frame_by_frame() -> None:
    spec = _contour(ARTICLE.with_(lr=0.5))
    (labels,) = [t for t in spec["data"] if t.get("name") == "step numbers"]
    assert labels["mode"] == "text" and labels["cliponaxis"] is False
    assert _labels(labels) == ["steps 0, 2, 4", "steps 1, 3, 5"]
    # Labels sit away from the window's edges: (0, 1) is near the left edge, so its label turns right.
    assert labels["textposition"] == ["top left", "bottom right"]
    index = spec["data"].index(labels)
    by_frame = [_labels(f["data"][f["traces"].index(index)]) for f in spec["frames"]]
    assert by_frame == [
        ["0"], ["0", "1"], ["steps 0, 2", "1"], ["steps 0, 2", "steps 1, 3"], ["steps 0, 2, 4", "steps 1, 3"],
        ["steps 0, 2, 4", "steps 1, 3, 5"],
    ]
    # Every point after the start is an arrowhead turned the way its update went.
    (path,) = [t for t in spec["data"] if str(t.get("name", "")).startswith("path")]
    assert path["marker"]["symbol"] == ["circle"] + ["arrow"] * 5 and path["marker"]["angleref"] == "previous"


def test_the_3d_surface_keeps_its_three_moving_traces() -> None:
    spec = json.loads(pio.to_json(build_surface_figure(surface_scene(train(ARTICLE))), validate=False))
    assert all(t.get("name") != "step numbers" for t in spec["data"])
    assert all(len(f["traces"]) == 3 for f in spec["frames"])


def test_the_maps_text_alternative_lists_the_same_labels() -> None:
    text = surface_chart(train(ARTICLE.with_(lr=0.5)), three_d=False)
    assert "steps 0, 2, 4 at (3, 4); steps 1, 3, 5 at (0, 1)." in text
    assert "arrowheads point the way each update went" in text
    long = surface_chart(train(ARTICLE.with_(lr=0.5, steps=50)), three_d=False)
    assert "steps 0, 2, …, 50 at (3, 4); steps 1, 3, …, 49 at (0, 1)." in long
    article = surface_chart(train(ARTICLE), three_d=False)
    assert "step 0 at (3, 4); step 1 at (2.4, 3.4); step 2 at (2.04, 3.04); steps 3, 4 at (1.824, 2.824)" in article
    assert "at (3, 4);" not in surface_chart(train(ARTICLE.with_(lr=0.5)), three_d=True)


def _phone_boxes(experiment: Experiment) -> tuple[dict[str, tuple], list[tuple]]:
    """Each label's box and the answers' circles, in px on a 390 px phone's map (as step_labels judges them)."""
    from core.figures import step_labels as sl

    scene = surface_scene(train(experiment))
    shown = groups_upto(scene.groups, scene.path.last)
    texts = [step_label(g.steps) for g in shown]
    positions = sl.label_positions(scene, shown, texts)
    scale = sl.PHONE_MAP_PX / sl._span(scene)

    def at(a: float, b: float) -> tuple[float, float]:
        return (a - scene.window.a_min) * scale, (scene.window.b_max - b) * scale

    side_of = {where: side for side, where in sl._SIDES.items()}
    boxes = {text: sl._shifted(sl._box(text, side_of[where]), at(g.a, g.b))
             for text, where, g in zip(texts, positions, shown, strict=True)}
    circles = [sl._square(at(*answer), sl.ANSWER_PX) for answer in scene.answers]
    return boxes, circles


def test_lesson_stop_5s_labels_leave_the_equally_good_answers_in_sight() -> None:
    """Phone playtest: at lesson stop 5 (30 updates) "steps 3, 4" sat on the circle at (1, 3), the very point
    the stop's note names, with "steps 5–30" on its other side. It now sits beside its point, along the path."""
    from core.figures.step_labels import _overlap

    boxes, circles = _phone_boxes(ARTICLE.with_(steps=30))
    assert list(boxes) == ["0", "1", "2", "steps 3, 4", "steps 5–30"]
    for text, box in boxes.items():
        assert all(_overlap(box, circle) == 0.0 for circle in circles), text
    labels = list(boxes.values())
    assert all(_overlap(one, other) == 0.0 for i, one in enumerate(labels) for other in labels[i + 1:])
