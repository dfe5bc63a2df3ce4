"""Small Streamlit pieces shared by the pages (additive: each helper stands alone)."""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from core import palette

# Charts scroll with the page on a phone: no wheel zoom, no Plotly logo.
PLOTLY_CONFIG = {"scrollZoom": False, "displaylogo": False}


def show_figure(fig: go.Figure, key: str) -> None:
    """A Plotly figure at full width, in Streamlit's theme (light or dark), with the app's config."""
    st.plotly_chart(fig, key=key, config=PLOTLY_CONFIG, width="stretch", theme="streamlit")


# --- HTML tables built by core (core.tables.to_html) ---------------------------------------

# Scoped to the gd-* classes core uses. Colours are translucent greys so the same rules read on
# the light and the dark theme; concept colours arrive inline on the header cells from core.
_TABLE_CSS = """<style>
.gd-scroll{max-width:100%;width:fit-content;overflow-x:auto;-webkit-overflow-scrolling:touch;
  border:1px solid rgba(128,128,128,.35);border-radius:.5rem}
.gd-scroll.gd-tall{max-height:30rem;overflow-y:auto}
.gd-table{border-collapse:separate;border-spacing:0;font-variant-numeric:tabular-nums;font-size:.92rem;
  line-height:1.4;margin:0;width:auto;border:0}
.gd-table th,.gd-table td{padding:.4rem .85rem;text-align:right;white-space:nowrap;border:0;vertical-align:middle}
.gd-table thead th{font-weight:600;position:sticky;top:0;z-index:1;border-bottom:4px solid rgba(128,128,128,.5);
  background:rgba(128,128,128,.2);backdrop-filter:blur(14px);-webkit-backdrop-filter:blur(14px)}
.gd-table tbody th{font-weight:600;opacity:.8}
.gd-table tbody tr+tr>*{border-top:1px solid rgba(128,128,128,.18)}
.gd-table tbody tr.gd-picked{background:rgba(128,128,128,.26);font-weight:700}
.gd-table tbody tr.gd-picked th{opacity:1;box-shadow:inset 4px 0 0 currentColor}
.gd-table td.gd-note{text-align:left;white-space:normal;font-weight:600;padding:.65rem .85rem;
  border-top:3px solid __NOTE__}
</style>""".replace("__NOTE__", palette.LOSS)
TALL_TABLE_ROWS = 16


def scroll_table(table_html: str, *, label: str, rows: int) -> None:
    """Show a table built by ``core.tables.to_html`` in its own scrolling box.

    The box scrolls sideways on a phone (nothing is cut off) and, for long runs, downwards
    with a sticky header, so a 1000-step table does not push the rest of the page away.
    ``label`` names the region for screen readers; it must be plain app text.
    """
    tall = " gd-tall" if rows > TALL_TABLE_ROWS else ""
    region = f'<div class="gd-scroll{tall}" role="region" aria-label="{html.escape(label)}" tabindex="0">'
    st.html(f"{_TABLE_CSS}{region}{table_html}</div>")
