"""Uploads through the API: stored by the web request, parsed and indexed by a real Celery
worker; bad files fail on their own (at once when no parsing is needed to tell, otherwise on
the document once the worker read it)."""

from __future__ import annotations

import io
import time
from typing import Any

import pytest
from django.test import Client
from fpdf import FPDF

from knowledge.ingestion import index_documents
from knowledge.models import Document, DocumentStatus, StoredUpload
from knowledge.uploads import parse_stored_upload
from tests.factories import Tenant
from tests.processes import celery_worker


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def upload(client: Client, workspace_id: int, data_source_id: int, files: dict[str, bytes]) -> Any:
    handles = []
    for name, content in files.items():
        handle = io.BytesIO(content)
        handle.name = name
        handles.append(handle)
    return client.post(
        f"/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/files",
        {"files": handles},
    )


def logged_in(membership: Any) -> Client:
    client = Client()
    client.force_login(membership.user)
    return client


def create_folder(client: Client, workspace_id: int, space_id: int, name: str) -> int:
    response = client.post(
        f"/api/v1/workspaces/{workspace_id}/spaces/{space_id}/folders",
        {"name": name},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return int(response.json()["data_source_id"])


@pytest.mark.django_db(transaction=True)
def test_a_batch_with_bad_files_keeps_the_good_ones_and_they_become_searchable(
    tenant: Tenant, settings: Any
) -> None:
    settings.MAX_UPLOAD_BYTES = 50_000
    builder = logged_in(tenant.builder)
    ws = tenant.workspace.id
    folder = create_folder(builder, ws, tenant.company_space.id, "Policies")
    response = upload(
        builder,
        ws,
        folder,
        {
            "travel.md": b"# Travel policy\n\nBook trains for trips under 4 hours.",
            "security.pdf": pdf_bytes("Security policy: rotate your password every 90 days."),
            "broken.pdf": b"%PDF-1.4 this is not really a pdf",
            "empty.txt": b"",
            "huge.txt": b"x" * 60_000,
            "virus.exe": b"MZ\x90\x00",
        },
    )
    assert response.status_code == 201, response.content
    outcomes = {item["filename"]: item for item in response.json()["files"]}
    assert {name: o["status"] for name, o in outcomes.items()} == {
        "travel.md": "queued",
        "security.pdf": "queued",
        "broken.pdf": "queued",  # only reading it tells it is broken: the worker does
        "empty.txt": "failed",
        "huge.txt": "failed",
        "virus.exe": "failed",
    }
    assert outcomes["empty.txt"]["error_code"] == "empty_file"
    assert outcomes["huge.txt"]["error_code"] == "file_too_large"
    assert outcomes["virus.exe"]["error_code"] == "unsupported_type"
    assert all(o["error_message"] for o in outcomes.values() if o["status"] == "failed")

    with celery_worker(queues="embed"):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pending = Document.objects.filter(status=DocumentStatus.PENDING).count()
            if pending == 0:
                break
            time.sleep(0.3)
    listing = builder.get(f"/api/v1/workspaces/{ws}/data-sources/{folder}/documents").json()
    statuses = {item["title"]: (item["status"], item["error_code"]) for item in listing["items"]}
    assert statuses["Travel policy"] == ("ready", "")
    assert statuses["broken.pdf"] == ("failed", "corrupt_pdf")
    broken = next(item for item in listing["items"] if item["title"] == "broken.pdf")
    assert "could not be read" in broken["error_message"]
    assert not StoredUpload.objects.exists()  # the bytes are gone once parsed

    member = logged_in(tenant.member)
    hits = member.get(f"/api/v1/workspaces/{ws}/search", {"query": "how often rotate password"})
    assert hits.status_code == 200, hits.content
    top = hits.json()[0]
    assert "90 days" in top["passages"][0]["text"]
    document = member.get(f"/api/v1/workspaces/{ws}/documents/{top['document_id']}")
    assert document.status_code == 200
    assert "rotate your password" in document.json()["text"]


@pytest.mark.django_db
def test_uploading_the_same_file_again_embeds_nothing(tenant: Tenant, embedder: Any) -> None:
    builder = logged_in(tenant.builder)
    ws = tenant.workspace.id
    folder = create_folder(builder, ws, tenant.company_space.id, "Notes")
    first = upload(builder, ws, folder, {"a.txt": b"hello world"}).json()["files"][0]
    assert first["status"] == "queued"
    assert Document.objects.get(id=first["document_id"]).status == DocumentStatus.PENDING
    parse_all_stored_uploads()
    index_documents(document_ids=[first["document_id"]], embeddings=embedder)
    again = upload(builder, ws, folder, {"a.txt": b"hello world"}).json()["files"][0]
    assert again == {**first, "status": "unchanged"}
    assert not StoredUpload.objects.exists()  # unchanged bytes are not stored again
    edited = upload(builder, ws, folder, {"a.txt": b"hello there"}).json()["files"][0]
    assert (edited["status"], edited["document_id"]) == ("queued", first["document_id"])
    parse_all_stored_uploads()
    assert Document.objects.get(id=first["document_id"]).text == "hello there"


def parse_all_stored_uploads() -> None:
    """What the worker's parse task does, in this process (the task is ours)."""
    for upload_id in StoredUpload.objects.order_by("id").values_list("id", flat=True):
        parse_stored_upload(upload_id=upload_id)


@pytest.mark.django_db
def test_who_may_upload_and_read(tenant: Tenant, other_tenant: Tenant) -> None:
    ws = tenant.workspace.id
    admin = logged_in(tenant.admin)
    folder = create_folder(admin, ws, tenant.restricted_space.id, "Finance files")
    upload(admin, ws, folder, {"q3.txt": b"Q3 revenue was 12 million."})

    # A member (read access via group) may read but not upload.
    member = logged_in(tenant.member)
    refused = upload(member, ws, folder, {"x.txt": b"x"})
    assert refused.status_code == 403
    assert member.get(f"/api/v1/workspaces/{ws}/data-sources/{folder}/documents").status_code == 200

    # Someone outside the space, and anyone from another workspace, gets 404 everywhere.
    document_id = Document.objects.get(external_id="file:q3.txt").id
    for outsider in (logged_in(tenant.outsider), logged_in(other_tenant.admin)):
        assert upload(outsider, ws, folder, {"x.txt": b"x"}).status_code == 404
        assert (
            outsider.get(f"/api/v1/workspaces/{ws}/data-sources/{folder}/documents").status_code
            == 404
        )
        assert outsider.get(f"/api/v1/workspaces/{ws}/documents/{document_id}").status_code == 404
    sources = logged_in(tenant.outsider).get(f"/api/v1/workspaces/{ws}/data-sources").json()
    assert "Finance files" not in [s["name"] for s in sources]

    # A builder can't create a folder in a space they only read; members can't at all.
    assert (
        logged_in(tenant.member)
        .post(
            f"/api/v1/workspaces/{ws}/spaces/{tenant.company_space.id}/folders",
            {"name": "Mine"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_upload_without_files_gets_a_clear_error(tenant: Tenant) -> None:
    builder = logged_in(tenant.builder)
    ws = tenant.workspace.id
    folder = create_folder(builder, ws, tenant.company_space.id, "Empty")
    response = builder.post(f"/api/v1/workspaces/{ws}/data-sources/{folder}/files", {})
    assert response.status_code in {400, 422}
    assert "files" in response.json()["error"]["message"]
