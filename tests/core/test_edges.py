"""core.maths.edges: where a drawn path leaves its box, shared by the loss curves and the surface."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.maths.edges import first_exit

UNIT = ((0.0, 1.0), (0.0, 1.0))


def test_a_path_inside_never_leaves() -> None:
    assert first_exit([0.1, 0.5, 0.9], [0.2, 0.4, 1.0], *UNIT) is None
    assert first_exit([], [], *UNIT) is None


def test_the_crossing_is_on_the_segment_and_the_edge() -> None:
    crossing = first_exit([0.5, 0.5, 3.0], [0.5, 0.75, 1.5], *UNIT)
    assert crossing is not None and crossing.index == 2
    # From (0.5, 0.75) to (3, 1.5): x meets 1 at t = 0.2 (y = 0.9), before y meets 1 at t = 1/3.
    assert (crossing.x, crossing.y) == pytest.approx((1.0, 0.9))


def test_a_curve_box_is_open_along_its_steps() -> None:
    crossing = first_exit([0.0, 1.0, 2.0], [9.0, 17.64, 31.75], (-math.inf, math.inf), (-math.inf, 20.0))
    assert crossing is not None and crossing.index == 2
    assert crossing.y == pytest.approx(20.0)
    assert crossing.x == pytest.approx(1.0 + (20.0 - 17.64) / (31.75 - 17.64))


def test_a_path_that_starts_outside_crosses_at_its_start_moved_onto_the_edge() -> None:
    crossing = first_exit([2.0, 0.5], [-1.0, 0.5], *UNIT)
    assert crossing is not None and (crossing.index, crossing.x, crossing.y) == (0, 1.0, 0.0)


coordinate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(x0=st.floats(0, 1), y0=st.floats(0, 1), x1=coordinate, y1=coordinate)
def test_any_segment_leaving_the_box_crosses_its_boundary_between_its_ends(
    x0: float, y0: float, x1: float, y1: float
) -> None:
    crossing = first_exit([x0, x1], [y0, y1], *UNIT)
    if 0 <= x1 <= 1 and 0 <= y1 <= 1:
        assert crossing is None
        return
    assert crossing is not None and crossing.index == 1
    assert -1e-9 <= crossing.x <= 1 + 1e-9 and -1e-9 <= crossing.y <= 1 + 1e-9
    on_edge = min(abs(crossing.x), abs(crossing.x - 1), abs(crossing.y), abs(crossing.y - 1))
    assert on_edge <= 1e-9 * (1 + abs(x1) + abs(y1))
    # On the segment: the same fraction of the way along x and along y.
    if abs(x1 - x0) > 1e-6 and abs(y1 - y0) > 1e-6:
        assert (crossing.x - x0) / (x1 - x0) == pytest.approx((crossing.y - y0) / (y1 - y0), abs=1e-6)
