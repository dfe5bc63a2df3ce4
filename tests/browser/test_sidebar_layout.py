"""The sidebar in a real browser (issue #18, items 7 and 10): whole labels and an easy rate.

- Every button label in the sidebar is shown whole at 1280 and 390 px: no "Oversho…", no ✕ cut
  to "⁚" (nothing inside a button is wider than its box, ``scrollWidth ≤ clientWidth``); a point's
  ✕ stays on its row on a phone.
- The learning rate's log slider is reached by keyboard, named, and six presses of → take the
  rate from 0.1 to 0.4; the typed field and the address bar follow.
- The share link and the lesson link are read whole: no line of either runs under the copy
  button that sits, always shown, in its box's corner.

Chromium driven by Playwright against ``streamlit run app.py`` (fixtures in tests/conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import DESKTOP, PHONE, wait_for_app
from playwright.sync_api import expect

from core.links.lessons import load_lessons

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
SEVERAL_POINTS = "data=1:4,2:5,3:7,100:4,5:5"

# Every visible sidebar button with text, and each element inside it whose content is wider than
# its box (an ellipsis, or a glyph clipped by padding).
CUT_LABELS_JS = """() => [...document.querySelectorAll('[data-testid=stSidebar] button')]
  .filter(b => b.offsetWidth > 0 && b.innerText.trim())
  .map(b => ({label: b.innerText.trim().replace(/\\s+/g, ' '), width: b.offsetWidth,
              cut: [b, ...b.querySelectorAll('*')].filter(e => e.scrollWidth > e.clientWidth + 1)
                     .map(e => `${e.tagName} ${e.scrollWidth}>${e.clientWidth}`)}))"""


def open_sidebar(page) -> None:
    """On a phone the sidebar starts folded away behind » at the top left."""
    expand = page.locator("[data-testid=stExpandSidebarButton]")
    if expand.count() and expand.is_visible():
        expand.click()
        expect(page.locator("[data-testid=stSidebar]")).to_have_attribute("data-collapsed", "false", timeout=TIMEOUT_MS)


# For each code box in the sidebar: its copy button's box and every line box of its text.
CODE_BOXES_JS = """() => [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stCode]')]
  .filter(box => box.offsetWidth > 0)
  .map(box => {
    const range = document.createRange();
    range.selectNodeContents(box.querySelector('code'));
    const rect = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    const button = box.querySelector('[data-testid=stElementToolbarButton]');
    return {text: box.innerText, button: button && rect(button.getBoundingClientRect()),
            lines: [...range.getClientRects()].filter(r => r.width > 0).map(rect)};
  })"""


def _covered_lines(box: dict) -> list[dict]:
    button = box["button"]
    return [line for line in box["lines"]
            if line["right"] > button["left"] and line["left"] < button["right"]
            and line["bottom"] > button["top"] and line["top"] < button["bottom"]]


def open_presets(page) -> None:
    page.locator("[data-testid=stSidebar] [data-testid=stExpander] summary", has_text="Presets").click()
    page.get_by_role("button", name="Overshooting 0.4").wait_for()
    wait_for_app(page)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_every_sidebar_button_shows_its_whole_label(app_server, new_page, viewport):
    page, errors = new_page(viewport)
    page.goto(f"{app_server}/?{SEVERAL_POINTS}")
    wait_for_app(page)
    open_sidebar(page)
    open_presets(page)
    page.wait_for_timeout(500)  # the sidebar's slide-in has ended
    buttons = page.evaluate(CUT_LABELS_JS)
    labels = [button["label"] for button in buttons]
    for wanted in ("Overshooting 0.4", "Bouncing 0.5", "One-step rate 0.25", "Article's example", "Two points"):
        assert wanted in labels, labels
    assert labels.count("✕") == 5  # one remove button per point
    cut = [button for button in buttons if button["cut"]]
    assert cut == [], cut
    assert all(button["width"] >= 24 for button in buttons)  # WCAG 2.5.8: targets of at least 24 px
    # A point's ✕ sits on its row, beside its x and y_true, on a phone too (not stacked under them).
    for index in range(5):
        remove = page.locator(f".st-key-ctl_remove_{index} button:visible").bounding_box()
        x_field = page.locator(f".st-key-ctl_x_{index} input:visible").bounding_box()
        assert remove and x_field and abs(remove["y"] - x_field["y"]) < x_field["height"], (remove, x_field)
        assert remove["x"] > x_field["x"] + x_field["width"]
    assert errors == []


def test_the_log_slider_takes_the_rate_from_0_1_to_0_4_in_six_presses(app_server, new_page):
    page, errors = new_page(DESKTOP)
    # On the loss curve: the step table's export buttons can ask for a file of an earlier rerun
    # while six quick reruns replace it (a 404 that has nothing to do with the slider).
    page.goto(f"{app_server}/loss-curve")
    wait_for_app(page)
    field = page.get_by_role("spinbutton", name="Learning rate")
    thumb = page.get_by_role("slider", name="Learning rate, log scale")
    assert field.input_value() == "0.1"
    assert thumb.get_attribute("aria-valuetext") == "0.1"
    thumb.focus()
    for _ in range(6):
        page.keyboard.press("ArrowRight")
    expect(field).to_have_value("0.4", timeout=TIMEOUT_MS)
    expect(thumb).to_have_attribute("aria-valuetext", "0.4", timeout=TIMEOUT_MS)
    page.wait_for_url(re.compile(r"/loss-curve\?(.*&)?lr=0\.4(&|$)"))
    assert parse_qs(urlparse(page.url).query).get("lr") == ["0.4"]

    # Typing a rate between two stops moves the slider onto it.
    field.fill("0.123")
    field.press("Enter")
    expect(thumb).to_have_attribute("aria-valuetext", "0.123", timeout=TIMEOUT_MS)
    assert errors == []


def test_far_apart_points_let_the_rate_go_below_the_old_minimum(app_server, new_page):
    page, errors = new_page(DESKTOP)
    page.goto(f"{app_server}/?data=1:4,100:4")
    wait_for_app(page)
    field = page.get_by_role("spinbutton", name="Learning rate")
    assert float(field.input_value()) == 4e-05
    thumb = page.get_by_role("slider", name="Learning rate, log scale")
    assert thumb.get_attribute("aria-valuetext") == "4e-05"
    thumb.focus()
    page.keyboard.press("Home")
    expect(thumb).to_have_attribute("aria-valuetext", "1e-08", timeout=TIMEOUT_MS)
    expect(field).to_have_value("1e-8", timeout=TIMEOUT_MS)
    assert errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_no_line_of_a_link_runs_under_its_copy_button(app_server, new_page, viewport):
    page, errors = new_page(viewport)
    page.goto(f"{app_server}/?lr=0.4&steps=10&a=2.5&b=3.5")
    wait_for_app(page)
    open_sidebar(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stExpander] summary", has_text="Make a lesson link").click()
    # the share link, the builder's link, then each built-in lesson's short link
    lessons = len(load_lessons()[0])
    expect(sidebar.locator("[data-testid=stCode]")).to_have_count(2 + lessons, timeout=TIMEOUT_MS)
    wait_for_app(page)
    page.wait_for_timeout(500)  # the sidebar's slide-in has ended
    boxes = page.evaluate(CODE_BOXES_JS)
    links = [re.sub(r"\s+", "", box["text"]) for box in boxes]
    assert len(links) == 2 + lessons and all("lr=0.4" in link for link in links[:2]), links
    assert links[0].startswith(f"{app_server}/?"), links  # the root's link as the address bar shows it
    assert all("?lesson=" in link for link in links[2:]), links
    for box in boxes:
        assert box["button"] is not None, box
        assert _covered_lines(box) == [], box
    assert all(len(box["lines"]) >= 2 for box in boxes[:2]), boxes  # the long links, wrapped
    assert errors == []
