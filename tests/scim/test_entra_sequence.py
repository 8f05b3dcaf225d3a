"""The requests Microsoft documents for Entra ID provisioning ("Tutorial: Develop and plan
provisioning for a SCIM endpoint in Microsoft Entra ID", request and response examples), with
Entra's known quirks: capitalised ops ("Replace", "Add", "Remove"), booleans as strings,
a path-less value object, `members[value eq "id"]` remove paths and excludedAttributes."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.factories import Tenant
from tests.scim.conftest import USER_SCHEMA, ScimClient
from workspaces.models import Group, GroupMember, Membership

pytestmark = pytest.mark.django_db

ENTRA_USER = {
    "schemas": [USER_SCHEMA, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
    "userName": "Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1",
    "active": True,
    "emails": [
        {
            "primary": True,
            "type": "work",
            "value": "Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com",
        }
    ],
    "meta": {"resourceType": "User"},
    "name": {
        "formatted": "givenName familyName",
        "familyName": "familyName",
        "givenName": "givenName",
    },
    "roles": [],
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Sales"},
}


def test_entra_user_requests(scim: ScimClient, tenant: Tenant) -> None:
    missing = scim.get("Users?" + "filter=" + quote('userName eq "non-existent user"'))
    assert missing.json()["totalResults"] == 0

    created = scim.post("Users", ENTRA_USER)
    assert created.status_code == 201, created.content
    user = created.json()
    email = ENTRA_USER["emails"][0]["value"].lower()
    assert user["emails"][0]["value"] == email
    assert Membership.objects.filter(workspace=tenant.workspace, user__email=email).exists()

    by_external = scim.get("Users?filter=" + quote(f'externalId eq "{ENTRA_USER["externalId"]}"'))
    assert [r["id"] for r in by_external.json()["Resources"]] == [user["id"]]

    multi = scim.patch(
        f"Users/{user['id']}",
        {
            "op": "Replace",
            "path": 'emails[type eq "work"].value',
            "value": "updatedEmail@microsoft.com",
        },
        {"op": "Replace", "path": "name.familyName", "value": "updatedFamilyName"},
    )
    assert multi.status_code == 200, multi.content
    assert multi.json()["name"]["familyName"] == "updatedFamilyName"
    # The account's address is its owner's: the IdP's new address is not written into it.
    assert multi.json()["emails"][0]["value"] == email

    single = scim.patch(
        f"Users/{user['id']}",
        {
            "op": "Replace",
            "path": "userName",
            "value": "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com",
        },
    )
    assert single.json()["userName"] == "5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com"

    # A path-less Add whose value names attributes by path, as Entra sends it.
    pathless = scim.patch(
        f"Users/{user['id']}",
        {
            "op": "Add",
            "value": {
                "displayName": "Ellen Reckert",
                "name.givenName": "Ellen",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "HR",
            },
        },
    )
    assert pathless.json()["displayName"] == "Ellen Reckert"
    assert pathless.json()["name"]["givenName"] == "Ellen"

    disabled = scim.patch(
        f"Users/{user['id']}", {"op": "Replace", "path": "active", "value": "False"}
    )
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert Membership.objects.get(user__email=email, workspace=tenant.workspace).deactivated_at
    enabled = scim.patch(
        f"Users/{user['id']}", {"op": "Replace", "path": "active", "value": "True"}
    )
    assert enabled.json()["active"] is True

    assert scim.delete(f"Users/{user['id']}").status_code == 204
    assert scim.get(f"Users/{user['id']}").status_code == 404
    kept = Membership.objects.get(user__email=email, workspace=tenant.workspace)
    assert kept.deactivated_at is not None, "a deleted user's access ends; their content stays"

    # Provisioning them again restores the same membership.
    again = scim.post("Users", ENTRA_USER)
    assert again.status_code == 201
    kept.refresh_from_db()
    assert kept.deactivated_at is None


def test_entra_group_requests(scim: ScimClient, tenant: Tenant) -> None:
    first = scim.post(
        "Users", {**ENTRA_USER, "userName": "first@testuser.com", "emails": []}
    ).json()
    second = scim.post(
        "Users", {**ENTRA_USER, "userName": "second@testuser.com", "emails": []}
    ).json()
    created = scim.post(
        "Groups",
        {
            "schemas": [
                "urn:ietf:params:scim:schemas:core:2.0:Group",
                "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/Group",
            ],
            "externalId": "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159",
            "displayName": "displayName",
            "meta": {"resourceType": "Group"},
        },
    )
    assert created.status_code == 201, created.content
    group = created.json()
    assert group["externalId"] == "8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159"

    fetched = scim.get(f"Groups/{group['id']}?excludedAttributes=members").json()
    assert fetched["displayName"] == "displayName" and "members" not in fetched
    by_name = scim.get(
        "Groups?excludedAttributes=members&filter=" + quote('displayName eq "displayName"')
    ).json()
    assert by_name["totalResults"] == 1 and "members" not in by_name["Resources"][0]

    renamed = scim.patch(
        f"Groups/{group['id']}",
        {
            "op": "Replace",
            "path": "displayName",
            "value": "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName",
        },
    )
    assert renamed.status_code == 204
    added = scim.patch(
        f"Groups/{group['id']}",
        {
            "op": "Add",
            "path": "members",
            "value": [{"$ref": None, "value": first["id"]}, {"$ref": None, "value": second["id"]}],
        },
    )
    assert added.status_code == 204
    row = Group.objects.get(id=int(group["id"]))
    assert row.name.endswith("updatedDisplayName")
    assert GroupMember.objects.filter(group=row).count() == 2

    removed = scim.patch(
        f"Groups/{group['id']}",
        {"op": "Remove", "path": "members", "value": [{"$ref": None, "value": first["id"]}]},
    )
    assert removed.status_code == 204
    quirk = scim.patch(
        f"Groups/{group['id']}", {"op": "Remove", "path": f'members[value eq "{second["id"]}"]'}
    )
    assert quirk.status_code == 204
    assert not GroupMember.objects.filter(group=row).exists()

    assert scim.delete(f"Groups/{group['id']}").status_code == 204
    assert not Group.objects.filter(id=row.id).exists()


def test_discovery_documents(scim: ScimClient) -> None:
    config = scim.get("ServiceProviderConfig").json()
    assert config["patch"]["supported"] is True and config["bulk"]["supported"] is False
    assert config["authenticationSchemes"][0]["type"] == "oauthbearertoken"
    types = scim.get("ResourceTypes").json()
    assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
    assert scim.get("ResourceTypes/User").json()["endpoint"] == "/Users"
    schemas = scim.get("Schemas").json()
    assert USER_SCHEMA in {s["id"] for s in schemas["Resources"]}
    assert scim.get(f"Schemas/{USER_SCHEMA}").json()["name"] == "User"
