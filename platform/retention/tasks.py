"""The retention beat task: thin, idempotent (a redelivery finds nothing more to delete)."""

from __future__ import annotations

from celery import shared_task

from retention.services import enforce_all_retention


@shared_task(name="retention.enforce_retention", acks_late=True)
def enforce_retention_task() -> None:
    enforce_all_retention()
