"""Keyboard only: the step table and the loss surface walked with Tab, Enter, Space and arrows.

A student who cannot use a mouse must reach and work every control, and see where the focus
is. These tests never click: they press keys from the top of the page, and at every control
they reach they check the focus ring (an outline or ring at least 2 px wide) and that the key
did what it says — the picked step moved, the export downloaded, the tab opened, the 3D path
stepped and played. With ``prefers-reduced-motion`` Play shows the whole path at once.
"""

from __future__ import annotations

import re

import pytest
from browser_support import DESKTOP, block_external_requests, console_errors, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
MAX_TABS = 120

# The focused element: its tag, role, accessible name (as the page gives it) and value text.
FOCUSED_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const labelled = e.getAttribute('aria-labelledby');
  const text = (e.textContent || '').trim();  // a control's own text, never a whole container's
  const name = e.getAttribute('aria-label')
    || (labelled && document.getElementById(labelled)?.textContent)
    || (e.labels && e.labels[0]?.textContent) || (text.length <= 60 ? text : '');
  return {tag: e.tagName.toLowerCase(), role: e.getAttribute('role') || '', name: name.replace(/\\s+/g, ' ').trim(),
          value: e.getAttribute('aria-valuetext') || e.getAttribute('aria-valuenow') || '',
          selected: e.getAttribute('aria-selected') || '', chart: !!e.closest('.gd-chart'),
          sidebar: !!e.closest('[data-testid=stSidebar]')};
}"""

# A visible focus indicator on the focused element or the widget frame around it: an outline of
# 2 px or more in the text's own colour (so with the text's contrast; Streamlit's pale halo on a
# slider was 2.1:1 and its grey band behind a switch 1.2:1, a keyboard playtest measured), or a
# box-shadow ring on the element itself (Plotly's mode bar).
RING_JS = """() => {
  const e = document.activeElement;
  for (let el = e, depth = 0; el && depth < 5; el = el.parentElement, depth++) {
    const s = getComputedStyle(el);
    if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor === s.color) {
      return 'outline ' + s.outlineWidth;
    }
    if (el === e && s.boxShadow && s.boxShadow !== 'none') return 'ring ' + s.boxShadow;
  }
  return null;
}"""

PICKED_JS = """() => document.querySelector('[data-testid=stMain] table.gd-table tbody tr[aria-current=true] th')
  ?.textContent.trim() ?? null"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED_JS)


def tab_to(page, name: str | re.Pattern, *, role: str | None = None, back: bool = False, **where: bool) -> dict:
    """Press Tab (Shift+Tab with ``back``) until the focused element's name matches; never clicks."""
    pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        now = focused(page)
        seen.append(now and f"{now['role'] or now['tag']}:{now['name'][:30]}")
        if (now and pattern.search(now["name"]) and (role is None or now["role"] == role)
                and all(now[key] == value for key, value in where.items())):
            return now
    raise AssertionError(f"Never reached {pattern.pattern!r} with the keyboard; focus went through {seen}")


def assert_ring(page) -> None:
    ring = page.evaluate(RING_JS)
    assert ring, f"No visible focus indicator on {focused(page)}"


def wait_picked(page, step: int) -> None:
    page.wait_for_function(f"() => ({PICKED_JS})() === '{step}'", timeout=TIMEOUT_MS)
    wait_for_app(page)


@pytest.fixture
def keyboard_page(app_server, browser):
    contexts = []

    def make(path: str, **options):
        context = browser.new_context(viewport=DESKTOP, accept_downloads=True, **options)
        context.set_default_timeout(TIMEOUT_MS)
        block_external_requests(context)
        contexts.append(context)
        page = context.new_page()
        errors = console_errors(page)
        page.goto(app_server + path, wait_until="domcontentloaded")
        wait_for_app(page)
        return page, errors

    yield make
    for context in contexts:
        context.close()


