"""Building agents: versions, audit, who may edit, and who may see or call them."""

from __future__ import annotations

from typing import Any

import pytest

from agents.models import AgentVersion, ModelProviderCredential
from audit.models import AuditEvent
from tests.agents.conftest import Knowledge, make_agent, new_conversation
from tests.factories import Tenant, make_member
from workspaces.models import Role

pytestmark = pytest.mark.django_db


def test_builder_creates_edits_and_publishes_with_a_version_per_save(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    builder = api_as(tenant.builder)
    base = f"workspaces/{tenant.workspace.id}/agents"
    created = builder.post(
        base,
        {"handle": "HR Bot", "name": "HR", "view_ids": [folders.handbook.id], "model_id": ""},
    )
    assert created.status_code == 201, created.json()
    agent = created.json()
    assert agent["handle"] == "hr-bot" and agent["status"] == "draft" and agent["version"] == 1
    assert agent["space_ids"] == [tenant.company_space.id] and agent["can_edit"]

    # A draft is the builder's alone; members see it once published.
    assert api_as(tenant.member).get(base).json() == []
    changed = builder.patch(f"{base}/{agent['id']}", {"instructions": "Be kind."})
    assert changed.json()["version"] == 2
    published = builder.post(f"{base}/{agent['id']}/publish")
    assert published.json()["status"] == "published" and published.json()["version"] == 3
    assert [a["handle"] for a in api_as(tenant.member).get(base).json()] == ["hr-bot"]

    versions = builder.get(f"{base}/{agent['id']}/versions").json()
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert versions[1]["snapshot"]["instructions"] == "Be kind."
    actions = list(
        AuditEvent.objects.filter(target_type="agent", target_id=str(agent["id"]))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["agent.created", "agent.updated", "agent.published"]


def test_a_conversation_records_the_version_that_answered(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    conversation = new_conversation(tenant.member)
    url = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}/messages"
    answer = api_as(tenant.member).post(url, {"agent": "hr", "content": "travel expenses?"})
    assert answer.json()["answer"]["agent_version"] == agent.version == 2
    assert AgentVersion.objects.filter(agent=agent).count() == 2


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("builder", 201), ("admin", 201)])
def test_only_builders_and_admins_create_agents(
    tenant: Tenant, api_as: Any, role: str, status: int
) -> None:
    response = api_as(tenant.by_role(role)).post(
        f"workspaces/{tenant.workspace.id}/agents", {"handle": f"bot-{role}", "name": "Bot"}
    )
    assert response.status_code == status


def test_a_builder_can_attach_only_views_of_spaces_they_belong_to(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    outside_builder = make_member(tenant.workspace, "b2@acme.test", Role.BUILDER)
    response = api_as(outside_builder).post(
        f"workspaces/{tenant.workspace.id}/agents",
        {"handle": "spy", "name": "Spy", "view_ids": [folders.finance.id]},
    )
    assert response.status_code == 404
    assert "spaces you do not belong to" in response.json()["error"]["message"]


def test_editors_and_admins_edit_other_builders_do_not(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    other_builder = make_member(tenant.workspace, "b2@acme.test", Role.BUILDER)
    url = f"workspaces/{tenant.workspace.id}/agents/{agent.id}"
    denied = api_as(other_builder).patch(url, {"name": "Mine now"})
    assert denied.status_code == 403 and "editors" in denied.json()["error"]["message"]
    assert api_as(tenant.admin).patch(url, {"name": "Renamed"}).status_code == 200
    added = api_as(tenant.builder).patch(url, {"editor_ids": [tenant.builder.id, other_builder.id]})
    assert added.status_code == 200
    # The agent is published: the new editor's change waits in its draft.
    edited = api_as(other_builder).patch(url, {"name": "Shared"}).json()
    assert edited["draft"]["name"] == "Shared" and edited["name"] == "Hr"


@pytest.mark.parametrize("transport", ["session", "token"])
def test_an_agent_over_a_restricted_space_is_invisible_and_uncallable_outside_it(
    tenant: Tenant,
    folders: Knowledge,
    api_as: Any,
    api_with_token: Any,
    transport: str,
) -> None:
    agent = make_agent(tenant.builder, "deals", [folders.finance])
    client = (api_as if transport == "session" else api_with_token)(tenant.outsider)
    base = f"workspaces/{tenant.workspace.id}"
    assert client.get(f"{base}/agents").json() == []
    assert client.get(f"{base}/agents/{agent.id}").status_code == 404
    assert client.get(f"{base}/agents/{agent.id}/versions").status_code == 404
    conversation = new_conversation(tenant.outsider)
    for path in ("messages", "messages/stream"):
        response = client.post(
            f"{base}/conversations/{conversation.id}/{path}",
            {"agent": "deals", "content": "When does the acquisition close?"},
        )
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert "Initech" not in response.content.decode()
    assert not conversation.messages.exists()
    # Inside the space it works: the member is in the finance group.
    member = api_as(tenant.member)
    assert [a["handle"] for a in member.get(f"{base}/agents").json()] == ["deals"]


def test_another_workspace_sees_nothing(
    tenant: Tenant, other_tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    agent = make_agent(tenant.builder, "hr", [folders.handbook])
    conversation = new_conversation(tenant.member)
    stranger = api_as(other_tenant.admin)
    theirs = f"workspaces/{other_tenant.workspace.id}"
    ours = f"workspaces/{tenant.workspace.id}"
    assert stranger.get(f"{theirs}/agents").json() == []
    assert stranger.get(f"{theirs}/agents/{agent.id}").status_code == 404
    assert stranger.get(f"{ours}/agents").status_code == 404
    assert stranger.get(f"{theirs}/conversations/{conversation.id}").status_code == 404
    other_conversation = new_conversation(other_tenant.admin)
    response = stranger.post(
        f"{theirs}/conversations/{other_conversation.id}/messages/stream",
        {"agent": "hr", "content": "expenses?"},
    )
    assert response.status_code == 404
    # Their admin cannot attach our views either.
    response = stranger.post(
        f"{theirs}/agents", {"handle": "x", "name": "X", "view_ids": [folders.handbook.id]}
    )
    assert response.status_code == 404


def test_admins_set_model_keys_encrypted_and_never_read_back(tenant: Tenant, api_as: Any) -> None:
    secret = "sk-live-abcdefghijklmnop1234"
    url = f"workspaces/{tenant.workspace.id}/model-credentials"
    assert (
        api_as(tenant.builder).request("PUT", f"{url}/openai", {"api_key": secret}).status_code
        == 403
    )
    saved = api_as(tenant.admin).request("PUT", f"{url}/openai", {"api_key": secret})
    assert saved.status_code == 200
    assert saved.json()["key_hint"] == "1234" and saved.json()["has_key"]
    listed = api_as(tenant.admin).get(url)
    assert secret not in saved.content.decode() + listed.content.decode()
    stored = ModelProviderCredential.objects.get(workspace=tenant.workspace, provider="openai")
    assert secret not in stored.encrypted_api_key
    from common.crypto import decrypt

    assert decrypt(stored.encrypted_api_key) == secret
    event = AuditEvent.objects.get(action="model_credential.set")
    assert secret not in str(event.data)
    assert api_as(tenant.member).get(url).status_code == 403


def test_an_extractive_quote_does_not_repeat_a_markdown_title() -> None:
    from agents.runtime import _without_title
    from agents.tools import SourcePassage

    passage = SourcePassage(
        1, None, 1, "Travel policy", "", "Travel policy: # Travel policy\nEveryone gets 27 days."
    )
    assert _without_title(passage) == "Everyone gets 27 days."
