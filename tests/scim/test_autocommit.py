"""SCIM as production runs it: autocommit, no test transaction around the requests, so a verb
that audits without its own transaction, or locks outside one, fails here."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from tests.factories import Tenant
from tests.scim.conftest import GROUP_SCHEMA, USER_SCHEMA, ScimClient

pytestmark = pytest.mark.django_db(transaction=True)


def test_provisioning_commits_with_its_audit_events(tenant: Tenant, api_as: Any) -> None:
    created = api_as(tenant.admin).post(
        f"/api/v1/workspaces/{tenant.workspace.id}/scim/tokens", {"name": "Okta"}
    )
    assert created.status_code == 201, created.content
    scim = ScimClient(created.json()["token"])
    user = scim.post("Users", {"schemas": [USER_SCHEMA], "userName": "ac@corp.test"})
    assert user.status_code == 201, user.content
    user_id = user.json()["id"]
    off = scim.patch(f"Users/{user_id}", {"op": "replace", "value": {"active": False}})
    assert off.status_code == 200, off.content
    group = scim.post(
        "Groups",
        {"schemas": [GROUP_SCHEMA], "displayName": "AC", "members": [{"value": user_id}]},
    )
    assert group.status_code == 201, group.content
    group_id = group.json()["id"]
    assert scim.patch(f"Groups/{group_id}", {"op": "Remove", "path": "members"}).status_code == 204
    assert (
        scim.put(f"Users/{user_id}", {"userName": "ac@corp.test", "active": True}).status_code
        == 200
    )
    assert scim.delete(f"Groups/{group_id}").status_code == 204
    assert scim.delete(f"Users/{user_id}").status_code == 204
    revoked = api_as(tenant.admin).delete(
        f"/api/v1/workspaces/{tenant.workspace.id}/scim/tokens/{created.json()['id']}"
    )
    assert revoked.status_code == 200, revoked.content
    assert AuditEvent.objects.filter(action__startswith="scim.").count() >= 10
