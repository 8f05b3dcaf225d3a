"""SAML sign-in end to end through the real routes: SP-initiated (/saml/login, then the
fake IdP's signed response POSTed to /saml/acs with its RelayState), IdP-initiated, and every
attack refused at the ACS with its code on the login page and nobody signed in."""

from __future__ import annotations

import base64
import datetime as dt
import zlib
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from lxml import etree

from sso import saml
from sso.models import IdentityProvider
from tests.factories import Tenant
from tests.fakes.saml_idp.idp import (
    FakeSamlIdp,
    assertion_of,
    encode,
    generate_key_pair,
    tampered,
    unsigned_around,
    xsw,
)
from workspaces.models import Group, Membership

pytestmark = pytest.mark.django_db

EMAIL = "ada@acme.test"
EVIL = "mallory@acme.test"


@pytest.fixture(scope="module")
def idp() -> FakeSamlIdp:
    return FakeSamlIdp()


def configure(
    api_as: Any, tenant: Tenant, idp: FakeSamlIdp, domain: str = "acme.test", **overrides: Any
) -> None:
    admin = api_as(tenant.admin)
    body = {
        "kind": "saml",
        "config": {"metadata_xml": idp.metadata_xml().decode(), **overrides.pop("config", {})},
        **overrides,
    }
    answer = admin.request("PUT", f"workspaces/{tenant.workspace.id}/sso/provider", body)
    assert answer.status_code == 200, answer.content
    domains = admin.get(f"workspaces/{tenant.workspace.id}/sso/domains").json()
    if not domains:
        claimed = admin.post(f"workspaces/{tenant.workspace.id}/sso/domains", {"domain": domain})
        assert claimed.status_code == 201


def start(browser: Client, workspace_id: int, next_path: str = "/") -> tuple[str, str]:
    """(AuthnRequest id, RelayState) of the redirect to the IdP."""
    answer = browser.get(f"/sso/{workspace_id}/saml/login", {"next": next_path})
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer["Location"]).query)
    request_xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15)
    request_id = etree.fromstring(request_xml).get("ID")
    assert request_id
    return request_id, query["RelayState"][0]


def post(
    browser: Client, workspace_id: int, response: etree._Element, relay_state: str = "", **kw: Any
) -> str:
    answer = browser.post(
        f"/sso/{workspace_id}/saml/acs",
        {"SAMLResponse": encode(response), "RelayState": relay_state},
        **kw,
    )
    assert answer.status_code == 302, answer.content
    return str(answer["Location"])


def signed_in_email(browser: Client) -> str | None:
    from accounts.models import User

    user_id = browser.session.get("_auth_user_id")
    return User.objects.get(pk=user_id).email if user_id else None


@pytest.mark.django_db(transaction=True)  # once as in production: autocommit, no test transaction
def test_sp_initiated_sign_in_creates_the_member_and_maps_groups(
    api_as: Any, tenant: Tenant, idp: FakeSamlIdp
) -> None:
    configure(api_as, tenant, idp, map_groups=True)
    sp = saml.service_provider(tenant.workspace.id)
    browser = Client()
    request_id, relay_state = start(browser, tenant.workspace.id, "/agents")
    response = idp.response(
        audience=sp.entity_id,
        acs_url=sp.acs_url,
        email=EMAIL,
        groups=["engineering"],
        in_response_to=request_id,
    )
    assert post(browser, tenant.workspace.id, response, relay_state) == "/agents"
    assert signed_in_email(browser) == EMAIL
    membership = Membership.objects.get(workspace=tenant.workspace, user__email=EMAIL)
    assert membership.role == "member"
    engineering = Group.objects.get(
        workspace=tenant.workspace, source="sso", external_id="engineering"
    )
    assert engineering.members.filter(pk=membership.pk).exists()

    # The same response again, in a fresh browser: its RelayState's request is spent.
    again = Client()
    location = post(again, tenant.workspace.id, response, relay_state)
    assert location.endswith("sso_error=saml_wrong_request")
    assert signed_in_email(again) is None


def test_the_metadata_route_serves_the_sp_metadata(tenant: Tenant) -> None:
    answer = Client().get(f"/sso/{tenant.workspace.id}/saml/metadata")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/samlmetadata+xml"
    assert saml.service_provider(tenant.workspace.id).acs_url.encode() in answer.content


