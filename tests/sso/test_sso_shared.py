"""The shared SSO layer: admin API for the provider and domains, discovery, sign-in from an
identity (JIT, invitations_only, groups), require-SSO on password login."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client, RequestFactory

from audit.models import AuditEvent
from sso.accounts import SsoIdentity, sign_in_with_sso
from sso.errors import SsoError
from sso.models import IdentityProvider
from tests.factories import PASSWORD, ApiClient, Tenant
from workspaces import services as workspace_services
from workspaces.models import Group, Membership
from workspaces.selectors import member_space_access

pytestmark = pytest.mark.django_db


def oidc_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "kind": "oidc",
        "preset": "generic",
        "config": {"issuer": "https://idp.acme.test", "client_id": "platform"},
        "secret": "s3cret",
    }
    payload.update(overrides)
    return payload


def setup_provider(api_as: Any, tenant: Tenant, **overrides: Any) -> IdentityProvider:
    admin = api_as(tenant.admin)
    answer = admin.request(
        "PUT", f"workspaces/{tenant.workspace.id}/sso/provider", oidc_payload(**overrides)
    )
    assert answer.status_code == 200, answer.content
    assert (
        admin.post(
            f"workspaces/{tenant.workspace.id}/sso/domains", {"domain": "acme.test"}
        ).status_code
        == 201
    )
    return IdentityProvider.objects.get(workspace=tenant.workspace)


def identity(email: str, *, verified: bool = True, groups: tuple[str, ...] = ()) -> SsoIdentity:
    return SsoIdentity(
        email=email,
        email_verified=verified,
        name="Someone",
        groups=groups,
        subject="sub-1",
        protocol="oidc",
    )


def browser_request() -> Any:
    request = RequestFactory().get("/sso/1/oidc/callback")
    request.session = SessionStore()
    return request


def test_the_secret_is_stored_encrypted_and_never_sent_back(api_as: Any, tenant: Tenant) -> None:
    provider = setup_provider(api_as, tenant)
    assert "s3cret" not in provider.encrypted_secret
    answer = api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/sso/provider").json()
    assert answer["has_secret"] is True
    assert "s3cret" not in str(answer)
    assert answer["redirect_uri"].endswith(f"/sso/{tenant.workspace.id}/oidc/callback")
    assert AuditEvent.objects.filter(action="sso.provider_created").exists()


def test_only_admins_manage_and_other_workspaces_get_404(
    api_as: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    setup_provider(api_as, tenant)
    path = f"workspaces/{tenant.workspace.id}/sso/provider"
    assert api_as(tenant.member).get(path).status_code == 403
    assert api_as(other_tenant.admin).get(path).status_code == 404
    assert api_as(other_tenant.admin).request("PUT", path, oidc_payload()).status_code == 404


def test_a_domain_is_claimed_by_one_workspace_only(
    api_as: Any, tenant: Tenant, other_tenant: Tenant
) -> None:
    setup_provider(api_as, tenant)
    answer = api_as(other_tenant.admin).post(
        f"workspaces/{other_tenant.workspace.id}/sso/domains", {"domain": "ACME.test"}
    )
    assert answer.status_code == 409
    assert (
        api_as(tenant.admin)
        .post(f"workspaces/{tenant.workspace.id}/sso/domains", {"domain": "not a domain"})
        .status_code
        == 422
    )


def test_discovery_names_the_workspace_of_a_claimed_domain(api_as: Any, tenant: Tenant) -> None:
    setup_provider(api_as, tenant)
    anonymous = ApiClient(Client(enforce_csrf_checks=False))
    found = anonymous.post("auth/sso/discover", {"email": "new@acme.test"}).json()
    assert found == {
        "sso": True,
        "workspace_name": "Acme",
        "protocol": "oidc",
        "start_url": f"/sso/{tenant.workspace.id}/oidc/start",
    }
    assert anonymous.post("auth/sso/discover", {"email": "x@elsewhere.test"}).json()["sso"] is False


def test_jit_creates_the_member_with_the_default_role(api_as: Any, tenant: Tenant) -> None:
    provider = setup_provider(api_as, tenant, default_role="builder")
    membership = sign_in_with_sso(
        provider=provider, identity=identity("new@acme.test"), request=browser_request()
    )
    assert membership.role == "builder"
    assert membership.user.email_verified
    assert AuditEvent.objects.filter(action="sso.signed_in", actor_email="new@acme.test").exists()


def test_refusals(api_as: Any, tenant: Tenant) -> None:
    provider = setup_provider(api_as, tenant, jit_mode="invitations_only")
    with pytest.raises(SsoError) as unverified:
        sign_in_with_sso(
            provider=provider,
            identity=identity("a@acme.test", verified=False),
            request=browser_request(),
        )
    assert unverified.value.code == "email_unverified"
    with pytest.raises(SsoError) as unclaimed:
        sign_in_with_sso(
            provider=provider, identity=identity("a@other.test"), request=browser_request()
        )
    assert unclaimed.value.code == "domain_not_claimed"
    with pytest.raises(SsoError) as uninvited:
        sign_in_with_sso(
            provider=provider, identity=identity("a@acme.test"), request=browser_request()
        )
    assert uninvited.value.code == "not_invited"
    workspace_services.create_invitation(actor=tenant.admin, email="a@acme.test", role="builder")
    membership = sign_in_with_sso(
        provider=provider, identity=identity("a@acme.test"), request=browser_request()
    )
    assert membership.role == "builder"


def test_groups_are_mapped_and_space_grants_follow(api_as: Any, tenant: Tenant) -> None:
    provider = setup_provider(api_as, tenant, map_groups=True)
    membership = sign_in_with_sso(
        provider=provider,
        identity=identity("g@acme.test", groups=("finance", "eng")),
        request=browser_request(),
    )
    finance = Group.objects.get(workspace=tenant.workspace, source="sso", external_id="finance")
    workspace_services.grant_space_access(
        actor=tenant.admin, space_id=tenant.restricted_space.id, group_id=finance.id
    )
    fresh = Membership.objects.get(pk=membership.pk)
    assert member_space_access(membership=fresh, space=tenant.restricted_space) == "read"
    sign_in_with_sso(
        provider=provider,
        identity=identity("g@acme.test", groups=("eng",)),
        request=browser_request(),
    )
    assert not finance.members.filter(pk=membership.pk).exists()
    assert (
        Group.objects.get(source="sso", external_id="eng").members.filter(pk=membership.pk).exists()
    )


def test_require_sso_refuses_password_login_but_the_break_glass_admin(
    api_as: Any, tenant: Tenant
) -> None:
    setup_provider(api_as, tenant, require_sso=True, break_glass_membership_id=tenant.admin.id)
    client = ApiClient(Client())
    refused = client.post("auth/login", {"email": tenant.member.user.email, "password": PASSWORD})
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "sso_required"
    allowed = client.post("auth/login", {"email": tenant.admin.user.email, "password": PASSWORD})
    assert allowed.status_code == 200
    assert AuditEvent.objects.filter(action="sso.break_glass_used").count() == 1
