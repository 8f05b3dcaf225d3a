"""Uploaded files from the request to the index: streamed to a temporary file and counted
while they arrive, stored in Postgres in parts, parsed by a worker in the sandbox, then
ingested like any other document.

The web request never holds a whole file in memory and never parses one: a hostile file
costs a worker's child process its limits, and nothing else.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from common.parsing import DocumentParseError, ParsedDocument
from common.parsing.sandbox import parse_in_sandbox
from connectors.documents import DocumentInput
from knowledge.ingestion import record_document_failure, upsert_documents
from knowledge.models import DataSource, Document, DocumentStatus, StoredUpload, StoredUploadPart

logger = logging.getLogger(__name__)

PART_BYTES = 1024 * 1024
# A stored upload still here this long after it arrived lost its parse task (broker down,
# worker killed past its retries): the sweep queues it again. Longer than a parse may take.
STALE_UPLOAD_AFTER = timedelta(minutes=10)


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Writes each file to a temporary file as it arrives (never to memory) and stops
    writing one past MAX_UPLOAD_BYTES: the rest of its bytes are counted and dropped, and
    the file arrives marked `too_large` with the size it had, so it alone fails."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.limit = int(settings.MAX_UPLOAD_BYTES)
        self.received = 0
        self.too_large = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            if not self.too_large:
                self.too_large = True
                self.file.seek(0)
                self.file.truncate()  # what was written is of no use now; free the disk
            return None
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> TemporaryUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        self.file.too_large = self.too_large  # type: ignore[attr-defined]
        return self.file


def file_parts(stream: IO[bytes]) -> Iterator[bytes]:
    """The file's bytes in parts of PART_BYTES, from the start: one part in memory at a time."""
    stream.seek(0)
    while part := stream.read(PART_BYTES):
        yield part


def file_digest(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for part in file_parts(stream):
        digest.update(part)
    return digest.hexdigest()


def store_upload(
    *,
    document: Document,
    filename: str,
    content_type: str,
    size: int,
    sha256: str,
    stream: IO[bytes],
) -> StoredUpload:
    """Copy the file into the database one part at a time (inside the caller's transaction)."""
    upload = StoredUpload.objects.create(
        workspace_id=document.workspace_id,
        document=document,
        filename=filename,
        content_type=content_type,
        size_bytes=size,
        sha256=sha256,
    )
    for position, part in enumerate(file_parts(stream)):
        StoredUploadPart.objects.create(upload=upload, position=position, data=part)
    return upload


def enqueue_parse(upload_id: int) -> None:
    from kombu.exceptions import OperationalError

    from knowledge.tasks import parse_uploaded_file_task

    try:
        parse_uploaded_file_task.delay(upload_id)
    except OperationalError:
        logger.warning("broker unreachable; upload %d waits for the stale-upload sweep", upload_id)


def stale_upload_ids(*, older_than: timedelta = STALE_UPLOAD_AFTER) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        StoredUpload.objects.filter(created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )


def parse_stored_upload(*, upload_id: int) -> None:
    """Parse a stored upload in the sandbox and ingest the text, or record why it failed.

    Idempotent: a redelivered task finds its upload gone and does nothing; an upload that a
    newer upload of the same file overtook is dropped unread.
    """
    upload = (
        StoredUpload.objects.select_related("document__data_source").filter(id=upload_id).first()
    )
    if upload is None:
        return
    document = upload.document
    if StoredUpload.objects.filter(document_id=document.id, id__gt=upload.id).exists():
        upload.delete()
        return
    parts = StoredUploadPart.objects.filter(upload=upload).order_by("position")
    try:
        parsed = parse_stored_parts(
            parts=parts.values_list("data", flat=True),
            filename=upload.filename,
            content_type=upload.content_type,
        )
    except DocumentParseError as error:
        _record_parse_failure(upload=upload, error=error)
        return
    data_source: DataSource = document.data_source
    with transaction.atomic():
        if not _still_current(upload):
            return
        result = upsert_documents(
            data_source=data_source,
            documents=[
                DocumentInput(
                    external_id=document.external_id,
                    title=parsed.title,
                    text=parsed.text,
                    mime_type=upload.content_type,
                    breadcrumb=(data_source.name,),
                    size_bytes=upload.size_bytes,
                )
            ],
        )
        # Same text as the version already indexed (new bytes, same words): ready again.
        Document.objects.filter(
            id=document.id, status=DocumentStatus.PENDING, indexed_hash=F("content_hash")
        ).exclude(indexed_hash="").update(status=DocumentStatus.READY)
        upload.delete()
        if result.to_index:
            from knowledge.tasks import enqueue_indexing

            ids = list(result.to_index)
            transaction.on_commit(lambda: enqueue_indexing(ids))


def parse_stored_parts(
    *, parts: QuerySet[Any, Any], filename: str, content_type: str
) -> ParsedDocument:
    """Write a stored file's parts (a query of their bytes, in order) to a temporary file and
    parse it in the sandbox with the upload limits; raises DocumentParseError with the reason.
    Shared by folder uploads and conversation attachments (agents.services.attachments)."""
    with tempfile.NamedTemporaryFile(prefix="upload-") as handle:
        # One part in memory at a time, on both sides of the database.
        for data in parts.iterator(chunk_size=1):
            handle.write(bytes(data))
        handle.flush()
        return parse_in_sandbox(
            filename=filename,
            path=handle.name,
            content_type=content_type or None,
            max_bytes=int(settings.MAX_UPLOAD_BYTES),
        )


def _still_current(upload: StoredUpload) -> bool:
    """Whether the parse's outcome may still be written (inside the writing transaction).
    While the file was being read its document may have been deleted (the upload went with
    it: writing now would bring the document back) or a newer upload of it may have arrived
    (that one's outcome wins); then this one is dropped."""
    if not StoredUpload.objects.select_for_update().filter(id=upload.id).exists():
        return False
    if StoredUpload.objects.filter(document_id=upload.document_id, id__gt=upload.id).exists():
        upload.delete()
        return False
    return True


def _record_parse_failure(*, upload: StoredUpload, error: DocumentParseError) -> None:
    document = upload.document
    with transaction.atomic():
        if not _still_current(upload):
            return
        failed = record_document_failure(
            data_source=document.data_source,
            external_id=document.external_id,
            title=upload.filename,
            code=error.code,
            message=error.message,
            size_bytes=upload.size_bytes,
        )
        # An earlier version that was indexed stays searchable (and shows the new error);
        # forget the bytes' hash so the same file uploaded again is read again.
        current = failed.indexed_hash and failed.indexed_hash == failed.content_hash
        Document.objects.filter(id=failed.id).update(
            status=DocumentStatus.READY if current else DocumentStatus.FAILED, file_sha256=""
        )
        upload.delete()
