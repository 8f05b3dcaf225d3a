"""The retention policy and legal holds over the API: admins of the workspace only, every
change audited, and nothing of another workspace reachable by id."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from retention.models import LegalHold, RetentionPolicy
from tests.factories import ApiClient, Tenant

pytestmark = pytest.mark.django_db

PERIODS = {"conversations_days": 90, "uploads_days": 365, "audit_events_days": None}


def put(client: ApiClient, workspace_id: int, body: dict[str, Any]) -> Any:
    return client.request("PUT", f"workspaces/{workspace_id}/retention", body)


def test_the_default_keeps_everything_forever(tenant: Tenant, api_as: Any) -> None:
    response = api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/retention")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [
        body[f"{k}_days"] for k in ("conversations", "uploads", "audit_events", "sync_logs")
    ] == [None] * 4
    assert body["last_enforced_at"] is None and body["last_enforcement_counts"] == {}


def test_an_admin_sets_the_periods_and_the_change_is_audited(tenant: Tenant, api_as: Any) -> None:
    admin = api_as(tenant.admin)
    response = put(admin, tenant.workspace.id, {**PERIODS, "sync_logs_days": 30})
    assert response.status_code == 200, response.content
    assert response.json()["conversations_days"] == 90
    assert response.json()["updated_by_email"] == "admin@acme.test"
    again = put(admin, tenant.workspace.id, {**PERIODS, "sync_logs_days": None})
    assert again.json()["sync_logs_days"] is None
    assert admin.get(f"workspaces/{tenant.workspace.id}/retention").json()["uploads_days"] == 365
    events = AuditEvent.objects.filter(
        workspace=tenant.workspace, action="retention_policy.updated"
    ).order_by("id")
    assert [e.data["after"]["sync_logs"] for e in events] == [30, None]
    assert events[1].data["before"]["sync_logs"] == 30
    assert events[1].actor_id == tenant.admin.user_id


@pytest.mark.parametrize("days", [0, -1, 36_501])
def test_a_period_out_of_range_is_refused(tenant: Tenant, api_as: Any, days: int) -> None:
    response = put(api_as(tenant.admin), tenant.workspace.id, {"conversations_days": days})
    assert response.status_code == 422
    assert not RetentionPolicy.objects.filter(workspace=tenant.workspace).exists()


@pytest.mark.parametrize("role", ["builder", "member"])
def test_non_admins_can_neither_read_nor_change_the_policy(
    tenant: Tenant, api_as: Any, role: str
) -> None:
    client = api_as(tenant.by_role(role))
    assert client.get(f"workspaces/{tenant.workspace.id}/retention").status_code == 403
    assert put(client, tenant.workspace.id, {"conversations_days": 1}).status_code == 403
    assert client.get(f"workspaces/{tenant.workspace.id}/legal-holds").status_code == 403
    placed = client.post(f"workspaces/{tenant.workspace.id}/legal-holds", {"reason": "x"})
    assert placed.status_code == 403
    assert not RetentionPolicy.objects.exists() and not LegalHold.objects.exists()


def test_another_workspaces_admin_reaches_nothing(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    hold = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/legal-holds", {"reason": "Case 12"}
    )
    assert hold.status_code == 201
    intruder = api_as(other_tenant.admin)
    assert intruder.get(f"workspaces/{tenant.workspace.id}/retention").status_code == 404
    assert put(intruder, tenant.workspace.id, {"conversations_days": 1}).status_code == 404
    assert intruder.get(f"workspaces/{tenant.workspace.id}/legal-holds").status_code == 404
    # Their own workspace's routes cannot reach this workspace's hold or members either.
    own = other_tenant.workspace.id
    release = intruder.post(f"workspaces/{own}/legal-holds/{hold.json()['id']}/release")
    assert release.status_code == 404
    on_member = intruder.post(
        f"workspaces/{own}/legal-holds", {"reason": "x", "membership_id": tenant.member.id}
    )
    assert on_member.status_code == 404
    assert intruder.get(f"workspaces/{own}/legal-holds").json() == []
    assert LegalHold.objects.get(id=hold.json()["id"]).released_at is None
    assert not RetentionPolicy.objects.filter(workspace=tenant.workspace).exists()


def test_holds_are_placed_listed_and_released_with_audit(tenant: Tenant, api_as: Any) -> None:
    admin = api_as(tenant.admin)
    base = f"workspaces/{tenant.workspace.id}/legal-holds"
    workspace_hold = admin.post(base, {"reason": "Litigation 2026-7"})
    person_hold = admin.post(base, {"reason": "HR case", "membership_id": tenant.member.id})
    assert workspace_hold.status_code == 201 and person_hold.status_code == 201
    assert person_hold.json()["member_email"] == "member@acme.test"
    assert workspace_hold.json()["membership_id"] is None
    duplicate = admin.post(base, {"reason": "again", "membership_id": tenant.member.id})
    assert duplicate.status_code == 409
    assert admin.post(base, {"reason": "  "}).status_code == 422

    released = admin.post(f"{base}/{person_hold.json()['id']}/release")
    assert released.status_code == 200, released.content
    assert released.json()["active"] is False
    assert released.json()["released_by_email"] == "admin@acme.test"
    assert admin.post(f"{base}/{person_hold.json()['id']}/release").status_code == 409
    listed = admin.get(base).json()
    assert [(h["id"], h["active"]) for h in listed] == [
        (workspace_hold.json()["id"], True),
        (person_hold.json()["id"], False),
    ]
    actions = list(
        AuditEvent.objects.filter(workspace=tenant.workspace, action__startswith="legal_hold.")
        .order_by("id")
        .values_list("action", "data__membership_id")
    )
    assert actions == [
        ("legal_hold.placed", None),
        ("legal_hold.placed", tenant.member.id),
        ("legal_hold.released", tenant.member.id),
    ]
