"""Celery tasks: ids in, one service call, retried with backoff (routed to the `agent` queue
by the `agents.` name prefix in settings)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from agents.answers import answer_message
from agents.purge import SLACK_REFRESH_TASK, purge_revoked_citations
from agents.services.attachments import (
    PARSE_ATTACHMENT_TASK,
    PARSE_STALE_ATTACHMENTS_TASK,
    enqueue_parse,
    parse_attachment,
    stale_attachment_ids,
)
from agents.slack.bot import answer_slack_event, ask_from_event, refresh_slack_answer
from common.tasks import PURGE_REVOKED_CITATIONS_TASK
from connections.models import Connection
from connectors.base import WebhookResult


@shared_task(
    name="agents.answer_message",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=3,
)
def answer_message_task(agent_message_id: int) -> None:
    """Idempotent: a message already answered (or failed) is left as it is."""
    answer_message(agent_message_id=agent_message_id)


@shared_task(
    name="agents.answer_slack_event",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def answer_slack_event_task(connection_id: int, event: dict[str, Any]) -> None:
    """Idempotent: each Slack message is answered once (a Redis key per message)."""
    answer_slack_event(connection_id=connection_id, event=event)


@shared_task(
    name=PURGE_REVOKED_CITATIONS_TASK,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def purge_revoked_citations_task(workspace_id: int, document_ids: list[int] | None = None) -> int:
    """Queued by the layers below when access tightens. Idempotent: purged stays purged."""
    return purge_revoked_citations(workspace_id=workspace_id, document_ids=document_ids)


@shared_task(
    name=SLACK_REFRESH_TASK,
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def refresh_slack_answers_task(message_ids: list[int]) -> None:
    """Idempotent: each answer is re-rendered from what its channel may see now."""
    for message_id in message_ids:
        refresh_slack_answer(message_id=message_id)


def queue_slack_answer(connection: Connection, result: WebhookResult) -> None:
    """The webhook consumer: questions for the bot go to the `agent` queue at once, so Slack
    gets its acknowledgement well within its 3 seconds."""
    if ask_from_event(result.event) is not None:
        answer_slack_event_task.delay(connection.id, dict(result.event))


@shared_task(
    name=PARSE_ATTACHMENT_TASK,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def parse_attachment_task(attachment_id: int) -> None:
    """Parse an attached file in the sandbox, then chunk and embed it. Idempotent (see the
    service). On the embed queue (settings.CELERY_TASK_ROUTES), beside folder uploads."""
    parse_attachment(attachment_id=attachment_id)


@shared_task(name=PARSE_STALE_ATTACHMENTS_TASK, acks_late=True)
def parse_stale_attachments_task() -> None:
    """The safety net: attachments whose parse task was never delivered are queued again."""
    for attachment_id in stale_attachment_ids():
        enqueue_parse(attachment_id)
