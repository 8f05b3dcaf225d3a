"""A hostile tenant: the admin of workspace B (globex) goes after the accounts, memberships,
invitations, tokens and sessions of people outside B (acme's). Nothing of theirs changes and
B gains nothing until the person themselves accepts."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from audit.models import AuditEvent
from tests.factories import PASSWORD, ApiClient, Tenant
from workspaces.models import ApiToken, Invitation, Membership
from workspaces.services import create_api_token, create_invitation

ATTACKER_PASSWORD = "chosen-by-the-attacker-1"
OWN_PASSWORD = "only-the-owner-knows-2"


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def account_state(email: str) -> tuple[Any, ...]:
    user = User.objects.get(email=email)
    return (
        user.password,
        user.full_name,
        user.email_verified,
        user.email_verified_by_invitation,
        user.is_active,
        user.is_operator,
    )


def logged_in(email: str, password: str) -> ApiClient:
    api = ApiClient(Client())
    response = api.post("auth/login", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return api


@pytest.mark.parametrize("role", ["member", "builder", "admin"])
def test_inviting_someone_elses_member_changes_nothing_of_theirs(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, role: str
) -> None:
    victim = tenant.member.user
    before = account_state(victim.email)
    session = logged_in(victim.email, PASSWORD)
    attacker = api_as(other_tenant.admin)
    path = f"workspaces/{other_tenant.workspace.id}/invitations"
    created = attacker.post(path, {"email": victim.email, "role": role})
    assert created.status_code == 201
    # Every way of leaning on it: re-inviting, re-issuing, revoking, a password in the body.
    attacker.post(path, {"email": victim.email, "role": role})
    attacker.post(f"{path}/{created.json()['id']}/link")
    attacker.post(path, {"email": victim.email, "password": ATTACKER_PASSWORD})
    attacker.delete(f"{path}/{created.json()['id']}")
    assert account_state(victim.email) == before
    assert not Membership.objects.filter(workspace=other_tenant.workspace, user=victim).exists()
    assert session.get("me").status_code == 200  # their session lives on
    logged_in(victim.email, PASSWORD)


def test_inviting_an_address_without_an_account_creates_none(
    other_tenant: Tenant, api_as: Any
) -> None:
    response = api_as(other_tenant.admin).post(
        f"workspaces/{other_tenant.workspace.id}/invitations", {"email": "x@acme.test"}
    )
    assert response.status_code == 201
    assert not User.objects.filter(email="x@acme.test").exists()


def test_a_prepared_account_cannot_reach_another_tenant(
    tenant: Tenant,
    other_tenant: Tenant,
    api_as: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """B invites x@acme.test and opens its own copy of the link to give x a password B knows.
    Later acme invites x. B, logged in as x, must not get into acme, and x ends up with only
    the password x set."""
    prepared = api_as(other_tenant.admin).post(
        f"workspaces/{other_tenant.workspace.id}/invitations", {"email": "x@acme.test"}
    )
    attacker = ApiClient(Client())
    made = attacker.post(
        f"invitations/{token_of(prepared.json()['invite_url'])}/accept",
        {"password": ATTACKER_PASSWORD, "full_name": "Not X"},
    )
    assert made.status_code == 200  # B's own workspace now holds an account B made up

    with django_capture_on_commit_callbacks(execute=True):
        acme_invitation, _ = create_invitation(
            actor=tenant.admin, email="x@acme.test", role="member"
        )
    [acme_email] = mail.outbox
    acme_link = re.search(r"https?://\S+/invite/(\S+)", acme_email.body)
    assert acme_link is not None

    # As x, B sees nothing of acme and cannot accept without acme's emailed link.
    assert attacker.get("me/invitations").json() == []
    assert attacker.post(f"me/invitations/{acme_invitation.id}/accept").status_code == 404
    assert not Membership.objects.filter(workspace=tenant.workspace).filter(
        user__email="x@acme.test"
    )

    # The real x: the link says log in; x proves the mailbox with a reset and sets a password.
    real_x = ApiClient(Client())
    refused = real_x.post(f"invitations/{acme_link.group(1)}/accept", {"password": OWN_PASSWORD})
    assert refused.json()["error"]["code"] == "log_in_to_accept"
    with django_capture_on_commit_callbacks(execute=True):
        assert real_x.post("auth/password-reset", {"email": "x@acme.test"}).status_code == 202
    reset = re.search(r"/reset-password/(\S+)/(\S+)", mail.outbox[-1].body)
    assert reset is not None
    confirmed = real_x.post(
        "auth/password-reset/confirm",
        {"uid": reset.group(1), "token": reset.group(2), "new_password": OWN_PASSWORD},
    )
    assert confirmed.status_code == 204
    assert attacker.get("me").status_code == 401  # B's session as x ended
    failed = ApiClient(Client()).post(
        "auth/login", {"email": "x@acme.test", "password": ATTACKER_PASSWORD}
    )
    assert failed.status_code == 401

    x = logged_in("x@acme.test", OWN_PASSWORD)
    joined = x.post(f"invitations/{acme_link.group(1)}/accept")
    assert joined.status_code == 200, joined.content
    user = User.objects.get(email="x@acme.test")
    assert user.check_password(OWN_PASSWORD)
    assert Membership.objects.filter(workspace=tenant.workspace, user=user).exists()


def test_someone_elses_invitation_link_is_refused_to_a_logged_in_admin(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    invitation, url = create_invitation(actor=tenant.admin, email="new@acme.test", role="admin")
    token = token_of(url)
    attacker = api_as(other_tenant.admin)
    for action, body in [("accept", {"password": ATTACKER_PASSWORD}), ("decline", {})]:
        response = attacker.post(f"invitations/{token}/{action}", body)
        assert response.status_code == 403
        error = response.json()["error"]
        assert error["code"] == "invitation_for_someone_else"
        assert "new@acme.test" in error["message"]
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not User.objects.filter(email="new@acme.test").exists()
    # A token of an existing person, held by someone else, is refused the same way.
    _, member_url = create_invitation(
        actor=other_tenant.admin, email=tenant.member.user.email, role="member"
    )
    other = api_as(tenant.builder).post(f"invitations/{token_of(member_url)}/accept")
    assert other.status_code == 403
    assert not Membership.objects.filter(
        workspace=other_tenant.workspace, user=tenant.member.user
    ).exists()


def idor_attempts(victim: Tenant, attacker: Tenant) -> list[tuple[str, str, Any]]:
    """B's admin, in B's own URLs, naming A's objects by id."""
    invitation, _ = create_invitation(actor=victim.admin, email="new@acme.test", role="member")
    token, _ = create_api_token(actor=victim.member, name="victim's")
    group = attacker.admin.workspace.groups.first()
    assert group is not None
    base = f"workspaces/{attacker.workspace.id}"
    return [
        ("DELETE", f"{base}/invitations/{invitation.id}", None),
        ("POST", f"{base}/invitations/{invitation.id}/link", None),
        ("PATCH", f"{base}/members/{victim.member.id}", {"role": "admin"}),
        ("DELETE", f"{base}/members/{victim.member.id}", None),
        ("DELETE", f"{base}/api-tokens/{token.id}", None),
        ("POST", f"{base}/groups/{group.id}/members", {"membership_id": victim.member.id}),
        (
            "POST",
            f"{base}/spaces/{attacker.restricted_space.id}/grants",
            {"membership_id": victim.member.id},
        ),
        ("POST", f"me/invitations/{invitation.id}/accept", None),
        ("POST", f"me/invitations/{invitation.id}/decline", None),
    ]


