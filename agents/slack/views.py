"""Slack's interactivity endpoint (button clicks): /webhooks/slack/<connection id>/interactions.
Authenticated by Slack's request signature, like the Events API endpoint."""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agents.slack.services import record_slack_feedback
from common.crypto import decrypt_json
from connections.models import Connection
from connectors.errors import WebhookRejected
from connectors.slack.webhooks import verify_signature


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
        verify_signature(signing_secret=secret, headers=request.headers, body=request.body)
        payload = json.loads(request.POST.get("payload", ""))
    except WebhookRejected as rejected:
        return JsonResponse(
            {"error": {"code": rejected.code, "message": rejected.message}}, status=rejected.status
        )
    except ValueError:
        return JsonResponse(
            {"error": {"code": "bad_request", "message": "The payload field is not JSON."}},
            status=400,
        )
    record_slack_feedback(connection=connection, payload=payload)
    return JsonResponse({})