def test_idp_initiated_sign_in_needs_the_admins_permission(
    api_as: Any, tenant: Tenant, idp: FakeSamlIdp
) -> None:
    configure(api_as, tenant, idp)
    sp = saml.service_provider(tenant.workspace.id)
    browser = Client()
    unsolicited = idp.response(audience=sp.entity_id, acs_url=sp.acs_url, email=EMAIL)
    location = post(browser, tenant.workspace.id, unsolicited, "https://app.example/whatever")
    assert location.endswith("sso_error=saml_unsolicited")
    assert signed_in_email(browser) is None

    configure(api_as, tenant, idp, config={"allow_idp_initiated": True})
    fresh = idp.response(audience=sp.entity_id, acs_url=sp.acs_url, email=EMAIL)
    # An IdP's RelayState is never used as a redirect target.
    assert post(browser, tenant.workspace.id, fresh, "https://evil.example/") == "/"
    assert signed_in_email(browser) == EMAIL

    replayer = Client()
    assert post(replayer, tenant.workspace.id, fresh).endswith("sso_error=saml_replayed")
    assert signed_in_email(replayer) is None


def test_an_unclaimed_domain_is_refused(api_as: Any, tenant: Tenant, idp: FakeSamlIdp) -> None:
    configure(api_as, tenant, idp)
    sp = saml.service_provider(tenant.workspace.id)
    browser = Client()
    request_id, relay_state = start(browser, tenant.workspace.id)
    response = idp.response(
        audience=sp.entity_id,
        acs_url=sp.acs_url,
        email="eve@elsewhere.test",
        in_response_to=request_id,
    )
    assert post(browser, tenant.workspace.id, response, relay_state).endswith(
        "sso_error=domain_not_claimed"
    )
    assert signed_in_email(browser) is None


def test_a_response_for_another_workspace_is_refused(
    api_as: Any, tenant: Tenant, other_tenant: Tenant, idp: FakeSamlIdp
) -> None:
    """Both workspaces trust the same IdP; a response meant for one does not open the other."""
    configure(api_as, tenant, idp)
    configure(api_as, other_tenant, idp, domain="globex.test")
    sp = saml.service_provider(tenant.workspace.id)
    response = idp.response(audience=sp.entity_id, acs_url=sp.acs_url, email=EMAIL)
    browser = Client()
    location = post(browser, other_tenant.workspace.id, response)
    assert "sso_error=saml_wrong_" in location
    assert signed_in_email(browser) is None


def test_a_workspace_without_saml_refuses(tenant: Tenant, idp: FakeSamlIdp) -> None:
    browser = Client()
    login = browser.get(f"/sso/{tenant.workspace.id}/saml/login")
    assert login["Location"].endswith("sso_error=saml_not_configured")
    sp = saml.service_provider(tenant.workspace.id)
    response = idp.response(audience=sp.entity_id, acs_url=sp.acs_url, email=EMAIL)
    assert post(browser, tenant.workspace.id, response).endswith("sso_error=saml_not_configured")
    assert not IdentityProvider.objects.exists()


def test_on_https_the_response_must_come_back_to_the_browser_that_started(
    api_as: Any, tenant: Tenant, idp: FakeSamlIdp
) -> None:
    configure(api_as, tenant, idp)
    sp = saml.service_provider(tenant.workspace.id)
    victim = Client()
    answer = Client().get(f"/sso/{tenant.workspace.id}/saml/login", secure=True)
    cookie = answer.cookies["sso_saml_binding"]
    assert cookie["samesite"] == "None" and cookie["secure"]
    relay_state = parse_qs(urlsplit(answer["Location"]).query)["RelayState"][0]
    victim.cookies["sso_saml_binding"] = "another-login"
    response = idp.response(audience=sp.entity_id, acs_url=sp.acs_url, email=EVIL)
    location = post(victim, tenant.workspace.id, response, relay_state, secure=True)
    assert location.endswith("sso_error=saml_browser_mismatch")
    assert signed_in_email(victim) is None


Attack = Callable[[FakeSamlIdp, saml.ServiceProvider, str], etree._Element]


def _good(idp: FakeSamlIdp, sp: saml.ServiceProvider, request_id: str, **kw: Any) -> etree._Element:
    return idp.response(audience=sp.entity_id, acs_url=sp.acs_url, in_response_to=request_id, **kw)


