"""Data-subject requests end to end: the admin API queues them, the worker's part runs here
(the task is ours), the archive is downloaded through the API. Export completeness is
checked against a person seeded across every table; erasure by scanning every table."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User
from agents.models import Conversation, Message, MessageRole
from agents.services import create_conversation
from audit.models import AuditEvent
from knowledge.models import Document
from privacy.models import DataSubjectRequest, RequestState
from privacy.services import stale_request_ids
from retention.services import place_legal_hold
from tests.factories import Tenant, make_member
from tests.privacy.conftest import SUBJECT_EMAIL, SUBJECT_NAME, run, seed_person
from workspaces.models import Membership, Role
from workspaces.services import set_member_role

pytestmark = pytest.mark.django_db

AREAS = [
    "account",
    "memberships",
    "groups",
    "space_grants",
    "invitations",
    "conversations",
    "feedback",
    "uploads",
    "api_tokens",
    "audit_events",
    "documents_naming_them",
]


def ask(api: Any, tenant: Tenant, kind: str, member_id: int) -> dict[str, Any]:
    response = api.post(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests",
        {"kind": kind, "member_id": member_id},
    )
    assert response.status_code == 201, response.content
    body: dict[str, Any] = response.json()
    return body


def download(api: Any, tenant: Tenant, request_id: int) -> zipfile.ZipFile:
    response = api.get(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests/{request_id}/archive"
    )
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def read(archive: zipfile.ZipFile, area: str) -> Any:
    return json.loads(archive.read(f"{area}.json"))


def test_an_export_holds_every_area_of_the_person(tenant: Tenant, api_as: Any) -> None:
    seeded = seed_person(tenant)
    admin_api = api_as(tenant.admin)
    queued = ask(admin_api, tenant, "export", seeded.membership.id)
    assert (queued["state"], queued["progress"], queued["subject"]) == ("queued", 0, SUBJECT_EMAIL)
    done = run(queued["id"])
    assert (done.state, done.progress) == (RequestState.DONE, 100)

    archive = download(admin_api, tenant, queued["id"])
    for area in AREAS:
        assert read(archive, area), f"{area} is empty"
    assert read(archive, "account")["email"] == SUBJECT_EMAIL
    assert read(archive, "account")["full_name"] == SUBJECT_NAME
    assert [m["id"] for m in read(archive, "memberships")] == [seeded.membership.id]
    assert "Quill circle" in [g["name"] for g in read(archive, "groups")]
    assert [g["space_id"] for g in read(archive, "space_grants")] == [tenant.restricted_space.id]
    [conversation] = read(archive, "conversations")
    assert conversation["id"] == seeded.conversation_id
    assert [m["role"] for m in conversation["messages"]] == ["user", "agent"]
    assert conversation["messages"][1]["citations"][0]["passage"].startswith("Everyone has")
    assert read(archive, "feedback")[0]["comment"] == "Thanks, from Zed"
    [upload] = read(archive, "uploads")
    assert upload["document_id"] == seeded.upload_document_id
    assert archive.read(upload["file"]) == seeded.upload_bytes
    [token] = read(archive, "api_tokens")
    assert token["id"] == seeded.api_token_id
    assert "token_hash" not in token
    actions = {event["action"] for event in read(archive, "audit_events")}
    assert {"invitation.created", "invitation.accepted", "group.member_added"} <= actions
    assert {"space.access_granted", "api_token.created"} <= actions
    named = read(archive, "documents_naming_them")
    assert [d["id"] for d in named] == [seeded.synced_document_id]
    assert read(archive, "manifest.json".removesuffix(".json"))["areas"]["conversations"] == 1
    assert set(done.result["areas"]) == set(AREAS)
    # No secret of any kind leaves in the archive.
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"token_hash" not in everything and b"password" not in everything
    assert AuditEvent.objects.filter(
        workspace=tenant.workspace, action="privacy.archive_downloaded"
    ).exists()


def test_an_export_holds_only_this_workspaces_data(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    seeded = seed_person(tenant)
    elsewhere = make_member(other_tenant.workspace, SUBJECT_EMAIL, Role.MEMBER)
    create_conversation(actor=elsewhere, title="Globex secret plans")
    admin_api = api_as(tenant.admin)
    request_id = ask(admin_api, tenant, "export", seeded.membership.id)["id"]
    run(request_id)
    archive = download(admin_api, tenant, request_id)
    everything = b"".join(archive.read(name) for name in archive.namelist())
    assert b"Globex" not in everything
    assert [m["workspace_id"] for m in read(archive, "memberships")] == [tenant.workspace.id]


def _hits(model: type[models.Model], needles: list[str], user_id: int, member_id: int) -> Any:
    """Rows of one model whose text, JSON or array columns hold a needle, or whose foreign
    keys point at the person's account or membership."""
    condition = models.Q(pk__in=[])
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey):
            if field.related_model is User:
                condition |= models.Q(**{field.attname: user_id})
            elif field.related_model is Membership:
                condition |= models.Q(**{field.attname: member_id})
            continue
        if isinstance(field, models.GeneratedField) or (
            not isinstance(field, models.CharField | models.TextField | models.JSONField)
            and field.get_internal_type() != "ArrayField"
        ):
            continue
        alias = f"scan_{field.attname}"
        queryset = model._default_manager.annotate(
            **{alias: Cast(field.attname, models.TextField())}
        )
        for needle in needles:
            condition |= models.Q(
                pk__in=queryset.filter(**{f"{alias}__icontains": needle}).values("pk")
            )
    return model._default_manager.filter(condition)


