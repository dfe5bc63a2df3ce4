"""The many-parameters fit chart: a curve that leaves the chart is marked, and its step slider reads.

Checked as the browser gets the figure (``plotly.io.to_json``, typed arrays decoded by
``tests/plotly_spec.py``). Playtest finds: a diverging run's curve just vanished while the legend
still listed "network"; the slider had ticks but no numbers and no "step N"; on a phone the x axis's
title sat beside the Pause button.
"""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.io as pio
import pytest

from core.figures import network as figures
from core.figures.network import fit_figure
from core.maths.network import train_network
from core.maths.network_settings import NetworkSettings
from core.words import chart_text
from core.words import network as words
from core.words.notation import chart_value, plain
from tests.plotly_spec import decode

WIDE = NetworkSettings(units=64)  # the playtest's /many-parameters?lr=10&steps=1000&units=64


def _spec(run) -> dict:
    return json.loads(pio.to_json(fit_figure(run), validate=False))


def _values(trace: dict, key: str) -> list:
    value = trace.get(key, [])
    return list(decode(value)) if isinstance(value, dict) else list(value)


def _numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        if "bdata" in value:
            return [float(v) for v in np.asarray(decode(value), dtype=float).ravel()]
        return [n for v in value.values() for n in _numbers(v)]
    if isinstance(value, list):
        return [n for v in value for n in _numbers(v)]
    return [float(value)] if isinstance(value, int | float) and not isinstance(value, bool) else []


# --- a curve that leaves the chart (item 2) ------------------------------------------------------------


def test_a_diverging_curve_is_marked_where_it_left_the_chart() -> None:
    run = train_network(WIDE, 10.0, 1000)
    assert run.diverged and run.last_step == 4
    assert figures.first_off_chart(run) == figures.OffChart(step=3, side=1)  # all of it above the chart at step 3
    spec = _spec(run)
    names = [trace.get("name") for trace in spec["data"]]
    assert names == ["40 points", "target: sine", "network", None, "network left the chart at step 3"]
    marks = spec["data"][4]
    assert marks.get("showlegend", True) and marks["marker"]["color"] == spec["data"][2]["line"]["color"]
    low, high = spec["layout"]["yaxis"]["range"]
    frames = {frame["name"]: frame for frame in spec["frames"]}
    assert list(frames) == ["0", "1", "2", "3", "4"] and all(f["traces"] == [2, 3, 4] for f in frames.values())
    for step in ("0", "1", "2"):  # some of the curve still on the chart: no arrowheads
        assert all(y is None for y in _values(frames[step]["data"][2], "y"))
    # Step 3: above the chart, arrowheads along the top edge; step 4: below it, along the bottom. Their hover
    # says how far: the curve's nearest value (1.5975 × 10⁶ up, −1.0287 × 10¹⁰ down), written by notation.
    grid = figures.fit_grid()
    up, down = float(run.curve(3, grid).min()), float(run.curve(4, grid).max())
    assert up == pytest.approx(1.5975e6, rel=1e-4) and down == pytest.approx(-1.0287e10, rel=1e-4)
    for step, symbol, near, hover in (("3", "triangle-up", high, f"network above the chart: y ≥ {plain(up)}"),
                                      ("4", "triangle-down", low, f"network below the chart: y ≤ {plain(down)}")):
        mark = frames[step]["data"][2]
        ys = np.asarray(_values(mark, "y"), dtype=float)
        assert len(ys) == 17 and mark["marker"]["symbol"] == symbol and mark["text"] == hover
        assert np.all((low < ys) & (ys < high)) and np.allclose(ys, near, atol=0.05 * (high - low))
    # The corner caption keeps clear of the arrowheads: at the top while they fill the bottom edge.
    assert frames["3"]["data"][1]["textposition"] == "top left" and frames["3"]["data"][1]["y"] == [low]
    assert frames["4"]["data"][1]["textposition"] == "bottom left" and frames["4"]["data"][1]["y"] == [high]
    assert frames["4"]["data"][1]["text"] == [f"step 4 · loss {chart_value(float(run.loop.loss[4]))}"]
    assert frames["4"]["data"][1]["text"] == ["step 4 · loss 2.309 × 10²⁰"]  # never e-notation on the chart
    # The figure opens on the last step, as its slider does.
    assert marks["marker"]["symbol"] == "triangle-down" and spec["data"][3]["textposition"] == "bottom left"
    text = pio.to_json(fit_figure(run), validate=False)
    assert "NaN" not in text and "Infinity" not in text
    assert all(math.isfinite(n) for n in _numbers(json.loads(text)))


