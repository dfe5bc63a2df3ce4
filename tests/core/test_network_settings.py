"""The many-parameters page's link values: validated like the experiment, round-tripped through the link."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.maths.network_settings import (
    DEFAULT_NOISE,
    TARGETS,
    NetworkSettings,
    check_setting,
    from_query,
    parameter_count,
    to_query,
    validate,
)


def test_defaults_leave_the_link_empty() -> None:
    assert to_query(NetworkSettings()) == {}
    assert from_query({}) == (NetworkSettings(), ())


def test_parameter_count_is_3h_plus_1_and_2_for_the_line() -> None:
    assert [parameter_count(h) for h in (0, 1, 8, 64)] == [2, 4, 25, 193]
    assert NetworkSettings(units=8).n_parameters == 25


@settings(max_examples=150, deadline=None)
@given(
    units=st.integers(0, 64),
    target=st.sampled_from(TARGETS),
    points=st.integers(1, 200),
    noise=st.floats(0, 1, allow_nan=False).map(lambda v: float(f"{v:.12g}")),
    seed=st.integers(0, 9999),
)
def test_link_round_trip(units: int, target: str, points: int, noise: float, seed: int) -> None:
    original = NetworkSettings(units=units, target=target, points=points, noise=noise, seed=seed)  # type: ignore[arg-type]
    query = to_query(original)
    assert all(isinstance(value, str) for value in query.values())
    assert from_query(query) == (original, ())


@pytest.mark.parametrize(
    ("params", "field", "expected", "param", "words"),
    [
        ({"units": "abc"}, "units", 8, "units", "is not a whole number"),
        ({"units": "65"}, "units", 64, "units", "above the maximum 64"),
        ({"units": "-3"}, "units", 0, "units", "below the minimum 0"),
        ({"units": "2.5"}, "units", 3, "units", "is not a whole number"),
        ({"units": "1e400"}, "units", 8, "units", "is not a whole number"),
        ({"units": "nan"}, "units", 8, "units", "is not a whole number"),
        ({"target": "cosine"}, "target", "sine", "target", "is not one of"),
        ({"target": "<b>step</b>"}, "target", "sine", "target", "is not one of"),
        ({"points": "0"}, "points", 1, "points", "below the minimum 1"),
        ({"points": "100000"}, "points", 200, "points", "above the maximum 200"),
        ({"points": ""}, "points", 40, "points", "is not a whole number"),
        ({"noise": "-1"}, "noise", 0.0, "noise", "outside 0 … 1"),
        ({"noise": "7"}, "noise", 1.0, "noise", "outside 0 … 1"),
        ({"noise": "inf"}, "noise", DEFAULT_NOISE, "noise", "not a finite number"),
        ({"seed": "10000"}, "seed", 9999, "seed", "above the maximum 9999"),
        ({"seed": "x"}, "seed", 1, "seed", "is not a whole number"),
    ],
)
def test_bad_values_get_a_notice_and_a_sensible_value(params: dict, field: str, expected: object, param: str,
                                                      words: str) -> None:
    result, notices = from_query(params)
    assert getattr(result, field) == expected
    assert len(notices) == 1 and notices[0].param == param and words in notices[0].message


def test_a_target_is_read_case_blind_and_trimmed() -> None:
    assert from_query({"target": "  STEP "}) == (NetworkSettings(target="step"), ())


def test_repeated_keys_use_the_last_value_with_a_notice() -> None:
    result, notices = from_query({"units": ["4", "16"], "target": ["line"]})
    assert result.units == 16 and result.target == "line"
    assert [n.param for n in notices] == ["units"] and "appears 2 times" in notices[0].message


def test_markup_in_a_value_is_never_echoed_as_markup() -> None:
    _, notices = from_query({"target": "<script>alert(1)</script>", "seed": "<img src=x onerror=alert(1)>"})
    assert len(notices) == 2
    for notice in notices:
        assert "<" not in notice.message and ">" not in notice.message


def test_validate_never_raises_on_odd_objects() -> None:
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    result, notices = validate({"units": Unprintable(), "target": Unprintable(), "noise": object(), "seed": 10**400})
    assert result == NetworkSettings()
    assert {n.param for n in notices} == {"units", "target", "noise", "seed"}


def test_a_typed_setting_gets_the_links_answer() -> None:
    assert check_setting("noise", 0.3) == (0.3, None)
    used, notice = check_setting("noise", 7.0)
    assert used == 1.0 and notice is not None and notice.param == "noise" and notice.message.endswith("using 1.")
    used, notice = check_setting("seed", 2.5)
    assert isinstance(used, int) and notice is not None and notice.param == "seed"
