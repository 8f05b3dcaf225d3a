"""Fixed-window counters in Redis, for limits across web replicas: on failures (failed logins)
and on attempts (requests to expensive routes, api.route_limits).

Each limit is one key: the first failure in a window creates it with the window as its expiry
and later ones increment it, so a counter resets by itself when its window ends. A caller asks
`seconds_until_allowed` before the guarded action (cheap, so a blocked attempt costs no
password hashing) and `record_failure` after a failed one. A limit on attempts counts each one
with `record_attempt`, which says at once whether it was one too many.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from common.errors import DomainError
from common.redis import redis_client

KEY_PREFIX = "ratelimit:"


class RateLimited(DomainError):
    """Too many attempts; the API answers 429 with Retry-After."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after_seconds: int, code: str | None = None) -> None:
        super().__init__(message, code=code)
        self.retry_after_seconds = max(1, retry_after_seconds)


@dataclass(frozen=True)
class Limit:
    """At most `maximum` failures per `window_seconds` for one subject (an IP, an email...)."""

    name: str
    subject: str
    maximum: int
    window_seconds: int

    @property
    def key(self) -> str:
        # Hashed, so Redis holds no emails or addresses in clear.
        digest = hashlib.sha256(self.subject.encode()).hexdigest()[:32]
        return f"{KEY_PREFIX}{self.name}:{digest}"


def seconds_until_allowed(limits: Iterable[Limit]) -> int:
    """0 when every limit still has room, else how long until the longest-blocked one clears."""
    limits = list(limits)
    client = redis_client()
    pipe = client.pipeline(transaction=False)
    for limit in limits:
        pipe.get(limit.key)
        pipe.ttl(limit.key)
    replies = pipe.execute()
    wait = 0
    for index, limit in enumerate(limits):
        count, ttl = replies[2 * index], replies[2 * index + 1]
        if count is not None and int(count) >= limit.maximum:
            # ttl is -1 only if the expiry was lost; treat it as a whole window.
            wait = max(wait, ttl if ttl > 0 else limit.window_seconds)
    return wait


def record_failure(limits: Iterable[Limit]) -> None:
    pipe = redis_client().pipeline(transaction=True)
    for limit in limits:
        # SET NX EX starts the window on the first failure only; INCR counts within it.
        pipe.set(limit.key, 0, ex=limit.window_seconds, nx=True)
        pipe.incr(limit.key)
    pipe.execute()


def record_attempt(limit: Limit) -> int:
    """Count one attempt: 0 while the window has room for it, else the seconds until the window
    ends. Refused attempts count too, but never lengthen the window."""
    pipe = redis_client().pipeline(transaction=True)
    pipe.set(limit.key, 0, ex=limit.window_seconds, nx=True)
    pipe.incr(limit.key)
    pipe.ttl(limit.key)
    _, count, ttl = pipe.execute()
    if int(count) <= limit.maximum:
        return 0
    return int(ttl) if int(ttl) > 0 else limit.window_seconds


def reset(limits: Iterable[Limit]) -> None:
    keys = [limit.key for limit in limits]
    if keys:
        redis_client().delete(*keys)
