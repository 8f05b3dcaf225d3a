"""Workspace services: audit in the same transaction, last-admin protection, space membership."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from audit.models import AuditEvent
from common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import Tenant, make_user
from workspaces import services
from workspaces.models import Role, SpaceAccess
from workspaces.selectors import space_ids_for


def actions(tenant: Tenant) -> list[str]:
    return list(
        AuditEvent.objects.filter(workspace=tenant.workspace)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_creating_a_workspace_makes_the_creator_admin_and_a_company_space(db: None) -> None:
    user = make_user("founder@initech.test")
    workspace = services.create_workspace(name="Initech", creator=user)
    membership = workspace.memberships.get()
    assert (membership.user, membership.role) == (user, Role.ADMIN)
    assert list(workspace.spaces.values_list("kind", flat=True)) == ["company"]
    event = AuditEvent.objects.get(workspace=workspace)
    assert (event.action, event.actor) == ("workspace.created", user)


def test_every_access_change_writes_an_audit_event(tenant: Tenant) -> None:
    admin = tenant.admin
    before = len(actions(tenant))
    _, link = services.create_invitation(actor=admin, email="new@acme.test", role=Role.MEMBER)
    user = services.accept_invitation(
        token=link.rsplit("/", 1)[1], caller=None, password="a-long-own-passphrase"
    )
    member = user.memberships.get(workspace=tenant.workspace)
    services.set_member_role(actor=admin, membership_id=member.id, role=Role.BUILDER)
    group = services.create_group(actor=admin, name="Legal")
    services.add_group_member(actor=admin, group_id=group.id, membership_id=member.id)
    space = services.create_space(actor=admin, name="Contracts")
    grant = services.grant_space_access(
        actor=admin, space_id=space.id, group_id=group.id, access=SpaceAccess.READ_WRITE
    )
    services.revoke_space_access(actor=admin, space_id=space.id, grant_id=grant.id)
    services.remove_group_member(actor=admin, group_id=group.id, membership_id=member.id)
    services.delete_group(actor=admin, group_id=group.id)
    token, _ = services.create_api_token(actor=member, name="script")
    services.revoke_api_token(actor=admin, token_id=token.id)
    services.delete_space(actor=admin, space_id=space.id)
    services.remove_member(actor=admin, membership_id=member.id)
    assert actions(tenant)[before:] == [
        "invitation.created",
        "invitation.accepted",
        "member.role_changed",
        "group.created",
        "group.member_added",
        "space.created",
        "space.access_granted",
        "space.access_revoked",
        "group.member_removed",
        "group.deleted",
        "api_token.created",
        "api_token.revoked",
        "space.deleted",
        "member.removed",
    ]
    role_change = AuditEvent.objects.get(workspace=tenant.workspace, action="member.role_changed")
    assert role_change.data == {"email": "new@acme.test", "from": "member", "to": "builder"}
    assert role_change.actor_email == "admin@acme.test"


def test_a_failed_change_leaves_no_audit_event(tenant: Tenant) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        services.create_group(actor=tenant.admin, name="Finance team")  # exists already
    with pytest.raises(PermissionDenied):
        services.create_space(actor=tenant.member, name="Shadow IT")
    assert AuditEvent.objects.count() == before


def test_an_audit_event_rolls_back_with_its_change(tenant: Tenant) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create_group(actor=tenant.admin, name="Rolled back")
        raise RuntimeError("the request failed after the service ran")
    assert AuditEvent.objects.count() == before


def test_the_last_admin_cannot_be_demoted_or_removed(tenant: Tenant) -> None:
    with pytest.raises(Conflict, match="last admin"):
        services.set_member_role(
            actor=tenant.admin, membership_id=tenant.admin.id, role=Role.MEMBER
        )
    with pytest.raises(Conflict, match="last admin"):
        services.remove_member(actor=tenant.admin, membership_id=tenant.admin.id)
    services.set_member_role(actor=tenant.admin, membership_id=tenant.builder.id, role=Role.ADMIN)
    services.set_member_role(actor=tenant.admin, membership_id=tenant.admin.id, role=Role.MEMBER)


def test_space_membership_comes_from_direct_and_group_grants(tenant: Tenant) -> None:
    finance, company = tenant.restricted_space.id, tenant.company_space.id
    assert space_ids_for(membership=tenant.member) == {company, finance}  # via group
    assert space_ids_for(membership=tenant.builder) == {company, finance}  # direct
    assert space_ids_for(membership=tenant.outsider) == {company}
    assert space_ids_for(membership=tenant.admin) == {company}  # admins manage, not belong

    group = tenant.member.groups.get()
    services.remove_group_member(
        actor=tenant.admin, group_id=group.id, membership_id=tenant.member.id
    )
    assert space_ids_for(membership=tenant.member) == {company}


def test_services_refuse_objects_of_another_workspace(tenant: Tenant, other_tenant: Tenant) -> None:
    with pytest.raises(NotFound):
        services.set_member_role(
            actor=tenant.admin, membership_id=other_tenant.member.id, role=Role.ADMIN
        )
    with pytest.raises(NotFound):
        services.grant_space_access(
            actor=tenant.admin,
            space_id=tenant.restricted_space.id,
            membership_id=other_tenant.member.id,
        )
    with pytest.raises(NotFound):
        services.delete_space(actor=tenant.admin, space_id=other_tenant.restricted_space.id)


def test_grants_need_exactly_one_grantee_and_not_the_company_space(tenant: Tenant) -> None:
    with pytest.raises(InvalidInput):
        services.grant_space_access(actor=tenant.admin, space_id=tenant.restricted_space.id)
    with pytest.raises(Conflict):
        services.grant_space_access(
            actor=tenant.admin, space_id=tenant.company_space.id, membership_id=tenant.member.id
        )
    with pytest.raises(Conflict):
        services.delete_space(actor=tenant.admin, space_id=tenant.company_space.id)


def test_audit_log_filters(tenant: Tenant, api_as: Any) -> None:
    api = api_as(tenant.admin)
    ws = tenant.workspace.id
    page = api.get(f"workspaces/{ws}/audit-events?action=space.").json()
    assert {item["action"] for item in page["items"]} == {"space.created", "space.access_granted"}
    page = api.get(f"workspaces/{ws}/audit-events?action=group.created&limit=1").json()
    assert page["count"] == 1
    assert page["items"][0]["data"] == {"name": "Finance team"}
    page = api.get(f"workspaces/{ws}/audit-events?actor_email=nobody@acme.test").json()
    assert page["count"] == 0
