"""`active: false` (and DELETE) end a person's access in the same request: the web app and
the API answer 404 for the workspace, their API tokens of it are revoked, their sessions end
when it was their only workspace, the Slack bot no longer answers them, and an answer already
streaming to them stops. Nothing of theirs is deleted, and reactivation restores access."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from agents.models import Conversation, Message
from agents.slack.bot import answer_slack_event
from tests.agents.conftest import make_agent, new_conversation
from tests.agents.test_slack_bot import SlackSetup, direct_message, slack  # noqa: F401
from tests.factories import ApiClient, Tenant, make_member
from tests.scim.conftest import USER_SCHEMA, ScimClient
from workspaces.models import ApiToken, Membership
from workspaces.services import create_api_token

pytestmark = pytest.mark.django_db


def link(scim: ScimClient, membership: Membership) -> str:
    """Provision an existing member (as an IdP's first sync does); returns their SCIM id."""
    response = scim.post(
        "Users",
        {"schemas": [USER_SCHEMA], "userName": membership.user.email, "active": True},
    )
    assert response.status_code == 201, response.content
    return str(response.json()["id"])


def deactivate(scim: ScimClient, scim_id: str) -> None:
    response = scim.patch(f"Users/{scim_id}", {"op": "Replace", "path": "active", "value": "False"})
    assert response.status_code == 200, response.content


def logged_in(membership: Membership) -> ApiClient:
    client = Client()
    client.force_login(membership.user)
    return ApiClient(client)


def test_deactivation_ends_web_api_and_token_access_at_once(
    scim: ScimClient, tenant: Tenant
) -> None:
    person = tenant.member
    conversation = new_conversation(person)
    _, secret = create_api_token(actor=person, name="script")
    program = ApiClient(Client(), {"Authorization": f"Bearer {secret}"})
    browser = logged_in(person)
    workspace_path = f"workspaces/{tenant.workspace.id}/conversations"
    assert program.get(workspace_path).status_code == 200
    assert browser.get(workspace_path).status_code == 200
    scim_id = link(scim, person)

    deactivate(scim, scim_id)

    assert program.get(workspace_path).status_code == 401
    assert ApiToken.objects.get(membership=person).revoked_at is not None
    assert browser.get(workspace_path).status_code in {401, 403}
    assert not [
        s
        for s in Session.objects.all()
        if s.get_decoded().get("_auth_user_id") == str(person.user_id)
    ], "the only workspace's person has no session left"
    # A fresh login (they still own their account) does not reach the workspace either.
    again = logged_in(person)
    assert again.get(workspace_path).status_code == 404
    assert again.get("workspaces").json() == []
    # Admins see them as deactivated on the members list.
    listed = logged_in(tenant.admin).get(f"workspaces/{tenant.workspace.id}/members").json()
    assert next(m for m in listed if m["id"] == person.id)["deactivated_at"] is not None
    # Their conversation is kept for a reactivation.
    assert Conversation.objects.filter(id=conversation.id).exists()

    reactivated = scim.patch(f"Users/{scim_id}", {"op": "replace", "value": {"active": True}})
    assert reactivated.json()["active"] is True
    assert again.get(workspace_path).status_code == 200
    assert [c["id"] for c in again.get(workspace_path).json()] == [conversation.id]


def test_a_person_of_another_workspace_keeps_their_session_there(
    scim: ScimClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    person = make_member(other_tenant.workspace, tenant.member.user.email)
    browser = logged_in(tenant.member)
    deactivate(scim, link(scim, tenant.member))
    assert browser.get(f"workspaces/{tenant.workspace.id}/conversations").status_code == 404
    assert browser.get(f"workspaces/{other_tenant.workspace.id}/conversations").status_code == 200
    assert Membership.objects.get(id=person.id).deactivated_at is None


def test_delete_ends_access_like_deactivation(scim: ScimClient, tenant: Tenant) -> None:
    browser = logged_in(tenant.builder)
    scim_id = link(scim, tenant.builder)
    assert scim.delete(f"Users/{scim_id}").status_code == 204
    assert (
        logged_in(tenant.builder).get(f"workspaces/{tenant.workspace.id}/agents").status_code == 404
    )
    assert browser.get(f"workspaces/{tenant.workspace.id}/agents").status_code in {401, 403}
    query = quote(f'userName eq "{tenant.builder.user.email}"')
    assert scim.get(f"Users?filter={query}").json()["totalResults"] == 0


def test_the_last_active_admin_is_not_deactivated(scim: ScimClient, tenant: Tenant) -> None:
    scim_id = link(scim, tenant.admin)
    response = scim.patch(f"Users/{scim_id}", {"op": "replace", "value": {"active": False}})
    assert response.status_code == 409
    assert Membership.objects.get(id=tenant.admin.id).deactivated_at is None


def test_a_deactivated_persons_slack_question_is_refused(
    slack: SlackSetup,  # noqa: F811
    tenant: Tenant,
) -> None:
    scim = ScimClient(_token(tenant))
    before = answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook on-call?")
    )
    assert before is not None
    deactivate(scim, link(scim, slack.asker))
    messages = Message.objects.count()
    after = answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook on-call?")
    )
    assert after is None, "the bot no longer maps them to a member"
    assert Message.objects.count() == messages


def _token(tenant: Tenant) -> str:
    from scim.services import create_scim_token

    return create_scim_token(actor=tenant.admin, name="Entra")[1]


def test_an_open_answer_stream_stops_when_the_person_is_deactivated(
    scim: ScimClient, tenant: Tenant, knowledge: Any
) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook])
    scim_id = link(scim, tenant.member)
    conversation = new_conversation(tenant.member)
    response = logged_in(tenant.member).post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}/messages/stream",
        {"agent": "hr", "content": "How long do I have to file travel expenses?"},
    )
    assert response.status_code == 200
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"event: message")

    deactivate(scim, scim_id)

    rest = b"".join(chunks).decode()
    assert rest.startswith("event: error") and "membership_ended" in rest
    assert "event: token" not in rest and "event: done" not in rest
