"""What the framework shares across workers through Redis: one sync per connection at a time,
and one request pace per connection.

The pace is a GCRA-style schedule: each request reserves the next free slot (`interval`
seconds after the previous one) atomically in Redis and sleeps until it, so any number of
workers together keep the connection's requests per minute. A source's Retry-After pushes
the schedule out for everyone.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import redis
from redis.lock import Lock

_RESERVE_SLOT = """
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
local now = tonumber(ARGV[1])
if slot < now then slot = now end
redis.call('SET', KEYS[1], tostring(slot + tonumber(ARGV[2])), 'EX', 3600)
return tostring(slot - now)
"""

_HOLD_UNTIL = """
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
local until_ = tonumber(ARGV[1])
if slot < until_ then redis.call('SET', KEYS[1], tostring(until_), 'EX', 3600) end
return 1
"""


class LockLost(Exception):
    """Another worker took the connection's lock (ours expired): stop without writing."""


class SyncLock:
    """One sync per connection. Expires unless renewed, so a killed worker's lock frees
    itself; the worker renews it whenever it makes progress or waits."""

    def __init__(self, client: redis.Redis, connection_id: int, ttl_seconds: float) -> None:
        self.ttl_seconds = ttl_seconds
        self._lock: Lock = client.lock(
            f"sync:lock:connection:{connection_id}", timeout=ttl_seconds, thread_local=False
        )

    def acquire(self) -> bool:
        return bool(self._lock.acquire(blocking=False))

    def renew(self) -> None:
        try:
            self._lock.extend(self.ttl_seconds, replace_ttl=True)
        except redis.exceptions.LockError as error:
            raise LockLost(str(error)) from error

    def release(self) -> None:
        with contextlib.suppress(redis.exceptions.LockError):  # expired: nothing to release
            self._lock.release()


class RedisPacer:
    """The `Pacer` connectors call before each request (see connectors.base)."""

    def __init__(
        self,
        client: redis.Redis,
        connection_id: int,
        requests_per_minute: int,
        on_request: Callable[[], None] = lambda: None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._key = f"sync:pace:connection:{connection_id}"
        self._interval = 60.0 / max(1, requests_per_minute)
        # Called before every request and wait: the sync's heartbeat (it keeps its lock).
        self._on_request = on_request
        self._sleep = sleep

    def wait_turn(self) -> None:
        self._on_request()
        delay = float(self._client.eval(_RESERVE_SLOT, 1, self._key, time.time(), self._interval))
        if delay > 0:
            self._sleep(delay)

    def hold(self, seconds: float) -> None:
        self._client.eval(_HOLD_UNTIL, 1, self._key, time.time() + seconds)
        self._on_request()