def test_step_table_by_keyboard_alone(keyboard_page):
    page, errors = keyboard_page("/")

    # The sidebar's controls come first: every one is reachable, the share link's copy button too.
    for name in ("Learning rate", "Steps (updates)", "Hand calculation", "Presets"):
        tab_to(page, name, sidebar=True)
        assert_ring(page)
    tab_to(page, "Copy to clipboard", sidebar=True)
    assert_ring(page)

    # The step picker: arrows on the slider, then Previous / Next with Enter and Space.
    tab_to(page, "Pick a step")
    assert_ring(page)
    page.keyboard.press("ArrowRight")
    wait_picked(page, 1)
    tab_to(page, "Next", role="")
    assert_ring(page)
    page.keyboard.press("Enter")
    wait_picked(page, 2)
    page.keyboard.press("Space")
    wait_picked(page, 3)
    tab_to(page, "Previous", back=True)
    page.keyboard.press("Enter")
    wait_picked(page, 2)
    # Next up to the last step disables itself: focus moves to Previous, not to the page's body (where
    # the next Tab started again at the top; keyboard playtest).
    tab_to(page, "Next", role="")
    for step in (3, 4, 5):
        page.keyboard.press("Enter")
        wait_picked(page, step)
    page.wait_for_function("() => /Previous/.test(document.activeElement?.innerText || '')", timeout=TIMEOUT_MS)
    wait_for_app(page)
    page.wait_for_timeout(500)
    page.keyboard.press("Enter")
    wait_picked(page, 4)

    # The table is a named, focusable region (it scrolls sideways on a phone); the loop's copy button.
    region = tab_to(page, "Step table", role="region")
    assert region["tag"] == "div"
    assert_ring(page)
    tab_to(page, "Copy to clipboard", sidebar=False)

    # An export downloads on Enter; the exported text opens and its tabs switch with the arrows.
    tab_to(page, re.compile(r"^(table_view\s*)?CSV$"))
    assert_ring(page)
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "step-table.csv"
    tab_to(page, "Show the exported text")
    assert_ring(page)
    page.keyboard.press("Enter")
    wait_for_app(page)
    tab = tab_to(page, "CSV", role="tab")
    assert tab["selected"] == "true"
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.activeElement.getAttribute('role') === 'tab'"
        " && /Markdown/.test(document.activeElement.textContent)"
    )
    page.keyboard.press("Enter")
    page.wait_for_function("() => /Markdown/.test(document.activeElement.textContent)"
                           " && document.activeElement.getAttribute('aria-selected') === 'true'")
    assert_ring(page)
    assert errors == [], errors


def slider_value(page) -> str:
    now = focused(page)
    assert now and now["role"] == "slider", now
    return now["value"]


def wait_slider(page, text: str) -> None:
    page.wait_for_function(
        "(text) => document.activeElement.getAttribute('aria-valuetext') === text", arg=text, timeout=TIMEOUT_MS
    )


CHART_STEP_JS = """() => { const gd = document.activeElement.closest('.gd-chart');
  return gd._fullLayout.sliders[0].active; }"""


def test_loss_surface_by_keyboard_alone(keyboard_page):
    page, errors = keyboard_page("/loss-surface")
    page.wait_for_selector("[data-testid=stMain] .gd-chart .slider-container[role=slider]", timeout=TIMEOUT_MS)

    # Play, Pause, then the step slider: Tab meets them in the order they are read, left to right.
    tab_to(page, "Play", role="button", chart=True)
    assert focused(page)["name"] == "Play"
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Pause"
    page.keyboard.press("Tab")
    assert focused(page)["role"] == "slider"

    # The 3D chart's step slider: Home, arrows and End step through the run in the browser.
    assert_ring(page)
    assert slider_value(page) == "step 5"
    page.keyboard.press("Home")
    wait_slider(page, "step 0")
    page.keyboard.press("ArrowRight")
    wait_slider(page, "step 1")
    assert page.evaluate(CHART_STEP_JS) == 1
    page.keyboard.press("End")
    wait_slider(page, "step 5")
    page.keyboard.press("Home")
    wait_slider(page, "step 0")

    # Play with Enter runs the path to its last step; Pause is the next control.
    play = tab_to(page, "Play", role="button", back=True, chart=True)
    assert play["name"] == "Play"  # its words only: a screen reader read the ▶ aloud (keyboard playtest)
    assert_ring(page)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain] .gd-chart')._fullLayout.sliders[0].active === 5",
        timeout=TIMEOUT_MS,
    )
    tab_to(page, "Pause", role="button", chart=True)
    page.keyboard.press("Space")

    # The tabs: back to "3D surface", the arrow key to "Top-down map", Enter opens it.
    tab_to(page, "3D surface", role="tab", back=True)
    assert_ring(page)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.activeElement.getAttribute('aria-selected') === 'true'"
        " && /Top-down map/.test(document.activeElement.textContent)"
    )
    # The map's own slider, reached with Tab, steps it too.
    tab_to(page, "Step shown", role="slider")
    page.keyboard.press("ArrowLeft")
    wait_slider(page, "step 4")
    assert errors == [], errors


