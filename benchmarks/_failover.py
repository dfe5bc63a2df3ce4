"""A replica dies in the middle of a class: what each student sees (tests/server and the benchmark).

Every student is a :class:`_balancer.BrowserSession` behind nginx: it loads the page (and with
it the sticky cookie), opens its websocket, and changes the learning rate every ``interval``
± 1 s. Students on the step table also download its CSV export through nginx once before the
fault and once after. At ``kill_after`` s one replica is killed with SIGKILL (a crash, no
goodbye). A student whose websocket drops does what Streamlit's page does: it reconnects
(0.5 s, then doubling up to 4 s between attempts, as a browser backs off) and asks for a run
with the address bar's query — all a new replica knows of the student is the URL. It counts
as recovered when that run finishes with no exception element, on the same page, showing the
same experiment it showed before the drop (the summary caption every page draws).

Every student's link is a different experiment, so every CSV export is a different file and
Streamlit's content-derived ``/media`` names never let another replica answer by chance: a
download that works reached the process holding the session.

``quiet_downloads`` (the test) downloads while nobody's script is running: Streamlit drops a
generated download at the second script-run end anywhere in the process after it was made
(``MediaFileManager.remove_orphaned_files``), so in a busy class a click can get a 404 that has
nothing to do with the balancer; the benchmark downloads mid-class and counts those.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from _balancer import CSV_LABEL, BrowserSession, RunLocal, expected_csv, expected_summary

LABEL = "Learning rate"
RECONNECT_FIRST_S, RECONNECT_MAX_S, RECONNECT_GIVE_UP_S = 0.5, 4.0, 60.0
# Links the class was sent: every page, one- and two-point data; {lr} differs per student.
LINKS: tuple[tuple[str, str], ...] = (
    ("/step-table", "lr={lr}&steps=7"),
    ("/loss-curve", "lr={lr}"),
    ("/loss-surface", "a=1&b=0&lr={lr}&steps=12"),
    ("/", "data=1:2,3:5&lr={lr}&steps=9"),
)
DOWNLOAD_PATHS = ("/", "/step-table")


def link(index: int) -> tuple[str, str]:
    """Student ``index``'s link: a learning rate of its own (0.101, 0.102, ...)."""
    path, query = LINKS[index % len(LINKS)]
    return path, query.format(lr=f"{0.1 + (index + 1) / 1000:.3f}")


class Gate:
    """Everyone waits here until all have arrived (or ``timeout``: a student who failed never comes)."""

    def __init__(self, parties: int) -> None:
        self.parties, self.count, self.event = parties, 0, asyncio.Event()

    def leave(self) -> None:
        """A student who will never come (it failed) stops being waited for."""
        self.parties -= 1
        if self.count >= self.parties:
            self.event.set()

    async def wait(self, timeout: float) -> None:
        self.count += 1
        if self.count >= self.parties:
            self.event.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), timeout)


@dataclass
class Student:
    """What one student saw."""

    path: str
    query: str
    opened: bool = False
    summary_before: str = ""
    changes: int = 0
    failed_changes: int = 0
    dropped: bool = False
    recovered: bool = False
    recovery_s: float | None = None  # kill → first successful run on a live replica
    summary_after: str = ""
    exceptions: list[str] = field(default_factory=list)
    csv_before: str = ""  # "ok" or what went wrong
    csv_after: str = ""
    problems: list[str] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)  # each reconnect attempt: when, what happened

    @property
    def ok(self) -> bool:
        return self.opened and not self.problems and not self.exceptions


def _summary(session: BrowserSession) -> str:
    wanted = expected_summary(session.query_string)
    return wanted if any(wanted in text for text in session.texts) else ""


async def _csv(session: BrowserSession) -> str:
    """"ok", or what went wrong; a failed click is followed by a second one a second later, as a
    student would ("second click ok" then: the first fell in Streamlit's orphan sweep)."""
    first = await _click(session)
    if first == "ok":
        return first
    await asyncio.sleep(1.0)
    return f"second click ok after {first}" if await _click(session) == "ok" else first


