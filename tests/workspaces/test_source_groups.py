"""Mirroring a source's groups (Google groups, GitHub teams): one transaction, one audit event
per pass that changed anything, members only of this workspace and only by verified email."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from audit.models import AuditEvent
from connectors.documents import SourceGroup
from tests.factories import Tenant, make_member
from workspaces import services
from workspaces.models import Group, GroupMember

pytestmark = pytest.mark.django_db

SOURCE = "google_drive:7"


def mirror(tenant: Tenant, *groups: SourceGroup) -> int:
    return services.mirror_source_groups(
        workspace=tenant.workspace, source=SOURCE, label="Drive", groups=list(groups)
    )


def members_of(tenant: Tenant, external_id: str) -> set[str]:
    group = Group.objects.get(workspace=tenant.workspace, source=SOURCE, external_id=external_id)
    return set(
        GroupMember.objects.filter(group=group).values_list("membership__user__email", flat=True)
    )


def mirror_events(tenant: Tenant) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(workspace=tenant.workspace, action="group.source_mirrored")
    )


def test_a_pass_mirrors_groups_and_writes_one_summary_event(tenant: Tenant) -> None:
    sales = SourceGroup("g-sales", "Sales", ("member@acme.test", "builder@acme.test"))
    legal = SourceGroup("g-legal", "Legal", ("OUTSIDER@acme.test ",))
    assert mirror(tenant, sales, legal) == 2

    assert members_of(tenant, "g-sales") == {"member@acme.test", "builder@acme.test"}
    assert members_of(tenant, "g-legal") == {"outsider@acme.test"}
    assert Group.objects.get(external_id="g-sales").name == "Sales (Drive)"
    (event,) = mirror_events(tenant)
    assert (event.actor_id, event.target_type, event.target_id) == (None, "group_source", SOURCE)
    assert event.data == {
        "source": SOURCE,
        "groups": 2,
        "created": 2,
        "renamed": 0,
        "removed": 0,
        "members_added": 3,
        "members_removed": 0,
    }


def test_the_next_pass_applies_what_changed_and_removes_what_is_gone(tenant: Tenant) -> None:
    mirror(
        tenant,
        SourceGroup("g-sales", "Sales", ("member@acme.test", "builder@acme.test")),
        SourceGroup("g-legal", "Legal", ("outsider@acme.test",)),
    )
    mirror(tenant, SourceGroup("g-sales", "Sales EMEA", ("member@acme.test",)))

    assert members_of(tenant, "g-sales") == {"member@acme.test"}
    assert Group.objects.get(external_id="g-sales").name == "Sales EMEA (Drive)"
    assert not Group.objects.filter(external_id="g-legal").exists()
    latest = mirror_events(tenant)[0]  # newest first
    assert latest.data == {
        "source": SOURCE,
        "groups": 1,
        "created": 0,
        "renamed": 1,
        "removed": 1,
        "members_added": 0,
        "members_removed": 1,
    }


def test_a_pass_that_changes_nothing_writes_no_event(tenant: Tenant) -> None:
    sales = SourceGroup("g-sales", "Sales", ("member@acme.test",))
    mirror(tenant, sales)
    mirror(tenant, sales)
    assert len(mirror_events(tenant)) == 1


def test_groups_of_other_sources_and_manual_groups_are_left_alone(tenant: Tenant) -> None:
    services.mirror_source_groups(
        workspace=tenant.workspace,
        source="github:9",
        label="GitHub",
        groups=[SourceGroup("t-core", "core", ("member@acme.test",))],
    )
    mirror(tenant)  # this source now has no groups
    assert Group.objects.filter(source="github:9", external_id="t-core").exists()
    assert Group.objects.filter(workspace=tenant.workspace, name="Finance team").exists()


def test_a_failing_pass_leaves_the_previous_mirror_whole(tenant: Tenant) -> None:
    mirror(tenant, SourceGroup("g-sales", "Sales", ("member@acme.test",)))
    # An admin's group already bears the name the source's second group would get: the
    # database refuses the duplicate name after the first group was already changed.
    services.create_group(actor=tenant.admin, name="Legal (Drive)")
    with pytest.raises(IntegrityError):
        mirror(
            tenant,
            SourceGroup("g-sales", "Sales", ("member@acme.test", "builder@acme.test")),
            SourceGroup("g-legal", "Legal", ("outsider@acme.test",)),
        )
    assert members_of(tenant, "g-sales") == {"member@acme.test"}
    assert not Group.objects.filter(source=SOURCE, external_id="g-legal").exists()
    assert len(mirror_events(tenant)) == 1


def test_only_this_workspaces_verified_members_join(tenant: Tenant, other_tenant: Tenant) -> None:
    unverified = make_member(tenant.workspace, "unverified@acme.test")
    unverified.user.email_verified = False
    unverified.user.save(update_fields=["email_verified"])
    # The attacker's source lists people of another workspace, and an unverified address.
    mirror(
        tenant,
        SourceGroup(
            "g-all",
            "All",
            ("member@acme.test", "admin@globex.test", "member@globex.test", "unverified@acme.test"),
        ),
    )
    assert members_of(tenant, "g-all") == {"member@acme.test"}
    assert not Group.objects.filter(workspace=other_tenant.workspace, source=SOURCE).exists()
    assert not AuditEvent.objects.filter(
        workspace=other_tenant.workspace, action="group.source_mirrored"
    ).exists()
