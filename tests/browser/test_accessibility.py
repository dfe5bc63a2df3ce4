"""WCAG 2.1 AA with axe-core: every page of the app's navigation, as a class meets it.

axe-core comes from the npm registry at the version pinned in ``tests/browser/axe/package.json``
(``npm ci`` there; ``.ci/run`` does it), never from a CDN, and is injected into the real app in
Debian's Chromium. It runs the WCAG 2.0 and 2.1 A and AA rules on each page listed in the app's
own sidebar navigation (so a page added later is checked too), with every tab of the page opened
in turn, at 1280 and 390 px, in the light and the dark theme, at the article's defaults, with a
diverging run and with several data points. Any serious or critical violation fails the test,
with the rule, the elements and axe's explanation in the message. Every chart on the way must
carry its text alternative (``core.words.chart_text``).

To keep CI short, a page's other tabs are opened at the defaults in every view, and with the
other two links at 1280 px light only (the same widgets, with other numbers); its expanders (built
only when opened) are opened with several points at 1280 px light and 390 px dark.

One browser context per view (width × theme), reused for every page and link of that view;
the Streamlit server is the session's one warm server.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_support import DESKTOP, PHONE, REPO, block_external_requests, console_errors, wait_for_app

pytestmark = pytest.mark.browser

AXE_JS = REPO / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 60_000
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")

# The links a teacher sends: the article's defaults, a rate that diverges, several points.
LINKS = {
    "defaults": "",
    "diverging": "?lr=0.6&steps=10",
    "several-points": "?data=1:4,2:5",
}
VIEWS = {
    "1280px-light": (DESKTOP, "light"),
    "1280px-dark": (DESKTOP, "dark"),
    "390px-light": (PHONE, "light"),
    "390px-dark": (PHONE, "dark"),
}

# The pages of the app's navigation, read from the sidebar (hidden pages are not listed there).
NAV_JS = """() => [...document.querySelectorAll('[data-testid=stSidebarNav] a[href]')]
  .map(a => new URL(a.href).pathname)"""

# Every chart in the main area (ui.charts) that is displayed has been drawn by plotly.js.
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .gd-chart')]
  .filter(c => c.offsetParent !== null).every(c => c.querySelector('.main-svg'))"""

AXE_RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
  }));
}"""


def require_axe() -> None:
    """Skip locally when axe-core is not installed; fail in CI, where the check must run."""
    if AXE_JS.exists():
        return
    message = f"axe-core is not installed at {AXE_JS}: run `npm ci` in tests/browser/axe"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module", params=list(VIEWS))
def view(request, app_server, browser):
    """(page, errors, base URL, navigation paths) for one width and theme; one context for all its checks."""
    require_axe()
    viewport, scheme = VIEWS[request.param]
    context = browser.new_context(viewport=viewport, color_scheme=scheme)
    context.set_default_timeout(TIMEOUT_MS)
    block_external_requests(context)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(app_server + "/", wait_until="domcontentloaded")
    wait_for_app(page)
    paths = page.evaluate(NAV_JS)
    yield page, errors, app_server, paths, request.param
    context.close()


def settle(page) -> None:
    """The script has finished and every displayed chart is drawn."""
    wait_for_app(page)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=TIMEOUT_MS)


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(AXE_RUN_JS, WCAG_TAGS)


def describe(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        if violation["impact"] in FAILING_IMPACTS:
            lines.append(f"{where}: {violation['impact']} {violation['id']} — {violation['help']}")
            lines += [f"    {node}" for node in violation["nodes"]]
    return lines


# Displayed charts without a text alternative (aria-describedby pointing at a non-empty text).
UNDESCRIBED_JS = """() => [...document.querySelectorAll('[data-testid=stMain] .gd-chart')]
  .filter(c => c.offsetParent !== null)
  .filter(c => !(document.getElementById(c.getAttribute('aria-describedby') || '')?.textContent.trim()))
  .map(c => c.getAttribute('aria-label'))"""


# Every closed expander of the main area, opened in turn (each may rerun the page to build its content).
OPEN_EXPANDER_JS = """() => {
  const closed = [...document.querySelectorAll('[data-testid=stMain] details:not([open]) > summary')];
  if (closed.length) closed[0].click();
  return closed.length;
}"""


def open_expanders(page) -> None:
    for _ in range(12):
        if not page.evaluate(OPEN_EXPANDER_JS):
            return
        settle(page)


def check_page(page, where: str, *, tabs_too: bool, expanders_too: bool = False) -> list[str]:
    """axe on the page as opened, then (``tabs_too``) with each of its main-area tabs opened in turn."""
    settle(page)
    if expanders_too:
        open_expanders(page)
        where += " [expanders open]"
    problems = describe(where, axe_violations(page))
    problems += [f"{where}: chart without a text alternative: {name}" for name in page.evaluate(UNDESCRIBED_JS)]
    tabs = page.locator("[data-testid=stMain] [role=tab]")
    for index in range(1, tabs.count() if tabs_too else 1):  # the first tab is the one already checked
        tab = tabs.nth(index)
        name = tab.inner_text().strip()
        tab.click()
        page.wait_for_function(
            "(el) => el.getAttribute('aria-selected') === 'true'", arg=tab.element_handle(), timeout=TIMEOUT_MS
        )
        settle(page)
        problems += describe(f"{where} [tab {name}]", axe_violations(page))
        problems += [f"{where} [tab {name}]: chart without a text alternative: {label}"
                     for label in page.evaluate(UNDESCRIBED_JS)]
    return problems


def test_the_navigation_lists_every_page(view):
    _page, _errors, _base, paths, _name = view
    assert paths[0] == "/" and {"/loss-curve", "/loss-surface"} <= set(paths), paths


@pytest.mark.parametrize("link", list(LINKS))
def test_no_serious_axe_violations(view, link):
    page, errors, base, paths, name = view
    problems: list[str] = []
    for path in paths:
        page.goto(base + path + LINKS[link], wait_until="domcontentloaded")
        problems += check_page(
            page, f"{path}{LINKS[link]}", tabs_too=link == "defaults" or name == "1280px-light",
            expanders_too=link == "several-points" and name in ("1280px-light", "390px-dark"),
        )
    assert not problems, "axe-core (WCAG 2.1 A/AA) found:\n" + "\n".join(problems)
    assert errors == [], errors


def test_axe_is_the_pinned_registry_copy():
    """The script injected is the npm package at the version package.json pins (never a CDN copy)."""
    require_axe()
    import json

    manifest = json.loads((REPO / "tests/browser/axe/package.json").read_text())
    installed = json.loads((AXE_JS.parent / "package.json").read_text())
    assert installed["version"] == manifest["dependencies"]["axe-core"] == "4.14.1"
    assert Path(AXE_JS).read_text(encoding="utf-8").startswith("/*! axe v4.14.1")