async def _click(session: BrowserSession) -> str:
    status, body, url = await session.download(CSV_LABEL)
    if status != 200:
        return f"HTTP {status} for {url or body[:80]!r}"
    if body.decode() != expected_csv(session.query_string):
        return f"CSV differs from core's for {session.query_string!r}"
    return "ok"


@dataclass
class Lesson:
    """What every student of one run shares: the timetable and the kill."""

    interval: float
    quiet_downloads: bool
    opened: Gate
    downloaded: Gate
    stopped: Gate
    killed: asyncio.Event = field(default_factory=asyncio.Event)
    kill_time: list[float] = field(default_factory=lambda: [0.0])
    end_at: float = 0.0


async def _student(base_url: str, index: int, seed: int, start_delay: float, lesson: Lesson) -> Student:
    rng = random.Random(seed)
    student = Student(*link(index))
    await asyncio.sleep(start_delay)
    session = BrowserSession(base_url, student.path, student.query, timeout=60)
    downloads = student.path in DOWNLOAD_PATHS
    gates = [lesson.opened, lesson.downloaded, lesson.stopped]
    try:
        await session.open_page()
        await session.connect()
        first = await session.run()
        student.exceptions += first.exceptions
        student.summary_before = _summary(session)
        student.opened = first.ok and bool(student.summary_before)
        if not student.opened:
            student.problems.append(f"first run {first.status}, summary shown: {bool(student.summary_before)}")
            return student
        if lesson.quiet_downloads:
            await gates.pop(0).wait(120)
        if downloads:
            student.csv_before = await _csv(session)
        if lesson.quiet_downloads:
            await gates.pop(0).wait(60)
        while time.monotonic() < lesson.end_at:
            if await session.wait_closed(lesson.interval + rng.uniform(-1.0, 1.0)):
                # Dropped while reading the page: the address bar holds the last experiment.
                await _reconnect(student, session, lesson, _summary_of_url(session))
                if student.problems:
                    return student
                if downloads and not lesson.quiet_downloads:
                    student.csv_after = await _csv(session)
                continue
            if time.monotonic() >= lesson.end_at:
                break
            result = await session.run({LABEL: round(rng.uniform(0.01, 0.45), 2)})
            if result.status == "timeout":  # the replica died during this run
                # The address bar as it was left: the new rate is in it if the run got as far as
                # rewriting the URL, else the previous one is.
                await _reconnect(student, session, lesson, _summary_of_url(session))
                if student.problems:
                    return student
                if downloads and not lesson.quiet_downloads:
                    student.csv_after = await _csv(session)
                continue
            student.changes += 1
            student.exceptions += result.exceptions
            if not result.ok:
                student.failed_changes += 1
        if lesson.quiet_downloads:
            await gates.pop(0).wait(120)
        if downloads and not student.csv_after:
            student.csv_after = await _csv(session)
    except (OSError, websockets.WebSocketException) as error:
        student.problems.append(f"{type(error).__name__}: {error}")
    finally:
        for gate in gates:  # a student who left early is not waited for
            gate.leave()
        await session.close()
    return student


async def _reconnect(student: Student, session: BrowserSession, lesson: Lesson, dropped_summary: str) -> None:
    student.dropped = True
    delay, give_up = RECONNECT_FIRST_S, time.monotonic() + RECONNECT_GIVE_UP_S
    await session.close()
    since = lesson.kill_time[0] or time.monotonic()
    while time.monotonic() < give_up:
        await asyncio.sleep(delay)
        start = time.monotonic() - since
        try:
            await session.connect()
            connected = time.monotonic() - since
            result = await session.run()
        except (OSError, websockets.InvalidStatus, websockets.InvalidHandshake, TimeoutError) as error:
            status = getattr(getattr(error, "response", None), "status_code", "")
            student.attempts.append(f"{start:.2f}s: {type(error).__name__} {status}".rstrip())
            delay = min(delay * 2, RECONNECT_MAX_S)
            continue
        student.attempts.append(f"{start:.2f}s: connected {connected:.2f}s, run {result.status} {result.ms:.0f} ms")
        if result.status == "timeout":  # dropped again while running
            await session.close()
            delay = min(delay * 2, RECONNECT_MAX_S)
            continue
        student.exceptions += result.exceptions
        if lesson.killed.is_set():
            student.recovery_s = round(time.monotonic() - lesson.kill_time[0], 2)
        student.summary_after = _summary(session)
        student.recovered = result.ok and student.summary_after == dropped_summary != ""
        if not student.recovered:
            student.problems.append(f"after reconnecting: {result.status}, summary {student.summary_after!r}"
                                    f" instead of {dropped_summary!r}")
        return
    student.problems.append(f"no live replica within {RECONNECT_GIVE_UP_S:.0f} s")


