"""The loss curve page's first view: the loss by step with the signed error under it.

Two learning rates can draw the very same loss curve (at the article's data 0.1 and 0.4: the loss
shrinks ×0.36 per update at both) while one closes in from one side and the other overshoots at
every update. The loss alone hides that, so the first chart a student sees carries the signed error
too, on a second panel sharing the step axis: the zigzag across 0 is what overshooting looks like.
Both panels are the page's own figures (:func:`core.figures.curves.loss_figure` and
:func:`~core.figures.curves.error_figure`), moved onto one shared step axis, so their honesty
rules (zeros on a log axis, an "×" where a run leaves the chart) hold unchanged.
"""

from __future__ import annotations

import copy
import functools

from plotly.subplots import make_subplots

from core.figures import palette
from core.figures.curves import error_figure, loss_figure
from core.maths.training import Trajectory

HEIGHT = 560
ROW_HEIGHTS = (0.6, 0.4)
GAP = 0.16  # between the panels, for the error panel's title
ERROR_TITLE = "error, with its sign: above 0 too high, below 0 too low"


def _to_lower_panel(ref: str | None, letter: str) -> str | None:
    """An annotation's or shape's ``letter`` ("x" or "y") axis reference, moved to the lower panel's axes.

    No reference means the first axis (Plotly's default); "paper" stays as it is.
    """
    if ref in (None, letter):
        return f"{letter}2"
    if ref == f"{letter} domain":
        return f"{letter}2 domain"
    return ref


def _merge(target: dict, extra: dict) -> dict:
    """Plotly's ``update`` on plain dicts: nested dicts merge, anything else is replaced."""
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)
    return target


@functools.cache
def _two_panels() -> dict:
    """The empty two-panel layout (axes, domains, the error panel's title), made once per process.

    Without Plotly's default template: the chart is styled from Streamlit's theme in the browser
    (``ui.charts.Chart`` drops any template), and copying it for every figure is most of the copy.
    """
    skeleton = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=list(ROW_HEIGHTS), vertical_spacing=GAP,
        subplot_titles=("", ERROR_TITLE),
    ).to_plotly_json()
    skeleton["layout"].pop("template", None)
    return skeleton


def _moved_down(item: dict) -> dict:
    """A shape or annotation of the error figure, referring to the lower panel's axes."""
    return {**item, "xref": _to_lower_panel(item.get("xref"), "x"), "yref": _to_lower_panel(item.get("yref"), "y")}


def _shared_legend_entries(upper: list[dict], lower: list[dict]) -> list[dict]:
    """One legend entry for a mark both panels draw (the "×" where a run leaves the chart).

    Each panel draws its "×" in its own colour, the loss's vermillion above and the error's sky
    blue below, so neither colour can stand for both: the two marks leave the legend and a
    legend-only "×" in the neutral grey names them together (a click on it still hides both,
    through their shared legend group).
    """
    entries = []
    upper_groups = {trace.get("legendgroup") for trace in upper if trace.get("showlegend") is not False}
    for trace in lower:
        group = trace.get("legendgroup")
        if group is None or group not in upper_groups or trace.get("showlegend") is False:
            continue
        for panel_trace in upper + lower:
            if panel_trace.get("legendgroup") == group:
                panel_trace["showlegend"] = False
        marker = {**trace.get("marker", {}), "color": palette.NEUTRAL}
        entries.append({
            "type": "scatter", "x": [None], "y": [None], "mode": trace.get("mode", "markers"),
            "name": trace["name"], "legendgroup": group, "showlegend": True, "marker": marker,
            "hoverinfo": "skip",
        })
    return entries


def loss_and_error_figure(trajectory: Trajectory, log_scale: bool = False) -> dict:
    """The loss by step (top, linear or log) and the signed error by step (below), one step axis.

    Composed as a plain figure dict from the panels' own dicts: adding them to a ``make_subplots``
    figure validated every trace, shape and axis again, about half of what a new experiment's
    first view of this chart cost.
    """
    loss = loss_figure(trajectory, log_scale)
    error = error_figure(trajectory)
    fig = copy.deepcopy(_two_panels())
    upper = [{**trace, "xaxis": "x", "yaxis": "y"} for trace in loss["data"]]
    lower = [{**trace, "xaxis": "x2", "yaxis": "y2"} for trace in error["data"]]
    fig["data"] = upper + lower + _shared_legend_entries(upper, lower)
    layout = fig["layout"]
    shapes = [*loss["layout"].get("shapes", []), *map(_moved_down, error["layout"].get("shapes", []))]
    if shapes:
        layout["shapes"] = shapes
    layout["annotations"] = [
        *layout.get("annotations", []), *loss["layout"].get("annotations", []),
        *map(_moved_down, error["layout"].get("annotations", [])),
    ]
    for annotation in layout["annotations"]:
        if annotation.get("text") == ERROR_TITLE:
            _merge(annotation, {"font": {"size": 13}, "xanchor": "left", "x": 0.0})
    _merge(layout, {
        "height": HEIGHT, "margin": loss["layout"]["margin"], "hovermode": loss["layout"].get("hovermode"),
        "dragmode": False, "legend": dict(loss["layout"]["legend"], y=-0.12),
    })
    step_axis = loss["layout"]["xaxis"]
    _merge(layout["xaxis2"], step_axis)
    _merge(layout["xaxis"], {key: value for key, value in step_axis.items() if key != "title"})
    _merge(layout["yaxis"], loss["layout"]["yaxis"])
    _merge(layout["yaxis2"], error["layout"]["yaxis"])
    _merge(layout["yaxis2"], {"title": {"text": "error"}})
    return fig
