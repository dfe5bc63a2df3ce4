"""core.words.notation: the one voice for numbers, one function per purpose, exact strings."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.words import notation

# --- sentences, formulas -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "short", "latex", "as_operand"),
    [
        (3.0, "3", "3", "3"),
        (2.4000000000000004, "2.4", "2.4", "2.4"),
        (-2.0, "-2", "-2", "(-2)"),
        (0.419904, "0.4199", "0.4199", "0.4199"),
        (-0.00001, "0", "0", "0"),
        (123_456_789.0, "1.2346e+08", r"1.2346 \times 10^{8}", r"(1.2346 \times 10^{8})"),
        (-2.0e12, "-2.0000e+12", r"-2 \times 10^{12}", r"(-2 \times 10^{12})"),
    ],
)
def test_number_formats(value: float, short: str, latex: str, as_operand: str) -> None:
    assert notation.short(value) == short
    assert notation.latex(value) == latex
    assert notation.latex_operand(value) == as_operand


def test_text_numbers_use_a_real_minus_and_never_print_nan() -> None:
    assert notation.plain(-1.4) == "−1.4"
    assert notation.plain(-2.0e7) == "−2 × 10⁷"  # a student reads powers of ten, not e+07
    assert notation.plain(3.4702e6) == "3.4702 × 10⁶" and notation.plain(-1.5e-3) == "−0.0015"
    assert notation.plain(math.nan) == "—"


def test_a_point_and_a_valley_read_as_text() -> None:
    assert notation.point(1.5, -2.5) == "(1.5, −2.5)"
    assert notation.valley_equation(2.0, -3.0) == "2a + b = −3"
    assert notation.valley_equation(-1.0, 4.0, latex=True) == "-a + b = 4"
    assert notation.valley_equation(0.5, 2.0, latex=True) == r"0.5\,a + b = 2"


# --- table cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3, "3.0000"),
        (0.41990400000000004, "0.4199"),
        (-1.8, "-1.8000"),
        (-0.00001, "0.0000"),  # never "-0.0000"
        (999_999.99994, "999999.9999"),
        (1_000_000.0, "1.0000e+06"),
        (123_456_789.0, "1.2346e+08"),
        (-2.6789e11, "-2.6789e+11"),
        (math.nan, "—"),
        (math.inf, "—"),
        (-math.inf, "—"),
    ],
)
def test_table_cells(value: float, text: str) -> None:
    assert notation.cell(value) == text


# --- rates and factors, chart values ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (0.25, "0.25"),
        (1 / 12, "0.08333"),
        (-0.6, "−0.6"),
        (0.36, "0.36"),
        (5e-7, "5e-07"),  # a one-step rate at x = 1000: never "0"
        (2.5e6, "2.5e+06"),
    ],
)
def test_rates_and_factors_keep_four_significant_digits(value: float, text: str) -> None:
    assert notation.rate(value) == text


def test_chart_values_say_exactly_zero() -> None:
    assert notation.chart_value(0.0) == "0 (exactly)"
    assert notation.chart_value(0.0544195584) == "0.0544"
    assert notation.chart_value(1.2e-5) == "1.2 × 10⁻⁵"  # a hover never shows e-notation
    assert notation.chart_value(6.5e9) == "6.5 × 10⁹"
    assert notation.chart_value(3.4e6) == "3.4 × 10⁶"  # scientific from 10⁶ on, as in the step table
    assert notation.chart_value(-0.2333) == "−0.2333"


# --- literals that read back, tick labels -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (3.0, "3"),
        (-4.0, "-4"),
        (0.1, "0.1"),
        (1e-6, "1e-06"),
        (2.5e15, "2500000000000000.0"),
        (1 / 3, "0.3333333333333333"),
    ],
)
def test_literals_are_the_shortest_text_that_reads_back(value: float, text: str) -> None:
    assert notation.literal(value) == text


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_every_literal_reads_back_as_the_same_float(value: float) -> None:
    assert float(notation.literal(value)) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.0, "3"), (-4.0, "−4"), (0.1, "0.1"), (2e-07, "2 × 10⁻⁷"), (1.25e-05, "1.25 × 10⁻⁵"),
     (1 / 3, "0.3333333333333333")],
)
def test_exact_values_keep_every_digit_without_e_notation(value: float, text: str) -> None:
    """The experiment's summary line (student playtest: "learning rate 2e-07")."""
    assert notation.exact(value) == text


def test_tick_labels_take_the_digits_they_need() -> None:
    assert notation.tick_labels([0.0, 1.0, 4.0, 9.0, 16.0]) == ["0", "1", "4", "9", "16"]
    assert notation.tick_labels([0.25, 2.25]) == ["0.25", "2.25"]
    assert notation.tick_labels([1e6, 1e6 + 1, 1e6 + 4]) == ["1000000", "1000001", "1000004"]
    labels = notation.tick_labels([1.001, 1.002, 1.003])
    assert labels == ["1.001", "1.002", "1.003"]