def test_after_erasure_the_person_is_nowhere_but_in_pseudonymised_audit_rows(
    tenant: Tenant, api_as: Any, archive_dir: Any, django_capture_on_commit_callbacks: Any
) -> None:
    seeded = seed_person(tenant)
    user_id, member_id = seeded.membership.user_id, seeded.membership.id
    needles = [SUBJECT_EMAIL, SUBJECT_NAME]
    scanned = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]
    # The scan finds the person everywhere they were seeded before the erasure.
    before = {m._meta.label for m in scanned if _hits(m, needles, user_id, member_id).exists()}
    assert {
        "accounts.User",
        "workspaces.Membership",
        "workspaces.Invitation",
        "workspaces.GroupMember",
        "workspaces.SpaceGrant",
        "workspaces.ApiToken",
        "agents.Conversation",
        "agents.Feedback",
        "knowledge.Document",
        "knowledge.DataSource",
        "agents.Agent",
        "agents.AgentVersion",
        "agents.Agent_editors",
        "audit.AuditEvent",
        "agents.SlackUser",
    } <= before
    admin_api = api_as(tenant.admin)
    export_id = ask(admin_api, tenant, "export", member_id)["id"]
    archive_path = archive_dir / run(export_id).archive_name
    assert archive_path.is_file()
    erase_id = ask(admin_api, tenant, "erase", member_id)["id"]
    with django_capture_on_commit_callbacks(execute=True):  # the archive goes after commit
        done = run(erase_id)
    assert done.state == RequestState.DONE, done.error
    pseudonym = done.result["pseudonym"]
    assert pseudonym.startswith("erased-user-")
    assert done.result["account_deleted"] is True
    excluded = {d["id"] for d in done.result["documents_to_exclude_at_source"]}
    assert excluded == {seeded.synced_document_id}

    found: dict[str, list[Any]] = {}
    for model in scanned:
        rows = list(_hits(model, needles, user_id, member_id))
        if model is AuditEvent:
            # Kept, with the person pseudonymised: no email or name left in them at all.
            assert all(pseudonym in (row.actor_email + json.dumps(row.data)) for row in rows)
            assert not [row for row in rows if SUBJECT_EMAIL in json.dumps(row.data)]
            assert not [row for row in rows if row.actor_email == SUBJECT_EMAIL]
            continue
        if model is Document or model._meta.label == "knowledge.Chunk":
            # The source's own copy of its access list: listed for exclusion at the source.
            rows = [row for row in rows if getattr(row, "document_id", row.pk) not in excluded]
        if rows:
            found[model._meta.label] = rows
    assert found == {}
    assert AuditEvent.objects.filter(workspace=tenant.workspace, actor_email=pseudonym).exists()
    assert not Message.objects.filter(conversation_id=seeded.conversation_id).exists()
    assert not Document.objects.filter(id=seeded.upload_document_id).exists()
    # The earlier export's archive went with the person; its row names only the pseudonym.
    assert not archive_path.exists()
    assert DataSubjectRequest.objects.get(id=export_id).archive_name == ""
    listed = admin_api.get(f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests").json()
    assert {item["subject"] for item in listed["items"]} == {pseudonym}
    gone = admin_api.get(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests/{export_id}/archive"
    )
    assert gone.status_code in (404, 409)


def test_erasing_someone_in_two_workspaces_keeps_their_account_and_the_other_workspace(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    seeded = seed_person(tenant)
    elsewhere = make_member(other_tenant.workspace, SUBJECT_EMAIL, Role.MEMBER)
    kept = create_conversation(actor=elsewhere, title="Globex thread")
    Message.objects.create(
        workspace=other_tenant.workspace, conversation=kept, role=MessageRole.USER, content="hi"
    )
    erase_id = ask(api_as(tenant.admin), tenant, "erase", seeded.membership.id)["id"]
    done = run(erase_id)
    assert done.result["account_deleted"] is False
    assert User.objects.filter(email=SUBJECT_EMAIL).exists()
    assert not Membership.objects.filter(id=seeded.membership.id).exists()
    assert Conversation.objects.filter(id=kept.id).exists()
    assert not Conversation.objects.filter(id=seeded.conversation_id).exists()


def test_a_redelivered_run_does_nothing(tenant: Tenant, api_as: Any) -> None:
    seeded = seed_person(tenant)
    request_id = ask(api_as(tenant.admin), tenant, "export", seeded.membership.id)["id"]
    first = run(request_id)
    again = run(request_id)
    assert (again.archive_name, again.attempts) == (first.archive_name, 1)


def test_asking_twice_while_queued_returns_the_same_request(tenant: Tenant, api_as: Any) -> None:
    admin_api = api_as(tenant.admin)
    first = ask(admin_api, tenant, "export", tenant.member.id)
    second = ask(admin_api, tenant, "export", tenant.member.id)
    assert first["id"] == second["id"]


def test_an_archive_over_the_size_bound_fails_and_leaves_no_file(
    tenant: Tenant, api_as: Any, settings: Any, archive_dir: Any
) -> None:
    seeded = seed_person(tenant)
    settings.PRIVACY_EXPORT_MAX_BYTES = 200
    request_id = ask(api_as(tenant.admin), tenant, "export", seeded.membership.id)["id"]
    failed = run(request_id)
    assert failed.state == RequestState.FAILED
    assert "PRIVACY_EXPORT_MAX_BYTES" in failed.error
    assert not list(archive_dir.rglob("*.zip"))


def test_an_admin_cannot_erase_themselves(tenant: Tenant, api_as: Any) -> None:
    response = api_as(tenant.admin).post(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests",
        {"kind": "erase", "member_id": tenant.admin.id},
    )
    assert response.status_code == 409


@pytest.mark.parametrize("held", ["person", "workspace"])
def test_a_legal_hold_stops_an_erasure_asked_before_or_after_it(
    tenant: Tenant, api_as: Any, held: str
) -> None:
    subject = make_member(tenant.workspace, "held@acme.test")
    queued = ask(api_as(tenant.admin), tenant, "erase", subject.id)
    place_legal_hold(
        actor=tenant.admin,
        reason="Litigation 12",
        membership_id=subject.id if held == "person" else None,
    )

    response = api_as(tenant.admin).post(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests",
        {"kind": "erase", "member_id": subject.id},
    )
    assert response.status_code == 409
    assert "legal hold" in response.json()["error"]["message"]
    run(queued["id"])
    request = DataSubjectRequest.objects.get(id=queued["id"])
    assert request.state == RequestState.FAILED
    assert "legal hold" in request.error
    assert Membership.objects.filter(id=subject.id).exists()
    # Exporting stays possible under a hold.
    ask(api_as(tenant.admin), tenant, "export", subject.id)


def test_a_member_of_another_workspace_cannot_be_named(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    for body in ({"member_id": other_tenant.member.id}, {"email": other_tenant.member.user.email}):
        response = api_as(tenant.admin).post(
            f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests",
            {"kind": "export", **body},
        )
        assert response.status_code == 404


def _export_of(tenant: Tenant, api_as: Any) -> int:
    seeded = seed_person(tenant)
    request_id: int = ask(api_as(tenant.admin), tenant, "export", seeded.membership.id)["id"]
    run(request_id)
    return request_id


@pytest.mark.parametrize("suffix", ["", "/archive"])
def test_another_workspaces_admin_can_neither_see_nor_download(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, suffix: str
) -> None:
    request_id = _export_of(tenant, api_as)
    attacker = api_as(other_tenant.admin)
    # Through their own workspace's path (the id is not theirs) and through ours.
    own = attacker.get(
        f"/api/v1/workspaces/{other_tenant.workspace.id}/privacy/requests/{request_id}{suffix}"
    )
    ours = attacker.get(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests/{request_id}{suffix}"
    )
    assert own.status_code == 404
    assert ours.status_code == 404
    listed = attacker.get(f"/api/v1/workspaces/{other_tenant.workspace.id}/privacy/requests")
    assert listed.json()["items"] == []


@pytest.mark.parametrize("role", ["member", "builder"])
def test_a_non_admin_can_neither_ask_see_nor_download(
    tenant: Tenant, api_as: Any, role: str
) -> None:
    request_id = _export_of(tenant, api_as)
    person = api_as(tenant.by_role(role))
    base = f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests"
    assert person.get(base).status_code == 403
    assert person.get(f"{base}/{request_id}").status_code == 403
    assert person.get(f"{base}/{request_id}/archive").status_code == 403
    asked = person.post(base, {"kind": "export", "member_id": tenant.member.id})
    assert asked.status_code == 403
    assert DataSubjectRequest.objects.filter(workspace=tenant.workspace).count() == 1


def test_a_request_whose_admin_lost_the_role_fails_and_says_why(
    tenant: Tenant, api_as: Any
) -> None:
    request_id = ask(api_as(tenant.admin), tenant, "erase", tenant.member.id)["id"]
    second_admin = make_member(tenant.workspace, "second-admin@acme.test", Role.ADMIN)
    set_member_role(actor=second_admin, membership_id=tenant.admin.id, role=Role.MEMBER)
    failed = run(request_id)
    assert failed.state == RequestState.FAILED
    assert "admin" in failed.error
    # Nothing of the person was touched, and the failure is in the audit log.
    assert Membership.objects.filter(id=tenant.member.id).exists()
    assert AuditEvent.objects.filter(
        workspace=tenant.workspace, action="privacy.erase_failed", target_id=str(request_id)
    ).exists()


def test_queued_requests_whose_task_was_lost_are_found_by_the_sweep(
    tenant: Tenant, api_as: Any
) -> None:
    request_id = ask(api_as(tenant.admin), tenant, "export", tenant.member.id)["id"]
    assert stale_request_ids() == []
    DataSubjectRequest.objects.filter(id=request_id).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    assert stale_request_ids() == [request_id]
    run(request_id)
    assert stale_request_ids() == []


def test_an_operators_account_outlives_their_erasure_from_a_workspace(
    tenant: Tenant, api_as: Any
) -> None:
    User.objects.filter(id=tenant.member.user_id).update(is_operator=True)
    done = run(ask(api_as(tenant.admin), tenant, "erase", tenant.member.id)["id"])
    assert done.result["account_deleted"] is False
    assert User.objects.filter(id=tenant.member.user_id).exists()
    assert not Membership.objects.filter(id=tenant.member.id).exists()