IDOR_COUNT = 9


@pytest.mark.parametrize("index", range(IDOR_COUNT))
def test_naming_another_tenants_objects_by_id_finds_nothing(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, index: int
) -> None:
    attempts = idor_attempts(tenant, other_tenant)
    assert len(attempts) == IDOR_COUNT
    method, path, body = attempts[index]
    before = (
        list(Invitation.objects.order_by("id").values_list()),
        list(Membership.objects.order_by("id").values_list()),
        list(ApiToken.objects.order_by("id").values_list("id", "revoked_at")),
        AuditEvent.objects.filter(workspace=tenant.workspace).count(),
    )
    response = api_as(other_tenant.admin).request(method, path, body)
    assert response.status_code == 404, response.content
    after = (
        list(Invitation.objects.order_by("id").values_list()),
        list(Membership.objects.order_by("id").values_list()),
        list(ApiToken.objects.order_by("id").values_list("id", "revoked_at")),
        AuditEvent.objects.filter(workspace=tenant.workspace).count(),
    )
    assert after == before


def test_another_tenants_invitations_and_links_are_never_listed(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    create_invitation(actor=tenant.admin, email="new@acme.test", role="member")
    attacker = api_as(other_tenant.admin)
    assert attacker.get(f"workspaces/{other_tenant.workspace.id}/invitations").json() == []
    assert attacker.get(f"workspaces/{tenant.workspace.id}/invitations").status_code == 404
    assert attacker.get("me/invitations").json() == []


def test_an_api_token_cannot_join_workspaces_or_change_the_password(
    tenant: Tenant, other_tenant: Tenant, api_with_token: Any
) -> None:
    """A token of B's admin acts inside B only: it cannot take its person into other
    workspaces, nor change the account."""
    invitation, _ = create_invitation(
        actor=tenant.admin, email=other_tenant.admin.user.email, role="admin"
    )
    program = api_with_token(other_tenant.admin)
    assert program.get("me/invitations").status_code == 403
    assert program.post(f"me/invitations/{invitation.id}/accept").status_code == 403
    assert (
        program.post(
            "auth/password", {"current_password": PASSWORD, "new_password": OWN_PASSWORD}
        ).status_code
        == 403
    )
    assert not Membership.objects.filter(
        workspace=tenant.workspace, user=other_tenant.admin.user
    ).exists()


def test_a_reset_request_for_someone_else_tells_and_gives_nothing(
    tenant: Tenant, django_capture_on_commit_callbacks: Any
) -> None:
    before = account_state("member@acme.test")
    with django_capture_on_commit_callbacks(execute=True):
        response = ApiClient(Client()).post("auth/password-reset", {"email": "member@acme.test"})
    assert (response.status_code, response.json()) == (202, {})
    assert [m.to for m in mail.outbox] == [["member@acme.test"]]  # only to the mailbox
    assert account_state("member@acme.test") == before
    logged_in("member@acme.test", PASSWORD)


def test_removing_a_shared_member_from_b_leaves_their_account_and_a(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    """A person in both workspaces: B's admin can remove them from B, nothing more."""
    person = tenant.member
    _, url = create_invitation(actor=other_tenant.admin, email=person.user.email, role="member")
    api_as(person).post(f"invitations/{token_of(url)}/accept")
    in_b = Membership.objects.get(workspace=other_tenant.workspace, user=person.user)
    before = account_state(person.user.email)
    session = logged_in(person.user.email, PASSWORD)
    removed = api_as(other_tenant.admin).delete(
        f"workspaces/{other_tenant.workspace.id}/members/{in_b.id}"
    )
    assert removed.status_code == 204
    assert account_state(person.user.email) == before
    assert Membership.objects.filter(id=person.id).exists()
    assert session.get("me").status_code == 200
