"""The admin console's connection API, the webhook endpoint and `manage.py sync`."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from audit.models import AuditEvent
from common.crypto import decrypt_json
from connections.models import Connection, ConnectionStatus, SyncRun, SyncStatus
from connectors.registry import connector_class
from knowledge.models import Document
from tests.connections.conftest import connect
from tests.connectors.contract import FakeSource
from tests.factories import Tenant


def test_an_admin_connects_picks_parts_and_syncs(
    tenant: Tenant, api_as: Any, source_kind: str, fake: FakeSource
) -> None:
    admin = api_as(tenant.admin)
    base = f"workspaces/{tenant.workspace.id}"
    kinds = {kind["kind"]: kind for kind in admin.get(f"{base}/connectors").json()}
    assert set(fake.credentials()) <= set(kinds[source_kind]["credential_fields"])

    created = admin.post(
        f"{base}/connections",
        {
            "kind": source_kind,
            "name": "Company source",
            "credentials": fake.credentials(),
            "api_base_url": fake.url,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "active" and body["latest_run"]["mode"] == "full"
    assert "credentials" not in body and all(
        secret not in created.content.decode() for secret in map(str, fake.credentials().values())
    ), "credentials are never sent back"
    connection = Connection.objects.get(id=body["id"])
    assert decrypt_json(connection.credentials_encrypted) == fake.credentials()
    assert AuditEvent.objects.filter(action="connection.created").count() == 1

    path = f"{base}/connections/{connection.id}"
    nodes = admin.get(f"{path}/hierarchy").json()
    assert nodes and {"id", "title", "kind", "has_children"} <= set(nodes[0])
    picked = fake.selectable_id()
    patched = admin.patch(path, {"selected_ids": [picked], "requests_per_minute": 600_000})
    assert patched.json()["selected_ids"] == [picked]

    started = admin.post(f"{path}/syncs", {"mode": "full"})
    assert started.status_code == 202
    run_id = started.json()["id"]
    call_command("sync", str(connection.id), "--full", stdout=io.StringIO(), stderr=io.StringIO())
    run = admin.get(f"{path}/syncs/{run_id}").json()
    assert run["status"] == "succeeded" and run["documents_upserted"] > 0
    stored = set(
        Document.objects.filter(data_source=connection.data_source).values_list(
            "external_id", flat=True
        )
    )
    assert stored == fake.expected_external_ids([picked])
    listed = admin.get(f"{base}/connections").json()
    assert listed[0]["document_count"] == len(stored)

    assert admin.delete(path).status_code == 204
    assert not Document.objects.filter(data_source_id=body["data_source_id"]).exists()


def test_refused_credentials_are_a_clear_error_and_store_nothing(
    tenant: Tenant, api_as: Any, source_kind: str, fake: FakeSource
) -> None:
    fake.revoke_credentials()
    response = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/connections",
        {
            "kind": source_kind,
            "name": "Revoked",
            "credentials": fake.credentials(),
            "api_base_url": fake.url,
        },
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_credentials" and "refused" in error["message"]
    assert not Connection.objects.exists()


def test_new_credentials_bring_a_connection_back(
    tenant: Tenant, api_as: Any, connection: Connection, fake: FakeSource
) -> None:
    connection.status = ConnectionStatus.NEEDS_CREDENTIALS
    connection.status_message = "refused"
    connection.save()
    path = f"workspaces/{tenant.workspace.id}/connections/{connection.id}"
    blocked = api_as(tenant.admin).post(f"{path}/syncs", {"mode": "full"})
    assert blocked.status_code == 409
    replaced = api_as(tenant.admin).request(
        "PUT", f"{path}/credentials", {"credentials": fake.credentials()}
    )
    assert replaced.status_code == 200 and replaced.json()["status"] == "active"


def test_the_sync_command_reports_progress(connection: Connection) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("sync", str(connection.id), stdout=out, stderr=err)
    assert "succeeded" in out.getvalue()
    assert "doc" in err.getvalue()  # tqdm's bar


def post_webhook(connection: Connection, headers: dict[str, str], body: bytes) -> Any:
    return Client().post(
        f"/webhooks/{connection.kind}/{connection.id}",
        data=body,
        content_type=headers.pop("Content-Type", "application/json"),
        headers=headers,
    )


def test_webhooks_are_verified_deduplicated_and_queue_syncs(
    connection: Connection, fake: FakeSource
) -> None:
    if not connector_class(connection.kind).handles_webhooks:
        pytest.skip(f"{connection.kind} takes no webhooks")  # no such path to test
    connection.cursor = {}
    connection.save()
    forged = post_webhook(connection, *fake.forged_webhook())
    assert forged.status_code in (400, 401)
    assert forged.json()["error"]["message"]
    malformed = post_webhook(connection, *fake.signed_webhook()[:1], b"{not json")
    assert malformed.status_code in (400, 401)
    assert not SyncRun.objects.exists(), "a refused webhook changes nothing"

    headers, body = fake.signed_webhook()
    accepted = post_webhook(connection, dict(headers), body)
    assert accepted.status_code == 200, accepted.content
    assert SyncRun.objects.filter(connection=connection, status=SyncStatus.QUEUED).count() == 1
    again = post_webhook(connection, dict(headers), body)
    assert again.status_code == 200
    assert SyncRun.objects.filter(connection=connection).count() == 1


def test_a_webhook_for_an_unknown_connection_is_not_found(db: None) -> None:
    response = Client().post("/webhooks/slack/999999", data=b"{}", content_type="application/json")
    assert response.status_code == 404


def test_a_connection_of_another_workspace_is_invisible(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, fake: FakeSource, source_kind: str
) -> None:
    theirs = connect(other_tenant, source_kind, fake)
    mine = api_as(tenant.admin)
    base = f"workspaces/{tenant.workspace.id}"
    assert mine.get(f"{base}/connections").json() == []
    assert mine.get(f"{base}/connections/{theirs.id}").status_code == 404
    assert mine.post(f"{base}/connections/{theirs.id}/syncs", {}).status_code == 404
