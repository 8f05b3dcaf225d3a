"""Celery tasks: ids in, one service call, retried with backoff."""

from __future__ import annotations

from celery import shared_task

from privacy.services import MAX_ATTEMPTS, requeue_stale_requests, run_data_subject_request


@shared_task(
    name="privacy.run_data_subject_request",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=MAX_ATTEMPTS - 1,
)
def run_data_subject_request_task(request_id: int) -> None:
    """Idempotent: a request already done or failed is left alone (see the service)."""
    run_data_subject_request(request_id=request_id)


@shared_task(name="privacy.requeue_stale_requests", acks_late=True)
def requeue_stale_requests_task() -> None:
    """The safety net, on beat's schedule: requests whose task was lost are queued again."""
    requeue_stale_requests()
