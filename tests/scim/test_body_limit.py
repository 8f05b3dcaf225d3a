"""The body limit (MAX_REQUEST_BYTES) covers /scim/v2 through the real ASGI application and
answers SCIM's error shape there; the API's JSON-only guard does not refuse scim+json."""

from __future__ import annotations

import json

import pytest

from tests.api.test_request_limits import MEBIBYTE, raw_asgi
from tests.factories import Tenant
from tests.scim.conftest import USER_SCHEMA, ScimClient

pytestmark = pytest.mark.django_db


def test_a_scim_body_over_the_limit_is_refused_unread_with_a_scim_error() -> None:
    headers = [
        (b"content-type", b"application/scim+json"),
        (b"content-length", str(MEBIBYTE + 1).encode()),
        (b"authorization", b"Bearer scim_anything"),
    ]
    status, response_headers, body, pulled = raw_asgi(
        "POST", "/scim/v2/Users", headers=headers, chunks=[b"x" * 1024] * 1025
    )
    assert status == 413 and pulled == 0
    assert response_headers[b"content-type"] == b"application/scim+json"
    error = json.loads(body)
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert error["status"] == "413" and "larger than 1 MB" in error["detail"]


def test_scim_json_from_another_origin_is_not_refused_by_the_api_guard(
    scim: ScimClient, tenant: Tenant
) -> None:
    # An IdP is a program, not a browser: no cookie, so the API's Origin and media-type
    # rules (against forged browser forms) have nothing to protect here; the token does.
    response = scim.client.post(
        "/scim/v2/Users",
        data=json.dumps({"schemas": [USER_SCHEMA], "userName": "x@corp.test"}),
        content_type="application/scim+json",
        headers={"Authorization": f"Bearer {scim.secret}", "Origin": "https://okta.example"},
    )
    assert response.status_code == 201, response.content
