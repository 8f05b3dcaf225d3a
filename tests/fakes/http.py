"""The shared plumbing of the fake source servers: a threaded HTTP server on 127.0.0.1,
a request log, and faults injected at random (a seeded RNG, so a failing run repeats).

Each fake subclasses `FakeServer` and implements `handle(request) -> Response` in its
provider's wire format (paths, pagination, error bodies); this module knows none of that.
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    # Case-insensitive: the handler's http.client.HTTPMessage (tests may pass a plain dict).
    headers: Message[str, str] | Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body or b"{}")

    def form(self) -> dict[str, str]:
        """application/x-www-form-urlencoded bodies (the Slack SDK posts forms)."""
        return {key: values[-1] for key, values in parse_qs(self.body.decode()).items()}

    def bearer_token(self) -> str:
        value = self.headers.get("Authorization", "")
        return value[7:] if value.lower().startswith("bearer ") else ""


@dataclass
class Response:
    status: int = 200
    body: Any = None  # JSON-serialised unless bytes
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json; charset=utf-8"


@dataclass
class Faults:
    """Answer this share of requests with one of `responses` before handling them."""

    rate: float = 0.0
    responses: tuple[Callable[[], Response], ...] = ()
    seed: int = 7


class FakeServer:
    """Use as a context manager, or call start()/stop(). `url` has no trailing slash."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults = Faults()
        self._random = random.Random(self.faults.seed)
        self._lock = threading.Lock()
        self._fault_count = 0
        # Seconds each answer waits: lets a test kill a worker while a sync is mid-way.
        self.latency_seconds = 0.0
        self._server: ThreadingHTTPServer | None = None
        self.url = ""

    # subclasses implement this
    def handle(self, request: Request) -> Response:
        raise NotImplementedError

    def inject_faults(self, rate: float, *responses: Callable[[], Response], seed: int = 7) -> None:
        self.faults = Faults(rate=rate, responses=responses, seed=seed)
        self._random = random.Random(seed)

    def fault_exempt(self, request: Request) -> bool:
        """Requests that never get an injected fault (say, an OAuth token endpoint)."""
        return False

    def clear_faults(self) -> None:
        self.faults = Faults()

    @property
    def faults_served(self) -> int:
        return self._fault_count

    def _respond(self, request: Request) -> Response:
        with self._lock:
            self.requests.append(request)
            faulty = (
                self.faults.rate
                and not self.fault_exempt(request)
                and self._random.random() < self.faults.rate
            )
            choice = self._random.choice(self.faults.responses) if faulty else None
            if choice is not None:
                self._fault_count += 1
        if self.latency_seconds:
            time.sleep(self.latency_seconds)
        if choice is not None:
            return choice()
        return self.handle(request)

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in separate writes; without this each answer stalls
            # ~40 ms on a keep-alive connection (Nagle's algorithm meeting delayed ACKs).
            disable_nagle_algorithm = True

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                split = urlsplit(self.path)
                query = {key: values[-1] for key, values in parse_qs(split.query).items()}
                request = Request(self.command, split.path, query, self.headers, body)
                try:
                    response = fake._respond(request)
                except Exception as error:  # noqa: BLE001 - a fake bug must show, not hang
                    response = Response(500, {"error": f"fake server bug: {error!r}"})
                payload = (
                    response.body
                    if isinstance(response.body, bytes)
                    else json.dumps(response.body).encode()
                )
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
