#!/usr/bin/env python3
"""Interaction latency in a real browser: type a new learning rate, press Enter, wait for the charts.

A sample runs from the Enter keydown (the moment a student commits the value) until Streamlit
has finished the rerun *and* the Plotly charts' DOM has stopped changing (quiet for
``--quiet-ms``; the quiet time itself is not counted). /step-table has no chart: there the
sample ends when the rerun is done and its table is drawn. The same is measured on
``benchmarks/bare_app.py`` (the same "Learning rate" number_input in the sidebar and a
2-point Plotly chart) in the same run, interleaved sample by sample with the app's pages,
so a busy moment on this shared machine hits both alike. The result is a ratio to it.

Usage: ``python benchmarks/bench_latency.py [--rounds 12] [--out result.json]``.
Target: p50 ratio ≤ 1.3 for /step-table and /loss-curve (/loss-surface for information:
its 3D chart is redrawn by SwiftShader, the CPU WebGL renderer, here). Charts are watched
whether Streamlit draws them (``st.plotly_chart``) or the app does (``ui.charts``, ``.gd-chart``).
Adapted from the project's browser harness; needs Debian's /usr/bin/chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, Server, emit, exit_on_sigterm, machine, percentile

sys.path.insert(0, str(REPO))
from core.maths.experiment import DEFAULT_LR

CHROMIUM = os.environ.get("HARNESS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
APP_PAGES = ["/step-table", "/loss-curve", "/loss-surface"]
VALUES = [0.2, 0.05, 0.4, 0.15, 0.3, 0.1, 0.45, 0.25]

# Installed before Streamlit loads: script-state changes, last DOM / Plotly mutation, Enter time.
INIT_JS = r"""
(() => {
  const h = window.__bench = {states: [], lastMut: 0, lastPlotMut: 0, commit: null};
  new MutationObserver(records => {
    const t = performance.now();
    h.lastMut = t;
    for (const r of records) {
      if (r.attributeName === 'data-test-script-state')
        h.states.push([t, r.target.getAttribute('data-test-script-state')]);
      const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (el && el.closest('[data-testid=stPlotlyChart], .gd-chart')) h.lastPlotMut = t;
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  addEventListener('keydown', e => { if (e.key === 'Enter') h.commit = e.timeStamp; }, true);
})();
"""

# Idle: script done, connected, no spinner or skeleton, every chart drawn, DOM quiet for `quiet`
# ms; with `since`, a rerun or chart change after that time must have been seen too, and with
# `want` = [rate, default rate], the address bar must hold that rate (no lr = the default).
SETTLED_JS = r"""
({quiet, since, want}) => {
  const h = window.__bench, app = document.querySelector('[data-testid=stApp]');
  if (!h || !app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
  if (document.querySelector('[data-testid=stStatusWidget], [data-testid=stSkeleton]')) return false;
  for (const c of document.querySelectorAll('[data-testid=stPlotlyChart], .gd-chart'))
    if (!c.querySelector('.js-plotly-plot .main-svg')) return false;
  const charts = document.querySelectorAll('[data-testid=stPlotlyChart], .gd-chart').length;
  // A rerun of a few ms can flip the script state to running and back within one React render,
  // leaving no attribute change to observe; the address bar holding the new rate (below) and a
  // DOM change since the keypress then show the rerun happened.
  const changed = h.states.some(s => s[0] > since) || (charts && h.lastPlotMut > since)
    || (want !== null && h.lastMut > since);
  if (since !== null && !changed) return false;
  if (want !== null && (new URLSearchParams(location.search).get('lr') ?? want[1]) !== want[0]) return false;
  return performance.now() - h.lastMut >= quiet;
}
"""


class Target:
    """One page in its own browser context (its own Streamlit session), ready to be timed."""

    def __init__(self, browser, name: str, url: str, quiet_ms: int, timeout_s: float) -> None:
        self.name, self.quiet_ms, self.timeout_ms = name, quiet_ms, timeout_s * 1000
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.context.route(lambda u: not u.startswith("http://127.0.0.1"), lambda route: route.abort())
        self.context.add_init_script(INIT_JS)
        self.page = self.context.new_page()
        self.page.goto(url, wait_until="commit", timeout=self.timeout_ms)
        self._settle(None)
        label = re.compile(r"^\s*Learning rate\s*$")
        self.field = self.page.locator("[data-testid=stSidebar] [data-testid=stNumberInput]").filter(
            has=self.page.locator("[data-testid=stWidgetLabel]", has_text=label)
        ).locator("input")
        self.samples: list[dict[str, float]] = []
        self.failures: list[str] = []
        self.warmup_failures: list[str] = []  # the unrecorded first change (kept apart, still reported)

    def _settle(self, since: float | None, want: str | None = None) -> dict:
        self.page.wait_for_function(SETTLED_JS, arg={"quiet": self.quiet_ms, "since": since, "want": want},
                                    polling=50, timeout=self.timeout_ms)
        return self.page.evaluate("() => window.__bench")

    def change(self, value: float, record: bool = True) -> None:
        """Type ``value`` and press Enter; time until the rerun is done and the charts are drawn."""
        self.page.evaluate("() => { window.__bench.commit = null; }")
        self.field.fill(repr(value))
        self.field.press("Enter")
        commit = self.page.evaluate("() => window.__bench.commit")
        try:
            # The app rewrites the URL to the experiment after each run; the bare app does not.
            # (a share link leaves out values at their default).
            record_ = self._settle(commit, None if self.name == "bare" else [repr(value), repr(DEFAULT_LR)])
        except Exception as error:
            (self.failures if record else self.warmup_failures).append(f"{value}: {type(error).__name__}")
            return
        if self.page.locator("[data-testid=stException]").count():
            self.failures.append(f"{value}: exception box")
        done = [t for t, state in record_["states"] if t > commit and state == "notRunning"]
        # No state change seen (see SETTLED_JS): the page's last change stands for the rerun's end.
        end = max(done[-1] if done else record_["lastMut"],
                  record_["lastPlotMut"] if record_["lastPlotMut"] > commit else 0)
        if record:
            self.samples.append({"value": value, "ms": round(end - commit, 1),
                                 "rerun_ms": round(done[-1] - commit, 1) if done else None})

    def summary(self) -> dict[str, object]:
        ms = [s["ms"] for s in self.samples]
        return {"n": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
                "rerun_p50_ms": percentile([s["rerun_ms"] for s in self.samples if s["rerun_ms"]], 50),
                "failures": self.failures, "warmup_failures": self.warmup_failures, "samples": self.samples}


def measure(rounds: int, quiet_ms: int, timeout_s: float) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    result: dict[str, object] = {}
    with Server() as app, Server("benchmarks/bare_app.py") as bare, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        result["chromium"] = browser.version
        warm = browser.new_page()  # st.navigation runs once, as on any server after its first visitor
        warm.goto(app.url + "/")
        warm.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning] [data-testid=stMain] h1",
                               timeout=timeout_s * 1000)
        warm.close()
        targets = [Target(browser, "bare", bare.url + "/", quiet_ms, timeout_s)]
        targets += [Target(browser, path, app.url + path, quiet_ms, timeout_s) for path in APP_PAGES]
        for target in targets:  # warm-up change, not recorded
            target.change(VALUES[-1], record=False)
        for index in range(rounds):  # interleaved: every target gets the same value in the same round
            value = VALUES[index % len(VALUES)]
            for target in targets:
                target.change(value)
        for target in targets:
            result[target.name] = target.summary()
            target.context.close()
        browser.close()
    bare_summary = result["bare"]
    result["ratio"] = {
        path: {key: round(result[path][key] / bare_summary[key], 2) if bare_summary[key] else None
               for key in ("p50_ms", "p95_ms")}
        for path in APP_PAGES
    }
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=12, help="recorded changes per page (default 12)")
    parser.add_argument("--quiet-ms", type=int, default=300, help="DOM still this long = drawn (default 300)")
    parser.add_argument("--timeout", type=float, default=60, help="s per load or change (default 60)")
    parser.add_argument("--out", help="also write the JSON result to this file")
    args = parser.parse_args()
    exit_on_sigterm()
    result = {"machine": machine(), "rounds": args.rounds, "quiet_ms": args.quiet_ms,
              **measure(args.rounds, args.quiet_ms, args.timeout)}
    emit(result, args.out)
    lines = [f"{'target':14s} {'p50 ms':>8s} {'p95 ms':>8s} {'rerun p50':>10s} {'ratio p50':>10s} {'ratio p95':>10s}"]
    for name in ["bare", *APP_PAGES]:
        block, ratio = result[name], result["ratio"].get(name, {})
        lines.append(f"{name:14s} {block['p50_ms']!s:>8s} {block['p95_ms']!s:>8s} {block['rerun_p50_ms']!s:>10s}"
                     f" {ratio.get('p50_ms', '-')!s:>10s} {ratio.get('p95_ms', '-')!s:>10s}")
    print("\n".join(lines), file=sys.stderr)
    failed = any(result[name]["failures"] for name in ["bare", *APP_PAGES])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
