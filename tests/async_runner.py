"""Run a coroutine to completion from a test, whatever else the test process is running.

The browser tests keep one Playwright (sync API) alive for the whole session, and its event loop
counts as running on the main thread: ``asyncio.run`` there raises "cannot be called from a
running event loop". The server tests' websocket students therefore run on a thread of their own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(coroutine)`` on a fresh thread, returning its result (or raising its error)."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="async-test") as pool:
        return pool.submit(asyncio.run, coroutine).result()
