"""Request body limits, enforced before Django reads a byte: an ASGI middleware around the app.

Under ASGI, Django's handler reads the whole body (spooling it to disk past
FILE_UPLOAD_MAX_MEMORY_SIZE) before any middleware, setting or view runs, and uvicorn sets no
limit of its own. So the limit is checked here: a declared Content-Length above the route's
limit is refused at once, without reading the body, and a body without one (chunked) is
counted as it streams and refused the moment it passes the limit, without buffering it.

Uploads (POST .../files under /api/v1, and a conversation's .../attachments) may carry
MAX_UPLOAD_FILES files of MAX_UPLOAD_BYTES each plus the multipart framing; every other route,
webhooks included, MAX_REQUEST_BYTES.
Django's DATA_UPLOAD_* settings carry the same limits for callers that bypass ASGI (the test
client), and api.errors answers them the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from django.conf import settings

# The shapes of Django's ASGIHandler.__call__.
Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MEBIBYTE = 1024 * 1024
# Room for the multipart boundaries and part headers around the files of one upload.
MULTIPART_OVERHEAD_BYTES = MEBIBYTE


# The one route family besides folder uploads (.../files) that takes files: the files a
# person attaches to one of their conversations (agents.api).
ATTACHMENT_UPLOAD_PATH = re.compile(r"^/api/v1/workspaces/\d+/conversations/\d+/attachments/?$")


def is_upload_path(path: str) -> bool:
    """Whether files are posted (multipart) to this path: the request guard lets multipart
    through only here, and the body limit is the upload limit."""
    if not path.startswith("/api/v1/"):
        return False
    return path.rstrip("/").endswith("/files") or bool(ATTACHMENT_UPLOAD_PATH.match(path))


def is_upload_route(method: str, path: str) -> bool:
    return method == "POST" and is_upload_path(path)


def upload_limit_bytes() -> int:
    return settings.MAX_UPLOAD_FILES * settings.MAX_UPLOAD_BYTES + MULTIPART_OVERHEAD_BYTES


def body_limit_bytes(method: str, path: str) -> int:
    """The most bytes a request to this route may send as its body."""
    if is_upload_route(method, path):
        return upload_limit_bytes()
    return int(settings.MAX_REQUEST_BYTES)


def describe_size(size: int) -> str:
    """'1 MB', '1251 MB', '512 KB': sizes in the binary units people read as MB and KB."""
    if size >= MEBIBYTE:
        return f"{size / MEBIBYTE:.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{size} bytes"


def too_large_message(*, limit: int, upload: bool) -> str:
    if upload:
        advice = (
            f"Upload fewer or smaller files at a time: at most {settings.MAX_UPLOAD_FILES} "
            f"files of {describe_size(settings.MAX_UPLOAD_BYTES)} each."
        )
    else:
        advice = "Send a smaller body; the operator sets this limit (MAX_REQUEST_BYTES)."
    return (
        f"The request body is larger than {describe_size(limit)}, the limit for this route. "
        + advice
    )


def too_large_body() -> dict[str, dict[str, str]]:
    """The JSON error for a body past MAX_REQUEST_BYTES, met by a plain Django view (the
    webhooks) when a caller bypasses the ASGI limit."""
    message = too_large_message(limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE, upload=False)
    return {"error": {"code": "request_too_large", "message": message}}


def _declared_length(headers: list[tuple[bytes, bytes]]) -> int | None:
    lengths = []
    for name, value in headers:
        if name.lower() == b"content-length":
            try:
                lengths.append(int(value))
            except ValueError:
                return None  # the HTTP server refuses a malformed length itself
    return max(lengths) if lengths else None


SCIM_PATH_PREFIX = "/scim/"
SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


async def _send_too_large(send: Send, *, limit: int, upload: bool, path: str = "") -> None:
    message = too_large_message(limit=limit, upload=upload)
    content_type = b"application/json"
    error: dict[str, object] = {"error": {"code": "request_too_large", "message": message}}
    if path.startswith(SCIM_PATH_PREFIX):  # SCIM clients read RFC 7644's error shape
        content_type = b"application/scim+json"
        error = {"schemas": [SCIM_ERROR_SCHEMA], "status": "413", "detail": message}
    body = json.dumps(error).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                # The rest of the body is never read, so the connection cannot be reused.
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class BodyLimitMiddleware:
    """Wraps the Django ASGI application; only HTTP requests are checked."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = str(scope.get("method", "")), str(scope.get("path", ""))
        limit = body_limit_bytes(method, path)
        upload = is_upload_route(method, path)
        declared = _declared_length(list(scope.get("headers") or []))
        if declared is not None and declared > limit:
            await _send_too_large(send, limit=limit, upload=upload, path=path)
            return

        received = 0
        refused = False
        response_started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body") or b"")
                if received > limit:
                    refused = True
                    if not response_started:
                        await _send_too_large(send, limit=limit, upload=upload, path=path)
                    # Django's handler takes a disconnect while reading the body as the
                    # request being abandoned: it stops and answers nothing more.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if refused:
                return  # the 413 is already on the wire
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        await self.app(scope, counted_receive, guarded_send)
