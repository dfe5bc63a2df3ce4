"""A value typed into the sidebar is always answered, in a real browser (issue #18, item 8).

- A number beyond a field's range is no longer refused by the browser alone (a red icon, the
  old value kept without a word): the app uses the nearest allowed value, shows it in the field
  and says why under it; "Press Enter to apply" never covers the typed number.
- A value typed and not confirmed, then a page link clicked at once (a quick click or a tap):
  the value is applied and the page opens.

Chromium driven by Playwright against ``streamlit run app.py`` (fixtures in tests/conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser_support import DESKTOP, PHONE, query, wait_for_app
from playwright.sync_api import expect

from core.maths.experiment import STEPS_MAX

pytestmark = pytest.mark.browser



def field(page, label: str):
    return page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(
        has=page.locator("[data-testid=stWidgetLabel]", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )


def open_sidebar(page) -> None:
    """On a phone the sidebar starts closed: open it with its » button."""
    button = page.locator("[data-testid=stExpandSidebarButton]")
    if button.count() and button.is_visible():
        button.click()
    expect(page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").first).to_be_visible()


def overlap(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_too_many_steps_typed_are_cut_to_the_maximum_and_said(app_server, new_page, viewport):
    page, errors = new_page(viewport)
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    open_sidebar(page)
    steps = field(page, "Steps (updates)")
    box = steps.locator("input")
    box.scroll_into_view_if_needed()
    box.fill("100000")

    # While the value waits for Enter, the hint sits under the field and covers none of the number.
    hint = steps.locator("[data-testid=InputInstructions]")
    expect(hint).to_have_text("Press Enter to apply")
    typed_text = box.evaluate(
        """input => { const r = document.createRange(); const s = getComputedStyle(input);
                      const c = document.createElement('canvas').getContext('2d'); c.font = s.font;
                      const b = input.getBoundingClientRect();
                      return {x: b.x + parseFloat(s.paddingLeft), y: b.y, width: c.measureText(input.value).width,
                              height: b.height}; }"""
    )
    assert not overlap(hint.bounding_box(), typed_text)
    assert not overlap(hint.bounding_box(), box.bounding_box())

    box.press("Enter")
    page.wait_for_function(f"() => new URLSearchParams(location.search).get('steps') === '{STEPS_MAX}'")
    wait_for_app(page)
    expect(box).to_have_value(str(STEPS_MAX))
    notice = page.locator("[data-testid=stSidebar] .gd-typed-notice")
    expect(notice).to_have_text(f"Steps: 100000 is above the maximum {STEPS_MAX}; using {STEPS_MAX}.")
    expect(notice).to_be_in_viewport()
    assert steps.locator("input[aria-invalid=true]").count() == 0  # no red "invalid" field left behind
    # The page uses the value in the field: the summary line and the table's last step.
    expect(page.locator("[data-testid=stMain]").get_by_text(f"· {STEPS_MAX} steps", exact=False).first).to_be_visible()
    last_step = page.evaluate(
        "() => [...document.querySelectorAll('[data-testid=stMain] table.gd-table tbody tr')].pop()"
        "?.children[0].innerText.trim()"
    )
    assert last_step == str(STEPS_MAX)
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0
    assert errors == [], errors


def test_a_typed_rate_is_applied_when_a_page_link_is_clicked_at_once(app_server, new_page):
    page, errors = new_page()
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    rate = field(page, "Learning rate").locator("input")
    rate.fill("0.3")  # typed, not confirmed with Enter
    page.locator("[data-testid=stSidebarNav] a", has_text="Loss curve").click()  # takes the focus and clicks at once

    page.wait_for_url(re.compile(r"/loss-curve\?"))
    wait_for_app(page)
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Loss curve")
    expect(rate).to_have_value("0.3")
    page.wait_for_timeout(1_000)
    assert urlparse(page.url).path == "/loss-curve"
    assert query(page)["lr"] == "0.3"
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0
    assert errors == [], errors
