"""Celery tasks for syncs (the `sync` queue): ids in, one service call, bounded retries."""

from __future__ import annotations

import logging
import time

from celery import Task, shared_task
from django.conf import settings
from kombu.exceptions import OperationalError

from connections.engine import SyncBusy, SyncInterrupted
from connections.models import SyncRun
from connections.services import fail_sync_run, note_sync_retry, run_sync, schedule_syncs

logger = logging.getLogger(__name__)

MAX_SYNC_RETRIES = 8


class _DeliveryDone(Exception):
    """This delivery's share of a long sync is spent; the page just stored is checkpointed."""


@shared_task(bind=True, name="sync.run_sync", acks_late=True, max_retries=MAX_SYNC_RETRIES)
def run_sync_task(self: Task, run_id: int) -> None:
    """Idempotent: a finished run is left alone; a running one resumes from its checkpoint.

    A long sync is done in deliveries of SYNC_DELIVERY_SECONDS: once a page is stored past
    them, this delivery stops and queues the rest, which resumes from that page's checkpoint.
    So no delivery nears the task time limit or the broker's visibility timeout."""
    deadline = time.monotonic() + settings.SYNC_DELIVERY_SECONDS

    def hand_on_when_due(_run: SyncRun) -> None:
        if time.monotonic() >= deadline:
            raise _DeliveryDone

    try:
        run_sync(run_id=run_id, on_page=hand_on_when_due)
    except _DeliveryDone:
        enqueue_sync(run_id)
    except SyncBusy:
        # Another worker holds the connection; its lock expires if it died.
        raise self.retry(countdown=30, max_retries=None) from None
    except SyncInterrupted as interrupted:
        error = interrupted.error
        if self.request.retries >= MAX_SYNC_RETRIES:
            fail_sync_run(
                run_id=run_id,
                code=error.code,
                message=f"{error.message} The sync gave up after {MAX_SYNC_RETRIES} retries; "
                "the next scheduled sync tries again, or start one from the console.",
            )
            return
        note_sync_retry(run_id=run_id, code=error.code, message=error.message)
        raise self.retry(countdown=min(600, 15 * 2**self.request.retries)) from None


@shared_task(name="sync.schedule_syncs", acks_late=True)
def schedule_syncs_task() -> None:
    schedule_syncs()


def enqueue_sync(run_id: int) -> None:
    """Send the run to the sync queue; with the broker down the run stays queued and the
    scheduler sends it again later."""
    try:
        run_sync_task.delay(run_id)
    except OperationalError:
        logger.warning("broker unreachable; sync run %s stays queued", run_id)
