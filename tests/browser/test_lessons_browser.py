"""Lesson links in a real browser: a class opens a lesson link and walks its stops; a teacher's
built link opens exactly what the teacher previewed.

Chromium driven by Playwright against ``streamlit run app.py`` (fixtures in tests/conftest.py).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from browser_support import DESKTOP, PHONE, query, wait_for_app
from playwright.sync_api import expect

from core.links.lessons import load_lessons

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
ARTICLE = load_lessons()[0]["article"]


def note(page) -> str:
    return page.locator("[data-testid=stMain] .gd-teacher-note p").last.inner_text().strip()


def expect_note(page, text: str) -> None:
    """Wait for the note of a stop (the page may still be swapping in after its URL changed)."""
    expect(page.locator("[data-testid=stMain] .gd-teacher-note p").last).to_have_text(text, timeout=TIMEOUT_MS)


def sidebar_inputs(page) -> list[str]:
    labels = page.locator("[data-testid=stSidebar] [data-testid=stNumberInput] [data-testid=stWidgetLabel]")
    return [label.strip() for label in labels.all_inner_texts()]


def assert_clean(page, errors: list[str]) -> None:
    exceptions = page.locator("[data-testid=stException]")
    assert exceptions.count() == 0, exceptions.first.inner_text()[:1000]
    assert errors == [], errors


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_a_lesson_link_opens_its_stop_and_walks_two_stops(app_server, new_page, viewport):
    page, errors = new_page(viewport)
    page.goto(f"{app_server}/?lesson=article&stop=3", wait_until="domcontentloaded")
    wait_for_app(page)
    page.wait_for_selector("[data-testid=stMain] table.gd-table")
    expect_note(page, ARTICLE.stops[2].options.note)
    assert "stop 3 of 6" in page.locator("[data-testid=stMain]").inner_text()
    assert page.locator("[data-testid=stMain] tr.gd-picked th").first.inner_text().strip() == "3"
    assert sidebar_inputs(page) == []  # hide=all
    page.wait_for_function("() => location.search.includes('lesson=article')")
    assert query(page) == {"hide": "all", "note": ARTICLE.stops[2].options.note, "step": "3",
                           "lesson": "article", "stop": "3"}

    page.get_by_role("button", name="Next stop").click()
    page.wait_for_url(re.compile(r"/loss-curve\?.*stop=4"))
    wait_for_app(page)
    expect_note(page, ARTICLE.stops[3].options.note)
    assert page.locator("[data-testid=stMain] h1").first.inner_text().strip() == "Loss curve"
    if viewport is DESKTOP:  # on a phone the sidebar is folded away
        assert sidebar_inputs(page) == ["Learning rate", "Steps (updates)"]

    page.get_by_role("button", name="Next stop").click()
    page.wait_for_url(re.compile(r"/loss-surface\?.*stop=5"))
    wait_for_app(page)
    expect_note(page, ARTICLE.stops[4].options.note)
    expect(page.get_by_role("tab", selected=True)).to_have_text("Top-down map", timeout=TIMEOUT_MS)
    assert query(page)["steps"] == "30" and query(page)["view"] == "map"
    assert_clean(page, errors)


def test_the_builders_link_opens_what_its_preview_showed(app_server, new_page):
    page, errors = new_page()
    page.goto(f"{app_server}/?lr=0.4&steps=10", wait_until="domcontentloaded")
    wait_for_app(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stExpander] summary", has_text="Make a lesson link").click()
    sidebar.get_by_text("Start a", exact=True).last.wait_for()
    for label in ("Data", "Start a", "Start b", "Presets"):
        sidebar.locator("[data-testid=stCheckbox]").filter(has_text=re.compile(f"^{label}$")).locator("label").click()
        wait_for_app(page)
    sidebar.get_by_role("textbox", name="Note for the class (plain text)").fill("Why does the error <b>flip</b> sign?")
    sidebar.get_by_role("textbox", name="Note for the class (plain text)").press("Control+Enter")
    wait_for_app(page)
    # the builder's own link (the built-in lessons' short links come after it)
    code = sidebar.locator("[data-testid=stExpander] [data-testid=stCode]").filter(has_text="lr=0.4").first
    # each tick and the note rerun the script: wait until the link holds all of them
    expect(code).to_contain_text("hide=data,a,b,presets", timeout=TIMEOUT_MS)
    expect(code).to_contain_text("note=Why", timeout=TIMEOUT_MS)
    built = re.sub(r"\s+", "", code.inner_text())
    assert built.startswith(app_server + "/step-table?")
    assert parse_qs(urlparse(built).query)["hide"] == ["data,a,b,presets"]

    sidebar.get_by_role("button", name="Preview as a student").click()
    wait_for_app(page)
    page.wait_for_function("() => location.search.includes('hide=')")
    expect_note(page, "Why does the error <b>flip</b> sign?")
    preview = {"note": note(page), "inputs": sidebar_inputs(page), "query": query(page),
               "summary": page.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first.inner_text()}

    student, student_errors = new_page()
    student.goto(built, wait_until="domcontentloaded")
    wait_for_app(student)
    student.wait_for_function("() => location.search.includes('hide=')")
    expect_note(student, "Why does the error <b>flip</b> sign?")
    shown = {"note": note(student), "inputs": sidebar_inputs(student), "query": query(student),
             "summary": student.locator("[data-testid=stMain] [data-testid=stCaptionContainer]").first.inner_text()}
    assert shown == preview
    assert shown["note"] == "Why does the error <b>flip</b> sign?"
    assert shown["inputs"] == ["Learning rate", "Steps (updates)"]
    assert urlparse(student.url).path == "/step-table"
    assert_clean(page, errors)
    assert_clean(student, student_errors)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280px", "390px"])
def test_the_preview_says_so_in_the_page_and_back_returns_to_it_with_its_way_out(app_server, new_page, viewport):
    """A playtest: on a phone the way out was in the folded sidebar, and Back after leaving landed
    on the preview's address without any way out."""
    page, errors = new_page(viewport)
    page.goto(f"{app_server}/loss-curve?lr=0.4", wait_until="domcontentloaded")
    wait_for_app(page)
    expand = page.locator("[data-testid=stExpandSidebarButton]")
    if expand.count() and expand.is_visible():  # a phone: the sidebar starts folded away
        expand.click()
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.locator("[data-testid=stExpander] summary", has_text="Make a lesson link").click()
    sidebar.locator("[data-testid=stCheckbox]").filter(has_text=re.compile("^Rate$")).locator("label").click()
    wait_for_app(page)
    sidebar.get_by_role("button", name="Preview as a student").click()
    page.wait_for_function("() => location.search.includes('hide=lr')", timeout=TIMEOUT_MS)
    wait_for_app(page)
    bar = page.locator("[data-testid=stMain] .st-key-builder_preview_bar")
    expect(bar).to_contain_text("Student preview", timeout=TIMEOUT_MS)
    collapse = page.locator("[data-testid=stSidebarCollapseButton] button")
    if viewport == PHONE and collapse.count():
        collapse.first.click()  # the student's view of a phone: the sidebar folded again
    leave = bar.get_by_role("button", name="Leave the student preview")
    assert leave.is_visible()  # in the page itself, also where the sidebar is folded away
    leave.click()
    page.wait_for_function("() => !location.search.includes('hide=')", timeout=TIMEOUT_MS)
    wait_for_app(page)
    assert query(page) == {"lr": "0.4"} and bar.count() == 0
    page.go_back()
    page.wait_for_function("() => location.search.includes('hide=lr')", timeout=TIMEOUT_MS)
    wait_for_app(page)
    expect(bar).to_contain_text("Student preview", timeout=TIMEOUT_MS)
    bar.get_by_role("button", name="Leave the student preview").click()
    page.wait_for_function("() => !location.search.includes('hide=')", timeout=TIMEOUT_MS)
    wait_for_app(page)
    assert query(page) == {"lr": "0.4"} and urlparse(page.url).path == "/loss-curve"
    assert_clean(page, errors)


def test_the_builder_stays_open_or_closed_across_pages(app_server, new_page):
    """A playtest: the box closed itself on every page switch, and the teacher opened it again."""
    page, errors = new_page()
    page.goto(f"{app_server}/loss-surface", wait_until="domcontentloaded")
    wait_for_app(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    summary = sidebar.locator("[data-testid=stExpander] summary", has_text="Make a lesson link")
    preview = sidebar.get_by_role("button", name="Preview as a student")
    summary.click()
    expect(preview).to_be_visible(timeout=TIMEOUT_MS)
    for title, path, shown in (("Loss curve", "/loss-curve", True), ("Step table", "/", False)):
        page.locator("[data-testid=stSidebarNav] a", has_text=title).click()
        page.wait_for_function("p => location.pathname === p", arg=path, timeout=TIMEOUT_MS)
        wait_for_app(page)
        page.wait_for_timeout(500)
        assert preview.count() == (1 if shown else 0), title
        if shown:
            assert page.locator("[data-testid=stSidebar] select, [data-testid=stSelectbox]").first.is_visible()
            summary.click()  # closed here: it stays closed on the next page
            expect(preview).to_have_count(0, timeout=TIMEOUT_MS)
    assert_clean(page, errors)
