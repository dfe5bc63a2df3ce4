#!/usr/bin/env python3
"""The rate scale: HTML strip vs an in-place Plotly chart, browser cost per rerun.

Issue #11 asked whether, now that charts are updated in place (``Plotly.react`` in ``ui/charts.js``),
the learning-rate scale could be a chart again. This measures what each costs the student's
browser when the rate changes, in headless Chromium, without Streamlit around it (Streamlit's
own cost per element is the same either way):

- *html*: the fragment ``core.figures.rate_strip.rate_strip_html`` builds replaces the previous
  one (``innerHTML``, as ``st.html`` does), then layout is forced.
- *plotly*: a strip drawn as a Plotly figure (the same bands, boundary lines, ticks and marker,
  built below) goes to ``Plotly.react`` on the same div, then layout is forced.

Each sample is one rate change; the rates cycle through ``VALUES``. Both are interleaved change by
change, so a busy moment hits both alike; the figure to quote is the ratio of the medians.

Usage: ``python benchmarks/bench_rate_strip.py [--changes 60] [--out result.json]``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, machine, percentile

sys.path.insert(0, str(REPO))
from core.figures import palette
from core.figures.rate_strip import STRIP_RANGE_FACTOR, rate_strip_html
from core.maths.experiment import Experiment
from core.maths.theory import Regime, rate_scale
from core.words import notation

CHROMIUM = os.environ.get("HARNESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-background-networking"]
VALUES = [0.2, 0.05, 0.4, 0.15, 0.3, 0.1, 0.45, 0.25, 0.6, 0.01]

TIME_BOTH = r"""
async ([html, figure]) => {
  const strip = document.getElementById("strip"), chart = document.getElementById("chart");
  let t = performance.now();
  strip.innerHTML = html;
  strip.getBoundingClientRect(); document.body.offsetHeight;
  const htmlMs = performance.now() - t;
  await new Promise(requestAnimationFrame);
  t = performance.now();
  await Plotly.react(chart, figure.data, figure.layout, {displayModeBar: false, responsive: false});
  chart.getBoundingClientRect(); document.body.offsetHeight;
  const plotlyMs = performance.now() - t;
  await new Promise(requestAnimationFrame);
  return [htmlMs, plotlyMs];
}
"""


def strip_figure(experiment: Experiment) -> dict:
    """The rate scale as a Plotly figure: what the page would send if the strip were a chart."""
    scale = rate_scale(experiment)
    top = STRIP_RANGE_FACTOR * scale.bounce
    lr = min(experiment.lr, top)
    bands = ((Regime.SMOOTH, 0.0, scale.one_step), (Regime.OVERSHOOTING, scale.one_step, scale.bounce),
             (Regime.DIVERGING, scale.bounce, top))
    shapes = [{"type": "rect", "x0": start, "x1": end, "y0": 0, "y1": 1, "line": {"width": 0},
               "fillcolor": palette.REGIME[kind.value]} for kind, start, end in bands]
    shapes += [{"type": "line", "x0": rate, "x1": rate, "y0": -0.2, "y1": 1.2,
                "line": {"width": 4, "color": palette.REGIME[kind.value]}}
               for kind, rate in ((Regime.ONE_STEP, scale.one_step), (Regime.BOUNCING, scale.bounce))]
    notes = [{"x": (start + end) / 2, "y": 0.5, "text": kind.value, "showarrow": False, "font": {"color": "#000"}}
             for kind, start, end in bands]
    notes += [{"x": rate, "y": -0.55, "text": f"{kind.value} {notation.rate(rate)}", "showarrow": False}
              for kind, rate in ((Regime.ONE_STEP, scale.one_step), (Regime.BOUNCING, scale.bounce))]
    notes.append({"x": lr, "y": 1.15, "text": f"your rate {notation.rate(experiment.lr)}", "showarrow": True,
                  "arrowhead": 2, "ax": 0, "ay": -22})
    ticks = [0.0, scale.one_step, scale.bounce]
    layout = {"height": 150, "margin": {"l": 10, "r": 10, "t": 40, "b": 40}, "shapes": shapes,
              "annotations": notes, "showlegend": False,
              "xaxis": {"range": [0, top], "tickvals": ticks, "ticktext": [notation.rate(t) for t in ticks],
                        "fixedrange": True, "title": {"text": "learning rate"}},
              "yaxis": {"range": [-1, 1.6], "visible": False, "fixedrange": True}}
    return {"data": [{"type": "scatter", "x": [lr], "y": [1.05], "mode": "markers",
                      "marker": {"symbol": "triangle-down", "size": 12, "color": "#31333f"},
                      "hoverinfo": "skip"}], "layout": layout}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=60)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    plotly_js = next((REPO / "static").glob("plotly-*.min.js"), None)
    if plotly_js is None:
        import plotly
        plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    samples = {"html": [], "plotly": []}
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 800, "height": 600})
        page.set_content('<body style="font-family:sans-serif"><div id="strip"></div><div id="chart"></div></body>')
        page.add_script_tag(path=str(plotly_js))
        warmup = 8
        for index in range(args.changes + warmup):
            experiment = Experiment(lr=VALUES[index % len(VALUES)])
            html_ms, plotly_ms = page.evaluate(TIME_BOTH, [rate_strip_html(experiment), strip_figure(experiment)])
            if index >= warmup:
                samples["html"].append(html_ms)
                samples["plotly"].append(plotly_ms)
        browser.close()

    result = {"machine": machine(), "changes": args.changes}
    for name, values in samples.items():
        result[name] = {"p50_ms": round(percentile(values, 50), 2), "p95_ms": round(percentile(values, 95), 2)}
    result["ratio_p50"] = round(result["plotly"]["p50_ms"] / result["html"]["p50_ms"], 1)
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
