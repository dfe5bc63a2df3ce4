"""Process-wide speed settings for a server shared by a whole class."""

from __future__ import annotations

import gc

_frozen = False


def freeze_long_lived_objects() -> None:
    """Move everything imported so far out of the garbage collector's sight, once per process.

    Streamlit runs ``gc.collect(2)`` after every script run. With NumPy, pandas, Plotly and
    pyarrow loaded, scanning their objects dominated that pass (tens of ms per rerun).
    Modules and caches live for the whole process, so freezing them is safe; objects a
    session creates later are still collected normally.
    """
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True
