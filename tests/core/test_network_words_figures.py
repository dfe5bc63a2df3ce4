"""The many-parameters page's words and figures: the code shown really is the loop, the tables hold core's numbers."""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest

from core.figures.network import GRID_POINTS, MAX_FRAMES, fit_figure, frame_steps, loss_figure
from core.maths import network, training
from core.maths.experiment import Experiment
from core.maths.network import X_RANGE, Network, initial_parameters, train_network, with_ones
from core.maths.network_settings import NetworkSettings
from core.words import network as words
from core.words import network_tables
from tests.plotly_spec import decode, validated

# --- the bridge: both loops run as printed ---------------------------------------------------------


def test_the_two_parameter_loop_as_printed_is_the_step_table() -> None:
    namespace = {
        "predict": training.predict, "measure_loss": training.measure_loss,
        "compute_gradients": training.compute_gradients, "update": training.update,
        "a": 3.0, "b": 4.0, "x": np.array([1.0]), "y": np.array([4.0]), "lr": 0.1, "steps": 5,
    }
    exec(words.TWO_PARAMETER_LOOP, namespace)  # our own constant, run to prove it
    line = training.train(Experiment())  # steps updates: the table's last row
    assert (namespace["a"], namespace["b"]) == (line.a[-1], line.b[-1])
    assert namespace["loss"] == line.loss[-2]  # the loss measured before the last update


def test_the_network_loop_as_printed_is_the_page_run() -> None:
    settings = NetworkSettings(units=8, seed=4)
    run = train_network(settings, 0.2, 30)
    namespace = {
        "predict": network.predict, "measure_loss": network.measure_loss,
        "compute_gradients": network.compute_gradients, "update": network.update,
        "network": Network(8), "theta": initial_parameters(Network(8), 4), "inputs": with_ones(run.data.xs),
        "y": run.data.ys, "lr": 0.2, "steps": 30,
    }
    exec(words.network_loop(8), namespace)
    np.testing.assert_array_equal(namespace["theta"], run.loop.parameters[-1])
    assert namespace["loss"] == run.loop.loss[-2]
    assert "# theta: all 25 parameters" in words.network_loop(8)
    assert "update all 193 at once" in words.network_loop(64)


def test_both_loops_name_the_same_four_steps() -> None:
    left, right = words.TWO_PARAMETER_LOOP, words.network_loop(3)
    for step in ("# 1. predict", "# 2. measure the loss", "# 3. compute the gradients", "# 4. update"):
        assert step in left and step in right
    assert len(left.splitlines()) == len(right.splitlines())  # line for line, side by side


# --- the parameters at one step -------------------------------------------------------------------


def test_a_small_network_shows_every_parameter_in_order() -> None:
    run = train_network(NetworkSettings(units=2), 0.1, 10)
    table = network_tables.parameter_table(run, 4)
    assert [row[0] for row in table.rows] == ["w1[1]", "w1[2]", "b1[1]", "b1[2]", "w2[1]", "w2[2]", "b2"]
    assert table.rows[-1][1] == "output\u00a0bias" and table.rows[0][1] == "unit\u00a01: input\u00a0weight"
    for index, row in enumerate(table.rows):
        value, gradient = run.loop.parameters[4, index], run.loop.gradients[4, index]
        assert row[2:6] == tuple(f"{number:.4f}".replace("-", "−") for number in (
            value, gradient, -0.1 * gradient, run.loop.parameters[5, index]))
    assert table.note is None


def test_a_large_network_shows_the_twelve_largest_gradients() -> None:
    run = train_network(NetworkSettings(units=16), 0.05, 10)
    table = network_tables.parameter_table(run, 0)
    assert len(table.rows) == network_tables.PARAMETERS_SHOWN == 12
    gradients = [abs(float(row[3].replace("−", "-"))) for row in table.rows]
    assert gradients == sorted(gradients, reverse=True)
    assert min(gradients) >= np.sort(np.abs(run.loop.gradients[0]))[-12] - 5e-5
    assert "The 12 of 49 parameters with the largest gradients at step 0" in network_tables.parameter_table_lead(run, 0)


def test_the_last_step_has_no_next_value_and_says_why() -> None:
    run = train_network(NetworkSettings(units=1), 0.1, 3)
    table = network_tables.parameter_table(run, 3)
    assert all(row[5] == "—" for row in table.rows)
    assert table.note == "Step 3 is the last: its gradients are measured, but the run ends before using them."
    diverged = train_network(NetworkSettings(units=64, points=200), 10.0, 100)
    note = network_tables.parameter_table(diverged, diverged.last_step).note
    assert note is not None and "diverged, so it stops here" in note


def test_the_output_bias_gradient_is_the_mean_of_two_errors() -> None:
    run = train_network(NetworkSettings(units=3), 0.1, 2)
    errors = run.curve(1, run.data.xs) - run.data.ys
    assert network_tables.output_bias_check(run, 1).endswith(f"here {np.mean(2 * errors):.4f}.".replace("-", "−"))


# --- the sentences and the tables of sizes ------------------------------------------------------------


def test_counts_and_model_sentences() -> None:
    assert words.parameter_count_formula(0) == "a and b: 2"
    assert words.parameter_count_formula(64) == "3·64 + 1 = 193"
    assert "the model is the line a·x + b" in words.model_sentence(0)
    assert "1 hidden unit that" in words.model_sentence(1)


