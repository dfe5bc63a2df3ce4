"""The loss-curve figures and comparison numbers: equal to core's run, honest at 0 and at divergence."""

from __future__ import annotations

import json
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from core.figures import curves, palette
from core.figures.curve_range import find_exit, linear_shows_only_the_start, log_floor
from core.figures.curves import EXIT_SYMBOL, ZERO_SYMBOL
from core.maths.comparison import (
    PRESET_TOKENS,
    compared_runs,
    custom_token,
    parse_rate,
    preset_rate,
    ratios,
    slotted_rates,
    token_rate,
)
from core.maths.experiment import Experiment
from core.maths.theory import Regime, rate_scale, slow_ratio
from core.maths.training import train
from core.words.comparison_text import convergence_rows, ratio_metrics, ratio_sentence
from core.words.curve_notes import comparison_notes, error_notes, loss_notes
from core.words.notation import decimal
from tests.plotly_spec import decode, validated

ARTICLE = Experiment()


# The page's figures are plain dicts; these read them through Plotly (validated), by attribute.
def loss_figure(trajectory, log_scale: bool = False) -> go.Figure:
    return validated(curves.loss_figure(trajectory, log_scale))


def error_figure(trajectory) -> go.Figure:
    return validated(curves.error_figure(trajectory))


def comparison_figure(pairs, log_scale: bool = False) -> go.Figure:
    return validated(curves.comparison_figure(pairs, log_scale))
CANONICAL = {0.01: "smooth", 0.1: "smooth", 0.25: "one step", 0.4: "overshooting", 0.5: "bouncing", 0.6: "diverging"}


def _pairs(experiment: Experiment, rates: list[float]):
    return [(run, train(run.experiment)) for run in compared_runs(experiment, rates)]


def _all_numbers_finite(fig: go.Figure) -> bool:
    """Every numeric array of every trace, as sent to the browser, is finite."""
    spec = json.loads(fig.to_json())
    for trace in spec["data"]:
        for name in ("x", "y", "customdata", "base"):
            if name in trace:
                values = np.asarray(decode(trace[name]), dtype=float)
                if not np.all(np.isfinite(values)):
                    return False
    json.dumps(spec, allow_nan=False)  # raises on NaN/inf anywhere (layout included)
    return True


def _trace(fig: go.Figure, name: str) -> go.Scatter:
    matches = [t for t in fig.data if t.name == name]
    assert matches, f"no trace named {name!r} in {[t.name for t in fig.data]}"
    return matches[0]


# --- 1. loss by step -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "experiment",
    [ARTICLE, ARTICLE.with_(mode="hand"), Experiment(points=((1.0, 2.0), (2.0, 5.0), (3.0, 4.0)), steps=20)],
)
def test_loss_trace_is_the_trajectory(experiment: Experiment) -> None:
    trajectory = train(experiment)
    fig = loss_figure(trajectory)
    trace = _trace(fig, "loss")
    np.testing.assert_array_equal(trace.x, trajectory.steps)
    np.testing.assert_array_equal(trace.y, trajectory.loss)
    np.testing.assert_array_equal(np.asarray(trace.customdata)[:, 0], trajectory.a)
    np.testing.assert_array_equal(np.asarray(trace.customdata)[:, 1], trajectory.b)
    assert "customdata[0]" in trace.hovertemplate and "customdata[1]" in trace.hovertemplate
    assert "step %{x}" in trace.hovertemplate


def test_article_loss_values_and_hover_text() -> None:
    trace = _trace(loss_figure(train(ARTICLE)), "loss")
    np.testing.assert_allclose(trace.y, [9.0, 3.24, 1.1664, 0.419904, 0.15116544, 0.0544195584])
    assert list(trace.text)[:3] == ["9.0000", "3.2400", "1.1664"]
    assert trace.line.color == palette.LOSS


