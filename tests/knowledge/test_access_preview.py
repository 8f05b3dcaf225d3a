"""Access preview: exact counts on a seeded workspace for every kind of change, widening and
narrowing; nothing persists; only the workspace's admins may ask, and never about another's.

The seed (on top of the `tenant` fixture: Finance is granted to the "Finance team" group,
which holds `member`, and directly to `builder`):
- "Handbook" in the company space: 2 public documents, readable by all 4 members;
- "Ledger" in Finance: 2 public documents and 1 open only to builder's verified email.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from audit.models import AuditEvent
from common.errors import NotFound, PermissionDenied
from knowledge import access_preview
from knowledge.models import DataSourceView, Document
from knowledge.selectors import readable_documents
from knowledge.services import create_folder
from tests.factories import Tenant, make_member
from workspaces import services
from workspaces.models import Group, GroupMember, Membership, SpaceGrant


@dataclass
class Seed:
    tenant: Tenant
    handbook: DataSourceView
    ledger: DataSourceView
    finance_team: Group


def add_documents(view: DataSourceView, titles: list[str], **access: Any) -> None:
    for title in titles:
        Document.objects.create(
            workspace_id=view.workspace_id,
            data_source_id=view.data_source_id,
            external_id=title,
            title=title,
            parents=[title],
            status="ready",
            **access,
        )


@pytest.fixture
def seed(tenant: Tenant) -> Seed:
    handbook = create_folder(actor=tenant.admin, space_id=tenant.company_space.id, name="Handbook")
    ledger = create_folder(actor=tenant.admin, space_id=tenant.restricted_space.id, name="Ledger")
    add_documents(handbook, ["Holidays", "Expenses policy"])
    add_documents(ledger, ["Q1 ledger", "Q2 ledger"])
    add_documents(
        ledger,
        ["Salaries"],
        access_public=False,
        access_emails=[tenant.builder.user.email],
    )
    return Seed(tenant, handbook, ledger, Group.objects.get(name="Finance team"))


def state(tenant: Tenant) -> tuple[Any, ...]:
    """Everything a previewed change could have written."""
    return (
        sorted(SpaceGrant.objects.values_list("id", "space_id", "membership_id", "group_id")),
        sorted(GroupMember.objects.values_list("group_id", "membership_id")),
        sorted(DataSourceView.objects.values_list("id", "space_id", "data_source_id")),
        AuditEvent.objects.count(),
    )


def counts(preview: access_preview.AccessPreview) -> tuple[int, int, int, int]:
    return (
        preview.documents_gained,
        preview.people_gained,
        preview.documents_lost,
        preview.people_lost,
    )


def readable_titles(membership: Membership) -> set[str]:
    return set(readable_documents(actor=membership).values_list("title", flat=True))


def test_a_grant_to_a_member_opens_the_space_s_public_documents_to_them(seed: Seed) -> None:
    tenant = seed.tenant
    before = state(tenant)
    preview = access_preview.preview_grant(
        actor=tenant.admin, space_id=tenant.restricted_space.id, membership_id=tenant.outsider.id
    )
    # Salaries is open to builder's email only: the grant does not reach it.
    assert counts(preview) == (2, 1, 0, 0)
    assert preview.example_documents_gained == ["Q1 ledger", "Q2 ledger"]
    assert preview.example_people_gained == [tenant.outsider.user.email]
    assert state(tenant) == before
    assert "Q1 ledger" not in readable_titles(tenant.outsider)


def test_a_grant_to_a_group_counts_each_of_its_members(seed: Seed) -> None:
    tenant = seed.tenant
    auditors = services.create_group(actor=tenant.admin, name="Auditors")
    for person in (tenant.outsider, tenant.admin, tenant.member):
        services.add_group_member(actor=tenant.admin, group_id=auditors.id, membership_id=person.id)
    before = state(tenant)
    preview = access_preview.preview_grant(
        actor=tenant.admin, space_id=tenant.restricted_space.id, group_id=auditors.id
    )
    # member already reads Finance through the Finance team: only outsider and admin gain.
    assert counts(preview) == (2, 2, 0, 0)
    assert sorted(preview.example_people_gained) == sorted(
        [tenant.outsider.user.email, tenant.admin.user.email]
    )
    assert state(tenant) == before


def test_changing_a_grant_s_access_level_changes_nobody_s_reading(seed: Seed) -> None:
    tenant = seed.tenant
    preview = access_preview.preview_grant(
        actor=tenant.admin,
        space_id=tenant.restricted_space.id,
        membership_id=tenant.builder.id,
        access="read_write",
    )
    assert counts(preview) == (0, 0, 0, 0)


def test_revoking_a_direct_grant_closes_everything_it_opened(seed: Seed) -> None:
    tenant = seed.tenant
    grant = SpaceGrant.objects.get(membership=tenant.builder)
    before = state(tenant)
    preview = access_preview.preview_revoke(
        actor=tenant.admin, space_id=tenant.restricted_space.id, grant_id=grant.id
    )
    assert counts(preview) == (0, 0, 3, 1)
    assert preview.example_documents_lost == ["Q1 ledger", "Q2 ledger", "Salaries"]
    assert state(tenant) == before
    assert "Salaries" in readable_titles(tenant.builder)


def test_revoking_a_group_grant_closes_the_space_to_its_members(seed: Seed) -> None:
    tenant = seed.tenant
    grant = SpaceGrant.objects.get(group=seed.finance_team)
    preview = access_preview.preview_revoke(
        actor=tenant.admin, space_id=tenant.restricted_space.id, grant_id=grant.id
    )
    assert counts(preview) == (0, 0, 2, 1)
    assert preview.example_people_lost == [tenant.member.user.email]


def test_group_membership_changes_both_ways(seed: Seed) -> None:
    tenant = seed.tenant
    before = state(tenant)
    joining = access_preview.preview_group_membership(
        actor=tenant.admin,
        group_id=seed.finance_team.id,
        membership_id=tenant.outsider.id,
        add=True,
    )
    leaving = access_preview.preview_group_membership(
        actor=tenant.admin,
        group_id=seed.finance_team.id,
        membership_id=tenant.member.id,
        add=False,
    )
    assert counts(joining) == (2, 1, 0, 0)
    assert counts(leaving) == (0, 0, 2, 1)
    assert state(tenant) == before


def test_leaving_a_group_that_grants_nothing_else_keeps_a_direct_grant(seed: Seed) -> None:
    tenant = seed.tenant
    services.add_group_member(
        actor=tenant.admin, group_id=seed.finance_team.id, membership_id=tenant.builder.id
    )
    leaving = access_preview.preview_group_membership(
        actor=tenant.admin,
        group_id=seed.finance_team.id,
        membership_id=tenant.builder.id,
        add=False,
    )
    assert counts(leaving) == (0, 0, 0, 0)


def test_a_source_s_access_list_follows_synced_group_ids(seed: Seed) -> None:
    """A group with an external id opens the documents whose access list names it."""
    tenant = seed.tenant
    synced = Group.objects.create(workspace=tenant.workspace, name="Payroll", external_id="g-pay")
    add_documents(seed.ledger, ["Payroll run"], access_public=False, access_group_ids=["g-pay"])
    preview = access_preview.preview_group_membership(
        actor=tenant.admin, group_id=synced.id, membership_id=tenant.member.id, add=True
    )
    assert counts(preview) == (1, 1, 0, 0)
    assert preview.example_documents_gained == ["Payroll run"]


def test_a_view_added_to_the_company_space_opens_it_to_everyone_new(seed: Seed) -> None:
    tenant = seed.tenant
    before = state(tenant)
    preview = access_preview.preview_view_added(
        actor=tenant.admin,
        data_source_id=seed.ledger.data_source_id,
        space_id=tenant.company_space.id,
        parent_ids=[],
    )
    # admin and outsider are new to Ledger; builder and member read it through Finance.
    assert counts(preview) == (2, 2, 0, 0)
    assert state(tenant) == before


def test_a_view_of_part_of_a_source_opens_only_that_part(seed: Seed) -> None:
    tenant = seed.tenant
    preview = access_preview.preview_view_added(
        actor=tenant.admin,
        data_source_id=seed.ledger.data_source_id,
        space_id=tenant.company_space.id,
        parent_ids=["Q1 ledger"],
    )
    assert counts(preview) == (1, 2, 0, 0)


def test_a_view_removed_closes_it_to_the_whole_space(seed: Seed) -> None:
    tenant = seed.tenant
    before = state(tenant)
    preview = access_preview.preview_view_removed(actor=tenant.admin, view_id=seed.handbook.id)
    assert counts(preview) == (0, 0, 2, 4)
    assert state(tenant) == before
    assert "Holidays" in readable_titles(tenant.outsider)


def test_the_preview_runs_a_bounded_number_of_queries(
    seed: Seed, django_assert_max_num_queries: Any
) -> None:
    """Many documents cost no more queries than a few: the counting is set SQL."""
    tenant = seed.tenant
    add_documents(seed.handbook, [f"Page {n}" for n in range(200)])
    with django_assert_max_num_queries(80):
        preview = access_preview.preview_view_removed(actor=tenant.admin, view_id=seed.handbook.id)
    assert counts(preview) == (0, 0, 202, 4)


def test_people_who_read_alike_are_each_counted(seed: Seed) -> None:
    tenant = seed.tenant
    for n in range(20):
        make_member(tenant.workspace, f"reader{n}@acme.test")
    preview = access_preview.preview_view_removed(actor=tenant.admin, view_id=seed.handbook.id)
    assert counts(preview) == (0, 0, 2, 24)
    assert len(preview.example_people_lost) == access_preview.EXAMPLES


def test_a_person_named_on_a_document_is_counted_for_it_alone(seed: Seed) -> None:
    tenant = seed.tenant
    memo_readers = [tenant.outsider.user.email]
    add_documents(seed.ledger, ["Outsider memo"], access_public=False, access_emails=memo_readers)
    auditors = services.create_group(actor=tenant.admin, name="Auditors")
    for person in (tenant.outsider, tenant.admin):
        services.add_group_member(actor=tenant.admin, group_id=auditors.id, membership_id=person.id)
    preview = access_preview.preview_grant(
        actor=tenant.admin, space_id=tenant.restricted_space.id, group_id=auditors.id
    )
    # Both gain the two public ledgers; only outsider also gains the memo naming them.
    assert counts(preview) == (3, 2, 0, 0)
    alone = access_preview.preview_grant(
        actor=tenant.admin, space_id=tenant.restricted_space.id, membership_id=tenant.admin.id
    )
    assert counts(alone) == (2, 1, 0, 0)


@pytest.mark.parametrize("role", ["builder", "member"])
def test_only_admins_may_preview(seed: Seed, role: str) -> None:
    tenant = seed.tenant
    with pytest.raises(PermissionDenied):
        access_preview.preview_grant(
            actor=tenant.by_role(role),
            space_id=tenant.restricted_space.id,
            membership_id=tenant.outsider.id,
        )
    with pytest.raises(PermissionDenied):
        access_preview.preview_view_removed(actor=tenant.by_role(role), view_id=seed.handbook.id)


def test_another_workspace_s_ids_are_not_found(seed: Seed, other_tenant: Tenant) -> None:
    tenant = seed.tenant
    theirs = create_folder(
        actor=other_tenant.admin, space_id=other_tenant.company_space.id, name="Theirs"
    )
    their_group = Group.objects.get(workspace=other_tenant.workspace, name="Finance team")
    their_grant = SpaceGrant.objects.get(membership=other_tenant.builder)
    before = state(other_tenant)
    attempts = [
        lambda: access_preview.preview_grant(
            actor=tenant.admin,
            space_id=other_tenant.restricted_space.id,
            membership_id=tenant.outsider.id,
        ),
        lambda: access_preview.preview_grant(
            actor=tenant.admin,
            space_id=tenant.restricted_space.id,
            membership_id=other_tenant.outsider.id,
        ),
        lambda: access_preview.preview_revoke(
            actor=tenant.admin, space_id=tenant.restricted_space.id, grant_id=their_grant.id
        ),
        lambda: access_preview.preview_group_membership(
            actor=tenant.admin,
            group_id=their_group.id,
            membership_id=tenant.member.id,
            add=True,
        ),
        lambda: access_preview.preview_view_added(
            actor=tenant.admin,
            data_source_id=theirs.data_source_id,
            space_id=tenant.company_space.id,
            parent_ids=[],
        ),
        lambda: access_preview.preview_view_removed(actor=tenant.admin, view_id=theirs.id),
    ]
    for attempt in attempts:
        with pytest.raises(NotFound):
            attempt()
    assert state(other_tenant) == before


def test_the_route_answers_the_admin_and_refuses_others(
    seed: Seed, other_tenant: Tenant, api_as: Any
) -> None:
    tenant = seed.tenant
    path = f"workspaces/{tenant.workspace.id}/access-preview"
    body = {
        "kind": "group_add",
        "group_id": seed.finance_team.id,
        "membership_id": tenant.outsider.id,
    }
    answer = api_as(tenant.admin).post(path, body)
    assert answer.status_code == 200, answer.content
    assert answer.json()["documents_gained"] == 2
    assert answer.json()["people_gained"] == 1
    assert answer.json()["example_people_gained"] == [tenant.outsider.user.email]
    assert not GroupMember.objects.filter(membership=tenant.outsider).exists()

    assert api_as(tenant.member).post(path, body).status_code == 403
    assert api_as(other_tenant.admin).post(path, body).status_code == 404
    assert api_as(None).post(path, body).status_code == 401
    unknown = api_as(tenant.admin).post(path, {"kind": "promote", "group_id": 1})
    assert unknown.status_code in {400, 422}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"kind": "view_remove"}, (0, 0, 2, 4)),
        ({"kind": "revoke", "grant": "builder"}, (0, 0, 3, 1)),
        ({"kind": "grant", "membership": "outsider"}, (2, 1, 0, 0)),
        ({"kind": "group_remove"}, (0, 0, 2, 1)),
        ({"kind": "view_add"}, (2, 2, 0, 0)),
    ],
)
def test_the_route_takes_every_kind(
    seed: Seed, api_as: Any, body: dict[str, str], expected: tuple[int, ...]
) -> None:
    tenant = seed.tenant
    kind = body["kind"]
    payload: dict[str, Any] = {"kind": kind}
    if kind == "view_remove":
        payload["view_id"] = seed.handbook.id
    elif kind == "revoke":
        payload["space_id"] = tenant.restricted_space.id
        payload["grant_id"] = SpaceGrant.objects.get(membership=tenant.builder).id
    elif kind == "grant":
        payload["space_id"] = tenant.restricted_space.id
        payload["membership_id"] = tenant.outsider.id
    elif kind == "group_remove":
        payload["group_id"] = seed.finance_team.id
        payload["membership_id"] = tenant.member.id
    else:
        payload["data_source_id"] = seed.ledger.data_source_id
        payload["space_id"] = tenant.company_space.id
    before = state(tenant)
    answer = api_as(tenant.admin).post(f"workspaces/{tenant.workspace.id}/access-preview", payload)
    assert answer.status_code == 200, answer.content
    data = answer.json()
    got = (data["documents_gained"], data["people_gained"], data["documents_lost"])
    assert (*got, data["people_lost"]) == expected
    assert state(tenant) == before
