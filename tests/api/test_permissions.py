"""Every endpoint, for every role, and for an admin of another workspace."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from connectors.documents import DocumentInput
from knowledge.ingestion import upsert_documents
from knowledge.services import create_folder
from privacy.models import RequestKind
from privacy.services import request_data_subject_action, run_data_subject_request
from tests.agents.attachment_permission_rows import attachments_endpoints
from tests.agents.permission_rows import agents_endpoints
from tests.connections.permission_rows import connections_endpoints
from tests.factories import Multipart, Tenant
from tests.retention.permission_rows import retention_endpoints
from tests.scim.permission_rows import scim_endpoints
from tests.sso.permission_rows import sso_endpoints
from workspaces.models import Group, Membership, Role, SpaceGrant
from workspaces.services import create_api_token, create_invitation

RANK = {"member": 0, "builder": 1, "admin": 2}


def endpoints(t: Tenant, caller: Membership) -> list[tuple[str, str, Any, str, int]]:
    """(method, path, body, lowest role allowed, success status). A caller of this workspace
    revokes their own token; a caller from elsewhere aims at the admin's."""
    ws = t.workspace.id
    token_owner = caller if caller.workspace_id == t.workspace.id else t.admin
    token, _ = create_api_token(actor=token_owner, name="to revoke")
    group = Group.objects.get(workspace=t.workspace, name="Finance team")
    grant = SpaceGrant.objects.filter(space=t.restricted_space, group=group).get()
    invitation, _ = create_invitation(actor=t.admin, email="invitee@acme.test", role=Role.MEMBER)
    base = f"workspaces/{ws}"
    return [
        ("GET", base, None, "member", 200),
        ("PATCH", base, {"answers_with_revoked_sources": "show"}, "admin", 200),
        ("GET", f"{base}/members", None, "member", 200),
        ("GET", f"{base}/invitations", None, "admin", 200),
        ("POST", f"{base}/invitations", {"email": "new@acme.test"}, "admin", 201),
        ("POST", f"{base}/invitations/{invitation.id}/link", None, "admin", 200),
        ("DELETE", f"{base}/invitations/{invitation.id}", None, "admin", 204),
        ("PATCH", f"{base}/members/{t.outsider.id}", {"role": "builder"}, "admin", 200),
        ("DELETE", f"{base}/members/{t.outsider.id}", None, "admin", 204),
        ("GET", f"{base}/groups", None, "member", 200),
        ("POST", f"{base}/groups", {"name": "Support"}, "admin", 201),
        ("DELETE", f"{base}/groups/{group.id}", None, "admin", 204),
        (
            "POST",
            f"{base}/groups/{group.id}/members",
            {"membership_id": t.outsider.id},
            "admin",
            201,
        ),
        ("DELETE", f"{base}/groups/{group.id}/members/{t.member.id}", None, "admin", 204),
        ("GET", f"{base}/spaces", None, "member", 200),
        ("POST", f"{base}/spaces", {"name": "Legal"}, "admin", 201),
        ("GET", f"{base}/spaces/{t.company_space.id}", None, "member", 200),
        ("DELETE", f"{base}/spaces/{t.restricted_space.id}", None, "admin", 204),
        ("GET", f"{base}/spaces/{t.restricted_space.id}/grants", None, "admin", 200),
        (
            "POST",
            f"{base}/spaces/{t.restricted_space.id}/grants",
            {"membership_id": t.outsider.id, "access": "read_write"},
            "admin",
            201,
        ),
        ("DELETE", f"{base}/spaces/{t.restricted_space.id}/grants/{grant.id}", None, "admin", 204),
        ("GET", f"{base}/api-tokens", None, "member", 200),
        ("POST", f"{base}/api-tokens", {"name": "ci"}, "member", 201),
        ("DELETE", f"{base}/api-tokens/{token.id}", None, "member", 200),
        ("GET", f"{base}/audit-events", None, "admin", 200),
        ("GET", f"{base}/limits", None, "admin", 200),
        *knowledge_endpoints(t, base),
        *agents_endpoints(t, base, caller),
        *connections_endpoints(t, base),
        *retention_endpoints(t, base),
        *privacy_endpoints(t, base),
        *scim_endpoints(t, base),
        *attachments_endpoints(t, base, caller),
        *sso_endpoints(t, base),
        ("GET", f"{base}/sso/saml/service-provider", None, "admin", 200),
    ]