def _summary_of_url(session: BrowserSession) -> str:
    """The experiment the address bar holds now (what a reconnect must show again)."""
    return expected_summary(session.query_string)


async def class_with_failover(stack: RunLocal, students: int, interval: float, kill_after: float,
                              after_kill: float, victim: int = 0, seed: int = 1,
                              quiet_downloads: bool = False) -> tuple[list[Student], dict]:
    """Run the class; kill replica ``victim`` ``kill_after`` s after the class got going."""
    lesson = Lesson(interval, quiet_downloads, Gate(students), Gate(students), Gate(students))
    arrive_over = min(interval, 5.0)
    tasks = [
        asyncio.create_task(_student(stack.url, i, seed + i, arrive_over * i / students, lesson))
        for i in range(students)
    ]
    lesson.end_at = time.monotonic() + 3600  # set for real once the class is going
    if quiet_downloads:
        await asyncio.wait_for(lesson.downloaded.event.wait(), 180)
    else:
        await asyncio.sleep(arrive_over)
    going = time.monotonic()
    lesson.end_at = going + kill_after + after_kill
    await asyncio.sleep(kill_after)
    lesson.kill_time[0] = time.monotonic()
    pid = stack.kill_replica(victim)
    lesson.killed.set()
    outcomes = list(await asyncio.wait_for(asyncio.gather(*tasks), after_kill + RECONNECT_GIVE_UP_S + 180))
    # On a shared machine another program may start listening on the dead replica's port; nginx
    # would then send that replica's students to it. Said here, so a failure can be read.
    port_reused = _listening(stack.info["replicas"][victim]["port"])
    times = sorted(s.recovery_s for s in outcomes if s.recovery_s is not None)
    summary = {
        "students": students, "killed_pid": pid, "killed_port_listening_again": port_reused,
        "interval_s": interval, "quiet_downloads": quiet_downloads,
        "opened": sum(s.opened for s in outcomes),
        "dropped": sum(s.dropped for s in outcomes), "recovered": sum(s.recovered for s in outcomes),
        "recovery_s": {"min": times[0] if times else None, "median": times[len(times) // 2] if times else None,
                       "max": times[-1] if times else None},
        "exception_boxes": sum(len(s.exceptions) for s in outcomes),
        "changes": sum(s.changes for s in outcomes), "failed_changes": sum(s.failed_changes for s in outcomes),
        "downloaders": sum(s.path in DOWNLOAD_PATHS for s in outcomes),
        "csv_before_ok": sum(s.csv_before == "ok" for s in outcomes),
        "csv_after_ok": sum(s.csv_after == "ok" for s in outcomes),
        "csv_ok_on_second_click": sum(c.startswith("second click ok") for s in outcomes
                                      for c in (s.csv_before, s.csv_after)),
        "csv_problems": [f"{s.query}: {c}" for s in outcomes for c in (s.csv_before, s.csv_after) if c and c != "ok"],
        "problems": [f"{s.path}?{s.query}: {p}" for s in outcomes for p in s.problems][:10],
        "slowest_reconnect": max((s for s in outcomes if s.recovery_s is not None), key=lambda s: s.recovery_s,
                                 default=Student("", "")).attempts,
    }
    return outcomes, summary


def _listening(port: int) -> bool:
    """Whether anything listens on this loopback TCP port now (/proc/net/tcp, state 0A)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                return True
    return False
