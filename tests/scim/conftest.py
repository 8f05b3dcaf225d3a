"""A SCIM client over Django's test client (the whole stack, middleware included) and a
provisioning token for the `tenant` workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from scim.services import create_scim_token
from tests.factories import Tenant

SCIM_JSON = "application/scim+json"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


class ScimClient:
    """Speaks to /scim/v2 as an identity provider does: scim+json and a bearer token."""

    def __init__(self, secret: str, *, content_type: str = SCIM_JSON) -> None:
        self.client = Client()
        self.secret = secret
        self.content_type = content_type

    def request(self, method: str, path: str, body: Any = None) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body) if body else ""
        return self.client.generic(
            method,
            f"/scim/v2/{path.lstrip('/')}",
            data=data,
            content_type=self.content_type,
            headers={"Authorization": f"Bearer {self.secret}"} if self.secret else {},
        )

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def patch(self, path: str, *operations: dict[str, Any]) -> Any:
        return self.request("PATCH", path, {"schemas": [PATCH_OP], "Operations": list(operations)})

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


def scim_for(tenant: Tenant) -> ScimClient:
    _, secret = create_scim_token(actor=tenant.admin, name="Okta")
    return ScimClient(secret)


@pytest.fixture
def scim(tenant: Tenant) -> ScimClient:
    return scim_for(tenant)


def assert_scim_error(response: Any, status: int, scim_type: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(SCIM_JSON)
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA] and body["status"] == str(status)
    assert body["detail"]
    if scim_type is not None:
        assert body.get("scimType") == scim_type, body
    return body


# The knowledge fixtures of the agents' tests, for the answer-stream test.
from tests.agents.conftest import embedder, folders, knowledge  # noqa: E402, F401
