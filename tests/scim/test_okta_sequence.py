"""The requests Okta documents for SCIM 2.0 provisioning ("Okta and SCIM Version 2.0",
developer.okta.com), in the order Okta sends them: look the user up by userName, create,
read, update with PUT, deactivate and reactivate with a path-less PATCH, then push a group,
rename it with a path-less PATCH, add and remove members, replace it with PUT and delete it."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from audit.models import AuditEvent
from tests.factories import Tenant
from tests.scim.conftest import GROUP_SCHEMA, USER_SCHEMA, ScimClient
from workspaces.models import Group, Membership

pytestmark = pytest.mark.django_db

OKTA_USER = {
    "schemas": [USER_SCHEMA],
    "userName": "test.user@okta.local",
    "name": {"givenName": "Test", "familyName": "User"},
    "emails": [{"primary": True, "value": "test.user@okta.local", "type": "work"}],
    "displayName": "Test User",
    "locale": "en-US",
    "externalId": "00ujl29u0le5T6Aj10h7",
    "groups": [],
    "password": "1mz050nq",
    "active": True,
}


def by_user_name(scim: ScimClient, user_name: str) -> dict:
    query = quote(f'userName eq "{user_name}"')
    response = scim.get(f"Users?filter={query}&startIndex=1&count=100")
    assert response.status_code == 200
    return response.json()


def test_okta_user_lifecycle(scim: ScimClient, tenant: Tenant) -> None:
    empty = by_user_name(scim, "test.user@okta.local")
    assert empty["totalResults"] == 0 and empty["Resources"] == []
    assert empty["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]

    created = scim.post("Users", OKTA_USER)
    assert created.status_code == 201, created.content
    assert created["Content-Type"].startswith("application/scim+json")
    user = created.json()
    assert user["userName"] == "test.user@okta.local" and user["active"] is True
    assert user["externalId"] == "00ujl29u0le5T6Aj10h7"
    assert user["name"]["givenName"] == "Test" and user["meta"]["resourceType"] == "User"
    assert created["Location"].endswith(f"/scim/v2/Users/{user['id']}")
    membership = Membership.objects.get(
        workspace=tenant.workspace, user__email=OKTA_USER["userName"]
    )
    assert membership.role == "member" and membership.deactivated_at is None
    assert not membership.user.has_usable_password(), "the IdP's password is never stored"
    assert not membership.user.email_verified

    # Okta matches case-insensitively on userName.
    found = by_user_name(scim, "Test.User@OKTA.local")
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == user["id"]
    assert scim.get(f"Users/{user['id']}").json()["displayName"] == "Test User"

    replaced = scim.put(
        f"Users/{user['id']}",
        {**OKTA_USER, "id": user["id"], "name": {"givenName": "Another", "familyName": "User"}},
    )
    assert replaced.status_code == 200 and replaced.json()["name"]["givenName"] == "Another"

    deactivated = scim.patch(f"Users/{user['id']}", {"op": "replace", "value": {"active": False}})
    assert deactivated.status_code == 200 and deactivated.json()["active"] is False
    membership.refresh_from_db()
    assert membership.deactivated_at is not None

    reactivated = scim.patch(f"Users/{user['id']}", {"op": "replace", "value": {"active": True}})
    assert reactivated.json()["active"] is True
    membership.refresh_from_db()
    assert membership.deactivated_at is None and membership.role == "member"

    actions = list(
        AuditEvent.objects.filter(workspace=tenant.workspace, action__startswith="scim.user")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "scim.user_created",
        "scim.user_replaced",
        "scim.user_patched",
        "scim.user_deactivated",
        "scim.user_patched",
        "scim.user_reactivated",
    ]


def test_okta_group_push(scim: ScimClient, tenant: Tenant) -> None:
    alice = scim.post(
        "Users", {**OKTA_USER, "userName": "alice@okta.local", "emails": [], "externalId": "a"}
    ).json()
    bob = scim.post(
        "Users", {**OKTA_USER, "userName": "bob@okta.local", "emails": [], "externalId": "b"}
    ).json()

    created = scim.post(
        "Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Test SCIMv2", "members": []}
    )
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["displayName"] == "Test SCIMv2" and group["members"] == []
    row = Group.objects.get(id=int(group["id"]))
    assert row.source == "scim" and row.workspace_id == tenant.workspace.id

    query = quote('displayName eq "Test SCIMv2"')
    listed = scim.get(f"Groups?filter={query}&startIndex=1&count=100").json()
    assert listed["totalResults"] == 1 and listed["Resources"][0]["id"] == group["id"]

    # Okta renames with a path-less replace whose value carries the id and the new name.
    renamed = scim.patch(
        f"Groups/{group['id']}",
        {"op": "replace", "value": {"id": group["id"], "displayName": "Engineering"}},
    )
    assert renamed.status_code == 204
    added = scim.patch(
        f"Groups/{group['id']}",
        {
            "op": "add",
            "path": "members",
            "value": [
                {"value": alice["id"], "display": "alice@okta.local"},
                {"value": bob["id"], "display": "bob@okta.local"},
            ],
        },
    )
    assert added.status_code == 204
    current = scim.get(f"Groups/{group['id']}").json()
    assert current["displayName"] == "Engineering"
    assert {member["value"] for member in current["members"]} == {alice["id"], bob["id"]}
    assert [g["display"] for g in scim.get(f"Users/{alice['id']}").json()["groups"]] == [
        "Engineering"
    ]

    removed = scim.patch(
        f"Groups/{group['id']}", {"op": "remove", "path": f'members[value eq "{bob["id"]}"]'}
    )
    assert removed.status_code == 204
    assert [m["value"] for m in scim.get(f"Groups/{group['id']}").json()["members"]] == [
        alice["id"]
    ]

    replaced = scim.put(
        f"Groups/{group['id']}",
        {
            "schemas": [GROUP_SCHEMA],
            "id": group["id"],
            "displayName": "Engineering",
            "members": [{"value": bob["id"]}],
        },
    )
    assert replaced.status_code == 200
    assert [m["value"] for m in replaced.json()["members"]] == [bob["id"]]

    assert scim.delete(f"Groups/{group['id']}").status_code == 204
    assert scim.get(f"Groups/{group['id']}").status_code == 404
    assert not Group.objects.filter(id=row.id).exists()
    actions = list(
        AuditEvent.objects.filter(workspace=tenant.workspace, action__startswith="scim.group")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "scim.group_created",
        "scim.group_patched",
        "scim.group_patched",
        "scim.group_patched",
        "scim.group_replaced",
        "scim.group_deleted",
    ]
    rename = AuditEvent.objects.filter(action="scim.group_patched").order_by("id").first()
    assert rename is not None and rename.data["renamed_from"] == "Test SCIMv2"
