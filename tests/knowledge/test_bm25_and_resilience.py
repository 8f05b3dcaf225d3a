"""BM25 statistics kept by triggers, document routes under access lists, and uploads while the
broker is down."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from config.celery import app as celery_app
from connectors.documents import AccessList
from knowledge.access import reader_scope
from knowledge.ingestion import (
    delete_documents,
    index_documents,
    ingest_documents,
    stale_document_ids,
)
from knowledge.models import Document, DocumentStatus, StoredUpload, TermStat
from knowledge.selectors import bm25_query_terms, full_text_candidates
from knowledge.uploads import parse_stored_upload, stale_upload_ids
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db


def counts(tenant: Tenant, *lexemes: str) -> dict[str, int]:
    rows = TermStat.objects.filter(workspace=tenant.workspace, lexeme__in=lexemes)
    return {row.lexeme: row.chunk_count for row in rows}


def test_document_frequencies_follow_inserts_and_deletes(tenant: Tenant, embedder: Any) -> None:
    source = make_folder(tenant, tenant.company_space.id, "Notes").data_source
    ingest_documents(
        data_source=source,
        documents=[
            doc("a", "Alpha", "Penguins live in Antarctica."),
            doc("b", "Beta", "Penguins eat krill."),
        ],
        embeddings=embedder,
    )
    assert counts(tenant, "penguin", "krill", "") == {"penguin": 2, "krill": 1, "": 2}
    delete_documents(data_source=source, external_ids=["b"])
    assert counts(tenant, "penguin", "krill", "") == {"penguin": 1, "krill": 0, "": 1}
    terms = {
        term.lexeme: term.idf for term in bm25_query_terms(tenant.workspace.id, "penguins krill")
    }
    assert set(terms) == {"penguin"}  # a word no chunk holds has no weight


def test_bm25_prefers_the_rarer_word(tenant: Tenant, embedder: Any) -> None:
    source = make_folder(tenant, tenant.company_space.id, "Notes").data_source
    common = [doc(f"c{n}", f"Report {n}", f"The budget report number {n}.") for n in range(8)]
    ingest_documents(
        data_source=source,
        documents=[*common, doc("rare", "Audit", "The budget audit found a discrepancy.")],
        embeddings=embedder,
    )
    scope = reader_scope(membership=tenant.member)
    ranked = full_text_candidates(scope, "budget discrepancy", limit=3)
    assert Document.objects.get(chunks__id=ranked[0]).external_id == "rare"


def test_document_routes_apply_source_access_lists(
    tenant: Tenant, other_tenant: Tenant, embedder: Any
) -> None:
    view = make_folder(tenant, tenant.company_space.id, "HR")
    ingest_documents(
        data_source=view.data_source,
        documents=[
            doc("open", "Handbook", "Everyone may read this."),
            doc(
                "private",
                "Salaries",
                "Only member may read this.",
                access=AccessList(public=False, emails=("member@acme.test",)),
            ),
        ],
        embeddings=embedder,
    )
    private = Document.objects.get(external_id="private")
    ws, source = tenant.workspace.id, view.data_source_id

    def client_for(membership: Any) -> Client:
        client = Client()
        client.force_login(membership.user)
        return client

    member, outsider = client_for(tenant.member), client_for(tenant.outsider)
    assert member.get(f"/api/v1/workspaces/{ws}/documents/{private.id}").status_code == 200
    assert outsider.get(f"/api/v1/workspaces/{ws}/documents/{private.id}").status_code == 404
    listed = outsider.get(f"/api/v1/workspaces/{ws}/data-sources/{source}/documents").json()
    assert [item["title"] for item in listed["items"]] == ["Handbook"]
    search = outsider.get(f"/api/v1/workspaces/{ws}/search", {"query": "who may read salaries"})
    assert "Salaries" not in [hit["title"] for hit in search.json()]
    stranger = client_for(other_tenant.admin)
    assert stranger.get(f"/api/v1/workspaces/{ws}/documents/{private.id}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_upload_while_the_broker_is_down_loses_nothing(tenant: Tenant, embedder: Any) -> None:
    view = make_folder(tenant, tenant.company_space.id, "Notes")
    client = Client()
    client.force_login(tenant.builder.user)
    original = celery_app.conf.broker_url

    def use_broker(url: str) -> None:
        # Celery caches its connection and producer pools; drop them so the URL takes effect.
        celery_app.conf.broker_url = url
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    use_broker("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    try:
        import io

        handle = io.BytesIO(b"The offsite is in Lisbon in May.")
        handle.name = "offsite.txt"
        response = client.post(
            f"/api/v1/workspaces/{tenant.workspace.id}/data-sources/{view.data_source_id}/files",
            {"files": [handle]},
        )
    finally:
        use_broker(original)
    assert response.status_code == 201, response.content
    document = Document.objects.get(external_id="file:offsite.txt")
    assert document.status == DocumentStatus.PENDING
    # The sweep beat runs finds the stored upload once it is old enough; parsing it, then
    # the indexing sweep, complete the document.
    (upload_id,) = stale_upload_ids(older_than=timedelta(0))
    assert StoredUpload.objects.get(id=upload_id).document_id == document.id
    parse_stored_upload(upload_id=upload_id)
    assert stale_document_ids(older_than=timedelta(0)) == [document.id]
    index_documents(document_ids=[document.id], embeddings=embedder)
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
