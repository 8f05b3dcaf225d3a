"""Admin API for the workspace's identity provider and claimed domains, and the public
discovery route the login page asks after the email. Thin: parse, call a service, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from api.auth import PUBLIC_WITH_CSRF, request_actor
from api.route_limits import enforce_route_limit
from sso import discovery, services, trial_sign_in
from sso.models import ClaimedDomain, IdentityProvider

router = Router(tags=["sso"])


class DiscoverIn(Schema):
    email: str = Field(max_length=254)


class DiscoverOut(Schema):
    sso: bool
    workspace_name: str
    protocol: str
    preset: str
    start_url: str


class ProviderIn(Schema):
    kind: str = Field(max_length=8, description="oidc or saml")
    preset: str = Field(default="generic", max_length=16)
    display_name: str = Field(default="", max_length=200)
    enabled: bool = True
    config: dict[str, Any] = Field(default_factory=dict)
    secret: str | None = Field(
        default=None,
        max_length=4096,
        description="The client secret; leave out to keep the stored one, '' to clear it.",
    )
    jit_mode: str = Field(default="create", max_length=20)
    default_role: str = Field(default="member", max_length=16)
    map_groups: bool = False
    require_sso: bool = False
    break_glass_membership_id: int | None = None


class ProviderOut(Schema):
    kind: str
    preset: str
    display_name: str
    enabled: bool
    config: dict[str, Any]
    has_secret: bool
    jit_mode: str
    default_role: str
    map_groups: bool
    require_sso: bool
    break_glass_membership_id: int | None
    redirect_uri: str
    updated_at: datetime

    @staticmethod
    def of(provider: IdentityProvider) -> ProviderOut:
        return ProviderOut(
            kind=provider.kind,
            preset=provider.preset,
            display_name=provider.display_name,
            enabled=provider.enabled,
            config=provider.config,
            has_secret=bool(provider.encrypted_secret),
            jit_mode=provider.jit_mode,
            default_role=provider.default_role,
            map_groups=provider.map_groups,
            require_sso=provider.require_sso,
            break_glass_membership_id=provider.break_glass_membership_id,
            redirect_uri=oidc_redirect_uri(provider.workspace_id),
            updated_at=provider.updated_at,
        )


class TestResultOut(Schema):
    status: str = Field(description="none (no test run yet), ok or error")
    code: str
    message: str
    claims: dict[str, Any]
    email: str = ""
    email_verified: bool = False
    name: str = ""
    groups: list[str] = Field(default_factory=list)


class DomainIn(Schema):
    domain: str = Field(max_length=253)


class DomainOut(Schema):
    id: int
    domain: str
    created_at: datetime

    @staticmethod
    def of(claim: ClaimedDomain) -> DomainOut:
        return DomainOut(id=claim.id, domain=claim.domain, created_at=claim.created_at)


def oidc_redirect_uri(workspace_id: int) -> str:
    return f"{settings.PUBLIC_URL}/sso/{workspace_id}/oidc/callback"


@router.post("/auth/sso/discover", auth=PUBLIC_WITH_CSRF, response=DiscoverOut)
def discover(request: HttpRequest, payload: DiscoverIn) -> DiscoverOut:
    """Whether this email signs in through a workspace's identity provider, and where."""
    enforce_route_limit(request, "logins")
    found = discovery.discover(payload.email)
    return DiscoverOut(
        sso=found.sso,
        workspace_name=found.workspace_name,
        protocol=found.protocol,
        preset=found.preset,
        start_url=found.start_url,
    )


@router.get("/workspaces/{workspace_id}/sso/provider", response=ProviderOut)
def get_provider(request: HttpRequest, workspace_id: int) -> ProviderOut:
    """The workspace's identity provider (admins); 404 before one is set up."""
    provider = services.get_provider(actor=request_actor(request, workspace_id))
    return ProviderOut.of(provider)


@router.put("/workspaces/{workspace_id}/sso/provider", response=ProviderOut)
def put_provider(request: HttpRequest, workspace_id: int, payload: ProviderIn) -> ProviderOut:
    """Set up or change the identity provider (admins; audited). The secret is never sent back."""
    provider = services.save_provider(
        actor=request_actor(request, workspace_id),
        kind=payload.kind,
        preset=payload.preset,
        display_name=payload.display_name,
        enabled=payload.enabled,
        config=payload.config,
        secret=payload.secret,
        jit_mode=payload.jit_mode,
        default_role=payload.default_role,
        map_groups=payload.map_groups,
        require_sso=payload.require_sso,
        break_glass_membership_id=payload.break_glass_membership_id,
    )
    return ProviderOut.of(provider)


@router.delete("/workspaces/{workspace_id}/sso/provider", response={204: None})
def delete_provider(request: HttpRequest, workspace_id: int) -> Status:
    services.delete_provider(actor=request_actor(request, workspace_id))
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/sso/domains", response=list[DomainOut])
def list_domains(request: HttpRequest, workspace_id: int) -> list[DomainOut]:
    claims = services.list_domains(actor=request_actor(request, workspace_id))
    return [DomainOut.of(c) for c in claims]


@router.post("/workspaces/{workspace_id}/sso/domains", response={201: DomainOut})
def claim_domain(request: HttpRequest, workspace_id: int, payload: DomainIn) -> Status:
    """Claim an email domain for this workspace's SSO; 409 when any workspace has it."""
    claim = services.claim_domain(actor=request_actor(request, workspace_id), domain=payload.domain)
    return Status(201, DomainOut.of(claim))


@router.delete("/workspaces/{workspace_id}/sso/domains/{domain_id}", response={204: None})
def release_domain(request: HttpRequest, workspace_id: int, domain_id: int) -> Status:
    services.release_domain(actor=request_actor(request, workspace_id), domain_id=domain_id)
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/sso/test-result", response=TestResultOut)
def get_test_result(request: HttpRequest, workspace_id: int) -> TestResultOut:
    """The claims of your last "Test sign-in" (kept in your session; nobody was signed in)."""
    services.get_provider(actor=request_actor(request, workspace_id))
    return TestResultOut(**trial_sign_in.result_for(request, workspace_id))


# --- SAML (appended by the SAML side) -------------------------------------------------------


class SamlServiceProviderOut(Schema):
    entity_id: str
    acs_url: str
    metadata_url: str
    login_url: str
    name_id_format: str


@router.get("/workspaces/{workspace_id}/sso/saml/service-provider", response=SamlServiceProviderOut)
def saml_service_provider(request: HttpRequest, workspace_id: int) -> SamlServiceProviderOut:
    """The values an admin pastes into their IdP's SAML app: entity id (audience), ACS URL,
    metadata URL, NameID format. They exist before any provider is set up."""
    from sso import saml

    values = saml.service_provider_for(actor=request_actor(request, workspace_id))
    return SamlServiceProviderOut(
        entity_id=values.entity_id,
        acs_url=values.acs_url,
        metadata_url=values.metadata_url,
        login_url=values.login_url,
        name_id_format=values.name_id_format,
    )
