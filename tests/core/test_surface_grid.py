"""The 3D bowl's grid is fine enough: its flat triangles never rise over the path and the valley drawn on it.

Plotly draws the surface as flat triangles between grid points. The loss is convex, so a triangle
lies above the true bowl between its corners, by at most (edge length)² × curvature / 8 along each
edge; the path and the valley are lifted by ``SurfaceScene.lift`` so the triangles never hide them.
This checks the largest such rise against the lift, over the grid's edges and both diagonals.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures.surface_scene import surface_scene
from core.maths.experiment import Experiment
from core.maths.surface import DEFAULT_GRID
from core.maths.training import train
from tests.experiment_strategies import experiments


def _true_loss(experiment: Experiment, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    xs = np.array([x for x, _ in experiment.points])
    ys = np.array([y for _, y in experiment.points])
    return np.mean((a[..., None] * xs + b[..., None] - ys) ** 2, axis=-1)


def largest_rise(experiment: Experiment) -> tuple[float, float]:
    """The most any grid edge's midpoint stands above the true loss, and the scene's lift."""
    scene = surface_scene(train(experiment))
    a, b = np.meshgrid(scene.grid.a.astype(float), scene.grid.b.astype(float))
    z = _true_loss(experiment, a, b)
    rises = []
    for da, db in ((1, 0), (0, 1), (1, 1), (1, -1)):  # along a, along b, and both ways a cell can be split
        rows = slice(max(-db, 0), z.shape[0] - max(db, 0))
        cols = slice(0, z.shape[1] - da)
        far_rows = slice(max(db, 0), z.shape[0] - max(-db, 0))
        far_cols = slice(da, z.shape[1])
        drawn = (z[rows, cols] + z[far_rows, far_cols]) / 2
        middle = _true_loss(experiment, (a[rows, cols] + a[far_rows, far_cols]) / 2,
                            (b[rows, cols] + b[far_rows, far_cols]) / 2)
        rises.append(float(np.max(drawn - middle)))
    return max(rises), scene.lift


def test_at_the_articles_defaults_the_triangles_stand_far_below_the_lift() -> None:
    rise, lift = largest_rise(Experiment())
    assert DEFAULT_GRID == 61 and rise < 0.05 * lift, (rise, lift)


@settings(max_examples=40, deadline=None)
@given(experiment=st.one_of(experiments(several=False), experiments(several=True)))
def test_for_any_link_the_triangles_never_reach_the_path(experiment: Experiment) -> None:
    rise, lift = largest_rise(experiment)
    assert rise < 0.25 * lift, (rise, lift)
