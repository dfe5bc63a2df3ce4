"""Read the Plotly figure an AppTest run sent to the browser (shared by the page tests).

Plotly 7 writes NumPy arrays as typed arrays, ``{"dtype", "bdata", "shape"}`` with the
bytes in base64; :func:`decode` turns those (and plain lists) into NumPy arrays, and
:func:`charts` lists the 2D charts an AppTest run drew (``ui.charts``' component) and
:func:`figure_of` gives the figure dict of one.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np


def decode(value: Any) -> Any:
    """A typed array or a list as a NumPy array; any other value unchanged."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            dims = [int(n) for n in str(shape).split(",")] if isinstance(shape, str) else list(shape)
            array = array.reshape(dims)
        return array
    if isinstance(value, list):
        return np.asarray([decode(v) if isinstance(v, dict | list) else v for v in value])
    return value


def validated(figure: dict[str, Any]) -> Any:
    """A plain figure dict (``core.figures.figure_dict``) read through Plotly, which raises on what it does not know.

    The builders skip Plotly's validation to be quick; a test reads their figures through this,
    so every property they write is still checked, and reads them by attribute as ``go.Figure``,
    with its typed arrays as NumPy arrays again.
    """
    import plotly.graph_objects as go  # only the tests that read a figure pay for the import

    return go.Figure(_decoded(figure))


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            return decode(value)
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


def charts(at: Any) -> list[Any]:
    """The 2D charts drawn by ``ui.charts.show_chart``, in page order (what the browser gets)."""
    return [element for element in at.get("bidi_component") if element.proto.component_name == "gd_plotly_chart"]


def figure_of(chart: Any) -> dict[str, Any]:
    """The figure dict (``data`` and ``layout``) one chart sends to the browser."""
    return json.loads(json.loads(chart.proto.json)["figure"])


def label_of(chart: Any) -> str:
    """The name a screen reader hears for the chart."""
    return json.loads(chart.proto.json)["label"]


def trace_array(trace: dict[str, Any], name: str) -> np.ndarray:
    """One array attribute of a trace (``x``, ``y``, ``customdata`` …), decoded."""
    return np.asarray(decode(trace[name]))
