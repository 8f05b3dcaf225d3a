"""The sync framework, run for every connector against its fake: full and incremental syncs
into the knowledge base, deletions, selection, revoked credentials, faults, locking and
access lists. Syncs run in-process here; tests/connections/test_workers.py runs them on
real workers (kill -9)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from common.redis import redis_client
from connections.engine import SyncBusy, build_connector
from connections.models import Connection, ConnectionStatus, SyncMode, SyncRun, SyncStatus
from connections.pacing import RedisPacer, SyncLock
from connections.services import request_sync, run_sync, schedule_syncs
from knowledge.ingestion import index_documents
from knowledge.models import Document, DocumentStatus
from knowledge.selectors import search_chunks
from tests.connectors.contract import FakeSource
from tests.factories import Tenant, make_user
from workspaces.models import Group, Membership, Role


def sync(connection: Connection, mode: str, slept: list[float] | None = None) -> SyncRun:
    run = request_sync(connection=connection, mode=mode, trigger="test")
    run = run_sync(run_id=run.id, sleep=(slept.append if slept is not None else None))
    connection.refresh_from_db()
    return run


def stored_ids(connection: Connection) -> set[str]:
    """Documents synced with content (items the source could not hand over are kept as
    failed documents, with their error, and are not counted here)."""
    return set(
        Document.objects.filter(data_source=connection.data_source)
        .exclude(status=DocumentStatus.FAILED)
        .values_list("external_id", flat=True)
    )


def test_full_then_incremental_sync_mirror_the_source(
    connection: Connection, fake: FakeSource
) -> None:
    run = sync(connection, SyncMode.FULL)
    assert run.status == SyncStatus.SUCCEEDED, run.error_message
    expected = fake.expected_external_ids()
    assert stored_ids(connection) == expected
    assert run.documents_upserted == len(expected) and run.pages >= 2
    assert connection.cursor is not None and connection.last_full_sync_at is not None

    mutation = fake.mutate()
    before = dict(
        Document.objects.filter(data_source=connection.data_source).values_list(
            "external_id", "content_hash"
        )
    )
    run = sync(connection, SyncMode.INCREMENTAL)
    assert run.status == SyncStatus.SUCCEEDED, run.error_message
    # Some deletions no source reports (GitHub keeps no record of a deleted issue): those
    # wait for webhooks or the daily full sync, checked below.
    assert stored_ids(connection) >= fake.expected_external_ids()
    assert not stored_ids(connection) & mutation.deleted
    after = dict(
        Document.objects.filter(data_source=connection.data_source).values_list(
            "external_id", "content_hash"
        )
    )
    unchanged = [i for i in mutation.changed if i in before and after[i] == before[i]]
    assert not unchanged, f"changed at the source, not here: {unchanged}"
    assert run.documents_deleted >= len(mutation.deleted)
    assert sync(connection, SyncMode.FULL).status == SyncStatus.SUCCEEDED
    assert stored_ids(connection) == fake.expected_external_ids()


def test_a_resync_with_nothing_changed_writes_nothing(connection: Connection) -> None:
    sync(connection, SyncMode.FULL)
    run = sync(connection, SyncMode.FULL)
    assert run.status == SyncStatus.SUCCEEDED
    assert run.documents_upserted == 0 and run.documents_deleted == 0
    assert run.documents_unchanged == len(stored_ids(connection))


def test_narrowing_the_selection_removes_what_is_no_longer_picked(
    connection: Connection, fake: FakeSource
) -> None:
    sync(connection, SyncMode.FULL)
    picked = fake.selectable_id()
    connection.selected_ids = [picked]
    connection.save()
    run = sync(connection, SyncMode.FULL)
    assert stored_ids(connection) == fake.expected_external_ids([picked])
    assert run.documents_deleted > 0


def test_a_revoked_token_marks_the_connection_and_keeps_the_data(
    connection: Connection, fake: FakeSource
) -> None:
    sync(connection, SyncMode.FULL)
    kept = stored_ids(connection)
    fake.revoke_credentials()
    run = sync(connection, SyncMode.INCREMENTAL)
    assert run.status == SyncStatus.FAILED and run.error_code == "invalid_credentials"
    assert connection.status == ConnectionStatus.NEEDS_CREDENTIALS
    assert "new credentials" in connection.status_message
    assert stored_ids(connection) == kept
    # Scheduled syncs leave it alone until an admin acts.
    assert not SyncRun.objects.filter(id__in=schedule_syncs(), connection=connection).exists()


def test_random_rate_limits_and_server_errors_lose_nothing(
    connection: Connection, fake: FakeSource
) -> None:
    fake.inject_transient_faults(rate=0.3, retry_after=2)
    slept: list[float] = []
    run = sync(connection, SyncMode.FULL, slept)
    assert run.status == SyncStatus.SUCCEEDED, run.error_message
    assert fake.faults_served > 0 and 2.0 in slept
    assert stored_ids(connection) == fake.expected_external_ids()


def test_one_sync_per_connection_at_a_time(connection: Connection) -> None:
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    held = SyncLock(redis_client(), connection.id, ttl_seconds=30)
    assert held.acquire()
    try:
        with pytest.raises(SyncBusy):
            run_sync(run_id=run.id)
    finally:
        held.release()
    assert run_sync(run_id=run.id).status == SyncStatus.SUCCEEDED


def test_requests_while_a_run_waits_are_merged_into_it(connection: Connection) -> None:
    connection.cursor = {}
    connection.save()
    first = request_sync(connection=connection, mode=SyncMode.ITEMS, trigger="t", item_ids=["a"])
    second = request_sync(connection=connection, mode=SyncMode.ITEMS, trigger="t", item_ids=["b"])
    assert second.id == first.id and second.item_ids == ["a", "b"]
    broader = request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="t")
    assert broader.id == first.id and broader.mode == SyncMode.INCREMENTAL


def test_private_items_reach_only_people_on_their_access_list(
    tenant: Tenant, other_tenant: Tenant, connection: Connection, fake: FakeSource
) -> None:
    if not getattr(fake, "has_private_items", True):
        pytest.skip(f"{connection.kind} shows integrations no per-item access lists")
    sync(connection, SyncMode.FULL)
    private = (
        Document.objects.filter(data_source=connection.data_source, access_public=False)
        .exclude(access_emails=[])
        .order_by("external_id")
        .first()
    )
    assert private is not None, "the fake workspace should hold private items"
    index_documents(document_ids=[private.id])
    insider_user = make_user(private.access_emails[0])
    insider = Membership.objects.create(
        workspace=tenant.workspace, user=insider_user, role=Role.MEMBER
    )
    query = " ".join(private.text.split()[:12])

    def finds(member: Membership) -> bool:
        hits = search_chunks(actor=member, views=None, query=query, k=50)
        return any(hit.document_id == private.id for hit in hits)

    assert finds(insider)
    assert tenant.member.user.email not in private.access_emails
    assert not finds(tenant.member)
    assert not finds(tenant.admin), "admins see only what their own access allows"
    assert not finds(other_tenant.admin)


def test_the_schedule_resumes_runs_whose_worker_died(connection: Connection, settings: Any) -> None:
    run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
    SyncRun.objects.filter(id=run.id).update(
        status=SyncStatus.RUNNING,
        heartbeat_at=timezone.now() - timedelta(seconds=settings.SYNC_LOCK_SECONDS + 5),
    )
    assert run.id in schedule_syncs()


def test_the_pace_is_shared_by_every_worker_and_held_on_retry_after(db: None) -> None:
    """Two pacers (two workers) on one connection take turns on one schedule."""
    client = redis_client()
    client.delete("sync:pace:connection:424242")
    waits: list[float] = []
    first = RedisPacer(client, 424242, requests_per_minute=600, sleep=waits.append)
    second = RedisPacer(client, 424242, requests_per_minute=600, sleep=waits.append)
    for _ in range(3):
        first.wait_turn()
        second.wait_turn()
    # 6 requests at 0.1 s intervals: the later ones wait for their slot, ~0.1 s apart.
    assert len(waits) == 5 and waits == sorted(waits)
    assert waits[-1] == pytest.approx(0.5, abs=0.05)
    second.hold(30)  # the source said Retry-After: 30
    waits.clear()
    first.wait_turn()
    assert waits and waits[0] == pytest.approx(30, abs=1)


def test_an_access_list_naming_a_source_group_reaches_its_members(
    tenant: Tenant, connection: Connection, fake: FakeSource
) -> None:
    connector = build_connector(connection)
    groups = {group.external_id: group for group in connector.list_groups()}
    if not groups:
        pytest.skip(f"{connection.kind} has no groups")  # Slack and Notion: none to sync
    sync(connection, SyncMode.FULL)
    candidates = Document.objects.filter(
        data_source=connection.data_source, access_public=False, access_group_ids__len__gt=0
    ).order_by("external_id")
    # A document open to a group, and a member of that group not listed by email.
    found = None
    for document in candidates:
        for group_id in document.access_group_ids:
            outside = (
                [
                    email
                    for email in groups[group_id].member_emails
                    if email.lower() not in document.access_emails
                ]
                if group_id in groups
                else []
            )
            if outside:
                found = (document, group_id, outside[0])
                break
        if found:
            break
    if found is None:
        # GitHub lists everyone with access (team members too) as collaborators by email.
        pytest.skip(f"{connection.kind} names every group member by email as well")
    document, group_id, email = found
    index_documents(document_ids=[document.id])
    via_group = Membership.objects.create(
        workspace=tenant.workspace, user=make_user(email), role=Role.MEMBER
    )
    query = " ".join(document.text.split()[:12])

    def finds(member: Membership) -> bool:
        hits = search_chunks(actor=member, views=None, query=query, k=50)
        return any(hit.document_id == document.id for hit in hits)

    assert not finds(via_group), "not yet: the group is synced with the next full sync"
    sync(connection, SyncMode.FULL)
    group = Group.objects.get(workspace=tenant.workspace, external_id=group_id)
    assert group.members.filter(id=via_group.id).exists()
    assert finds(via_group)
    assert not finds(tenant.member)
