"""Forged requests: another site makes the browser of a logged-in person (or of a visitor)
send a form, a text/plain body or a JSON body without the CSRF token, to login and to every
state-changing route of the API. The routes are read from the OpenAPI document, so a route
added later is attacked too. Each forgery is refused and changes nothing."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client

from config.router import api
from tests.factories import PASSWORD, ApiClient, Tenant
from workspaces.models import Group, SpaceGrant
from workspaces.services import create_api_token, create_invitation

EVIL_ORIGIN = "https://evil.example"
OWN_ORIGIN = "http://testserver"
STATE_CHANGING = ("post", "put", "patch", "delete")


def state_changing_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in STATE_CHANGING
    )


OPERATIONS = state_changing_operations()
ROUTE_IDS = [f"{method} {path.removeprefix('/api/v1/')}" for method, path in OPERATIONS]


def test_the_route_list_is_the_whole_api() -> None:
    """Guards the enumeration itself: login and the newest routes are in it."""
    paths = {path for _, path in OPERATIONS}
    assert "/api/v1/auth/login" in paths
    assert "/api/v1/invitations/{token}/accept" in paths
    assert "/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/files" in paths
    assert len(OPERATIONS) > 40


def real_ids(tenant: Tenant) -> dict[str, str]:
    """Path parameters pointing at real rows of the victim's workspace, so that a request that
    got through would really change something."""
    group = Group.objects.get(workspace=tenant.workspace, name="Finance team")
    grant = SpaceGrant.objects.filter(space=tenant.restricted_space).first()
    token, _ = create_api_token(actor=tenant.admin, name="victim's")
    invitation, url = create_invitation(
        actor=tenant.admin, email="invitee@example.com", role="member"
    )
    return {
        "workspace_id": str(tenant.workspace.id),
        "membership_id": str(tenant.outsider.id),
        "group_id": str(group.id),
        "space_id": str(tenant.restricted_space.id),
        "grant_id": str(grant.id if grant else 1),
        "token_id": str(token.id),
        "invitation_id": str(invitation.id),
        "token": url.rsplit("/", 1)[1],
        "provider": "openai",
    }


def url_for(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"{(\w+)}", lambda match: ids.get(match.group(1), "1"), path)


def snapshot() -> str:
    """Every table's row count, and the rows that an access or credential change touches."""
    from accounts.models import User
    from workspaces.models import ApiToken, Invitation, Membership

    parts = [f"{model._meta.label}={model._default_manager.count()}" for model in apps.get_models()]
    parts += [repr(list(User.objects.order_by("id").values_list()))]
    parts += [repr(list(Membership.objects.order_by("id").values_list()))]
    parts += [repr(list(ApiToken.objects.order_by("id").values_list("id", "revoked_at")))]
    parts += [repr(list(Invitation.objects.order_by("id").values_list()))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def victim_browser(tenant: Tenant) -> tuple[ApiClient, str]:
    """The admin, logged in, with the CSRF cookie their browser holds (the forger cannot read
    it, so the forged request carries the cookie but not the header)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(tenant.admin.user)
    token = client.get("/api/v1/auth/csrf").json()["csrf_token"]
    return ApiClient(client), token


def send(
    browser: ApiClient, method: str, url: str, body: bytes, content_type: str, **headers: str
) -> Any:
    return browser.client.generic(method, url, data=body, content_type=content_type, **headers)


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=ROUTE_IDS)
def test_a_cross_site_form_is_refused(tenant: Tenant, method: str, path: str) -> None:
    browser, _ = victim_browser(tenant)
    url = url_for(path, real_ids(tenant))
    before = snapshot()
    response = send(
        browser,
        method,
        url,
        b"name=pwned&email=attacker%40evil.example",
        "application/x-www-form-urlencoded",
        HTTP_ORIGIN=EVIL_ORIGIN,
    )
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "cross_origin_refused"
    assert snapshot() == before


FORM_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]


def takes_files(path: str) -> bool:
    """Folder uploads and a conversation's attachments (common.body_limit.is_upload_path)."""
    return path.endswith(("/files", "/conversations/{conversation_id}/attachments"))


# Uploads take multipart by design: there the CSRF test below is the refusal.
NOT_JSON_CASES = [
    pytest.param(method, path, content_type, id=f"{route} [{content_type or 'none'}]")
    for (method, path), route in zip(OPERATIONS, ROUTE_IDS, strict=True)
    for content_type in [*FORM_TYPES, ""]
    if not (takes_files(path) and content_type.startswith("multipart/"))
]


@pytest.mark.parametrize(("method", "path", "content_type"), NOT_JSON_CASES)
def test_a_body_that_is_not_json_gets_415(
    tenant: Tenant, method: str, path: str, content_type: str
) -> None:
    """Even with the CSRF token: the body type alone decides, so a form that slips past one
    lock still meets the other."""
    browser, token = victim_browser(tenant)
    url = url_for(path, real_ids(tenant))
    before = snapshot()
    response = send(
        browser,
        method,
        url,
        b'{"name": "pwned", "email": "attacker@evil.example"}',
        content_type,
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 415, response.content
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=ROUTE_IDS)
def test_json_without_the_csrf_token_is_refused(tenant: Tenant, method: str, path: str) -> None:
    browser, _ = victim_browser(tenant)
    url = url_for(path, real_ids(tenant))
    body = b'{"name": "pwned"}'
    content_type = "application/json"
    if takes_files(path):
        body, content_type = b"--x--\r\n", "multipart/form-data; boundary=x"
    before = snapshot()
    response = send(browser, method, url, body, content_type, HTTP_ORIGIN=OWN_ORIGIN)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "csrf_failed"
    assert snapshot() == before


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=ROUTE_IDS)
def test_the_real_app_gets_through_both_locks(tenant: Tenant, method: str, path: str) -> None:
    """The control: same origin, JSON and the token pass the guard (whatever the route then
    says about the empty body), so the refusals above are the forgery's, not the route's."""
    browser, token = victim_browser(tenant)
    response = send(
        browser,
        method,
        url_for(path, real_ids(tenant)),
        b"{}",
        "application/json",
        HTTP_ORIGIN=OWN_ORIGIN,
        HTTP_X_CSRFTOKEN=token,
    )
    code = response.json().get("error", {}).get("code") if response.content else None
    assert code not in {"cross_origin_refused", "unsupported_media_type", "csrf_failed"}


