"""ui.charts: a figure is serialised once for the browser, and without static serving the chart falls back."""

from __future__ import annotations

import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.io as pio
from streamlit.testing.v1 import AppTest

from ui.charts import Chart

ROOT = Path(__file__).resolve().parents[2]


def _figure(name: str = "loss") -> go.Figure:
    return go.Figure(
        go.Scatter(x=[0, 1, 2], y=[9.0, 3.24, 1.1664], name=name),
        layout={"height": 320, "title": {"text": "a chart"}},
        frames=[go.Frame(name="0", data=[go.Scatter(x=[0], y=[9.0])])],
    )


def test_the_spec_is_the_figure_without_plotlys_template() -> None:
    figure = _figure()
    spec = json.loads(Chart.of(figure).spec)
    full = json.loads(pio.to_json(figure, validate=False))
    assert "template" in full["layout"] and "template" not in spec["layout"]  # themed in the browser
    full["layout"].pop("template")
    assert spec == full  # data, layout and frames, nothing else changed
    assert figure.layout.template is not None  # the figure itself is left as it was


def test_any_text_in_a_figure_arrives_unchanged() -> None:
    """The spec travels as a JSON string inside the component's data, never as HTML or script."""
    name = '</script><script>alert("x")</script><!-- "quoted" \\ backslash'
    spec = json.loads(Chart.of(_figure(name)).spec)
    assert spec["data"][0]["name"] == name


FALLBACK_APP = '''
import plotly.graph_objects as go
import ui.charts as charts

saved = charts.plotly_js_url
charts.plotly_js_url = lambda: None  # as when server.enableStaticServing is off
try:
    charts.show_chart(charts.Chart.of(go.Figure(go.Scatter(x=[0, 1], y=[1, 0]))), key="c", label="a chart")
finally:
    charts.plotly_js_url = saved
'''


def test_without_static_serving_the_chart_is_drawn_by_st_plotly_chart() -> None:
    at = AppTest.from_string(FALLBACK_APP, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    assert not at.get("bidi_component")


def test_the_components_javascript_is_the_file_beside_it() -> None:
    """The component's code is a real .js file, read once at import: an ES module with a default export."""
    from ui import charts

    text = (ROOT / "ui" / "charts.js").read_text(encoding="utf-8")
    assert text == charts._JS
    assert "export default function ({data, parentElement})" in text
    assert "Plotly.react(plot" in text and "Plotly.purge(plot)" in text
