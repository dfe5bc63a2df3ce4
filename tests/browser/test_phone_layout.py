"""A phone's width (390 px) in Chromium: the loss column in sight without a swipe, a chart toolbar that covers nothing.

The step table pins its row header (the step) to the left edge of its scrolling box and the loss
to the right edge (``core/words/tables.css``), so a student reads each step's loss without
swiping while a, b, y_pred, error and the gradients scroll between them. Plotly's mode bar sits in
a strip of its own above every chart (``ui/charts.css``), so it never lies over a legend, a colour
bar, the Play button or the plot itself, on any page, tab or width.
"""

from __future__ import annotations

import pytest
from browser_support import DESKTOP, PHONE, block_external_requests, console_errors, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000

# Every cell of the table's loss column and its row header, with where it is and what lies on
# top of its centre (elementFromPoint): a cell hidden under another, or scrolled out of its box,
# is not "in sight".
TABLE_LAYOUT_JS = """() => {
  const box = document.querySelector('[data-testid=stMain] .gd-scroll');
  const table = box.querySelector('table');
  let page = box.parentElement;  // the page's own scrolling element (Streamlit's, not the window)
  while (page && !(page.scrollHeight > page.clientHeight && /auto|scroll/.test(getComputedStyle(page).overflowY))) {
    page = page.parentElement;
  }
  const seen = cell => {
    let r = cell.getBoundingClientRect();
    if (page && (r.top < 100 || r.bottom > innerHeight)) {  // elementFromPoint sees only the viewport
      page.scrollTop += r.top - 200;
      r = cell.getBoundingClientRect();
    }
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return {text: cell.textContent.trim(), left: r.left, right: r.right,
            onTop: !!top && (top === cell || cell.contains(top))};
  };
  // The loss column found by its header, as a student finds it (not by the class that pins it).
  const column = [...table.querySelectorAll('thead th')].findIndex(th => th.textContent.trim() === 'Loss') + 1;
  const pinned = [...table.querySelectorAll(`thead th:nth-child(${column}), tbody tr > :nth-child(${column})`)];
  const plain = table.querySelector(`tbody tr:not(.gd-picked) > :nth-child(${column})`);
  const b = box.getBoundingClientRect();
  return {
    box: {left: b.left, right: b.right, scrollWidth: box.scrollWidth, clientWidth: box.clientWidth},
    viewport: innerWidth, pageScrollWidth: document.documentElement.scrollWidth,
    headers: [...table.querySelectorAll('thead th')].map(th => th.textContent.trim()),
    caption: table.querySelector('caption')?.textContent || '',
    pinned: pinned.map(seen),
    steps: [...table.querySelectorAll('tbody th[scope=row]')].map(seen),
    stickyBackground: plain && getComputedStyle(plain).backgroundColor,
    pageBackground: getComputedStyle(document.body).backgroundColor,
  };
}"""


def _phone_page(browser, scheme: str = "light"):
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    return context, context.new_page()


def _assert_in_sight(cells: list[dict], layout: dict, what: str) -> None:
    inside = (max(layout["box"]["left"], 0), min(layout["box"]["right"], layout["viewport"]))
    for cell in cells:
        assert inside[0] - 0.5 <= cell["left"] and cell["right"] <= inside[1] + 0.5, (what, cell, inside)
        assert cell["onTop"], f"{what} {cell['text']!r} is covered by another element"


@pytest.mark.parametrize(
    ("query", "scheme", "loss_column"),
    [
        ("", "light", ["Loss", "9.0000", "3.2400", "1.1664", "0.4199", "0.1512", "0.0544"]),
        ("?lr=0.6&steps=10", "dark", ["Loss", "9.0000", "17.6400", "34.5744", "67.7658", "132.8210", "260.3292",
                                       "510.2452", "1000.0806", "1960.1580", "3841.9097", "7530.1430"]),
    ],
)
def test_the_loss_column_is_in_sight_without_a_swipe(app_server, browser, query, scheme, loss_column) -> None:
    context, page = _phone_page(browser, scheme)
    errors = console_errors(page)
    try:
        page.goto(app_server + "/step-table" + query)
        wait_for_app(page)
        box = page.locator("[data-testid=stMain] .gd-scroll").first
        box.scroll_into_view_if_needed()
        layout = page.evaluate(TABLE_LAYOUT_JS)
        # The table is wider than the phone (its middle columns scroll in the box), the page is not.
        assert layout["box"]["scrollWidth"] > layout["box"]["clientWidth"]
        assert layout["pageScrollWidth"] <= layout["viewport"]
        # Headers and caption as before: the same table for a screen reader.
        assert layout["headers"] == ["Step", "a", "b", "y_pred", "error", "grad ∂a", "grad ∂b", "Loss"]
        assert layout["caption"].startswith("The training run step by step")
        assert [cell["text"] for cell in layout["pinned"]] == loss_column
        _assert_in_sight(layout["pinned"], layout, "Loss")
        _assert_in_sight(layout["steps"], layout, "Step")
        # Pinned cells are solid (the page's own colour), so the columns passing beneath never show through.
        assert layout["stickyBackground"] == layout["pageBackground"]
        # Swiped to the middle and to the far end, the step and its loss are still side by side in sight,
        # and the last middle column (grad ∂b) comes out whole beside the loss.
        for position in ("e => e.scrollLeft = e.scrollWidth / 3", "e => e.scrollLeft = e.scrollWidth"):
            box.evaluate(position)
            page.wait_for_timeout(100)
            layout = page.evaluate(TABLE_LAYOUT_JS)
            _assert_in_sight(layout["pinned"], layout, "Loss after a swipe")
            _assert_in_sight(layout["steps"], layout, "Step after a swipe")
        last_middle = page.evaluate(
            """() => { const th = [...document.querySelectorAll('[data-testid=stMain] .gd-table thead th')].at(-2);
                const pin = document.querySelector('[data-testid=stMain] .gd-table thead th.gd-pin');
                return [th.textContent, th.getBoundingClientRect().right, pin.getBoundingClientRect().left]; }"""
        )
        assert last_middle[0] == "grad ∂b" and last_middle[1] <= last_middle[2] + 0.5, last_middle
        assert errors == [], errors
    finally:
        context.close()


