from __future__ import annotations

import functools

from django.apps import AppConfig

from common.outbound import OutboundPolicy, set_default_policy_source


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
    """The outbound policy as the settings say now (read per client, so a changed setting,
    or a test's override, applies to the next one)."""
    from django.conf import settings

    return _policy(
        tuple(settings.OUTBOUND_ALLOWED_HOSTS),
        float(settings.OUTBOUND_TIMEOUT_SECONDS),
        int(settings.OUTBOUND_MAX_RESPONSE_BYTES),
    )


class CommonConfig(AppConfig):
    """Shared pieces; its migrations install the Postgres extensions everything else needs."""

    name = "common"

    def ready(self) -> None:
        # Connectors and model clients are plain Python: they ask common.outbound for the
        # policy, which comes from the settings.
        set_default_policy_source(outbound_policy)