def test_reduced_motion_play_shows_the_whole_path_at_once(keyboard_page):
    page, errors = keyboard_page("/loss-surface", reduced_motion="reduce")
    page.wait_for_selector("[data-testid=stMain] .gd-chart .slider-container[role=slider]", timeout=TIMEOUT_MS)
    tab_to(page, "Step shown", role="slider")
    page.keyboard.press("Home")
    wait_slider(page, "step 0")
    button = tab_to(page, "Whole path", role="button", back=True, chart=True)
    assert button["name"] == "Whole path"  # its words only, as Play and Pause
    play = page.evaluate(
        "() => document.querySelector('[data-testid=stMain] .gd-chart')._fullLayout.updatemenus[0].buttons[0].args"
    )
    assert play[0] == ["5"] and play[1]["frame"]["duration"] == 0 and play[1]["transition"]["duration"] == 0
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=stMain] .gd-chart')._fullLayout.sliders[0].active === 5",
        timeout=TIMEOUT_MS,
    )
    assert errors == [], errors


def test_chart_text_alternatives_hold_the_runs_numbers(keyboard_page):
    """What a screen reader hears for each chart: its description, with this link's numbers."""
    described = """() => [...document.querySelectorAll('[data-testid=stMain] .gd-chart')].filter(c => c.offsetParent)
      .map(c => c.getAttribute('aria-label') + ' :: '
                + document.getElementById(c.getAttribute('aria-describedby')).textContent)"""
    page, errors = keyboard_page("/loss-curve?lr=0.6&steps=10")
    page.wait_for_selector("[data-testid=stMain] .gd-chart[aria-describedby]")
    (loss,) = page.evaluate(described)
    assert loss.startswith("Loss by step, with the signed error below :: ")
    assert "the loss grows from 9 to 7530.143 in 10 updates" in loss
    assert "Below it, a line chart of the signed error at every step" in loss
    page.goto(page.url.replace("/loss-curve", "/loss-surface"), wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stMain] .gd-chart[aria-describedby]")
    (surface,) = page.evaluate(described)  # the map sits in the hidden tab
    assert "starts at (3, 4), loss 9; after 10 updates it is at (44.8882, 45.8882), loss 7530.143" in surface
    assert errors == [], errors


@pytest.mark.parametrize("slowdown", [1, 16])
def test_focus_stays_in_the_page_when_the_pressed_button_is_replaced(keyboard_page, slowdown):
    """Keyboard playtest: Predict is replaced by its verdict, and focus fell to the page's body (the next
    Tab started again at the skip link). It now lands on what stands where the button stood.

    Also on a device 16× slower: there the page took the whole run in one render, its "running" state
    never showed, and a first version that waited for it never put the focus back (a CI failure).
    """
    page, errors = keyboard_page("/loss-curve?predict=on")
    page.context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": slowdown})
    tab_to(page, re.compile(r"^Smooth"))
    page.keyboard.press("Space")
    wait_for_app(page)
    tab_to(page, "Predict", role="")
    page.keyboard.press("Enter")
    page.wait_for_function("() => ![...document.querySelectorAll('button')].some(b => /Predict/.test(b.innerText))",
                           timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement !== document.body"
        " && !!document.activeElement.closest('[data-testid=stMain]')", timeout=TIMEOUT_MS)
    # On the verdict itself, which took the form's place: not on the heading below it, from where
    # neither Tab nor Shift+Tab reaches the verdict (a second keyboard playtest).
    verdict = page.evaluate("() => (document.activeElement.closest('[data-testid=stAlert]') || {}).innerText || ''")
    assert "Smooth" in verdict or "smooth" in verdict, verdict
    page.keyboard.press("Tab")  # and the next Tab goes on from there, not from the top
    assert "Skip to main content" not in (focused(page) or {}).get("name", "")
    assert errors == [], errors


def test_the_remove_point_buttons_are_named_by_their_point(keyboard_page):
    """Keyboard playtest: each was read as "✕, button" (its tooltip is visual only)."""
    page, errors = keyboard_page("/?data=1:4,2:4,3:1")
    for number in (1, 2, 3):
        expect_one = page.get_by_role("button", name=f"Remove point {number}", exact=True)
        expect_one.wait_for(timeout=TIMEOUT_MS)
        assert expect_one.count() == 1
    tab_to(page, "Remove point 2", sidebar=True)
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('data') === '1:4,3:1'",
                           timeout=TIMEOUT_MS)
    assert errors == [], errors


def test_focus_after_the_suggested_rate_button_goes_away(keyboard_page):
    """Many parameters: "Use rate 0.2, 1000 steps" disappears once used; focus lands on the page's next heading
    (a first version picked the heading's hidden link and lost it)."""
    page, errors = keyboard_page("/many-parameters")
    tab_to(page, re.compile(r"Use rate"), role="")
    page.keyboard.press("Enter")
    page.wait_for_function("() => new URLSearchParams(location.search).get('steps') === '1000'", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement !== document.body"
        " && !!document.activeElement.closest('[data-testid=stMain]')", timeout=TIMEOUT_MS)
    assert errors == [], errors