def test_the_points_table_and_your_turn_keep_the_step_in_sight(app_server, browser) -> None:
    """Several points: the loss is pinned too; Your turn's table (with its '?' cells) pins the same column."""
    context, page = _phone_page(browser)
    try:
        page.goto(app_server + "/step-table?data=1:4,2:5")
        wait_for_app(page)
        layout = page.evaluate(TABLE_LAYOUT_JS)
        assert layout["headers"] == ["Step", "a", "b", "grad ∂a", "grad ∂b", "Loss"]
        assert [cell["text"] for cell in layout["pinned"]][:3] == ["Loss", "17.0000", "1.6850"]
        _assert_in_sight(layout["pinned"], layout, "Loss")
        page.goto(app_server + "/step-table?predict=on&step=2")
        wait_for_app(page)
        layout = page.evaluate(TABLE_LAYOUT_JS)
        assert layout["pinned"][0]["text"] == "Loss" and layout["pinned"][-1]["text"] == "?"
        _assert_in_sight(layout["pinned"], layout, "Loss (Your turn)")
        _assert_in_sight(layout["steps"], layout, "Step (Your turn)")
    finally:
        context.close()


# --- Plotly's mode bar ------------------------------------------------------------------------

# Each displayed chart of the main area: its mode bar (shown as the pointer is over the chart) and
# everything Plotly drew that a student reads or presses.
CHART_PARTS_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .gd-chart')]
  .filter(plot => plot.offsetParent !== null).map(plot => {
    const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
    const parts = sel => [...plot.querySelectorAll(sel)].filter(e => e.getBoundingClientRect().width > 0).map(box);
    const bar = plot.querySelector('.modebar');
    return {label: plot.getAttribute('aria-label'), modebar: bar ? box(bar) : null,
            buttons: [...plot.querySelectorAll('.modebar-btn')].map(b => b.dataset.title),
            legend: parts('.legend'), figure: parts('.main-svg'),
            controls: parts('.updatemenu-container, .slider-container, .colorbar, .gtitle, .annotation')};
  })"""


def _overlap(a: list[float], b: list[float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _charts_of(page) -> list[dict]:
    """The open view's charts, once each is drawn (a tab's chart is sent by the rerun its click starts)."""
    page.wait_for_function(
        """() => { const shown = [...document.querySelectorAll('[data-testid=stMain] .gd-chart')]
                     .filter(c => c.offsetParent !== null);
                   return shown.length > 0
                     && shown.every(c => c.querySelector('.main-svg') && c.querySelector('.modebar')); }""",
        timeout=TIMEOUT_MS,
    )
    return page.evaluate(CHART_PARTS_JS)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390px", "1280px"])
def test_the_chart_toolbar_covers_nothing(app_server, browser, viewport) -> None:
    context = browser.new_context(viewport=viewport)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    page = context.new_page()
    errors = console_errors(page)
    seen: list[str] = []
    problems: list[str] = []
    try:
        for path in ("/loss-curve", "/loss-surface", "/many-parameters"):
            page.goto(app_server + path)
            wait_for_app(page)
            tabs = page.locator("[data-testid=stMain] [role=tab]")
            for index in range(max(tabs.count(), 1)):
                if tabs.count():
                    tabs.nth(index).click()
                    wait_for_app(page)
                for chart in _charts_of(page):
                    where = f"{path} {viewport['width']}px: {chart['label']}"
                    seen.append(where)
                    if "Share chart..." in chart["buttons"] or not chart["buttons"]:
                        problems.append(f"{where}: buttons {chart['buttons']}")
                    bar = chart["modebar"]
                    problems += [f"{where}: the toolbar {bar} covers the legend {legend}"
                                 for legend in chart["legend"] if _overlap(bar, legend)]
                    problems += [f"{where}: the toolbar {bar} covers {part}"
                                 for part in chart["figure"] + chart["controls"] if _overlap(bar, part)]
        assert not problems, "\n".join(problems)
        # Every page's charts were looked at: the curve's three views, the surface and the map, the network's two.
        assert len(seen) >= 7, seen
        assert errors == [], errors
    finally:
        context.close()
