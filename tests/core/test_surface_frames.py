"""The loss surface's step frames when a run leaves the window, and when there is nothing to step through.

Playtest find: at ``/loss-surface?lr=1.2`` (and ``lr=5``) the path leaves the window after step 0,
so both figures had a single frame; Plotly then draws no step slider, Play and Pause did nothing,
and the caption still said to drag the slider. The update that leaves now gets a frame of its own
(the dashed line to the edge), and a run with no update gets no controls and a caption that says so.
Figures are checked as the browser gets them (``plotly.io.to_json``).
"""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest

from core.figures import surface as figures
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment
from core.maths.training import train
from core.words.surface_notes import stepping_caption
from tests.plotly_spec import decode

ARTICLE = Experiment()
BUILDERS = [build_surface_figure, build_contour_figure]


def _spec(figure) -> dict:
    return json.loads(pio.to_json(figure, validate=False))


def _moving(spec: dict) -> dict[str, int]:
    """Where the path, the step shown and the exit line sit in the figure's data."""
    names = [str(trace.get("name", "")) for trace in spec["data"]]
    return {"path": next(i for i, n in enumerate(names) if n.startswith("path")),
            "shown": names.index("step shown"), "exit": names.index("left the window")}


def _length(trace: dict) -> int:
    return len(decode(trace.get("x", [])))


def _in_frame(frame: dict, index: int) -> dict:
    return frame["data"][frame["traces"].index(index)]


@pytest.mark.parametrize("lr", [1.2, 5.0])
@pytest.mark.parametrize("build", BUILDERS, ids=["3d", "map"])
def test_a_run_that_leaves_after_step_0_can_still_be_stepped(build, lr: float) -> None:
    scene = surface_scene(train(ARTICLE.with_(lr=lr)))
    assert scene.path.exit is not None and scene.path.exit.after_step == 0
    spec = _spec(build(scene))
    # Two frames, so Plotly draws the slider: the start, then the update that leaves the window.
    assert [frame["name"] for frame in spec["frames"]] == ["0", "1"]
    (slider,) = spec["layout"]["sliders"]
    assert [step["label"] for step in slider["steps"]] == ["0", "1"] and slider["active"] == 1
    assert [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]] == ["▶ Play", "❚❚ Pause"]
    at = _moving(spec)
    start, leaving = spec["frames"]
    assert _length(_in_frame(start, at["path"])) == 1 and _length(_in_frame(start, at["shown"])) == 1
    assert _length(_in_frame(start, at["exit"])) == 0  # nothing leaves yet at step 0
    assert _length(_in_frame(leaving, at["path"])) == 1
    assert _length(_in_frame(leaving, at["shown"])) == 0  # step 1 lies off the chart: no point is marked
    edge = np.asarray(decode(_in_frame(leaving, at["exit"])["x"]), dtype=float)
    assert edge[0] == pytest.approx(3.0) and edge[-1] == pytest.approx(scene.path.exit.a, rel=1e-6)
    # The figure opens where its slider does: on the update that leaves.
    assert _length(spec["data"][at["shown"]]) == 0 and _length(spec["data"][at["exit"]]) == 2


@pytest.mark.parametrize("build", BUILDERS, ids=["3d", "map"])
def test_the_update_that_leaves_is_the_sliders_last_stop(build) -> None:
    scene = surface_scene(train(ARTICLE.with_(lr=0.6, steps=10)))
    assert scene.path.last == 3
    spec = _spec(build(scene))
    assert [frame["name"] for frame in spec["frames"]] == ["0", "1", "2", "3", "4"]
    at = _moving(spec)
    frames = {frame["name"]: frame for frame in spec["frames"]}
    assert _length(_in_frame(frames["3"], at["exit"])) == 0 and _length(_in_frame(frames["3"], at["shown"])) == 1
    assert _length(_in_frame(frames["4"], at["exit"])) == 2 and _length(_in_frame(frames["4"], at["path"])) == 4


@pytest.mark.parametrize("build", BUILDERS, ids=["3d", "map"])
def test_a_run_with_no_update_has_no_controls(build) -> None:
    scene = surface_scene(train(ARTICLE.with_(steps=0)))
    spec = _spec(build(scene))
    layout = spec["layout"]
    assert not spec.get("frames") and not layout.get("sliders") and not layout.get("updatemenus")
    # The controls' room goes with them; the plot keeps its size.
    full = _spec(build(surface_scene(train(ARTICLE))))["layout"]
    assert layout["margin"]["b"] < full["margin"]["b"]
    assert layout["height"] - layout["margin"]["b"] == full["height"] - full["margin"]["b"]
    if build is build_contour_figure:
        assert layout["margin"]["b"] == figures.AXIS_ROOM  # the a axis keeps its room


def test_the_caption_says_what_there_is_to_step_through() -> None:
    leaves = stepping_caption(surface_scene(train(ARTICLE.with_(lr=1.2))))
    assert leaves.startswith("▶ Play or drag the step slider")
    assert "last stop, step 1, lies outside the window" in leaves and "(−4.2, −3.2)" in leaves
    still = stepping_caption(surface_scene(train(ARTICLE.with_(steps=0))))
    assert "Play" not in still and "slider" not in still and "nothing to play or step through" in still
    usual = stepping_caption(surface_scene(train(ARTICLE)))
    assert usual.startswith("▶ Play or drag the step slider") and "outside the window" not in usual
