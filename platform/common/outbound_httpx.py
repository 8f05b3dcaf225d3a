"""The outbound policy for httpx clients (notion-client, githubkit) and for httpx2, the fork
the openai SDK (and so langchain-openai) is built on.

`guarded_transport(policy)` is an `HTTPTransport` that
- checks every request's URL (each redirect the client follows is a new request here, so
  redirects are checked like the first URL),
- connects through an httpcore network backend whose `connect_tcp` resolves the host through
  the policy once and connects to a checked address; httpcore then starts TLS on that socket
  with the URL's host as SNI and certificate name, so verification is unchanged,
- counts the body's bytes and the time it takes, and cuts it off past the policy's limits.

The same code serves both libraries: the classes are built per (httpx, httpcore) module pair.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
from collections.abc import AsyncIterator, Iterable, Iterator
from types import ModuleType
from typing import Any

from common.outbound import ByteBudget, OutboundPolicy, OutboundRefused, default_policy


def _connect_errors(backend: Any) -> tuple[type[Exception], ...]:
    """A failed connect to one address (httpcore's or httpcore2's errors): try the next."""
    library = importlib.import_module(type(backend).__module__.split(".")[0])
    return (OSError, library.ConnectError, library.ConnectTimeout)


class _GuardedBackend:
    """Wraps httpcore's sync backend: the host it is asked for is resolved by the policy."""

    def __init__(self, inner: Any, policy: OutboundPolicy) -> None:
        self.inner = inner
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Any:
        last_error: Exception | None = None
        for address in self.policy.resolve(host, port):
            try:
                return self.inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except _connect_errors(self.inner) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise OutboundRefused("Unix sockets are not reachable through the outbound policy.")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _AsyncGuardedBackend:
    def __init__(self, inner: Any, policy: OutboundPolicy) -> None:
        self.inner = inner
        self.policy = policy

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Any:
        # getaddrinfo blocks: resolve in a thread, as asyncio's own connect does.
        addresses = await asyncio.get_running_loop().run_in_executor(
            None, self.policy.resolve, host, port
        )
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except _connect_errors(self.inner) as error:
                last_error = error
        assert last_error is not None
        raise last_error

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> Any:
        raise OutboundRefused("Unix sockets are not reachable through the outbound policy.")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


@functools.cache
def _classes(httpx: ModuleType) -> tuple[type[Any], type[Any]]:
    """(sync transport, async transport) for one httpx-like module."""

    class BoundedStream(httpx.SyncByteStream):  # type: ignore[name-defined]
        def __init__(self, inner: Any, budget: ByteBudget) -> None:
            self.inner = inner
            self.budget = budget

        def __iter__(self) -> Iterator[bytes]:
            for chunk in self.inner:
                self.budget.add(len(chunk))
                yield chunk

        def close(self) -> None:
            self.inner.close()

    class AsyncBoundedStream(httpx.AsyncByteStream):  # type: ignore[name-defined]
        def __init__(self, inner: Any, budget: ByteBudget) -> None:
            self.inner = inner
            self.budget = budget

        async def __aiter__(self) -> AsyncIterator[bytes]:
            async for chunk in self.inner:
                self.budget.add(len(chunk))
                yield chunk

        async def aclose(self) -> None:
            await self.inner.aclose()

    def _timeouts(request: Any, policy: OutboundPolicy) -> None:
        # Each phase waits at most the policy's time, whatever the SDK asked for.
        timeout = dict(request.extensions.get("timeout") or {})
        for phase in ("connect", "read", "write", "pool"):
            value = timeout.get(phase)
            timeout[phase] = (
                policy.timeout_seconds if value is None else min(value, policy.timeout_seconds)
            )
        request.extensions["timeout"] = timeout

    class GuardedTransport(httpx.HTTPTransport):  # type: ignore[name-defined]
        def __init__(self, policy: OutboundPolicy | None = None, **options: Any) -> None:
            options.setdefault("trust_env", False)  # no proxy or CA bundle from the environment
            super().__init__(**options)
            self.policy = policy or default_policy()
            # Status and content type of the last response, for an error that names them.
            self.last_answer: tuple[int | None, str] = (None, "")
            pool = self._pool
            pool._network_backend = _GuardedBackend(pool._network_backend, self.policy)

        def handle_request(self, request: Any) -> Any:
            url = str(request.url)
            self.policy.check_url(url)
            _timeouts(request, self.policy)
            budget = ByteBudget(self.policy, url)
            response = super().handle_request(request)
            self.last_answer = (response.status_code, response.headers.get("content-type", ""))
            try:
                budget.check_declared(response.headers.get("content-length"))
            except Exception:
                response.close()
                raise
            response.stream = BoundedStream(response.stream, budget)
            return response

    class AsyncGuardedTransport(httpx.AsyncHTTPTransport):  # type: ignore[name-defined]
        def __init__(self, policy: OutboundPolicy | None = None, **options: Any) -> None:
            options.setdefault("trust_env", False)
            super().__init__(**options)
            self.policy = policy or default_policy()
            self.last_answer: tuple[int | None, str] = (None, "")
            pool = self._pool
            pool._network_backend = _AsyncGuardedBackend(pool._network_backend, self.policy)

        async def handle_async_request(self, request: Any) -> Any:
            url = str(request.url)
            self.policy.check_url(url)
            _timeouts(request, self.policy)
            budget = ByteBudget(self.policy, url)
            response = await super().handle_async_request(request)
            self.last_answer = (response.status_code, response.headers.get("content-type", ""))
            try:
                budget.check_declared(response.headers.get("content-length"))
            except Exception:
                await response.aclose()
                raise
            response.stream = AsyncBoundedStream(response.stream, budget)
            return response

    return GuardedTransport, AsyncGuardedTransport


def _module(name: str) -> ModuleType:
    return importlib.import_module(name)


def guarded_transport(policy: OutboundPolicy | None = None, *, library: str = "httpx") -> Any:
    """A sync transport for `library` ("httpx" or "httpx2") under `policy`."""
    return _classes(_module(library))[0](policy)


def guarded_async_transport(policy: OutboundPolicy | None = None, *, library: str = "httpx") -> Any:
    return _classes(_module(library))[1](policy)


def guarded_client(
    policy: OutboundPolicy | None = None, *, transport: Any = None, **options: Any
) -> Any:
    """An httpx.Client whose every request goes through the policy."""
    import httpx

    policy = policy or default_policy()
    options.setdefault("timeout", policy.timeout_seconds)
    return httpx.Client(
        transport=transport or guarded_transport(policy), trust_env=False, **options
    )
