"""The loss surface's top-down map in a real Chromium: its coloured fill survives Play and the slider,
and the order of the steps can be read off the map.

plotly.js's frame animation without a full redraw (``redraw: false``) re-plots only the traces a
frame touches and drops every other layer of the subplot: the contour's fill and lines vanished
after the first frame and never came back (issue #18, item 6). The map now redraws each frame, and
this test watches the fill's SVG shapes through Play and a slider move.

Uses the session fixtures ``app_server`` and ``browser`` (tests/conftest.py).
"""

from __future__ import annotations

import pytest

from tests.browser_support import DESKTOP, PHONE, console_errors, wait_for_app

pytestmark = pytest.mark.browser

MAP = "[data-testid=stMain] .gd-chart[aria-label^='Top-down']"
TIMEOUT_MS = 30_000
FILL_SHAPES = f"() => document.querySelectorAll(\"{MAP} .contourfill path\").length"
LINE_SHAPES = f"() => document.querySelectorAll(\"{MAP} .contourlines path\").length"
PATH_LENGTH = f"""() => {{
  const gd = document.querySelector("{MAP}");
  const trace = gd && gd._fullData && gd._fullData.find(t => String(t.name).startsWith('path'));
  return trace ? trace.x.length : -1;
}}"""
STEP_LABELS = f"""() => Array.from(document.querySelectorAll("{MAP} .textpoint text"), t => t.textContent.trim())"""


def _open_map(browser, base_url: str, viewport: dict, query: str):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(f"{base_url}/loss-surface?{query}&view=map")
    wait_for_app(page)
    page.wait_for_function(f"() => ({FILL_SHAPES})() > 0", timeout=TIMEOUT_MS)
    return context, page, errors


def _fill_and_lines(page) -> tuple[int, int]:
    return page.evaluate(FILL_SHAPES), page.evaluate(LINE_SHAPES)


def _slider_to(page, label: str) -> None:
    """Click the map's step slider at one of its step labels, as a student would."""
    chart = page.locator(MAP)
    chart.locator(".slider-rail-rect").first.scroll_into_view_if_needed()
    box = chart.locator(".slider-label", has_text=label).first.bounding_box()
    rail = chart.locator(".slider-rail-rect").first.bounding_box()
    assert box is not None and rail is not None
    page.mouse.click(box["x"] + box["width"] / 2, rail["y"] + rail["height"] / 2)


@pytest.mark.parametrize("lr", ["0.1", "0.5"])
def test_the_map_keeps_its_coloured_fill_after_play_and_the_slider(app_server: str, browser, lr: str) -> None:
    context, page, errors = _open_map(browser, app_server, DESKTOP, f"lr={lr}")
    try:
        fill, lines = _fill_and_lines(page)
        assert fill >= 10 and lines >= 10, (fill, lines)  # 12 bands of √loss, each a filled shape

        page.locator(MAP).locator(".updatemenu-button", has_text="Play").click()
        page.wait_for_function(f"() => ({PATH_LENGTH})() === 1", timeout=TIMEOUT_MS)  # from step 0 …
        assert _fill_and_lines(page) == (fill, lines)  # … the fill is there during Play …
        page.wait_for_function(f"() => ({PATH_LENGTH})() === 6", timeout=TIMEOUT_MS)  # … to the last step
        page.wait_for_timeout(600)
        assert _fill_and_lines(page) == (fill, lines)  # … and after it

        _slider_to(page, "2")
        page.wait_for_function(f"() => ({PATH_LENGTH})() === 3", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)
        assert _fill_and_lines(page) == (fill, lines)
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_bouncing_run_shows_the_order_of_its_steps(app_server: str, browser, viewport: dict) -> None:
    """At lr 0.5 the run jumps between (3, 4) and (0, 1): the two points say which steps landed there,
    and stepping back with the slider takes the later steps off the labels again."""
    context, page, errors = _open_map(browser, app_server, viewport, "lr=0.5")
    try:
        page.wait_for_function(f"() => ({STEP_LABELS})().length === 2", timeout=TIMEOUT_MS)
        assert sorted(page.evaluate(STEP_LABELS)) == ["steps 0, 2, 4", "steps 1, 3, 5"]
        chart = page.locator(MAP).bounding_box()
        assert chart is not None and chart["x"] + chart["width"] <= viewport["width"] + 1
        for label in page.locator(f"{MAP} .textpoint text").all():  # inside the plot, not cut off
            box = label.bounding_box()
            assert box is not None and chart["x"] <= box["x"] and box["x"] + box["width"] <= chart["x"] + chart["width"]

        _slider_to(page, "3")
        page.wait_for_function(f"() => ({PATH_LENGTH})() === 4", timeout=TIMEOUT_MS)
        page.wait_for_timeout(300)
        assert sorted(page.evaluate(STEP_LABELS)) == ["steps 0, 2", "steps 1, 3"]
        assert not errors, errors
    finally:
        context.close()


# Each label's box on screen without the en space on its point's side, and the landing star's.
LABEL_AND_STAR_BOXES = f"""() => {{
  const gd = document.querySelector("{MAP}");
  const labels = Array.from(gd.querySelectorAll('.textpoint text'), text => {{
    const box = text.getBoundingClientRect(), words = text.textContent;
    let left = box.left, right = box.right;
    if (words.startsWith('\\u2002')) left += text.getSubStringLength(0, 1);
    if (words.endsWith('\\u2002')) right -= text.getSubStringLength(words.length - 1, 1);
    return {{text: words.trim(), left, right, top: box.top, bottom: box.bottom}};
  }});
  const scatters = gd._fullData.filter(trace => trace.type === 'scatter');
  const index = scatters.findIndex(trace => String(trace.name).startsWith('landing point'));
  const star = gd.querySelectorAll('.scatterlayer .trace')[index].querySelector('.point').getBoundingClientRect();
  return {{labels, star: {{left: star.left, right: star.right, top: star.top, bottom: star.bottom}}}};
}}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("steps", ["5", "30"])
def test_step_labels_say_steps_and_stay_off_the_landing_star(app_server: str, browser, viewport: dict,
                                                             steps: str) -> None:
    """Phone playtest: "3, 4" beside a point read as the point (3, 4), and "5–30" sat on the landing star
    (lesson stop 5 runs 30 updates). Labels of several steps say "steps", and none covers the star."""
    context, page, errors = _open_map(browser, app_server, viewport, f"steps={steps}")
    try:
        page.wait_for_function(f"() => ({STEP_LABELS})().length === 5", timeout=TIMEOUT_MS)
        boxes = page.evaluate(LABEL_AND_STAR_BOXES)
        last = "5" if steps == "5" else "steps 5–30"
        assert [label["text"] for label in boxes["labels"]] == ["0", "1", "2", "steps 3, 4", last]
        star = boxes["star"]
        for label in boxes["labels"]:
            apart = (label["right"] <= star["left"] or star["right"] <= label["left"]
                     or label["bottom"] <= star["top"] or star["bottom"] <= label["top"])
            assert apart, (label, star)
        assert not errors, errors
    finally:
        context.close()
