"""The loss-surface figures hold core's numbers, stay light, and animate only the path.

Figures are checked as the browser gets them: through ``plotly.io.to_json`` (what
``ui.charts.Chart`` sends), with typed arrays decoded by ``tests/plotly_spec.py``.
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np
import plotly.io as pio
import pytest

from core.figures import palette
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import colour_ticks, surface_scene
from core.figures.surface_traces import FIRST_FRAMES
from core.maths import surface, theory
from core.maths.experiment import Experiment, from_query
from core.maths.training import train
from core.words.notation import plain, valley_equation
from core.words.surface_notes import surface_notes
from tests.plotly_spec import decode

ARTICLE = Experiment()
KIB = 1024


def _spec(fig) -> tuple[dict, int]:
    text = pio.to_json(fig, validate=False)
    return json.loads(text), len(text.encode())


def _named(spec: dict, prefix: str) -> list[dict]:
    return [t for t in spec["data"] if str(t.get("name", "")).startswith(prefix)]


def _one(spec: dict, prefix: str) -> dict:
    found = _named(spec, prefix)
    assert len(found) == 1, [t.get("name") for t in spec["data"]]
    return found[0]


def _array(trace: dict, key: str) -> np.ndarray:
    return np.asarray(decode(trace[key]), dtype=float)


@functools.cache
def _surface_json(experiment: Experiment) -> str:
    """Built once per experiment for the whole module (each test gets a fresh dict)."""
    return pio.to_json(build_surface_figure(surface_scene(train(experiment))), validate=False)


def _surface_spec(experiment: Experiment = ARTICLE) -> dict:
    return json.loads(_surface_json(experiment))


# --- the surface ----------------------------------------------------------------------------


def test_surface_trace_is_cores_grid_as_1d_float32_axes() -> None:
    trajectory = train(ARTICLE)
    window = surface.plot_window(trajectory)
    grid = surface.loss_grid(ARTICLE, window)
    spec = _surface_spec()
    (trace,) = [t for t in spec["data"] if t["type"] == "surface"]
    # Typed arrays, not lists, and float32: that is what keeps the figure light.
    for key in ("x", "y", "z"):
        assert trace[key]["dtype"] == "f4", key
    x, y, z = _array(trace, "x"), _array(trace, "y"), _array(trace, "z")
    assert x.ndim == 1 and y.ndim == 1 and z.shape == (len(y), len(x)) == (surface.DEFAULT_GRID,) * 2
    np.testing.assert_allclose(x, grid.a, rtol=1e-6)
    np.testing.assert_allclose(y, grid.b, rtol=1e-6)
    np.testing.assert_allclose(z, grid.loss, rtol=1e-6)
    # The article's window: ±2.025 around the landing point (1.5, 2.5), with the start and both answers inside.
    assert (x[0], x[-1], y[0], y[-1]) == pytest.approx((-0.525, 3.525, 0.475, 4.525), abs=1e-6)
    for a, b in ((3.0, 4.0), (0.0, 4.0), (1.0, 3.0)):
        assert window.contains(a, b)
    assert float(z.min()) == pytest.approx(0.0, abs=1e-6)
    # Loss at the corner (3.525, 4.525): (3.525 + 4.525 − 4)² = 4.05².
    assert z[-1, -1] == pytest.approx(4.05**2, rel=1e-5)


def test_colour_follows_root_loss_and_only_the_map_has_a_colourbar() -> None:
    (trace,) = [t for t in _surface_spec()["data"] if t["type"] == "surface"]
    assert "surfacecolor" not in trace  # colour comes from z: no second grid-sized array
    assert trace["cmin"] == pytest.approx(0.0) and trace["cmax"] == pytest.approx(4.05**2, rel=1e-5)
    stops = [p for p, _ in trace["colorscale"]]
    assert stops[0] == 0.0 and stops[-1] == 1.0 and stops == sorted(stops)
    # Halfway through the colours is at √loss halfway: a quarter of the loss range.
    assert stops[len(stops) // 2] == pytest.approx(0.25)
    # In 3D the height and the loss axis read the loss; a bar there covered the b axis on a phone.
    assert trace["showscale"] is False and "colorbar" not in trace
    spec, _ = _spec(build_contour_figure(surface_scene(train(ARTICLE))))
    (contour,) = [t for t in spec["data"] if t["type"] == "contour"]
    assert contour["colorbar"]["title"]["text"] == "loss"  # on the map, colour is the loss


def test_colour_ticks_are_squares_read_as_loss() -> None:
    values, labels = colour_ticks(0.0, 16.0)
    np.testing.assert_allclose(values, [0, 1, 2, 3, 4])
    assert labels == ["0", "1", "4", "9", "16"]
    values, labels = colour_ticks(1.0, 30.0)
    assert labels[0] == "1" and values[0] == pytest.approx(1.0)
    # A high floor (points at one x that disagree a lot) still gives distinct labels.
    assert len(set(colour_ticks(1e6, 1e6 + 30)[1])) == len(colour_ticks(1e6, 1e6 + 30)[1])


def test_axes_and_camera() -> None:
    scene = _surface_spec()["layout"]["scene"]
    assert [scene[k]["title"]["text"] for k in ("xaxis", "yaxis", "zaxis")] == ["a", "b", "loss"]
    eye = scene["camera"]["eye"]
    assert eye["z"] > 0  # from above, so the valley floor is in sight


@pytest.mark.parametrize("query", [{}, {"a": "-7", "b": "12.3", "lr": "0.05"}, {"data": "1:4,2:5"},
                                   {"a": "1000", "b": "-3"}, {"lr": "1.2", "steps": "8"}])
def test_the_a_axis_leaves_the_loss_axis_corner_free(query: dict[str, str]) -> None:
    """No a tick sits on the corner where the loss axis starts (−0.5 was drawn over its 0)."""
    experiment = from_query(query)[0]
    xaxis = _surface_spec(experiment)["layout"]["scene"]["xaxis"]
    low, high = xaxis["range"]
    ticks = xaxis["tickvals"]
    step = ticks[1] - ticks[0]
    assert 5 <= len(ticks) <= 11 and all(low < t <= high + 1e-9 for t in ticks)
    assert ticks[0] - low > 0.35 * step
    assert np.allclose(np.diff(ticks), step)
    assert len(set(xaxis["ticktext"])) == len(ticks)
    if not query:
        assert xaxis["ticktext"] == ["0", "0.5", "1", "1.5", "2", "2.5", "3", "3.5"]  # the window starts at −0.5


# --- the valley and its points --------------------------------------------------------------


def test_valley_line_is_zero_loss_and_labelled_with_the_numbers() -> None:
    spec = _surface_spec()
    trace = _one(spec, "valley")
    assert trace["name"] == "valley a + b = 4: loss 0"
    a, b, z = _array(trace, "x"), _array(trace, "y"), _array(trace, "z")
    assert len(a) > 10
    np.testing.assert_allclose(a * 1.0 + b, 4.0, atol=1e-5)  # a·x + b = y
    scene = surface_scene(train(ARTICLE))
    # At zero loss, lifted only a hair (1.2 % of the loss span) so the surface cannot hide it.
    np.testing.assert_allclose(z - scene.lift, theory.minimum_loss(ARTICLE), atol=1e-5)
    assert 0 < scene.lift < 0.02 * scene.top


def test_equally_good_answers_and_landing_point_are_marked() -> None:
    spec = _surface_spec()
    answers = _one(spec, "equally good")
    points = set(zip(_array(answers, "x").round(6), _array(answers, "y").round(6), strict=True))
    assert {(0.0, 4.0), (1.0, 3.0)} <= points
    for a, b in points:
        assert a + b == pytest.approx(4.0)
    landing = _one(spec, "landing point")
    assert landing["name"] == "landing point (1.5, 2.5)"
    assert (_array(landing, "x")[0], _array(landing, "y")[0]) == pytest.approx(theory.landing_point(ARTICLE))
    assert landing["marker"]["symbol"] == "diamond"
    start = _one(spec, "start")
    assert (_array(start, "x")[0], _array(start, "y")[0]) == (3.0, 4.0)


def test_valley_equation_text() -> None:
    assert valley_equation(1.0, 4.0) == "a + b = 4"
    assert valley_equation(2.0, 5.0) == "2a + b = 5"
    assert valley_equation(-1.0, 3.0) == "−a + b = 3"
    assert valley_equation(0.0, 4.0) == "b = 4"
    assert valley_equation(0.5, -2.0) == "0.5a + b = −2"
    assert plain(-0.0) == "0" and plain(1.61659999) == "1.6166"


# --- the path -----------------------------------------------------------------------------


def test_path_holds_every_step_with_hover_values() -> None:
    trajectory = train(ARTICLE)
    spec = _surface_spec()
    path = _one(spec, "path")
    assert path["name"] == "path (5 updates)"
    a, b, z = _array(path, "x"), _array(path, "y"), _array(path, "z")
    np.testing.assert_allclose(a, trajectory.a, rtol=1e-6)
    np.testing.assert_allclose(b, trajectory.b, rtol=1e-6)
    lift = surface_scene(trajectory).lift
    np.testing.assert_allclose(z - lift, trajectory.loss, atol=1e-5)
    assert np.all(z > trajectory.loss)  # above the surface, never inside it
    custom = _array(path, "customdata")
    np.testing.assert_array_equal(custom[:, 0], np.arange(6))
    np.testing.assert_allclose(custom[:, 1:], np.column_stack([trajectory.a, trajectory.b, trajectory.loss]))
    assert custom[5, 1] == pytest.approx(1.6166, abs=5e-5) and custom[5, 3] == pytest.approx(0.0544, abs=5e-5)
    for word in ("step", "a =", "b =", "loss ="):
        assert word in path["hovertemplate"]


# --- stepping through it in the browser -------------------------------------------------------


def test_one_frame_per_step_with_only_the_moving_traces() -> None:
    spec = _surface_spec()
    frames = spec["frames"]
    assert [f["name"] for f in frames] == [str(k) for k in range(6)]
    path_index = spec["data"].index(_one(spec, "path"))
    trajectory = train(ARTICLE)
    for k, frame in enumerate(frames):
        assert path_index in frame["traces"]
        assert 0 not in frame["traces"]  # trace 0 is the surface
        assert all(trace["type"] == "scatter3d" for trace in frame["data"])
        assert "surface" not in json.dumps(frame)
        drawn = frame["data"][frame["traces"].index(path_index)]
        np.testing.assert_allclose(_array(drawn, "x"), trajectory.a[: k + 1], rtol=1e-6)
    # The slider starts at the last step, where the figure's own data is; Play/Pause animate in the browser.
    layout = spec["layout"]
    slider = layout["sliders"][0]
    assert slider["active"] == 5 and [s["label"] for s in slider["steps"]] == [str(k) for k in range(6)]
    assert all(s["method"] == "animate" for s in slider["steps"])
    labels = [button["label"] for button in layout["updatemenus"][0]["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause"]
    assert layout["uirevision"] == "surface" and layout["scene"]["uirevision"] == "surface"


def test_long_runs_get_a_bounded_number_of_frames() -> None:
    spec = _surface_spec(ARTICLE.with_(lr=0.01, steps=1000))
    names = [f["name"] for f in spec["frames"]]
    assert names == [str(k) for k in range(FIRST_FRAMES)] + ["1000"]


def test_default_figure_is_light() -> None:
    size = len(_surface_json(ARTICLE).encode())
    assert size <= 120 * KIB, size / KIB
    _, contour_size = _spec(build_contour_figure(surface_scene(train(ARTICLE))))
    assert contour_size <= 90 * KIB, contour_size / KIB


# --- more data ----------------------------------------------------------------------------------


def test_two_points_close_the_valley_into_the_least_squares_minimum() -> None:
    experiment = from_query({"data": "1:4,2:5"})[0]
    spec = _surface_spec(experiment)
    assert not _named(spec, "valley") and not _named(spec, "equally good")
    minimum = _one(spec, "least-squares minimum")
    xs = np.array(experiment.xs)
    design = np.column_stack([xs, np.ones_like(xs)])
    (a, b), *_ = np.linalg.lstsq(design, np.array(experiment.ys), rcond=None)
    assert (_array(minimum, "x")[0], _array(minimum, "y")[0]) == pytest.approx((a, b), abs=1e-6)
    assert (a, b) == pytest.approx((1.0, 3.0))
    notes = " ".join(surface_notes(surface_scene(train(experiment))))
    assert "two equations in two unknowns" in notes and "a = 1, b = 3" in notes


def test_three_points_not_on_a_line_leave_some_loss() -> None:
    experiment = from_query({"data": "1:4,2:5,3:7"})[0]
    spec = _surface_spec(experiment)
    minimum = _one(spec, "least-squares minimum")
    assert minimum["name"].endswith("loss 0.0556")
    xs = np.array(experiment.xs)
    (a, b), *_ = np.linalg.lstsq(np.column_stack([xs, np.ones_like(xs)]), np.array(experiment.ys), rcond=None)
    assert (_array(minimum, "x")[0], _array(minimum, "y")[0]) == pytest.approx((a, b), abs=1e-6)


def test_points_at_one_x_keep_a_valley_at_their_mean() -> None:
    experiment = from_query({"data": "1:4,1:6"})[0]
    spec = _surface_spec(experiment)
    trace = _one(spec, "valley")
    assert trace["name"] == "valley a + b = 5: loss 1"
    a, b = _array(trace, "x"), _array(trace, "y")
    np.testing.assert_allclose(a + b, 5.0, atol=1e-5)
    scene = surface_scene(train(experiment))
    np.testing.assert_allclose(_array(trace, "z") - scene.lift, 1.0, atol=1e-5)
    assert "mean y = 5" in " ".join(surface_notes(scene))


def test_x_zero_valley_is_flat_in_a() -> None:
    experiment = from_query({"data": "0:4", "b": "1"})[0]
    spec = _surface_spec(experiment)
    trace = _one(spec, "valley")
    assert trace["name"] == "valley b = 4: loss 0"
    np.testing.assert_allclose(_array(trace, "y"), 4.0, atol=1e-6)
    path = _one(spec, "path")
    np.testing.assert_allclose(_array(path, "x"), 3.0)  # a never moves when x = 0


# --- divergence: drawn to the edge, and said -------------------------------------------------------


def test_a_diverging_run_is_drawn_up_to_the_window_edge() -> None:
    experiment = ARTICLE.with_(lr=0.6, steps=50)
    trajectory = train(experiment)
    scene = surface_scene(trajectory)
    window = scene.window
    exit_ = scene.path.exit
    assert exit_ is not None and exit_.after_step == scene.path.last < 50
    edges = (window.a_min - exit_.a, window.a_max - exit_.a, window.b_min - exit_.b, window.b_max - exit_.b)
    on_edge = min(abs(d) for d in edges)
    assert on_edge == pytest.approx(0.0, abs=1e-9)
    assert window.contains(exit_.a, exit_.b)
    assert not window.contains(exit_.next_a, exit_.next_b)
    assert (exit_.next_a, exit_.next_b) == (trajectory.a[exit_.after_step + 1], trajectory.b[exit_.after_step + 1])
    spec = _spec(build_surface_figure(scene))[0]
    left = _one(spec, "left the window")
    assert _array(left, "x")[-1] == pytest.approx(exit_.a, rel=1e-6)
    path = _one(spec, "path")
    assert all(window.contains(a, b) for a, b in zip(_array(path, "x"), _array(path, "y"), strict=True))
    texts = [a["text"] for a in spec["layout"]["scene"]["annotations"]]
    assert texts == [f"left the window after step {exit_.after_step}"]
    notes = " ".join(surface_notes(scene))
    assert "diverges" in notes and f"after step {exit_.after_step}" in notes
    assert scene.landing_label == "nearest valley point (1.5, 2.5) (not reached)"


def test_the_maps_exit_is_drawn_whole_and_labelled_in_dark_text_on_a_light_box() -> None:
    """Keyboard playtest, /loss-surface?lr=0.9&view=map: the ✕ sat on the window's corner and showed as a
    sliver; its pink label on the dark corner read at 1.4–3.2 : 1."""
    spec, _ = _spec(build_contour_figure(surface_scene(train(ARTICLE.with_(lr=0.9)))))
    left = _one(spec, "left the window")
    assert left["cliponaxis"] is False and left["marker"]["line"]["color"] == "white"
    (label,) = [a for a in spec["layout"]["annotations"] if a["text"].startswith("left the window")]
    assert label["font"]["color"] == "#111111" and label["bgcolor"] == "rgba(255,255,255,0.88)"
    assert label["bordercolor"] == palette.PATH


ODD = [
    {"lr": "0.6", "steps": "50"},
    {"lr": "0.5", "steps": "20"},
    {"data": "0:4"},
    {"data": "1:4,1:6"},
    {"data": "1:4,2:5"},
    {"lr": "10", "steps": "1000"},
    {"steps": "0"},
    {"data": "1000:1000", "a": "-1000", "lr": "0.0001"},
    {"data": "-3:10,0.5:-2", "a": "900", "b": "-900", "lr": "0.01", "steps": "100"},
    {"data": "1:-1000,1:1000"},
    {"mode": "hand", "steps": "30", "lr": "0.3"},
]


def _numbers(value: object) -> list[float]:
    """Every number in a decoded spec value, recursively."""
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            return [float(v) for v in np.asarray(decode(value), dtype=float).ravel()]
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [float(value)]
    return []


@pytest.mark.parametrize("query", ODD, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_odd_inputs_give_finite_figures(query: dict[str, str]) -> None:
    scene = surface_scene(train(from_query(query)[0]))
    for fig in (build_surface_figure(scene), build_contour_figure(scene)):
        text = pio.to_json(fig, validate=False)
        assert "NaN" not in text and "Infinity" not in text
        numbers = _numbers(json.loads(text))
        assert numbers and all(math.isfinite(n) for n in numbers)
    for note in surface_notes(scene):
        words = note.lower().replace(",", " ").replace(".", " ").split()
        assert "nan" not in words and "inf" not in words


# --- the top-down map ---------------------------------------------------------------------------


def test_contour_has_equal_axes_and_the_same_scene() -> None:
    trajectory = train(ARTICLE)
    spec, _ = _spec(build_contour_figure(surface_scene(trajectory)))
    layout = spec["layout"]
    assert layout["yaxis"]["scaleanchor"] == "x" and layout["yaxis"].get("scaleratio", 1) == 1
    assert layout["xaxis"]["title"]["text"] == "a" and layout["yaxis"]["title"]["text"] == "b"
    (contour,) = [t for t in spec["data"] if t["type"] == "contour"]
    grid_loss = _array(contour, "customdata")
    np.testing.assert_allclose(_array(contour, "z") ** 2, grid_loss, rtol=1e-4, atol=1e-5)  # √loss, for even lines
    valley = _one(spec, "valley")
    np.testing.assert_allclose(_array(valley, "x") + _array(valley, "y"), 4.0, atol=1e-5)
    assert _one(spec, "landing point")["marker"]["symbol"] == "star"
    path = _one(spec, "path")
    np.testing.assert_allclose(_array(path, "x"), trajectory.a, rtol=1e-6)
    assert [f["name"] for f in spec["frames"]] == [str(k) for k in range(6)]
    assert all(t["type"] == "scatter" for f in spec["frames"] for t in f["data"])


def test_the_map_redraws_every_frame_so_its_fill_stays() -> None:
    """plotly.js animating without a redraw drops every layer a frame does not name (the contour's
    fill and lines); the map's Play, Pause and slider steps all ask for a redraw (issue #18, item 6)."""
    spec, _ = _spec(build_contour_figure(surface_scene(train(ARTICLE.with_(lr=0.5)))))
    layout = spec["layout"]
    commands = [b["args"][1] for b in layout["updatemenus"][0]["buttons"]]
    commands += [s["args"][1] for s in layout["sliders"][0]["steps"]]
    assert len(commands) == 2 + 6
    assert all(command["frame"]["redraw"] is True for command in commands)


def test_a_swipe_on_the_map_scrolls_the_page_and_zoom_stays_on_the_buttons() -> None:
    """Phone playtest: a swipe over the map (652 of 844 px) was read as drag-to-zoom, so the page never
    scrolled. No drag mode, as on the other charts; the axes stay zoomable by the mode bar's + / −."""
    spec, _ = _spec(build_contour_figure(surface_scene(train(ARTICLE))))
    layout = spec["layout"]
    assert layout["dragmode"] is False
    assert not layout["xaxis"].get("fixedrange") and not layout["yaxis"].get("fixedrange")


def test_a_loss_that_rounds_to_0_is_not_called_0() -> None:
    """Lesson stop 5 (30 updates): the loss is ~4e-13, shown as "below 0.0001"; an exact 0 stays "0"."""
    after_30 = surface_notes(surface_scene(train(ARTICLE.with_(steps=30))))[-1]
    assert "the run is at (1.5, 2.5) with loss below 0.0001." in after_30
    assert "loss 0" not in after_30
    one_step = surface_notes(surface_scene(train(ARTICLE.with_(lr=0.25))))[-1]  # lands exactly
    assert "the run is at (1.5, 2.5) with loss 0." in one_step

