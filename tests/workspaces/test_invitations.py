"""The invitation lifecycle over the API: invite, email, accept (new and existing person),
decline, expiry, reuse, revoke, and re-issue, with the emails read from Django's outbox."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD, ApiClient, Tenant, make_user
from workspaces.models import Invitation, Membership

NEW_PASSWORD = "an-own-long-passphrase"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def invite(api: ApiClient, tenant: Tenant, email: str, role: str = "member") -> Any:
    response = api.post(
        f"workspaces/{tenant.workspace.id}/invitations", {"email": email, "role": role}
    )
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def admin(tenant: Tenant, api_as: Any) -> ApiClient:
    return api_as(tenant.admin)


def test_inviting_creates_a_pending_invitation_and_emails_the_link_only(
    tenant: Tenant, admin: ApiClient, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        created = invite(admin, tenant, " New.Person@Example.COM ", "builder")
    assert created["email"] == "new.person@example.com"
    assert (created["status"], created["role"]) == ("pending", "builder")
    assert created["invited_by_email"] == "admin@acme.test"
    assert created["invite_url"].startswith(f"{settings.PUBLIC_URL}/invite/")
    # Nothing exists for the person yet: no account, no membership, no password anywhere.
    assert not User.objects.filter(email="new.person@example.com").exists()
    invitation = Invitation.objects.get(id=created["id"])
    assert invitation.token_hash != token_of(created["invite_url"])  # stored hashed
    [email] = mail.outbox
    assert email.to == ["new.person@example.com"]
    assert created["invite_url"] in email.body
    assert "Acme" in email.subject
    listed = admin.get(f"workspaces/{tenant.workspace.id}/invitations").json()
    assert [item["id"] for item in listed] == [created["id"]]
    assert "invite_url" not in listed[0]
    assert AuditEvent.objects.filter(action="invitation.created").count() == 1


def test_sending_a_password_gets_a_clear_422(tenant: Tenant, admin: ApiClient) -> None:
    path = f"workspaces/{tenant.workspace.id}/invitations"
    response = admin.post(path, {"email": "x@example.com", "password": "chosen-by-admin"})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_input",
        "message": "Invitations carry no password: the person sets their own from the "
        "invitation link.",
    }
    unknown = admin.post(path, {"email": "x@example.com", "full_name": "Set By Admin"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["code"] == "invalid_input"
    assert not Invitation.objects.exists()


def test_the_members_route_no_longer_invites(tenant: Tenant, admin: ApiClient) -> None:
    response = admin.post(f"workspaces/{tenant.workspace.id}/members", {"email": "x@example.com"})
    assert response.status_code in {404, 405}
    assert not Invitation.objects.exists() and not User.objects.filter(email="x@example.com")


def test_inviting_a_current_member_is_a_conflict(tenant: Tenant, admin: ApiClient) -> None:
    response = admin.post(
        f"workspaces/{tenant.workspace.id}/invitations", {"email": "MEMBER@acme.test"}
    )
    assert response.status_code == 409


def test_a_new_person_sets_their_own_password_and_is_logged_in(
    tenant: Tenant, admin: ApiClient
) -> None:
    created = invite(admin, tenant, "new@example.com", "builder")
    token = token_of(created["invite_url"])
    visitor = ApiClient(Client())
    preview = visitor.get(f"invitations/{token}").json()
    assert preview == {
        "workspace_name": "Acme",
        "email": "new@example.com",
        "role": "builder",
        "invited_by_email": "admin@acme.test",
        "expires_at": preview["expires_at"],
        "account_exists": False,
        "signed_in_as": None,
    }
    missing = visitor.post(f"invitations/{token}/accept", {})
    assert missing.status_code == 422
    assert missing.json()["error"]["code"] == "password_required"
    weak = visitor.post(f"invitations/{token}/accept", {"password": "password"})
    assert weak.status_code == 422
    assert weak.json()["error"]["code"] == "weak_password"
    assert not User.objects.filter(email="new@example.com").exists()

    accepted = visitor.post(
        f"invitations/{token}/accept", {"password": NEW_PASSWORD, "full_name": "Nia New"}
    )
    assert accepted.status_code == 200, accepted.content
    me = accepted.json()
    assert (me["email"], me["full_name"]) == ("new@example.com", "Nia New")
    assert [(w["workspace_slug"], w["role"]) for w in me["workspaces"]] == [("acme", "builder")]
    user = User.objects.get(email="new@example.com")
    assert user.email_verified and user.check_password(NEW_PASSWORD)
    assert visitor.get("me").status_code == 200  # logged in
    listed = admin.get(f"workspaces/{tenant.workspace.id}/invitations").json()
    assert listed[0]["status"] == "accepted" and listed[0]["accepted_at"]
    assert AuditEvent.objects.filter(action="invitation.accepted").count() == 1


def test_a_link_works_once(tenant: Tenant, admin: ApiClient) -> None:
    token = token_of(invite(admin, tenant, "new@example.com")["invite_url"])
    first = ApiClient(Client()).post(f"invitations/{token}/accept", {"password": NEW_PASSWORD})
    assert first.status_code == 200
    again = ApiClient(Client()).post(f"invitations/{token}/accept", {"password": "other-pass-42"})
    assert again.status_code == 410
    error = again.json()["error"]
    assert error["code"] == "invitation_invalid"
    assert "ask your admin for a new invitation" in error["message"].lower()
    assert ApiClient(Client()).get(f"invitations/{token}").status_code == 410
    assert User.objects.get(email="new@example.com").check_password(NEW_PASSWORD)


def test_an_expired_link_is_refused(tenant: Tenant, admin: ApiClient) -> None:
    created = invite(admin, tenant, "new@example.com")
    Invitation.objects.filter(id=created["id"]).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    token = token_of(created["invite_url"])
    response = ApiClient(Client()).post(f"invitations/{token}/accept", {"password": NEW_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="new@example.com").exists()
    listed = admin.get(f"workspaces/{tenant.workspace.id}/invitations").json()
    assert listed[0]["status"] == "expired"


def test_a_revoked_link_is_refused(tenant: Tenant, admin: ApiClient) -> None:
    created = invite(admin, tenant, "new@example.com")
    path = f"workspaces/{tenant.workspace.id}/invitations/{created['id']}"
    assert admin.delete(path).status_code == 204
    token = token_of(created["invite_url"])
    response = ApiClient(Client()).post(f"invitations/{token}/accept", {"password": NEW_PASSWORD})
    assert response.status_code == 410
    assert admin.get(f"workspaces/{tenant.workspace.id}/invitations").json()[0]["status"] == (
        "revoked"
    )
    assert admin.post(f"{path}/link").status_code == 409  # revoked: invite again instead
    assert AuditEvent.objects.filter(action="invitation.revoked").count() == 1


def test_reissuing_replaces_the_link(
    tenant: Tenant, admin: ApiClient, django_capture_on_commit_callbacks: Any
) -> None:
    created = invite(admin, tenant, "new@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        fresh = admin.post(f"workspaces/{tenant.workspace.id}/invitations/{created['id']}/link")
    assert fresh.status_code == 200
    new_url = fresh.json()["invite_url"]
    assert new_url != created["invite_url"] and fresh.json()["id"] == created["id"]
    assert new_url in mail.outbox[-1].body
    old = ApiClient(Client()).post(
        f"invitations/{token_of(created['invite_url'])}/accept", {"password": NEW_PASSWORD}
    )
    assert old.status_code == 410
    again = invite(admin, tenant, "new@example.com", "admin")  # inviting again re-issues too
    assert again["id"] == created["id"] and again["role"] == "admin"
    assert ApiClient(Client()).get(f"invitations/{token_of(new_url)}").status_code == 410
    assert Invitation.objects.count() == 1
    accepted = ApiClient(Client()).post(
        f"invitations/{token_of(again['invite_url'])}/accept", {"password": NEW_PASSWORD}
    )
    assert accepted.json()["workspaces"][0]["role"] == "admin"


def test_an_existing_person_accepts_logged_in_and_keeps_their_account(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    person = other_tenant.member.user
    before = (person.password, person.full_name, person.email_verified)
    token = token_of(invite(api_as(tenant.admin), tenant, person.email)["invite_url"])

    anonymous = ApiClient(Client())
    assert anonymous.get(f"invitations/{token}").json()["account_exists"] is True
    refused = anonymous.post(f"invitations/{token}/accept", {"password": "attacker-pass-99"})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "log_in_to_accept"
    assert f"log in as {person.email}" in refused.json()["error"]["message"]
    assert not Membership.objects.filter(workspace=tenant.workspace, user=person).exists()

    owner = api_as(other_tenant.member)
    assert owner.get(f"invitations/{token}").json()["signed_in_as"] == person.email
    accepted = owner.post(f"invitations/{token}/accept", {"password": "ignored-pass-99"})
    assert accepted.status_code == 200, accepted.content
    assert {w["workspace_slug"] for w in accepted.json()["workspaces"]} == {"acme", "globex"}
    person.refresh_from_db()
    assert (person.password, person.full_name, person.email_verified) == before


def test_an_existing_person_declines(tenant: Tenant, other_tenant: Tenant, api_as: Any) -> None:
    person = other_tenant.member.user
    token = token_of(invite(api_as(tenant.admin), tenant, person.email)["invite_url"])
    assert ApiClient(Client()).post(f"invitations/{token}/decline").status_code == 409
    assert api_as(other_tenant.member).post(f"invitations/{token}/decline").status_code == 204
    assert not Membership.objects.filter(workspace=tenant.workspace, user=person).exists()
    assert ApiClient(Client()).get(f"invitations/{token}").status_code == 410


def test_my_invitations_list_accept_and_decline(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    person = other_tenant.member.user
    first = invite(api_as(tenant.admin), tenant, person.email, "builder")
    me = api_as(other_tenant.member)
    mine = me.get("me/invitations").json()
    assert mine == [
        {
            "id": first["id"],
            "workspace_name": "Acme",
            "role": "builder",
            "invited_by_email": "admin@acme.test",
            "expires_at": mine[0]["expires_at"],
        }
    ]
    accepted = me.post(f"me/invitations/{first['id']}/accept")
    assert accepted.status_code == 200
    assert Membership.objects.get(workspace=tenant.workspace, user=person).role == "builder"
    assert me.get("me/invitations").json() == []
    assert me.post(f"me/invitations/{first['id']}/accept").status_code == 404  # used

    third = make_user("third@elsewhere.test")
    admin = api_as(tenant.admin)
    declined = invite(admin, tenant, third.email)
    third_client = ApiClient(Client())
    third_client.client.force_login(third)
    assert third_client.post(f"me/invitations/{declined['id']}/decline").status_code == 204
    assert admin.get(f"workspaces/{tenant.workspace.id}/invitations").json()[0]["status"] == (
        "revoked"
    )


def test_an_unverified_account_sees_no_invitations_to_its_address(
    tenant: Tenant, api_as: Any
) -> None:
    """An account that never proved its mailbox must not collect what is sent to it."""
    squatter = User.objects.create_user(email="ceo@example.com", password=PASSWORD)
    created = invite(api_as(tenant.admin), tenant, "ceo@example.com")
    client = ApiClient(Client())
    client.client.force_login(squatter)
    assert client.get("me/invitations").json() == []
    assert client.post(f"me/invitations/{created['id']}/accept").status_code == 404
    assert not Membership.objects.filter(user=squatter).exists()


def test_emails_go_to_the_file_backend_by_default(tmp_path: Any) -> None:
    from config.env import parse_email_url

    default = parse_email_url("", default_file_path=tmp_path)
    assert default.backend.endswith("filebased.EmailBackend")
    assert default.file_path == str(tmp_path)
    smtp = parse_email_url("smtp://me%40x.com:p%2Fss@mail.x.com:2525", default_file_path=tmp_path)
    assert (smtp.host, smtp.port, smtp.user, smtp.password) == (
        "mail.x.com",
        2525,
        "me@x.com",
        "p/ss",
    )
    assert smtp.use_tls and not smtp.use_ssl
    smtps = parse_email_url("smtps://u:p@mail.x.com", default_file_path=tmp_path)
    assert (smtps.port, smtps.use_ssl, smtps.use_tls) == (465, True, False)
    assert parse_email_url("console:", default_file_path=tmp_path).backend.endswith(
        "console.EmailBackend"
    )
    assert parse_email_url("file:///var/mail/x", default_file_path=tmp_path).file_path == (
        "/var/mail/x"
    )
    with pytest.raises(ValueError, match="unknown scheme"):
        parse_email_url("http://x", default_file_path=tmp_path)


def test_invitation_links_are_random(tenant: Tenant, admin: ApiClient) -> None:
    urls = {invite(admin, tenant, f"p{index}@example.com")["invite_url"] for index in range(5)}
    assert len(urls) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{40,}", token_of(url)) for url in urls)
