"""Socket Mode: the Slack bot for installs without a public URL. Slack pushes the same events
over a websocket opened with the app-level token; each is acknowledged at once and handled
like an Events API delivery (the answer is queued on the `agent` queue)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from agents.slack.bot import ask_from_event
from agents.slack.services import record_slack_feedback
from connections.models import Connection
from connections.webhooks import first_delivery

logger = logging.getLogger(__name__)


def handle_socket_mode_request(
    *, connection: Connection, request_type: str, payload: Mapping[str, Any]
) -> str:
    """What one Socket Mode envelope led to: "queued", "feedback", "duplicate" or "ignored"."""
    from agents.tasks import answer_slack_event_task

    if request_type == "interactive":
        return (
            "feedback"
            if record_slack_feedback(connection=connection, payload=payload)
            else "ignored"
        )
    if request_type != "events_api":
        return "ignored"
    event_id = str(payload.get("event_id") or "")
    if event_id and not first_delivery(connection.id, event_id):
        return "duplicate"
    event = payload.get("event") or {}
    if ask_from_event(event) is None:
        return "ignored"
    answer_slack_event_task.delay(connection.id, dict(event))
    return "queued"
