"""The one audit API: who the actor is decides the workspace and actor columns, a target is a
row or a name given by hand, and nothing is recorded outside the change's transaction."""

from __future__ import annotations

import pytest
from django.db import transaction

from audit.models import AuditEvent
from audit.services import AuditTarget, audit_change
from tests.factories import Tenant

pytestmark = pytest.mark.django_db


def test_a_members_change_is_recorded_in_their_workspace(tenant: Tenant) -> None:
    with transaction.atomic():
        event = audit_change(
            actor=tenant.admin, action="space.renamed", target=tenant.restricted_space
        )
    stored = AuditEvent.objects.get(id=event.id)
    assert stored.workspace_id == tenant.workspace.id
    assert stored.actor_id == tenant.admin.user_id
    assert stored.actor_email == tenant.admin.user.email
    assert (stored.target_type, stored.target_id) == ("space", str(tenant.restricted_space.id))
    assert stored.data == {}


def test_a_person_outside_a_membership_and_the_system_name_the_workspace(
    tenant: Tenant,
) -> None:
    with transaction.atomic():
        by_person = audit_change(
            actor=tenant.member.user,
            workspace=tenant.workspace,
            action="invitation.declined",
            target=tenant.member,
            data={"email": "x@acme.test"},
        )
        by_system = audit_change(
            actor=None, workspace=tenant.workspace, action="member.added", target=tenant.member
        )
    assert (by_person.actor_id, by_person.actor_email) == (
        tenant.member.user_id,
        tenant.member.user.email,
    )
    assert by_person.target_type == "membership" and by_person.data == {"email": "x@acme.test"}
    assert (by_system.actor_id, by_system.actor_email) == (None, "")
    assert by_system.workspace_id == tenant.workspace.id


def test_a_target_named_by_hand_keeps_its_stored_name(tenant: Tenant) -> None:
    with transaction.atomic():
        event = audit_change(
            actor=tenant.admin,
            action="model_credential.deleted",
            target=AuditTarget("model_credential", "openai"),
        )
    assert (event.target_type, event.target_id) == ("model_credential", "openai")


@pytest.mark.django_db(transaction=True)
def test_nothing_is_recorded_outside_a_transaction(tenant: Tenant) -> None:
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        audit_change(actor=tenant.admin, action="space.renamed", target=tenant.company_space)
    assert not AuditEvent.objects.filter(action="space.renamed").exists()


def test_without_a_member_the_workspace_must_be_named(tenant: Tenant) -> None:
    with transaction.atomic(), pytest.raises(ValueError, match="needs the workspace"):
        audit_change(actor=None, action="member.added", target=tenant.member)


def test_a_member_cannot_file_an_event_in_another_workspace(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    before = AuditEvent.objects.filter(workspace=other_tenant.workspace).count()
    with transaction.atomic(), pytest.raises(ValueError, match="own workspace"):
        audit_change(
            actor=tenant.admin,
            workspace=other_tenant.workspace,
            action="space.renamed",
            target=other_tenant.company_space,
        )
    assert AuditEvent.objects.filter(workspace=other_tenant.workspace).count() == before