def test_hover_values_through_the_json_the_browser_gets() -> None:
    trajectory = train(ARTICLE)
    spec = json.loads(loss_figure(trajectory).to_json())
    trace = next(t for t in spec["data"] if t["name"] == "loss")
    custom = decode(trace["customdata"])
    np.testing.assert_allclose(custom[:, 0], [3.0, 2.4, 2.04, 1.824, 1.6944, 1.61664])
    np.testing.assert_allclose(custom[:, 1], [4.0, 3.4, 3.04, 2.824, 2.6944, 2.61664])


def test_log_scale_marks_the_exact_zero_of_the_one_step_rate() -> None:
    trajectory = train(ARTICLE.with_(lr=0.25))
    assert trajectory.loss[1] == 0.0  # the premise: one update lands exactly
    fig = loss_figure(trajectory, log_scale=True)
    assert fig.layout.yaxis.type == "log"
    assert _all_numbers_finite(fig)
    loss = _trace(fig, "loss")
    assert np.all(np.asarray(loss.y) > 0)
    zero = _trace(fig, "loss exactly 0 (drawn at the floor)")
    assert list(zero.x) == [1, 2, 3, 4, 5]
    floor = log_floor(trajectory.loss)
    assert floor == pytest.approx(0.1)  # one decade under the smallest positive loss, 9
    assert list(zero.y) == [floor] * 5
    assert zero.marker.symbol == ZERO_SYMBOL
    assert "exactly 0" in zero.hovertemplate
    low, high = fig.layout.yaxis.range
    assert low < math.log10(floor) < math.log10(9.0) < high
    assert any("exactly 0" in note for note in loss_notes(trajectory, True))
    # On the linear axis 0 is an ordinary value: no floor, no extra marker, no note.
    linear = loss_figure(trajectory)
    assert [t.name for t in linear.data] == ["loss"]
    assert list(linear.data[0].y) == [9.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert loss_notes(trajectory, False) == []


def test_diverging_run_leaves_the_linear_chart_marked() -> None:
    trajectory = train(ARTICLE.with_(lr=0.6, steps=10))
    fig = loss_figure(trajectory)
    assert _all_numbers_finite(fig)
    # loss 9·1.96^k: 34.6 at step 2 is inside 4 × 9 = 36, 67.8 at step 3 is not
    loss = _trace(fig, "loss")
    assert list(loss.x) == [0, 1, 2, 3]  # drawn up to the first point outside, then stopped
    exit_mark = _trace(fig, "left the chart")
    assert exit_mark.marker.symbol == EXIT_SYMBOL
    assert (exit_mark.x[0], exit_mark.y[0]) == pytest.approx((3.0, 36.0))  # on the edge, at step 3 itself
    assert "step 3" in exit_mark.hovertemplate
    assert [a.text for a in fig.layout.annotations] == ["left at step 3"]
    assert list(fig.layout.yaxis.range) == pytest.approx([0.0, 37.8])
    assert any("step 3" in note for note in loss_notes(trajectory, False))


def test_the_exit_mark_sits_at_the_step_that_is_off_the_chart() -> None:
    steps = np.arange(4)
    values = 9.0 * 1.96 ** steps
    found = find_exit(steps, values, -math.inf, 36.0)
    assert found is not None and (found.step, found.x, found.y, found.value) == (3, 3.0, 36.0, values[3])
    below = find_exit(steps, -values, -36.0, 36.0)
    assert below is not None and (below.x, below.y) == (3.0, -36.0)
    assert find_exit(steps, values, -math.inf, 1e3) is None


@pytest.mark.parametrize(("lr", "loss_step", "error_step"), [(5.0, 1, 1), (1.2, 1, 2), (0.6, 3, 5)])
def test_a_fast_divergence_is_marked_at_its_step_not_at_step_0(lr: float, loss_step: int, error_step: int) -> None:
    """lr 5: the loss goes 9 → 3249; the segment crosses 36 at step 0.008, yet the "×" says step 1."""
    trajectory = train(ARTICLE.with_(lr=lr))
    panels = ((loss_figure(trajectory), "loss", loss_step), (error_figure(trajectory), "error", error_step))
    for fig, line, step in panels:
        assert _trace(fig, "left the chart").x[0] == step
        (label,) = fig.layout.annotations
        assert step - 1 <= label.x <= step and label.text == f"left at step {step}"
        assert _trace(fig, line).x[-1] == step  # the line runs on towards it, cut where it crosses the edge
    mark = _trace(loss_figure(train(ARTICLE.with_(lr=5.0)), log_scale=True), "left the chart")
    assert mark.x[0] == 3 and mark.cliponaxis is False  # a log axis ends at the edge: half an "×" reads as "v"


def test_a_note_goes_right_of_its_mark_where_a_phone_has_room_else_left_above_the_edge() -> None:
    """Nothing is drawn right of the "×": a note there sits beside its mark. Where a phone has no room
    for it (the last step), it hangs left, above the edge, ending before the line that runs into it."""
    fig = loss_figure(train(ARTICLE.with_(lr=5.0)), log_scale=True)  # 9, 3249, 1.2e6, then 4.2e8 at step 3 of 5
    (label,) = fig.layout.annotations
    assert label.x == 3.0 and label.xanchor == "left" and label.yanchor == "top"
    last = loss_figure(train(ARTICLE.with_(lr=5.0, steps=3)), log_scale=True)  # off at the last step: no room
    (label,) = last.layout.annotations
    assert 2.0 < label.x <= 3.0 and label.xanchor == "right" and label.yanchor == "bottom"
    early = loss_figure(train(ARTICLE.with_(lr=5.0)))  # off at step 1 of 5: room on the right, inside the chart
    (label,) = early.layout.annotations
    assert label.x == 1.0 and label.xanchor == "left" and label.yanchor == "top"
    long_note = comparison_figure(_pairs(ARTICLE, [0.6]))  # "✕ 0.6: off the chart at step 3": too long there
    (label,) = long_note.layout.annotations
    assert label.xanchor == "right"


@pytest.mark.parametrize(("lr", "opens_on_log"), [(5.0, True), (1.2, True), (0.7, False), (0.6, False), (0.4, False)])
def test_a_run_that_leaves_a_linear_chart_at_once_reads_better_on_log(lr: float, opens_on_log: bool) -> None:
    trajectory = train(ARTICLE.with_(lr=lr))
    assert linear_shows_only_the_start(trajectory) is opens_on_log
    linear, log = loss_notes(trajectory, False), loss_notes(trajectory, True)
    assert any("opens on a log axis" in note for note in log) is opens_on_log
    assert not any("opens on a log axis" in note for note in linear)
    if lr > 0.5:  # every diverging run stays longer on the log axis, and the linear chart says so
        assert "The log axis keeps more of this run in view: pick log above the chart." in linear


def test_a_run_stopped_by_training_is_marked_on_both_scales() -> None:
    trajectory = train(ARTICLE.with_(lr=10.0, steps=1000))
    assert trajectory.diverged and trajectory.n_rows < 1001
    for log_scale in (False, True):
        fig = loss_figure(trajectory, log_scale)
        assert _all_numbers_finite(fig)
        assert any("left at step" in a.text for a in fig.layout.annotations)
        notes = loss_notes(trajectory, log_scale)
        assert trajectory.divergence is not None
        assert trajectory.divergence.describe() in notes


def test_stopped_run_still_inside_the_chart_gets_a_note() -> None:
    # The first update at lr 10 with x = 1000 throws the loss past 1e24: training keeps only row 0
    trajectory = train(Experiment(points=((1000.0, 0.0),), a0=1000.0, b0=0.0, lr=10.0, steps=3))
    assert trajectory.diverged and trajectory.n_rows == 1
    fig = loss_figure(trajectory, log_scale=True)
    assert _all_numbers_finite(fig)
    assert [a.text for a in fig.layout.annotations] == ["run stopped after step 0: loss ran past the safe range"]


# --- 2. signed error ---------------------------------------------------------------------------


def test_error_chart_shows_the_sign_flips_of_overshooting() -> None:
    trajectory = train(ARTICLE.with_(lr=0.4))
    trace = _trace(error_figure(trajectory), "error")
    np.testing.assert_allclose(trace.y, 3.0 * (-0.6) ** np.arange(6))
    signs = np.sign(trace.y)
    assert list(signs) == [1, -1, 1, -1, 1, -1]
    assert trace.line.color == palette.ERROR


def test_error_chart_of_several_points_is_the_mean_error() -> None:
    experiment = Experiment(points=((1.0, 2.0), (2.0, 5.0)), steps=4)
    trajectory = train(experiment)
    trace = _trace(error_figure(trajectory), "mean error")
    np.testing.assert_allclose(trace.y, trajectory.errors.mean(axis=1))


def test_error_chart_of_a_diverging_run_is_finite_and_marked() -> None:
    fig = error_figure(train(ARTICLE.with_(lr=0.6, steps=30)))
    assert _all_numbers_finite(fig)
    # error 3·(−1.4)^k passes ±12 at k = 5 (−16.1)
    assert [a.text for a in fig.layout.annotations] == ["left at step 5"]
    assert _trace(fig, "left the chart").y[0] == pytest.approx(-12.0)


def test_ratios_theory_equals_practice_for_one_point() -> None:
    for lr, r in ((0.1, 0.6), (0.4, -0.6), (0.5, -1.0), (0.6, -1.4), (0.01, 0.96)):
        value = ratios(train(ARTICLE.with_(lr=lr)))
        assert value.error == pytest.approx(r)
        assert value.loss == pytest.approx(r * r)
        assert value.observed == pytest.approx(r, rel=1e-9)
        assert value.observed_step == 5
    landed = ratios(train(ARTICLE.with_(lr=0.25)))
    assert landed.error == 0.0 and landed.observed == 0.0 and landed.observed_step == 1  # the run lands too
    assert "first update lands" in ratio_sentence(landed)
    metrics = ratio_metrics(ratios(train(ARTICLE)))
    assert [m.value for m in metrics] == ["0.6", "0.36", "0.6"]
    assert "flips sign" in ratio_sentence(ratios(train(ARTICLE.with_(lr=0.4))))


def test_ratios_of_several_points_end_at_the_slow_factor() -> None:
    experiment = Experiment(points=((1.0, 2.0), (2.0, 5.0), (3.0, 4.0)), steps=60)
    value = ratios(train(experiment))
    assert value.slow == pytest.approx(slow_ratio(experiment))
    assert value.observed_is_loss
    assert value.observed == pytest.approx(value.slow**2, rel=1e-3)


# --- 3. several learning rates ----------------------------------------------------------------


def test_presets_at_the_article_point() -> None:
    scale = rate_scale(ARTICLE)
    assert [preset_rate(t, scale) for t in PRESET_TOKENS] == [0.01, 0.25, 0.4, 0.6]


@pytest.mark.parametrize("x", [0.0, 0.5, 2.0, 3.0, 10.0])
def test_presets_are_in_their_named_regimes_for_other_data(x: float) -> None:
    scale = rate_scale(Experiment(points=((x, 1.0),)))
    expected = [Regime.SMOOTH, Regime.ONE_STEP, Regime.OVERSHOOTING, Regime.DIVERGING]
    assert [scale.regime(preset_rate(t, scale)) for t in PRESET_TOKENS] == expected


def test_presets_below_the_smallest_rate_are_left_out() -> None:
    scale = rate_scale(Experiment(points=((1000.0, 1.0),)))
    assert token_rate("small", scale) is None  # 4% of ~5e-7 is under the app's 1e-4
    assert token_rate("nonsense", scale) is None


def test_comparison_labels_name_the_regime_at_the_canonical_rates() -> None:
    pairs = _pairs(ARTICLE, list(CANONICAL))
    fig = comparison_figure(pairs)
    names = [t.name for t in fig.data if t.mode == "lines+markers"]
    assert names == [
        "your rate 0.1 (smooth)",
        "lr 0.01 (smooth)",
        "lr 0.25 (one step)",
        "lr 0.4 (overshooting)",
        "lr 0.5 (bouncing)",
        "lr 0.6 (diverging)",
    ]
    for run, _ in pairs:
        assert run.regime.value == CANONICAL[run.lr]
    assert _all_numbers_finite(fig)


def test_comparison_uses_the_same_start_data_and_steps() -> None:
    experiment = Experiment(points=((2.0, 1.0),), a0=-1.0, b0=0.5, steps=7, mode="hand")
    for run, trajectory in _pairs(experiment, [0.01, 0.05]):
        assert run.experiment == experiment.__class__(**{**experiment.__dict__, "lr": run.lr})
        assert trajectory.a[0] == -1.0 and trajectory.n_rows == 8


def test_comparison_colours_and_the_current_rate_is_bold() -> None:
    fig = comparison_figure(_pairs(ARTICLE, [0.01, 0.25]))
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert lines[0].line.color == palette.COMPARISON[0] and lines[0].line.width > lines[1].line.width
    # Every other rate is dashed and has its own marker: never told from yours by colour alone.
    assert lines[1].line.color == palette.COMPARISON[1] and lines[1].line.dash == palette.DASHES[1]
    assert lines[0].marker.symbol == palette.MARKERS[0] and lines[1].marker.symbol == palette.MARKERS[1]
    assert lines[2].line.color == palette.COMPARISON[2]


def test_diverging_comparison_curve_is_marked_where_it_left() -> None:
    pairs = _pairs(ARTICLE, [0.6])
    fig = comparison_figure(pairs)
    assert _all_numbers_finite(fig)
    diverging = _trace(fig, "lr 0.6 (diverging)")
    assert list(diverging.x) == [0, 1, 2, 3]
    marks = [t for t in fig.data if t.marker.symbol == EXIT_SYMBOL]
    assert len(marks) == 1 and marks[0].y[0] == pytest.approx(36.0)
    # The note starts with an "×" in its run's colour: on a phone it can sit beside another run's "×".
    assert [a.text for a in fig.layout.annotations] == [
        f'<span style="color:{diverging.line.color}">✕</span> 0.6: off the chart at step 3'
    ]
    assert any("lr 0.6 (diverging): left the chart at step 3" in n for n in comparison_notes(pairs, False))


def test_comparison_log_scale_with_a_zero_is_finite_and_marked() -> None:
    pairs = _pairs(ARTICLE, [0.25, 0.6])
    fig = comparison_figure(pairs, log_scale=True)
    assert _all_numbers_finite(fig)
    zeros = [t for t in fig.data if t.marker.symbol == ZERO_SYMBOL]
    assert len(zeros) == 1 and list(zeros[0].x) == [1, 2, 3, 4, 5]
    assert fig.layout.yaxis.type == "log"


def test_a_twin_rate_with_the_same_loss_curve_is_explained() -> None:
    notes = comparison_notes(_pairs(ARTICLE, [0.4]), False)
    assert any("0.1 and 0.4 draw the same loss curve" in n for n in notes)


def test_figures_fit_a_phone() -> None:
    trajectory = train(ARTICLE)
    for fig in (loss_figure(trajectory), error_figure(trajectory), comparison_figure(_pairs(ARTICLE, [0.01]))):
        assert 350 <= fig.layout.height <= 420
        assert fig.layout.legend.orientation == "h" and fig.layout.legend.y < 0
        assert fig.layout.margin.l <= 20 and fig.layout.margin.r <= 20
        assert fig.layout.xaxis.title.text == "step" and fig.layout.yaxis.title.text
        assert fig.layout.dragmode is False  # a finger drag scrolls the page, not the chart


# --- 5. steps to converge ------------------------------------------------------------------------


def test_steps_to_converge_at_the_article_defaults() -> None:
    rows = convergence_rows(compared_runs(ARTICLE, list(CANONICAL)))
    table = {row.rate: (row.regime, row.steps) for row in rows}
    assert table == {
        "0.01": ("smooth", "140"),
        "0.1 (yours)": ("smooth", "12"),
        "0.25": ("one step", "1"),
        "0.4": ("overshooting", "12"),
        "0.5": ("bouncing", "never"),
        "0.6": ("diverging", "never"),
    }


def test_tighter_tolerance_needs_more_steps() -> None:
    runs = compared_runs(ARTICLE, [])
    steps = [int(convergence_rows(runs, tol)[0].steps) for tol in (1e-2, 1e-4, 1e-6)]
    assert steps == [7, 12, 16]  # 9·0.36^k under 0.01, 0.0001, 0.000001
    assert [decimal(t) for t in (1e-2, 1e-4, 1e-6)] == ["0.01", "0.0001", "0.000001"]


def test_added_rates_are_checked_by_cores_rules() -> None:
    assert parse_rate("0.3") == (0.3, None)
    assert parse_rate(10) == (10.0, None)
    for bad in ("abc", "0", "-1", "11", "nan", "inf", "", None, "0.00001"):
        rate, problem = parse_rate(bad)
        assert rate is None and problem


@pytest.mark.parametrize("lr", [0.1, 0.4, 0.5, 0.6, 1.5, 10.0])
def test_the_error_note_names_the_step_where_the_error_chart_draws_its_exit(lr: float) -> None:
    """Student playtest at lr 1.5: the error's panel stopped at step 1 and no sentence said why."""
    trajectory = train(ARTICLE.with_(lr=lr))
    marks = [t for t in error_figure(trajectory).data if t.marker.symbol == EXIT_SYMBOL]
    notes = error_notes(trajectory)
    if not marks:
        assert notes == []
        return
    (note,) = notes
    step = int(marks[0].x[0])
    assert f"left at step {step} (error " in note and "±12 (4× the starting error)" in note
    assert ("steps after it are not drawn" in note) == (step < trajectory.last_step)


def test_adding_a_rate_keeps_every_drawn_run_looking_the_same():
    """A student adding 0.3 to 0.01 and 0.6 must still find 0.6 in the colour it had a moment ago."""

    def looks(rates: list[float]) -> dict[str, tuple]:
        lines = [t for t in comparison_figure(_pairs(ARTICLE, rates)).data if t.mode == "lines+markers"]
        return {t.name: (t.line.color, t.line.dash, t.marker.symbol) for t in lines}

    before, after = looks([0.01, 0.6]), looks([0.01, 0.6, 0.3])
    assert len(after) == 4 and set(before) < set(after)
    assert all(after[name] == style for name, style in before.items())
    assert len(set(after.values())) == len(after)  # the new run looks like none of them


def test_runs_are_listed_by_rate_and_styled_by_their_place_among_the_options():
    runs = compared_runs(ARTICLE, [0.6, 0.01, None, 0.6, ARTICLE.lr, 0.3, 20.0])
    assert [run.lr for run in runs] == [ARTICLE.lr, 0.01, 0.3, 0.6]
    assert [run.slot for run in runs] == [0, 2, 6, 1]  # 20 is beyond what these data allow: not drawn


def test_removing_a_rate_keeps_every_other_run_looking_the_same():
    """A playtest removed "the one-step rate" from the comparison: every run after it changed colour."""
    options = [*PRESET_TOKENS, custom_token(0.3), custom_token(0.05)]

    def looks(selected: list[str]) -> dict[str, tuple]:
        pairs = _pairs(ARTICLE, list(slotted_rates(ARTICLE, options, selected)))
        lines = [t for t in comparison_figure(pairs).data if t.mode == "lines+markers"]
        return {t.name: (t.line.color, t.line.dash, t.marker.symbol) for t in lines}

    before, after = looks(options), looks([token for token in options if token != "one_step"])
    assert len(after) == len(before) - 1 and set(after) < set(before)
    assert all(before[name] == style for name, style in after.items())
