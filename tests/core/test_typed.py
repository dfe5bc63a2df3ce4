"""A typed sidebar value gets the same answer as the same value in a link (core.maths.typed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.maths.experiment import STEPS_MAX, VALUE_LIMIT, from_query
from core.maths.typed import check_coordinate, check_field
from core.words.notation import exact

ARTICLE = {"points": [(1.0, 4.0)], "a0": 3.0, "b0": 4.0, "lr": 0.1, "steps": 5, "mode": "exact"}


@pytest.mark.parametrize(
    ("field", "typed", "used", "message"),
    [
        ("steps", 100_000, STEPS_MAX, "Steps: 100000 is above the maximum 1000; using 1000."),
        ("steps", -1, 0, "Steps: −1 is below 0; using 0."),
        ("a0", 5000.0, VALUE_LIMIT, "Start a: 5000 is outside −1000 … 1000; using 1000."),
        ("b0", -1234.5, -VALUE_LIMIT, "Start b: −1234.5 is outside −1000 … 1000; using −1000."),
    ],
)
def test_out_of_range_values_are_replaced_with_the_reason(field, typed, used, message):
    value, notice = check_field(ARTICLE, field, typed)
    assert value == used
    assert notice is not None and notice.message == message


@pytest.mark.parametrize("typed", [0.0, -0.01])
def test_a_minus_press_below_the_smallest_rate_lands_on_it(typed):
    """At lr 0.01 the field's − makes 0: the run goes on at the smallest rate, not back at 0.1."""
    value, notice = check_field(ARTICLE, "lr", typed)
    assert value == 0.0001
    assert notice is not None and notice.message.endswith("these data allow 0.0001 at the least; using 0.0001.")


@pytest.mark.parametrize(("field", "typed"), [("steps", 0), ("steps", STEPS_MAX), ("a0", -VALUE_LIMIT), ("lr", 0.4)])
def test_values_in_range_are_used_as_typed(field, typed):
    assert check_field(ARTICLE, field, typed) == (typed, None)


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_a_typed_step_count_gets_the_links_answer(typed):
    value, notice = check_field(ARTICLE, "steps", typed)
    experiment, notices = from_query({"steps": str(typed)})
    assert value == experiment.steps
    assert (notice is None) == (not notices)
    if notice is not None:
        assert notice.message == notices[0].message


@pytest.mark.parametrize("typed", [50.0, 0.1, 0.0, -2.0, 1e-9])
def test_the_rate_is_checked_against_the_datas_bounds(typed):
    link, notices = from_query({"data": "1:4,100:4", "lr": repr(typed)})
    value, notice = check_field({**ARTICLE, "points": [(1.0, 4.0), (100.0, 4.0)]}, "lr", typed)
    assert value == link.lr
    assert (notice is None) == (not notices)
    if notice is not None:
        assert notice.message == notices[0].message


@pytest.mark.parametrize(
    ("typed", "used"), [(2500.0, VALUE_LIMIT), (-1000.5, -VALUE_LIMIT), (999.5, 999.5), (0.0, 0.0)]
)
def test_a_coordinate_is_kept_within_the_data_limit(typed, used):
    value, notice = check_coordinate("x (point 2)", typed)
    assert value == used
    if typed == used:
        assert notice is None
    else:
        assert notice is not None and notice.param == "data"
        assert notice.message.startswith(f"x (point 2): {exact(typed)} is outside −1000 … 1000; using ")
