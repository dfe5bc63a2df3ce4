"""The app behind nginx (``deploy/run-local``) and students who reach it as a browser does.

Shared by ``tests/server/test_replicas.py`` and ``benchmarks/bench_replicas.py``:

- :class:`RunLocal` starts ``deploy/run-local --replicas N`` on a free loopback port, reads its
  ``READY`` line (URL, PIDs, ports), can kill one replica by PID, and stops the whole stack by
  run-local's own PID (which stops its nginx and replicas by theirs).
- :class:`BrowserSession` is ``_stream.StreamSession`` plus what a browser brings along behind
  the balancer: it loads the page first (nginx answers with the ``gd_replica`` cookie), sends
  that cookie with the websocket and every download, reconnects after a dropped websocket
  with the address bar's query (that is all a new replica has to go on), and fetches the
  step table's CSV the way the browser does: a plain GET of the ``/media/...`` URL its last run
  handed over — which only the process holding the session can answer, hence the sticky cookie.
"""

from __future__ import annotations

import asyncio
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

import websockets
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, free_port
from _stream import StreamSession

if str(REPO) not in sys.path:
    sys.path.append(str(REPO))  # core/, for the expected summary (pytest has it already)

RUN_LOCAL = REPO / "deploy" / "run-local"
COOKIE = "gd_replica"
CSV_LABEL = "CSV"


def expected_summary(query: str) -> str:
    """The summary caption every page shows for a link: ``describe()`` of core's reading of it."""
    from core.maths.experiment import describe, from_query

    return describe(from_query(parse_qs(query, keep_blank_values=True))[0])


def expected_csv(query: str) -> str:
    """The step table's CSV export for a link, as core makes it (the digits on screen)."""
    from core.maths.experiment import from_query
    from core.maths.training import train
    from core.words.tables import step_table, to_csv

    return to_csv(step_table(train(from_query(parse_qs(query, keep_blank_values=True))[0])))


def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RunLocal:
    """``deploy/run-local --replicas N --port P`` as a context manager (P a free loopback port)."""

    def __init__(self, replicas: int, start_timeout: float = 180.0, env: dict[str, str] | None = None) -> None:
        self.replicas, self.start_timeout = replicas, start_timeout
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        self.proc: subprocess.Popen | None = None
        self.info: dict = {}
        self._err = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed in stop()

    @property
    def url(self) -> str:
        return self.info["url"]

    @property
    def replica_pids(self) -> list[int]:
        return [replica["pid"] for replica in self.info["replicas"]]

    def __enter__(self) -> RunLocal:
        self.proc = subprocess.Popen(
            [sys.executable, str(RUN_LOCAL), "--replicas", str(self.replicas), "--port", str(self.port)],
            cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=self._err, stdin=subprocess.DEVNULL, text=True,
        )
        try:
            self.info = self._read_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _read_ready(self) -> dict:
        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + self.start_timeout
        with selectors.DefaultSelector() as selector:
            selector.register(self.proc.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=0.5):
                    if self.proc.poll() is not None:
                        break
                    continue
                line = self.proc.stdout.readline()
                if line.startswith("READY "):
                    return json.loads(line[len("READY "):])
                if not line and self.proc.poll() is not None:
                    break
        raise RuntimeError(f"run-local did not get ready:\n{self.stderr_tail()}")

    def kill_replica(self, index: int) -> int:
        """SIGKILL one replica (a crash: no goodbye to its browsers); returns its PID."""
        pid = self.replica_pids[index]
        os.kill(pid, signal.SIGKILL)
        return pid

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> None:
        """Signal run-local (it stops nginx and the replicas by PID); SIGKILL it after 30 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()

    def stderr_tail(self, chars: int = 3000) -> str:
        if self._err.closed:
            return ""
        self._err.flush()
        self._err.seek(0)
        return self._err.read()[-chars:]


class BrowserSession(StreamSession):
    """A student's tab behind the balancer (see the module docstring)."""

    def __init__(self, base_url: str, path: str = "/", query: str = "", timeout: float = 120.0) -> None:
        super().__init__(base_url, path, query, timeout=timeout)
        self.cookie = ""  # "gd_replica=..." as the browser stores it
        self.session_id = ""
        self.downloads: dict[str, str] = {}  # download button label → its /media/ URL in the last run
        self._listen_for_session = False

    async def open_page(self) -> int:
        """GET the page as a browser's first request does; keep nginx's sticky cookie. Returns bytes read."""
        url = f"{self.base_url}{self.path}" + (f"?{self.query_string}" if self.query_string else "")
        body, headers = await asyncio.to_thread(_get, url, self.cookie)
        for value in headers.get_all("Set-Cookie") or []:
            name_value = value.split(";", 1)[0].strip()
            if name_value.startswith(f"{COOKIE}="):
                self.cookie = name_value
        return len(body)

    async def connect(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        headers = {"Cookie": self.cookie} if self.cookie else None
        self._ws = await websockets.connect(
            ws_url, subprotocols=["streamlit"], origin=self.base_url, max_size=None, open_timeout=self.timeout,
            ping_interval=None, compression=None, additional_headers=headers,
        )
        self.session_id = ""
        self._listen_for_session = True

    async def wait_closed(self, seconds: float) -> bool:
        """Idle like a student reading the page for ``seconds``; True if the websocket dropped meanwhile."""
        assert self._ws is not None
        try:
            await asyncio.wait_for(asyncio.shield(self._ws.wait_closed()), seconds)
        except TimeoutError:
            return False
        return True

    def _read_delta(self, forward: ForwardMsg, result) -> None:
        super()._read_delta(forward, result)
        if forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            if element.WhichOneof("type") == "download_button":
                self.downloads[element.download_button.label] = element.download_button.url

    async def run(self, number_inputs: dict[str, float] | None = None):
        if self._listen_for_session:
            # The session id arrives in the first run's new_session; read it from a copy of
            # that message without changing how StreamSession reads the run.
            self._ws = _SessionIdTap(self._ws, self)
        try:
            return await super().run(number_inputs)
        finally:
            if isinstance(self._ws, _SessionIdTap):
                self._ws = self._ws.inner

    async def download(self, label: str = CSV_LABEL) -> tuple[int, bytes, str]:
        """Click a download button as the browser does (a GET of the file the last run handed over).

        Returns (HTTP status, body, media URL). Only the process holding the session has the file.
        """
        assert self._ws is not None and self.downloads, "open the page first"
        url = self.downloads[label]
        full = url if url.startswith("http") else f"{self.base_url}/{url.lstrip('/')}"
        try:
            body, _ = await asyncio.to_thread(_get, full, self.cookie)
        except urllib.error.HTTPError as error:
            return error.code, b"", url
        return 200, body, url


class _SessionIdTap:
    """Wraps the websocket during a session's first run to note ``new_session``'s session id."""

    def __init__(self, inner: websockets.ClientConnection, owner: BrowserSession) -> None:
        self.inner, self.owner = inner, owner

    async def recv(self):
        data = await self.inner.recv()
        if self.owner._listen_for_session and isinstance(data, bytes):
            forward = ForwardMsg.FromString(data)
            if forward.WhichOneof("type") == "new_session":
                self.owner.session_id = forward.new_session.initialize.session_id
                self.owner._listen_for_session = False
        return data

    def __getattr__(self, name: str):
        return getattr(self.inner, name)


def _get(url: str, cookie: str) -> tuple[bytes, object]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers
