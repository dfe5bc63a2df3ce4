"""Colour: every concept stays distinguishable for colour-blind students, and never by colour alone.

The concept colours (core.figures.palette, Okabe–Ito) are passed through the protanopia and
deuteranopia simulation of Machado, Oliveira & Fernandes (2009, severity 1, in linear RGB) and
compared in CIELAB: every pair must stay at least ``MIN_DELTA_E`` apart (about 2.3 is a "just
noticeable" difference; 15 is plainly different at a glance). Independently, the traces of every
figure that share a chart must differ in shape — line dash or marker — so a student who cannot
tell two colours apart, or prints in grey, still can.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from core.figures import curves, palette
from core.figures.surface import build_contour_figure, build_surface_figure
from core.figures.surface_scene import surface_scene
from core.maths.comparison import compared_runs
from core.maths.experiment import Experiment
from core.maths.training import train
from tests.plotly_spec import validated

MIN_DELTA_E = 15.0

# Machado et al. (2009), severity 1.0, applied to linear RGB.
SIMULATIONS = {
    "normal vision": np.eye(3),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
}

# One colour per concept (LANDING shares VALLEY's and START shares PATH's on purpose: same concept).
CONCEPTS = {
    "a": palette.A,
    "b": palette.B,
    "loss": palette.LOSS,
    "error": palette.ERROR,
    "path": palette.PATH,
    "valley": palette.VALLEY,
}


def linear_rgb(colour: str) -> np.ndarray:
    channels = np.array([int(colour[i : i + 2], 16) / 255.0 for i in (1, 3, 5)])
    return np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)


def lab(rgb: np.ndarray) -> np.ndarray:
    """CIELAB (D65) of a linear-RGB colour."""
    to_xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = to_xyz @ np.clip(rgb, 0.0, 1.0) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16.0 / 116.0)
    return np.array([116.0 * f[1] - 16.0, 500.0 * (f[0] - f[1]), 200.0 * (f[1] - f[2])])


def delta_e(first: str, second: str, simulation: np.ndarray) -> float:
    return float(np.linalg.norm(lab(simulation @ linear_rgb(first)) - lab(simulation @ linear_rgb(second))))


def test_the_simulation_matches_known_values():
    # Under protanopia pure red loses most of its lightness and turns a dark olive; white stays white.
    assert delta_e("#ffffff", "#ffffff", SIMULATIONS["protanopia"]) == 0.0
    red = lab(SIMULATIONS["protanopia"] @ linear_rgb("#ff0000"))
    assert red[0] < 45 and abs(red[1]) < 15  # dark, and no longer red (a* near 0)
    # Red and green, far apart for normal vision, come close for a deuteranope.
    assert delta_e("#ff0000", "#00ff00", SIMULATIONS["normal vision"]) > 150
    assert delta_e("#d00000", "#6a8a00", SIMULATIONS["deuteranopia"]) < 25


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_concept_colours_stay_apart(vision):
    simulation = SIMULATIONS[vision]
    close = [
        (first, second, round(delta_e(CONCEPTS[first], CONCEPTS[second], simulation), 1))
        for first, second in itertools.combinations(CONCEPTS, 2)
        if delta_e(CONCEPTS[first], CONCEPTS[second], simulation) < MIN_DELTA_E
    ]
    assert close == [], f"concept colours too close under {vision}: {close}"


@pytest.mark.parametrize("vision", list(SIMULATIONS))
def test_regime_colours_stay_apart(vision):
    colours = palette.REGIME
    close = [
        (first, second)
        for first, second in itertools.combinations(colours, 2)
        if delta_e(colours[first], colours[second], SIMULATIONS[vision]) < MIN_DELTA_E
    ]
    assert close == [], f"regime colours too close under {vision}: {close}"


# --- never colour alone: traces on one chart differ in dash or marker ------------------------------


def shape(trace) -> tuple:
    """What is left of a trace without its colour: how it is drawn (line dash, marker symbol)."""
    mode = trace.mode or "lines"
    dash = (trace.line.dash or "solid") if "lines" in mode else None
    symbol = None
    if "markers" in mode:
        symbols = trace.marker.symbol
        symbol = tuple(symbols) if isinstance(symbols, list | tuple) else (symbols or "circle")
    return dash, symbol


def assert_shapes_differ(figure, what: str) -> None:
    shown = [
        trace for trace in figure.data
        if trace.type in ("scatter", "scatter3d") and trace.showlegend is not False and trace.name
    ]
    shapes = {}
    for trace in shown:
        shapes.setdefault(shape(trace), []).append(trace.name)
    same = {key: names for key, names in shapes.items() if len(names) > 1}
    assert not same, f"{what}: these traces differ only by colour: {same}"
    assert len(shown) >= 2, f"{what}: expected several traces to compare, got {[t.name for t in shown]}"


def test_comparison_runs_differ_by_dash_and_marker():
    experiment = Experiment()
    rates = [0.02, 0.05, 0.1, 0.15, 0.25, 0.3, 0.4, 0.45, 0.5]
    runs = compared_runs(experiment, rates)
    figure = validated(curves.comparison_figure([(run, train(run.experiment)) for run in runs]))
    lines = [trace for trace in figure.data if trace.mode == "lines+markers"]
    assert len(lines) == len(rates)
    assert lines[0].line.dash == "solid" and lines[0].line.width == 4.0  # the student's own rate
    assert len({shape(trace) for trace in lines}) == len(lines), [shape(t) for t in lines]
    assert all(shape(trace)[0] != "solid" for trace in lines[1:])  # only yours is solid


@pytest.mark.parametrize(
    "changes",
    [{"lr": 0.6, "steps": 10}, {"lr": 0.25}, {"points": ((1.0, 4.0), (2.0, 5.0))}],
    ids=["diverging", "one-step", "several-points"],
)
def test_loss_and_error_marks_differ_in_shape(changes):
    trajectory = train(Experiment().with_(**changes))
    figures = [validated(curves.loss_figure(trajectory, log_scale=True)), validated(curves.loss_figure(trajectory)),
               validated(curves.error_figure(trajectory))]
    for figure in figures:
        shown = [trace for trace in figure.data if trace.showlegend is not False and trace.name]
        assert len({shape(trace) for trace in shown}) == len(shown), [(t.name, shape(t)) for t in shown]
    if changes.get("lr") == 0.6:
        assert_shapes_differ(figures[1], "loss curve, diverging")  # the curve and its "left the chart" mark


@pytest.mark.parametrize("builder", [build_surface_figure, build_contour_figure], ids=["3d", "map"])
def test_surface_marks_differ_in_shape(builder):
    scene = surface_scene(train(Experiment().with_(lr=0.6, steps=10)))
    assert_shapes_differ(validated(builder(scene)), builder.__name__)
