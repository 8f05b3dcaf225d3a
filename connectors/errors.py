"""Errors connectors raise. Each SDK's own exceptions are translated into these by the
connector's `classify_error`, so the framework treats every source alike."""

from __future__ import annotations

import re

_API_CODE = re.compile(r"^[A-Za-z_]{1,60}$")


def api_code(value: object) -> str:
    """A source's error code ("invalid_auth", "rateLimitExceeded") as an error message may
    show it; anything else a server put in its body is not repeated (it could be what an
    internal service holds), so this gives "" for it."""
    text = str(value or "")
    return text if _API_CODE.match(text) else ""


class ConnectorError(Exception):
    """Base class. `message` is written for the admin who has to act on it."""

    code = "connector_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidCredentials(ConnectorError):
    """The source refused the credentials (revoked, expired, wrong). Syncing stops until an
    admin provides new ones; the data already synced stays."""

    code = "invalid_credentials"


class InvalidConfiguration(ConnectorError):
    """The credentials or settings are malformed (a missing field, an unknown part)."""

    code = "invalid_configuration"


class UnexpectedResponse(ConnectorError):
    """The server answered, but not as the source's API does (HTML, another JSON shape, a
    redirect): most often a wrong API base URL. The message names the status and the content
    type, never the body."""

    code = "unexpected_response"

    def __init__(self, source: str, status: int | None = None, content_type: str = "") -> None:
        seen = ", ".join(
            part
            for part in (f"HTTP {status}" if status else "", content_type.split(";")[0])
            if part
        )
        detail = f" ({seen})" if seen else ""
        super().__init__(
            f"{source} answered with something that is not its API{detail}. Check the API base URL."
        )


class TransientError(ConnectorError):
    """Worth retrying: a 5xx, a timeout, a dropped connection."""

    code = "source_unavailable"


class RateLimited(TransientError):
    """The source asked us to slow down; `retry_after` is its Retry-After in seconds."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ItemUnavailable(ConnectorError):
    """One item cannot be read (not found, no access, unparseable); the sync goes on."""

    code = "item_unavailable"


class WebhookRejected(ConnectorError):
    """A webhook that fails verification. `status` is the HTTP status to answer with."""

    code = "webhook_rejected"

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


class MalformedWebhook(WebhookRejected):
    """A delivery whose payload has a shape the connector cannot read: not JSON, not an object,
    keys missing or of the wrong type. Answered 400 (`malformed_webhook`) and acted on not at
    all; the source's own retries of it will fail the same way, which is what it deserves."""

    code = "malformed_webhook"

    def __init__(self, message: str) -> None:
        super().__init__(message, status=400)


class CursorExpired(ConnectorError):
    """The source no longer accepts the saved cursor of an incremental sync (Drive's change
    page token expired): only a full sync can tell what changed, and the framework runs one."""

    code = "cursor_expired"
