"""Editing a published agent edits a draft: members, conversations and the Slack bot keep the
published version until Publish applies the changes. Versions can be compared and a past one
restored as a new draft."""

from __future__ import annotations

from typing import Any

import pytest

from agents import services
from agents.models import Agent, AgentVersion
from audit.models import AuditEvent
from tests.agents.conftest import Knowledge, make_agent, new_conversation
from tests.factories import Tenant

pytestmark = pytest.mark.django_db


def test_edits_of_a_published_agent_wait_in_a_draft_until_published(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])  # versions 1 and 2
    base = f"workspaces/{tenant.workspace.id}/agents/{agent.id}"
    builder = api_as(tenant.builder)

    edited = builder.patch(
        base, {"instructions": "Be secret.", "view_ids": [folders.handbook.id, folders.finance.id]}
    )
    assert edited.status_code == 200, edited.content
    body = edited.json()
    assert body["has_unpublished_changes"] is True and body["version"] == 2
    assert body["instructions"] == "Answer briefly." and body["view_ids"] == [folders.handbook.id]
    assert body["draft"]["instructions"] == "Be secret."
    assert sorted(body["draft"]["view_ids"]) == sorted([folders.handbook.id, folders.finance.id])
    assert AgentVersion.objects.filter(agent=agent).count() == 2

    # Everyone else still meets the published agent, and it still answers as published.
    seen = api_as(tenant.outsider).get(base).json()
    assert seen["instructions"] == "Answer briefly." and seen["draft"] is None
    assert seen["has_unpublished_changes"] is True
    conversation = new_conversation(tenant.outsider)
    answer = services.post_message(
        actor=tenant.outsider, conversation_id=conversation.id, agent_handle="hr", content="?"
    )
    assert answer.agent_version is not None and answer.agent_version.number == 2
    assert answer.agent_version.snapshot["instructions"] == "Answer briefly."

    # Editing again adds to the same draft; publishing applies it as a new version.
    builder.patch(base, {"temperature": 0.5})
    published = builder.post(f"{base}/publish").json()
    assert published["version"] == 3 and published["has_unpublished_changes"] is False
    assert published["instructions"] == "Be secret." and published["temperature"] == 0.5
    assert published["draft"] is None
    # The published views now include the restricted space: the outsider loses the agent.
    assert api_as(tenant.outsider).get(base).status_code == 404
    actions = list(
        AuditEvent.objects.filter(target_type="agent", target_id=str(agent.id))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "agent.created",
        "agent.published",
        "agent.draft_saved",
        "agent.draft_saved",
        "agent.published",
    ]


def test_an_edit_back_to_the_published_settings_leaves_no_draft(
    tenant: Tenant, folders: Knowledge
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Other.")
    assert Agent.objects.get(id=agent.id).draft is not None
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Answer briefly.")
    assert Agent.objects.get(id=agent.id).draft is None


def test_diff_of_two_versions_side_by_side(tenant: Tenant, folders: Knowledge, api_as: Any) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    services.update_agent(
        actor=tenant.builder,
        agent_id=agent.id,
        instructions="Answer briefly.\nCite sources.",
        model_id="openai:gpt-4o-mini",
        tools=["search", "recent_documents"],
        view_ids=[folders.handbook.id, folders.finance.id],
    )
    services.publish_agent(actor=tenant.builder, agent_id=agent.id)  # version 3
    base = f"workspaces/{tenant.workspace.id}/agents/{agent.id}/versions"
    diff = api_as(tenant.builder).get(f"{base}/diff?from=1&to=3")
    assert diff.status_code == 200, diff.content
    body = diff.json()
    assert (body["from_version"], body["to_version"]) == (1, 3)
    assert body["instructions"] == [
        {"kind": "same", "before": "Answer briefly.", "after": "Answer briefly."},
        {"kind": "added", "before": None, "after": "Cite sources."},
    ]
    fields = {f["field"]: f for f in body["fields"]}
    assert fields["model_id"] == {
        "field": "model_id",
        "before": "",
        "after": "openai:gpt-4o-mini",
        "changed": True,
    }
    assert fields["tools"]["after"] == ["recent_documents", "search"] and fields["tools"]["changed"]
    assert fields["views"]["before"] == ["Handbook (Company)"]
    assert fields["views"]["after"] == ["Finance docs (Finance)", "Handbook (Company)"]
    assert not fields["temperature"]["changed"] and not fields["visibility"]["changed"]

    missing = api_as(tenant.builder).get(f"{base}/diff?from=1&to=9")
    assert missing.status_code == 404 and "no version 9" in missing.json()["error"]["message"]
    assert api_as(tenant.builder).get(f"{base}/diff?from=1").status_code == 422
    assert api_as(tenant.member).get(f"{base}/diff?from=1&to=3").status_code == 403


def test_restore_a_version_as_a_new_draft(tenant: Tenant, folders: Knowledge, api_as: Any) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Newer.")
    services.publish_agent(actor=tenant.builder, agent_id=agent.id)  # version 3: "Newer."
    base = f"workspaces/{tenant.workspace.id}/agents/{agent.id}"
    builder = api_as(tenant.builder)

    restored = builder.post(f"{base}/versions/1/restore")
    assert restored.status_code == 200, restored.content
    body = restored.json()
    assert body["instructions"] == "Newer." and body["version"] == 3
    assert body["has_unpublished_changes"] and body["draft"]["instructions"] == "Answer briefly."
    assert builder.post(f"{base}/publish").json()["instructions"] == "Answer briefly."
    assert builder.post(f"{base}/versions/42/restore").status_code == 404
    assert api_as(tenant.member).post(f"{base}/versions/1/restore").status_code == 403


def test_restoring_an_unpublished_agent_saves_a_new_version(
    tenant: Tenant, folders: Knowledge
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook], publish=False)
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Second.")
    restored = services.restore_agent_version(actor=tenant.builder, agent_id=agent.id, number=1)
    assert restored.version == 3 and restored.instructions == "Answer briefly."
    assert restored.draft is None
