"""The browser's Back and Forward buttons undo and redo a change, in a real browser.

Every change rewrites the address bar (a new history entry). Back brings the earlier address
back and Streamlit reruns the app with it; the app must then show that experiment — sidebar,
table and address bar — instead of writing the newer one back over it (issue #18, item 9).
Chromium driven by Playwright against ``streamlit run app.py`` (fixtures in tests/conftest.py);
the expected numbers come from ``core.maths.training.train``.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from browser_support import query, sidebar_field, wait_for_app
from playwright.sync_api import expect

from core.links.lessons import load_lessons
from core.maths.experiment import Experiment
from core.maths.training import train
from core.words.notation import read_cell

pytestmark = pytest.mark.browser

SETTLE_MS = 1_500  # long enough for a rerun that would write a newer value back into the address bar


def type_value(page, label: str, value: str, key: str) -> None:
    """Type into a sidebar field, press Enter, and wait until the address bar holds it."""
    box = sidebar_field(page, label)
    box.fill(value)
    box.press("Enter")
    page.wait_for_function("([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value])
    wait_for_app(page)


def first_rows(page, count: int = 3) -> list[tuple[str, str]]:
    """(a, b) of the step table's first rows, as printed."""
    return page.evaluate(
        """n => [...document.querySelectorAll('[data-testid=stMain] table.gd-table tbody tr')].slice(0, n)
                 .map(tr => { const c = [...tr.children].map(td => td.innerText.trim()); return [c[1], c[2]]; })""",
        count,
    )


def expected_rows(count: int = 3, **changes: object) -> list[list[str]]:
    trajectory = train(Experiment().with_(**changes))
    return [[read_cell(a), read_cell(b)] for a, b in list(zip(trajectory.a, trajectory.b, strict=True))[:count]]


def expect_experiment(page, lr: str, path: str = "/") -> None:
    """The sidebar, the table and the address bar all show the learning rate ``lr``, and keep it."""
    page.wait_for_function("v => new URLSearchParams(location.search).get('lr') === v", arg=lr)
    wait_for_app(page)
    expect(sidebar_field(page, "Learning rate")).to_have_value(lr)
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('[data-testid=stMain] table.gd-table tbody tr')]"
        ".slice(0, 3).map(tr => [...tr.children].slice(1, 3).map(td => td.innerText.trim()))) === want",
        arg=str(expected_rows(lr=float(lr))).replace("'", '"').replace(" ", ""),
    )
    page.wait_for_timeout(SETTLE_MS)  # the app must not write a newer rate back
    assert query(page).get("lr") == lr
    assert urlparse(page.url).path == path
    assert first_rows(page) == expected_rows(lr=float(lr))
    expect(sidebar_field(page, "Learning rate")).to_have_value(lr)


def assert_clean(page, errors: list[str]) -> None:
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0, exceptions.first.inner_text()[:1000]
    assert errors == [], errors


def test_back_and_forward_restore_the_learning_rate(app_server, new_page):
    page, errors = new_page()
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    type_value(page, "Learning rate", "0.4", "lr")
    type_value(page, "Learning rate", "0.6", "lr")
    expect_experiment(page, "0.6")

    page.go_back()
    expect_experiment(page, "0.4")

    page.go_forward()
    expect_experiment(page, "0.6")

    page.go_back()
    page.go_back()  # the address the session opened with: the article's rate, no lr in the link
    page.wait_for_function("() => !new URLSearchParams(location.search).has('lr')")
    wait_for_app(page)
    expect(sidebar_field(page, "Learning rate")).to_have_value("0.1")
    page.wait_for_timeout(SETTLE_MS)
    assert "lr" not in query(page)
    assert first_rows(page) == expected_rows()
    assert_clean(page, errors)


