"""The agents API in the shape of tests/api/test_permissions.py's endpoint table:
(method, path, body, lowest role allowed, success status). That table can include these rows
with `*agents_endpoints(t, base, caller)` and ENDPOINT_COUNT += len(rows)."""

from __future__ import annotations

from typing import Any

from agents import services
from agents.answers import answer_message
from agents.models import ModelProvider
from tests.factories import Tenant
from workspaces.models import Membership


def agents_endpoints(
    t: Tenant, base: str, caller: Membership
) -> list[tuple[str, str, Any, str, int]]:
    agent = services.create_agent(actor=t.builder, handle="helper", name="Helper")
    services.publish_agent(actor=t.builder, agent_id=agent.id)
    # Conversations are their owner's alone; a caller from elsewhere aims at the admin's.
    owner = caller if caller.workspace_id == t.workspace.id else t.admin
    conversation = services.create_conversation(actor=owner)
    answered = answer_message(
        agent_message_id=services.post_message(
            actor=owner, conversation_id=conversation.id, agent_handle="helper", content="hi"
        ).id
    )
    # A key to test: its server does not listen, so the test answers 200 with ok false.
    services.set_model_credential(
        actor=t.admin,
        provider=ModelProvider.OPENAI_COMPATIBLE,
        api_key="sk-local-0123456789",
        base_url="http://127.0.0.1:9/v1",
    )
    compatible = f"{base}/model-credentials/openai-compatible"
    thread = f"{base}/conversations/{conversation.id}"
    ask = {"agent": "helper", "content": "hello?"}
    services.update_agent(actor=t.builder, agent_id=agent.id, instructions="Be brief.")
    services.publish_agent(actor=t.builder, agent_id=agent.id)
    # Shared by the admin: the link opens for every member of the workspace (nothing cited).
    shared = services.create_conversation(actor=t.admin)
    _, token = services.share_conversation(actor=t.admin, conversation_id=shared.id)
    return [
        ("GET", f"{base}/agents", None, "member", 200),
        ("POST", f"{base}/agents", {"handle": "new-bot", "name": "New"}, "builder", 201),
        ("GET", f"{base}/agents/{agent.id}", None, "member", 200),
        ("PATCH", f"{base}/agents/{agent.id}", {"name": "Renamed"}, "builder", 200),
        ("POST", f"{base}/agents/{agent.id}/publish", None, "builder", 200),
        # Past instructions are for the people who may change the agent.
        ("GET", f"{base}/agents/{agent.id}/versions", None, "builder", 200),
        ("GET", f"{base}/model-credentials", None, "admin", 200),
        ("PUT", f"{base}/model-credentials/openai", {"api_key": "sk-0123456789ab"}, "admin", 200),
        ("DELETE", f"{base}/model-credentials/openai", None, "admin", 204),
        ("POST", f"{compatible}/test", {}, "admin", 200),
        ("GET", f"{compatible}/models", None, "builder", 200),
        ("GET", f"{base}/conversations", None, "member", 200),
        ("POST", f"{base}/conversations", {"title": "New"}, "member", 201),
        ("GET", thread, None, "member", 200),
        ("POST", f"{thread}/messages", ask, "member", 201),
        ("POST", f"{thread}/messages/stream", ask, "member", 200),
        ("POST", f"{thread}/messages/{answered.id}/feedback", {"rating": "up"}, "member", 201),
        ("GET", f"{base}/agents/{agent.id}/versions/diff?from=1&to=3", None, "builder", 200),
        ("POST", f"{base}/agents/{agent.id}/versions/1/restore", None, "builder", 200),
        ("PATCH", thread, {"title": "Renamed"}, "member", 200),
        ("DELETE", thread, None, "member", 204),
        ("POST", f"{thread}/share", None, "member", 201),
        ("DELETE", f"{thread}/share", None, "member", 204),
        ("GET", f"{base}/shared-conversations/{token}", None, "member", 200),
    ]
