"""Writes for agents (each save of a published agent a draft, each publish a new version) and
the workspace's model credentials.

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
from common.errors import Conflict, InvalidInput, NotFound
from common.outbound_checks import check_base_url
from knowledge.models import DataSourceView
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


# What a draft holds: the fields that change how the agent answers and who finds it. Editors
# are not among them: they decide who may edit the draft itself, so they apply at once.
DRAFT_FIELDS = (
    "name",
    "description",
    "instructions",
    "model_id",
    "temperature",
    "tools",
    "view_ids",
    "visibility",
)


def _live_fields(agent: Agent) -> dict[str, Any]:
    snapshot = _snapshot(agent)
    return {field: snapshot[field] for field in DRAFT_FIELDS}


def _clean_changes(
    *,
    actor: Membership,
    name: str | None,
    description: str | None,
    instructions: str | None,
    model_id: str | None,
    temperature: float | None,
    view_ids: Sequence[int] | None,
    tools: Sequence[str] | None,
    visibility: AgentVisibility | None,
) -> dict[str, Any]:
    """The given changes, validated, as draft fields (views as ids the actor may attach)."""
    changes: dict[str, Any] = {}
    if name is not None:
        if not name.strip():
            raise InvalidInput("An agent needs a name.")
        changes["name"] = name.strip()
    if description is not None:
        changes["description"] = description
    if instructions is not None:
        changes["instructions"] = instructions
    if model_id is not None:
        if model_id.strip():
            parse_model_id(model_id)
        changes["model_id"] = model_id.strip()
    if temperature is not None:
        changes["temperature"] = _clean_temperature(temperature)
    if tools is not None:
        changes["tools"] = _clean_tools(tools)
    if visibility is not None:
        changes["visibility"] = AgentVisibility(visibility).value
    if view_ids is not None:
        views = access_views_to_attach(actor=actor, view_ids=view_ids)
        changes["view_ids"] = sorted(view.id for view in views)
    return changes


def _apply_fields(agent: Agent, fields: dict[str, Any], *, actor: Membership) -> None:
    """Write draft fields onto the agent's columns (the live version)."""
    for field in ("name", "description", "instructions", "model_id", "temperature", "tools"):
        if field in fields:
            setattr(agent, field, fields[field])
    if "visibility" in fields:
        agent.visibility = fields["visibility"]
    if "view_ids" in fields:
        # A view deleted since the draft was saved is simply gone; the rest must still be
        # open to whoever applies the draft.
        existing = DataSourceView.objects.filter(
            workspace_id=agent.workspace_id, id__in=fields["view_ids"]
        ).values_list("id", flat=True)
        agent.views.set(access_views_to_attach(actor=actor, view_ids=list(existing)))


def _save_draft(
    agent: Agent, fields: dict[str, Any], *, actor: Membership, action: str, data: dict[str, Any]
) -> None:
    agent.draft = None if fields == _live_fields(agent) else fields
    agent.save(update_fields=["draft", "updated_at"])
    audit_change(actor=actor, action=action, target=agent, data=data)


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
    """Change what is given. An agent not yet published changes at once, each save a new
    version. A published agent keeps answering as published: the changes collect in its
    draft until publish_agent applies them (editors, who may edit that draft, change at once,
    as a new version)."""
    agent = access_agent_for_edit(actor=actor, agent_id=agent_id)
    changes = _clean_changes(
        actor=actor,
        name=name,
        description=description,
        instructions=instructions,
        model_id=model_id,
        temperature=temperature,
        view_ids=view_ids,
        tools=tools,
        visibility=visibility,
    )
    editors = None
    if editor_ids is not None:
        editors = _editors(actor, editor_ids)
        if not editors:
            raise InvalidInput("An agent needs at least one editor.")
    if agent.status == AgentStatus.PUBLISHED:
        if changes:
            fields = {**(agent.draft or _live_fields(agent)), **changes}
            _save_draft(
                agent,
                fields,
                actor=actor,
                action="agent.draft_saved",
                data={"changed": sorted(changes)},
            )
        if editors is not None:
            agent.editors.set(editors)
            _save_version(agent, actor=actor, action="agent.updated")
        return agent
    _apply_fields(agent, changes, actor=actor)
    if editors is not None:
        agent.editors.set(editors)
    _save_version(agent, actor=actor, action="agent.updated")
    return agent


@transaction.atomic
def publish_agent(*, actor: Membership, agent_id: int) -> Agent:
    """Publish the agent, applying its unpublished changes: a new version that members, the
    Slack bot and new answers use from now on."""
    agent = access_agent_for_edit(actor=actor, agent_id=agent_id)
    if agent.draft:
        _apply_fields(agent, agent.draft, actor=actor)
        agent.draft = None
    agent.status = AgentStatus.PUBLISHED
    _save_version(agent, actor=actor, action="agent.published")
    return agent


@transaction.atomic
def restore_agent_version(*, actor: Membership, agent_id: int, number: int) -> Agent:
    """Bring back version `number`'s settings as a new draft of a published agent (publish
    to make it live), or as a new version of an agent not yet published."""
    agent = access_agent_for_edit(actor=actor, agent_id=agent_id)
    version = agent.versions.filter(number=number).first()
    if version is None:
        raise NotFound(
            f"Agent '@{agent.handle}' has no version {number}. List them with GET .../versions."
        )
    snapshot = version.snapshot
    restored = {field: snapshot[field] for field in DRAFT_FIELDS if field in snapshot}
    existing = DataSourceView.objects.filter(
        workspace_id=agent.workspace_id, id__in=restored.get("view_ids", [])
    ).values_list("id", flat=True)
    restored["view_ids"] = sorted(
        view.id for view in access_views_to_attach(actor=actor, view_ids=list(existing))
    )
    if agent.status == AgentStatus.PUBLISHED:
        _save_draft(
            agent,
            {**_live_fields(agent), **restored},
            actor=actor,
            action="agent.version_restored",
            data={"version": number, "as": "draft"},
        )
        return agent
    _apply_fields(agent, restored, actor=actor)
    _save_version(agent, actor=actor, action="agent.version_restored")
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
