"""The many-parameters page in a real Chromium: the fit is drawn, Play runs in the browser, unused controls are gone.

Uses the session fixtures ``app_server`` and ``browser`` (tests/conftest.py, tests/browser_support.py):
skipped locally without Chromium, required in CI.
"""

from __future__ import annotations

import re

import pytest

from tests.browser_support import (
    DESKTOP,
    PHONE,
    console_errors,
    query,
    record_reruns,
    sidebar_field,
    wait_for_app,
)

pytestmark = pytest.mark.browser

FIT = ".js-plotly-plot"  # the first chart on the page is the fit
DRAW_TIMEOUT_MS = 30_000
SHOWN_STEP = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const caption = gd && gd.data && gd.data[3] && gd.data[3].text;
  return caption ? String(caption[0]) : null;
}"""
CURVE_Y = "() => Array.from(document.querySelector('.js-plotly-plot')._fullData[2].y, Number)"
CURVE_NAME = "() => document.querySelector('.js-plotly-plot').data[2].name"


def _open(browser, base_url: str, viewport: dict, query: str, runs: list[str] | None = None):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = console_errors(page)
    if runs is not None:
        record_reruns(page, runs)
    page.goto(f"{base_url}/many-parameters{query}")
    wait_for_app(page)
    page.wait_for_function(f"() => ({SHOWN_STEP})() !== null", timeout=DRAW_TIMEOUT_MS)
    return context, page, errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_fit_is_drawn_and_fits_the_screen(app_server: str, browser, viewport: dict) -> None:
    context, page, errors = _open(browser, app_server, viewport, "?lr=0.2&steps=200")
    try:
        assert page.evaluate(SHOWN_STEP).startswith("step 200 · loss ")
        assert page.evaluate(CURVE_NAME) == "network"
        fit = page.locator(FIT).first
        assert fit.locator(".legendtext", has_text="40 points").count() == 1
        assert fit.locator(".scatterlayer .trace").count() == 4  # points, target, curve, caption
        box = fit.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        assert not errors, errors
    finally:
        context.close()


def test_play_walks_the_run_without_a_rerun(app_server: str, browser) -> None:
    runs: list[str] = []
    context, page, errors = _open(browser, app_server, DESKTOP, "?lr=0.2&steps=200&units=4", runs)
    try:
        assert runs, "the page's own first run was not seen on the websocket"
        opened_with = len(runs)
        page.locator(FIT).first.locator(".updatemenu-button", has_text="Play").click()
        page.wait_for_function(f"() => ({SHOWN_STEP})().startsWith('step 0 ')", timeout=DRAW_TIMEOUT_MS)
        start = page.evaluate(CURVE_Y)
        page.wait_for_function(f"() => ({SHOWN_STEP})().startsWith('step 200 ')", timeout=DRAW_TIMEOUT_MS)
        end = page.evaluate(CURVE_Y)
        assert len(start) == len(end) == 161 and start != end  # the curve itself moved
        page.wait_for_timeout(500)
        assert runs[opened_with:] == []  # Play never reran the page
        assert not errors, errors
    finally:
        context.close()


def test_pause_in_the_middle_of_play_stops_quietly(app_server: str, browser) -> None:
    # plotly.js rejects an interrupted animation's promise with no reason; uncaught, it was an error
    # in the page on every Pause (a playtest's find; the loss surface's Play shared it).
    context, page, errors = _open(browser, app_server, DESKTOP, "?lr=0.2&steps=1000")
    try:
        buttons = page.locator(FIT).first.locator(".updatemenu-button")
        buttons.filter(has_text="Play").click()
        page.wait_for_function(f"() => !({SHOWN_STEP})().startsWith('step 1000 ')", timeout=DRAW_TIMEOUT_MS)
        page.wait_for_timeout(300)
        buttons.filter(has_text="Pause").click()
        page.wait_for_timeout(1000)
        paused = page.evaluate(SHOWN_STEP)
        page.wait_for_timeout(500)
        assert page.evaluate(SHOWN_STEP) == paused and not paused.startswith("step 1000 ")  # it stopped
        assert not errors, errors
    finally:
        context.close()


def test_controls_that_do_nothing_here_are_not_shown(app_server: str, browser) -> None:
    context, page, errors = _open(browser, app_server, DESKTOP, "?a=2")
    try:
        sidebar = page.locator("[data-testid=stSidebar]")
        labels = [text.strip() for text in sidebar.locator("[data-testid=stWidgetLabel]").all_inner_texts()]
        assert "Learning rate" in labels and "Steps (updates)" in labels
        for unused in ("x", "y_true", "Start a", "Start b"):
            assert unused not in labels
        assert sidebar.get_by_text(re.compile("Hand calculation")).count() == 0
        assert sidebar.get_by_text("Presets").count() == 0
        # The page's own controls are in the page, working.
        main = page.locator("[data-testid=stMain]")
        assert main.get_by_text("Hidden units", exact=True).count() == 1
        assert "a=2" in page.url  # hidden, not lost: the link still holds the line's start
        assert not errors, errors
    finally:
        context.close()


def test_the_line_controls_come_back_with_their_values_after_this_page(app_server: str, browser) -> None:
    """This page leaves out the data and the starts; on the next page they must hold their values.

    Found by a teacher's playtest: the fields came back empty in the browser (Streamlit sends a
    re-created widget's value only when code set it that run), so the next change anywhere sent
    zeros back: x = 0, y_true = 0, a = 0, b = 0.
    """
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors = console_errors(page)
    try:
        page.goto(f"{app_server}/loss-surface?data=1:5&a=2&b=-1&steps=7")
        wait_for_app(page)
        for title, path in (("Many parameters", "/many-parameters"), ("Loss curve", "/loss-curve")):
            page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
            page.wait_for_function("p => location.pathname === p", arg=path, timeout=DRAW_TIMEOUT_MS)
            wait_for_app(page)
        fields = {label: sidebar_field(page, label) for label in ("x", "y_true", "Start a", "Start b")}
        assert {label: field.input_value() for label, field in fields.items()} == {
            "x": "1", "y_true": "5", "Start a": "2", "Start b": "-1"}
        steps = page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(has_text="Steps")
        steps.locator("button").last.click()  # "+": any change reruns with every field's value
        page.wait_for_function("() => new URLSearchParams(location.search).get('steps') === '8'",
                               timeout=DRAW_TIMEOUT_MS)
        wait_for_app(page)
        shown = query(page)
        assert (shown.get("data"), shown.get("a"), shown.get("b")) == ("1:5", "2", "-1"), page.url
        assert fields["x"].input_value() == "1" and fields["Start a"].input_value() == "2"
        assert not errors, errors
    finally:
        context.close()


BOX = """sel => { const e = document.querySelector('.js-plotly-plot').querySelector(sel);
  if (!e) return null; const r = e.getBoundingClientRect();
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; }"""
# Plotly draws the slider's "step N" as the slider group's own text, its tick numbers in label groups.
SLIDER_TEXT = """() => { const gd = document.querySelector('.js-plotly-plot');
  const label = gd.querySelector('.slider-label-group text');
  return {value: (gd.querySelector('.slider-group > text.slider-label') || {}).textContent || '',
          labels: Array.from(gd.querySelectorAll('.slider-label-group text'), e => e.textContent),
          fill: label ? getComputedStyle(label).fill : ''}; }"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_step_slider_reads_and_clears_the_x_axis(app_server: str, browser, viewport: dict) -> None:
    """Playtest find: ticks without numbers and no "step N"; on a phone the x axis's title sat beside Pause."""
    context, page, errors = _open(browser, app_server, viewport, "")
    try:
        slider = page.evaluate(SLIDER_TEXT)
        assert slider["value"].strip() == "step 5" and slider["labels"] == ["0", "1", "2", "3", "4", "5"], slider
        assert slider["fill"] not in ("rgba(0, 0, 0, 0)", "transparent"), slider
        title, buttons = page.evaluate(BOX, ".g-xtitle"), page.evaluate(BOX, ".updatemenu-container")
        assert title is not None and buttons is not None
        assert title["bottom"] <= buttons["top"], (title, buttons)  # the buttons start below the title
        page.locator(FIT).first.locator(".updatemenu-button", has_text="Play").click()
        page.wait_for_function(f"() => ({SLIDER_TEXT})().value.trim() === 'step 0'", timeout=DRAW_TIMEOUT_MS)
        assert not errors, errors
    finally:
        context.close()


