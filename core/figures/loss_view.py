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

import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


def loss_and_error_figure(trajectory: Trajectory, log_scale: bool = False) -> go.Figure:
    """The loss by step (top, linear or log) and the signed error by step (below), one step axis."""
    loss = loss_figure(trajectory, log_scale)
    error = error_figure(trajectory)
    fig = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=list(ROW_HEIGHTS), vertical_spacing=GAP,
        subplot_titles=("", ERROR_TITLE),
    )
    for trace in loss.data:
        fig.add_trace(trace, row=1, col=1)
    shown_groups = {trace.legendgroup for trace in loss.data if trace.showlegend is not False}
    for trace in error.data:
        if trace.legendgroup is not None and trace.legendgroup in shown_groups:
            trace.showlegend = False  # one "left the chart" in the legend for both panels' "×"
        fig.add_trace(trace, row=2, col=1)
    for shape in loss.layout.shapes:
        fig.add_shape(shape)
    for annotation in loss.layout.annotations:
        fig.add_annotation(annotation)
    for shape in error.layout.shapes:
        fig.add_shape(shape.update(xref=_to_lower_panel(shape.xref, "x"), yref=_to_lower_panel(shape.yref, "y")))
    for annotation in error.layout.annotations:
        fig.add_annotation(
            annotation.update(xref=_to_lower_panel(annotation.xref, "x"), yref=_to_lower_panel(annotation.yref, "y"))
        )
    fig.update_layout(
        height=HEIGHT,
        margin=loss.layout.margin,
        hovermode=loss.layout.hovermode,
        dragmode=False,
        legend=dict(loss.layout.legend.to_plotly_json(), y=-0.12),
    )
    fig.update_annotations(selector={"text": ERROR_TITLE}, font={"size": 13}, xanchor="left", x=0.0)
    step_axis = loss.layout.xaxis.to_plotly_json()
    fig.update_xaxes(step_axis, row=2, col=1)
    fig.update_xaxes({k: v for k, v in step_axis.items() if k != "title"}, row=1, col=1)
    fig.update_yaxes(loss.layout.yaxis.to_plotly_json(), row=1, col=1)
    fig.update_yaxes(error.layout.yaxis.to_plotly_json(), title_text="error", row=2, col=1)
    return fig
