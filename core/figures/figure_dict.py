"""Figures as plain dicts, with their NumPy arrays written as Plotly's typed arrays.

Building a ``plotly.graph_objects`` figure validates and coerces every property of every trace
and frame, and for each array asks ``narwhals`` whether it is a dataframe. For the loss surface
(a 61 × 61 grid, ~50 traces over its step frames) that was nearly all of a first view's cost, so
figures a class meets on arrival are built as plain dicts instead. The tests check these dicts
with ``go.Figure(spec)``, which raises on any property Plotly does not know, so nothing the
builders write goes unchecked.

Arrays are written as Plotly 7 writes them itself, ``{"dtype", "bdata", "shape"}`` with the
bytes in base64: a third of the size of the numbers as decimal text, and read by plotly.js
straight into a typed array.
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np

# Plotly.js's names for the dtypes it reads (plotly's own ``plotlyjsShortTypes``).
_SHORT_TYPES = {
    "int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2",
    "int32": "i4", "uint32": "u4", "float32": "f4", "float64": "f8",
}


def typed_array(values: np.ndarray) -> dict[str, str] | list:
    """One array as a typed array; an empty one, or one plotly.js cannot read typed, as a list."""
    array = np.ascontiguousarray(values)
    if array.dtype == np.int64 and array.size and np.abs(array).max() < 2**31:
        array = array.astype(np.int32)  # plotly.js has no 64-bit integers
    short = _SHORT_TYPES.get(str(array.dtype))
    if short is None or array.size == 0:
        return array.tolist()
    spec = {"dtype": short, "bdata": base64.b64encode(array.tobytes()).decode("ascii")}
    if array.ndim > 1:
        spec["shape"] = ", ".join(str(n) for n in array.shape)
    return spec


def _unset(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and not value)


def _encoded(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return typed_array(value)
    if isinstance(value, dict):
        # As a go.Figure writes itself: no unset (None) properties and no empty settings.
        return {key: _encoded(item) for key, item in value.items() if not _unset(item)}
    if isinstance(value, list | tuple):
        return [_encoded(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()  # a NumPy scalar as the Python number JSON can write
    return value


def figure_dict(data: list[dict], layout: dict, frames: list[dict] | None = None) -> dict:
    """A figure as Plotly's JSON structure, every NumPy array in it typed; no frames key without frames.

    Empty lists stay: a frame's empty path (``x: []``) is what clears the line it replaces.
    """
    figure = {"data": data, "layout": layout}
    if frames:
        figure["frames"] = frames
    return _encoded(figure)
