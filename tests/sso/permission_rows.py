"""The SSO admin API in the shape of tests/api/test_permissions.py's endpoint table:
(method, path, body, lowest role allowed, success status). All of it is for admins."""

from __future__ import annotations

from typing import Any

from sso.services import claim_domain, save_provider
from tests.factories import Tenant

PROVIDER = {
    "kind": "oidc",
    "preset": "generic",
    "config": {"issuer": "https://idp.acme.test", "client_id": "platform"},
    "secret": "s3cret",
}


def sso_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    save_provider(
        actor=t.admin,
        kind="oidc",
        preset="generic",
        display_name="",
        enabled=True,
        config=dict(PROVIDER["config"]),  # type: ignore[call-overload]
        secret="s3cret",
        jit_mode="create",
        default_role="member",
        map_groups=False,
        require_sso=False,
        break_glass_membership_id=None,
    )
    claim = claim_domain(actor=t.admin, domain="acme.test")
    return [
        ("GET", f"{base}/sso/provider", None, "admin", 200),
        ("PUT", f"{base}/sso/provider", PROVIDER, "admin", 200),
        ("DELETE", f"{base}/sso/provider", None, "admin", 204),
        ("GET", f"{base}/sso/test-result", None, "admin", 200),
        ("GET", f"{base}/sso/domains", None, "admin", 200),
        ("POST", f"{base}/sso/domains", {"domain": "acme.example"}, "admin", 201),
        ("DELETE", f"{base}/sso/domains/{claim.id}", None, "admin", 204),
    ]
