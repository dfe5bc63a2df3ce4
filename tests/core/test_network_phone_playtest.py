"""The many-parameters page after a phone playtest (390 × 844, dark): what a 16-year-old could not read.

1. A diverging run's loss chart ran its step axis to the steps asked for (1000) although the run
   stopped at step 4, drew a y axis up to ~6 for a loss of 2.3 × 10²⁰ without saying the loss had
   left it, and hung its note off the plot's left edge ("ed").
2. "1.8329e+18" in the metrics and "loss 1.833e+18" on the fit chart.
3. Code lines too long for a phone's code box.
4. The tables: the parameters' "What it is" last, ASCII hyphens for minus signs; the model sizes
   right-aligned words cut off at the box's edge.
5. Source paths and phrases such as "2 ÷ its steepest curvature" in the page's sentences.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import plotly.io as pio
import pytest

from core.figures import network as figures
from core.figures.network import linear_shows_only_the_start, loss_figure
from core.maths.network import output_rate_limit, train_network
from core.maths.network_settings import NetworkSettings
from core.words import chart_text, network_tables, notation, tables
from core.words import network as words
from tests.plotly_spec import decode

WIDE = (NetworkSettings(units=64), 10.0, 1000)  # /many-parameters?lr=10&steps=1000&units=64: stops after step 4
STEP = (NetworkSettings(units=32, target="step"), 0.2, 1000)  # units 32 at lr 0.2: stops after step 14


def _spec(run, log_scale: bool) -> dict:
    return json.loads(pio.to_json(loss_figure(run, log_scale), validate=False))


def _trace(spec: dict, name: str) -> dict:
    return next(trace for trace in spec["data"] if trace.get("name", "").startswith(name))


# --- 1. the loss chart of a diverging run ------------------------------------------------------------


@pytest.mark.parametrize("log_scale", [False, True])
@pytest.mark.parametrize(("settings", "lr", "steps"), [WIDE, STEP])
def test_the_step_axis_ends_where_the_run_stopped(settings, lr, steps, log_scale: bool) -> None:
    run = train_network(settings, lr, steps)
    assert run.diverged and run.last_step in (4, 14)
    layout = _spec(run, log_scale)["layout"]
    assert layout["xaxis"]["range"] == [-figures.STEP_ROOM, run.last_step + figures.STEP_ROOM]  # was 0 … 1000.3


@pytest.mark.parametrize("log_scale", [False, True])
@pytest.mark.parametrize(("settings", "lr", "steps"), [WIDE, STEP])
def test_the_note_sits_inside_the_plot_in_a_top_corner(settings, lr, steps, log_scale: bool) -> None:
    """It hung from the last point to the left, with an arrow: off the plot's left edge on a phone ("ed")."""
    run = train_network(settings, lr, steps)
    (note,) = _spec(run, log_scale)["layout"]["annotations"]
    assert note["text"].endswith(f"stopped after step {run.last_step}: diverged")
    assert (note["xref"], note["yref"], note["y"], note["yanchor"]) == ("paper", "paper", 1.0, "top")
    assert (note["x"], note["xanchor"]) in ((0.0, "left"), (1.0, "right"))  # growing into the plot, not out
    assert not note.get("showarrow", True)


def test_the_linear_axis_marks_where_the_loss_left_it() -> None:
    """The line runs off the top at 4× the starting loss; a × on the edge names the step and the loss there."""
    run = train_network(*WIDE)
    spec = _spec(run, False)
    cap = figures.LINEAR_CAP_FACTOR * float(run.loop.loss[0])
    assert spec["layout"]["yaxis"]["range"] == pytest.approx([0.0, 1.05 * cap])
    loss = _trace(spec, "loss")
    np.testing.assert_array_equal(np.asarray(decode(loss["x"])), [0, 1])  # up to the first step off the chart
    mark = _trace(spec, "left the chart")
    assert mark["name"] == "left the chart at step 1" and mark["x"] == [1] and mark["y"] == pytest.approx([cap])
    assert mark["marker"]["symbol"] == "x-thin-open" and mark["cliponaxis"] is False
    assert f"loss there: {notation.chart_value(float(run.loop.loss[1]))}" in mark["hovertemplate"]
    note = spec["layout"]["annotations"][0]
    assert note["text"] == "× left the chart at step 1<br>stopped after step 4: diverged"
    assert (note["x"], note["xanchor"]) == (1.0, "right")  # the climb is on the left: the note takes the right


