"""A student without a browser: Streamlit's websocket protocol, spoken directly.

What the browser does, as read from the installed Streamlit 1.67 source
(``web/server/starlette/starlette_websocket.py``, ``runtime/app_session.py``):

- connect to ``ws://HOST:PORT/_stcore/stream`` with the subprotocol ``streamlit``
  (positions 2 and 3 of that header carry an XSRF token and a session id to resume;
  both are optional: the XSRF token only unlocks auth cookies, so ``enableXsrfProtection
  = true`` in ``.streamlit/config.toml`` does not stop a plain connection);
- send a ``BackMsg`` ``rerun_script`` (a ``ClientState``: query string, page name from
  the URL path, widget states, context info); the server answers with a stream of
  ``ForwardMsg`` (``new_session``, ``navigation``, deltas, ``page_info_changed`` when
  the app rewrites the URL, …) that ends with ``script_finished``;
- a widget change is another ``rerun_script`` with the widget's state (its id comes from
  the element in the deltas) and the page's ``page_script_hash``.

This client never sends ``cached_message_hashes``, so the server sends every element in
full — a little more work than a browser causes, never less.

``quickack``: on this Linux loopback a rerun's messages after ``new_session`` arrive ~40 ms
late, all at once, even for a bare app — the signature of Nagle's algorithm on the sending
side meeting a delayed ACK on the receiving side. Acknowledging at once (``TCP_QUICKACK``
before every read) removes that stall, so a benchmark of the server's own time sets it;
the load benchmark leaves it off, as a browser's socket does.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.NumberInput_pb2 import NumberInput

FINISHED_OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


@dataclass
class RunResult:
    """One script run as the client saw it."""

    ms: float  # send of the rerun request → script_finished received
    ok: bool  # finished successfully, no exception element, no "page not found"
    status: str
    exceptions: list[str] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    page_not_found: bool = False


class StreamSession:
    """One Streamlit session over a raw websocket (see the module docstring)."""

    def __init__(self, base_url: str, path: str = "/", query: str = "", timeout: float = 120.0,
                 quickack: bool = False) -> None:
        self.base_url, self.path, self.query_string, self.timeout = base_url, path, query, timeout
        self.quickack = quickack and hasattr(socket, "TCP_QUICKACK")
        self.page_name = path.strip("/")
        self.page_script_hash = ""
        self.page_url = ""  # url_pathname of the page the server ran ("" for the default page at "/")
        self.widgets: dict[str, NumberInput] = {}
        self.texts: list[str] = []  # markdown / caption / html bodies of the last run
        self._ws: websockets.ClientConnection | None = None

    async def connect(self) -> None:
        ws_url = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        self._ws = await websockets.connect(
            ws_url, subprotocols=["streamlit"], origin=self.base_url, max_size=None, open_timeout=self.timeout,
            ping_interval=None, compression=None,
        )

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def widget_id(self, label: str) -> str:
        return self.widgets[label].id

    async def run(self, number_inputs: dict[str, float] | None = None) -> RunResult:
        """Ask for a rerun (the first one opens the page) and read until ``script_finished``.

        ``number_inputs`` maps a number_input's label to the value the student typed.
        """
        message = BackMsg()
        state = message.rerun_script
        state.query_string = self.query_string
        state.page_name = self.page_name if not self.page_script_hash else ""
        state.page_script_hash = self.page_script_hash
        state.context_info.url = f"{self.base_url}{self.path}"
        state.context_info.timezone = "UTC"
        state.context_info.locale = "en-US"
        for label, value in (number_inputs or {}).items():
            widget = self.widgets[label]
            widget_state = state.widget_states.widgets.add()
            widget_state.id = widget.id
            if widget.data_type == NumberInput.INT:
                widget_state.int_value = int(value)
            else:
                widget_state.double_value = float(value)
        assert self._ws is not None, "connect() first"
        start = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        return await self._read_run(start)

    async def _read_run(self, start: float) -> RunResult:
        assert self._ws is not None
        result = RunResult(ms=0.0, ok=False, status="timeout")
        self.texts = []
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                return result
            if self.quickack:
                self._ws.transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            data = await _recv(self._ws, remaining)
            if data is None:
                return result
            result.messages += 1
            result.bytes += len(data)
            forward = ForwardMsg.FromString(data)
            kind = forward.WhichOneof("type")
            if kind == "delta":
                self._read_delta(forward, result)
            elif kind == "navigation":
                self.page_script_hash = forward.navigation.page_script_hash
                self.page_url = next((page.url_pathname for page in forward.navigation.app_pages
                                      if page.page_script_hash == self.page_script_hash), "")
            elif kind == "new_session" and forward.new_session.page_script_hash and not self.page_script_hash:
                self.page_script_hash = forward.new_session.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = forward.page_info_changed.query_string
            elif kind == "page_not_found":
                result.page_not_found = True
            elif kind == "script_finished":
                result.ms = (time.perf_counter() - start) * 1000
                result.status = ForwardMsg.ScriptFinishedStatus.Name(forward.script_finished)
                if forward.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue  # a newer run of ours follows
                result.ok = (forward.script_finished in FINISHED_OK and not result.exceptions
                             and not result.page_not_found)
                return result

    def _read_delta(self, forward: ForwardMsg, result: RunResult) -> None:
        if forward.delta.WhichOneof("type") != "new_element":
            return
        element = forward.delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            result.exceptions.append(f"{element.exception.type}: {element.exception.message}"[:300])
        elif kind == "number_input":
            self.widgets[element.number_input.label] = element.number_input
        elif kind == "markdown":
            self.texts.append(element.markdown.body)
        elif kind == "html":
            self.texts.append(element.html.body)


async def first_view(base_url: str, path: str = "/", query: str = "", timeout: float = 120.0) -> RunResult:
    """One student's first view: connect, run the page once, leave; raises if it did not open cleanly."""
    session = StreamSession(base_url, path, query, timeout=timeout)
    await session.connect()
    try:
        result = await session.run()
    finally:
        await session.close()
    if not result.ok:
        raise RuntimeError(f"{base_url}{path}: {result.exceptions or result.status}")
    return result


async def _recv(ws: websockets.ClientConnection, timeout: float) -> bytes | None:
    import asyncio

    try:
        data = await asyncio.wait_for(ws.recv(), timeout)
    except (TimeoutError, websockets.ConnectionClosed):
        return None
    return data if isinstance(data, bytes) else data.encode()
