"""Two learning rates, one loss curve: the first view of the loss curve tells them apart (issue #18, item 4).

At the article's data lr 0.1 and lr 0.4 draw exactly the same loss curve (×0.36 per update), but
one closes in from one side and the other overshoots at every update. The page names the twin and
draws the signed error under the loss; these tests check the twin against real runs, and the words
and the chart against the numbers.
"""

from __future__ import annotations

import json

import numpy as np
import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.figures import palette
from core.figures.loss_view import ERROR_TITLE, loss_and_error_figure
from core.maths import theory
from core.maths.experiment import Experiment, validate
from core.maths.training import train
from core.maths.twin_rate import twin_rate
from core.words.chart_text import loss_and_error_chart
from core.words.curve_notes import twin_sentence
from tests.plotly_spec import decode

ARTICLE = Experiment()


def test_the_articles_twin_rates() -> None:
    assert twin_rate(ARTICLE.with_(lr=0.4)) == pytest.approx(0.1)
    assert twin_rate(ARTICLE) == pytest.approx(0.4)
    np.testing.assert_allclose(train(ARTICLE.with_(lr=0.4)).loss, train(ARTICLE).loss, rtol=1e-12)


@pytest.mark.parametrize(
    "experiment",
    [ARTICLE.with_(lr=0.25), ARTICLE.with_(lr=0.5), ARTICLE.with_(lr=0.6),  # one step, bouncing, diverging
     ARTICLE.with_(a0=1.0, b0=3.0),  # the start already predicts y_true: every rate's loss is 0
     ARTICLE.with_(points=((1.0, 4.0), (2.0, 5.0)))],  # distinct x: the bowl's two directions differ
)
def test_no_twin(experiment: Experiment) -> None:
    assert twin_rate(experiment) is None
    assert twin_sentence(experiment) is None


coordinate = st.integers(min_value=-12, max_value=12).map(lambda v: v / 4)


@settings(max_examples=60, deadline=None)
@given(x=coordinate, ys=st.lists(coordinate, min_size=1, max_size=3), a0=coordinate, b0=coordinate,
       share=st.floats(min_value=0.02, max_value=0.98), steps=st.integers(min_value=1, max_value=12))
def test_a_twin_draws_the_same_loss_curve_with_the_errors_sign_flipped(
    x: float, ys: list[float], a0: float, b0: float, share: float, steps: int
) -> None:
    """For points at one x, every converging rate but the one-step rate has a twin: same loss at every
    step (checked by running both), the mean error with its sign flipped at every odd step."""
    base, _ = validate({"points": [(x, y) for y in ys], "a0": a0, "b0": b0, "lr": 0.1, "steps": steps})
    lr = share * theory.rate_scale(base).bounce
    experiment = base.with_(lr=lr)
    twin = twin_rate(experiment)
    start = float(train(experiment).errors.mean(axis=1)[0])
    if abs(start) < 1e-9 or abs(theory.error_ratio(experiment)) < 1e-6:
        return
    assert twin is not None and twin > 0
    mine, theirs = train(experiment), train(experiment.with_(lr=twin))
    scale = max(float(mine.loss[0]), 1.0)
    np.testing.assert_allclose(mine.loss, theirs.loss, rtol=1e-7, atol=1e-9 * scale)
    signs = np.sign(mine.errors.mean(axis=1)) * np.sign(theirs.errors.mean(axis=1))
    error_scale = np.abs(mine.errors.mean(axis=1))
    visible = error_scale > 1e-9 * abs(start)
    expected = np.where(np.arange(len(signs)) % 2 == 0, 1.0, -1.0)
    np.testing.assert_array_equal(signs[visible], expected[visible])


