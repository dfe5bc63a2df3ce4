"""A bare Streamlit app: the baseline the benchmarks compare the explorer against.

The same "Learning rate" number_input as the explorer's sidebar (range, step and format
from core's bounds), a 2-point Plotly chart and ``gc.freeze()`` after the run — the hello-world
app issue #12 defines its targets against — nothing else. Whatever this costs is
Streamlit's own price for a rerun; the explorer's figures are quoted as a ratio to it.
Run it alone with ``streamlit run benchmarks/bare_app.py``.
"""

import gc

import plotly.graph_objects as go
import streamlit as st

lr = st.sidebar.number_input(
    "Learning rate", min_value=1e-4, max_value=10.0, value=0.1, step=0.01, format="%g", key="ctl_lr"
)
st.write("Hello, world!", lr)
st.plotly_chart(
    go.Figure(go.Scatter(x=[0, 1], y=[0, lr])), key="chart", config={"scrollZoom": False}, width="stretch"
)
gc.freeze()  # as the explorer does (ui/perf.py): imported modules out of the collector's sight