def test_a_visitor_cannot_be_logged_in_to_the_attackers_account(tenant: Tenant) -> None:
    """Login CSRF: the forged login carries the attacker's own valid credentials."""
    visitor = Client(enforce_csrf_checks=True)
    sessions = Session.objects.count()
    credentials = f'{{"email": "member@acme.test", "password": "{PASSWORD}"}}'.encode()
    as_json = send(
        ApiClient(visitor), "POST", "/api/v1/auth/login", credentials, "application/json"
    )
    as_text = send(ApiClient(visitor), "POST", "/api/v1/auth/login", credentials, "text/plain")
    as_form = send(
        ApiClient(visitor),
        "POST",
        "/api/v1/auth/login",
        f"email=member%40acme.test&password={PASSWORD}".encode(),
        "application/x-www-form-urlencoded",
        HTTP_ORIGIN=EVIL_ORIGIN,
    )
    assert [as_json.status_code, as_text.status_code, as_form.status_code] == [403, 415, 403]
    assert Session.objects.count() == sessions
    assert "sessionid" not in visitor.cookies
    # With the token, from the app itself, the same login works.
    token = visitor.get("/api/v1/auth/csrf").json()["csrf_token"]
    ok = send(
        ApiClient(visitor),
        "POST",
        "/api/v1/auth/login",
        credentials,
        "application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert ok.status_code == 200, ok.content


def test_a_trusted_origin_passes_and_others_do_not(tenant: Tenant, settings: Any) -> None:
    settings.CSRF_TRUSTED_ORIGINS = ["https://app.example.com", "https://*.corp.example"]
    browser, token = victim_browser(tenant)
    path = f"/api/v1/workspaces/{tenant.workspace.id}/groups"
    for origin, allowed in [
        ("https://app.example.com", True),
        ("https://eu.corp.example", True),
        ("http://app.example.com", False),  # another scheme is another origin
        ("https://app.example.com.evil.example", False),
        ("null", False),  # sandboxed iframes and file: pages
    ]:
        response = send(
            browser,
            "POST",
            path,
            b'{"name": "From ' + origin.encode() + b'"}',
            "application/json",
            HTTP_ORIGIN=origin,
            HTTP_X_CSRFTOKEN=token,
        )
        refused = response.status_code == 403 and (
            response.json()["error"]["code"] == "cross_origin_refused"
        )
        assert refused is not allowed, (origin, response.content)


def test_webhooks_keep_their_own_formats(db: None) -> None:
    """Providers post forms and signed bodies from their own origins; they are not API routes."""
    response = Client().post(
        "/webhooks/slack/999999",
        data=b"payload=%7B%7D",
        content_type="application/x-www-form-urlencoded",
        HTTP_ORIGIN=EVIL_ORIGIN,
    )
    assert response.status_code not in {415}
    body = response.content.decode(errors="replace")
    assert "cross_origin_refused" not in body and "unsupported_media_type" not in body


def test_reads_are_not_blocked(tenant: Tenant) -> None:
    browser, _ = victim_browser(tenant)
    response = browser.client.get("/api/v1/me", HTTP_ORIGIN=EVIL_ORIGIN)
    assert response.status_code == 200


def test_a_change_without_a_body_needs_no_json_type(tenant: Tenant) -> None:
    """Clients send DELETE without a body under any (or no) Content-Type; only a body is
    held to JSON."""
    client = Client()
    client.force_login(tenant.admin.user)
    group = Group.objects.get(workspace=tenant.workspace, name="Finance team")
    response = client.delete(f"/api/v1/workspaces/{tenant.workspace.id}/groups/{group.id}")
    assert response.status_code == 204, response.content
