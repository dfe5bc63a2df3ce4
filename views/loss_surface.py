"""Loss surface: the bowl of L(a, b), its valley of equally good answers, and the run's path.

Thin page: it reads the one experiment and shows what ``core.figures.surface`` built for
it (cached per experiment in ``ui.cached``). Stepping through the run is done by Plotly
in the browser, so it never reruns this script and a rotated 3D view stays as it is.
Both figures are drawn by ``ui.charts`` (plain plotly.js, updated in place): inside
``st.plotly_chart`` a turned camera snapped back at the next step. Only one 3D figure
lives on this page: browsers allow few WebGL contexts.
"""

from __future__ import annotations

import streamlit as st

from core.words import chart_text
from core.words.surface_notes import stepping_caption
from ui import cached, teacher, your_turn
from ui.charts import show_chart
from ui.components import prose
from ui.state import current_experiment

TABS = ["3D surface", "Top-down map"]
# The tabs widget (a link's view=3d|map opens one), and the plain key that keeps the open tab
# across page switches.
VIEW_KEY, VIEW_KEPT_KEY = teacher.TAB_KEYS["loss-surface"]
DRAWN_KEY = "loss_surface.drawn"  # the tabs whose chart has been sent in this session


def _tab_picked() -> None:
    """Remember the open tab in plain state (widget state is dropped while another page is shown)."""
    st.session_state[VIEW_KEPT_KEY] = st.session_state[VIEW_KEY]


experiment = current_experiment()
your_turn.keep_in_link()  # predict=on stays in the link on this page too
trajectory = cached.trajectory(experiment)

st.title("Loss surface")
st.markdown(
    "Every pair (a, b) has a loss. Drawn over a patch of (a, b) values, those losses form a "
    "surface; gradient descent walks downhill on it, one update at a time."
)

figure_column, notes_column = st.columns([2.6, 1], gap="large")
with figure_column:
    if VIEW_KEY not in st.session_state and st.session_state.get(VIEW_KEPT_KEY) in TABS:
        st.session_state[VIEW_KEY] = st.session_state[VIEW_KEPT_KEY]  # back from another page, or a link's view
    surface_tab, contour_tab = st.tabs(TABS, key=VIEW_KEY, on_change=_tab_picked)
    # A chart is sent once its tab has been opened, and from then on every run: a first view
    # carries only the open tab's figure (each is ~50-65 KB), while a turned 3D view or a
    # zoomed map still survives a trip to the other tab.
    drawn = st.session_state.setdefault(DRAWN_KEY, set())
    drawn.update(name for name, tab in zip(TABS, (surface_tab, contour_tab), strict=True) if tab.open)
    if TABS[0] in drawn:
        with surface_tab:
            show_chart(
                cached.surface_chart(experiment), key="surface3d", label="3D loss surface with the path of the run",
                description=chart_text.surface_chart(trajectory, three_d=True),
            )
    if TABS[1] in drawn:
        with contour_tab:
            show_chart(
                cached.contour_chart(experiment), key="surface_contour",
                label="Top-down map of the loss with the path of the run",
                description=chart_text.surface_chart(trajectory, three_d=False),
            )
    # True to what the charts offer: no Play or slider without an update, a last stop off the chart.
    st.caption(stepping_caption(cached.surface_scene_of(experiment)))

with notes_column:
    prose(*cached.surface_notes_of(experiment))  # one element for the notes (ui.components.prose)
