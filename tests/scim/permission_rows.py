"""The SCIM admin routes' rows for tests/api/test_permissions.py."""

from __future__ import annotations

from typing import Any

from scim.services import create_scim_token
from tests.factories import Tenant


def scim_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    token, _ = create_scim_token(actor=t.admin, name="to revoke")
    return [
        ("GET", f"{base}/scim", None, "admin", 200),
        ("GET", f"{base}/scim/tokens", None, "admin", 200),
        ("POST", f"{base}/scim/tokens", {"name": "Okta"}, "admin", 201),
        ("DELETE", f"{base}/scim/tokens/{token.id}", None, "admin", 200),
    ]
