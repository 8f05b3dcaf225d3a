"""An agent's version history keeps its past instructions and settings: only its editors (with
the builder role) and the workspace's admins may read it. A member who uses the agent is told
why not; anyone of another workspace finds nothing."""

from __future__ import annotations

from typing import Any

import pytest

from agents import services
from tests.agents.conftest import Knowledge, make_agent
from tests.factories import Tenant


def versions_path(tenant: Tenant, agent_id: int) -> str:
    return f"workspaces/{tenant.workspace.id}/agents/{agent_id}/versions"


@pytest.mark.parametrize("transport", ["session", "token"])
def test_only_editors_and_admins_read_the_version_history(
    tenant: Tenant, folders: Knowledge, api_as: Any, api_with_token: Any, transport: str
) -> None:
    client = api_as if transport == "session" else api_with_token
    agent = make_agent(tenant.builder, "helper", [folders.handbook])
    # A published agent's edits are a draft until published: publish each one.
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Be secret.")
    services.publish_agent(actor=tenant.builder, agent_id=agent.id)
    services.update_agent(actor=tenant.builder, agent_id=agent.id, instructions="Be open.")
    services.publish_agent(actor=tenant.builder, agent_id=agent.id)
    path = versions_path(tenant, agent.id)

    editor = client(tenant.builder).get(path)
    assert editor.status_code == 200, editor.content
    assert any(v["snapshot"]["instructions"] == "Be secret." for v in editor.json())
    assert client(tenant.admin).get(path).status_code == 200

    # A member who may use the agent sees what it is now, not what it was.
    assert client(tenant.member).get(f"workspaces/{tenant.workspace.id}/agents/{agent.id}")
    refused = client(tenant.member).get(path)
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["code"] == "permission_denied"
    assert "editors" in error["message"] and "@helper" in error["message"]
    assert "Be secret." not in refused.content.decode()


def test_a_builder_who_is_not_an_editor_is_refused(
    tenant: Tenant, folders: Knowledge, api_as: Any
) -> None:
    agent = make_agent(tenant.admin, "admins-bot", [folders.handbook])
    assert api_as(tenant.admin).get(versions_path(tenant, agent.id)).status_code == 200
    response = api_as(tenant.builder).get(versions_path(tenant, agent.id))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("transport", ["session", "token"])
def test_another_workspace_finds_no_version_history(
    tenant: Tenant,
    other_tenant: Tenant,
    folders: Knowledge,
    api_as: Any,
    api_with_token: Any,
    transport: str,
) -> None:
    agent = make_agent(tenant.builder, "helper", [folders.handbook])
    client = (api_as if transport == "session" else api_with_token)(other_tenant.admin)
    for path in (
        versions_path(tenant, agent.id),  # their workspace's URL
        versions_path(other_tenant, agent.id),  # the agent's id under the caller's own
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.content)
        assert response.json()["error"]["code"] == "not_found"
        assert "helper" not in response.content.decode(), "nothing of the agent leaks"
