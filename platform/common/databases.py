"""An optional read replica (DATABASE_REPLICA_URL) for reads that tolerate replication lag.

With a replica configured, `reads_from_replica()` sends the ORM reads made inside it to the
"replica" alias; writes, and every read outside it, stay on "default". Search uses it: its
permission scope is read from the primary first, then the chunk queries run on the replica.
Without a replica, or inside a transaction on the primary (which must see its own writes),
everything reads from "default".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA_DATABASE = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA_DATABASE in connections.settings


@contextmanager
def reads_from_replica() -> Iterator[None]:
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


class ReplicaRouter:
    """Database router (DATABASE_ROUTERS): None means Django's default alias."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if not _reading_from_replica.get() or not replica_configured():
            return None
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA_DATABASE

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The replica follows the primary's schema by replication.
        return False if db == REPLICA_DATABASE else None
