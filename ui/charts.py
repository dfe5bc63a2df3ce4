"""Plotly charts (2D and 3D) updated in place: plotly.js in the page itself, ``Plotly.react`` on every rerun.

Why not ``st.plotly_chart``: Streamlit re-creates its Plotly element whenever the figure
changes, so every learning-rate change paid a full new plot plus Streamlit's theming for each
chart, most of a rerun's time in the browser on a chart page (PERFORMANCE.md has the figures).
Here a small ``st.components.v2`` component (its JavaScript is ``charts.js`` beside this file)
keeps one plot per chart and hands each new figure to ``Plotly.react``, which only redraws what
changed. A 3D
scene keeps its WebGL context and a camera the student turned (the figures set
``uirevision``), and stepping through a figure's frames never leaves the browser.

plotly.js is the copy ``ui.components.plotly_js_url`` serves from ``static/`` (never a CDN),
loaded once per browser tab. The figure arrives as JSON made once per figure on the server
(:class:`Chart`), and is styled in the browser from Streamlit's theme variables (font, text and
grid colours), so it follows light and dark like the rest of the page. Without static serving
the chart falls back to ``st.plotly_chart``.
"""

from __future__ import annotations

import dataclasses
import html
import json
from pathlib import Path

import plotly.io as pio
import streamlit as st

from core.figures import palette
from ui.components import PLOTLY_CONFIG, html_block, plotly_js_url, show_figure

COMPONENT = "gd_plotly_chart"

# The component's JavaScript and style sheet live beside this file (ui/charts.js, ui/charts.css),
# read once at import.
_JS = Path(__file__).with_name("charts.js").read_text(encoding="utf-8")
_CSS = Path(__file__).with_name("charts.css").read_text(encoding="utf-8")


@dataclasses.dataclass(frozen=True)
class Chart:
    """A Plotly figure as the JSON the browser gets, made once per cached chart.

    Only the JSON is kept, not the figure: a cached figure is thousands of small Python objects
    that fragment the heap, while one string is freed whole when the cache lets it go.
    """

    spec: str

    @classmethod
    def of(cls, figure: dict) -> Chart:
        """The JSON of a plain figure dict (``core.figures.figure_dict``), taken as it is, without validation.

        Written by Plotly's encoder, which turns a stray NaN or infinity into null.
        """
        spec = json.loads(pio.to_json(figure, validate=False))
        spec.get("layout", {}).pop("template", None)  # styled from Streamlit's theme in the browser
        return cls(json.dumps(spec, separators=(",", ":"), allow_nan=False))  # NaN would break JSON.parse


def show_chart(chart: Chart, *, key: str, label: str, description: str = "") -> None:
    """Draw ``chart`` at full width, updated in place on later reruns.

    ``label`` names it for screen readers and ``description`` is its text alternative: what it
    shows, with the run's numbers (``core.words.chart_text``), kept off the screen.
    """
    src = plotly_js_url()
    if src is None:
        show_figure(json.loads(chart.spec), key=key)  # st.plotly_chart takes the figure as a dict too
        html_block(f'<p class="gd-visually-hidden">{html.escape(description)}</p>')
        return
    config = {**PLOTLY_CONFIG, "responsive": False}
    mount = st.components.v2.component(COMPONENT, js=_JS, css=_CSS, isolate_styles=False)  # same definition: no-op
    mount(data={"figure": chart.spec, "src": src, "label": label, "description": description, "config": config,
                "ink": palette.INK}, key=key)