def test_back_across_a_page_switch_restores_page_and_experiment(app_server, new_page):
    page, errors = new_page()
    page.goto(app_server + "/step-table?lr=0.4", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Loss curve").click()
    page.wait_for_url(re.compile(r"/loss-curve\?"))
    wait_for_app(page)
    type_value(page, "Steps (updates)", "12", "steps")

    page.go_back()  # the loss curve before steps changed
    page.wait_for_function("() => !new URLSearchParams(location.search).has('steps')")
    wait_for_app(page)
    expect(sidebar_field(page, "Steps (updates)")).to_have_value("5")
    page.wait_for_timeout(SETTLE_MS)
    assert urlparse(page.url).path == "/loss-curve"
    assert query(page) == {"lr": "0.4"}

    page.go_back()  # the step table the session opened
    page.wait_for_url(re.compile(r"/step-table\?"))
    expect(page.locator("[data-testid=stMain] h1").first).to_have_text("Every step of one training run")
    expect_experiment(page, "0.4", path="/step-table")
    assert_clean(page, errors)


def test_back_returns_to_the_previous_lesson_stop(app_server, new_page):
    lesson = load_lessons()[0]["learning-rate"]
    first, second = lesson.stops[0], lesson.stops[1]
    page, errors = new_page()
    page.goto(app_server + f"/{first.page}?lesson=learning-rate&stop=1", wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_text("stop 1 of", exact=False)).to_be_visible()
    page.get_by_role("button", name="Next stop").click()
    page.wait_for_function("() => new URLSearchParams(location.search).get('stop') === '2'")
    wait_for_app(page)
    expect(page.get_by_text(second.title, exact=True)).to_be_visible()

    page.go_back()
    page.wait_for_function("() => new URLSearchParams(location.search).get('stop') === '1'")
    wait_for_app(page)
    expect(page.get_by_text(first.title, exact=True)).to_be_visible()
    expect(page.get_by_text("stop 1 of", exact=False)).to_be_visible()
    page.wait_for_timeout(SETTLE_MS)
    assert query(page)["stop"] == "1"
    assert query(page)["lr"] == f"{first.experiment.lr:g}"
    assert_clean(page, errors)


def test_each_lesson_stop_on_another_page_is_one_back_press(app_server, new_page):
    """Teacher playtest: a stop on another page left two entries, and Back landed on the old page with
    the new stop's note and a "View: map is a tab of /loss-surface" notice. Streamlit writes the old
    page bare, then (in most runs, it is timing) the old page with the new stop, then the new page;
    a first fix that only replaced the address right after the bare one still left an extra entry in
    5 runs of 6. Each Next stop is now one entry, and one Back is the stop before, on its own page."""
    stops = load_lessons()[0]["article"].stops
    page, errors = new_page()
    page.goto(app_server + "/?lesson=article&stop=3", wait_until="domcontentloaded")
    wait_for_app(page)
    expect(page.get_by_text("stop 3 of", exact=False)).to_be_visible()
    # The stop's whole link is written at the end of the first run, after its text shows: count from there.
    page.wait_for_function("() => new URLSearchParams(location.search).get('hide') === 'all'")
    page.wait_for_timeout(SETTLE_MS)
    start = page.evaluate("history.length")
    for number in (4, 5):  # step table → loss curve → loss surface
        page.get_by_role("button", name="Next stop").click()
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('stop') === '{number}'")
        wait_for_app(page)
        expect(page.get_by_text(stops[number - 1].title, exact=True)).to_be_visible()
        assert urlparse(page.url).path == "/" + stops[number - 1].page
    page.wait_for_timeout(SETTLE_MS)
    assert page.evaluate("history.length") == start + 2
    for number in (4, 3):
        page.go_back()
        wait_for_app(page)
        expect(page.get_by_text(f"stop {number} of", exact=False)).to_be_visible()
        path = "/" if stops[number - 1].page == "step-table" else "/" + stops[number - 1].page
        page.wait_for_function(f"() => new URLSearchParams(location.search).get('stop') === '{number}'")
        assert urlparse(page.url).path == path
        assert "could not be used" not in page.locator("[data-testid=stMain]").inner_text()
    assert_clean(page, errors)


def test_back_from_another_page_returns_to_the_tab_and_rates_left(app_server, new_page):
    """Teacher playtest: leaving the rates tab by the sidebar, Back first landed on the loss curve's
    address without its tab (a state never seen), and only a second Back reached the rates."""
    page, errors = new_page()
    page.goto(app_server + "/loss-curve?view=rates&compare=0.01,0.5", wait_until="domcontentloaded")
    wait_for_app(page)
    page.locator("[data-testid=stSidebarNav] a", has_text="Step table").click()
    page.wait_for_function("() => !location.pathname.startsWith('/loss-curve')")
    wait_for_app(page)
    page.wait_for_timeout(SETTLE_MS)

    page.go_back()
    page.wait_for_url(re.compile(r"/loss-curve"))
    wait_for_app(page)
    page.wait_for_timeout(SETTLE_MS)
    assert query(page) == {"view": "rates", "compare": "0.01,0.5"}
    expect(page.get_by_role("tab", name="Learning rates side by side")).to_have_attribute("aria-selected", "true")
    assert_clean(page, errors)