def privacy_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    done = request_data_subject_action(
        actor=t.admin, kind=RequestKind.EXPORT, member_id=t.member.id
    )
    run_data_subject_request(request_id=done.id)
    requests = f"{base}/privacy/requests"
    return [
        ("GET", requests, None, "admin", 200),
        ("POST", requests, {"kind": "export", "member_id": t.outsider.id}, "admin", 201),
        ("GET", f"{requests}/{done.id}", None, "admin", 200),
        ("GET", f"{requests}/{done.id}/archive", None, "admin", 200),
    ]


def knowledge_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    view = create_folder(actor=t.admin, space_id=t.company_space.id, name="Handbook")
    source = view.data_source.id
    upserted = upsert_documents(
        data_source=view.data_source,
        documents=[DocumentInput(external_id="file:a.txt", title="A", text="alpha")],
    )
    document = upserted.to_index[0]
    preview = {"kind": "view_remove", "view_id": view.id}
    return [
        ("GET", f"{base}/data-sources", None, "member", 200),
        ("POST", f"{base}/spaces/{t.company_space.id}/folders", {"name": "New"}, "builder", 201),
        ("GET", f"{base}/views", None, "member", 200),
        (
            "POST",
            f"{base}/views",
            {"data_source_id": source, "space_id": t.restricted_space.id},
            "admin",
            201,
        ),
        ("DELETE", f"{base}/views/{view.id}", None, "admin", 204),
        (
            "POST",
            f"{base}/data-sources/{source}/files",
            Multipart({"b.md": b"# B"}),
            "builder",
            201,
        ),
        ("GET", f"{base}/data-sources/{source}/documents", None, "member", 200),
        ("GET", f"{base}/documents/{document}", None, "member", 200),
        ("DELETE", f"{base}/data-sources/{source}/documents/{document}", None, "builder", 204),
        ("GET", f"{base}/search?query=alpha", None, "member", 200),
        ("POST", f"{base}/access-preview", preview, "admin", 200),
    ]


ENDPOINT_COUNT = 103


@pytest.mark.parametrize("role", ["admin", "builder", "member"])
@pytest.mark.parametrize("index", range(ENDPOINT_COUNT))
def test_each_endpoint_allows_exactly_the_roles_it_should(
    tenant: Tenant, api_as: Any, role: str, index: int
) -> None:
    method, path, body, minimum, success = endpoints(tenant, tenant.by_role(role))[index]
    response = api_as(tenant.by_role(role)).request(method, path, body)
    if RANK[role] >= RANK[minimum]:
        assert response.status_code == success, response.content
    else:
        assert response.status_code == 403, response.content
        error = response.json()["error"]
        assert error["code"] == "permission_denied"
        assert minimum in error["message"]


@pytest.mark.parametrize("index", range(ENDPOINT_COUNT))
def test_an_admin_of_another_workspace_gets_not_found_everywhere(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, index: int
) -> None:
    method, path, body, _, _ = endpoints(tenant, other_tenant.admin)[index]
    audit_rows_before = AuditEvent.objects.filter(workspace=tenant.workspace).count()
    response = api_as(other_tenant.admin).request(method, path, body)
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.filter(workspace=tenant.workspace).count() == audit_rows_before


@pytest.mark.parametrize("index", range(ENDPOINT_COUNT))
def test_a_token_of_another_workspace_gets_not_found_everywhere(
    tenant: Tenant, other_tenant: Tenant, api_with_token: Any, index: int
) -> None:
    method, path, body, _, _ = endpoints(tenant, other_tenant.admin)[index]
    response = api_with_token(other_tenant.admin).request(method, path, body)
    assert response.status_code == 404, response.content


def test_endpoint_table_covers_every_workspace_route() -> None:
    from config.router import api

    schema = api.get_openapi_schema()
    workspace_operations = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        if path.startswith("/api/v1/workspaces/{workspace_id}")
        for method in operations
    }
    assert len(workspace_operations) == ENDPOINT_COUNT


def test_a_member_outside_a_restricted_space_cannot_see_it(tenant: Tenant, api_as: Any) -> None:
    outsider = api_as(tenant.outsider)
    listed = outsider.get(f"workspaces/{tenant.workspace.id}/spaces").json()
    assert [space["kind"] for space in listed] == ["company"]
    response = outsider.get(f"workspaces/{tenant.workspace.id}/spaces/{tenant.restricted_space.id}")
    assert response.status_code == 404

    insider = api_as(tenant.member)  # in the space through the Finance team group
    names = {s["name"] for s in insider.get(f"workspaces/{tenant.workspace.id}/spaces").json()}
    assert names == {"Company", "Finance"}


def test_workspaces_list_shows_only_your_own(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    slugs = [w["slug"] for w in api_as(tenant.member).get("workspaces").json()]
    assert slugs == ["acme"]
