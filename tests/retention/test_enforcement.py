"""Enforcement on a clock the test controls: exactly what is older than each period goes
(with what belongs to it), both kinds of hold keep what they cover, batches add up, a second
run deletes nothing, and one audit event per workspace per run carries the counts."""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from agents import services as agent_services
from agents.models import Citation, Conversation, Feedback, FeedbackRating, Message
from agents.services.answers import complete_answer
from agents.tools import SourcePassage
from audit.models import AuditEvent
from audit.services import audit_change
from common.crypto import encrypt_json
from config.celery import app
from connections.models import Connection, SyncMode, SyncRun, SyncStatus
from knowledge import services as knowledge_services
from knowledge.models import Chunk, DataSource, DataSourceView, Document, StoredUpload
from retention.models import RetentionPolicy
from retention.services import enforce_all_retention, enforce_retention, place_legal_hold
from tests.factories import Tenant
from workspaces.models import Membership

pytestmark = pytest.mark.django_db

DAYS = 30
_numbers = itertools.count(1)


@pytest.fixture
def now() -> datetime:
    """The enforcement clock: a fixed instant well after every row's real creation."""
    return timezone.now() + timedelta(days=1)


def old(now: datetime) -> datetime:
    return now - timedelta(days=DAYS, seconds=1)


def recent(now: datetime) -> datetime:
    return now - timedelta(days=DAYS) + timedelta(seconds=1)


def set_policy(tenant: Tenant, days: int | None = DAYS) -> None:
    RetentionPolicy.objects.update_or_create(
        workspace=tenant.workspace,
        defaults={
            "conversations_days": days,
            "uploads_days": days,
            "audit_events_days": days,
            "sync_logs_days": days,
        },
    )


@dataclass
class Seeded:
    folder_view: DataSourceView
    connection: Connection


@pytest.fixture
def seeded(tenant: Tenant) -> Seeded:
    folder = knowledge_services.create_folder(
        actor=tenant.admin, space_id=tenant.company_space.id, name="Uploads"
    )
    source = DataSource.objects.create(workspace=tenant.workspace, name="Slack", kind="slack")
    connection = Connection.objects.create(
        workspace=tenant.workspace,
        data_source=source,
        kind="slack",
        credentials_encrypted=encrypt_json({"bot_token": "xoxb-1", "signing_secret": "s"}),
    )
    agent = agent_services.create_agent(
        actor=tenant.admin, handle="helper", name="Helper", view_ids=[folder.id]
    )
    agent_services.publish_agent(actor=tenant.admin, agent_id=agent.id)
    return Seeded(folder, connection)


def upload(seeded: Seeded, actor: Membership, at: datetime) -> Document:
    [outcome] = knowledge_services.upload_files(
        actor=actor,
        data_source_id=seeded.folder_view.data_source_id,
        files=[
            knowledge_services.UploadedFile(
                filename=f"file-{next(_numbers)}.txt",
                content_type="text/plain",
                size=5,
                stream=io.BytesIO(b"hello"),
            )
        ],
    )
    Document.objects.filter(id=outcome.document_id).update(updated_at=at)
    return Document.objects.get(id=outcome.document_id)


def conversation(owner: Membership, at: datetime, cited: Document | None = None) -> Conversation:
    """A conversation with a question, an answer that cites a document, and feedback."""
    thread = agent_services.create_conversation(actor=owner)
    answer = agent_services.post_message(
        actor=owner, conversation_id=thread.id, agent_handle="helper", content="Where?"
    )
    if cited is not None:
        passage = SourcePassage(1, None, cited.id, cited.title, "", "hello")
        complete_answer(message=answer, text="Here [1]", used_model=False, citations=[passage])
    agent_services.give_feedback(
        actor=owner, conversation_id=thread.id, message_id=answer.id, rating=FeedbackRating.UP
    )
    Conversation.objects.filter(id=thread.id).update(updated_at=at)
    return thread


def audit_event(actor: Membership, at: datetime) -> AuditEvent:
    with transaction.atomic():
        event = audit_change(actor=actor, action="test.event", target=actor)
    AuditEvent.objects.filter(id=event.id).update(created_at=at)
    return event


def sync_run(seeded: Seeded, finished: datetime | None, status: str = SyncStatus.SUCCEEDED) -> int:
    run = SyncRun.objects.create(
        workspace_id=seeded.connection.workspace_id,
        connection=seeded.connection,
        mode=SyncMode.FULL,
        status=status,
        finished_at=finished,
    )
    SyncRun.objects.filter(id=run.id).update(queued_at=finished or timezone.now())
    return run.id


