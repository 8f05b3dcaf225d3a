"""The public webhook entry point, one per source: /webhooks/<kind>/<connection id>. No
session or token: each delivery is authenticated by its source's signature.

This is where a source's deliveries are wired to the apps that act on them, explicitly: the
connections framework verifies, de-duplicates and syncs every source's events, and hands each
first delivery to the event handlers listed here (the Slack bot queues an answer to a mention).
Slack's interactivity deliveries (button clicks) arrive at the same URL as form posts and go
to the bot. Adding a handler means adding it here, where it can be read, not registering it
from some app's start-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agents.slack.interactions import receive_slack_interaction
from agents.slack.users import record_slack_user_change
from agents.tasks import queue_slack_answer
from common.body_limit import too_large_body
from common.errors import DomainError
from connections.webhooks import EventConsumer, WebhookOutcome, receive_webhook

InteractionHandler = Callable[..., WebhookOutcome]

# After the framework has verified and de-duplicated a delivery: who else acts on it, in order.
EVENT_HANDLERS: Mapping[str, tuple[EventConsumer, ...]] = {
    "slack": (queue_slack_answer, record_slack_user_change),
}
# Deliveries that are not source events but clicks in what we posted (Slack sends them as
# `application/x-www-form-urlencoded` with a JSON `payload` field; its events are JSON).
INTERACTION_HANDLERS: Mapping[str, InteractionHandler] = {
    "slack": receive_slack_interaction,
}
FORM_POST = "application/x-www-form-urlencoded"


@csrf_exempt
@require_POST
def webhook(
    request: HttpRequest, kind: str, connection_id: int, interactions: bool = False
) -> JsonResponse:
    """`interactions`: the delivery came to Slack's older interactivity URL, which takes
    nothing else."""
    try:
        body = request.body
    except RequestDataTooBig:
        return JsonResponse(too_large_body(), status=413)
    interaction = INTERACTION_HANDLERS.get(kind)
    try:
        if interaction is not None and (interactions or request.content_type == FORM_POST):
            outcome = interaction(connection_id=connection_id, headers=request.headers, body=body)
        else:
            outcome = receive_webhook(
                kind=kind,
                connection_id=connection_id,
                headers=request.headers,
                body=body,
                consumers=EVENT_HANDLERS.get(kind, ()),
            )
    except DomainError as error:
        return JsonResponse(
            {"error": {"code": error.code, "message": error.message}}, status=error.status
        )
    return JsonResponse(dict(outcome.body), status=outcome.status)
