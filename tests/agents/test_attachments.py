"""Files attached to a conversation: uploaded through the API, read by the parse sandbox,
searched for that conversation only, cited in its answers, and gone with it."""

from __future__ import annotations

from typing import Any

import pytest

from agents.models import (
    Attachment,
    AttachmentChunk,
    AttachmentPart,
    AttachmentStatus,
    Citation,
    Conversation,
)
from agents.services.attachments import parse_attachment
from agents.services.conversations import delete_conversations_of, purge_conversations
from tests.agents.conftest import Knowledge, make_agent, new_conversation
from tests.factories import Multipart, Tenant

PARKING = (
    b"# Parking rules\n\nVisitors park on level minus two of the garage. Ask reception for a "
    b"day pass before noon.\n"
)


def attachments_path(tenant: Tenant, conversation_id: int) -> str:
    return f"workspaces/{tenant.workspace.id}/conversations/{conversation_id}/attachments"


def attach(api: Any, tenant: Tenant, conversation_id: int, files: dict[str, bytes]) -> Any:
    return api.post(attachments_path(tenant, conversation_id), Multipart(files))


def attach_and_read(api: Any, tenant: Tenant, conversation_id: int, name: str, data: bytes) -> int:
    response = attach(api, tenant, conversation_id, {name: data})
    assert response.status_code == 201, response.content
    (item,) = response.json()["files"]
    assert item["status"] == "queued"
    parse_attachment(attachment_id=item["id"])  # what the worker runs
    return int(item["id"])


def ask(api: Any, tenant: Tenant, conversation_id: int, handle: str, question: str) -> Any:
    response = api.post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation_id}/messages",
        {"agent": handle, "content": question},
    )
    assert response.status_code == 201, response.content
    return response.json()["answer"]


@pytest.mark.django_db
def test_an_attached_file_is_read_listed_and_cited_in_the_answer(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "helper", [folders.handbook])
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attachment_id = attach_and_read(api, tenant, conversation.id, "parking.md", PARKING)

    listed = api.get(attachments_path(tenant, conversation.id)).json()
    assert [(item["id"], item["status"], item["filename"]) for item in listed] == [
        (attachment_id, "ready", "parking.md")
    ]
    assert listed[0]["chunk_count"] >= 1
    # The bytes are gone once read; the passages stay.
    assert not AttachmentPart.objects.filter(attachment_id=attachment_id).exists()

    answer = ask(api, tenant, conversation.id, "helper", "Where do visitors park?")
    assert "level minus two" in answer["content"]
    cited = [c for c in answer["citations"] if c["attachment_id"] == attachment_id]
    assert cited and cited[0]["state"] == "available"
    assert cited[0]["document_id"] is None
    assert "level minus two" in cited[0]["passage"]

    opened = api.get(f"{attachments_path(tenant, conversation.id)}/{attachment_id}").json()
    assert "Visitors park on level minus two" in opened["text"]
    # Read again later, the citation still opens for its owner.
    again = api.get(f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}").json()
    stored = again["messages"][-1]["citations"]
    assert any(c["attachment_id"] == attachment_id and c["passage"] for c in stored)


@pytest.mark.django_db
def test_passages_stay_in_their_conversation_and_out_of_search(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "helper", [folders.handbook])
    mine = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attach_and_read(api, tenant, mine.id, "parking.md", PARKING)

    # Another conversation of the same person does not see the file.
    other = new_conversation(tenant.member)
    answer = ask(api, tenant, other.id, "helper", "Where do visitors park in the garage?")
    assert "level minus two" not in answer["content"]
    assert all(c["attachment_id"] is None for c in answer["citations"])
    # Nor does the workspace's search, for anyone.
    for person in (tenant.member, tenant.admin):
        hits = api_as(person).get(
            f"workspaces/{tenant.workspace.id}/search?query=visitors+park+garage"
        )
        assert hits.status_code == 200
        assert "level minus two" not in hits.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "another member", "another workspace"])
