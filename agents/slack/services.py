"""The Slack bot's settings (which agent answers where) and feedback from its buttons."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from agents.models import Agent, FeedbackRating, Message, SlackBotSettings, SlackChannelAgent
from agents.services import give_feedback
from agents.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from agents.slack.bot import member_for_slack_user, slack_client
from audit.services import audit_change
from common.errors import InvalidInput, NotFound
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


def record_slack_feedback(*, connection: Connection, payload: Mapping[str, Any]) -> bool:
    """A click on an answer's feedback button; only the person who asked can rate it."""
    ratings = {FEEDBACK_UP: FeedbackRating.UP, FEEDBACK_DOWN: FeedbackRating.DOWN}
    actions = [a for a in payload.get("actions") or [] if a.get("action_id") in ratings]
    user_id = str((payload.get("user") or {}).get("id") or "")
    if payload.get("type") != "block_actions" or not actions or not user_id:
        return False
    member, _ = member_for_slack_user(connection, slack_client(connection), user_id)
    if member is None:
        return False
    action = actions[0]
    message = Message.objects.filter(
        workspace_id=connection.workspace_id, id=int(action.get("value") or 0)
    ).first()
    if message is None:
        return False
    try:
        give_feedback(
            actor=member,
            conversation_id=message.conversation_id,
            message_id=message.id,
            rating=ratings[action["action_id"]],
        )
    except NotFound:
        return False  # someone else's answer
    return True
