"""The loss-surface page in a real Chromium: the WebGL surface is drawn, and stepping stays in the browser.

The 3D figure is drawn by plain plotly.js in the page itself (``ui.charts``) and updated in place
on a rerun. Uses the session fixtures ``app_server`` and
``browser`` (tests/conftest.py, tests/browser_support.py): skipped locally without Chromium,
required in CI.
WebGL runs on SwiftShader there, so waits are generous.
"""

from __future__ import annotations

import io
import re

import pytest

from tests.browser_support import DESKTOP, PHONE, console_errors, record_reruns, wait_for_app

pytestmark = pytest.mark.browser

PLOT = ".js-plotly-plot"
GL_CANVAS = f"{PLOT} #scene canvas"
DRAW_TIMEOUT_S = 30

# Watches Streamlit's script state from now on: any rerun shows up as "running".
RECORD_FRAMES = """() => {
  window.__frames = [];
  document.querySelector('.js-plotly-plot').on('plotly_animatingframe', e => window.__frames.push(String(e.name)));
}"""
PATH_LENGTH = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  const i = gd._fullData.findIndex(t => String(t.name).startsWith('path'));
  return gd._fullData[i].x.length;
}"""
PATH_X = """() => {
  const gd = document.querySelector('.js-plotly-plot');
  return Array.from(gd._fullData.find(t => String(t.name).startsWith('path')).x, Number);
}"""
CAMERA_EYE = "() => document.querySelector('.js-plotly-plot')._fullLayout.scene.camera.eye"


def _canvas_pixels(frame) -> tuple[float, int]:
    """(share of pixels unlike the background, number of distinct colours) of the WebGL canvas."""
    from PIL import Image

    image = Image.open(io.BytesIO(frame.locator(GL_CANVAS).first.screenshot())).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height) or []
    background = max(colours)[1]
    unlike = sum(
        count for count, colour in colours if sum(abs(c - b) for c, b in zip(colour, background, strict=True)) > 30
    )
    return unlike / (image.width * image.height), len(colours)


def _wait_until_drawn(page, frame) -> tuple[float, int]:
    """Poll the canvas until the surface is on it (SwiftShader can take seconds)."""
    share, colours = 0.0, 0
    for _ in range(DRAW_TIMEOUT_S * 2):
        share, colours = _canvas_pixels(frame)
        if share > 0.1 and colours > 300:
            break
        page.wait_for_timeout(500)
    return share, colours


def _open(browser, base_url: str, viewport: dict, query: str = "", runs: list[str] | None = None):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    errors = console_errors(page)
    if runs is not None:
        record_reruns(page, runs)
    page.goto(f"{base_url}/loss-surface{query}")
    wait_for_app(page)
    frame = page.main_frame  # the helpers below take a frame: the page's own document holds the plot
    frame.wait_for_selector(GL_CANVAS, timeout=DRAW_TIMEOUT_S * 1000)
    return context, page, frame, errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_surface_is_drawn_and_fits(app_server: str, browser, viewport: dict) -> None:
    context, page, frame, errors = _open(browser, app_server, viewport)
    try:
        share, colours = _wait_until_drawn(page, frame)
        assert share > 0.1, f"WebGL canvas looks blank: {share:.1%} non-background"
        assert colours > 300, f"only {colours} colours: the colour-graded surface is missing"
        # Nothing sticks out sideways, even at 390 px.
        box = frame.locator(PLOT).first.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        surface_chart = frame.locator(PLOT).first
        assert surface_chart.locator(".legendtext", has_text="valley a + b = 4: loss 0").count() == 1
        assert not errors, errors
    finally:
        context.close()


def _turn_the_surface(page, frame) -> dict:
    """Drag across the canvas as a student would; returns the camera eye Plotly then shows."""
    canvas = frame.locator(GL_CANVAS).first.bounding_box()
    assert canvas is not None
    x, y = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 120, y + 10, steps=8)
    page.mouse.up()
    page.wait_for_timeout(500)
    return frame.evaluate(CAMERA_EYE)


def _step_to(page, frame, label: str) -> None:
    """Click the step slider at one of its step labels."""
    chart = frame.locator(PLOT).first
    chart.locator(".slider-rail-rect").first.scroll_into_view_if_needed()
    box = chart.locator(".slider-label", has_text=label).first.bounding_box()
    rail = chart.locator(".slider-rail-rect").first.bounding_box()
    assert box is not None and rail is not None
    page.mouse.click(box["x"] + box["width"] / 2, rail["y"] + rail["height"] / 2)


def test_stepping_runs_in_the_browser_without_a_rerun(app_server: str, browser) -> None:
    runs: list[str] = []
    context, page, frame, errors = _open(browser, app_server, DESKTOP, runs=runs)
    try:
        _wait_until_drawn(page, frame)
        assert frame.evaluate(PATH_LENGTH) == 6  # the whole path (steps 0 … 5) to begin with
        assert runs, "the page's own first run was not seen on the websocket"
        opened_with = len(runs)
        _step_to(page, frame, "2")  # the path is redrawn up to step 2
        frame.wait_for_function(f"() => ({PATH_LENGTH})() === 3", timeout=DRAW_TIMEOUT_S * 1000)
        # Play's frames, as Plotly draws them: waiting to see the one-point path itself missed it on a
        # loaded CI machine (it is on screen for one frame's time).
        frame.evaluate(RECORD_FRAMES)
        frame.locator(PLOT).first.locator(".updatemenu-button", has_text="Play").click()
        frame.wait_for_function(f"() => ({PATH_LENGTH})() === 6", timeout=DRAW_TIMEOUT_S * 1000)
        frame.wait_for_function("() => window.__frames.includes('5')", timeout=DRAW_TIMEOUT_S * 1000)
        frames = frame.evaluate("() => window.__frames")
        assert frames[0] == "0" and frames[-1] == "5", frames  # from step 0 to the end
        page.wait_for_timeout(1000)
        assert runs[opened_with:] == []  # no Streamlit rerun at all
        assert not errors, errors
    finally:
        context.close()


def test_stepping_keeps_a_turned_camera(app_server: str, browser) -> None:
    context, page, frame, _ = _open(browser, app_server, DESKTOP)
    try:
        _wait_until_drawn(page, frame)
        turned = _turn_the_surface(page, frame)
        assert turned != {"x": 0.66, "y": -1.95, "z": 1.05}
        _step_to(page, frame, "2")
        frame.wait_for_function(f"() => ({PATH_LENGTH})() === 3", timeout=DRAW_TIMEOUT_S * 1000)
        page.wait_for_timeout(500)
        eye = frame.evaluate(CAMERA_EYE)
        for axis in "xyz":
            assert eye[axis] == pytest.approx(turned[axis], abs=1e-6)
    finally:
        context.close()


def test_a_diverging_run_is_labelled_where_it_leaves(app_server: str, browser) -> None:
    context, page, frame, errors = _open(browser, app_server, PHONE, "?lr=0.6&steps=50")
    try:
        _wait_until_drawn(page, frame)
        page.get_by_text("This run diverges").wait_for()
        surface_chart = frame.locator(PLOT).first
        assert surface_chart.locator(".annotation-text", has_text="left the window after step 3").count() == 1
        assert not errors, errors
    finally:
        context.close()


def test_a_new_learning_rate_redraws_in_place_and_keeps_a_turned_camera(app_server: str, browser) -> None:
    """A rerun hands the new path to Plotly.react: same plot, same WebGL scene, the student's view kept."""
    context, page, frame, errors = _open(browser, app_server, DESKTOP)
    try:
        _wait_until_drawn(page, frame)
        turned = _turn_the_surface(page, frame)
        assert turned != {"x": 0.66, "y": -1.95, "z": 1.05}
        first_x = frame.evaluate(PATH_X)
        page.evaluate("() => { document.querySelector('.js-plotly-plot').__kept = true; }")
        field = page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(
            has=page.locator("[data-testid=stWidgetLabel]", has_text=re.compile(r"^\s*Learning rate\s*$"))
        ).locator("input")
        field.fill("0.2")
        field.press("Enter")
        frame.wait_for_function(f"x0 => ({PATH_X})()[1] !== x0[1]", arg=first_x, timeout=DRAW_TIMEOUT_S * 1000)
        assert page.evaluate("() => document.querySelector('.js-plotly-plot').__kept") is True
        page.wait_for_timeout(500)
        eye = frame.evaluate(CAMERA_EYE)
        for axis in "xyz":
            assert eye[axis] == pytest.approx(turned[axis], abs=1e-6)
        assert not errors, errors
    finally:
        context.close()


