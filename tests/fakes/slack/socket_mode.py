"""A fake of Slack's Socket Mode beside a FakeSlack: `apps.connections.open` on the fake's Web
API and a websocket server (the `websockets` package) speaking the protocol as Slack documents
it (api.slack.com/apis/socket-mode).

- `apps.connections.open` takes the app-level token (`xapp-...`), not the bot token; it answers
  `{"ok": true, "url": "ws://127.0.0.1:<port>/link/?ticket=...&app_id=..."}`, a single-use
  ticket; a wrong or revoked app token is `{"ok": false, "error": "invalid_auth"}`.
- On connect the server sends `{"type": "hello", "num_connections", "debug_info",
  "connection_info"}`.
- `send(type, payload)` pushes an envelope `{"envelope_id", "type": events_api | interactive |
  slash_commands, "payload", "accepts_response_payload", "retry_attempt", "retry_reason"}` to
  the newest connection; the client acknowledges with `{"envelope_id": ...}` (optionally a
  `payload`), which the fake records in `acks` with the time it came.
- `disconnect(reason)` sends `{"type": "disconnect", "reason": "refresh_requested" |
  "warning" | ..., "debug_info"}`: the client must open a new URL and connect again; the old
  connection gets no more envelopes.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve

from tests.fakes.slack.server import FakeSlack, SlackError

APP_ID = "A0KNOWLEDGE"
HOST = "applink-fake-1"


@dataclass
class Ack:
    envelope_id: str
    at: float  # time.monotonic() when it arrived
    payload: Any = None


class FakeSocketMode:
    """Use as a context manager around a started FakeSlack."""

    def __init__(self, slack: FakeSlack) -> None:
        self.slack = slack
        self.app_token = f"xapp-1-{APP_ID}-{slack.workspace.team_id}-fake"
        self.revoked = False
        self.opens = 0  # apps.connections.open calls answered with a URL
        self.refusals = 0  # apps.connections.open calls refused
        self.connections = 0  # websocket connections accepted (each answered `hello`)
        self.acks: list[Ack] = []
        self.sent: dict[str, float] = {}  # envelope id -> time.monotonic() it was sent
        self._tickets: set[str] = set()
        self._live: list[ServerConnection] = []  # newest last; retired ones removed
        self._changed = threading.Condition()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeSocketMode:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)

            async def begin() -> None:
                self._server = await serve(self._serve, "127.0.0.1", 0)
                self.port = next(iter(self._server.sockets)).getsockname()[1]

            loop.run_until_complete(begin())
            ready.set()
            loop.run_forever()
            loop.close()

        threading.Thread(target=run, daemon=True, name="fake-socket-mode").start()
        if not ready.wait(10):
            raise TimeoutError("the fake Socket Mode server did not start")
        self.slack.app_methods["apps.connections.open"] = self._connections_open
        return self

    def stop(self) -> None:
        self.slack.app_methods.pop("apps.connections.open", None)
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def end() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(end(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        self._loop = self._server = None

    def __enter__(self) -> FakeSocketMode:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def credentials(self) -> dict[str, Any]:
        """The connection's credentials with Socket Mode: the bot's, and the app token."""
        return {**self.slack.credentials(), "app_token": self.app_token}

    # --- apps.connections.open (on the FakeSlack's Web API) --------------------------------

    def _connections_open(self, token: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if not token:
            self.refusals += 1
            raise SlackError("not_authed")
        if token != self.app_token or self.revoked:
            self.refusals += 1
            raise SlackError("invalid_auth")
        ticket = uuid.uuid4().hex
        self._tickets.add(ticket)
        self.opens += 1
        return {"url": f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}&app_id={APP_ID}"}

    # --- the websocket ----------------------------------------------------------------------

    async def _serve(self, connection: ServerConnection) -> None:
        request = connection.request
        query = parse_qs(urlsplit(request.path if request else "").query)
        ticket = (query.get("ticket") or [""])[0]
        if ticket not in self._tickets:
            await connection.close(code=1008, reason="invalid ticket")
            return
        self._tickets.discard(ticket)  # a ticket opens one connection
        with self._changed:
            self._live.append(connection)
            self.connections += 1
            self._changed.notify_all()
        await connection.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": len(self._live),
                    "debug_info": {
                        "host": HOST,
                        "build_number": 105,
                        "approximate_connection_time": 18060,
                    },
                    "connection_info": {"app_id": APP_ID},
                }
            )
        )
        try:
            async for raw in connection:
                try:
                    message = json.loads(raw)
                except ValueError:
                    continue
                if isinstance(message, dict) and message.get("envelope_id"):
                    with self._changed:
                        self.acks.append(
                            Ack(
                                str(message["envelope_id"]),
                                time.monotonic(),
                                message.get("payload"),
                            )
                        )
                        self._changed.notify_all()
        except Exception:  # noqa: BLE001 - a client going away mid-frame ends its connection
            pass
        finally:
            with self._changed:
                if connection in self._live:
                    self._live.remove(connection)
                self._changed.notify_all()

    def _push(self, message: Mapping[str, Any]) -> None:
        with self._changed:
            if not self._live:
                raise RuntimeError("no Socket Mode client is connected")
            target = self._live[-1]
        assert self._loop is not None
        asyncio.run_coroutine_threadsafe(target.send(json.dumps(message)), self._loop).result(10)

    def send(self, kind: str, payload: Mapping[str, Any], *, accepts_response: bool = False) -> str:
        """An envelope to the newest connection; its envelope id."""
        envelope_id = str(uuid.uuid4())
        self.sent[envelope_id] = time.monotonic()
        self._push(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": dict(payload),
                "accepts_response_payload": accepts_response,
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return envelope_id

    def disconnect(self, reason: str = "refresh_requested") -> None:
        """Tell the newest connection to go; it gets no more envelopes."""
        with self._changed:
            target = self._live[-1] if self._live else None
            if target is not None:
                self._live.remove(target)
        if target is None:
            raise RuntimeError("no Socket Mode client is connected")
        assert self._loop is not None
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": HOST}}
        asyncio.run_coroutine_threadsafe(target.send(json.dumps(message)), self._loop).result(10)

    # --- waiting (for a test's deadline) -----------------------------------------------------

    def wait_for(self, condition: Any, timeout: float) -> bool:
        with self._changed:
            return self._changed.wait_for(condition, timeout)

    def wait_connected(self, count: int = 1, timeout: float = 15) -> bool:
        """True once `count` connections were accepted and one is live."""
        return self.wait_for(lambda: self.connections >= count and bool(self._live), timeout)

    def ack_for(self, envelope_id: str, timeout: float = 10) -> Ack | None:
        def found() -> Ack | None:
            return next((ack for ack in self.acks if ack.envelope_id == envelope_id), None)

        self.wait_for(lambda: found() is not None, timeout)
        return found()
