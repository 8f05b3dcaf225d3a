"""Managing one's conversations: rename, delete with everything stored of them, share by a
link that opens only for members who may open every cited source, and one's own feedback
returned with the answers."""

from __future__ import annotations

from typing import Any

import pytest

from agents import services
from agents.models import Citation, Conversation, ConversationShare, Feedback, Message
from audit.models import AuditEvent
from tests.agents.conftest import Knowledge, make_agent, new_conversation
from tests.factories import Tenant

pytestmark = pytest.mark.django_db


def ask(api: Any, tenant: Tenant, conversation_id: int, question: str) -> dict[str, Any]:
    response = api.post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation_id}/messages",
        {"agent": "hr", "content": question},
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_rename_and_delete_purge_every_row(
    tenant: Tenant, knowledge: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook])
    member = api_as(tenant.member)
    conversation = new_conversation(tenant.member)
    turn = ask(member, tenant, conversation.id, "How long do I have to file travel expenses?")
    thread = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    member.post(f"{thread}/messages/{turn['answer']['id']}/feedback", {"rating": "up"})
    member.post(f"{thread}/share")
    kept = new_conversation(tenant.member)
    ask(member, tenant, kept.id, "Expenses?")

    renamed = member.patch(thread, {"title": "  Travel expenses  "})
    assert renamed.status_code == 200 and renamed.json()["title"] == "Travel expenses"
    assert renamed.json()["shared"] is True
    assert member.patch(thread, {"title": "   "}).status_code == 422
    assert api_as(tenant.outsider).patch(thread, {"title": "Mine"}).status_code == 404
    assert api_as(tenant.outsider).delete(thread).status_code == 404
    assert Citation.objects.filter(message__conversation=conversation).exists()

    assert member.delete(thread).status_code == 204
    assert member.get(thread).status_code == 404
    assert not Conversation.objects.filter(id=conversation.id).exists()
    assert not Message.objects.filter(conversation_id=conversation.id).exists()
    assert not Citation.objects.filter(message__conversation_id=conversation.id).exists()
    assert not Citation.objects.filter(passage__contains="30 days").exclude(
        message__conversation=kept
    )
    assert not Feedback.objects.filter(message__conversation_id=conversation.id).exists()
    assert not ConversationShare.objects.filter(conversation_id=conversation.id).exists()
    # The other conversation keeps what it has.
    assert Citation.objects.filter(message__conversation=kept).exists()
    assert member.delete(thread).status_code == 404


def _share(api: Any, tenant: Tenant, conversation_id: int) -> str:
    response = api.post(f"workspaces/{tenant.workspace.id}/conversations/{conversation_id}/share")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["path"] == f"/shared/{body['token']}"
    return str(body["token"])


def test_a_shared_link_opens_only_for_members_who_may_open_every_cited_source(
    tenant: Tenant, other_tenant: Tenant, knowledge: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook])
    member = api_as(tenant.member)
    public = new_conversation(tenant.member)
    ask(member, tenant, public.id, "How long do I have to file travel expenses?")
    private = new_conversation(tenant.member)
    salary = ask(member, tenant, private.id, "When are salary bands reviewed?")
    assert any(c["title"] == "Salary bands" for c in salary["answer"]["citations"])

    open_token = _share(member, tenant, public.id)
    closed_token = _share(member, tenant, private.id)
    shared = f"workspaces/{tenant.workspace.id}/shared-conversations"
    assert not ConversationShare.objects.filter(token_hash=open_token).exists(), "hashed"

    # Every cited source is open to the outsider: the link works, read-only.
    opened = api_as(tenant.outsider).get(f"{shared}/{open_token}")
    assert opened.status_code == 200, opened.content
    body = opened.json()
    assert body["id"] == public.id and body["messages"][1]["citations"]
    assert all(m["feedback"] is None for m in body["messages"])
    assert api_as(tenant.outsider).post(f"{shared}/{open_token}").status_code == 405

    # Salary bands is member@'s alone: nobody else learns the conversation exists.
    assert member.get(f"{shared}/{closed_token}").status_code == 200
    for reader in (tenant.outsider, tenant.builder, tenant.admin):
        refused = api_as(reader).get(f"{shared}/{closed_token}")
        assert refused.status_code == 404, (reader, refused.content)
        assert "Salary" not in refused.content.decode()
    # Another workspace's member, with its own URL or this one's, and a visitor: 404 too.
    for path in (
        f"{shared}/{open_token}",
        f"workspaces/{other_tenant.workspace.id}/shared-conversations/{open_token}",
    ):
        assert api_as(other_tenant.admin).get(path).status_code == 404
    anonymous = api_as(None).get(f"{shared}/{open_token}")
    assert anonymous.status_code == 404 and "expenses" not in anonymous.content.decode()
    assert api_as(tenant.outsider).get(f"{shared}/not-a-token").status_code == 404

    # Revoking (or sharing anew) ends the old link; each is audited without the title.
    thread = f"workspaces/{tenant.workspace.id}/conversations/{public.id}"
    newer = _share(member, tenant, public.id)
    assert api_as(tenant.outsider).get(f"{shared}/{open_token}").status_code == 404
    assert member.delete(f"{thread}/share").status_code == 204
    assert api_as(tenant.outsider).get(f"{shared}/{newer}").status_code == 404
    assert member.get(thread).json()["shared"] is False
    actions = list(
        AuditEvent.objects.filter(workspace=tenant.workspace, action__startswith="conversation.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "conversation.shared",
        "conversation.shared",
        "conversation.shared",
        "conversation.share_revoked",
    ]


def test_a_shared_conversation_of_a_restricted_agent_stays_in_its_space(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    """Even with nothing cited, the thread used an agent of the restricted space."""
    make_agent(tenant.builder, "deals", [folders.finance])
    conversation = new_conversation(tenant.builder)
    services.post_message(
        actor=tenant.builder, conversation_id=conversation.id, agent_handle="deals", content="?"
    )
    token = _share(api_as(tenant.builder), tenant, conversation.id)
    path = f"workspaces/{tenant.workspace.id}/shared-conversations/{token}"
    assert api_as(tenant.member).get(path).status_code == 200  # in Finance through a group
    assert api_as(tenant.outsider).get(path).status_code == 404


def test_your_own_feedback_comes_back_with_the_answers(
    tenant: Tenant, knowledge: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "hr", [knowledge.handbook])
    member = api_as(tenant.member)
    conversation = new_conversation(tenant.member)
    turn = ask(member, tenant, conversation.id, "Expenses?")
    thread = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    assert all(m["feedback"] is None for m in member.get(thread).json()["messages"])
    member.post(
        f"{thread}/messages/{turn['answer']['id']}/feedback",
        {"rating": "down", "comment": "Too long."},
    )
    messages = member.get(thread).json()["messages"]
    assert messages[0]["feedback"] is None
    assert messages[1]["feedback"] == {
        "message_id": turn["answer"]["id"],
        "rating": "down",
        "comment": "Too long.",
    }
