"""access_* checks for agents and conversations (DESIGN.md access rules 1 and 4).

An agent or conversation the actor may not use answers NotFound, exactly like one that does
not exist, so nobody learns what lives in spaces they are outside of.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from django.db.models import Q, QuerySet

from agents.models import Agent, AgentStatus, AgentVisibility, Conversation, Message
from common.errors import NotFound, PermissionDenied
from knowledge.models import DataSourceView
from workspaces.access import access_role
from workspaces.models import Membership, Role
from workspaces.selectors import space_ids_for


def agent_space_ids(agent: Agent) -> set[int]:
    """The spaces an agent's data comes from; its tools all read through its views."""
    return set(agent.views.values_list("space_id", flat=True))


def usable_agents(membership: Membership) -> QuerySet[Agent]:
    """Agents of the member's workspace whose every view lies in one of the member's spaces,
    and that are published for the workspace, or that the member edits or administers."""
    spaces = space_ids_for(membership=membership)
    outside = DataSourceView.objects.filter(workspace_id=membership.workspace_id).exclude(
        space_id__in=spaces
    )
    agents = Agent.objects.filter(workspace_id=membership.workspace_id).exclude(views__in=outside)
    if not membership.has_role_admin():
        agents = agents.filter(
            Q(status=AgentStatus.PUBLISHED, visibility=AgentVisibility.WORKSPACE)
            | Q(editors=membership)
        )
    return agents.distinct()


def _not_found(reference: object) -> NotFound:
    return NotFound(
        f"Agent {reference} does not exist in this workspace or you cannot use it. "
        "List the agents you can use with GET .../agents."
    )


def access_agent(*, actor: Membership, agent_id: int) -> Agent:
    agent = usable_agents(actor).filter(id=agent_id).first()
    if agent is None:
        raise _not_found(agent_id)
    return agent


def access_agent_by_handle(*, actor: Membership, handle: str) -> Agent:
    agent = usable_agents(actor).filter(handle=handle).first()
    if agent is None:
        raise _not_found(f"'@{handle}'")
    return agent


def access_agent_for_edit(*, actor: Membership, agent_id: int) -> Agent:
    """Editors with the builder role, and admins, may change an agent they can use."""
    agent = access_agent(actor=actor, agent_id=agent_id)
    access_role(actor, Role.BUILDER)
    editor_ids = set(agent.editors.filter(id=actor.id).values_list("id", flat=True))
    if may_edit_agent(actor=actor, editor_ids=editor_ids):
        return agent
    raise PermissionDenied(
        f"You can use agent '@{agent.handle}' but not change it. Ask one of its editors or an "
        "admin to add you as an editor."
    )


def access_agent_versions(*, actor: Membership, agent_id: int) -> Agent:
    """An agent's version history keeps its past instructions and settings: for the people who
    may change it (editors with the builder role, and admins), not for everyone who uses it."""
    agent = access_agent(actor=actor, agent_id=agent_id)
    is_editor = agent.editors.filter(id=actor.id).exists()
    if actor.has_role(Role.ADMIN) or (actor.has_role(Role.BUILDER) and is_editor):
        return agent
    raise PermissionDenied(
        f"The version history of agent '@{agent.handle}' is for its editors with the builder "
        "role and the workspace's admins. Ask one of them to add you as an editor."
    )


def access_views_to_attach(*, actor: Membership, view_ids: Iterable[int]) -> list[DataSourceView]:
    """Views a builder may give an agent: only those in spaces the builder belongs to, so
    nobody can build an agent that reads data they could not read themselves."""
    wanted = sorted(set(view_ids))
    if not wanted:
        return []
    views = list(
        DataSourceView.objects.filter(
            workspace_id=actor.workspace_id,
            id__in=wanted,
            space_id__in=space_ids_for(membership=actor),
        ).select_related("space")
    )
    missing = sorted(set(wanted) - {view.id for view in views})
    if missing:
        raise NotFound(
            f"Data source views {missing} do not exist in this workspace or lie in spaces you "
            "do not belong to. List the views you can use with GET .../views."
        )
    return views


def readable_conversations(membership: Membership) -> QuerySet[Conversation]:
    """A member's own conversations, minus any that used agents of spaces they have left."""
    spaces = sorted(space_ids_for(membership=membership))
    return Conversation.objects.filter(
        workspace_id=membership.workspace_id,
        owner=membership,
        required_space_ids__contained_by=spaces,
    )


def access_conversation(*, actor: Membership, conversation_id: int) -> Conversation:
    conversation = readable_conversations(actor).filter(id=conversation_id).first()
    if conversation is None:
        raise NotFound(
            f"Conversation {conversation_id} does not exist or you cannot read it. "
            "List yours with GET .../conversations."
        )
    return conversation


def access_agent_message(*, actor: Membership, conversation_id: int, message_id: int) -> Message:
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    message = conversation.messages.filter(id=message_id, role="agent").first()
    if message is None:
        raise NotFound(
            f"Message {message_id} is not an agent answer in conversation {conversation_id}."
        )
    return message


def may_edit_agent(*, actor: Membership, editor_ids: Collection[int]) -> bool:
    """The rule of access_agent_for_edit, for an agent whose editors are already loaded (the
    `can_edit` of a listing): its editors with the builder role, and admins."""
    return actor.has_role(Role.ADMIN) or (actor.has_role(Role.BUILDER) and actor.id in editor_ids)
