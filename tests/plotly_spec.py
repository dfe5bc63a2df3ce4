"""Read the Plotly figure an AppTest run sent to the browser (shared by the page tests).

Plotly 7 writes NumPy arrays as typed arrays, ``{"dtype", "bdata", "shape"}`` with the
bytes in base64; :func:`decode` turns those (and plain lists) into NumPy arrays, and
:func:`figure_of` gives the figure dict of an ``at.get("plotly_chart")[i]`` element.
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


def figure_of(chart: Any) -> dict[str, Any]:
    """The figure dict (``data`` and ``layout``) of an AppTest plotly_chart element."""
    spec = json.loads(chart.proto.spec)
    return spec


def trace_array(trace: dict[str, Any], name: str) -> np.ndarray:
    """One array attribute of a trace (``x``, ``y``, ``customdata`` …), decoded."""
    return np.asarray(decode(trace[name]))
