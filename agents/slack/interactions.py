"""Slack's interactivity deliveries (button clicks): a form post with a JSON `payload` field,
authenticated by Slack's request signature like the Events API deliveries. The composition
root's Slack webhook entry point (config.webhooks) hands them here."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk.errors import SlackApiError

from agents.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from agents.slack.services import record_slack_feedback
from common.crypto import decrypt_json
from common.errors import NotFound
from connections.models import Connection
from connections.webhooks import WebhookOutcome
from connectors.errors import MalformedWebhook, WebhookRejected
from connectors.slack.webhooks import interaction_payload, verify_signature

logger = logging.getLogger(__name__)


def receive_slack_interaction(
    *, connection_id: int, headers: Mapping[str, str], body: bytes
) -> WebhookOutcome:
    connection = Connection.objects.filter(id=connection_id, kind="slack").first()
    if connection is None:
        raise NotFound("No such connection.")
    secret = str(decrypt_json(connection.credentials_encrypted).get("signing_secret", ""))
    try:
        verify_signature(signing_secret=secret, headers=headers, body=body)
        payload = interaction_payload(body)
        _check_feedback_values(payload)
    except WebhookRejected as rejected:
        return WebhookOutcome(
            rejected.status, {"error": {"code": rejected.code, "message": rejected.message}}
        )
    try:
        record_slack_feedback(connection=connection, payload=payload)
    except SlackApiError as error:
        # The clicker could not be looked up (a deleted user, a revoked token): the click is
        # dropped, and Slack still gets its acknowledgement rather than a 500 to retry.
        logger.warning("Slack feedback on connection %s dropped: %s", connection.id, error)
    return WebhookOutcome(200, {})


def _check_feedback_values(payload: Mapping[str, Any]) -> None:
    """Our feedback buttons carry a message id: anything else under their action ids was not
    sent by them."""
    for action in payload.get("actions") or []:
        value = action.get("value") or "0"
        if action.get("action_id") in (FEEDBACK_UP, FEEDBACK_DOWN) and not (
            value.isascii() and value.isdigit() and len(value) <= 18
        ):
            raise MalformedWebhook("A feedback button's value is not a message id.")