def test_the_line_says_line_when_it_leaves() -> None:
    run = train_network(NetworkSettings(units=0), 3.0, 50)
    spec = _spec(run)
    assert spec["data"][-1]["name"] == "line left the chart at step 3"
    assert figures.first_off_chart(run) == figures.OffChart(step=3, side=-1)


def test_a_curve_that_stays_on_the_chart_gets_no_marks() -> None:
    spec = _spec(train_network(NetworkSettings(), 0.2, 200))
    assert [trace.get("name") for trace in spec["data"]] == ["40 points", "target: sine", "network", None]
    assert all(frame["traces"] == [2, 3] for frame in spec["frames"])


# --- the step slider and the room under the plot (item 3) ----------------------------------------------


def test_the_slider_says_step_n_and_numbers_its_ticks() -> None:
    layout = _spec(train_network(NetworkSettings(), 0.1, 5))["layout"]
    slider = layout["sliders"][0]
    assert slider["currentvalue"]["visible"] is True and slider["currentvalue"]["prefix"] == "step "
    assert [step["label"] for step in slider["steps"]] == ["0", "1", "2", "3", "4", "5"] and slider["active"] == 5
    assert slider["ticklen"] > 0 and slider.get("font", {}).get("color") != figures.TRANSPARENT  # numbers shown
    # A long run's 50-odd ticks would crowd: only "step N" stays (charts.js keeps it in the text colour).
    long = _spec(train_network(NetworkSettings(), 0.2, 1000))["layout"]["sliders"][0]
    assert long["currentvalue"]["visible"] is True and long["ticklen"] == 0
    assert long["font"]["color"] == figures.TRANSPARENT


def test_the_controls_hang_below_the_x_axis_in_pixels() -> None:
    """Placed as a share of the plot's height, Play/Pause rose beside the x axis's title when the plot
    came out shorter than planned (a phone's wrapped legend); pixels below the plot's edge cannot."""
    layout = _spec(train_network(NetworkSettings(), 0.1, 5))["layout"]
    (menu,), (slider,) = layout["updatemenus"], layout["sliders"]
    assert (menu["y"], menu["yanchor"], menu["pad"]["t"]) == (0.0, "top", figures.AXIS_ROOM)
    assert (slider["y"], slider["yanchor"]) == (0.0, "top")
    assert slider["pad"]["t"] == figures.AXIS_ROOM + figures.BUTTON_ROW
    assert figures.AXIS_ROOM >= 60  # the x axis's numbers and its title need ~56 px
    assert layout["margin"]["b"] == figures.AXIS_ROOM + figures.CONTROLS_ROOM
    assert layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] == figures.PLOT_ROOM


def test_a_run_with_no_update_has_nothing_to_play() -> None:
    run = train_network(NetworkSettings(), 0.1, 0)
    spec = _spec(run)
    assert not spec.get("frames") and not spec["layout"].get("updatemenus") and not spec["layout"].get("sliders")
    layout = spec["layout"]
    assert layout["height"] == figures.STILL_HEIGHT and layout["margin"]["b"] == figures.AXIS_ROOM
    assert layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] == figures.PLOT_ROOM
    assert "Play" not in words.fit_caption(run) and "step 0 only" in words.fit_caption(run)
    assert "Play" not in chart_text.network_fit_chart(run)
    assert "Play" in words.fit_caption(train_network(NetworkSettings(), 0.1, 5))


@pytest.mark.parametrize(("units", "lr", "steps"), [(64, 10.0, 1000), (0, 10.0, 50), (8, 5.0, 1000), (8, 0.1, 0)])
def test_odd_runs_give_finite_fit_figures(units: int, lr: float, steps: int) -> None:
    text = pio.to_json(fit_figure(train_network(NetworkSettings(units=units), lr, steps)), validate=False)
    assert "NaN" not in text and "Infinity" not in text
    assert all(math.isfinite(n) for n in _numbers(json.loads(text)))
