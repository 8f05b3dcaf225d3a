"""Stored uploads and the parse task, called in this process (the task is ours): bytes in
1 MiB parts, idempotent redelivery, newer uploads overtaking older ones, a bad new version
that leaves the old one searchable, and the sweep for uploads whose task was lost."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from knowledge import services
from knowledge.ingestion import index_documents
from knowledge.models import Chunk, Document, DocumentStatus, StoredUpload, StoredUploadPart
from knowledge.uploads import PART_BYTES, parse_stored_upload, stale_upload_ids
from tests.factories import Tenant
from tests.knowledge.conftest import make_folder
from tests.knowledge.test_uploads_api import pdf_bytes


def upload_one(tenant: Tenant, data_source_id: int, filename: str, content: bytes) -> Any:
    [outcome] = services.upload_files(
        actor=tenant.builder,
        data_source_id=data_source_id,
        files=[
            services.UploadedFile(
                filename=filename,
                content_type=None,
                size=len(content),
                stream=io.BytesIO(content),
            )
        ],
    )
    return outcome


@pytest.fixture
def folder(tenant: Tenant) -> int:
    return make_folder(tenant, tenant.company_space.id, "Uploads").data_source_id


@pytest.mark.django_db
def test_bytes_are_stored_in_parts_of_one_mebibyte(tenant: Tenant, folder: int) -> None:
    content = b"line of text\n" * (PART_BYTES * 5 // 26)  # 2.5 MiB
    outcome = upload_one(tenant, folder, "long.txt", content)
    assert outcome.status == "queued"
    stored = StoredUpload.objects.get(document_id=outcome.document_id)
    parts = [
        bytes(data) for data in stored.parts.order_by("position").values_list("data", flat=True)
    ]
    assert [len(part) for part in parts] == [PART_BYTES, PART_BYTES, len(content) - 2 * PART_BYTES]
    assert b"".join(parts) == content
    document = Document.objects.get(id=outcome.document_id)
    assert (document.status, document.title, document.size_bytes) == (
        DocumentStatus.PENDING,
        "long.txt",
        len(content),
    )


@pytest.mark.django_db
def test_a_redelivered_parse_task_does_nothing(tenant: Tenant, folder: int) -> None:
    outcome = upload_one(tenant, folder, "a.md", b"# Alpha\n\nFirst words.")
    upload_id = StoredUpload.objects.get().id
    parse_stored_upload(upload_id=upload_id)
    document = Document.objects.get(id=outcome.document_id)
    assert (document.title, document.text) == ("Alpha", "# Alpha\n\nFirst words.")
    assert not StoredUploadPart.objects.exists()
    parse_stored_upload(upload_id=upload_id)  # redelivered: the upload is gone, nothing to do
    assert Document.objects.get(id=outcome.document_id).content_hash == document.content_hash


@pytest.mark.django_db
def test_a_newer_upload_overtakes_an_older_one_still_queued(tenant: Tenant, folder: int) -> None:
    first = upload_one(tenant, folder, "a.md", b"old words")
    second = upload_one(tenant, folder, "a.md", b"new words")
    assert first.document_id == second.document_id
    older, newer = StoredUpload.objects.order_by("id").values_list("id", flat=True)
    parse_stored_upload(upload_id=older)  # overtaken: dropped unread
    assert Document.objects.get(id=first.document_id).text == ""
    parse_stored_upload(upload_id=newer)
    assert Document.objects.get(id=first.document_id).text == "new words"
    assert not StoredUpload.objects.exists()


@pytest.mark.django_db
def test_a_bad_new_version_keeps_the_old_one_searchable(
    tenant: Tenant, folder: int, embedder: Any
) -> None:
    good = upload_one(tenant, folder, "report.pdf", pdf_bytes("Revenue grew in the third quarter."))
    parse_stored_upload(upload_id=StoredUpload.objects.get().id)
    index_documents(document_ids=[good.document_id], embeddings=embedder)
    broken = b"%PDF-1.4 damaged"
    assert upload_one(tenant, folder, "report.pdf", broken).status == "queued"
    assert Document.objects.get(id=good.document_id).status == DocumentStatus.PENDING
    parse_stored_upload(upload_id=StoredUpload.objects.get().id)
    document = Document.objects.get(id=good.document_id)
    assert (document.status, document.error_code) == (DocumentStatus.READY, "corrupt_pdf")
    assert "third quarter" in document.text
    assert Chunk.objects.filter(document=document).exists()
    # The same broken bytes again are read again (they might have failed for the machine's
    # sake, a time limit on a busy worker), not reported unchanged.
    assert upload_one(tenant, folder, "report.pdf", broken).status == "queued"


@pytest.mark.django_db
def test_a_new_file_that_fails_to_parse_is_a_failed_document(tenant: Tenant, folder: int) -> None:
    outcome = upload_one(tenant, folder, "broken.docx", b"PK\x03\x04 not a zip at all")
    parse_stored_upload(upload_id=StoredUpload.objects.get().id)
    document = Document.objects.get(id=outcome.document_id)
    assert (document.status, document.error_code) == (DocumentStatus.FAILED, "corrupt_file")
    assert "Word document could not be read" in document.error_message


@pytest.mark.django_db
def test_uploads_whose_task_was_lost_are_swept(tenant: Tenant, folder: int) -> None:
    upload_one(tenant, folder, "a.md", b"words")
    stored = StoredUpload.objects.get()
    assert stale_upload_ids() == []
    StoredUpload.objects.filter(id=stored.id).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    assert stale_upload_ids() == [stored.id]


@pytest.mark.django_db
def test_a_document_deleted_while_its_file_was_read_stays_deleted(
    tenant: Tenant, folder: int
) -> None:
    outcome = upload_one(tenant, folder, "a.md", b"words")
    stored = StoredUpload.objects.get()
    services.delete_document(
        actor=tenant.builder, data_source_id=folder, document_id=outcome.document_id
    )
    # The task had already loaded its upload; it must not bring the document back.
    from knowledge.uploads import _still_current

    assert not _still_current(stored)
    parse_stored_upload(upload_id=stored.id)
    assert not Document.objects.filter(id=outcome.document_id).exists()
