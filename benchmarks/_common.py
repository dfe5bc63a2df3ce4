"""Shared pieces of the benchmarks: a loopback Streamlit server, the machine, percentiles.

The benchmarks are scripts, not tests (pytest only collects ``tests/``). Each one starts its
own server on a free loopback port with :class:`Server` and stops it by its own PID.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerExited(RuntimeError):
    """The server process ended before it answered /_stcore/health."""


def wait_healthy(url: str, timeout: float = 60.0, still_starting=None) -> None:
    """Wait until the server at ``url`` answers /_stcore/health.

    ``still_starting`` (optional) is called on every try; it raises :class:`ServerExited` when the
    server process has already ended, so a crash is reported at once rather than after the time-out.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if still_starting is not None:
            still_starting()
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"no {url}/_stcore/health after {timeout:.0f} s")


def exit_on_sigterm() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit, so ``with Server(...)`` blocks still stop the server."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, lambda number, _frame: sys.exit(128 + number))


def emit(result: dict, out: str | None) -> None:
    """Print a benchmark's JSON result, and write it to ``out`` too when one was asked for."""
    text = json.dumps(result, indent=2)
    if out:
        Path(out).write_text(text + "\n")
    print(text)


class Server:
    """``python -m streamlit run APP`` on a free loopback port, as a context manager.

    ``extra`` are further ``--section.option value`` flags (e.g. a short session TTL for
    the load benchmark); ``env`` adds to the server's environment. The server's own PID is read
    for CPU time and memory. Everything else comes from the app's ``.streamlit/config.toml``,
    as on Community Cloud: a benchmark measures the server a teacher deploys (an earlier flag
    here turned the file watcher off and hid what it cost every new session).
    """

    def __init__(self, app: str = "app.py", cwd: Path = REPO, extra: list[str] | None = None,
                 start_timeout: float = 60.0, env: dict[str, str] | None = None) -> None:
        self.app, self.cwd, self.extra, self.start_timeout = app, cwd, list(extra or []), start_timeout
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - lives as long as the server; closed in stop()

    def __enter__(self) -> Server:
        command = [
            sys.executable, "-m", "streamlit", "run", self.app,
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false",
            *self.extra,
        ]
        self.proc = subprocess.Popen(command, cwd=self.cwd, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=self.env)
        try:
            self._wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _wait_healthy(self) -> None:
        def still_starting() -> None:
            if self.proc is not None and self.proc.poll() is not None:
                raise ServerExited(f"streamlit exited with {self.proc.returncode}:\n{self.log_tail()}")

        try:
            wait_healthy(self.url, self.start_timeout, still_starting)
        except ServerExited:
            raise
        except RuntimeError as error:  # the time-out: say what the server logged meanwhile
            raise RuntimeError(f"{error}:\n{self.log_tail()}") from None

    def stop(self) -> None:
        """SIGTERM our own server PID; SIGKILL it after 10 s."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log.close()

    def log_tail(self, chars: int = 3000) -> str:
        if self._log.closed:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read()[-chars:]

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used so far (/proc/PID/stat)."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def event_loop(self) -> str:
        """"uvloop" when the server process has uvloop's extension loaded, else "asyncio".

        Streamlit runs its event loop on uvloop whenever it can import it (not on Windows).
        """
        return "uvloop" if "uvloop" in Path(f"/proc/{self.pid}/maps").read_text() else "asyncio"

    def watches_files(self) -> bool:
        """Does the server hold an inotify descriptor, i.e. has Streamlit's file watcher (watchdog) started?

        It starts with the first session when ``server.fileWatcherType`` allows it; the app's
        config turns it off (see ``.streamlit/config.toml``).
        """
        fds = Path(f"/proc/{self.pid}/fd")
        links = []
        for fd in fds.iterdir():
            with contextlib.suppress(OSError):
                links.append(os.readlink(fd))
        return any("inotify" in link for link in links)

    def memory_kb(self) -> dict[str, int]:
        """VmRSS (now) and VmHWM (peak) of the server process, in kB (/proc/PID/status)."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        return {key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) for key in ("VmRSS", "VmHWM")}


def without_uvloop(folder: Path) -> dict[str, str]:
    """An environment in which ``import uvloop`` fails, so Streamlit runs on asyncio's own loop.

    Writes a stand-in ``uvloop`` package into ``folder`` and puts it first on ``PYTHONPATH``:
    the same interpreter and packages, only the event loop differs (for before/after figures).
    """
    package = folder / "uvloop"
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text('raise ModuleNotFoundError("uvloop hidden for a benchmark")\n')
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))}


def percentile(values: list[float], p: float) -> float | None:
    """Linearly interpolated percentile (p in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return round(ordered[low] + (ordered[high] - ordered[low]) * (k - low), 1)


def machine() -> dict[str, object]:
    """What the figures were measured on (quoted in PERFORMANCE.md)."""
    import plotly
    import streamlit

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    except OSError:
        mem_kb = 0
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }
