"""End to end in a real browser: Debian's Chromium, driven by Playwright, against ``streamlit run app.py``.

What a teacher and a class rely on, checked the way they use it: every page renders cleanly
on a laptop and a phone, a share link opens the right page with the right numbers, the
sidebar's learning rate reaches the URL, the table and the charts, switching pages keeps the
experiment, and stepping through the run on the loss surface keeps a turned 3D view.
The expected numbers come from ``core.maths.training.train``, formatted here to 4 decimals.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import (
    DESKTOP,
    PHONE,
    STATE_RECORDER,
    block_external_requests,
    console_errors,
    is_external,
    open_page,
    streamlit_server,
    surface_frame,
    wait_for_app,
)

from core.maths.experiment import Experiment
from core.maths.presets import PRESETS
from core.maths.training import train
from core.words.notation import read_cell

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000

# path → (title shown as the page's h1, selector of its main content)
PAGES = {
    "/": ("Every step of one training run", "[data-testid=stMain] table.gd-table"),
    "/step-table": ("Every step of one training run", "[data-testid=stMain] table.gd-table"),
    "/loss-curve": ("Loss curve", "[data-testid=stMain] .gd-chart .main-svg"),
    "/loss-surface": ("Loss surface", None),  # its 3D figure, drawn by WebGL: see surface_frame()
}

# Elements of the main area sticking out past the viewport's right edge, unless a scroll or
# clip box (overflow-x other than visible) inside the viewport holds them.
OVERFLOW_JS = """
() => {
  const width = document.documentElement.clientWidth;
  const main = document.querySelector('[data-testid=stMain]');
  const held = el => {
    for (let p = el.parentElement; p && p !== main; p = p.parentElement) {  // main itself scrolls: not a box
      const overflow = getComputedStyle(p).overflowX;
      if (overflow !== 'visible' && p.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of main.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
    if (getComputedStyle(el).visibility === 'hidden' || held(el)) continue;
    out.push(`${el.tagName.toLowerCase()}.${el.className}`.slice(0, 80) + ` right=${Math.round(box.right)}`);
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, mainScrollWidth: main.scrollWidth,
          mainClientWidth: main.clientWidth, width, out: out.slice(0, 8)};
}
"""

# The y values of every trace of the n-th Plotly chart in the main area, as plain arrays.
TRACES_JS = """
(index) => {
  const charts = document.querySelectorAll('[data-testid=stMain] .js-plotly-plot');
  const gd = charts[index];
  if (!gd || !gd._fullData) return null;
  return gd._fullData.map(t => ({name: t.name, y: t.y ? Array.from(t.y, Number) : []}));
}
"""


def fmt(value: float) -> str:
    """A number as the step table shows it on screen: 4 decimals, a real minus sign (the CSV keeps "-")."""
    return read_cell(value)


def expected_rows(**changes: object) -> list[dict[str, str]]:
    """The step table's a, b and loss per step, from core.maths.training, as the page must print them."""
    trajectory = train(Experiment().with_(**changes))
    return [
        {"a": fmt(a), "b": fmt(b), "loss": fmt(loss)}
        for a, b, loss in zip(trajectory.a, trajectory.b, trajectory.loss, strict=True)
    ]


def expected_loss(**changes: object) -> list[float]:
    return [float(v) for v in train(Experiment().with_(**changes)).loss]


@pytest.fixture
def new_page(browser):
    """A page in a fresh browser context (= a new Streamlit session); closed afterwards."""
    contexts = []

    def make(viewport: dict[str, int] = DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.set_default_timeout(TIMEOUT_MS)
        block_external_requests(context)
        context.add_init_script(STATE_RECORDER)
        contexts.append(context)
        page = context.new_page()
        errors = console_errors(page)
        return page, errors

    yield make
    for context in contexts:
        context.close()


def table_rows(page) -> list[dict[str, str]]:
    """The step table's rows as {header: cell text}, read from the HTML table on screen."""
    return page.evaluate(
        """() => {
          const table = document.querySelector('[data-testid=stMain] table.gd-table');
          const heads = [...table.querySelectorAll('thead th')].map(th => th.innerText.trim());
          return [...table.querySelectorAll('tbody tr')].map(tr => {
            const cells = [...tr.children].map(c => c.innerText.trim());
            return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
          });
        }"""
    )


def shown_rows(page) -> list[dict[str, str]]:
    return [{"a": row["a"], "b": row["b"], "loss": row["Loss"]} for row in table_rows(page)]


def sidebar_lr(page):
    return page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(
        has=page.locator("[data-testid=stWidgetLabel]", has_text=re.compile(r"^\s*Learning rate\s*$"))
    ).locator("input")


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def assert_clean(page, errors: list[str]) -> None:
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0, exceptions.first.inner_text()[:1000]
    assert errors == [], errors


def wait_for_loss_trace(page, chart: int, losses: list[float]) -> None:
    """Wait until the chart has a trace whose y values are ``losses`` (to 1e-9)."""
    page.wait_for_function(
        """([index, want]) => {
          const gd = document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')[index];
          if (!gd || !gd._fullData) return false;
          return gd._fullData.some(t => t.y && t.y.length === want.length
            && Array.from(t.y, Number).every((v, i) => Math.abs(v - want[i]) <= 1e-9 * Math.max(1, want[i])));
        }""",
        arg=[chart, losses],
        timeout=TIMEOUT_MS,
    )


# --- every page, laptop and phone ------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_cleanly(app_server, new_page, path, viewport):
    title, content = PAGES[path]
    page, errors = new_page(viewport)
    # Nothing is asked of another server (they are blocked here, so their errors are not counted):
    # with the page icon set after st.navigation, the tab's icon was fetched from Google's font CDN.
    external: list[str] = []
    page.on("request", lambda request: external.append(request.url) if is_external(request.url) else None)
    open_page(page, app_server + path)
    if content:
        page.wait_for_selector(content, state="attached")
    else:
        surface_frame(page)
    assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == title
    # The browser tab names the page (keyboard playtest: every page was "Gradient descent, step by step").
    nav_title = {"/loss-curve": "Loss curve", "/loss-surface": "Loss surface"}.get(path, "Step table")
    page.wait_for_function("t => document.title === t", arg=f"{nav_title} · Gradient descent, step by step")
    assert_clean(page, errors)
    assert external == []
    if viewport is PHONE:
        layout = page.evaluate(OVERFLOW_JS)
        assert layout["scrollWidth"] <= layout["width"] + 1, layout
        assert layout["mainScrollWidth"] <= layout["mainClientWidth"] + 1, layout
        assert layout["out"] == [], layout


# --- share links ----------------------------------------------------------------------------------


def test_share_link_opens_step_table_with_its_numbers(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/step-table?lr=0.4&steps=3")
    page.wait_for_selector("table.gd-table")
    rows = shown_rows(page)
    assert rows == expected_rows(lr=0.4, steps=3)
    assert rows[1]["a"] == "0.6000" and rows[1]["b"] == "1.6000"  # 3 − 0.4·6, 4 − 0.4·6
    assert urlparse(page.url).path == "/step-table"
    assert query(page)["lr"] == ["0.4"] and query(page)["steps"] == ["3"]
    assert float(sidebar_lr(page).input_value()) == 0.4
    assert_clean(page, errors)


def test_share_link_opens_loss_curve_with_its_numbers(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/loss-curve?lr=0.4&steps=6")
    page.wait_for_selector("[data-testid=stMain] .gd-chart .main-svg")
    wait_for_loss_trace(page, 0, expected_loss(lr=0.4, steps=6))
    assert urlparse(page.url).path == "/loss-curve"
    assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == "Loss curve"
    assert_clean(page, errors)


# --- the sidebar drives everything --------------------------------------------------------------


def type_learning_rate(page, value: str) -> None:
    field = sidebar_lr(page)
    field.fill(value)
    field.press("Enter")
    page.wait_for_function(
        "v => new URLSearchParams(location.search).get('lr') === v", arg=value, timeout=TIMEOUT_MS
    )
    wait_for_app(page)


def test_learning_rate_updates_url_table_and_charts(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/step-table")
    assert shown_rows(page) == expected_rows()

    type_learning_rate(page, "0.2")
    page.wait_for_function(
        "() => document.querySelector('table.gd-table tbody tr:nth-child(2) td')?.innerText.trim() === '1.8000'",
        timeout=TIMEOUT_MS,
    )
    assert shown_rows(page) == expected_rows(lr=0.2)
    assert query(page)["lr"] == ["0.2"]

    page.locator("[data-testid=stSidebarNav] a", has_text="Loss curve").click()
    page.wait_for_url(re.compile(r"/loss-curve\?"))
    wait_for_app(page)
    wait_for_loss_trace(page, 0, expected_loss(lr=0.2))

    type_learning_rate(page, "0.35")
    wait_for_loss_trace(page, 0, expected_loss(lr=0.35))
    assert urlparse(page.url).path == "/loss-curve"
    assert query(page)["lr"] == ["0.35"]
    assert_clean(page, errors)


def test_switching_pages_keeps_the_experiment(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/loss-curve?lr=0.3&steps=7")
    for title, path in (("Loss surface", "/loss-surface"), ("Step table", "/"), ("Loss curve", "/loss-curve")):
        page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
        page.wait_for_function("p => location.pathname === p", arg=path, timeout=TIMEOUT_MS)
        wait_for_app(page)
        page.wait_for_function(
            "() => new URLSearchParams(location.search).get('lr') === '0.3'", timeout=TIMEOUT_MS
        )
        assert query(page)["steps"] == ["7"], page.url
        assert float(sidebar_lr(page).input_value()) == 0.3
        assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == PAGES[path][0]
    page.locator("[data-testid=stSidebarNav] a", has_text="Step table").click()
    page.wait_for_selector("table.gd-table")
    assert shown_rows(page) == expected_rows(lr=0.3, steps=7)
    assert_clean(page, errors)


# --- content that runs only when asked for (tabs and expanders with on_change="rerun") -------------


def chart_trace_names(page) -> list[str]:
    return [trace["name"] for trace in page.evaluate(TRACES_JS, 0) or []]


def test_loss_curve_tabs_draw_their_chart_and_the_open_tab_survives_a_page_switch(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/loss-curve?lr=0.3")
    page.wait_for_selector("[data-testid=stMain] .gd-strip")
    assert "your rate 0.3" in page.locator("[data-testid=stMain] .gd-strip").first.inner_text()
    wait_for_loss_trace(page, 0, expected_loss(lr=0.3))
    assert page.locator("[data-testid=stMain] .js-plotly-plot").count() == 1  # closed tabs draw nothing

    page.get_by_role("tab", name="Learning rates side by side").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')].some(gd => gd._fullData"
        " && gd._fullData.some(t => t.name === 'your rate 0.3 (overshooting)'))",
        timeout=TIMEOUT_MS,
    )
    wait_for_app(page)
    assert "lr 0.6 (diverging)" in chart_trace_names(page)
    assert page.locator("[data-testid=stMain] [data-testid=stTable]").count() == 1  # steps to converge

    page.locator("[data-testid=stSidebarNav] a", has_text="Step table").click()
    page.wait_for_selector("table.gd-table")
    page.locator("[data-testid=stSidebarNav] a", has_text="Loss curve").click()
    page.wait_for_url(re.compile(r"/loss-curve\?"))
    wait_for_app(page)
    selected = page.get_by_role("tab", selected=True)
    assert selected.inner_text().strip() == "Learning rates side by side"
    page.wait_for_function("() => document.querySelector('[data-testid=stMain] [data-testid=stTable]')",
                           timeout=TIMEOUT_MS)
    assert_clean(page, errors)


def test_presets_open_on_demand_and_set_the_experiment(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/step-table")
    sidebar = page.locator("[data-testid=stSidebar]")
    assert sidebar.get_by_role("button", name="Overshooting 0.4").count() == 0  # closed: not even built
    sidebar.locator("[data-testid=stExpander] summary", has_text="Presets").click()
    sidebar.get_by_role("button", name="Overshooting 0.4").click()
    page.wait_for_function(
        "() => new URLSearchParams(location.search).get('lr') === '0.4'", timeout=TIMEOUT_MS
    )
    wait_for_app(page)
    overshoot = next(p for p in PRESETS if p.key == "overshoot").experiment
    page.wait_for_function(
        "a1 => document.querySelector('table.gd-table tbody tr:nth-child(2) td')?.innerText.trim() === a1",
        arg=fmt(train(overshoot).a[1]),
        timeout=TIMEOUT_MS,
    )
    assert float(sidebar_lr(page).input_value()) == 0.4
    assert_clean(page, errors)


def test_csv_download_matches_the_table(app_server, new_page):
    page, errors = new_page()
    open_page(page, app_server + "/step-table?lr=0.2&steps=3")
    page.wait_for_selector("table.gd-table")
    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("button", name="CSV").click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    trajectory = train(Experiment(lr=0.2, steps=3))
    assert rows[0][:3] == ["Step", "a", "b"]
    assert [row[1] for row in rows[1:]] == [f"{a:.4f}" for a in trajectory.a]  # the export's plain text
    assert download.value.suggested_filename == "step-table.csv"
    assert_clean(page, errors)


# --- charts are updated in place (ui.charts), in the page's theme and width ----------------------

def rgb(color: str) -> tuple[int, ...]:
    """(red, green, blue) of a CSS colour written as #rrggbb or rgb()/rgba()."""
    if color.startswith("#"):
        return tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(v)) for v in re.findall(r"[\d.]+", color)[:3])


def chart_layout(page) -> dict:
    return page.evaluate(
        """() => { const l = document.querySelector('[data-testid=stMain] .js-plotly-plot')._fullLayout;
                   return {width: l.width, font: l.font.color, paper: l.paper_bgcolor}; }"""
    )


@contextlib.contextmanager
def dark_page(browser):
    """A desktop page on the dark theme with its console errors; the context is closed afterwards."""
    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    try:
        page = context.new_page()
        yield page, console_errors(page)
    finally:
        context.close()


def test_charts_update_in_place_and_follow_theme_and_width(app_server, browser):
    with dark_page(browser) as (page, errors):
        open_page(page, app_server + "/loss-curve")
        wait_for_loss_trace(page, 0, expected_loss())
        layout = chart_layout(page)
        assert min(rgb(layout["font"])) > 180, layout  # light text on Streamlit's dark theme
        assert layout["paper"] in ("rgba(0, 0, 0, 0)", "rgba(0,0,0,0)"), layout

        page.evaluate("() => { document.querySelector('[data-testid=stMain] .js-plotly-plot').__kept = 1; }")
        type_learning_rate(page, "0.35")
        wait_for_loss_trace(page, 0, expected_loss(lr=0.35))
        assert page.evaluate("() => document.querySelector('[data-testid=stMain] .js-plotly-plot').__kept") == 1

        page.set_viewport_size({"width": 900, "height": 900})
        page.wait_for_function(
            "w => document.querySelector('[data-testid=stMain] .js-plotly-plot')._fullLayout.width < w - 100",
            arg=layout["width"],
        )

        page.locator("[data-testid=stSidebarNav] a", has_text="Loss surface").click()
        page.wait_for_function("() => location.pathname === '/loss-surface'")
        wait_for_app(page)
        page.get_by_role("tab", name="Top-down map").click()
        page.wait_for_function(
            "() => { const gd = document.querySelector('[data-testid=stMain] .gd-chart[aria-label^=\"Top-down\"]');"
            " return gd && gd._fullLayout && gd.querySelector('.main-svg')"
            " && Math.abs(gd._fullLayout.width - gd.clientWidth) < 2 && gd.clientWidth > 200; }"
        )
        assert_clean(page, errors)


def test_a_sixth_compared_rate_is_drawn_in_the_themes_text_colour_on_dark(app_server, browser):
    """The palette's last comparison colour is ink: plain black vanished on the dark theme (playtest)."""
    with dark_page(browser) as (page, errors):
        open_page(page, app_server + "/loss-curve")
        page.get_by_role("tab", name="Learning rates side by side").click()
        wait_for_app(page)
        for rate in ("0.3", "0.05"):  # after the four presets: the fifth and the sixth other rate
            field = page.get_by_label("Another learning rate")
            field.fill(rate)
            field.press("Enter")
            wait_for_app(page)
            page.get_by_role("button", name="Add", exact=True).click()
            wait_for_app(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stMain] .js-plotly-plot')].some(gd => gd._fullData"
            " && gd._fullData.some(t => t.name === 'lr 0.05 (smooth)'))",
            timeout=TIMEOUT_MS,
        )
        colours = page.evaluate(
            "() => Object.fromEntries(document.querySelector('[data-testid=stMain] .js-plotly-plot')._fullData"
            ".filter(t => t.mode === 'lines+markers').map(t => [t.name, t.line.color]))"
        )
        assert min(rgb(colours["lr 0.05 (smooth)"])) > 180, colours  # light, as the text is
        assert len(set(colours.values())) == len(colours), colours
        # The address bar holds the rates added, so the link shares this very chart.
        page.wait_for_function("() => new URLSearchParams(location.search).get('compare') !== null")
        query = parse_qs(urlparse(page.url).query)
        assert query["compare"] == ["small,one_step,overshoot,diverge,0.3,0.05"], page.url
        assert_clean(page, errors)


# --- a freshly started server --------------------------------------------------------------------


def test_cold_start_deep_link_shows_the_right_page(browser):
    """The first visitor after a server start opens a share link to /loss-curve: no dialog at all.

    With a ``pages/`` folder beside the entry script, Streamlit 1.67 resolved the first
    sessions' deep links the old way before ``st.navigation`` had run (issues 8860 / 9992) and
    showed a "Page not found" dialog over the page. The pages live in ``views/`` so that never
    happens; tests/server/ checks the same for a whole class arriving at once.
    """
    with streamlit_server() as base_url:
        context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        block_external_requests(context)
        try:
            page = context.new_page()
            open_page(page, base_url + "/loss-curve?lr=0.4&steps=6")
            page.wait_for_selector("[data-testid=stMain] .gd-chart .main-svg")
            wait_for_loss_trace(page, 0, expected_loss(lr=0.4, steps=6))
            assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == "Loss curve"
            assert urlparse(page.url).path == "/loss-curve"
            assert page.locator("[data-testid=stException]").count() == 0
            dialogs = page.locator("[role=dialog]")
            assert dialogs.count() == 0, [dialogs.nth(i).inner_text() for i in range(dialogs.count())]
            assert page.get_by_text("Page not found").count() == 0
        finally:
            context.close()

