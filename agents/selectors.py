"""Reads for agents and conversations. Every query is scoped by workspace and by the access
rules in agents.access."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from agents.access import readable_conversations, usable_agents
from agents.models import (
    Agent,
    AgentVersion,
    Citation,
    Conversation,
    Message,
    ModelProviderCredential,
)
from workspaces.models import Membership


def list_agents_for(*, membership: Membership) -> QuerySet[Agent]:
    return usable_agents(membership).prefetch_related("views", "editors").order_by("name", "id")


def list_agent_versions(*, agent: Agent) -> QuerySet[AgentVersion]:
    return agent.versions.select_related("created_by__user").order_by("-number")


def list_conversations_for(*, membership: Membership) -> QuerySet[Conversation]:
    return readable_conversations(membership).order_by("-updated_at", "-id")


def conversation_messages(*, conversation: Conversation) -> QuerySet[Message]:
    return (
        conversation.messages.select_related("agent", "agent_version", "author__user")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.order_by("number")))
        .order_by("created_at", "id")
    )


def list_model_credentials(*, workspace_id: int) -> QuerySet[ModelProviderCredential]:
    return ModelProviderCredential.objects.filter(workspace_id=workspace_id).order_by("provider")


def conversation_history(*, message: Message, limit: int = 10) -> list[tuple[str, str]]:
    """The finished turns before `message`, oldest first, as (role, text)."""
    earlier = (
        Message.objects.filter(
            conversation_id=message.conversation_id, id__lt=message.id, status="complete"
        )
        .exclude(id__in=[message.reply_to_id] if message.reply_to_id else [])
        .order_by("-id")
        .values_list("role", "content")[:limit]
    )
    return [(role, content) for role, content in reversed(earlier)]
