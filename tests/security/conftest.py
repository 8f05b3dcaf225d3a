from __future__ import annotations

from collections.abc import Iterator

import pytest

from common.ratelimit import KEY_PREFIX
from common.redis import redis_client


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Reset and login counters are per address, and every test client is 127.0.0.1: what
    earlier tests (the API fuzzer) spent must not refuse these attacks' own set-up."""

    def clear() -> None:
        client = redis_client()
        for pattern in (f"{KEY_PREFIX}password-reset-*", f"{KEY_PREFIX}login-*"):
            for key in client.scan_iter(pattern):
                client.delete(key)

    clear()
    yield
    clear()
