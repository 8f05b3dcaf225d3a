"""Driving a real OIDC sign-in through Django's test client against the fake provider."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from django.test import Client

from sso.models import IdentityProvider
from sso.services import claim_domain, save_provider
from tests.factories import Tenant
from tests.fakes.oidc.server import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider


def configure(tenant: Tenant, idp: FakeOidcProvider, **overrides: Any) -> IdentityProvider:
    """The tenant's OIDC provider pointed at the fake, and acme.test claimed."""
    preset = overrides.pop("preset", "generic")
    config_extra = overrides.pop("config", {})
    options: dict[str, Any] = {
        "display_name": "Fake IdP",
        "enabled": True,
        "jit_mode": "create",
        "default_role": "member",
        "map_groups": False,
        "require_sso": False,
        "break_glass_membership_id": None,
        **overrides,
    }
    provider = save_provider(
        actor=tenant.admin,
        kind="oidc",
        preset="generic",
        config={"issuer": idp.issuer, "client_id": CLIENT_ID, **config_extra},
        secret=CLIENT_SECRET,
        **options,
    )
    if preset != "generic":
        # Google's and Entra's issuers are fixed by their preset; point them at the fake.
        provider.preset = preset
        provider.config = {**provider.config, **config_extra, "issuer": idp.issuer}
        provider.save()
    if not tenant.workspace.claimed_domains.filter(domain="acme.test").exists():
        claim_domain(actor=tenant.admin, domain="acme.test")
    return provider


def start(client: Client, workspace_id: int, *, test: bool = False) -> Any:
    return client.get(f"/sso/{workspace_id}/oidc/start" + ("?test=1" if test else ""))


def authorize(location: str) -> str:
    """Follow the start redirect at the fake (which approves); the callback's path + query."""
    answer = httpx.get(location, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["location"])
    return f"{back.path}?{back.query}"


def sign_in(client: Client, workspace_id: int, *, test: bool = False) -> Any:
    """The whole flow; the callback's answer (a redirect)."""
    started = start(client, workspace_id, test=test)
    assert started.status_code == 302, started.content
    assert started["Location"].startswith("http://127.0.0.1"), started["Location"]
    return client.get(authorize(started["Location"]))


def sso_error(answer: Any) -> str | None:
    location = urlsplit(answer["Location"])
    assert location.path == "/login", answer["Location"]
    return parse_qs(location.query).get("sso_error", [None])[0]
