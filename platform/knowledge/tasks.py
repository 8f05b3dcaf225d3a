"""Celery tasks: ids in, one service call, retried with backoff."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from celery import shared_task
from kombu.exceptions import OperationalError

from knowledge.ingestion import index_documents, stale_document_ids
from knowledge.uploads import enqueue_parse, parse_stored_upload, stale_upload_ids

logger = logging.getLogger(__name__)

INDEX_BATCH = 100


@shared_task(
    name="knowledge.index_documents",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def index_documents_task(document_ids: list[int]) -> None:
    """Idempotent: documents already indexed at their current content are skipped."""
    index_documents(document_ids=document_ids)


@shared_task(
    name="knowledge.parse_uploaded_file",
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def parse_uploaded_file_task(upload_id: int) -> None:
    """Parse a stored upload in the sandbox, then ingest it. Idempotent (see the service).
    On the embed queue (the `knowledge.*` route): like embedding, it is the CPU-heavy half
    of an upload, and the sandbox bounds what one file may take of it."""
    parse_stored_upload(upload_id=upload_id)


@shared_task(name="knowledge.index_stale_documents", acks_late=True)
def index_stale_documents_task() -> None:
    """The safety net: documents whose indexing was never queued (broker down) or whose
    task gave up, and uploads whose parse task was lost, are picked up again on beat's
    schedule."""
    ids = stale_document_ids()
    for start in range(0, len(ids), INDEX_BATCH):
        enqueue_indexing(ids[start : start + INDEX_BATCH])
    for upload_id in stale_upload_ids():
        enqueue_parse(upload_id)


def enqueue_indexing(document_ids: Sequence[int]) -> None:
    """Queue indexing; if the broker is unreachable the documents stay pending, and the
    stale-document sweep queues them once it is back. Nothing is lost either way."""
    if not document_ids:
        return
    try:
        index_documents_task.delay(list(document_ids))
    except OperationalError:
        logger.warning(
            "broker unreachable; %d documents stay pending until the next sweep",
            len(document_ids),
        )
