"""The outbound policy for httplib2, which google-api-python-client (Drive, Directory: the
API calls, the discovery document, media downloads) and google-auth's token refresh use.

`GuardedHttp` is an `httplib2.Http` whose `request` checks every URL (httplib2 follows a
redirect by calling `request` again, so each Location is checked too) and opens it with
connection classes that connect to the address the policy checked, start TLS with the URL's
host as SNI and certificate name, and read bodies within the policy's size and time limits.
The token URI of a service account key or OAuth client is typed by the admin: the refresh
goes through the same Http, so it is held to the same policy.
"""

from __future__ import annotations

import http.client
import socket
from typing import Any

import httplib2

from common.outbound import ByteBudget, OutboundPolicy, default_policy

CHUNK_BYTES = 64 * 1024


def _bounded_response_class(policy: OutboundPolicy) -> type[http.client.HTTPResponse]:
    class BoundedResponse(http.client.HTTPResponse):
        def read(self, amt: int | None = None) -> bytes:
            if amt is not None:
                return super().read(amt)
            budget = ByteBudget(policy)
            budget.check_declared(self.getheader("content-length"))
            chunks = []
            while True:
                # One socket read at a time, so a dripping server meets the deadline.
                chunk = self.read1(CHUNK_BYTES)
                if not chunk:
                    break
                budget.add(len(chunk))
                chunks.append(chunk)
            # read1 leaves a fully read response open; read() marks it done, so httplib2
            # can send the next request on this connection.
            chunks.append(super().read())
            return b"".join(chunks)

    return BoundedResponse


def _connection_classes(policy: OutboundPolicy) -> tuple[type[Any], type[Any]]:
    response_class = _bounded_response_class(policy)

    def timeout_of(connection: Any) -> float:
        timeout = connection.timeout
        if isinstance(timeout, int | float):
            return min(float(timeout), policy.timeout_seconds)
        return policy.timeout_seconds

    class GuardedHTTPConnection(httplib2.HTTPConnectionWithTimeout):
        def connect(self) -> None:
            sock = policy.connect(self.host, self.port, timeout=timeout_of(self))
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock = sock

    GuardedHTTPConnection.response_class = response_class

    class GuardedHTTPSConnection(httplib2.HTTPSConnectionWithTimeout):
        def connect(self) -> None:
            sock = policy.connect(self.host, self.port, timeout=timeout_of(self))
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                # The context checks the certificate against the host name, as httplib2's own.
                self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
            except BaseException:
                sock.close()
                raise

    GuardedHTTPSConnection.response_class = response_class
    return GuardedHTTPConnection, GuardedHTTPSConnection


class GuardedHttp(httplib2.Http):
    def __init__(self, policy: OutboundPolicy | None = None, **options: Any) -> None:
        self.policy = policy or default_policy()
        options.setdefault("timeout", self.policy.timeout_seconds)
        # No proxy from the environment: an egress proxy is reached by allow-listing it.
        options.setdefault("proxy_info", None)
        super().__init__(**options)
        self._http_class, self._https_class = _connection_classes(self.policy)

    def request(self, uri: str, method: str = "GET", *args: Any, **kwargs: Any) -> Any:
        target = self.policy.check_url(uri)
        kwargs["connection_type"] = (
            self._https_class if target.scheme == "https" else self._http_class
        )
        return super().request(uri, method, *args, **kwargs)
