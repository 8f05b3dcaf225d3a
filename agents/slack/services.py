"""Feedback from the buttons under the bot's answers: a Slack click turned into the
give_feedback verb. The bot's own writes live in agents.services.slack."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agents.models import FeedbackRating, Message
from agents.services import give_feedback
from agents.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from agents.slack.bot import member_for_slack_user, slack_client
from common.errors import NotFound
from connections.models import Connection


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
