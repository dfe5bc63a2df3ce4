"""A network run that climbs without reaching the safe range (a keyboard playtest's find).

``/many-parameters?lr=3`` trains 8 units for 5 updates: the loss goes 0.46, 46, 3410, … 4.5 × 10¹³.
The safe range stops a run only at 10²⁴, so the page took this run for a healthy one: its loss chart
opened on a linear axis (flat, then one spike, no ×), and the text said "At step 1 the loss jumped
up before falling again: this rate is close to the most this network can take". It never fell.
"""

from __future__ import annotations

import json

import plotly.io as pio

from core.figures.network import linear_exit, linear_shows_only_the_start, loss_figure
from core.maths.network import CLIMB_FACTOR, climbing, first_jump, train_network
from core.maths.network_settings import NetworkSettings
from core.words import chart_text
from core.words import network as words
from tests.plotly_spec import decode

CLIMBS = (NetworkSettings(), 3.0, 5)  # the playtest's link: 0.46 → 4.5 × 10¹³, not stopped
JUMPS = (NetworkSettings(units=8, target="sine"), 0.3, 1000)  # near the limit: a jump, then it settles


def test_a_short_run_that_only_grows_is_climbing() -> None:
    run = train_network(*CLIMBS)
    assert not run.diverged  # the safe range never stopped it ...
    assert climbing(run)  # ... but it is blowing up
    loss = run.loop.loss
    assert loss[-1] > CLIMB_FACTOR * loss[0]


def test_a_run_that_ends_far_above_its_start_is_climbing_even_after_a_fall() -> None:
    """A student playtest: 64 units on the step at lr 0.1 went 1.46 → 256 → 179 in 5 updates, and the
    page said "5 updates barely move 193 parameters" and "the loss jumped up before falling again"."""
    run = train_network(NetworkSettings(units=64, target="step", points=200), 0.1, 5)
    loss = run.loop.loss
    assert not run.diverged and loss[-1] < loss.max() and climbing(run)
    assert "barely move" not in words.suggestion(run).text and "falling again" not in words.fit_sentence(run)
    exit_ = linear_exit(run)
    assert exit_ is not None and exit_.step == 2  # 23 is over 4 × 1.46: the × marks it on the linear chart


def test_a_jump_that_falls_back_is_not_climbing() -> None:
    run = train_network(*JUMPS)
    assert first_jump(run) is not None and not climbing(run)
    assert linear_exit(run) is None  # drawn whole: the jump and the fall after it


def test_every_run_the_safe_range_stopped_is_climbing() -> None:
    stopped = train_network(NetworkSettings(), 3.0, 50)
    assert stopped.diverged and climbing(stopped)


def test_the_climbing_run_opens_on_log_with_its_exit_marked_on_linear() -> None:
    run = train_network(*CLIMBS)
    assert linear_shows_only_the_start(run)  # the page opens the log axis
    linear = json.loads(pio.to_json(loss_figure(run, False), validate=False))
    mark = next(t for t in linear["data"] if t["name"].startswith("left the chart"))
    assert decode(mark["x"]).tolist() == [1]
    assert [a["text"] for a in linear["layout"]["annotations"]] == ["× left the chart at step 1"]
    log = json.loads(pio.to_json(loss_figure(run, True), validate=False))
    assert not any(t["name"].startswith("left the chart") for t in log["data"])
    assert not log["layout"].get("annotations")  # nothing stopped, nothing left a log axis
    text = chart_text.network_loss_chart(run, False)
    assert "leaves the chart at step 1" in text and "stops after" not in text


def test_the_words_say_it_is_diverging_and_never_that_it_fell_again() -> None:
    run = train_network(*CLIMBS)
    sentence = words.fit_sentence(run)
    assert "falling again" not in sentence and "It is climbing: this rate is too large" in sentence
    advice = words.suggestion(run)
    assert advice is not None and advice.text.startswith("This run is diverging. A rate of ")
    assert advice.rate < run.lr and not climbing(train_network(NetworkSettings(), advice.rate, advice.steps))
    assert words.divergence_sentence(run) is None  # nothing stopped it: no "the run diverged, so it stops here"


def test_a_run_near_the_limit_still_says_it_jumped_and_fell_again() -> None:
    sentence = words.fit_sentence(train_network(*JUMPS))
    assert "jumped up before falling again" in sentence and "climbing" not in sentence
