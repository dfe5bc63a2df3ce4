"""Entry point: page config, the shared experiment controls and navigation — nothing else.

Run with ``streamlit run app.py``. Every page reads the one validated experiment that
the sidebar stores (see ``ui/controls.py``); the pages live in ``views/``.
"""

# The heavy modules are imported here, before any page: on a freshly woken server a whole
# class's sessions start their scripts at once, and threads importing pandas or Plotly side
# by side can see a half-initialised module ("partially initialized module 'pandas'").
# The first script run imports them fully while the others wait on Python's import lock.
import numpy  # noqa: F401  (imported for its side effect: fully loaded before any page)
import pandas  # noqa: F401
import plotly.graph_objects  # noqa: F401
import streamlit as st

from ui.freshness import reload_if_code_changed

# A push the server was not rebooted after: rerun on the new code whole, before importing any of it.
reload_if_code_changed()

from ui.accessibility import page_styles
from ui.cached import note_use
from ui.controls import finish_run, render_notices, render_sidebar, render_summary
from ui.lesson_builder import render_builder, render_preview_bar
from ui.link import start_run
from ui.perf import freeze_long_lived_objects
from ui.site import UNUSED_CONTROLS, favicon, pages
from ui.teacher import apply_link, finish_link, open_link, render_top

APP_TITLE = "Gradient descent, step by step"
# The icon before st.navigation: the browser takes the page's own icon (:material/…, fetched from
# Google's font server) for the tab unless one is already set. The page's title comes after it.
st.set_page_config(page_title=APP_TITLE, page_icon=favicon(), layout="wide")
page_styles()  # focus ring, readable chips (WCAG 2.1 AA) and the page-link guard: ui/accessibility.py


def _navigation() -> list[st.Page]:
    # "/" and "/step-table" both show the step table: Streamlit serves a default page only at
    # "/", so the shareable "/step-table" path is a second, hidden entry for the same script.
    return [
        st.Page("views/step_table.py", title="Step table", icon=":material/table_chart:", default=True),
        st.Page("views/loss_curve.py", title="Loss curve", icon=":material/show_chart:", url_path="loss-curve"),
        st.Page("views/loss_surface.py", title="Loss surface", icon=":material/landscape:", url_path="loss-surface"),
        st.Page(
            "views/many_parameters.py", title="Many parameters", icon=":material/hub:", url_path="many-parameters",
        ),
        st.Page(
            "views/step_table.py", title="Step table", icon=":material/table_chart:", url_path="step-table",
            visibility="hidden",
        ),
    ]


PAGES = pages(_navigation)  # built once per process (ui/site.py)

page = st.navigation(PAGES)
# Each page its own browser-tab title: a screen reader hears the page change, and tabs and history tell pages apart.
st.set_page_config(page_title=f"{page.title} · {APP_TITLE}")
note_use()  # the shared result caches are in use; emptied again once the class has gone
start_run()
link = open_link(page, PAGES)  # a teacher's link: hidden controls, note, lesson stop (may switch page)
unused = UNUSED_CONTROLS.get(page.url_path, frozenset())
experiment = render_sidebar(link.hidden | unused)
apply_link(link, experiment)
render_notices(experiment)
render_preview_bar(link)  # only during a teacher's student preview
render_top(link)
if not unused:  # a page with a model of its own states its own settings
    render_summary(experiment, link.hidden)
page.run()
finish_link(link, experiment)
finish_run(experiment, link.hidden | unused)  # the share link and the address bar, with the page's part
with st.sidebar:
    render_builder(link, experiment)  # the teacher's lesson-link builder, under the share link

freeze_long_lived_objects()  # after the first run, when every heavy module is imported
