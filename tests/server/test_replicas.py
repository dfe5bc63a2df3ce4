"""Two replicas behind Debian's nginx (``deploy/run-local``), as a school would run them (issue #17).

No browser: every student is a websocket session that behaves as the page does behind the
balancer (``benchmarks/_balancer.py``): it loads the page and keeps nginx's sticky cookie,
opens its websocket with it, and downloads the step table's CSV the way Streamlit's page does
(a GET of the ``/media/...`` URL the session's last run handed over).

- 20 students on every page, each with an experiment of its own in the link; one replica is
  killed with SIGKILL in the middle of the class; every student whose websocket dropped is
  back on the live replica within 10 s showing the same experiment (the URL holds it), with
  no exception box anywhere, and every CSV downloads through nginx before and after.
- The download URL exists only in the process that holds the session: through nginx with the
  cookie it works every time, on the other replica (or without the cookie) it does not.
- The nginx file does what it says: the cookie, gzip, year-long caching of plotly.js.
- run-local stops nginx and every replica it started on SIGTERM and on Ctrl-C (SIGINT).
"""

from __future__ import annotations

import os
import signal
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import async_runner
import pytest
from plotly.offline import get_plotlyjs_version

from benchmarks._balancer import COOKIE, REPO, BrowserSession, RunLocal, expected_csv
from benchmarks._failover import class_with_failover

NGINX = "/usr/sbin/nginx"
pytestmark = pytest.mark.skipif(
    not os.access(NGINX, os.X_OK) and os.environ.get("CI") != "true",
    reason="Debian's nginx is not installed (apt-get install nginx); required in CI",
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited: it only waits for its parent to read its status.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _gone_soon(pids: list[int], seconds: float = 15.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.2)
    return [pid for pid in pids if _alive(pid)]


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    """Status, headers (looked up case-insensitively: uvicorn's are lower case) and body."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, b""


def test_a_class_survives_a_replica_crash():
    with RunLocal(replicas=2) as stack:
        pids = [stack.info["nginx_pid"], *stack.replica_pids]
        outcomes, summary = async_runner.run(class_with_failover(
            stack, students=20, interval=2.0, kill_after=4.0, after_kill=12.0, quiet_downloads=True,
        ))
        log = stack.stderr_tail()
        nginx_errors = (Path(stack.info["prefix"]) / "logs" / "error.log").read_text()[-3000:]
    report = f"{summary}\n{log}\nnginx error.log:\n{nginx_errors}"
    assert summary["opened"] == 20, report
    # The cookie spread the class over both replicas: some lost their process, some did not.
    assert 0 < summary["dropped"] < 20, report
    assert summary["recovered"] == summary["dropped"], report
    assert summary["recovery_s"]["max"] <= 10.0, report
    assert summary["exception_boxes"] == 0, report
    assert summary["changes"] >= 20 and summary["failed_changes"] == 0, report
    assert summary["downloaders"] == 10, report
    assert summary["csv_before_ok"] == summary["csv_after_ok"] == 10, report
    # Recovered means: the same page, the experiment of the address bar at the drop, as core reads it.
    assert all(s.summary_after for s in outcomes if s.dropped), report
    assert _gone_soon(pids) == [], "run-local left processes behind on SIGTERM"


def test_a_download_reaches_only_the_process_holding_the_session():
    with RunLocal(replicas=2) as stack:
        query = "lr=0.237&steps=6"
        outcome = async_runner.run(_download_twice(stack.url, query))
        status, body, url, cookie = outcome
        assert status == 200 and body.decode() == expected_csv(query)
        # The file is in one process only: the replica the cookie leads to.
        holders = [r["port"] for r in stack.info["replicas"]
                   if _get(f"http://127.0.0.1:{r['port']}{url}")[0] == 200]
        assert len(holders) == 1, holders
        # Through nginx with the cookie: every time. Without it nginx spreads the requests (a
        # fresh request id each), and the other replica has no such file.
        with_cookie = [_get(stack.url + url, {"Cookie": cookie})[0] for _ in range(10)]
        without = [_get(stack.url + url)[0] for _ in range(20)]
        assert with_cookie == [200] * 10
        assert 404 in without and 200 in without, without

        # The nginx file's promises, checked on the wire.
        status, headers, _ = _get(stack.url + "/step-table")
        assert status == 200 and headers["Set-Cookie"].startswith(f"{COOKIE}=")
        assert "HttpOnly" in headers["Set-Cookie"] and "SameSite=Lax" in headers["Set-Cookie"]
        status, headers, _ = _get(stack.url + "/step-table", {"Cookie": cookie})
        assert headers.get("Set-Cookie") is None, "a browser that has the cookie keeps it"
        plotly = f"plotly-{get_plotlyjs_version()}.min.js"  # copied to static/ by the loss curve's chart
        status, headers, body = _get(f"{stack.url}/app/static/{plotly}", {"Accept-Encoding": "gzip", "Cookie": cookie})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert len(body) < (REPO / "static" / plotly).stat().st_size / 2

        pids = [stack.info["nginx_pid"], *stack.replica_pids]
        stack.stop(signal.SIGINT)  # Ctrl-C in the terminal
        assert _gone_soon(pids) == [], "run-local left processes behind on Ctrl-C"


async def _download_twice(url: str, query: str) -> tuple[int, bytes, str, str]:
    session = BrowserSession(url, "/step-table", query, timeout=60)
    try:
        await session.open_page()
        await session.connect()
        first = await session.run()
        assert first.ok, first
        status, body, media_url = await session.download()
    finally:
        await session.close()
    chart = BrowserSession(url, "/loss-curve", query, timeout=60)  # a chart: plotly.js in static/
    try:
        await chart.open_page()
        await chart.connect()
        assert (await chart.run()).ok
    finally:
        await chart.close()
    return status, body, media_url, session.cookie