MARKS = """() => { const gd = document.querySelector('.js-plotly-plot');
  const trace = gd.querySelectorAll('.scatterlayer .trace')[4];
  return trace ? trace.querySelectorAll('.point').length : -1; }"""


def test_a_curve_that_leaves_the_chart_is_marked_at_the_edge(app_server: str, browser) -> None:
    """Playtest find: at lr = 10 with 64 units the curve vanished and the legend still said "network"."""
    context, page, errors = _open(browser, app_server, PHONE, "?lr=10&steps=1000&units=64")
    try:
        fit = page.locator(FIT).first
        assert fit.locator(".legendtext", has_text="network left the chart at step 3").count() == 1
        assert page.evaluate(MARKS) == 17  # arrowheads along the edge at the last step (all below the chart)
        fit.locator(".slider-container").first.focus()
        page.keyboard.press("Home")  # step 0: the curve is on the chart, the arrowheads must go
        page.wait_for_function(f"() => ({SHOWN_STEP})().startsWith('step 0 ')", timeout=DRAW_TIMEOUT_MS)
        page.wait_for_function(f"() => ({MARKS})() === 0", timeout=DRAW_TIMEOUT_MS)
        page.keyboard.press("End")
        page.wait_for_function(f"() => ({MARKS})() === 17", timeout=DRAW_TIMEOUT_MS)
        assert not errors, errors
    finally:
        context.close()


# --- the phone playtest (390 × 844): the loss note, the code boxes, the tables ------------------------

LOSS_NOTE = """() => { const gd = document.querySelectorAll('.js-plotly-plot')[1];
  const box = e => { const r = e.getBoundingClientRect(); return {left: r.left, right: r.right, top: r.top,
                                                                  bottom: r.bottom}; };
  const note = gd.querySelector('.annotation');
  return {note: note && box(note), text: note && note.textContent, plot: box(gd.querySelector('.nsewdrag')),
          type: gd.layout.yaxis.type}; }"""


