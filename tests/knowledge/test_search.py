"""Permission-filtered hybrid retrieval: what each person may and may not get back."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from django.db import connection

from connectors.documents import AccessList
from knowledge.ingestion import ingest_documents
from knowledge.models import Chunk, DataSource, DataSourceKind, DataSourceView, Document
from knowledge.selectors import list_recent_documents, search_chunks
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder
from workspaces import services as workspace_services

pytestmark = pytest.mark.django_db

SECRET = "The acquisition of Initech closes on March 3rd for 42 million dollars."


@pytest.fixture
def corpus(tenant: Tenant, other_tenant: Tenant, embedder: Any) -> dict[str, Any]:
    handbook = make_folder(tenant, tenant.company_space.id, "Handbook")
    finance = make_folder(tenant, tenant.restricted_space.id, "Finance docs")
    ingest_documents(
        data_source=handbook.data_source,
        documents=[
            doc("expenses", "Expense policy", "Submit travel expenses within 30 days."),
            doc("holidays", "Holidays", "The office closes between Christmas and New Year."),
            doc(
                "salaries",
                "Salary bands",
                "Salary bands for engineers are reviewed every April.",
                access=AccessList(public=False, emails=("member@acme.test",)),
            ),
            doc(
                "board",
                "Board notes",
                "Board notes: hiring freeze discussed.",
                access=AccessList(public=False, group_ids=("slack:C-board",)),
            ),
        ],
        embeddings=embedder,
    )
    ingest_documents(
        data_source=finance.data_source,
        documents=[doc("deal", "Acquisition", SECRET)],
        embeddings=embedder,
    )
    elsewhere = make_folder(other_tenant, other_tenant.company_space.id, "Their handbook")
    ingest_documents(
        data_source=elsewhere.data_source,
        documents=[doc("deal", "Their acquisition", SECRET)],
        embeddings=embedder,
    )
    return {"handbook": handbook, "finance": finance, "elsewhere": elsewhere}


def titles(hits: list[Any]) -> list[str]:
    return [hit.title for hit in hits]


def test_hybrid_search_finds_the_relevant_document_with_its_fields(
    tenant: Tenant, corpus: dict[str, Any]
) -> None:
    hits = search_chunks(actor=tenant.member, views=None, query="how long to file travel costs")
    top = hits[0]
    assert top.title == "Expense policy"
    assert top.source == "folder" and top.data_source_name == "Handbook"
    assert "30 days" in top.passages[0].text
    assert top.score > 0


@pytest.mark.parametrize("mode", ["hybrid", "dense", "full_text"])
def test_a_member_outside_the_space_gets_nothing_of_it(
    tenant: Tenant, corpus: dict[str, Any], mode: str
) -> None:
    query = "When does the Initech acquisition close?"
    insider = search_chunks(actor=tenant.member, views=None, query=query, mode=mode)
    assert "Acquisition" in titles(insider)
    outsider = search_chunks(actor=tenant.outsider, views=None, query=query, mode=mode)
    assert "Acquisition" not in titles(outsider)
    assert all("Initech" not in p.text for hit in outsider for p in hit.passages)


def test_a_member_not_on_the_access_list_gets_nothing_of_it(
    tenant: Tenant, corpus: dict[str, Any]
) -> None:
    query = "salary bands engineers"
    assert "Salary bands" in titles(search_chunks(actor=tenant.member, views=None, query=query))
    assert "Salary bands" not in titles(
        search_chunks(actor=tenant.outsider, views=None, query=query, k=50)
    )


def test_source_groups_open_documents_to_their_members(
    tenant: Tenant, corpus: dict[str, Any]
) -> None:
    query = "board hiring freeze"
    assert "Board notes" not in titles(
        search_chunks(actor=tenant.outsider, views=None, query=query)
    )
    group = workspace_services.create_group(actor=tenant.admin, name="#board")
    group.source, group.external_id = "slack", "slack:C-board"
    group.save()
    workspace_services.add_group_member(
        actor=tenant.admin, group_id=group.id, membership_id=tenant.outsider.id
    )
    assert "Board notes" in titles(search_chunks(actor=tenant.outsider, views=None, query=query))


def test_an_unverified_email_does_not_open_an_access_list(
    tenant: Tenant, corpus: dict[str, Any]
) -> None:
    user = tenant.member.user
    user.email_verified = False
    user.save()
    hits = search_chunks(actor=tenant.member, views=None, query="salary bands engineers", k=50)
    assert "Salary bands" not in titles(hits)


def test_another_workspace_never_sees_anything(
    tenant: Tenant, other_tenant: Tenant, corpus: dict[str, Any]
) -> None:
    hits = search_chunks(actor=other_tenant.admin, views=None, query="Initech acquisition", k=50)
    assert titles(hits) == ["Their acquisition"]
    # Passing another workspace's view objects does not widen the scope either.
    foreign_views = list(DataSourceView.objects.filter(workspace=tenant.workspace))
    assert search_chunks(actor=other_tenant.admin, views=foreign_views, query="expenses") == []


def test_search_is_limited_to_the_views_asked_for(tenant: Tenant, corpus: dict[str, Any]) -> None:
    only_finance = [corpus["finance"]]
    hits = search_chunks(actor=tenant.member, views=only_finance, query="travel expenses")
    assert titles(hits) == ["Acquisition"]


def test_a_view_of_part_of_a_source_shows_only_that_part(tenant: Tenant, embedder: Any) -> None:
    source = DataSource.objects.create(
        workspace=tenant.workspace, name="Wiki", kind=DataSourceKind.NOTION
    )
    ingest_documents(
        data_source=source,
        documents=[
            doc("p1", "Engineering onboarding", "Set up your laptop.", parents=("eng",)),
            doc("p2", "Sales onboarding", "Set up your CRM.", parents=("sales",)),
        ],
        embeddings=embedder,
    )
    view = DataSourceView.objects.create(
        workspace=tenant.workspace,
        data_source=source,
        space=tenant.company_space,
        parent_ids=["eng"],
    )
    hits = search_chunks(actor=tenant.outsider, views=[view], query="onboarding set up", k=10)
    assert titles(hits) == ["Engineering onboarding"]


def test_recent_documents_follow_the_same_rules(tenant: Tenant, corpus: dict[str, Any]) -> None:
    outsider = {d.title for d in list_recent_documents(actor=tenant.outsider, views=None)}
    member = {d.title for d in list_recent_documents(actor=tenant.member, views=None)}
    assert outsider == {"Expense policy", "Holidays"}
    assert member == {"Expense policy", "Holidays", "Salary bands", "Acquisition"}


def test_filtered_top_k_stays_full_when_most_neighbours_are_forbidden(
    tenant: Tenant, embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """3,000 chunks the reader may not open (not on their access list) sit right around the
    query vector, 10 permitted ones farther out, all in one data source. With the HNSW index
    in use, top-10 still returns the 10 permitted chunks."""
    from knowledge import selectors

    # A scope this small is normally searched exactly; this test is about the HNSW path.
    monkeypatch.setattr(selectors, "EXACT_SEARCH_MAX_CHUNKS", -1)
    view = make_folder(tenant, tenant.company_space.id, "Mixed")
    rng = np.random.default_rng(7)
    query_vector = np.asarray(embedder.embed_query("quarterly revenue forecast"))

    def near(scale: float, count: int) -> np.ndarray:
        vectors = query_vector + rng.normal(0, scale, size=(count, 384))
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    def add(vectors: np.ndarray, prefix: str, public: bool) -> None:
        source = view.data_source
        document = Document.objects.create(
            workspace=tenant.workspace,
            data_source=source,
            external_id=prefix,
            title=prefix,
            parents=[prefix],
            status="ready",
        )
        Chunk.objects.bulk_create(
            [
                Chunk(
                    workspace=tenant.workspace,
                    data_source=source,
                    document=document,
                    position=n,
                    text=f"{prefix} {n}",
                    text_hash=f"{prefix}{n}",
                    embedding=vector.tolist(),
                    parents=[prefix],
                    access_public=public,
                    access_emails=[] if public else ["ceo@acme.test"],
                )
                for n, vector in enumerate(vectors)
            ],
            batch_size=1000,
        )

    add(near(0.01, 3000), "forbidden", public=False)
    add(near(0.08, 10), "allowed", public=True)
    from knowledge.access import reader_scope
    from knowledge.selectors import dense_candidates, dense_query

    scope = reader_scope(membership=tenant.outsider, views=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_chunk")
        # A table this small would otherwise be read whole and sorted.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    query, settings = dense_query(scope, query_vector.tolist(), 10)
    with connection.cursor() as cursor:
        for statement in settings:
            cursor.execute(statement)
    assert "chunk_embedding_hnsw" in query.explain()
    found = dense_candidates(scope, query_vector.tolist(), 10)
    with connection.cursor() as cursor:
        cursor.execute("RESET enable_seqscan")
        cursor.execute("RESET enable_sort")
    assert len(found) == 10
    assert set(Chunk.objects.filter(id__in=found).values_list("document__title", flat=True)) == {
        "allowed"
    }


def test_a_small_scope_is_searched_exactly(tenant: Tenant, corpus: dict[str, Any]) -> None:
    from knowledge.access import reader_scope
    from knowledge.selectors import dense_query, scope_chunk_estimate

    scope = reader_scope(membership=tenant.member, views=None)
    assert 0 < scope_chunk_estimate(scope) < 20
    _, settings = dense_query(scope, [0.0] * 384, 10)
    assert settings == ["SET LOCAL enable_indexscan = off"]
