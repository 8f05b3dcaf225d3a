"""The connections API in the shape of tests/api/test_permissions.py's endpoint table:
(method, path, body, lowest role allowed, success status)."""

from __future__ import annotations

import atexit
from functools import lru_cache
from typing import Any

from connections.models import SyncMode
from connections.services import request_sync
from knowledge.models import Document
from tests.connections.conftest import connect
from tests.connectors.contract import FakeSource
from tests.factories import Tenant


@lru_cache(maxsize=1)
def shared_fake() -> FakeSource:
    """One small fake for the whole table (hundreds of rows): started once, never mutated."""
    from tests.fakes.slack.server import FakeSlack

    fake = FakeSlack()
    fake.start()
    atexit.register(fake.stop)
    return fake


def connections_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    fake = shared_fake()
    connection = connect(t, "slack", fake, name="Slack for the table")
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    document = Document.objects.create(
        workspace=t.workspace,
        data_source=connection.data_source,
        external_id="C1",
        title="A synced channel day",
    )
    path = f"{base}/connections/{connection.id}"
    created = {
        "kind": "slack",
        "name": "Another Slack",
        "credentials": fake.credentials(),
        "api_base_url": fake.url,
    }
    return [
        ("GET", f"{base}/connectors", None, "admin", 200),
        ("GET", f"{base}/connections", None, "admin", 200),
        ("POST", f"{base}/connections", created, "admin", 201),
        ("GET", path, None, "admin", 200),
        ("PATCH", path, {"sync_interval_minutes": 30}, "admin", 200),
        ("PUT", f"{path}/credentials", {"credentials": fake.credentials()}, "admin", 200),
        ("DELETE", path, None, "admin", 204),
        ("GET", f"{path}/hierarchy", None, "admin", 200),
        ("POST", f"{path}/selection-preview", {"selected_ids": ["C1"]}, "admin", 200),
        ("POST", f"{path}/syncs", {"mode": "full"}, "admin", 202),
        ("GET", f"{path}/syncs", None, "admin", 200),
        ("GET", f"{path}/syncs/{run.id}", None, "admin", 200),
        ("GET", f"{path}/slack-bot", None, "admin", 200),
        ("PUT", f"{path}/slack-bot", {"default_agent_id": None, "channels": []}, "admin", 200),
        ("POST", f"{path}/syncs/{run.id}/cancel", None, "admin", 200),
        ("POST", f"{path}/items/resync", {"item_ids": ["C1"]}, "admin", 202),
        ("POST", f"{base}/documents/{document.id}/resync", None, "admin", 202),
    ]