def test_the_sizes_table_lists_this_app_and_published_models_with_sources() -> None:
    table = network_tables.sizes_table(8)
    assert table.rows[0][1] == "2" and table.rows[1] == ("This page's network", "25", "8 hidden units", "—")
    counts = {row[0]: (row[3], row[1]) for row in table.rows}
    assert counts["AlexNet [2]"] == ("2012", "60 million") and counts["GPT-3 [5]"] == ("2020", "175 billion")
    sources = network_tables.size_sources()
    assert len(sources) == len(network_tables.KNOWN_MODELS) == 5
    assert sources[0].startswith("[1] LeCun") and "1998" in sources[0]
    assert "minibatch" in network_tables.LARGE_MODELS_LINE and "Adam" in network_tables.LARGE_MODELS_LINE


def test_chain_rule_has_one_line_per_layer() -> None:
    assert len(words.chain_rule(0)) == 2
    lines = words.chain_rule(5)
    assert len(lines) == 4 and "1 - h_{ij}^2" in lines[2].latex


def test_a_short_run_gets_a_suggestion_and_a_long_one_does_not() -> None:
    short = train_network(NetworkSettings(), 0.1, 5)
    advice = words.suggestion(short)
    assert advice is not None and advice.steps == 1000 and advice.rate == network.suggested_rate(short)
    assert advice.button == f"Use rate {advice.rate:g}, 1000 steps"
    assert words.suggestion(train_network(NetworkSettings(), 0.1, 300)) is None
    diverged = train_network(NetworkSettings(units=64, points=200), 10.0, 100)
    assert words.suggestion(diverged).text.startswith("This run diverged")  # type: ignore[union-attr]
    # The best straight line through a parabola is found within 50 updates at 0.5: more would not help.
    settled = train_network(NetworkSettings(units=0, target="parabola"), 0.5, 50)
    assert not network.still_falling(settled) and words.suggestion(settled) is None
    assert network.still_falling(short)


def test_the_fit_sentence_compares_with_the_noise() -> None:
    run = train_network(NetworkSettings(noise=0.2), 0.3, 1000)
    text = words.fit_sentence(run)
    assert f"to {run.loop.loss[-1]:.4f} after 1000 updates" in text
    assert f"scores {network.target_loss(run):.4f}" in text
    assert "rate above about" in words.rate_sentence(run)


# --- figures ------------------------------------------------------------------------------------------


def test_frame_steps_cover_the_run_densely_at_first() -> None:
    assert frame_steps(5) == [0, 1, 2, 3, 4, 5]
    steps = frame_steps(1000)
    assert steps[0] == 0 and steps[-1] == 1000 and len(steps) <= MAX_FRAMES
    assert steps == sorted(set(steps)) and steps[:6] == [0, 1, 2, 3, 4, 5]


def test_the_fit_figure_moves_the_network_curve_only() -> None:
    run = train_network(NetworkSettings(units=4), 0.2, 200)
    fig = validated(fit_figure(run))
    grid = np.linspace(*X_RANGE, GRID_POINTS)
    frames = {frame.name: frame for frame in fig.frames}
    assert list(frames) == [str(step) for step in frame_steps(200)]
    for step in (0, 200):
        frame = frames[str(step)]
        assert frame.traces == (2, 3)
        np.testing.assert_allclose(np.asarray(frame.data[0].y, dtype=float), run.curve(step, grid), atol=1e-6)
        assert frame.data[1].text == (f"step {step} · loss {run.loop.loss[step]:.4f}",)
    assert fig.layout.updatemenus[0].buttons[0].label == "▶ Play"
    assert len(fig.layout.sliders[0].steps) == len(frames)
    assert fig.data[2].name == "network"
    # With 0 hidden units the model is the line itself, and the legend says so.
    line = validated(fit_figure(train_network(NetworkSettings(units=0), 0.2, 50)))
    assert line.data[2].name == "line a·x + b" and "<extra>line a·x + b</extra>" in line.data[2].hovertemplate


def test_the_largest_page_stays_under_200_kib_of_figures() -> None:
    run = train_network(NetworkSettings(units=64, points=200), 0.03, 1000)
    fit = pio.to_json(fit_figure(run), validate=False)
    loss = pio.to_json(loss_figure(run, log_scale=True), validate=False)
    assert len(fit) + len(loss) < 200 * 1024


@pytest.mark.parametrize("log_scale", [False, True])
def test_a_diverging_loss_is_marked_where_it_stopped(log_scale: bool) -> None:
    run = train_network(NetworkSettings(units=64, points=200), 10.0, 100)
    spec = json.loads(pio.to_json(loss_figure(run, log_scale), validate=False))
    assert spec["layout"]["annotations"][0]["text"].endswith(f"stopped after step {run.last_step}: diverged")
    y = np.asarray(decode(spec["data"][0]["y"]), dtype=float)
    # The log axis draws the whole climb; the linear one up to the first loss off its top, where the × is.
    assert np.isfinite(y).all() and len(y) == (run.last_step + 1 if log_scale else 2)
    assert spec["layout"]["yaxis"]["type"] == ("log" if log_scale else "linear")
    if not log_scale:
        assert spec["layout"]["yaxis"]["range"][1] <= 4.2 * run.loop.loss[0]


@pytest.mark.parametrize(("settings", "fragment"), [
    (NetworkSettings(), "8 hidden units, the sine curve, 40 points, noise 0.1, seed 1."),
    (NetworkSettings(units=1, target="step", noise=0.0, seed=0),
     "1 hidden unit, the step curve, 40 points, noise 0, seed 0."),
    (NetworkSettings(units=0, points=2), "no hidden units (the line), the sine curve, 2 points"),
])
def test_a_lesson_link_names_the_network_it_carries(settings: NetworkSettings, fragment: str) -> None:
    assert fragment in words.link_network_sentence(settings)