def test_the_log_axis_shows_the_whole_climb_with_room_above_it_for_the_note() -> None:
    run = train_network(*WIDE)
    spec = _spec(run, True)
    loss = _trace(spec, "loss")
    np.testing.assert_allclose(np.asarray(decode(loss["y"]), dtype=float), run.loop.loss, rtol=1e-6)
    low, high = spec["layout"]["yaxis"]["range"]
    top = math.log10(float(run.loop.loss.max()))
    assert high - top >= figures.NOTE_ROOM * (top - low) * 0.9  # empty room above the last point
    assert not [trace for trace in spec["data"] if trace.get("name", "").startswith("left the chart")]
    note = spec["layout"]["annotations"][0]
    assert note["text"] == "stopped after step 4: diverged" and (note["x"], note["xanchor"]) == (0.0, "left")


def test_a_run_that_leaves_a_linear_chart_early_opens_on_the_log_axis() -> None:
    assert linear_shows_only_the_start(train_network(*WIDE))  # off at step 1 of 4
    assert linear_shows_only_the_start(train_network(*STEP))  # off at step 2 of 14
    assert not linear_shows_only_the_start(train_network(NetworkSettings(), 0.2, 200))  # no divergence


def test_a_run_that_does_not_diverge_keeps_its_chart() -> None:
    run = train_network(NetworkSettings(), 0.2, 200)
    spec = _spec(run, False)
    assert not spec["layout"].get("annotations") and spec["layout"]["xaxis"]["range"] == [-0.3, 200.3]
    assert spec["layout"]["yaxis"]["range"][1] == pytest.approx(1.05 * float(run.loop.loss.max()))


def test_the_text_alternative_names_the_mark() -> None:
    run = train_network(*WIDE)
    linear = chart_text.network_loss_chart(run, False)
    assert f"leaves the chart at step 1 (it is {notation.plain(float(run.loop.loss[1]))} there)" in linear
    assert "marked by a ×" in linear and "marked by a ×" not in chart_text.network_loss_chart(run, True)
    assert linear.endswith("The run diverged and stops after step 4.")


# --- 2. numbers read as text: never e-notation ---------------------------------------------------------


def test_numbers_read_as_text_use_powers_of_ten() -> None:
    assert notation.read_cell(1.8329e18) == "1.8329 × 10¹⁸" and notation.read_cell(-0.92121) == "−0.9212"
    assert notation.read_cell(1.5614) == "1.5614" and notation.read_cell(-0.00001) == "0.0000"
    assert notation.read_cell(math.nan) == "—"
    assert notation.chart_value(1.8329e18) == "1.833 × 10¹⁸" and notation.chart_value(1.2e-5) == "1.2 × 10⁻⁵"
    assert notation.chart_value(0.0123) == "0.0123" and notation.chart_value(0.0) == "0 (exactly)"


def test_the_fit_charts_caption_reads_the_loss_without_e_notation() -> None:
    run = train_network(*STEP)
    spec = json.loads(pio.to_json(figures.fit_figure(run), validate=False))
    captions = [frame["data"][1]["text"][0] for frame in spec["frames"]]
    assert captions[-1] == "step 14 · loss 1.833 × 10¹⁸"  # was "loss 1.833e+18"
    assert not [caption for caption in captions if re.search(r"\de[+-]\d", caption)]


# --- 3. the code fits a phone's code box --------------------------------------------------------------


@pytest.mark.parametrize("units", [0, 8, 64])
def test_no_line_of_the_loops_is_longer_than_a_phone_shows(units: int) -> None:
    for loop in (words.TWO_PARAMETER_LOOP, words.network_loop(units)):
        assert max(len(line) for line in loop.splitlines()) <= words.LOOP_WIDTH == 36