def test_a_first_view_sends_one_chart_and_a_turned_view_survives_the_map(app_server: str, browser) -> None:
    """Only the open tab's chart comes with a first view; the map comes when its tab is opened, and
    the 3D chart, once sent, stays: a turned camera is still turned after a trip to the map and back."""
    context, page, frame, errors = _open(browser, app_server, DESKTOP)
    try:
        _wait_until_drawn(page, frame)
        assert page.locator("[data-testid=stMain] .gd-chart").count() == 1  # the map is not sent yet
        turned = _turn_the_surface(page, frame)
        assert turned != {"x": 0.66, "y": -1.95, "z": 1.05}
        page.evaluate("() => { document.querySelector('.js-plotly-plot').__kept = true; }")
        page.get_by_role("tab", name="Top-down map").click()
        page.wait_for_function(
            "() => { const gd = document.querySelector('[data-testid=stMain] .gd-chart[aria-label^=\"Top-down\"]');"
            " return gd && gd._fullLayout && gd.querySelector('.main-svg'); }",
            timeout=DRAW_TIMEOUT_S * 1000,
        )
        page.get_by_role("tab", name="3D surface").click()
        page.wait_for_timeout(1000)
        assert page.evaluate("() => document.querySelector('.js-plotly-plot').__kept") is True
        eye = frame.evaluate(CAMERA_EYE)
        for axis in "xyz":
            assert eye[axis] == pytest.approx(turned[axis], abs=1e-6)
        assert not errors, errors
    finally:
        context.close()


def test_a_long_run_still_names_the_step_shown(app_server: str, browser) -> None:
    """Past a dozen steps the slider's tick labels are hidden; its "step N" label must not be."""
    context, page, frame, errors = _open(browser, app_server, DESKTOP, "?steps=20")
    try:
        _wait_until_drawn(page, frame)
        label = frame.locator(PLOT).first.locator(".slider-container text.slider-label", has_text="step 20")
        assert label.count() == 1
        style = label.evaluate("node => { const s = getComputedStyle(node); return [s.fill, s.fillOpacity]; }")
        assert style[0] not in ("rgba(0, 0, 0, 0)", "transparent", "none") and float(style[1]) > 0.5, style
        assert not errors, errors
    finally:
        context.close()
