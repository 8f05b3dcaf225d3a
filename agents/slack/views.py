"""Slack's interactivity endpoint (button clicks): /webhooks/slack/<connection id>/interactions.
Authenticated by Slack's request signature, like the Events API endpoint."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.errors import SlackApiError

from agents.slack.blocks import FEEDBACK_DOWN, FEEDBACK_UP
from agents.slack.services import record_slack_feedback
from common.body_limit import too_large_body
from common.crypto import decrypt_json
from connections.models import Connection
from connectors.errors import MalformedWebhook, WebhookRejected
from connectors.slack.webhooks import interaction_payload, verify_signature

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def slack_interactions(request: HttpRequest, connection_id: int) -> JsonResponse:
    connection = Connection.objects.filter(id=connection_id, kind="slack").first()
    if connection is None:
        return JsonResponse(
            {"error": {"code": "not_found", "message": "No such connection."}}, status=404
        )
    secret = str(decrypt_json(connection.credentials_encrypted).get("signing_secret", ""))
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse(too_large_body(), status=413)
    try:
        verify_signature(signing_secret=secret, headers=request.headers, body=body)
        payload = interaction_payload(body)
        _check_feedback_values(payload)
    except WebhookRejected as rejected:
        return JsonResponse(
            {"error": {"code": rejected.code, "message": rejected.message}}, status=rejected.status
        )
    try:
        record_slack_feedback(connection=connection, payload=payload)
    except SlackApiError as error:
        # The clicker could not be looked up (a deleted user, a revoked token): the click is
        # dropped, and Slack still gets its acknowledgement rather than a 500 to retry.
        logger.warning("Slack feedback on connection %s dropped: %s", connection.id, error)
    return JsonResponse({})


def _check_feedback_values(payload: Mapping[str, Any]) -> None:
    """Our feedback buttons carry a message id: anything else under their action ids was not
    sent by them."""
    for action in payload.get("actions") or []:
        value = action.get("value") or "0"
        if action.get("action_id") in (FEEDBACK_UP, FEEDBACK_DOWN) and not (
            value.isascii() and value.isdigit() and len(value) <= 18
        ):
            raise MalformedWebhook("A feedback button's value is not a message id.")
