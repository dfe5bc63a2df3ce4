"""A value typed into one of the sidebar's fields, checked by the same rules as a share link.

The sidebar's number fields have no bounds of their own in the browser: a browser field refuses
an out-of-range value without a word to the server, and the page then went on with the old value
while the field showed the new one. So every typed number reaches the app, and this module says
which value the experiment uses instead and why — the sentence a link with that value would get
(:func:`core.maths.experiment.validate`), so a field and a link can never disagree.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.maths.experiment import QUERY_TO_FIELD, VALUE_LIMIT, Notice, validate
from core.words.notation import exact

# The Experiment field a sidebar field sets -> its share-link name (the notices' ``param``).
FIELD_TO_QUERY = {field: key for key, field in QUERY_TO_FIELD.items()}


def check_field(current: Mapping[str, object], field: str, value: object) -> tuple[object, Notice | None]:
    """The value the experiment uses for ``field`` when ``value`` is typed, and the notice if it differs.

    ``current`` holds the other fields as ``validate`` takes them (the learning rate's bounds
    depend on the data, so the points must be there when ``field`` is ``"lr"``).
    """
    experiment, notices = validate({**current, field: value})
    param = FIELD_TO_QUERY[field]
    notice = next((notice for notice in notices if notice.param == param), None)
    return getattr(experiment, field), notice


def check_coordinate(label: str, value: float) -> tuple[float, Notice | None]:
    """A data point's x or y as typed, kept within ±VALUE_LIMIT as a link's ``data`` is, with a notice.

    ``label`` names the field as the sidebar does ("x", "y_true (point 2)"). A browser field only
    ever sends a finite number.
    """
    used = min(max(float(value), -VALUE_LIMIT), VALUE_LIMIT)
    if used == value:
        return used, None
    low, high = exact(-VALUE_LIMIT), exact(VALUE_LIMIT)
    return used, Notice("data", f"{label}: {exact(value)} is outside {low} … {high}; using {exact(used)}.")
