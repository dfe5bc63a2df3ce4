"""Figures built as plain dicts (core.figures.figure_dict) are figures Plotly accepts, written as Plotly writes them.

The dicts skip Plotly's validation to be quick, so these tests validate them: ``go.Figure(spec)``
raises on any property, value or trace type Plotly does not know, in the data and in every frame.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import network as network_figures
from core.figures.figure_dict import figure_dict, typed_array
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment
from core.maths.network import train_network
from core.maths.network_settings import NetworkSettings
from core.maths.training import train
from tests.experiment_strategies import experiments
from tests.plotly_spec import decode

BUILDERS = [build_surface_figure, build_contour_figure]


@pytest.mark.parametrize(
    "values", [np.linspace(-2, 3, 7, dtype=np.float32), np.arange(12.0).reshape(3, 4), np.arange(5), np.array([1e300])],
    ids=["float32", "2d float64", "int64", "huge"],
)
def test_a_typed_array_is_what_plotly_itself_writes(values: np.ndarray) -> None:
    ours = typed_array(values)
    written = json.loads(pio.to_json(go.Figure(go.Scatter(customdata=values)), validate=False))
    plotly_s = written["data"][0]["customdata"]
    np.testing.assert_array_equal(decode(ours), values)
    np.testing.assert_array_equal(decode(plotly_s), values)
    assert ours.get("shape") == plotly_s.get("shape")


def test_empty_arrays_stay_empty_lists_and_unset_properties_are_left_out() -> None:
    spec = figure_dict([{"type": "scatter", "x": np.array([]), "name": None, "line": {}}], {"title": None})
    assert spec == {"data": [{"type": "scatter", "x": []}], "layout": {}}  # an empty frame trace must clear its line
    assert "frames" not in spec


def test_numpy_scalars_become_plain_numbers() -> None:
    spec = figure_dict([], {"height": np.int64(600), "yaxis": {"range": [np.float32(0.5), np.float64(2.0)]}})
    assert json.dumps(spec) == '{"data": [], "layout": {"height": 600, "yaxis": {"range": [0.5, 2.0]}}}'


@pytest.mark.parametrize("build", BUILDERS, ids=["3d", "map"])
@pytest.mark.parametrize(
    "experiment",
    [Experiment(), Experiment().with_(lr=0.6, steps=10), Experiment().with_(steps=0), Experiment().with_(lr=1.2)],
    ids=["article", "diverging", "no steps", "leaves at once"],
)
def test_the_surface_figures_are_valid_plotly_figures(build, experiment: Experiment) -> None:
    spec = build(surface_scene(train(experiment)))
    figure = go.Figure(spec)  # raises on anything Plotly does not know
    assert len(figure.frames) == len(spec.get("frames", []))
    assert figure.data[0].type in ("surface", "contour")


@settings(max_examples=25, deadline=None)
@given(experiment=st.one_of(experiments(several=False), experiments(several=True)), three_d=st.booleans())
def test_the_surface_figures_are_valid_for_any_link(experiment: Experiment, three_d: bool) -> None:
    build = build_surface_figure if three_d else build_contour_figure
    go.Figure(build(surface_scene(train(experiment))))


@settings(max_examples=20, deadline=None)
@given(
    units=st.sampled_from([0, 1, 8, 64]),
    lr=st.sampled_from([0.001, 0.1, 0.5, 10.0]),
    steps=st.integers(min_value=0, max_value=120),
    log_scale=st.booleans(),
)
def test_the_network_figures_are_valid_plotly_figures(units: int, lr: float, steps: int, log_scale: bool) -> None:
    run = train_network(NetworkSettings(units=units), lr, steps)
    fit = go.Figure(network_figures.fit_figure(run))
    assert len(fit.frames) == len(network_figures.fit_figure(run).get("frames", []))
    go.Figure(network_figures.loss_figure(run, log_scale))
