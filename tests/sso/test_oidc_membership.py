"""What an OIDC sign-in does to memberships: JIT or invitations only, group mapping with space
grants following, workspace isolation, and the admin's test sign-in that changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from audit.models import AuditEvent
from sso.services import claim_domain, save_provider
from tests.factories import ApiClient, Tenant
from tests.fakes.oidc.server import CLIENT_ID, CLIENT_SECRET, FakeOidcProvider
from tests.sso.oidc_helpers import authorize, configure, sign_in, sso_error, start
from workspaces import services as workspace_services
from workspaces.models import Group, Membership
from workspaces.selectors import member_space_access

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp() -> Iterator[FakeOidcProvider]:
    with FakeOidcProvider() as fake:
        yield fake  # type: ignore[misc]


def test_invitations_only_lets_in_the_invited_with_their_role(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp, jit_mode="invitations_only")
    assert sso_error(sign_in(Client(), tenant.workspace.id)) == "not_invited"
    workspace_services.create_invitation(actor=tenant.admin, email="ada@acme.test", role="builder")
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    assert Membership.objects.get(user__email="ada@acme.test").role == "builder"
    assert AuditEvent.objects.filter(action="invitation.accepted").exists()


def test_mapped_groups_are_created_updated_and_grants_follow(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp, map_groups=True)
    idp.user = {**idp.user, "groups": ["finance", "engineering"]}
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    finance = Group.objects.get(workspace=tenant.workspace, source="sso", external_id="finance")
    workspace_services.grant_space_access(
        actor=tenant.admin, space_id=tenant.restricted_space.id, group_id=finance.id
    )
    ada = Membership.objects.get(user__email="ada@acme.test")
    assert member_space_access(membership=ada, space=tenant.restricted_space) == "read"
    idp.user = {**idp.user, "groups": ["engineering"]}
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    assert member_space_access(membership=ada, space=tenant.restricted_space) is None
    event = AuditEvent.objects.filter(action="sso.signed_in").latest("id")
    assert event.data["groups"]["left"] == 1


def test_groups_are_ignored_unless_mapping_is_on(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp)
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    assert not Group.objects.filter(source="sso").exists()


def test_an_sso_person_of_one_workspace_never_reaches_another(
    tenant: Tenant, other_tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp)
    with FakeOidcProvider(user={**idp.user}) as other_idp:
        save_provider(
            actor=other_tenant.admin,
            kind="oidc",
            preset="generic",
            display_name="",
            enabled=True,
            config={"issuer": other_idp.issuer, "client_id": CLIENT_ID},
            secret=CLIENT_SECRET,
            jit_mode="create",
            default_role="member",
            map_groups=False,
            require_sso=False,
            break_glass_membership_id=None,
        )
        claim_domain(actor=other_tenant.admin, domain="globex.test")
        # Globex's IdP vouching for an acme.test address gets nobody into Globex.
        assert sso_error(sign_in(Client(), other_tenant.workspace.id)) == "domain_not_claimed"
    client = Client()
    assert sign_in(client, tenant.workspace.id)["Location"] == "/"
    api = ApiClient(client)
    assert api.get(f"workspaces/{other_tenant.workspace.id}").status_code == 404
    # A sign-in started for Acme cannot be finished at Globex's callback.
    callback = authorize(start(client, tenant.workspace.id)["Location"])
    path = urlsplit(callback)
    crossed = f"/sso/{other_tenant.workspace.id}/oidc/callback?{path.query}"
    assert sso_error(client.get(crossed)) == "state_mismatch"
    assert not Membership.objects.filter(
        workspace=other_tenant.workspace, user__email="ada@acme.test"
    ).exists()


def test_the_admin_test_sign_in_shows_claims_and_changes_nothing(
    tenant: Tenant, idp: FakeOidcProvider, api_as: Any
) -> None:
    configure(tenant, idp, enabled=False)
    admin = api_as(tenant.admin)
    result = f"workspaces/{tenant.workspace.id}/sso/test-result"
    assert admin.get(result).json()["status"] == "none"
    answer = sign_in(admin.client, tenant.workspace.id, test=True)
    assert answer["Location"] == "/admin/authentication?test=done"
    shown = admin.get(result).json()
    assert shown["status"] == "ok"
    assert shown["email"] == "ada@acme.test"
    assert shown["claims"]["sub"] == "user-1"
    assert not Membership.objects.filter(user__email="ada@acme.test").exists()
    assert admin.get("me").json()["email"] == tenant.admin.user.email  # still the admin
    idp.id_token_overrides = {"aud": "someone-else"}
    sign_in(admin.client, tenant.workspace.id, test=True)
    assert admin.get(result).json()["code"] == "id_token_invalid"


def test_a_member_cannot_run_a_test_sign_in(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp)
    client = Client()
    client.force_login(tenant.member.user)
    assert sso_error(start(client, tenant.workspace.id, test=True)) == "test_needs_admin"


def test_a_disabled_provider_refuses_sign_in(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp, enabled=False)
    assert sso_error(start(Client(), tenant.workspace.id)) == "sso_not_configured"
