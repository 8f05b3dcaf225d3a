"""Logging in, CSRF, API tokens, and the JSON errors for bad input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from audit.models import AuditEvent
from tests.factories import PASSWORD, ApiClient, Tenant
from workspaces.models import ApiToken


def test_login_sets_a_session_and_me_lists_workspaces(tenant: Tenant) -> None:
    api = ApiClient(Client())
    response = api.post("auth/login", {"email": "Member@ACME.test", "password": PASSWORD})
    assert response.status_code == 200, response.content
    me = api.get("me").json()
    assert me["email"] == "member@acme.test"
    assert me["workspaces"] == [
        {
            "workspace_id": tenant.workspace.id,
            "workspace_name": "Acme",
            "workspace_slug": "acme",
            "role": "member",
        }
    ]
    assert api.post("auth/logout").status_code == 204
    assert api.get("me").status_code == 401


def test_a_wrong_password_is_refused_with_what_to_do(tenant: Tenant) -> None:
    response = ApiClient(Client()).post(
        "auth/login", {"email": "member@acme.test", "password": "nope"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_credentials"


def test_no_credentials_get_401_json(db: None) -> None:
    response = ApiClient(Client()).get("workspaces")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "unauthenticated"
    assert "Bearer" in error["message"]


def test_session_changes_need_the_csrf_token(tenant: Tenant) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.admin.user)
    api = ApiClient(client)
    path = f"workspaces/{tenant.workspace.id}/groups"
    refused = api.post(path, {"name": "No CSRF"})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "csrf_failed"
    token = api.get("auth/csrf").json()["csrf_token"]
    accepted = api.post(path, {"name": "With CSRF"}, **{"X-CSRFToken": token})
    assert accepted.status_code == 201, accepted.content


def test_a_token_works_until_revoked_and_then_stops_at_once(tenant: Tenant, api_as: Any) -> None:
    owner = api_as(tenant.member)
    created = owner.post(f"workspaces/{tenant.workspace.id}/api-tokens", {"name": "script"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert ApiToken.objects.get(id=created.json()["id"]).token_hash != secret  # stored hashed

    program = ApiClient(Client(), {"Authorization": f"Bearer {secret}"})
    assert program.get(f"workspaces/{tenant.workspace.id}/members").status_code == 200
    assert ApiToken.objects.get(id=created.json()["id"]).last_used_at is not None

    revoked = owner.delete(f"workspaces/{tenant.workspace.id}/api-tokens/{created.json()['id']}")
    assert revoked.status_code == 200
    after = program.get(f"workspaces/{tenant.workspace.id}/members")
    assert after.status_code == 401
    assert after.json()["error"]["code"] == "token_revoked"
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


@pytest.mark.parametrize(
    "header", ["Bearer plat_not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "plat_x"]
)
def test_a_missing_or_wrong_token_gets_a_clear_401(tenant: Tenant, header: str) -> None:
    response = ApiClient(Client(), {"Authorization": header}).get("workspaces")
    assert response.status_code == 401
    assert response.json()["error"]["code"] in {"invalid_token", "unauthenticated"}


def test_a_member_cannot_revoke_someone_elses_token(tenant: Tenant, api_as: Any) -> None:
    from workspaces.services import create_api_token

    token, _ = create_api_token(actor=tenant.admin, name="admin's")
    response = api_as(tenant.member).delete(
        f"workspaces/{tenant.workspace.id}/api-tokens/{token.id}"
    )
    assert response.status_code == 404
    assert ApiToken.objects.get(id=token.id).revoked_at is None


def test_a_token_cannot_create_workspaces(tenant: Tenant, api_with_token: Any) -> None:
    response = api_with_token(tenant.admin).post("workspaces", {"name": "Side project"})
    assert response.status_code == 403


def test_token_lists_only_its_own_workspace(
    tenant: Tenant, other_tenant: Tenant, api_with_token: Any
) -> None:
    from tests.factories import make_member

    make_member(other_tenant.workspace, "member@acme.test")  # in both workspaces now
    slugs = [w["slug"] for w in api_with_token(tenant.member).get("workspaces").json()]
    assert slugs == ["acme"]


def test_malformed_json_gets_a_clear_error(tenant: Tenant, api_as: Any) -> None:
    response = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/groups", '{"name": "unterminated'
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "malformed_request"
    assert "JSON" in error["message"]


def test_missing_and_wrong_fields_name_the_field(tenant: Tenant, api_as: Any) -> None:
    admin = api_as(tenant.admin)
    missing = admin.post(f"workspaces/{tenant.workspace.id}/groups", {})
    assert missing.status_code == 422
    assert "name" in missing.json()["error"]["message"]
    bad_role = admin.patch(
        f"workspaces/{tenant.workspace.id}/members/{tenant.member.id}", {"role": "owner"}
    )
    assert bad_role.status_code == 422
    assert bad_role.json()["error"]["code"] == "invalid_input"
    bad_email = admin.post(
        f"workspaces/{tenant.workspace.id}/invitations", {"email": "not-an-email"}
    )
    assert bad_email.status_code == 422
    assert "email" in bad_email.json()["error"]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "workspaces/999999",
        "workspaces/{ws}/spaces/999999",
        "workspaces/{ws}/spaces/999999/grants",
        "workspaces/not-a-number",
        "no-such-endpoint",
    ],
)
def test_unknown_ids_get_404_json(tenant: Tenant, api_as: Any, path: str) -> None:
    response = api_as(tenant.admin).get(path.format(ws=tenant.workspace.id))
    assert response.status_code in {404, 422}
    assert response.headers["Content-Type"].startswith("application/json")
    assert "error" in response.json()


def test_unknown_member_and_group_ids_get_404(tenant: Tenant, api_as: Any) -> None:
    admin = api_as(tenant.admin)
    ws = tenant.workspace.id
    assert admin.patch(f"workspaces/{ws}/members/999999", {"role": "member"}).status_code == 404
    assert admin.delete(f"workspaces/{ws}/groups/999999").status_code == 404
    response = admin.post(
        f"workspaces/{ws}/spaces/{tenant.restricted_space.id}/grants", {"group_id": 999999}
    )
    assert response.status_code == 404


def test_openapi_document_and_docs_page_are_served(db: None) -> None:
    client = Client()
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/workspaces/{workspace_id}/spaces" in schema.json()["paths"]
    assert client.get("/api/v1/docs").status_code == 200