def _note_inside_plot(page) -> dict:
    shown = page.evaluate(LOSS_NOTE)
    note, plot = shown["note"], shown["plot"]
    assert note is not None, shown
    assert plot["left"] - 0.5 <= note["left"] and note["right"] <= plot["right"] + 0.5, shown
    assert plot["top"] - 0.5 <= note["top"] and note["bottom"] <= plot["bottom"] + 0.5, shown
    return shown


def test_a_diverging_runs_loss_note_is_read_whole_inside_the_plot(app_server: str, browser) -> None:
    """Playtest: the note hung off the plot's left edge on a phone ("ed", "verged") over the top tick."""
    context, page, errors = _open(browser, app_server, PHONE, "?lr=10&steps=1000&units=64")
    try:
        shown = _note_inside_plot(page)
        assert shown["type"] == "log" and shown["text"] == "stopped after step 4: diverged"  # opens on log
        page.locator("[data-testid=stMain] [data-testid=stButtonGroup] button", has_text="linear").click()
        page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot')[1].layout.yaxis.type === 'linear'",
                               timeout=DRAW_TIMEOUT_MS)
        page.wait_for_timeout(300)
        shown = _note_inside_plot(page)
        assert shown["text"] == "× left the chart at step 1stopped after step 4: diverged", shown
        assert not errors, errors
    finally:
        context.close()


CODE_LINES = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stCode] code')].map(code =>
  [...code.children].map(line => {
    const range = document.createRange(); range.selectNodeContents(line);
    const rects = [...range.getClientRects()].filter(r => r.width > 0);
    const tops = [...new Set(rects.map(r => Math.round(r.top)))].sort((a, b) => a - b);
    const lefts = tops.map(top => Math.min(...rects.filter(r => Math.round(r.top) === top).map(r => r.left)));
    return {text: line.textContent.replace(/\\n$/, ''), rows: tops.length, lefts,
            box: code.getBoundingClientRect().left, ch: parseFloat(getComputedStyle(code).fontSize) * 0.6};
  }))"""


@pytest.mark.parametrize("width", [390, 320])
def test_the_loops_code_reads_on_a_phone(app_server: str, browser, width: int) -> None:
    """Playtest: "grad_a, grad_b =" / "compute_gradients(" wrapped back to the box's left edge and read
    as a line of its own. At 390 px no line wraps; narrower, a wrapped line hangs under its own start."""
    context, page, errors = _open(browser, app_server, {"width": width, "height": 844}, "")
    try:
        boxes = page.evaluate(CODE_LINES)
        assert len(boxes) == 2, boxes
        lines = [line for box in boxes for line in box]
        assert [line["text"] for line in lines if line["text"].strip().startswith("# 4.")] == [
            "    # 4. update both at once", "    # 4. update all 25 at once"]
        wrapped = [line for line in lines if line["rows"] > 1]
        if width == 390:
            assert wrapped == [], wrapped
        assert wrapped or width == 390  # at 320 px some do wrap, and must hang
        for line in wrapped:
            hang = [left - line["box"] for left in line["lefts"][1:]]
            assert all(indent >= 7.5 * line["ch"] for indent in hang), line
        assert not errors, errors
    finally:
        context.close()


TABLES = """() => [...document.querySelectorAll('[data-testid=stMain] .gd-scroll')].map(box => {
  const b = box.getBoundingClientRect();
  const cells = [...box.querySelectorAll('tbody tr:first-child > *')].map(cell => {
    const r = cell.getBoundingClientRect();
    return {text: cell.textContent, seen: r.left >= b.left - 0.5 && r.right <= b.right + 0.5,
            align: getComputedStyle(cell).textAlign};
  });
  return {headers: [...box.querySelectorAll('thead th')].map(th => th.textContent),
          scrolls: box.scrollWidth > box.clientWidth + 1, cells}; })"""


def test_both_tables_read_on_a_phone(app_server: str, browser) -> None:
    """Playtest: the sizes table cut its right-aligned words mid-word ("reads har"); the parameter table
    kept "What it is" off to the right and wrote "-0.9212" where the sentences write "−0.9212"."""
    context, page, errors = _open(browser, app_server, PHONE, "")
    try:
        parameters, sizes = page.evaluate(TABLES)
        assert parameters["headers"][:3] == ["Parameter", "What it is", "Value"]
        role = parameters["cells"][1]
        assert role["seen"] and role["align"] == "left", parameters  # in sight before any swipe
        assert not [cell["text"] for cell in parameters["cells"][2:] if "-" in cell["text"]], parameters
        assert sizes["headers"] == ["Model", "Parameters", "What it does", "Year"]
        assert not sizes["scrolls"] and all(cell["seen"] for cell in sizes["cells"]), sizes  # all of it fits
        assert [cell["align"] for cell in sizes["cells"]] == ["left", "right", "left", "right"], sizes
        assert not errors, errors
    finally:
        context.close()
