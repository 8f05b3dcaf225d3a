"""Requests to GitHub through `githubkit`, each one through `Connector.call` (pacing and the
single retry policy), with the REST API's Link-header pagination made explicit so a sync can
checkpoint between pages and resume at the next one.

Responses are read as plain JSON: the connector only needs a few fields, and GitHub adds
fields faster than any typed model follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, TypeVar

from githubkit import GitHub, TokenAuthStrategy
from githubkit.response import Response

from common.outbound import OutboundPolicy, default_policy
from common.outbound_httpx import guarded_transport

T = TypeVar("T")

PER_PAGE = 100  # the REST API's maximum
NEXT_LINK = re.compile(r'<([^<>]+)>;\s*rel="next"')


class Caller(Protocol):
    def __call__(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T: ...


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_url: str | None
    # The source's clock when it answered (the Date header): cursors use it, not ours.
    served_at: datetime | None


def persistent_transport(policy: OutboundPolicy) -> Any:
    """Outside its context manager githubkit opens and closes an httpx client per request,
    and each new client builds an SSL context and a connection pool (tens of milliseconds).
    Handing every client this one transport keeps the pool, and its TLS connections, alive
    between requests; the sockets close when the connector is garbage-collected. It is the
    outbound policy's transport: every request, and every redirect githubkit follows, is
    checked and connects to the checked address."""
    transport = guarded_transport(policy)
    transport.close = lambda: None  # the clients githubkit closes must not close the pool
    return transport


def make_github(
    token: str, base_url: str | None, policy: OutboundPolicy | None = None
) -> GitHub[TokenAuthStrategy]:
    policy = policy or default_policy()
    return GitHub(
        TokenAuthStrategy(token),
        base_url=base_url or None,
        transport=persistent_transport(policy),
        # Connector.call is the one retry policy; githubkit's own would sleep out of sight.
        auto_retry=False,
        # Syncs want the source as it is now, and a cache would hold whole repositories.
        http_cache=False,
        timeout=min(30.0, policy.timeout_seconds),
        # Proxies from the environment would bypass the transport above.
        trust_env=False,
    )


def served_at(response: Response[Any]) -> datetime | None:
    value = response.headers.get("date")
    if not value:
        return None
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None


def next_link(response: Response[Any]) -> str | None:
    match = NEXT_LINK.search(response.headers.get("link", ""))
    return match.group(1) if match else None


class GitHubApi:
    def __init__(self, github: GitHub[TokenAuthStrategy], call: Caller) -> None:
        self.github = github
        self.rest = github.rest
        self.call = call

    def get(self, operation: Callable[..., Response[Any]], *args: Any, **kwargs: Any) -> Any:
        """One object (or list) from one request."""
        return self.call(operation, *args, **kwargs).json()

    def first_page(
        self, operation: Callable[..., Response[Any]], *args: Any, **kwargs: Any
    ) -> Page:
        return self._page(self.call(operation, *args, per_page=PER_PAGE, **kwargs))

    def next_page(self, url: str) -> Page:
        """The page a previous page's Link header named (absolute, query included)."""
        return self._page(self.call(self.github.request, "GET", url))

    def all_items(
        self, operation: Callable[..., Response[Any]], *args: Any, **kwargs: Any
    ) -> list[dict[str, Any]]:
        """Every item of a short list (comments, collaborators, teams), following Link."""
        page = self.first_page(operation, *args, **kwargs)
        items = list(page.items)
        while page.next_url:
            page = self.next_page(page.next_url)
            items += page.items
        return items

    @staticmethod
    def _page(response: Response[Any]) -> Page:
        items = response.json()
        if not isinstance(items, list):
            raise TypeError(f"expected a list from {response.raw_request.url}")
        return Page(items, next_link(response), served_at(response))
