"""OpenID Connect: the provider presets and the validation of an OIDC provider's config.
The flow itself (discovery, PKCE, ID token checks) is in sso.oidc_flow."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from common.errors import InvalidInput
from sso.models import OidcPreset

GOOGLE_ISSUER = "https://accounts.google.com"
ENTRA_ISSUER = "https://login.microsoftonline.com/{tenant}/v2.0"
DEFAULT_SCOPES = "openid email profile"
_TENANT = re.compile(
    r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
_HD = re.compile(r"^[a-z0-9.-]{1,253}$")
_SCOPE = re.compile(r"^[\x21\x23-\x5b\x5d-\x7e]{1,100}$")


def _issuer_url(value: Any) -> str:
    issuer = str(value or "").strip().rstrip("/")
    if len(issuer) > 500:
        raise InvalidInput("The issuer URL is too long (500 characters at most).")
    parts = urlsplit(issuer)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidInput(
            "issuer must be the provider's issuer URL, like https://idp.example.com/realms/x "
            "(its /.well-known/openid-configuration is read from there)."
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise InvalidInput("The issuer URL takes no query, fragment or user:password@.")
    return issuer


def validate_config(config: dict[str, Any], *, preset: str) -> dict[str, Any]:
    """The cleaned, non-secret OIDC settings, or InvalidInput saying what to fix."""
    if preset not in OidcPreset.values:
        raise InvalidInput(f"preset must be one of {', '.join(OidcPreset.values)}.")
    client_id = str(config.get("client_id") or "").strip()
    if not client_id or len(client_id) > 500:
        raise InvalidInput("client_id is required: copy it from your identity provider.")
    clean: dict[str, Any] = {"client_id": client_id}
    if preset == OidcPreset.GOOGLE:
        clean["issuer"] = GOOGLE_ISSUER
        hd = str(config.get("hd") or "").strip().lower()
        if hd and not _HD.match(hd):
            raise InvalidInput("hd must be your Google Workspace domain, like example.com.")
        clean["hd"] = hd
    elif preset == OidcPreset.ENTRA:
        tenant = str(config.get("tenant_id") or "").strip().lower()
        if not _TENANT.match(tenant):
            raise InvalidInput(
                "tenant_id must be your Entra directory (tenant) ID, a GUID from the app's "
                "Overview page: a single tenant, never 'common' or 'organizations'."
            )
        clean["tenant_id"] = tenant
        clean["issuer"] = ENTRA_ISSUER.format(tenant=tenant)
    else:
        clean["issuer"] = _issuer_url(config.get("issuer"))
    scopes = str(config.get("scopes") or DEFAULT_SCOPES).split()
    if "openid" not in scopes:
        scopes.insert(0, "openid")
    if len(scopes) > 20 or not all(_SCOPE.match(s) for s in scopes):
        raise InvalidInput("scopes must be up to 20 space-separated OAuth scopes.")
    clean["scopes"] = " ".join(dict.fromkeys(scopes))
    groups_claim = str(config.get("groups_claim") or "groups").strip()
    if not re.match(r"^[A-Za-z0-9_:./-]{1,100}$", groups_claim):
        raise InvalidInput("groups_claim must be a claim name, like groups.")
    clean["groups_claim"] = groups_claim
    return clean
