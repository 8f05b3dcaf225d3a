"""Celery tasks: ids in, one service call, retried with backoff (routed to the `agent` queue
by the `agents.` name prefix in settings)."""

from __future__ import annotations

from celery import shared_task

from agents.answers import answer_message


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
