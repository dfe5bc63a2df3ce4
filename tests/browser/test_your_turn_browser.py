"""Your turn in Chromium, keyboard only: a student tabs to the answer field and types a whole round.

At a laptop's 1280 px (light theme) and a phone's 390 px (dark theme): Tab reaches the field,
Enter checks each value, focus stays in the field from value to value (also after a wrong one), a
slip gets its named hint, and
the finished round joins the table while the link keeps ``predict=on``; axe-core finds no serious
WCAG 2.1 AA problem with the hint on screen.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import DESKTOP, PHONE, REPO, block_external_requests, console_errors, wait_for_app

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
MAX_TABS = 120
FIELD = "[data-testid=stForm] input[type=text]"
LABELS = (
    "1 · Predict: y_pred = a·x + b",
    "1 · Predict: error = y_pred − y_true",
    "2 · Loss: loss = error²",
    "3 · Gradient: ∂L/∂a = 2·error·x",
    "3 · Gradient: ∂L/∂b = 2·error",
    "4 · Update: new a = a − lr·∂L/∂a",
    "4 · Update: new b = b − lr·∂L/∂b",
)
ANSWERS = ("7", "3", "9", "6", "6", "2.4", "3.4")
AXE_JS = REPO / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_SERIOUS_JS = """async () => (await axe.run(document, {runOnly: {type: 'tag',
  values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})).violations
  .filter(v => ['serious', 'critical'].includes(v.impact))
  .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.html.slice(0, 80)).join(' | '))"""

FOCUSED_LABEL = (
    "() => { const e = document.activeElement; return e && e.matches('%s') ? e.getAttribute('aria-label') : null; }"
)


def focused_label(page) -> str | None:
    return page.evaluate(FOCUSED_LABEL % FIELD)


def wait_for_focus_on(page, label: str) -> None:
    page.wait_for_function(
        "([selector, label]) => { const e = document.activeElement;"
        " return e && e.matches(selector) && e.getAttribute('aria-label') === label && !e.disabled; }",
        arg=[FIELD, label],
        timeout=TIMEOUT_MS,
    )


def tab_to_the_field(page) -> int:
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused_label(page) == LABELS[0]:
            return presses
    raise AssertionError(f"Tab never reached the answer field in {MAX_TABS} presses")


def hint_text(page) -> str:
    return " ".join(page.locator("[data-testid=stForm] [data-testid=stAlert]").all_inner_texts())


def axe_problems(page) -> list[str]:
    """Serious WCAG 2.1 A/AA violations on the page as it is now (axe-core from tests/browser/axe)."""
    if not AXE_JS.exists():  # installed by `npm ci` there; test_accessibility.py requires it in CI
        return []
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_SERIOUS_JS)


@pytest.mark.parametrize(
    ("viewport", "scheme"), [(DESKTOP, "light"), (PHONE, "dark")], ids=["1280px-light", "390px-dark"]
)
def test_a_whole_round_typed_with_the_keyboard_only(app_server, browser, viewport, scheme) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    page = context.new_page()
    errors = console_errors(page)
    try:
        page.goto(app_server + "/?predict=on", wait_until="domcontentloaded")
        wait_for_app(page)
        page.locator(FIELD).wait_for()
        tab_to_the_field(page)

        page.keyboard.type("7")
        page.keyboard.press("Enter")
        wait_for_focus_on(page, LABELS[1])
        # A slip: the hint names it, and focus stays in the same field for the next try.
        page.keyboard.type("-3")
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-testid=stForm] [data-testid=stAlert]')]"
            ".some(e => e.innerText.includes('sign flipped'))",
            timeout=TIMEOUT_MS,
        )
        wait_for_focus_on(page, LABELS[1])
        assert "Not yet: −3 is what you get with the error's sign flipped" in hint_text(page)
        assert axe_problems(page) == []  # the hint, the field and its buttons, in this theme
        box = page.locator("[data-testid=stForm]").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1

        for index in range(1, len(LABELS) - 1):  # the error, right this time, up to the new a
            page.keyboard.type(ANSWERS[index])
            page.keyboard.press("Enter")
            wait_for_focus_on(page, LABELS[index + 1])
        page.keyboard.type(ANSWERS[-1])
        page.keyboard.press("Enter")
        # Round complete: row 0 joins the table, row 1 opens, and focus waits in its first field.
        wait_for_focus_on(page, LABELS[0])
        wait_for_app(page)
        rows = page.evaluate(
            "() => [...document.querySelectorAll('[data-testid=stMain] table.gd-table tbody tr')]"
            ".map(tr => [...tr.children].map(c => c.innerText.trim()))"
        )
        assert rows[:2] == [
            ["0", "3.0000", "4.0000", "7.0000", "3.0000", "6.0000", "6.0000", "9.0000"],
            ["1", "2.4000", "3.4000", "?", "?", "?", "?", "?"],
        ]
        main = page.locator("[data-testid=stMain]").inner_text()
        assert "Step 0 is complete and in the table" in main
        assert "6 of 7 values right the first time" in main and "error sign flipped (×1)" in main
        assert parse_qs(urlparse(page.url).query).get("predict") == ["on"]
        assert page.locator("[data-testid=stException]").count() == 0
        assert errors == [], errors
    finally:
        context.close()
