"""Writes for the Slack bot: its settings (which agent answers where), the conversation each
Slack thread continues, and a question asked in front of a channel's audience.

The bot (agents.slack.bot) talks to Slack and decides; it stores through these verbs only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from agents.models import Agent, Message, SlackBotSettings, SlackChannelAgent, SlackThread
from agents.services.conversations import create_conversation, post_message
from audit.services import audit_change
from common.errors import InvalidInput
from connections.access import access_connection
from connections.models import Connection
from workspaces.models import Membership


def _slack_connection(actor: Membership, connection_id: int) -> Connection:
    connection = access_connection(actor=actor, connection_id=connection_id)
    if connection.kind != "slack":
        raise InvalidInput("Only a Slack connection has a Slack bot.")
    return connection


def get_slack_bot_settings(*, actor: Membership, connection_id: int) -> SlackBotSettings:
    connection = _slack_connection(actor, connection_id)
    bot, _ = SlackBotSettings.objects.get_or_create(
        connection=connection, defaults={"workspace_id": connection.workspace_id}
    )
    return bot


def _agent(workspace_id: int, agent_id: int) -> Agent:
    agent = Agent.objects.filter(workspace_id=workspace_id, id=agent_id).first()
    if agent is None:
        raise InvalidInput(f"Agent {agent_id} does not exist in this workspace.")
    return agent


@transaction.atomic
def set_slack_bot_settings(
    *,
    actor: Membership,
    connection_id: int,
    default_agent_id: int | None,
    channels: Sequence[Mapping[str, Any]],
) -> SlackBotSettings:
    """Replace the channel defaults; `channels` holds {channel_id, agent_id} pairs."""
    bot = get_slack_bot_settings(actor=actor, connection_id=connection_id)
    workspace_id = actor.workspace_id
    bot.default_agent = _agent(workspace_id, default_agent_id) if default_agent_id else None
    bot.save(update_fields=["default_agent"])
    bot.channels.all().delete()
    seen: set[str] = set()
    for row in channels:
        channel_id = str(row.get("channel_id") or "").strip()
        if not channel_id or channel_id in seen:
            raise InvalidInput("Each channel appears once, with its Slack channel id.")
        seen.add(channel_id)
        SlackChannelAgent.objects.create(
            workspace_id=workspace_id,
            settings=bot,
            channel_id=channel_id,
            agent=_agent(workspace_id, int(row.get("agent_id") or 0)),
        )
    audit_change(
        actor=actor,
        action="slack_bot.settings_changed",
        target=bot.connection,
        data={"default_agent_id": default_agent_id, "channels": sorted(seen)},
    )
    return bot


@transaction.atomic
def open_thread_conversation(
    *, actor: Membership, connection: Connection, channel_id: str, thread_ts: str
) -> int:
    """The conversation that a member's Slack thread continues, started on their first
    question there. Locked, so two questions arriving at once share one conversation."""
    thread = (
        SlackThread.objects.select_for_update()
        .filter(connection=connection, channel_id=channel_id, thread_ts=thread_ts, member=actor)
        .first()
    )
    if thread is not None:
        return thread.conversation_id
    conversation = create_conversation(actor=actor)
    SlackThread.objects.create(
        workspace_id=connection.workspace_id,
        connection=connection,
        channel_id=channel_id,
        thread_ts=thread_ts,
        member=actor,
        conversation=conversation,
    )
    return conversation.id


@transaction.atomic
def post_message_for_audience(
    *,
    actor: Membership,
    conversation_id: int,
    agent_handle: str,
    content: str,
    audience: Sequence[Membership],
    outsiders: int,
) -> Message:
    """post_message for an answer others will see: the answer records who they are (and how
    many are not members at all) in the same transaction, so it is never run for the asker
    alone by mistake."""
    answer = post_message(
        actor=actor, conversation_id=conversation_id, agent_handle=agent_handle, content=content
    )
    answer.audience.set(audience)
    answer.audience_outsiders = outsiders
    answer.save(update_fields=["audience_outsiders"])
    return answer