ATTACKS: dict[str, tuple[Attack, str]] = {
    "tampered": (
        lambda i, s, r: tampered(_good(i, s, r, email=EMAIL), email=EVIL),
        "saml_signature_invalid",
    ),
    "wrong key": (
        lambda i, s, r: _good(i, s, r, email=EVIL, keys=generate_key_pair("attacker.test")),
        "saml_signature_invalid",
    ),
    "unsigned": (
        lambda i, s, r: _good(i, s, r, email=EVIL, sign_assertion=False),
        "saml_signature_invalid",
    ),
    "copied signed assertion": (
        lambda i, s, r: unsigned_around(
            assertion_of(_good(i, s, "an-older-request", email=EMAIL)),
            template=_good(i, s, r, email=EVIL, sign_assertion=False),
        ),
        "saml_wrong_request",
    ),
    "wrong audience": (
        lambda i, s, r: i.response(
            audience="https://other-sp.test/metadata",
            acs_url=s.acs_url,
            in_response_to=r,
            email=EVIL,
        ),
        "saml_wrong_audience",
    ),
    "expired": (
        lambda i, s, r: _good(
            i, s, r, email=EVIL, issued_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
        ),
        "saml_expired",
    ),
    "not yet valid": (
        lambda i, s, r: _good(
            i, s, r, email=EVIL, issued_at=dt.datetime.now(dt.UTC) + dt.timedelta(hours=3)
        ),
        "saml_not_yet_valid",
    ),
    "answer to another request": (
        lambda i, s, r: _good(i, s, "not-" + r, email=EVIL),
        "saml_wrong_request",
    ),
    **{
        f"XSW{variant}": (
            lambda i, s, r, v=variant: xsw(
                v,
                _good(i, s, r, email=EMAIL, sign_assertion=v > 2, sign_response=v <= 2),
                email=EVIL,
            ),
            "saml_signature_wrapping",
        )
        for variant in range(1, 9)
    },
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attacks_are_refused_at_the_acs(
    attack: str, api_as: Any, tenant: Tenant, idp: FakeSamlIdp
) -> None:
    configure(api_as, tenant, idp)
    sp = saml.service_provider(tenant.workspace.id)
    build, code = ATTACKS[attack]
    browser = Client()
    request_id, relay_state = start(browser, tenant.workspace.id)
    location = post(browser, tenant.workspace.id, build(idp, sp, request_id), relay_state)
    assert location == f"/login?sso_error={code}"
    assert signed_in_email(browser) is None
    assert not Membership.objects.filter(user__email__in=[EVIL, EMAIL]).exists()


def test_admins_read_the_values_to_paste_into_the_idp(api_as: Any, tenant: Tenant) -> None:
    path = f"workspaces/{tenant.workspace.id}/sso/saml/service-provider"
    values = api_as(tenant.admin).get(path).json()
    sp = saml.service_provider(tenant.workspace.id)
    assert values == {
        "entity_id": sp.entity_id,
        "acs_url": sp.acs_url,
        "metadata_url": sp.metadata_url,
        "login_url": sp.login_url,
        "name_id_format": saml.EMAIL_FORMAT,
    }
    assert api_as(tenant.member).get(path).status_code == 403


def test_sign_in_through_the_fake_idps_login_page(api_as: Any, tenant: Tenant) -> None:
    """The whole round trip over HTTP: metadata by URL, the AuthnRequest read by the IdP, its
    login form, and the auto-posting page sending the response to the ACS."""
    import html
    import re
    import urllib.parse
    import urllib.request

    from tests.fakes.saml_idp.server import FakeSamlIdpServer

    with FakeSamlIdpServer() as server:
        admin = api_as(tenant.admin)
        answer = admin.request(
            "PUT",
            f"workspaces/{tenant.workspace.id}/sso/provider",
            {"kind": "saml", "config": {"metadata_url": f"{server.url}/metadata"}},
        )
        assert answer.status_code == 200, answer.content
        admin.post(f"workspaces/{tenant.workspace.id}/sso/domains", {"domain": "acme.test"})
        browser = Client()
        redirect = browser.get(f"/sso/{tenant.workspace.id}/saml/login", {"next": "/agents"})
        with urllib.request.urlopen(redirect["Location"]) as page:
            form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.read().decode()))
        form = {key: html.unescape(value) for key, value in form.items()}
        login = urllib.request.Request(
            f"{server.url}/sso/login",
            data=urllib.parse.urlencode({**form, "email": EMAIL}).encode(),
        )
        with urllib.request.urlopen(login) as page:
            posted = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.read().decode()))
    answer = browser.post(f"/sso/{tenant.workspace.id}/saml/acs", posted)
    assert answer["Location"] == "/agents"
    assert signed_in_email(browser) == EMAIL