def test_nobody_else_reaches_a_conversations_attachments(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, who: str
) -> None:
    conversation = new_conversation(tenant.member)
    attachment_id = attach_and_read(api_as(tenant.member), tenant, conversation.id, "p.md", PARKING)
    stranger = {
        "admin": tenant.admin,
        "another member": tenant.outsider,
        "another workspace": other_tenant.admin,
    }[who]
    api = api_as(stranger)
    # The other workspace's admin asks under the tenant's workspace id, and under their own.
    for workspace in {tenant.workspace.id, stranger.workspace_id}:
        base = f"workspaces/{workspace}/conversations/{conversation.id}/attachments"
        responses = [
            api.post(base, Multipart({"x.md": b"# hi"})),
            api.get(base),
            api.get(f"{base}/{attachment_id}"),
            api.delete(f"{base}/{attachment_id}"),
        ]
        assert [r.status_code for r in responses] == [404] * 4
        assert all("level minus two" not in r.content.decode() for r in responses)
    assert Attachment.objects.filter(conversation=conversation).count() == 1


@pytest.mark.django_db
def test_too_many_attachments_are_400_and_a_too_large_file_413(
    tenant: Tenant, api_as: Any, settings: Any
) -> None:
    settings.MAX_ATTACHMENTS_PER_CONVERSATION = 2
    settings.MAX_UPLOAD_BYTES = 1000
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    assert attach(api, tenant, conversation.id, {"a.md": b"# a"}).status_code == 201

    response = attach(api, tenant, conversation.id, {"b.md": b"# b", "c.md": b"# c"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_attachments"

    response = attach(api, tenant, conversation.id, {"big.md": b"x" * 5000})
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "file_too_large" and "big.md" in error["message"]
    assert Attachment.objects.filter(conversation=conversation).count() == 1

    response = attach(api, tenant, conversation.id, {"tool.exe": b"MZ"})
    assert response.status_code == 201
    (item,) = response.json()["files"]
    assert item["status"] == "failed" and item["error_code"] and item["error_message"]


@pytest.mark.django_db
def test_a_malformed_file_fails_with_its_reason(tenant: Tenant, api_as: Any) -> None:
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attachment_id = attach_and_read(api, tenant, conversation.id, "broken.pdf", b"%PDF-1.4 no")
    attachment = Attachment.objects.get(id=attachment_id)
    assert attachment.status == AttachmentStatus.FAILED
    assert attachment.error_code and attachment.error_message
    assert not AttachmentChunk.objects.filter(attachment=attachment).exists()
    assert not AttachmentPart.objects.filter(attachment=attachment).exists()
    listed = api.get(attachments_path(tenant, conversation.id)).json()
    assert listed[0]["status"] == "failed" and listed[0]["error_message"]


@pytest.mark.django_db
def test_removing_an_attachment_takes_its_passages_out_of_old_answers(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    make_agent(tenant.builder, "helper", [folders.handbook])
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attachment_id = attach_and_read(api, tenant, conversation.id, "parking.md", PARKING)
    ask(api, tenant, conversation.id, "helper", "Where do visitors park?")
    assert Citation.objects.filter(attachment_id=attachment_id).exists()

    response = api.delete(f"{attachments_path(tenant, conversation.id)}/{attachment_id}")
    assert response.status_code == 204
    assert not Attachment.objects.filter(id=attachment_id).exists()
    assert not AttachmentChunk.objects.filter(attachment_id=attachment_id).exists()
    citation = Citation.objects.get(message__conversation=conversation, number=1)
    assert citation.purged_at is not None and citation.passage == ""
    shown = api.get(f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}").json()
    answer = shown["messages"][-1]
    assert answer["sources_changed"] is True
    assert [c["state"] for c in answer["citations"]] == ["unavailable"]


def _attachment_rows(conversation_id: int) -> int:
    return (
        Attachment.objects.filter(conversation_id=conversation_id).count()
        + AttachmentChunk.objects.filter(conversation_id=conversation_id).count()
        + AttachmentPart.objects.filter(attachment__conversation_id=conversation_id).count()
    )


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["conversation deleted", "erasure", "retention"])
def test_attachments_go_with_their_conversation(
    tenant: Tenant, api_as: Any, how: str, settings: Any
) -> None:
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attach_and_read(api, tenant, conversation.id, "parking.md", PARKING)
    attach(api, tenant, conversation.id, {"queued.md": b"# still queued"})  # bytes kept
    assert AttachmentPart.objects.filter(attachment__conversation=conversation).exists()
    assert AttachmentChunk.objects.filter(conversation=conversation).exists()

    if how == "conversation deleted":
        Conversation.objects.filter(id=conversation.id).delete()
    elif how == "erasure":
        delete_conversations_of(actor=tenant.admin, membership_id=tenant.member.id)
    else:
        from django.utils import timezone

        purge_conversations(
            workspace_id=tenant.workspace.id, inactive_since=timezone.now(), limit=100
        )
    assert not Conversation.objects.filter(id=conversation.id).exists()
    assert _attachment_rows(conversation.id) == 0


def test_only_the_attachment_route_takes_multipart_besides_uploads() -> None:
    from common.body_limit import is_upload_path

    assert is_upload_path("/api/v1/workspaces/1/conversations/2/attachments")
    assert is_upload_path("/api/v1/workspaces/1/data-sources/2/files")
    assert not is_upload_path("/api/v1/workspaces/1/conversations/2/messages")
    assert not is_upload_path("/api/v1/workspaces/1/conversations/2/attachments/3")
    assert not is_upload_path("/api/v1/workspaces/1/conversations/x/attachments")


@pytest.mark.django_db
def test_an_attachment_whose_parse_task_was_lost_is_found_by_the_sweep(
    tenant: Tenant, api_as: Any
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from agents.services.attachments import stale_attachment_ids

    conversation = new_conversation(tenant.member)
    response = attach(api_as(tenant.member), tenant, conversation.id, {"late.md": b"# Late"})
    (item,) = response.json()["files"]
    assert stale_attachment_ids() == []  # just arrived: its task may still be on its way
    Attachment.objects.filter(id=item["id"]).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    assert stale_attachment_ids() == [item["id"]]
    parse_attachment(attachment_id=item["id"])
    assert stale_attachment_ids() == []


@pytest.mark.django_db
def test_a_model_searches_the_attached_files_with_their_own_tool_and_cites_them(
    tenant: Tenant, folders: Knowledge, api_as: Any, fake_openai: Any
) -> None:
    from tests.agents.conftest import FAKE_MODEL, use_fake_model
    from tests.fakes.openai.server import Reply, ToolCall

    use_fake_model(tenant, fake_openai)
    make_agent(tenant.builder, "helper", [folders.handbook], model_id=FAKE_MODEL)
    conversation = new_conversation(tenant.member)
    api = api_as(tenant.member)
    attachment_id = attach_and_read(api, tenant, conversation.id, "parking.md", PARKING)
    fake_openai.queue(
        Reply(tool_calls=(ToolCall("search_attached_files", {"query": "visitor parking"}),)),
        Reply(content="On level minus two [1]."),
    )
    answer = ask(api, tenant, conversation.id, "helper", "Where do visitors park?")
    assert answer["status"] == "complete" and answer["used_model"] is True
    (citation,) = answer["citations"]
    assert citation["attachment_id"] == attachment_id and "level minus two" in citation["passage"]
    first, second = fake_openai.requests
    offered = [tool["function"]["name"] for tool in first["tools"]]
    assert offered == ["search", "search_attached_files"]
    assert "attached files" in first["messages"][0]["content"]
    shown = next(m for m in second["messages"] if m["role"] == "tool")["content"]
    assert "level minus two" in shown
