"""Bad input answers a SCIM Error body; one workspace's token never reaches another's
people or groups; a revoked token is refused; tokens are managed by admins only."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from audit.models import AuditEvent
from tests.factories import Tenant
from tests.scim.conftest import GROUP_SCHEMA, USER_SCHEMA, ScimClient, assert_scim_error, scim_for
from workspaces.models import Membership

pytestmark = pytest.mark.django_db


def person(user_name: str) -> dict[str, Any]:
    return {"schemas": [USER_SCHEMA], "userName": user_name, "active": True}


def test_bad_input_answers_scim_errors(scim: ScimClient, settings: Any) -> None:
    assert_scim_error(scim.get("Users?filter=" + quote("userName sw ")), 400, "invalidFilter")
    assert_scim_error(scim.get("Users?filter=" + quote('title eq "x"')), 400, "invalidFilter")
    assert_scim_error(scim.get("Users?filter=" + quote('userName co "x"')), 400, "invalidFilter")
    assert_scim_error(scim.get("Users?startIndex=one"), 400, "invalidValue")
    assert_scim_error(scim.post("Users", {"schemas": [USER_SCHEMA]}), 400, "invalidValue")
    assert_scim_error(scim.post("Users", person("not-an-email")), 400, "invalidValue")
    assert_scim_error(
        scim.post("Users", {**person("a@corp.test"), "favouriteColour": "blue"}), 400, "invalidPath"
    )
    assert_scim_error(scim.request("POST", "Users", b"{not json"), 400, "invalidSyntax")
    assert_scim_error(scim.request("POST", "Users", b"[1, 2]"), 400, "invalidSyntax")
    created = scim.post("Users", person("a@corp.test")).json()
    assert_scim_error(scim.post("Users", person("A@corp.test")), 409, "uniqueness")
    assert_scim_error(
        scim.patch(f"Users/{created['id']}", {"op": "Replace", "path": "active", "value": "maybe"}),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim.patch(f"Users/{created['id']}", {"op": "merge", "path": "active", "value": True}),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim.patch(f"Users/{created['id']}", {"op": "replace", "path": "shoeSize", "value": 9}),
        400,
        "invalidPath",
    )
    assert_scim_error(
        scim.request("PATCH", f"Users/{created['id']}", {"x": 1}), 400, "invalidSyntax"
    )
    assert_scim_error(scim.get("Users/not-a-uuid"), 404)
    assert_scim_error(scim.get("Users/6f1f9a5e-0000-4000-8000-000000000000"), 404)
    assert_scim_error(scim.get("Groups/12345678"), 404)
    assert_scim_error(scim.get("Bulk"), 404)
    assert_scim_error(
        scim.post(
            "Groups",
            {"schemas": [GROUP_SCHEMA], "displayName": "G", "members": [{"value": "nobody"}]},
        ),
        400,
        "invalidValue",
    )
    assert_scim_error(
        scim.post("Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Finance team"}),
        409,
        "uniqueness",
    )
    plain = ScimClient(scim.secret, content_type="text/plain")
    assert_scim_error(plain.post("Users", person("b@corp.test")), 415)
    # application/json is accepted as well as application/scim+json.
    assert (
        ScimClient(scim.secret, content_type="application/json")
        .post("Users", person("c@corp.test"))
        .status_code
        == 201
    )

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    big = {**person("d@corp.test"), "displayName": "x" * 4096}
    assert_scim_error(scim.post("Users", big), 413)


def test_pagination(scim: ScimClient) -> None:
    ids = [scim.post("Users", person(f"p{n}@corp.test")).json()["id"] for n in range(5)]
    page = scim.get("Users?startIndex=2&count=2").json()
    assert page["totalResults"] == 5 and page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert [r["id"] for r in page["Resources"]] == ids[1:3]
    assert scim.get("Users?count=0").json()["Resources"] == []
    assert scim.get("Users?startIndex=0&count=-3").json()["startIndex"] == 1


def test_a_token_reaches_only_its_own_workspace(tenant: Tenant, other_tenant: Tenant) -> None:
    ours, theirs = scim_for(tenant), scim_for(other_tenant)
    user = ours.post("Users", person("shared@corp.test")).json()
    group = ours.post("Groups", {"schemas": [GROUP_SCHEMA], "displayName": "Ours"}).json()
    assert theirs.get("Users").json()["totalResults"] == 0
    assert (
        theirs.get("Users?filter=" + quote('userName eq "shared@corp.test"')).json()["totalResults"]
        == 0
    )
    assert theirs.get("Groups").json()["totalResults"] == 0
    assert_scim_error(theirs.get(f"Users/{user['id']}"), 404)
    assert_scim_error(
        theirs.patch(f"Users/{user['id']}", {"op": "replace", "value": {"active": False}}), 404
    )
    assert_scim_error(theirs.delete(f"Users/{user['id']}"), 404)
    assert_scim_error(theirs.get(f"Groups/{group['id']}"), 404)
    assert_scim_error(theirs.delete(f"Groups/{group['id']}"), 404)
    # Another workspace's manual group is no SCIM group either.
    manual = other_tenant.workspace.groups.get(name="Finance team")
    assert_scim_error(ours.get(f"Groups/{manual.id}"), 404)
    # Their token cannot put our person into their groups.
    assert_scim_error(
        theirs.post(
            "Groups",
            {"schemas": [GROUP_SCHEMA], "displayName": "X", "members": [{"value": user["id"]}]},
        ),
        400,
        "invalidValue",
    )
    assert (
        Membership.objects.get(
            workspace=tenant.workspace, user__email="shared@corp.test"
        ).deactivated_at
        is None
    )
    # Provisioning the same address in the other workspace deactivating there leaves ours.
    other = theirs.post("Users", person("shared@corp.test")).json()
    theirs.patch(f"Users/{other['id']}", {"op": "replace", "value": {"active": False}})
    assert (
        Membership.objects.get(
            workspace=tenant.workspace, user__email="shared@corp.test"
        ).deactivated_at
        is None
    )


def test_missing_wrong_and_revoked_tokens_are_refused(tenant: Tenant, api_as: Any) -> None:
    body = assert_scim_error(ScimClient("").get("Users"), 401)
    assert "Bearer" in body["detail"]
    assert_scim_error(ScimClient("scim_wrong").get("Users"), 401)

    admin = api_as(tenant.admin)
    created = admin.post(f"workspaces/{tenant.workspace.id}/scim/tokens", {"name": "Entra"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("scim_")
    client = ScimClient(secret)
    assert client.get("Users").status_code == 200
    listed = admin.get(f"workspaces/{tenant.workspace.id}/scim/tokens").json()
    assert [t["name"] for t in listed] == ["Entra"] and "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    revoked = admin.delete(f"workspaces/{tenant.workspace.id}/scim/tokens/{created.json()['id']}")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    response = client.get("Users")
    assert_scim_error(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
    actions = set(
        AuditEvent.objects.filter(
            workspace=tenant.workspace, action__startswith="scim.token"
        ).values_list("action", flat=True)
    )
    assert actions == {"scim.token_created", "scim.token_revoked"}
    base = admin.get(f"workspaces/{tenant.workspace.id}/scim").json()["base_url"]
    assert base.endswith("/scim/v2")


def test_only_admins_of_the_workspace_manage_tokens(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    path = f"workspaces/{tenant.workspace.id}/scim/tokens"
    token = api_as(tenant.admin).post(path, {"name": "Okta"}).json()
    for who in (tenant.member, tenant.builder):
        assert api_as(who).get(path).status_code == 403
        assert api_as(who).post(path, {"name": "mine"}).status_code == 403
        assert api_as(who).delete(f"{path}/{token['id']}").status_code == 403
        assert api_as(who).get(f"workspaces/{tenant.workspace.id}/scim").status_code == 403
    stranger = api_as(other_tenant.admin)
    assert stranger.get(path).status_code == 404
    assert stranger.delete(f"{path}/{token['id']}").status_code == 404
    # Their own workspace's route does not reach our token either.
    assert (
        stranger.delete(
            f"workspaces/{other_tenant.workspace.id}/scim/tokens/{token['id']}"
        ).status_code
        == 404
    )
    assert api_as(tenant.admin).post(path, {"name": ""}).status_code in {400, 422}
