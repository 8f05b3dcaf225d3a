"""Writes for agents (each save a new version) and the workspace's model credentials.

Every verb takes keyword-only arguments and the acting member, checks access first, and
writes configuration changes' audit events in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from agents.access import access_agent_for_edit, access_views_to_attach
from agents.models import (
    Agent,
    AgentStatus,
    AgentTool,
    AgentVersion,
    AgentVisibility,
    ModelProvider,
    ModelProviderCredential,
)
from agents.providers import parse_model_id
from audit.services import AuditTarget, audit_change
from common.crypto import encrypt
from common.errors import Conflict, InvalidInput
from common.outbound_checks import check_base_url
from workspaces.access import access_role
from workspaces.models import Membership, Role


def _snapshot(agent: Agent) -> dict[str, Any]:
    return {
        "handle": agent.handle,
        "name": agent.name,
        "description": agent.description,
        "instructions": agent.instructions,
        "model_id": agent.model_id,
        "temperature": agent.temperature,
        "tools": list(agent.tools),
        "view_ids": sorted(agent.views.values_list("id", flat=True)),
        "editor_ids": sorted(agent.editors.values_list("id", flat=True)),
        "status": agent.status,
        "visibility": agent.visibility,
    }


def _save_version(agent: Agent, *, actor: Membership, action: str) -> AgentVersion:
    agent.version += 1
    agent.save()
    snapshot = _snapshot(agent)
    version = AgentVersion.objects.create(
        workspace_id=agent.workspace_id,
        agent=agent,
        number=agent.version,
        snapshot=snapshot,
        created_by=actor,
    )
    audit_change(
        actor=actor, action=action, target=agent, data={"version": version.number, **snapshot}
    )
    return version


def _clean_handle(handle: str) -> str:
    cleaned = slugify(handle.strip().lstrip("@"))[:64]
    if not cleaned:
        raise InvalidInput("An agent needs a handle of letters, digits and dashes, like 'hr-bot'.")
    return cleaned


def _clean_tools(tools: Sequence[str]) -> list[str]:
    unknown = sorted(set(tools) - set(AgentTool.values))
    if unknown:
        raise InvalidInput(f"Unknown tools {unknown}; choose from {sorted(AgentTool.values)}.")
    return sorted(set(tools))


def _clean_temperature(temperature: float) -> float:
    if not 0 <= temperature <= 2:
        raise InvalidInput("Temperature must be between 0 and 2.")
    return temperature


def _editors(actor: Membership, editor_ids: Sequence[int]) -> list[Membership]:
    editors = list(
        Membership.objects.filter(workspace_id=actor.workspace_id, id__in=set(editor_ids))
    )
    missing = sorted(set(editor_ids) - {editor.id for editor in editors})
    if missing:
        raise InvalidInput(f"Members {missing} do not exist in this workspace.")
    return editors


@transaction.atomic
def create_agent(
    *,
    actor: Membership,
    handle: str,
    name: str,
    description: str = "",
    instructions: str = "",
    model_id: str = "",
    temperature: float = 0.2,
    view_ids: Sequence[int] = (),
    tools: Sequence[str] = (AgentTool.SEARCH,),
    visibility: AgentVisibility = AgentVisibility.WORKSPACE,
    editor_ids: Sequence[int] = (),
) -> Agent:
    """A draft agent; its creator is its first editor. Version 1 is this first save."""
    access_role(actor, Role.BUILDER)
    handle = _clean_handle(handle)
    if Agent.objects.filter(workspace_id=actor.workspace_id, handle=handle).exists():
        raise Conflict(f"An agent '@{handle}' already exists here; pick another handle.")
    if model_id:
        parse_model_id(model_id)
    if not name.strip():
        raise InvalidInput("An agent needs a name.")
    views = access_views_to_attach(actor=actor, view_ids=view_ids)
    agent = Agent.objects.create(
        workspace_id=actor.workspace_id,
        handle=handle,
        name=name.strip(),
        description=description,
        instructions=instructions,
        model_id=model_id.strip(),
        temperature=_clean_temperature(temperature),
        tools=_clean_tools(tools),
        visibility=visibility,
        created_by=actor,
    )
    agent.views.set(views)
    agent.editors.set({actor, *_editors(actor, editor_ids)})
    _save_version(agent, actor=actor, action="agent.created")
    return agent


@transaction.atomic
def update_agent(
    *,
    actor: Membership,
    agent_id: int,
    name: str | None = None,
    description: str | None = None,
    instructions: str | None = None,
    model_id: str | None = None,
    temperature: float | None = None,
    view_ids: Sequence[int] | None = None,
    tools: Sequence[str] | None = None,
    visibility: AgentVisibility | None = None,
    editor_ids: Sequence[int] | None = None,
) -> Agent:
    """Change what is given; every save is a new version. A published agent stays published."""
    agent = access_agent_for_edit(actor=actor, agent_id=agent_id)
    if name is not None:
        if not name.strip():
            raise InvalidInput("An agent needs a name.")
        agent.name = name.strip()
    if description is not None:
        agent.description = description
    if instructions is not None:
        agent.instructions = instructions
    if model_id is not None:
        if model_id.strip():
            parse_model_id(model_id)
        agent.model_id = model_id.strip()
    if temperature is not None:
        agent.temperature = _clean_temperature(temperature)
    if tools is not None:
        agent.tools = _clean_tools(tools)
    if visibility is not None:
        agent.visibility = visibility
    if view_ids is not None:
        agent.views.set(access_views_to_attach(actor=actor, view_ids=view_ids))
    if editor_ids is not None:
        editors = _editors(actor, editor_ids)
        if not editors:
            raise InvalidInput("An agent needs at least one editor.")
        agent.editors.set(editors)
    _save_version(agent, actor=actor, action="agent.updated")
    return agent


@transaction.atomic
def publish_agent(*, actor: Membership, agent_id: int) -> Agent:
    agent = access_agent_for_edit(actor=actor, agent_id=agent_id)
    agent.status = AgentStatus.PUBLISHED
    _save_version(agent, actor=actor, action="agent.published")
    return agent


@transaction.atomic
def set_model_credential(
    *, actor: Membership, provider: ModelProvider, api_key: str = "", base_url: str = ""
) -> ModelProviderCredential:
    """Store a provider key for the workspace, encrypted; only its last characters are kept
    in clear, as a hint of which key is set."""
    access_role(actor, Role.ADMIN)
    api_key = api_key.strip()
    if not api_key and provider != ModelProvider.OPENAI_COMPATIBLE:
        raise InvalidInput(f"Provider {provider} needs an API key.")
    if provider == ModelProvider.OPENAI_COMPATIBLE and not base_url.strip():
        raise InvalidInput("An openai-compatible endpoint needs its base URL, like http://host/v1.")
    # The model client connects through the outbound policy; refuse here what it would
    # refuse later (a local model server is reached by allow-listing it).
    base_url = check_base_url(base_url)
    credential, _ = ModelProviderCredential.objects.update_or_create(
        workspace_id=actor.workspace_id,
        provider=provider,
        defaults={
            "encrypted_api_key": encrypt(api_key) if api_key else "",
            "key_hint": api_key[-4:] if len(api_key) >= 12 else "",
            "base_url": base_url,
            "updated_by": actor,
        },
    )
    audit_change(
        actor=actor,
        action="model_credential.set",
        # Stored as "model_credential" since the first release; the audit log keeps the name.
        target=AuditTarget("model_credential", credential.id),
        data={"provider": provider, "base_url": credential.base_url, "has_key": bool(api_key)},
    )
    return credential


@transaction.atomic
def delete_model_credential(*, actor: Membership, provider: ModelProvider) -> None:
    access_role(actor, Role.ADMIN)
    deleted, _ = ModelProviderCredential.objects.filter(
        workspace_id=actor.workspace_id, provider=provider
    ).delete()
    if deleted:
        audit_change(
            actor=actor,
            action="model_credential.deleted",
            # The row is gone; the event names the provider, as the workspace knows it by.
            target=AuditTarget("model_credential", provider),
            data={"provider": provider},
        )
