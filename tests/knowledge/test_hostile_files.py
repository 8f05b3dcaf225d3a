"""The hostile-file suite, through the API and a real worker: every generated hostile file
(zip bombs in each Office format, 100k-part zips, zips of zips, billion laughs, 30,000-page
and huge-image PDFs, deep HTML and JSON, text floods) ends as a failed document with its
reason, or read within the limits, and the worker goes on to read the good file after them.
The web process's peak memory over the same files is measured by `python -m benchmarks
hostile-files` (no timed or memory assertions here)."""

from __future__ import annotations

import os
import time
from typing import Any

import pytest

from knowledge.models import Document, DocumentStatus, StoredUpload
from knowledge.uploads import BoundedTemporaryFileUploadHandler
from tests.factories import Tenant
from tests.hostile_files import good_markdown, suite, text_flood
from tests.knowledge.test_uploads_api import create_folder, logged_in, upload
from tests.processes import celery_worker

MB = 1024 * 1024


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_each_hostile_file_fails_alone_with_its_reason_and_the_worker_carries_on(
    tenant: Tenant,
) -> None:
    builder = logged_in(tenant.builder)
    ws = tenant.workspace.id
    folder = create_folder(builder, ws, tenant.company_space.id, "Hostile")
    hostile = [item for item in suite() if item.name != "text-100m-one-character"]
    files = {item.filename: item.build() for item in hostile}
    files["policy.md"] = good_markdown()  # last: the worker must still read it
    response = upload(builder, ws, folder, files)
    assert response.status_code == 201, response.content
    assert {item["status"] for item in response.json()["files"]} == {"queued"}
    del files

    with celery_worker(queues="embed"):
        deadline = time.monotonic() + 150
        while Document.objects.filter(status=DocumentStatus.PENDING).exists():
            assert time.monotonic() < deadline, "documents still pending after 150 s"
            time.sleep(0.5)

    documents = {doc.external_id: doc for doc in Document.objects.filter(data_source_id=folder)}
    outcomes = {}
    for item in hostile:
        document = documents[f"file:{item.filename}"]
        outcome = document.error_code or document.status
        outcomes[item.name] = outcome
        if outcome != "ready":
            assert document.status == DocumentStatus.FAILED
            assert document.error_message
    unexpected = {
        item.name: outcomes[item.name]
        for item in hostile
        if outcomes[item.name] not in item.expected
    }
    assert not unexpected, outcomes
    reasons = {
        external_id: doc.error_message for external_id, doc in documents.items() if doc.error_code
    }
    assert "expands to more than 200 MB when unpacked" in reasons["file:bomb.docx"]
    assert "more than 2,000 pages" in reasons["file:pages.pdf"]
    flood = documents["file:flood.txt"]
    assert flood.status == DocumentStatus.READY
    assert flood.text.endswith("split it into smaller files to include the rest._")
    assert documents["file:policy.md"].status == DocumentStatus.READY
    assert not StoredUpload.objects.exists()


@pytest.mark.django_db
def test_a_file_past_the_upload_limit_fails_while_streaming_and_the_others_go_on(
    tenant: Tenant, settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 1 * MB
    builder = logged_in(tenant.builder)
    ws = tenant.workspace.id
    folder = create_folder(builder, ws, tenant.company_space.id, "Floods")
    response = upload(
        builder, ws, folder, {"flood.txt": text_flood(5 * MB), "policy.md": good_markdown()}
    )
    assert response.status_code == 201, response.content
    outcomes = {item["filename"]: item for item in response.json()["files"]}
    assert outcomes["flood.txt"]["status"] == "failed"
    assert outcomes["flood.txt"]["error_code"] == "file_too_large"
    assert "5 MB, which is over the 1 MB upload limit" in outcomes["flood.txt"]["error_message"]
    assert outcomes["policy.md"]["status"] == "queued"
    stored = StoredUpload.objects.get()
    assert stored.filename == "policy.md"  # the flood was never stored


def test_the_upload_handler_stops_writing_a_file_at_the_limit(settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 1 * MB
    handler = BoundedTemporaryFileUploadHandler()
    handler.new_file("files", "flood.txt", "text/plain", None)
    chunk = b"a" * (64 * 1024)
    for start in range(0, 4 * MB, len(chunk)):
        assert handler.receive_data_chunk(chunk, start) is None
    received = handler.file_complete(4 * MB)
    assert received.too_large  # type: ignore[attr-defined]
    assert received.size == 4 * MB
    # Nothing of it stays on disk either: the part written before the limit is dropped.
    assert os.path.getsize(received.temporary_file_path()) == 0
    received.close()

    handler.new_file("files", "small.txt", "text/plain", None)
    handler.receive_data_chunk(b"hello", 0)
    small = handler.file_complete(5)
    assert not small.too_large  # type: ignore[attr-defined]
    assert small.read() == b"hello"
    small.close()
