"""The outbound policy for urllib, which slack-sdk's WebClient uses for every API call.

`guarded_opener(policy)` is an OpenerDirector with only http and https handlers (no file:,
ftp: or data:, no proxy from the environment) whose connections connect to the address the
policy checked (http.client's `_create_connection` hook: TLS is then started on that socket
with the URL's host as SNI and certificate name), and whose redirect handler checks each
Location like the first URL. `read_bounded` reads a response within the policy's size and
time limits.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.request
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urljoin

from common.outbound import ByteBudget, OutboundPolicy, default_policy

CHUNK_BYTES = 64 * 1024


def _connect_through(
    policy: OutboundPolicy, connection: http.client.HTTPConnection
) -> Callable[..., Any]:
    def create_connection(
        address: tuple[str, int], timeout: Any = None, source_address: Any = None
    ) -> Any:
        host, port = address
        # A number means a timeout; socket's sentinel (no timeout given) means the policy's.
        return policy.connect(
            host, port, timeout=timeout if isinstance(timeout, int | float) else None
        )

    return create_connection


def _connection_classes(policy: OutboundPolicy) -> tuple[type[Any], type[Any]]:
    class GuardedHTTPConnection(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = _connect_through(policy, self)

    class GuardedHTTPSConnection(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = _connect_through(policy, self)

    return GuardedHTTPConnection, GuardedHTTPSConnection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, policy: OutboundPolicy, connection_class: type[Any]) -> None:
        super().__init__()
        self.policy = policy
        self.connection_class = connection_class

    def http_open(self, req: urllib.request.Request) -> Any:
        self.policy.check_url(req.full_url)
        return self.do_open(cast(Any, self.connection_class), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(
        self, policy: OutboundPolicy, connection_class: type[Any], context: ssl.SSLContext | None
    ) -> None:
        super().__init__(context=context)
        self.policy = policy
        self.connection_class = connection_class

    def https_open(self, req: urllib.request.Request) -> Any:
        self.policy.check_url(req.full_url)
        return self.do_open(
            cast(Any, self.connection_class),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


class _GuardedRedirectHandler(urllib.request.HTTPRedirectHandler):
    def __init__(self, policy: OutboundPolicy) -> None:
        super().__init__()
        self.policy = policy
        self.max_redirections = policy.max_redirects  # type: ignore[misc]

    def http_error_302(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any
    ) -> Any:
        # Before urllib's own scheme check, so every refusal reads the same.
        location = headers.get("location") or headers.get("uri")
        if location:
            self.policy.check_url(urljoin(req.full_url, location))
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        # Checked before anything is sent; the handlers check it again when it is opened.
        self.policy.check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _StatusAsResponse(urllib.request.HTTPErrorProcessor):
    """Redirects go to the redirect handler; any other status comes back as a response the
    caller reads within the limits (urllib's HTTPError would have it read unbounded)."""

    def http_response(self, request: urllib.request.Request, response: Any) -> Any:
        if 300 <= response.code < 400:
            return super().http_response(request, response)
        return response

    https_response = http_response


def guarded_opener(
    policy: OutboundPolicy | None = None, *, context: ssl.SSLContext | None = None
) -> urllib.request.OpenerDirector:
    policy = policy or default_policy()
    http_class, https_class = _connection_classes(policy)
    opener = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(policy, http_class),
        _GuardedHTTPSHandler(policy, https_class, context),
        _GuardedRedirectHandler(policy),
        urllib.request.HTTPDefaultErrorHandler(),
        _StatusAsResponse(),
    ):
        opener.add_handler(handler)
    return opener


def read_bounded(response: Any, policy: OutboundPolicy, url: str = "") -> bytes:
    """The whole body, or ResponseTooLarge / ResponseTooSlow past the policy's limits."""
    budget = ByteBudget(policy, url)
    budget.check_declared(response.headers.get("content-length"))
    chunks = []
    # read1 returns what one socket read brought: a server dripping bytes meets the
    # deadline, where read(n) would wait for all n.
    read = getattr(response, "read1", response.read)
    while True:
        chunk = read(CHUNK_BYTES)
        if not chunk:
            break
        budget.add(len(chunk))
        chunks.append(chunk)
    chunks.append(response.read())  # marks the response done (read1 does not)
    return b"".join(chunks)
