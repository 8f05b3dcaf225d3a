"""The ingestion pipeline on real Postgres with the real embedder."""

from __future__ import annotations

import pytest

from connectors.documents import AccessList
from knowledge.ingestion import (
    index_documents,
    ingest_documents,
    upsert_documents,
)
from knowledge.models import Chunk, Document, DocumentStatus
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db

LONG_TEXT = "\n\n".join(
    f"## Section {n}\n\nThe quarterly planning process step {n} requires the owner to "
    "file the budget request, review headcount and confirm vendor contracts before the "
    "deadline. " * 3
    for n in range(12)
)


def test_ingest_chunks_embeds_and_marks_ready(tenant: Tenant, embedder) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    _, stats = ingest_documents(
        data_source=folder,
        documents=[doc("plan", "Planning guide", LONG_TEXT, breadcrumb=("Ops",))],
        embeddings=embedder,
    )
    document = Document.objects.get(external_id="plan")
    assert document.status == DocumentStatus.READY
    assert document.indexed_hash == document.content_hash
    chunks = list(Chunk.objects.filter(document=document).order_by("position"))
    assert len(chunks) == document.chunk_count == stats.chunks > 3
    assert all(chunk.text.startswith("Planning guide › Ops") for chunk in chunks)
    assert all(len(chunk.embedding) == 384 for chunk in chunks)
    assert chunks[0].parents == ["plan"]
    assert stats.embedded == len({chunk.text_hash for chunk in chunks})


def test_reingesting_an_unchanged_document_embeds_nothing(tenant: Tenant, embedder) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    documents = [doc(f"d{n}", f"Doc {n}", f"Body number {n} about expenses.") for n in range(5)]
    ingest_documents(data_source=folder, documents=documents, embeddings=embedder)
    chunk_ids = set(Chunk.objects.values_list("id", flat=True))

    upserted, stats = ingest_documents(data_source=folder, documents=documents, embeddings=embedder)
    assert upserted.to_index == []
    assert len(upserted.unchanged) == 5
    assert (stats.embedded, stats.chunks) == (0, 0)
    assert set(Chunk.objects.values_list("id", flat=True)) == chunk_ids  # untouched


def test_a_changed_document_reuses_vectors_of_unchanged_chunk_texts(
    tenant: Tenant, embedder
) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    ingest_documents(
        data_source=folder, documents=[doc("plan", "Plan", LONG_TEXT)], embeddings=embedder
    )
    before = Chunk.objects.filter(document__external_id="plan").count()
    edited = LONG_TEXT + "\n\n## Appendix\n\nA new closing paragraph about travel."
    _, stats = ingest_documents(
        data_source=folder, documents=[doc("plan", "Plan", edited)], embeddings=embedder
    )
    assert stats.documents == 1
    assert stats.reused >= before - 2  # only the chunks that changed are embedded again
    assert 1 <= stats.embedded <= 2


def test_an_access_change_updates_chunks_without_embedding(tenant: Tenant, embedder) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    ingest_documents(
        data_source=folder, documents=[doc("memo", "Memo", "Salary bands")], embeddings=embedder
    )
    restricted = AccessList(public=False, emails=("Member@Acme.test",))
    upserted, stats = ingest_documents(
        data_source=folder,
        documents=[doc("memo", "Memo", "Salary bands", access=restricted, parents=("hr",))],
        embeddings=embedder,
    )
    assert upserted.to_index == [] and stats.embedded == 0
    chunk = Chunk.objects.get(document__external_id="memo")
    assert (chunk.access_public, chunk.access_emails) == (False, ["member@acme.test"])
    assert chunk.parents == ["memo", "hr"]


def test_indexing_twice_is_idempotent(tenant: Tenant, embedder) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    upserted = upsert_documents(data_source=folder, documents=[doc("a", "A", "alpha text")])
    first = index_documents(document_ids=upserted.to_index, embeddings=embedder)
    again = index_documents(document_ids=upserted.to_index, embeddings=embedder)
    assert (first.documents, again.documents, again.skipped) == (1, 0, 1)
    assert Chunk.objects.count() == 1


def test_an_empty_document_is_still_findable_by_title(tenant: Tenant, embedder) -> None:
    folder = make_folder(tenant, tenant.company_space.id, "Handbook").data_source
    ingest_documents(
        data_source=folder, documents=[doc("hub", "Links hub", "")], embeddings=embedder
    )
    assert list(Chunk.objects.values_list("text", flat=True)) == ["Links hub"]
