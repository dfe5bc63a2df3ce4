"""The top-down map's axes: one round tick step on both (the map is drawn to scale), titles clear of ticks."""

from __future__ import annotations

import pytest

from core.figures.surface import build_contour_figure, map_tick_step
from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment
from core.maths.surface import Window
from core.maths.training import train


def test_both_axes_share_one_tick_step_and_b_stands_clear() -> None:
    """Teacher playtest (phone, lesson stop 6): a had only the ticks 0 and 2 beside b's 1 to 5."""
    layout = build_contour_figure(surface_scene(train(Experiment(points=((1.0, 4.0), (2.0, 5.0)), steps=50))))["layout"]
    assert layout["xaxis"]["dtick"] == layout["yaxis"]["dtick"] == 1.0
    assert layout["yaxis"]["title"]["standoff"] > 0  # "b" clear of its tick labels


@pytest.mark.parametrize(("window", "step"), [
    (Window(-1.7, 3.7, 0.3, 5.7), 1.0), (Window(0, 1, 0, 1), 0.2), (Window(-100, 300, -50, 50), 50.0),
    (Window(1.4, 1.6, 2.4, 2.6), 0.05),
])
def test_the_step_is_round_and_gives_four_to_eight_ticks(window: Window, step: float) -> None:
    assert map_tick_step(window) == pytest.approx(step)
    span = max(window.a_max - window.a_min, window.b_max - window.b_min)
    assert 4 <= span / map_tick_step(window) <= 8
