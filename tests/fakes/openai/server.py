"""A fake OpenAI Chat Completions server on 127.0.0.1, for the real `openai` / langchain-openai
clients pointed at it through base_url.

It speaks the wire format of POST /v1/chat/completions as the OpenAI API reference publishes
it: a `chat.completion` JSON object, or (with "stream": true) `chat.completion.chunk` objects as
server-sent `data:` lines over chunked HTTP/1.1 ending with `data: [DONE]`; tool calls stream as
deltas carrying index, id, type and function name first, then argument fragments; errors are
{"error": {"message", "type", "param", "code"}} with their HTTP status (429 with Retry-After).
GET /v1/models answers the `list` of `model` objects (unless `serves_model_list` is off: 404,
as many OpenAI-compatible servers do). With `api_key` set, a request without that bearer key
gets OpenAI's 401 `invalid_api_key` error, its message naming the key's last characters.

Tests queue replies (or functions of the request returning one); each request takes the next.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: dict[str, Any]
    id: str = field(default_factory=lambda: f"call_{uuid.uuid4().hex[:24]}")


@dataclass(frozen=True)
class Reply:
    content: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    status: int = 200
    error_type: str = ""
    error_code: str | None = None
    error_message: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0  # sleep before answering, to outlast a client's timeout


def rate_limited(retry_after: int = 2) -> Reply:
    return Reply(
        status=429,
        error_type="requests",
        error_code="rate_limit_exceeded",
        error_message="Rate limit reached for requests. Please try again in 2s.",
        headers={"Retry-After": str(retry_after)},
    )


def server_error() -> Reply:
    return Reply(
        status=500,
        error_type="server_error",
        error_message="The server had an error while processing your request. Sorry about that!",
    )


def too_slow(seconds: float) -> Reply:
    return Reply(content="far too late", delay_seconds=seconds)


Scripted = Reply | Callable[[dict[str, Any]], Reply]


def _fragments(text: str, size: int) -> Iterator[str]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


class FakeOpenAI:
    """Use as a context manager; `base_url` ends in /v1 like the real one."""

    def __init__(
        self,
        model: str = "gpt-4o-mini",
        *,
        api_key: str = "",
        models: tuple[str, ...] = ("gpt-4o-mini", "gpt-4o"),
        serves_model_list: bool = True,
    ) -> None:
        self.model = model
        self.api_key = api_key
        self.models = models
        self.serves_model_list = serves_model_list
        self.model_list_requests = 0
        self.model_list_delay_seconds = 0.0  # to outlast a client's timeout
        self.replies: deque[Scripted] = deque()
        self.requests: list[dict[str, Any]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def queue(self, *replies: Scripted) -> None:
        self.replies.extend(replies)

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, request: dict[str, Any]) -> Reply:
        self.requests.append(request)
        if not self.replies:
            return Reply(
                status=500, error_type="server_error", error_message="fake: nothing scripted"
            )
        scripted = self.replies.popleft()
        return scripted(request) if callable(scripted) else scripted

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_: Any) -> None:
                pass

            def _refused_key(self) -> bool:
                """OpenAI's answer to a missing or wrong key (its real wording and code)."""
                if not fake.api_key:
                    return False
                sent = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                if sent == fake.api_key:
                    return False
                if sent:
                    message = (
                        f"Incorrect API key provided: {sent[:3]}{'*' * 8}{sent[-4:]}. You can "
                        "find your API key at https://platform.openai.com/account/api-keys."
                    )
                else:
                    message = (
                        "You didn't provide an API key. You need to provide your API key in an "
                        "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                        "YOUR_KEY)."
                    )
                self._error(401, "invalid_request_error", "invalid_api_key", message)
                return True

            def do_GET(self) -> None:
                if (
                    self.path.split("?")[0].rstrip("/") != "/v1/models"
                    or not fake.serves_model_list
                ):
                    self._error(404, "invalid_request_error", None, f"Unknown path {self.path}")
                    return
                fake.model_list_requests += 1
                if fake.model_list_delay_seconds:
                    time.sleep(fake.model_list_delay_seconds)
                if self._refused_key():
                    return
                created = int(time.time())
                models = [
                    {"id": name, "object": "model", "created": created, "owned_by": "fake"}
                    for name in fake.models
                ]
                # The client may have given up (its timeout); that is the point of the delay.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self._send_json(200, {"object": "list", "data": models}, {})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self._refused_key():
                    return
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._error(404, "invalid_request_error", None, f"Unknown path {self.path}")
                    return
                request = json.loads(body or b"{}")
                reply = fake._next_reply(request)
                if reply.delay_seconds:
                    time.sleep(reply.delay_seconds)
                try:
                    if reply.status != 200:
                        self._error(
                            reply.status,
                            reply.error_type,
                            reply.error_code,
                            reply.error_message,
                            reply.headers,
                        )
                    elif request.get("stream"):
                        self._stream(request, reply)
                    else:
                        self._complete(request, reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout); that is the point of the delay

            def _send_json(self, status: int, payload: Any, headers: dict[str, str]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _error(
                self,
                status: int,
                error_type: str,
                code: str | None,
                message: str,
                headers: dict[str, str] | None = None,
            ) -> None:
                body = {
                    "error": {"message": message, "type": error_type, "param": None, "code": code}
                }
                self._send_json(status, body, headers or {})

            def _envelope(self, kind: str) -> dict[str, Any]:
                return {
                    "id": self._completion_id,
                    "object": kind,
                    "created": int(time.time()),
                    "model": fake.model,
                    "system_fingerprint": "fp_fake",
                }

            @property
            def _completion_id(self) -> str:
                if not hasattr(self, "_id"):
                    self._id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
                return self._id

            def _complete(self, request: dict[str, Any], reply: Reply) -> None:
                message: dict[str, Any] = {
                    "role": "assistant",
                    "content": reply.content or None,
                    "refusal": None,
                }
                if reply.tool_calls:
                    message["tool_calls"] = [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {
                                "name": call.name,
                                "arguments": json.dumps(call.arguments),
                            },
                        }
                        for call in reply.tool_calls
                    ]
                body = {
                    **self._envelope("chat.completion"),
                    "choices": [
                        {
                            "index": 0,
                            "message": message,
                            "logprobs": None,
                            "finish_reason": "tool_calls" if reply.tool_calls else "stop",
                        }
                    ],
                    "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                }
                self._send_json(200, body, {})

            def _chunk(self, delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
                payload = {
                    **self._envelope("chat.completion.chunk"),
                    "choices": [
                        {
                            "index": 0,
                            "delta": delta,
                            "logprobs": None,
                            "finish_reason": finish_reason,
                        }
                    ],
                }
                return f"data: {json.dumps(payload)}\n\n".encode()

            def _write_chunked(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _stream(self, request: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                self._write_chunked(self._chunk({"role": "assistant", "content": ""}))
                for piece in _fragments(reply.content, 4):
                    self._write_chunked(self._chunk({"content": piece}))
                for index, call in enumerate(reply.tool_calls):
                    opening = {
                        "index": index,
                        "id": call.id,
                        "type": "function",
                        "function": {"name": call.name, "arguments": ""},
                    }
                    self._write_chunked(self._chunk({"tool_calls": [opening]}))
                    for piece in _fragments(json.dumps(call.arguments), 7):
                        fragment = {"index": index, "function": {"arguments": piece}}
                        self._write_chunked(self._chunk({"tool_calls": [fragment]}))
                finish = "tool_calls" if reply.tool_calls else "stop"
                self._write_chunked(self._chunk({}, finish))
                if (request.get("stream_options") or {}).get("include_usage"):
                    usage = {
                        **self._envelope("chat.completion.chunk"),
                        "choices": [],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                    }
                    self._write_chunked(f"data: {json.dumps(usage)}\n\n".encode())
                self._write_chunked(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()

        return Handler
