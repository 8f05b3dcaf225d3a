"""Webhook deliveries from sources: verified by the connector, de-duplicated in Redis, turned
into syncs. Nothing is fetched or written inline, so the source gets its answer at once
(Slack wants one within 3 seconds)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from common.crypto import decrypt_json, encrypt_json
from common.errors import NotFound
from common.redis import redis_client
from connections.models import Connection, ConnectionStatus, SyncMode
from connections.services import request_sync
from connectors.base import WebhookResult
from connectors.errors import MalformedWebhook, WebhookRejected
from connectors.registry import connector_class

logger = logging.getLogger(__name__)

DEDUPLICATE_FOR_SECONDS = 24 * 3600

# Other apps act on a source's events too (the Slack bot answers mentions). The composition
# root (config.webhooks) passes their handlers in; each must only queue work, as the source
# waits for our answer.
EventConsumer = Callable[[Connection, WebhookResult], None]


@dataclass(frozen=True)
class WebhookOutcome:
    status: int
    body: Mapping[str, Any]
    result: WebhookResult | None = None


def receive_webhook(
    *,
    kind: str,
    connection_id: int,
    headers: Mapping[str, str],
    body: bytes,
    consumers: Sequence[EventConsumer] = (),
) -> WebhookOutcome:
    """Verify, de-duplicate and sync; a first delivery is then handed to each of `consumers`
    (unless the connection needs new credentials) before any sync is queued."""
    connection = (
        Connection.objects.select_related("data_source").filter(id=connection_id, kind=kind).first()
    )
    if connection is None:
        raise NotFound("No such connection; check the webhook URL in the connection's settings.")
    cls = connector_class(kind)
    if not cls.handles_webhooks:
        raise NotFound(f"{cls.display_name} connections take no webhooks.")
    credentials = decrypt_json(connection.credentials_encrypted)
    try:
        try:
            result = cls.handle_webhook(credentials=credentials, headers=headers, body=body)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as error:
            # A connector that meets a payload of a shape it did not expect (a list for an
            # object, a key missing) has acted on nothing yet: the delivery is malformed, and
            # the answer is 400, never a 500 that the source would retry for days.
            logger.warning("webhook for connection %s is malformed: %r", connection.id, error)
            raise MalformedWebhook(
                "The delivery's payload does not have the shape this source sends."
            ) from error
    except WebhookRejected as rejected:
        logger.warning("webhook for connection %s rejected: %s", connection.id, rejected.message)
        return WebhookOutcome(
            rejected.status, {"error": {"code": rejected.code, "message": rejected.message}}
        )
    if result.verification_token:
        keep_verification_token(connection=connection, token=result.verification_token)
    if result.response is not None:
        return WebhookOutcome(200, result.response, result)
    if result.event_id and not first_delivery(connection.id, result.event_id):
        return WebhookOutcome(200, {"ok": True, "duplicate": True}, result)
    if connection.status != ConnectionStatus.NEEDS_CREDENTIALS:
        for consumer in consumers:
            consumer(connection, result)
    if connection.status == ConnectionStatus.ACTIVE:
        item_ids = [*result.changed_ids, *result.deleted_ids]
        if result.sync_needed:
            request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="webhook")
        elif item_ids:
            request_sync(
                connection=connection, mode=SyncMode.ITEMS, trigger="webhook", item_ids=item_ids
            )
    return WebhookOutcome(200, {"ok": True}, result)


MAX_VERIFICATION_TOKEN_LENGTH = 500


def keep_verification_token(*, connection: Connection, token: str) -> None:
    """Until the admin has pasted it, the handshake's token is shown on the connection's page
    (admins only). A later handshake replaces it: the admin verifies with the latest."""
    token = token.strip()[:MAX_VERIFICATION_TOKEN_LENGTH]
    Connection.objects.filter(id=connection.id).update(
        pending_webhook_token_encrypted=encrypt_json({"token": token})
    )


def first_delivery(connection_id: int, event_id: str) -> bool:
    """Sources retry deliveries they think failed; each event is acted on once."""
    key = f"webhook:seen:{connection_id}:{event_id}"
    return bool(redis_client().set(key, "1", nx=True, ex=DEDUPLICATE_FOR_SECONDS))
