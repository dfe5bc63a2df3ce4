"""Each chart's text alternative holds the run's own numbers (the article's, at the defaults)."""

from __future__ import annotations

from core.maths.comparison import compared_runs
from core.maths.experiment import Experiment
from core.maths.training import train
from core.words import chart_text
from core.words.notation import plain

ARTICLE = Experiment()


def test_loss_chart_at_the_article_defaults():
    text = chart_text.loss_chart(train(ARTICLE), log_scale=False)
    assert "the loss falls from 9 to 0.0544 in 5 updates" in text
    assert "linear axis" in text and "log axis" in chart_text.loss_chart(train(ARTICLE), log_scale=True)


def test_error_chart_says_its_side_of_zero():
    assert "the error shrinks from 3 to 0.2333 in 5 updates; it stays above 0" in chart_text.error_chart(train(ARTICLE))
    overshooting = chart_text.error_chart(train(ARTICLE.with_(lr=0.4)))
    assert "shrinks from 3 to −0.2333" in overshooting and "changes sign at every update" in overshooting


def test_a_bouncing_error_back_where_it_started_keeps_its_size():
    """Student playtest: at lr 0.5 and 10 steps it said "the error stays at 3 … it changes sign at every update"."""
    bouncing = chart_text.error_chart(train(ARTICLE.with_(lr=0.5, steps=10)))
    assert "the error keeps its size, 3, for 10 updates; it changes sign at every update" in bouncing
    assert "keeps its size from 3 to −3 in 5 updates" in chart_text.error_chart(train(ARTICLE.with_(lr=0.5)))


def test_a_diverging_run_says_it_grows_and_where_it_stopped():
    text = chart_text.loss_chart(train(ARTICLE.with_(lr=0.6, steps=10)), log_scale=False)
    assert "the loss grows from 9 to 7530.143 in 10 updates" in text
    stopped = chart_text.loss_chart(train(ARTICLE.with_(lr=2.0, steps=1000)), log_scale=True)
    assert "in 13 updates" in stopped and "stops after step 13" in stopped


def test_a_bouncing_run_stays():
    text = chart_text.loss_chart(train(ARTICLE.with_(lr=0.5)), log_scale=False)
    assert "the loss stays at 9 for 5 updates" in text


def test_a_loss_that_rounds_to_zero_is_never_read_as_zero():
    """At the defaults, 30 updates leave a loss of ~4e-13: 0 to 4 decimals, but not 0 (a playtest found "to 0")."""
    long_run = train(ARTICLE.with_(steps=30))
    assert 0.0 < long_run.loss[-1] < 1e-4
    assert "the loss falls from 9 to below 0.0001 in 30 updates" in chart_text.loss_chart(long_run, log_scale=True)
    assert "shrinks from 3 to nearly 0 (size below 0.0001)" in chart_text.error_chart(long_run)
    exact = train(ARTICLE.with_(lr=0.25))  # one step lands exactly: that 0 is a true 0
    assert exact.loss[-1] == 0.0 and "falls from 9 to 0 in 5 updates" in chart_text.loss_chart(exact, log_scale=False)
    tiny = ARTICLE.with_(a0=1.5, b0=2.50001)  # starts and ends below 0.0001
    assert "the loss stays below 0.0001 for 5 updates" in chart_text.loss_chart(train(tiny), log_scale=False)


def test_several_points_name_the_lowest_loss_and_the_mean_error():
    two = ARTICLE.with_(points=((1.0, 4.0), (2.0, 5.0)))
    assert "falls from 17 to 0.0027 in 5 updates" in chart_text.loss_chart(train(two), log_scale=False)
    assert "mean error shrinks from 4 to 0.0008" in chart_text.error_chart(train(two))
    noisy = ARTICLE.with_(points=((1.0, 4.0), (1.0, 5.0)))  # same x, different y: the loss cannot reach 0
    assert "lowest loss this data allows, 0.25" in chart_text.loss_chart(train(noisy), log_scale=False)


def test_comparison_chart_names_every_rate_with_its_numbers():
    runs = compared_runs(ARTICLE, [0.25, 0.6])
    text = chart_text.comparison_chart([(run, train(run.experiment)) for run in runs])
    assert text.startswith("Line chart of the loss by step for 3 learning rates.")
    assert "your rate 0.1 (smooth): the loss falls from 9 to 0.0544 in 5 updates" in text
    assert "lr 0.25 (one step): the loss falls from 9 to 0 in 5 updates" in text
    assert "lr 0.6 (diverging): the loss grows from 9 to 260.3292 in 5 updates" in text


def test_surface_chart_names_the_valley_the_start_and_the_end():
    text = chart_text.surface_chart(train(ARTICLE), three_d=True)
    assert text.startswith("3D surface of the loss over (a, b)")
    assert "the line a + b = 4" in text
    assert "starts at (3, 4), loss 9; after 5 updates it is at (1.6166, 2.6166), loss 0.0544" in text
    assert "on its way to (1.5, 2.5)" in text
    two = chart_text.surface_chart(train(ARTICLE.with_(points=((1.0, 4.0), (2.0, 5.0)))), three_d=False)
    assert two.startswith("Top-down contour map") and "single point (a, b) = (1, 3)" in two
    assert "moving away from the bottom" in chart_text.surface_chart(train(ARTICLE.with_(lr=0.6)), three_d=True)


def test_a_run_already_at_its_landing_point_is_not_on_its_way_there():
    """Lesson stop 5: after 30 updates the run is at (1.5, 2.5) to every digit shown, its loss ~4e-13."""
    text = chart_text.surface_chart(train(ARTICLE.with_(steps=30)), three_d=True)
    assert "after 30 updates it is at (1.5, 2.5), loss below 0.0001: the point it lands on, to 4 decimals." in text
    assert "on its way" not in text and "loss 0" not in text
    exact = chart_text.surface_chart(train(ARTICLE.with_(lr=0.25)), three_d=True)  # one step, exactly there
    assert "after 5 updates it is at (1.5, 2.5), loss 0: the point it lands on" in exact


def test_no_steps():
    assert "is 9 at the start (no update)" in chart_text.loss_chart(train(ARTICLE.with_(steps=0)), log_scale=False)
    assert "takes no update" in chart_text.surface_chart(train(ARTICLE.with_(steps=0)), three_d=True)


def test_many_parameters_charts_say_where_the_loss_went():
    from core.maths.network import train_network
    from core.maths.network_settings import NetworkSettings

    run = train_network(NetworkSettings(), 0.1, 200)
    start, end = run.loop.loss[0], run.loop.loss[-1]
    loss = chart_text.network_loss_chart(run, log_scale=True)
    assert f"the loss falls from {plain(start)} to {plain(end)} in 200 updates" in loss and "log axis" in loss
    fit = chart_text.network_fit_chart(run)
    assert fit.startswith(f"Chart of {len(run.data.xs)} training points") and "the sine curve" in fit
    assert "8 hidden units" in fit