def test_the_twin_sentence_names_both_rates_and_their_factors() -> None:
    text = twin_sentence(ARTICLE.with_(lr=0.4))
    assert text is not None
    assert "Your rate 0.4 and the rate 0.1 draw the same loss curve" in text
    assert "multiplies the loss by 0.36" in text
    assert "At 0.4 it is multiplied by −0.6 each update, so it changes sign every time" in text
    assert "too high, then too low" in text
    assert "At 0.1 it is multiplied by 0.6 each update, so it keeps its sign" in text
    several = twin_sentence(ARTICLE.with_(points=((1.0, 4.0), (1.0, 6.0), (1.0, 8.0)), lr=0.3))
    assert several is not None and "the loss above its lowest value (2.6667) by 0.04" in several
    assert "signed mean error" in several and "predictions jump past the mean of the y values" in several
    below = twin_sentence(ARTICLE.with_(a0=0.0, b0=1.0, lr=0.1))  # starts too low: error −3
    assert below is not None and "stays too low and closes in from below" in below


def test_the_first_chart_draws_the_signed_error_under_the_loss() -> None:
    trajectory = train(ARTICLE.with_(lr=0.4))
    spec = json.loads(pio.to_json(loss_and_error_figure(trajectory), validate=False))
    (loss,) = [t for t in spec["data"] if t["name"] == "loss"]
    (error,) = [t for t in spec["data"] if t["name"] == "error"]
    np.testing.assert_allclose(decode(loss["y"]), trajectory.loss)
    np.testing.assert_allclose(decode(error["y"]), [3.0, -1.8, 1.08, -0.648, 0.3888, -0.23328], atol=1e-12)
    assert (loss.get("yaxis", "y"), error["yaxis"]) == ("y", "y2")
    layout = spec["layout"]
    assert layout["xaxis2"]["title"]["text"] == "step" and layout["yaxis2"]["title"]["text"] == "error"
    assert layout["xaxis"]["matches"] == "x2"  # one step axis for both panels
    assert any(a["text"] == ERROR_TITLE for a in layout["annotations"])
    zero = [s for s in layout["shapes"] if s["yref"] == "y2"]
    assert len(zero) == 1 and zero[0]["y0"] == 0.0  # the line the error crosses


def test_a_diverging_run_leaves_both_panels_marked_and_named_once() -> None:
    spec = json.loads(pio.to_json(loss_and_error_figure(train(ARTICLE.with_(lr=0.6, steps=30))), validate=False))
    notes = [(a["text"], a.get("yref", "y")) for a in spec["layout"]["annotations"] if "left at step" in a["text"]]
    assert notes == [("left at step 3", "y"), ("left at step 5", "y2")]
    legend = [t for t in spec["data"] if t.get("showlegend") is not False]
    (entry,) = [t for t in legend if t["name"] == "left the chart"]
    # Neither panel's colour names both marks: the loss's × is vermillion, the error's sky blue.
    assert entry["marker"]["color"] == palette.NEUTRAL and entry["x"] == [None]
    marks = {t["yaxis"]: t["marker"]["color"] for t in spec["data"] if t["name"] == "left the chart" and t is not entry}
    assert marks == {"y": palette.LOSS, "y2": palette.ERROR}
    assert {t["legendgroup"] for t in spec["data"] if t["name"] == "left the chart"} == {entry["legendgroup"]}


def test_a_mark_only_one_panel_draws_keeps_its_own_colour_in_the_legend() -> None:
    # On a log axis 10 steps at lr 0.6 keep the loss in view while the error leaves its panel.
    spec = json.loads(pio.to_json(loss_and_error_figure(train(ARTICLE.with_(lr=0.6, steps=10)), True), validate=False))
    (entry,) = [t for t in spec["data"] if t["name"] == "left the chart" and t.get("showlegend") is not False]
    assert entry["marker"]["color"] == palette.ERROR and entry["yaxis"] == "y2"


def test_the_text_alternative_covers_both_panels() -> None:
    text = loss_and_error_chart(train(ARTICLE.with_(lr=0.4)), False)
    assert text.startswith("Line chart of the loss at every step, on a linear axis: the loss falls from 9 to 0.0544")
    assert "Below it, a line chart of the signed error at every step" in text
    assert "it changes sign at every update" in text
