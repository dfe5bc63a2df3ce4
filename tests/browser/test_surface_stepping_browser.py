"""The 3D loss surface's step slider in a real Chromium: stepping stays in the browser, the camera stays put.

The slider under the 3D bowl swaps Plotly frames; it must not make Streamlit rerun, and a student
who turned the bowl keeps that view while stepping. Uses the session fixtures ``app_server`` and
``browser`` (tests/conftest.py): skipped locally without Chromium, required in CI.
"""

from __future__ import annotations

import pytest
from browser_support import (
    DESKTOP,
    STATE_RECORDER,
    SURFACE_JS,
    block_external_requests,
    console_errors,
    open_page,
    surface_frame,
)

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000

CAMERA_JS = f"""() => {{
  const gd = ({SURFACE_JS})();
  const eye = gd._fullLayout.scene.camera.eye;
  return {{x: eye.x, y: eye.y, z: eye.z, marked: gd.__e2e === true,
           slider: gd._fullLayout.sliders && gd._fullLayout.sliders[0].active,
           moving: gd._fullData.map(t => t.x ? t.x.length : 0)}};
}}"""


@pytest.fixture(scope="module")
def stepped_surface(app_server, browser):
    """Open /loss-surface, turn the 3D bowl by dragging, then step back to step 0 with the slider.

    Returns the camera/frame state after turning and after stepping, the script states seen
    meanwhile, and the console errors.
    """
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    context.add_init_script(STATE_RECORDER)
    try:
        page = context.new_page()
        errors = console_errors(page)
        open_page(page, app_server + "/loss-surface")
        frame = surface_frame(page)
        start = frame.evaluate(CAMERA_JS)

        # Turn the bowl by dragging across the 3D canvas, as a student does.
        box = frame.locator(".js-plotly-plot .gl-container canvas").first.bounding_box()
        x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.45
        page.mouse.move(x, y)
        page.mouse.down()
        for dx in range(0, 181, 20):
            page.mouse.move(x + dx, y + dx / 4)
        page.mouse.up()
        frame.wait_for_function(
            f"s => {{ const c = ({CAMERA_JS})(); return Math.abs(c.x - s.x) + Math.abs(c.y - s.y) > 0.05; }}",
            arg=start, timeout=TIMEOUT_MS,
        )
        turned = frame.evaluate(CAMERA_JS)
        frame.evaluate(f"() => {{ ({SURFACE_JS})().__e2e = true; }}")
        page.evaluate("() => { window.__states = []; }")

        # Step back to the start with the slider under the plot (Plotly frames, in the browser).
        rail = frame.locator(".js-plotly-plot .slider-rail-touch-rect").first
        rail.scroll_into_view_if_needed()
        rail_box = rail.bounding_box()
        page.mouse.click(rail_box["x"] + 2, rail_box["y"] + rail_box["height"] / 2)
        # The slider marks step 0 at the click; the frame's data lands once Plotly has redrawn the
        # 3D scene (slow on a CPU renderer): wait for that, or for the time-out, then compare.
        frame.wait_for_function(
            f"m => {{ const c = ({CAMERA_JS})(); return c.slider === 0 && c.moving.join() !== m.join(); }}",
            arg=turned["moving"], timeout=TIMEOUT_MS,
        )
        stepped = frame.evaluate(CAMERA_JS)
        states = page.evaluate("() => window.__states")
        exceptions = page.locator("[data-testid=stException]").count()
        yield {"start": start, "turned": turned, "stepped": stepped, "states": states, "errors": errors,
               "exceptions": exceptions}
    finally:
        context.close()


def test_stepping_the_surface_runs_in_the_browser(stepped_surface):
    """The step slider swaps Plotly frames: the path changes, Streamlit does not rerun."""
    turned, stepped = stepped_surface["turned"], stepped_surface["stepped"]
    assert stepped["moving"] != turned["moving"], "the frame did not change the path"
    assert stepped["marked"], "the chart was re-created (a Streamlit rerun drew a new one)"
    assert stepped_surface["states"] == [], "stepping made Streamlit rerun"
    assert stepped_surface["exceptions"] == 0
    assert stepped_surface["errors"] == []


def test_stepping_the_surface_keeps_a_turned_camera(stepped_surface):
    """A student who turned the bowl keeps that view while stepping (inside ``st.plotly_chart``
    the camera snapped back at the next frame; ``ui.charts`` draws the 3D figure itself)."""
    turned, stepped = stepped_surface["turned"], stepped_surface["stepped"]
    for axis in "xyz":
        assert stepped[axis] == pytest.approx(turned[axis], abs=1e-6), (turned, stepped)


EXIT_STATE_JS = f"""() => {{
  const gd = ({SURFACE_JS})();
  const slider = gd.querySelector('.slider-container');
  const exit = gd._fullData.find(t => t.name === 'left the window');
  return {{slider: !!slider, steps: slider ? gd._fullLayout.sliders[0].steps.map(s => s.label) : [],
           active: gd._fullLayout.sliders[0] && gd._fullLayout.sliders[0].active,
           value: (gd.querySelector('.slider-group > text.slider-label') || {{}}).textContent || '',
           exit: exit && exit.x ? exit.x.length : 0}};
}}"""


def test_a_run_that_leaves_after_step_0_has_a_slider_to_step_with(browser, app_server):
    """Playtest find: at lr = 1.2 the path leaves the window after step 0; the one frame left Plotly
    drawing no slider, and Play did nothing. Now the slider steps from the start (no exit line yet)
    to the update that leaves (the dashed line to the edge), with the keyboard as well."""
    context = browser.new_context(viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    try:
        page = context.new_page()
        errors = console_errors(page)
        open_page(page, app_server + "/loss-surface?lr=1.2")
        frame = surface_frame(page)
        shown = frame.evaluate(EXIT_STATE_JS)
        assert shown["slider"] and shown["steps"] == ["0", "1"] and shown["active"] == 1, shown
        assert shown["value"].strip() == "step 1" and shown["exit"] == 2, shown
        slider = frame.locator(".js-plotly-plot .slider-container").first
        slider.focus()
        page.keyboard.press("Home")
        frame.wait_for_function(f"() => ({EXIT_STATE_JS})().exit === 0", timeout=TIMEOUT_MS)
        assert frame.evaluate(EXIT_STATE_JS)["active"] == 0
        page.keyboard.press("End")
        frame.wait_for_function(f"() => ({EXIT_STATE_JS})().exit === 2", timeout=TIMEOUT_MS)
        assert errors == []
    finally:
        context.close()
