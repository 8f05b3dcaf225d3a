"""The outbound policy as the Django side uses it: built from the settings, and the check of
a base URL an admin types (a connection's API base URL, a model provider's endpoint), whose
refusal is a 422 that says why and what to do."""

from __future__ import annotations

import functools

from django.conf import settings

from common.errors import InvalidInput
from common.outbound import OutboundPolicy, OutboundRefused


@functools.lru_cache(maxsize=8)
def _policy(
    allowed_hosts: tuple[str, ...], timeout_seconds: float, max_response_bytes: int
) -> OutboundPolicy:
    return OutboundPolicy.from_settings(
        allowed_hosts=allowed_hosts,
        timeout_seconds=timeout_seconds,
        max_response_bytes=max_response_bytes,
    )


def outbound_policy() -> OutboundPolicy:
    """The policy as the settings say now (read per client, so a changed setting, or a
    test's override, applies to the next one)."""
    return _policy(
        tuple(settings.OUTBOUND_ALLOWED_HOSTS),
        float(settings.OUTBOUND_TIMEOUT_SECONDS),
        int(settings.OUTBOUND_MAX_RESPONSE_BYTES),
    )


def check_base_url(url: str, *, policy: OutboundPolicy | None = None) -> str:
    """The URL, stripped, once the policy accepts it (https or allow-listed, no credentials,
    resolving only to addresses the platform may reach). Empty stays empty."""
    url = url.strip()
    if not url:
        return ""
    try:
        (policy or outbound_policy()).check(url)
    except OutboundRefused as error:
        raise InvalidInput(error.message, code="base_url_refused") from error
    return url


def base_url_host_is_allowed(url: str, *, policy: OutboundPolicy | None = None) -> bool:
    """The operator allow-listed this URL's host (how an egress proxy, or a test's fake
    server, stands in for a source that has no self-hosted edition)."""
    from urllib.parse import urlsplit

    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return False
    return bool(host) and (policy or outbound_policy()).host_is_allowed(host)
