"""Which sign-in an email address gets: SSO when its domain is claimed by a workspace whose
provider is enabled. The answer names the workspace only then (a claimed domain is public by
design: the login page must say where to go); an unclaimed domain answers just sso=false."""

from __future__ import annotations

from dataclasses import dataclass

from sso.models import ClaimedDomain, Protocol


@dataclass(frozen=True)
class Discovery:
    sso: bool
    workspace_name: str = ""
    protocol: str = ""
    start_url: str = ""


def start_path(workspace_id: int, protocol: str) -> str:
    if protocol == Protocol.SAML:
        return f"/sso/{workspace_id}/saml/login"
    return f"/sso/{workspace_id}/oidc/start"


def discover(email: str) -> Discovery:
    domain = email.strip().lower().rpartition("@")[2]
    if not domain:
        return Discovery(sso=False)
    claim = (
        ClaimedDomain.objects.select_related("workspace", "workspace__identity_provider")
        .filter(domain=domain, workspace__identity_provider__enabled=True)
        .first()
    )
    if claim is None:
        return Discovery(sso=False)
    provider = claim.workspace.identity_provider
    return Discovery(
        sso=True,
        workspace_name=claim.workspace.name,
        protocol=provider.kind,
        start_url=start_path(claim.workspace_id, provider.kind),
    )
