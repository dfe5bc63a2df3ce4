"""The many-parameters page in AppTest, through the real app: core's numbers on screen, its link, bad links.

Opened as a student would: a link to the app (``app.py``), then the page, so the sidebar, the
link handling and the address-bar rewrite all take part.
"""

from __future__ import annotations

import html
import json
import re

import numpy as np
import pytest
from app_elements import shown_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from core.figures.network import GRID_POINTS
from core.maths.network import X_RANGE, suggested_rate, target_curve, train_network
from core.maths.network_settings import TARGETS, NetworkSettings, from_query, to_query
from tests.plotly_spec import charts, figure_of, label_of, trace_array

APP = "../../app.py"
PAGE = "views/many_parameters.py"


def open_page(query: dict[str, str | list[str]] | None = None) -> AppTest:
    """A link opened in the app, then this page (AppTest starts every session at "/")."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def url_of(at: AppTest) -> dict[str, str]:
    return {key: at.query_params[key][-1] if isinstance(at.query_params[key], list) else at.query_params[key]
            for key in at.query_params}


def notice_text(at: AppTest) -> str:
    bodies = [element.value for element in shown_html(at) if "gd-notice" in element.value]
    return "\n".join(html.unescape(re.sub(r"<[^>]*>", "\n", body)) for body in bodies)


def page_values(at: AppTest) -> NetworkSettings:
    return NetworkSettings(
        units=at.slider(key="many.units").value, target=at.selectbox(key="many.target").value,
        points=at.slider(key="many.points").value, noise=at.number_input(key="many.noise").value,
        seed=at.number_input(key="many.seed").value,
    )


def fit_and_loss(at: AppTest) -> tuple[dict, dict]:
    drawn = charts(at)
    assert [label_of(chart) for chart in drawn] == [
        "Training points, the target curve and the network's curve at each step",
        "The loss at every step of the run",
    ]
    return figure_of(drawn[0]), figure_of(drawn[1])


def visible_text(at: AppTest) -> str:
    parts = [str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.warning)]
    parts += [str(m.value) for m in at.metric] + [e.value for e in shown_html(at)]
    return "\n".join(parts)


# --- at the defaults -----------------------------------------------------------------------------


def test_the_defaults_show_the_network_its_run_and_the_bridge() -> None:
    at = open_page()
    assert page_values(at) == NetworkSettings()
    run = train_network(NetworkSettings(), 0.1, 5)
    assert [(m.label, m.value) for m in at.metric] == [
        ("Parameters", "25"), ("Loss at the start", f"{run.loop.loss[0]:.4f}"),
        ("Loss after 5 updates", f"{run.loop.loss[-1]:.4f}"),
    ]
    fit, loss = fit_and_loss(at)
    points, target, curve, caption = fit["data"]
    np.testing.assert_allclose(trace_array(points, "x"), run.data.xs)
    np.testing.assert_allclose(trace_array(points, "y"), run.data.ys)
    assert target["name"] == "target: sine"
    grid = np.linspace(*X_RANGE, GRID_POINTS)
    np.testing.assert_allclose(trace_array(curve, "y"), run.curve(5, grid), rtol=1e-6, atol=1e-6)
    assert caption["text"] == [f"step 5 · loss {run.loop.loss[5]:.4f}"]
    assert [frame["name"] for frame in fit["frames"]] == ["0", "1", "2", "3", "4", "5"]
    np.testing.assert_allclose(trace_array(fit["frames"][0]["data"][0], "y"), run.curve(0, grid), atol=1e-6)
    assert fit["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"
    np.testing.assert_allclose(trace_array(loss["data"][0], "y"), run.loop.loss, rtol=1e-6)
    text = visible_text(at)
    assert "3·8 + 1 = 25 parameters" in text
    assert "5 updates barely move 25 parameters" in text  # a short run says so, with a rate that suits
    # The step table's row, widened: the 12 largest of 25 gradients at step 0.
    tables = [e.value for e in shown_html(at) if "gd-table" in e.value]
    assert tables[0].count("<tr") == 13 and "output\u00a0bias" in tables[0]  # never split over two lines
    assert "175 billion" in tables[1] and "LeNet-5" in tables[1]
    code = [block.value for block in at.code]
    assert any("a, b = update(\n        a, b, grad_a, grad_b, lr)" in block for block in code)
    assert any("theta = update(theta, grad, lr)" in block and "all 25 parameters" in block for block in code)
    assert "minibatch" in text and "Adam" in text
    assert url_of(at) == {}


def test_controls_that_do_nothing_here_are_not_in_the_sidebar() -> None:
    at = open_page({"a": "2", "data": "2:5"})
    assert [w.label for w in at.sidebar.number_input] == ["Learning rate", "Steps (updates)"]
    assert not at.sidebar.toggle  # no hand-calculation mode
    assert not any("Presets" in e.label for e in at.sidebar.expander)
    assert not any("error shrinks" in c.value for c in at.sidebar.caption)  # the line's rate caption
    assert not any("y_true" in c.value for c in at.main.caption)  # nor the line's summary line
    # Hidden, not lost: the link's start and data are still in use and in the address bar …
    assert url_of(at) == {"a": "2", "data": "2:5"}
    # … and back on the step table they are there again.
    at.switch_page("views/step_table.py").run()
    assert at.number_input(key="ctl_a0").value == 2.0 and at.number_input(key="ctl_x_0").value == 2.0


@pytest.mark.parametrize(("hide", "said"), [
    ("", "come from the sidebar"),
    ("all", "are set by the link you opened"),  # teacher playtest: "from the sidebar", with none there
    ("steps", "the learning rate can be changed in the sidebar"),
])
def test_the_caption_says_where_the_rate_and_steps_come_from(hide: str, said: str) -> None:
    at = open_page({"lr": "0.4", "hide": hide} if hide else {"lr": "0.4"})
    (caption,) = [c.value for c in at.main.caption if c.value.startswith("Learning rate 0.4 and 5 steps")]
    assert said in caption
    assert ("Learning rate" in [w.label for w in at.sidebar.number_input]) == (hide != "all")


@pytest.mark.parametrize("target", TARGETS)
def test_each_target(target: str) -> None:
    at = open_page({"target": target, "steps": "200", "lr": "0.2"})
    assert page_values(at).target == target
    fit, _ = fit_and_loss(at)
    points, curve_of_target = fit["data"][0], fit["data"][1]
    assert curve_of_target["name"] == f"target: {target}"
    grid = np.linspace(*X_RANGE, GRID_POINTS)
    np.testing.assert_allclose(trace_array(curve_of_target, "y"), target_curve(target, grid), atol=1e-6)
    run = train_network(NetworkSettings(target=target), 0.2, 200)
    np.testing.assert_allclose(trace_array(points, "y"), run.data.ys)
    assert run.loop.loss[-1] < run.loop.loss[0]
    assert url_of(at) == ({"lr": "0.2", "steps": "200"} | ({} if target == "sine" else {"target": target}))


# --- the link ----------------------------------------------------------------------------------------


def test_a_link_opens_the_same_network_and_stays_in_the_address_bar() -> None:
    link = {"units": "16", "target": "step", "points": "120", "noise": "0.3", "seed": "42", "lr": "0.05",
            "steps": "300"}
    at = open_page(link)
    assert page_values(at) == NetworkSettings(units=16, target="step", points=120, noise=0.3, seed=42)
    assert notice_text(at) == ""
    assert url_of(at) == link
    assert any(m.label == "Parameters" and m.value == "49" for m in at.metric)


def test_a_changed_control_is_written_to_the_address_bar() -> None:
    at = open_page()
    at.slider(key="many.units").set_value(0).run()
    at.selectbox(key="many.target").set_value("line").run()
    assert url_of(at) == {"units": "0", "target": "line"}
    assert any(m.label == "Parameters" and m.value == "2" for m in at.metric)
    assert "no hidden layer: the model is the line a·x + b" in visible_text(at)


BAD_LINKS = [
    ({"units": "abc"}, "units", {"units": 8}),
    ({"units": "65"}, "units", {"units": 64}),
    ({"units": "-1"}, "units", {"units": 0}),
    ({"units": "nan"}, "units", {"units": 8}),
    ({"target": "cosine"}, "target", {"target": "sine"}),
    ({"target": "<script>alert(1)</script>"}, "target", {"target": "sine"}),
    ({"points": "0"}, "points", {"points": 1}),
    ({"points": "1e400"}, "points", {"points": 40}),
    ({"points": "9999"}, "points", {"points": 200}),
    ({"noise": "-2"}, "noise", {"noise": 0.0}),
    ({"noise": "inf"}, "noise", {"noise": 0.1}),
    ({"seed": "2.5"}, "seed", {"seed": 3}),
    ({"seed": "<b>1</b>"}, "seed", {"seed": 1}),
    ({"units": ["4", "12"]}, "units", {"units": 12}),
]


@pytest.mark.parametrize(("query", "param", "used"), BAD_LINKS)
def test_a_bad_value_gives_a_notice_a_sensible_value_and_a_rewritten_url(query: dict, param: str,
                                                                         used: dict) -> None:
    at = open_page(query)
    values = page_values(at)
    for field, value in used.items():
        assert getattr(values, field) == value
    assert f"“{param}” in the link" in notice_text(at)
    assert url_of(at) == to_query(values)
    for body in (e.value for e in shown_html(at)):
        assert "<script" not in body and "<b>1" not in body  # shown as text, if at all


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    key=st.sampled_from(["units", "target", "points", "noise", "seed"]),
    raw=st.text(min_size=0, max_size=30),
)
def test_fuzzed_values_never_break_the_page(key: str, raw: str) -> None:
    expected, notices = from_query({key: raw})
    at = open_page({key: raw})
    assert page_values(at) == expected
    assert url_of(at) == to_query(expected)
    assert bool(notices) == (f"“{key}” in the link" in notice_text(at))
    text = re.sub(r"“[^”]*”", "“…”", visible_text(at).lower())  # a notice quotes the link's own text (“NAN”)
    assert "nan" not in re.findall(r"\bnan\b", text) and "traceback" not in text


# --- a run that diverges, a suggestion taken, a picked step -----------------------------------------


@pytest.mark.parametrize(("key", "typed", "used", "sentence"), [
    ("many.noise", 5.0, 1.0, "Noise: 5 is outside 0 … 1; using 1."),
    ("many.seed", -3, 0, "Seed: −3 is below the minimum 0; using 0."),
])
def test_a_typed_value_out_of_range_is_used_as_the_nearest_and_said(key: str, typed: float, used: float,
                                                                     sentence: str) -> None:
    """No browser-side bounds (a browser refuses those silently): the page answers every typed value."""
    at = open_page()
    field = at.number_input(key=key)
    assert field.min is None and field.max is None
    field.set_value(typed).run()
    assert not at.exception
    assert at.number_input(key=key).value == used
    assert url_of(at)[key.removeprefix("many.")] == str(used).removesuffix(".0")
    reasons = [html.unescape(e.value) for e in shown_html(at) if "gd-typed-notice" in e.value]
    assert len(reasons) == 1 and sentence in reasons[0]


def test_a_diverging_run_stops_and_says_so_without_nan() -> None:
    at = open_page({"units": "64", "points": "200", "lr": "5", "steps": "100"})
    text = visible_text(at)
    assert "diverged, so it stops here" in text
    assert not re.search(r"\b(nan|inf)\b", text.lower())
    _, loss = fit_and_loss(at)
    assert json.dumps(loss).count("NaN") == 0 and "stopped after step" in json.dumps(loss["layout"])
    assert any("This run diverged" in e.value for e in [*at.warning, *at.info])


def test_the_playtests_diverging_link_says_where_the_curve_left_the_chart() -> None:
    """/many-parameters?lr=10&steps=1000&units=64: the curve vanished from the fit while the legend
    still listed "network". Arrowheads on the edge now show where it went, named in the legend."""
    at = open_page({"lr": "10", "steps": "1000", "units": "64"})
    fit, _ = fit_and_loss(at)
    assert [trace.get("name") for trace in fit["data"]][-1] == "network left the chart at step 3"
    last = fit["frames"][-1]
    assert last["name"] == "4" and last["traces"] == [2, 3, 4]
    assert last["data"][2]["marker"]["symbol"] == "triangle-down"
    assert "NaN" not in json.dumps(fit) and "Infinity" not in json.dumps(fit)
    slider = fit["layout"]["sliders"][0]
    assert slider["currentvalue"]["prefix"] == "step " and [s["label"] for s in slider["steps"]] == list("01234")


def test_a_diverging_run_reads_without_e_notation_and_opens_the_log_axis() -> None:
    """Phone playtest: "Loss after 14 updates 1.8329e+18", a loss chart squashed against its left edge on a
    linear axis running to step 1000, and "b1[41] beyond 10¹²"."""
    at = open_page({"units": "32", "target": "step", "lr": "0.2", "steps": "1000"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Loss after 14 updates"] == "1.8329 × 10¹⁸" and metrics["Loss at the start"] == "1.0499"
    assert not re.search(r"\de[+-]\d", visible_text(at))  # no e-notation anywhere in the page's text
    # The loss leaves a linear chart at step 2 of 14: the page opens the log axis, which shows the climb.
    assert at.button_group(key="many.loss_scale").value == "log"
    _, loss = fit_and_loss(at)
    assert loss["layout"]["yaxis"]["type"] == "log" and loss["layout"]["xaxis"]["range"] == [-0.3, 14.3]
    # The student's own pick stays, whatever the run.
    at.button_group(key="many.loss_scale").set_value("linear").run()
    _, loss = fit_and_loss(at)
    assert loss["layout"]["yaxis"]["type"] == "linear"
    assert [a["text"] for a in loss["layout"]["annotations"]] == [
        "× left the chart at step 2<br>stopped after step 14: diverged"]
    warning = " ".join(w.value for w in at.warning)
    assert "would push the bias of hidden unit 8 (b1[8]) below −10¹², minus a 1 followed by 12 zeros" in warning
    at.number_input(key="ctl_lr").set_value(10.0).run()
    assert at.button_group(key="many.loss_scale").value == "linear"


def test_the_page_quotes_no_source_path() -> None:
    at = open_page()
    text = visible_text(at)
    for phrase in ("core/maths", ".py", "steepest curvature", "÷", "curve so steeply"):
        assert phrase not in text, phrase
    assert "bouncing rate" in text


def test_a_run_with_no_update_has_no_play_and_says_so() -> None:
    at = open_page({"steps": "0"})
    fit, _ = fit_and_loss(at)
    assert not fit.get("frames") and not fit["layout"].get("updatemenus") and not fit["layout"].get("sliders")
    captions = " ".join(str(c.value) for c in at.caption)
    assert "step 0 only" in captions and "drag the step slider" not in captions


def test_the_suggested_rate_and_steps_are_set_by_the_button() -> None:
    at = open_page({"units": "64"})
    rate = suggested_rate(train_network(NetworkSettings(units=64), 0.1, 0))
    assert rate == 0.03  # half the output layer's limit, rounded down to a plain number
    at.button(key="many.suggest").click().run()
    assert at.number_input(key="ctl_lr").value == rate and at.number_input(key="ctl_steps").value == 1000
    assert url_of(at) == {"units": "64", "lr": "0.03", "steps": "1000"}
    assert any(m.label == "Loss after 1000 updates" for m in at.metric)
    assert not [b for b in at.button if b.key == "many.suggest"]


def test_a_picked_step_shows_its_parameters_and_is_clamped_when_the_run_shrinks() -> None:
    at = open_page({"units": "2", "steps": "20"})
    at.slider(key="many.step_slider").set_value(7).run()
    run = train_network(NetworkSettings(units=2), 0.1, 20)
    assert "All 7 parameters at step 7" in visible_text(at)
    table = next(e.value for e in shown_html(at) if "gd-table" in e.value)
    assert f"{run.loop.parameters[7][-1]:.4f}".replace("-", "−") in table  # b2's value at step 7
    at.number_input(key="ctl_steps").set_value(3).run()
    assert "All 7 parameters at step 3" in visible_text(at)
    assert "Step 3 is the last" in next(e.value for e in shown_html(at) if "gd-table" in e.value)


def test_backpropagation_opens_with_each_layers_formulas_under_its_sentence() -> None:
    display_math = re.compile(r"\$\$\n(.*?)\n\$\$", re.DOTALL)
    for units, sentence, formula in (
        ("2", "Output layer",
         r"\frac{\partial L}{\partial w_{2j}} = \sum_i \frac{\partial L}{\partial \hat y_i} h_{ij}"),
        ("0", "The line ŷ = a·x + b", r"\frac{\partial L}{\partial a} = \sum_i \frac{2}{N} e_i\,x_i"),
    ):
        at = open_page({"units": units})
        assert not any(sentence in e.value for e in at.markdown)  # closed: made only when opened
        at.session_state["many.chain_open"] = True
        at.run()
        (chain,) = [e.value for e in at.markdown if sentence in e.value]
        assert not at.latex  # one element for the whole chain, each formula a $$ block inside it
        formulas = display_math.findall(chain)
        assert len(formulas) == (4 if units == "2" else 2), units  # one per layer, from the loss back
        assert formula in "".join(formulas) and chain.index(sentence) < chain.index(formula)
