"""The loss surface on a touch phone: a swipe over a chart scrolls the page, and the charts still work.

A phone playtest (390 × 844, touch) found the page stuck under a finger: on the top-down map a swipe
was read as drag-to-zoom (the map zoomed into a strip and "Double-click to zoom back out" came up),
and on the 3D tab plotly.js turned the bowl with every finger and cancelled the page's scrolling, so
the 632 px tall figure could not be scrolled past. Now the map has no drag mode (zoom stays on the
mode bar's + / − buttons), and ``ui/charts.js`` keeps a swipe that sets off up or down from the 3D
scene, while a sideways one still turns the bowl.

Touches are real touch events, sent through Chromium's input pipeline with CDP
``Input.dispatchTouchEvent`` in a context with ``is_mobile`` and ``has_touch``, so the browser
decides itself whether the page scrolls. Uses the session fixtures ``app_server`` and ``browser``.
"""

from __future__ import annotations

import time

import pytest

from tests.browser_support import PHONE, block_external_requests, console_errors, wait_for_app

pytestmark = pytest.mark.browser

MAP = "[data-testid=stMain] .gd-chart[aria-label^='Top-down']"
BOWL = "[data-testid=stMain] .gd-chart[aria-label^='3D']"
TIMEOUT_MS = 60_000
SCROLL_TOP = "() => document.querySelector('[data-testid=stMain]').scrollTop"
MAP_RANGES = f"""() => {{
  const layout = document.querySelector("{MAP}")._fullLayout;
  return [...layout.xaxis.range, ...layout.yaxis.range];
}}"""
CAMERA_EYE = f"""() => {{
  const eye = document.querySelector("{BOWL}")._fullLayout.scene._scene.getCamera().eye;
  return [eye.x, eye.y, eye.z];
}}"""
SCENE_BOX = f"""() => {{
  const box = document.querySelector("{BOWL} #scene canvas").getBoundingClientRect();
  return {{x: box.x, y: box.y, width: box.width, height: box.height}};
}}"""


@pytest.fixture
def phone(browser):
    """A touch phone in the dark theme, as in the playtest."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, color_scheme="dark")
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    page = context.new_page()
    yield page, console_errors(page)
    context.close()


def _swipe(page, start: tuple[float, float], end: tuple[float, float], moves: int = 24) -> None:
    """One finger from ``start`` to ``end`` in small moves (a few px each, as a finger sends them)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": start[0], "y": start[1]}]})
    for i in range(1, moves + 1):
        x = start[0] + (end[0] - start[0]) * i / moves
        y = start[1] + (end[1] - start[1]) * i / moves
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        time.sleep(0.016)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()
    page.wait_for_timeout(700)  # the scroll settles; a turned scene redraws


def _open(page, url: str, chart: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.wait_for_selector(f"{chart} .main-svg", state="attached")
    page.wait_for_timeout(1000)
    page.locator(chart).scroll_into_view_if_needed()
    page.wait_for_timeout(300)


def test_a_swipe_on_the_map_scrolls_the_page_and_the_buttons_still_zoom(app_server: str, phone) -> None:
    page, errors = phone
    _open(page, f"{app_server}/loss-surface?view=map", MAP)
    ranges = page.evaluate(MAP_RANGES)
    box = page.locator(MAP).bounding_box()
    assert box is not None and box["height"] > 500  # most of the phone's height: hard to scroll around
    middle = (box["x"] + box["width"] / 2, min(box["y"] + box["height"] / 2, PHONE["height"] - 100))
    before = page.evaluate(SCROLL_TOP)
    _swipe(page, middle, (middle[0], middle[1] - 250))
    assert page.evaluate(SCROLL_TOP) > before + 100  # the page scrolled …
    assert page.evaluate(MAP_RANGES) == ranges  # … and the map did not zoom
    assert page.locator(".notifier-note").count() == 0  # no "Double-click to zoom back out"

    page.locator(MAP).scroll_into_view_if_needed()
    page.locator(f"{MAP} .modebar-btn[data-title='Zoom in']").tap()
    page.wait_for_function(f"() => ({MAP_RANGES})()[1] - ({MAP_RANGES})()[0] < {0.9 * (ranges[1] - ranges[0])}")
    assert not errors, errors


def test_a_swipe_up_over_the_bowl_scrolls_the_page_and_a_sideways_one_turns_it(app_server: str, phone) -> None:
    page, errors = phone
    _open(page, f"{app_server}/loss-surface?view=3d", BOWL)
    page.wait_for_function(f"() => ({CAMERA_EYE})().length === 3")
    eye = page.evaluate(CAMERA_EYE)
    scene = page.evaluate(SCENE_BOX)
    assert scene["height"] > 300  # the WebGL canvas fills the figure's width and most of its height
    y = min(scene["y"] + scene["height"] / 2, PHONE["height"] - 100)
    for x in (scene["x"] + scene["width"] / 2, scene["x"] + 12, scene["x"] + scene["width"] - 12):  # middle, margins
        before = page.evaluate(SCROLL_TOP)
        _swipe(page, (x, y), (x + 20, y - 250))  # up, a little slanted as a thumb goes
        assert page.evaluate(SCROLL_TOP) > before + 100, f"no scroll from x = {x}"
        assert page.evaluate(CAMERA_EYE) == pytest.approx(eye), f"the bowl turned from x = {x}"
        page.locator(BOWL).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        scene = page.evaluate(SCENE_BOX)
        y = min(scene["y"] + scene["height"] / 2, PHONE["height"] - 100)

    before = page.evaluate(SCROLL_TOP)
    _swipe(page, (scene["x"] + 60, y), (scene["x"] + scene["width"] - 60, y + 30))
    turned = page.evaluate(CAMERA_EYE)
    assert max(abs(a - b) for a, b in zip(turned, eye, strict=True)) > 0.05  # a finger still turns the bowl
    assert abs(page.evaluate(SCROLL_TOP) - before) <= 2  # without moving the page
    assert not errors, errors
