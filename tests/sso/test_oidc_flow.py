"""OIDC sign-in against the fake provider (Authlib's server), through Django's test client:
the happy path, and every answer that must be refused."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import Tenant
from tests.fakes.oidc.server import FakeOidcProvider
from tests.sso.oidc_helpers import authorize, configure, sign_in, sso_error, start
from workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp() -> Iterator[FakeOidcProvider]:
    with FakeOidcProvider() as fake:
        yield fake  # type: ignore[misc]


def me(client: Client) -> Any:
    return client.get("/api/v1/me")


def test_a_new_person_signs_in_and_lands_in_the_workspace(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp)
    client = Client()
    answer = sign_in(client, tenant.workspace.id)
    assert answer.status_code == 302 and answer["Location"] == "/"
    profile = me(client).json()
    assert profile["email"] == "ada@acme.test"
    assert [w["workspace_id"] for w in profile["workspaces"]] == [tenant.workspace.id]
    assert User.objects.get(email="ada@acme.test").email_verified
    assert AuditEvent.objects.filter(action="sso.signed_in", actor_email="ada@acme.test").exists()


def test_the_authorization_request_uses_pkce_s256_state_and_nonce(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp)
    location = start(Client(), tenant.workspace.id)["Location"]
    query = parse_qs(urlsplit(location).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert "openid" in query["scope"][0].split()


def test_a_callback_with_another_state_is_refused(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp)
    client = Client()
    callback = authorize(start(client, tenant.workspace.id)["Location"])
    forged = callback.replace("state=", "state=x")
    assert sso_error(client.get(forged)) == "state_mismatch"
    # Another browser (no pending sign-in in its session) cannot finish this one either.
    assert sso_error(Client().get(callback)) == "state_mismatch"
    assert me(client).status_code == 401


def test_a_replayed_code_is_refused(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp)
    client = Client()
    location = start(client, tenant.workspace.id)["Location"]
    callback = authorize(location)
    assert client.get(callback)["Location"] == "/"
    # Replaying the code in a fresh sign-in of the same browser: the state is new, the
    # fake refuses the used code.
    again = start(client, tenant.workspace.id)["Location"]
    state = parse_qs(urlsplit(again).query)["state"][0]
    code = parse_qs(urlsplit(callback).query)["code"][0]
    replay = f"/sso/{tenant.workspace.id}/oidc/callback?code={code}&state={state}"
    assert sso_error(client.get(replay)) == "token_refused"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"nonce": "another-nonce"}, "nonce_mismatch"),
        ({"aud": "another-client"}, "id_token_invalid"),
        ({"iss": "https://evil.test"}, "id_token_invalid"),
        # Offsets from the moment the test runs, not from collection (a long suite would make
        # a token issued "in ten minutes" one issued in the past).
        ({"exp": -300, "iat": -900}, "id_token_expired"),
        ({"iat": +600}, "id_token_invalid"),
        ({"email_verified": False}, "email_unverified"),
        ({"email": "ada@elsewhere.test"}, "domain_not_claimed"),
    ],
)
def test_an_id_token_that_does_not_hold_is_refused(
    tenant: Tenant, idp: FakeOidcProvider, overrides: dict[str, Any], code: str
) -> None:
    configure(tenant, idp)
    now = int(time.time())
    idp.id_token_overrides = {
        claim: now + value if claim in ("exp", "iat") else value
        for claim, value in overrides.items()
    }
    client = Client()
    assert sso_error(sign_in(client, tenant.workspace.id)) == code
    assert me(client).status_code == 401
    assert not Membership.objects.filter(user__email="ada@acme.test").exists()


def test_a_token_signed_by_an_unknown_key_is_refused_after_one_refetch(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp)
    idp.sign_with_unknown_key = True
    assert sso_error(sign_in(Client(), tenant.workspace.id)) == "unknown_signing_key"
    assert idp.jwks_fetches == 2  # the cached set lacked the kid: fetched again, once


def test_a_rotated_key_is_accepted(tenant: Tenant, idp: FakeOidcProvider) -> None:
    configure(tenant, idp)
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    idp.rotate_keys()  # the old key is gone from the JWKS, the cached set is stale
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"
    assert idp.jwks_fetches == 2


def test_the_hosted_domain_of_a_google_preset_is_checked(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp, preset="google", config={"hd": "acme.test"})
    idp.user = {**idp.user, "hd": "gmail.com"}
    assert sso_error(sign_in(Client(), tenant.workspace.id)) == "hd_mismatch"
    idp.user = {**idp.user, "hd": "acme.test"}
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"


def test_entra_needs_its_tenant_and_a_verified_domain(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    tid = "11111111-2222-3333-4444-555555555555"
    configure(tenant, idp, preset="entra", config={"tenant_id": tid})
    idp.user = {k: v for k, v in idp.user.items() if k != "email_verified"} | {"tid": tid}
    assert sso_error(sign_in(Client(), tenant.workspace.id)) == "email_unverified"
    idp.user = {**idp.user, "xms_edov": True, "tid": "99999999-2222-3333-4444-555555555555"}
    assert sso_error(sign_in(Client(), tenant.workspace.id)) == "tenant_mismatch"
    idp.user = {**idp.user, "tid": tid}
    assert sign_in(Client(), tenant.workspace.id)["Location"] == "/"


def test_an_issuer_on_a_private_address_is_refused_unless_allow_listed(
    tenant: Tenant, idp: FakeOidcProvider, settings: Any
) -> None:
    configure(tenant, idp)
    settings.OUTBOUND_ALLOWED_HOSTS = []
    assert sso_error(start(Client(), tenant.workspace.id)) == "issuer_refused"
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    assert start(Client(), tenant.workspace.id)["Location"].startswith(idp.url)


def test_the_idp_answering_an_error_is_a_clear_refusal(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    configure(tenant, idp)
    client = Client()
    state = parse_qs(urlsplit(start(client, tenant.workspace.id)["Location"]).query)["state"][0]
    answer = client.get(
        f"/sso/{tenant.workspace.id}/oidc/callback?error=access_denied&state={state}"
    )
    assert sso_error(answer) == "idp_refused"


def test_the_fake_refuses_a_wrong_code_verifier(idp: FakeOidcProvider) -> None:
    """The fake is a real server: without the verifier the code is worthless."""
    from tests.fakes.oidc.server import CLIENT_ID, CLIENT_SECRET

    location = (
        f"{idp.url}/authorize?response_type=code&client_id={CLIENT_ID}&scope=openid+email"
        "&redirect_uri=http://127.0.0.1/cb&state=s&nonce=n&code_challenge="
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    )
    code = parse_qs(urlsplit(httpx.get(location).headers["location"]).query)["code"][0]
    answer = httpx.post(
        f"{idp.url}/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": "http://127.0.0.1/cb",
            "code_verifier": "x" * 50,
        },
        auth=(CLIENT_ID, CLIENT_SECRET),
    )
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_a_secret_that_cannot_be_decrypted_is_a_clear_refusal_not_a_500(
    tenant: Tenant, idp: FakeOidcProvider
) -> None:
    provider = configure(tenant, idp)
    provider.encrypted_secret = "not-a-fernet-token"
    provider.save()
    assert sso_error(start(Client(), tenant.workspace.id)) == "sso_misconfigured"
