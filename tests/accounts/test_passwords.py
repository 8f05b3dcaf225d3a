"""Changing and resetting passwords, sessions ending with the old password, operators, and
who may create workspaces."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from tests.factories import PASSWORD, ApiClient, Tenant
from workspaces.models import Membership, Workspace

NEW_PASSWORD = "a-brand-new-passphrase"


def logged_in(email: str, password: str = PASSWORD) -> ApiClient:
    api = ApiClient(Client())
    response = api.post("auth/login", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return api


def reset_link(outbox_body: str) -> tuple[str, str]:
    match = re.search(r"/reset-password/([^/\s]+)/([^/\s]+)", outbox_body)
    assert match, outbox_body
    return match.group(1), match.group(2)


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(
    tenant: Tenant,
) -> None:
    here, elsewhere = logged_in("member@acme.test"), logged_in("member@acme.test")
    response = here.post(
        "auth/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 204, response.content
    assert here.get("me").status_code == 200
    assert elsewhere.get("me").status_code == 401
    assert User.objects.get(email="member@acme.test").check_password(NEW_PASSWORD)


def test_a_wrong_current_password_or_a_weak_new_one_is_refused(tenant: Tenant) -> None:
    api = logged_in("member@acme.test")
    wrong = api.post("auth/password", {"current_password": "nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "invalid_credentials"
    weak = api.post("auth/password", {"current_password": PASSWORD, "new_password": "12345678"})
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "weak_password"
    assert User.objects.get(email="member@acme.test").check_password(PASSWORD)


def test_an_api_token_cannot_change_the_password(tenant: Tenant, api_with_token: Any) -> None:
    response = api_with_token(tenant.member).post(
        "auth/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 403
    assert User.objects.get(email="member@acme.test").check_password(PASSWORD)


def test_password_reset_by_emailed_link(
    tenant: Tenant, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    User.objects.filter(email="member@acme.test").update(email_verified=False)
    session = logged_in("member@acme.test")
    anonymous = ApiClient(Client())
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post("auth/password-reset", {"email": "Member@acme.test"})
    assert (response.status_code, response.json()) == (202, {})
    [email] = mail.outbox
    assert email.to == ["member@acme.test"]
    assert f"{settings.PUBLIC_URL}/reset-password/" in email.body
    uid, token = reset_link(email.body)

    weak = anonymous.post(
        "auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": "password"}
    )
    assert (weak.status_code, weak.json()["error"]["code"]) == (422, "weak_password")
    done = anonymous.post(
        "auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.content
    user = User.objects.get(email="member@acme.test")
    assert user.check_password(NEW_PASSWORD) and user.email_verified
    assert session.get("me").status_code == 401  # the old session ended
    again = anonymous.post(
        "auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": "x-other-9"}
    )
    assert (again.status_code, again.json()["error"]["code"]) == (410, "reset_link_invalid")
    logged_in("member@acme.test", NEW_PASSWORD)


@pytest.mark.parametrize(
    ("uid", "token"), [("MQ", "bad-token"), ("!!!", "x"), ("OTk5OTk5", "abc-def")]
)
def test_a_forged_reset_link_is_refused(tenant: Tenant, uid: str, token: str) -> None:
    response = ApiClient(Client()).post(
        "auth/password-reset/confirm", {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 410
    assert not User.objects.filter(email="member@acme.test")[0].check_password(NEW_PASSWORD)


def test_reset_requests_do_not_tell_who_has_an_account(
    tenant: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    anonymous = ApiClient(Client())
    with django_capture_on_commit_callbacks(execute=True):
        unknown = anonymous.post("auth/password-reset", {"email": "nobody@acme.test"})
        known = anonymous.post("auth/password-reset", {"email": "member@acme.test"})
    assert (unknown.status_code, unknown.content) == (known.status_code, known.content)
    assert [m.to for m in mail.outbox] == [["member@acme.test"]]


def test_reset_requests_are_limited_per_email_and_per_address(
    tenant: Tenant, settings: Any
) -> None:
    settings.PASSWORD_RESETS_PER_EMAIL = 2
    settings.PASSWORD_RESETS_PER_IP = 4
    api = ApiClient(Client())
    for _ in range(2):
        assert api.post("auth/password-reset", {"email": "member@acme.test"}).status_code == 202
    limited = api.post("auth/password-reset", {"email": "member@acme.test"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    # Unknown addresses count the same, so the limit says nothing about who has an account.
    for index in range(2):
        assert api.post("auth/password-reset", {"email": f"n{index}@x.test"}).status_code == 202
    assert api.post("auth/password-reset", {"email": "other@x.test"}).status_code == 429


def test_login_rotates_the_session_key(tenant: Tenant) -> None:
    client = Client()
    client.get("/api/v1/auth/csrf")
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    ApiClient(client).post("auth/login", {"email": "member@acme.test", "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()
    # The key the attacker may have planted before login is worth nothing now.
    planted = Client()
    planted.cookies["sessionid"] = before
    assert ApiClient(planted).get("me").status_code == 401


def test_createsuperuser_makes_an_operator_in_no_workspace(db: None, tenant: Tenant) -> None:
    call_command(
        "createsuperuser", "--noinput", "--email", "Ops@Example.com", stdout=None, stderr=None
    )
    operator = User.objects.get(email="ops@example.com")
    assert operator.is_operator and operator.email_verified
    assert not Membership.objects.filter(user=operator).exists()


@pytest.mark.parametrize("mode", ["operators", "anyone"])
def test_who_may_create_workspaces(tenant: Tenant, api_as: Any, settings: Any, mode: str) -> None:
    settings.WORKSPACE_CREATION = mode
    person = api_as(tenant.member)
    me = person.get("me").json()
    assert (me["is_operator"], me["can_create_workspaces"]) == (False, mode == "anyone")
    response = person.post("workspaces", {"name": "Side project"})
    if mode == "anyone":
        assert response.status_code == 201
    else:
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "workspace_creation_restricted"
        assert "WORKSPACE_CREATION" in error["message"]
        assert not Workspace.objects.filter(name="Side project").exists()
    operator = User.objects.create_superuser(email="ops@example.com", password=PASSWORD)
    client = Client()
    client.force_login(operator)
    ops = ApiClient(client)
    assert ops.get("me").json()["can_create_workspaces"] is True
    assert ops.get("me").json()["workspaces"] == []
    assert ops.post("workspaces", {"name": "Operator's"}).status_code == 201


def test_the_demo_seeding_still_gives_working_logins(db: None) -> None:
    from workspaces.demo import create_demo_workspace

    workspace, logins, created = create_demo_workspace(password="demo-password")
    assert created and len(logins) == 3
    for login in logins:
        logged_in(login.email, "demo-password")
    assert create_demo_workspace(password="other")[2] is False
    assert workspace.memberships.count() == 3
