"""Operating a connection: cancel a sync (queued or at a page boundary, resumed by the next
run), resync one item, a Drive change token that expired, Notion's webhook handshake token.
Syncs run in-process; test_workers.py cancels one on a real worker."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from common.crypto import encrypt_json
from connections.models import Connection, SyncMode, SyncRun, SyncStatus
from connections.services import cancel_sync, request_sync, run_sync
from knowledge.models import DataSource, Document, DocumentStatus
from tests.connections.conftest import connect
from tests.connections.sources import SOURCES
from tests.connectors.contract import FakeSource
from tests.factories import Tenant


@pytest.fixture
def slack() -> Iterator[FakeSource]:
    with SOURCES["slack"]() as started:
        yield started


def stored_ids(connection: Connection) -> set[str]:
    return set(
        Document.objects.filter(data_source=connection.data_source)
        .exclude(status=DocumentStatus.FAILED)
        .values_list("external_id", flat=True)
    )


def full_sync(connection: Connection) -> SyncRun:
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    run = run_sync(run_id=run.id)
    assert run.status == SyncStatus.SUCCEEDED, run.error_message
    return run


# --- cancel -----------------------------------------------------------------------------


def test_a_queued_sync_is_cancelled_before_it_starts(tenant: Tenant, slack: FakeSource) -> None:
    connection = connect(tenant, "slack", slack)
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    cancelled = cancel_sync(actor=tenant.admin, connection_id=connection.id, run_id=run.id)
    assert cancelled.status == SyncStatus.CANCELLED and cancelled.finished_at is not None
    assert run_sync(run_id=run.id).status == SyncStatus.CANCELLED  # its task does nothing
    assert cancelled.pages == 0 and not stored_ids(connection)
    assert AuditEvent.objects.filter(action="connection.sync_cancelled").count() == 1


def test_a_cancelled_sync_stops_at_a_page_and_the_next_goes_on_from_there(
    tenant: Tenant, source_kind: str, fake: FakeSource
) -> None:
    connection = connect(tenant, source_kind, fake)
    expected = fake.expected_external_ids()
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")

    def cancel_after_first_page(current: SyncRun) -> None:
        if current.pages == 1:
            cancel_sync(actor=tenant.admin, connection_id=connection.id, run_id=current.id)

    cancelled = run_sync(run_id=run.id, on_page=cancel_after_first_page)
    assert cancelled.status == SyncStatus.CANCELLED
    assert cancelled.pages == 2 and cancelled.checkpoint is not None  # the next boundary
    at_cancel = stored_ids(connection)
    assert len(at_cancel) < len(expected) or len(expected) <= 2
    connection.refresh_from_db()
    assert connection.cursor is None and connection.last_full_sync_at is None

    following = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    assert following.checkpoint == cancelled.checkpoint
    following = run_sync(run_id=following.id)
    assert following.status == SyncStatus.SUCCEEDED, following.error_message
    assert stored_ids(connection) == expected, "the sweep spared what the cancelled run stored"
    assert following.documents_deleted == 0
    # Went on from the checkpoint: nothing the cancelled run stored was read again as new.
    written = [run.documents_upserted + run.documents_failed for run in (cancelled, following)]
    assert sum(written) == Document.objects.filter(data_source=connection.data_source).count()


def test_a_broader_request_does_not_take_over_a_narrower_checkpoint(
    tenant: Tenant, slack: FakeSource
) -> None:
    connection = connect(tenant, "slack", slack)
    full_sync(connection)
    connection.refresh_from_db()
    run = request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="test")
    SyncRun.objects.filter(id=run.id).update(
        status=SyncStatus.CANCELLED, checkpoint={"somewhere": 1}
    )
    again = request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="test")
    assert again.checkpoint == {"somewhere": 1}
    broader = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    assert broader.id == again.id and broader.mode == SyncMode.FULL
    assert broader.checkpoint is None and broader.base_cursor is None


def test_cancel_route_answers_clearly_and_only_to_admins_of_the_workspace(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, slack: FakeSource
) -> None:
    connection = connect(tenant, "slack", slack)
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    path = f"workspaces/{tenant.workspace.id}/connections/{connection.id}/syncs/{run.id}/cancel"
    assert api_as(tenant.member).post(path, {}).status_code == 403
    other = api_as(other_tenant.admin)
    theirs = f"workspaces/{other_tenant.workspace.id}/connections/{connection.id}"
    assert other.post(f"{theirs}/syncs/{run.id}/cancel", {}).status_code == 404
    admin = api_as(tenant.admin)
    answered = admin.post(path, {})
    assert answered.status_code == 200 and answered.json()["status"] == "cancelled"
    again = admin.post(path, {})
    assert again.status_code == 409 and "nothing to cancel" in again.json()["error"]["message"]
    missing = path.replace(f"/syncs/{run.id}/", "/syncs/999999/")
    assert admin.post(missing, {}).status_code == 404


# --- resync one item --------------------------------------------------------------------


def test_resync_one_document_queues_an_item_sync_that_updates_or_removes_it(
    tenant: Tenant, source_kind: str, fake: FakeSource, api_as: Any
) -> None:
    connection = connect(tenant, source_kind, fake)
    full_sync(connection)
    mutation = fake.mutate()
    admin = api_as(tenant.admin)
    base = f"workspaces/{tenant.workspace.id}"

    gone_id = sorted(mutation.deleted)[0]
    gone = Document.objects.get(data_source=connection.data_source, external_id=gone_id)
    answered = admin.post(f"{base}/documents/{gone.id}/resync", {})
    assert answered.status_code == 202, answered.content
    body = answered.json()
    assert body["mode"] == "items" and body["trigger"] == "item"
    run = run_sync(run_id=body["id"])
    assert run.status == SyncStatus.SUCCEEDED and run.item_ids == [gone_id]
    assert run.documents_deleted == 1 and not Document.objects.filter(id=gone.id).exists()

    changed_id = sorted(mutation.changed)[0]
    answered = admin.post(
        f"{base}/connections/{connection.id}/items/resync", {"item_ids": [changed_id]}
    )
    assert answered.status_code == 202, answered.content
    run = run_sync(run_id=answered.json()["id"])
    assert run.status == SyncStatus.SUCCEEDED and run.documents_upserted == 1
    assert AuditEvent.objects.filter(action="connection.sync_requested").count() == 2


def test_resync_of_a_document_answers_clearly_and_only_to_admins_of_the_workspace(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, slack: FakeSource
) -> None:
    connection = connect(tenant, "slack", slack)
    full_sync(connection)
    document = Document.objects.filter(data_source=connection.data_source).first()
    assert document is not None
    path = f"workspaces/{tenant.workspace.id}/documents/{document.id}/resync"
    assert api_as(tenant.member).post(path, {}).status_code == 403
    theirs = f"workspaces/{other_tenant.workspace.id}/documents/{document.id}/resync"
    assert api_as(other_tenant.admin).post(theirs, {}).status_code == 404

    uploaded = DataSource.objects.create(workspace=tenant.workspace, name="Uploads", kind="upload")
    upload = Document.objects.create(
        workspace=tenant.workspace, data_source=uploaded, external_id="u1", title="Upload"
    )
    answered = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/documents/{upload.id}/resync", {}
    )
    assert answered.status_code == 404 and "uploaded" in answered.json()["error"]["message"]
    too_many = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/connections/{connection.id}/items/resync",
        {"item_ids": [str(number) for number in range(101)]},
    )
    assert too_many.status_code in (400, 422)


# --- Drive: an expired change token -----------------------------------------------------


def test_an_expired_drive_change_token_turns_the_sync_into_a_full_resync(
    tenant: Tenant,
) -> None:
    with SOURCES["google_drive"]() as drive:
        connection = connect(tenant, "google_drive", drive)
        full_sync(connection)
        connection.refresh_from_db()
        mutation = drive.mutate()  # type: ignore[attr-defined]
        drive.workspace.expire_change_tokens()  # type: ignore[attr-defined]
        run = request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="test")
        run = run_sync(run_id=run.id)
        assert run.status == SyncStatus.SUCCEEDED, run.error_message
        assert run.mode == SyncMode.FULL and "change token" in run.note
        # Not an item error: files the full sync cannot read fail alone, as in any full sync.
        assert run.error_message == ""
        assert all(error["code"] != "cursor_expired" for error in run.errors)
        assert stored_ids(connection) == drive.expected_external_ids()
        assert mutation.deleted and not stored_ids(connection) & mutation.deleted
        connection.refresh_from_db()
        assert connection.last_full_sync_at is not None
        # The new cursor works: the next incremental sync is an incremental one again.
        after = run_sync(
            run_id=request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="test").id
        )
        assert after.status == SyncStatus.SUCCEEDED and after.mode == SyncMode.INCREMENTAL


# --- Notion: the webhook handshake's verification token ---------------------------------


def test_notions_verification_token_is_shown_to_admins_until_it_is_in_the_credentials(
    tenant: Tenant, api_as: Any
) -> None:
    with SOURCES["notion"]() as notion:
        credentials = notion.credentials()
        token = credentials.pop("webhook_verification_token")
        connection = connect(tenant, "notion", notion)
        connection.credentials_encrypted = encrypt_json(credentials)
        connection.save()
        path = f"workspaces/{tenant.workspace.id}/connections/{connection.id}"
        admin = api_as(tenant.admin)
        assert admin.get(path).json()["webhook_verification_token"] is None

        handshake = Client().post(
            f"/webhooks/notion/{connection.id}",
            data=json.dumps({"verification_token": token}),
            content_type="application/json",
        )
        assert handshake.status_code == 200
        assert admin.get(path).json()["webhook_verification_token"] == token
        assert api_as(tenant.member).get(path).status_code == 403

        connection.credentials_encrypted = encrypt_json(
            {**credentials, "webhook_verification_token": token}
        )
        connection.save()
        assert admin.get(path).json()["webhook_verification_token"] is None
        body = json.dumps({"id": "e1", "type": "page.created", "entity": {"id": "p"}})
        signature = hmac.new(token.encode(), body.encode(), hashlib.sha256).hexdigest()
        signed = Client().post(
            f"/webhooks/notion/{connection.id}",
            data=body,
            content_type="application/json",
            headers={"X-Notion-Signature": f"sha256={signature}"},
        )
        assert signed.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sync_routes_commit_with_their_audit_events_in_autocommit(
    tenant: Tenant, api_as: Any, slack: FakeSource
) -> None:
    """As production runs them: no test transaction around the request (a verb that audits
    outside its own transaction answered 500 there; "Sync now" did)."""
    connection = connect(tenant, "slack", slack)
    document = Document.objects.create(
        workspace=tenant.workspace, data_source=connection.data_source, external_id="C1"
    )
    admin = api_as(tenant.admin)
    path = f"workspaces/{tenant.workspace.id}/connections/{connection.id}"
    started = admin.post(f"{path}/syncs", {"mode": "incremental"})
    assert started.status_code == 202, started.content
    cancelled = admin.post(f"{path}/syncs/{started.json()['id']}/cancel", {})
    assert cancelled.status_code == 200, cancelled.content
    items = admin.post(f"{path}/items/resync", {"item_ids": ["C1"]})
    assert items.status_code == 202, items.content
    one = admin.post(f"workspaces/{tenant.workspace.id}/documents/{document.id}/resync", {})
    assert one.status_code == 202, one.content
    assert AuditEvent.objects.filter(action="connection.sync_requested").count() == 3