def test_exactly_what_is_older_than_each_period_is_deleted(
    tenant: Tenant, other_tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    old_upload, new_upload = (
        upload(seeded, tenant.builder, old(now)),
        upload(seeded, tenant.builder, recent(now)),
    )
    old_thread = conversation(tenant.member, old(now), cited=new_upload)
    new_thread = conversation(tenant.member, recent(now), cited=new_upload)
    old_event, new_event = (
        audit_event(tenant.admin, old(now)),
        audit_event(tenant.admin, recent(now)),
    )
    # Runs oldest first; the connection's latest run is kept however old, so the console
    # still shows how its last sync went; a run still going is never touched.
    oldest_run = sync_run(seeded, old(now) - timedelta(days=2))
    running = sync_run(seeded, None, SyncStatus.RUNNING)
    SyncRun.objects.filter(id=running).update(queued_at=old(now) - timedelta(days=1))
    new_run = sync_run(seeded, recent(now))
    latest_old_run_elsewhere = sync_run(
        Seeded(seeded.folder_view, _second_connection(tenant)), old(now)
    )
    # Another workspace with the same old rows and no policy keeps them all.
    others_old_event = audit_event(other_tenant.admin, old(now))
    old_answer_ids = list(
        Message.objects.filter(conversation=old_thread).values_list("id", flat=True)
    )

    counts = enforce_retention(workspace_id=tenant.workspace.id, now=now)

    assert counts == {"conversations": 1, "uploads": 1, "audit_events": 1, "sync_logs": 1}
    assert set(Conversation.objects.filter(workspace=tenant.workspace)) == {new_thread}
    assert not Message.objects.filter(id__in=old_answer_ids).exists()
    assert not Citation.objects.filter(message_id__in=old_answer_ids).exists()
    assert not Feedback.objects.filter(message_id__in=old_answer_ids).exists()
    assert Citation.objects.filter(message__conversation=new_thread).count() == 1
    assert Feedback.objects.filter(message__conversation=new_thread).count() == 1
    assert set(Document.objects.filter(workspace=tenant.workspace)) == {new_upload}
    assert not StoredUpload.objects.filter(document_id=old_upload.id).exists()
    assert not Chunk.objects.filter(document_id=old_upload.id).exists()
    remaining_events = set(
        AuditEvent.objects.filter(workspace=tenant.workspace).values_list("id", flat=True)
    )
    assert old_event.id not in remaining_events and new_event.id in remaining_events
    assert set(SyncRun.objects.values_list("id", flat=True)) == {
        running,
        new_run,
        latest_old_run_elsewhere,
    }
    assert oldest_run not in SyncRun.objects.values_list("id", flat=True)
    assert AuditEvent.objects.filter(id=others_old_event.id).exists()


def _second_connection(tenant: Tenant) -> Connection:
    source = DataSource.objects.create(workspace=tenant.workspace, name="Slack 2", kind="slack")
    return Connection.objects.create(
        workspace=tenant.workspace, data_source=source, kind="slack", credentials_encrypted="x"
    )


def test_synced_documents_are_left_to_their_source(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    synced = Document.objects.create(
        workspace=tenant.workspace,
        data_source=seeded.connection.data_source,
        external_id="C1",
        title="General",
    )
    Document.objects.filter(id=synced.id).update(updated_at=old(now))
    assert enforce_retention(workspace_id=tenant.workspace.id, now=now)["uploads"] == 0
    assert Document.objects.filter(id=synced.id).exists()


def test_no_policy_or_empty_periods_keep_everything(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    conversation(tenant.member, old(now) - timedelta(days=3650))
    audit_event(tenant.admin, old(now) - timedelta(days=3650))
    assert enforce_retention(workspace_id=tenant.workspace.id, now=now) == dict.fromkeys(
        ("conversations", "uploads", "audit_events", "sync_logs"), 0
    )
    set_policy(tenant, None)
    assert not any(enforce_retention(workspace_id=tenant.workspace.id, now=now).values())
    assert Conversation.objects.filter(workspace=tenant.workspace).count() == 1
    assert not AuditEvent.objects.filter(action="retention.enforced").exists()


def test_a_workspace_hold_stops_every_deletion(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    upload(seeded, tenant.builder, old(now))
    conversation(tenant.member, old(now))
    audit_event(tenant.admin, old(now))
    sync_run(seeded, old(now) - timedelta(days=1))
    sync_run(seeded, old(now))
    hold = place_legal_hold(actor=tenant.admin, reason="Litigation")
    AuditEvent.objects.update(created_at=old(now))  # the hold's own event is old too

    before = {
        model: model.objects.count() for model in (Conversation, Document, AuditEvent, SyncRun)
    }
    assert not any(enforce_retention(workspace_id=tenant.workspace.id, now=now).values())
    assert {model: model.objects.count() for model in before} == before
    policy = RetentionPolicy.objects.get(workspace=tenant.workspace)
    assert policy.last_enforcement_counts["workspace_held"] is True

    # Released, the policy applies again at the next run.
    hold.released_at = now
    hold.save()
    counts = enforce_retention(workspace_id=tenant.workspace.id, now=now)
    assert counts["conversations"] == 1 and counts["uploads"] == 1 and counts["sync_logs"] == 1
    assert counts["audit_events"] >= 2


def test_a_person_hold_keeps_their_conversations_uploads_and_audit_events(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    held_thread = conversation(tenant.builder, old(now))
    held_upload = upload(seeded, tenant.builder, old(now))
    held_event = audit_event(tenant.builder, old(now))
    conversation(tenant.member, old(now))
    upload(seeded, tenant.admin, old(now))
    other_event = audit_event(tenant.member, old(now))
    place_legal_hold(actor=tenant.admin, reason="HR case", membership_id=tenant.builder.id)

    counts = enforce_retention(workspace_id=tenant.workspace.id, now=now)

    assert counts["conversations"] == 1 and counts["uploads"] == 1
    assert list(Conversation.objects.filter(workspace=tenant.workspace)) == [held_thread]
    assert held_thread.messages.count() == 2
    assert list(Document.objects.filter(workspace=tenant.workspace)) == [held_upload]
    assert AuditEvent.objects.filter(id=held_event.id).exists()
    assert not AuditEvent.objects.filter(id=other_event.id).exists()


def test_batches_add_up_and_a_second_run_deletes_nothing(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    for _ in range(7):
        conversation(tenant.member, old(now))
    for _ in range(5):
        audit_event(tenant.member, old(now))
    kept = conversation(tenant.member, recent(now))
    AuditEvent.objects.filter(workspace=tenant.workspace, action__in=("member.added",)).update(
        created_at=recent(now)
    )
    old_events = AuditEvent.objects.filter(
        workspace=tenant.workspace, created_at__lt=now - timedelta(days=DAYS)
    ).count()

    first = enforce_retention(workspace_id=tenant.workspace.id, now=now, batch_size=2)
    assert first["conversations"] == 7 and first["audit_events"] == old_events
    assert list(Conversation.objects.filter(workspace=tenant.workspace)) == [kept]
    [event] = AuditEvent.objects.filter(workspace=tenant.workspace, action="retention.enforced")
    assert event.data["deleted"] == first
    assert event.actor_id is None

    second = enforce_retention(workspace_id=tenant.workspace.id, now=now, batch_size=2)
    assert not any(second.values())
    assert AuditEvent.objects.filter(action="retention.enforced").count() == 1
    assert Conversation.objects.filter(workspace=tenant.workspace).count() == 1
    policy = RetentionPolicy.objects.get(workspace=tenant.workspace)
    assert policy.last_enforced_at == now
    assert policy.last_enforcement_counts["conversations"] == 0


def test_a_spent_time_budget_stops_after_one_batch_and_the_next_run_goes_on(
    tenant: Tenant, seeded: Seeded, now: datetime
) -> None:
    set_policy(tenant)
    for _ in range(3):
        conversation(tenant.member, old(now))
    # A deadline already past: one batch per kind (so every run makes progress), then stop.
    stopped = enforce_retention(
        workspace_id=tenant.workspace.id, now=now, batch_size=1, deadline=0.0
    )
    assert stopped["conversations"] == 1
    assert Conversation.objects.filter(workspace=tenant.workspace).count() == 2
    rest = enforce_retention(workspace_id=tenant.workspace.id, now=now, batch_size=1)
    assert rest["conversations"] == 2
    assert Conversation.objects.filter(workspace=tenant.workspace).count() == 0


def test_one_run_covers_every_workspace_with_a_policy(
    tenant: Tenant, other_tenant: Tenant, now: datetime
) -> None:
    set_policy(tenant)
    set_policy(other_tenant)
    audit_event(tenant.admin, old(now))
    audit_event(other_tenant.admin, old(now))
    results = enforce_all_retention(now=now)
    assert set(results) == {tenant.workspace.id, other_tenant.workspace.id}
    for workspace in (tenant.workspace, other_tenant.workspace):
        [event] = AuditEvent.objects.filter(workspace=workspace, action="retention.enforced")
        assert event.data["deleted"]["audit_events"] >= 1


def test_the_task_is_registered_and_scheduled_by_beat(settings: Any) -> None:
    app.loader.import_default_modules()
    assert "retention.enforce_retention" in app.tasks
    schedules = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "retention.enforce_retention" in schedules
    [entry] = [
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"] == "retention.enforce_retention"
    ]
    assert float(entry["schedule"]) <= 3600.0


def test_the_task_runs_the_enforcement(tenant: Tenant, now: datetime) -> None:
    set_policy(tenant, 1)
    event = audit_event(tenant.admin, timezone.now() - timedelta(days=2))
    app.tasks["retention.enforce_retention"].apply()
    assert not AuditEvent.objects.filter(id=event.id).exists()
    assert AuditEvent.objects.filter(action="retention.enforced").count() == 1


def test_the_operator_command_runs_one_workspace(tenant: Tenant, now: datetime) -> None:
    from io import StringIO

    from django.core.management import call_command

    set_policy(tenant, 1)
    event = audit_event(tenant.admin, timezone.now() - timedelta(days=2))
    out = StringIO()
    call_command("enforce_retention", "--workspace", "acme", stdout=out)
    assert "acme: deleted conversations 0, uploads 0, audit_events " in out.getvalue()
    assert not AuditEvent.objects.filter(id=event.id).exists()