# --- 4. the tables ---------------------------------------------------------------------------------------


def test_the_parameter_table_says_what_each_one_is_first_and_writes_real_minus_signs() -> None:
    run = train_network(*STEP)
    table = network_tables.parameter_table(run, run.last_step)
    assert table.headers[:3] == ("Parameter", "What it is", "Value")
    assert [column.words for column in table.columns] == [False, True, False, False, False, False]
    numbers = [cell for row in table.rows for cell in row[2:]]
    assert not [cell for cell in numbers if "-" in cell or "e+" in cell]
    assert any(cell.startswith("−") for cell in numbers)
    assert table.rows[0][1].count(" ") == 1  # "unit 8:" over "output weight": one place to wrap


def test_the_sizes_table_wraps_its_words_and_reads_them_from_the_left() -> None:
    table = network_tables.sizes_table(8)
    assert table.headers == ("Model", "Parameters", "What it does", "Year")
    markup = tables.to_html(table)
    assert markup.count('<th scope="col" class="gd-words"') == 2
    assert '<th scope="row" class="gd-words">LeNet-5 [1]</th>' in markup
    assert "<td class=\"gd-words\">sorts photos into 1,000 kinds</td>" in markup
    assert ".gd-table .gd-words{text-align:left;white-space:normal" in tables.STYLE
    assert network_tables.sizes_table(1).rows[1][2] == "1 hidden unit"


def test_the_step_tables_markup_is_unchanged_by_columns_of_words() -> None:
    from core.maths.experiment import Experiment
    from core.maths.training import train

    markup = tables.to_html(tables.step_table(train(Experiment())))
    assert "gd-words" not in markup and '<th scope="row">0</th>' in markup


# --- 5. plain words -------------------------------------------------------------------------------------

JARGON = ("÷", "steepest curvature", "curve so steeply", "core/", ".py", "beyond 10")


@pytest.mark.parametrize(("settings", "lr", "steps"), [WIDE, STEP, (NetworkSettings(units=0), 0.1, 10)])
def test_the_rate_sentence_says_the_limit_in_plain_words(settings, lr, steps) -> None:
    run = train_network(settings, lr, steps)
    text = words.rate_sentence(run)
    assert not [phrase for phrase in JARGON if phrase in text]
    assert f"any rate above about {notation.plain(output_rate_limit(run, 0), 3)} each update" in text
    assert "bouncing rate" in text
    assert (f"This run's rate, {notation.plain(lr)}, is above it." in text) == (lr > output_rate_limit(run, 0))


def test_the_captions_under_the_code_quote_no_source_path() -> None:
    assert not [phrase for caption in words.LOOP_CAPTIONS for phrase in JARGON if phrase in caption]
    assert "backpropagation" in words.LOOP_CAPTIONS[1]


@pytest.mark.parametrize(("settings", "lr", "sentence"), [
    (WIDE[0], 10.0, "After step 4 the next update would push the bias of hidden unit 41 (b1[41]) below −10¹², "
                    "minus a 1 followed by 12 zeros: the run diverged, so it stops here."),
    (NetworkSettings(units=8), 5.0, "After step 7 the next update would push the output weight of hidden unit 1 "
                                    "(w2[1]) below −10¹², minus a 1 followed by 12 zeros"),
    (NetworkSettings(units=64), 5.0, "After step 4 the next update would push the loss above 10²⁴, a 1 followed "
                                     "by 24 zeros"),
    (NetworkSettings(units=0), 10.0, "After step 10 the next update would push the intercept b below −10¹²"),
])
def test_the_divergence_is_said_with_what_ran_away(settings, lr: float, sentence: str) -> None:
    run = train_network(settings, lr, 1000)
    text = words.divergence_sentence(run)
    assert text is not None and text.startswith(sentence) and text.endswith("the run diverged, so it stops here.")
    assert network_tables.parameter_table(run, run.last_step).note == text
    assert words.divergence_sentence(train_network(NetworkSettings(), 0.1, 5)) is None
