"""knowledge_chunk partitioned by workspace (migration 0004): 16 hash partitions, searches that
read only their workspace's partition, BM25 document frequencies kept across partitions,
cascades, tenant isolation, and citations that outlive their chunks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection, transaction
from pgvector import SparseVector
from pgvector.django import MaxInnerProduct

from agents.models import Citation, Message, MessageRole
from agents.services import create_conversation
from knowledge.access import reader_scope
from knowledge.ingestion import delete_documents, ingest_documents
from knowledge.models import BM25_DIMENSIONS, Chunk, DataSource, Document, TermStat
from knowledge.selectors import (
    _raw_tsquery,
    bm25_query_terms,
    dense_query,
    scope_filter,
    search_chunks,
)
from tests.factories import Tenant, make_tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db

PARTITIONS = 16
PARTITION_NAME = re.compile(r"knowledge_chunk_p\d\d")


def partition_of(workspace_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT r FROM generate_series(0, %s) r "
            "WHERE satisfies_hash_partition('knowledge_chunk'::regclass, %s, r, %s::bigint)",
            [PARTITIONS - 1, PARTITIONS, workspace_id],
        )
        (remainder,) = cursor.fetchone()
    return f"knowledge_chunk_p{remainder:02d}"


def stored_partitions(workspace_id: int) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT tableoid::regclass::text FROM knowledge_chunk WHERE workspace_id = %s",
            [workspace_id],
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def apart(tenant: Tenant, other_tenant: Tenant) -> tuple[Tenant, Tenant]:
    """Two tenants whose chunks land in different partitions."""
    other, n = other_tenant, 0
    while partition_of(other.workspace.id) == partition_of(tenant.workspace.id):
        n += 1
        other = make_tenant(f"initech{n}")
    return tenant, other


def folder_with(tenant: Tenant, embedder: Any, *documents: Any) -> DataSource:
    source = make_folder(tenant, tenant.company_space.id, "Notes").data_source
    ingest_documents(data_source=source, documents=list(documents), embeddings=embedder)
    return source


def true_counts(workspace_id: int) -> dict[str, int]:
    """Document frequencies recounted from the chunks themselves."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT lexeme, count(*) FROM (
              SELECT unnest(tsvector_to_array(search_vector)) AS lexeme
              FROM knowledge_chunk WHERE workspace_id = %(w)s
              UNION ALL SELECT '' FROM knowledge_chunk WHERE workspace_id = %(w)s
            ) terms GROUP BY lexeme
            """,
            {"w": workspace_id},
        )
        return dict(cursor.fetchall())


def kept_counts(workspace_id: int) -> dict[str, int]:
    rows = TermStat.objects.filter(workspace_id=workspace_id, chunk_count__gt=0)
    return {row.lexeme: row.chunk_count for row in rows}


def test_the_chunk_table_is_hash_partitioned_sixteen_ways() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.partstrat, p.partnatts, a.attname
            FROM pg_partitioned_table p
            JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
            WHERE p.partrelid = 'knowledge_chunk'::regclass
            """
        )
        assert cursor.fetchall() == [("h", 1, "workspace_id")]
        cursor.execute(
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i
            JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'knowledge_chunk'::regclass ORDER BY c.relname
            """
        )
        partitions = cursor.fetchall()
        # Every partition holds its own copy of each index, the HNSW graph included.
        cursor.execute(
            """
            SELECT count(*) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'chunk_embedding_hnsw'::regclass
            """
        )
        (hnsw_partitions,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = 'knowledge_chunk_p07'::regclass ORDER BY 1"
        )
        partition_indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'knowledge_chunk'::regclass AND contype IN ('p', 'u') ORDER BY 1"
        )
        keys = [row[0] for row in cursor.fetchall()]
    assert [name for name, _ in partitions] == [f"knowledge_chunk_p{n:02d}" for n in range(16)]
    assert partitions[3][1] == "FOR VALUES WITH (modulus 16, remainder 3)"
    assert hnsw_partitions == PARTITIONS
    assert {"chunk_embedding_hnsw_p07", "chunk_search_vector_gin_p07"} <= partition_indexes
    assert keys == [
        "PRIMARY KEY (id, workspace_id)",
        'UNIQUE (document_id, "position", workspace_id)',
    ]


def test_a_workspace_search_reads_only_its_partition(
    apart: tuple[Tenant, Tenant], embedder: Any
) -> None:
    tenant, other = apart
    folder_with(tenant, embedder, doc("a", "Penguins", "Penguins live in Antarctica."))
    folder_with(other, embedder, doc("b", "Krill", "Penguins eat krill."))
    home = partition_of(tenant.workspace.id)
    assert stored_partitions(tenant.workspace.id) == {home}
    assert stored_partitions(other.workspace.id) == {partition_of(other.workspace.id)} != {home}

    scope = reader_scope(membership=tenant.member)
    vector = embedder.embed_query("penguins")
    exact, exact_settings = dense_query(scope, vector, 10)
    hnsw_settings = [
        "SET LOCAL hnsw.iterative_scan = 'relaxed_order'",
        "SET LOCAL hnsw.ef_search = 200",
    ]
    terms = bm25_query_terms(tenant.workspace.id, "penguins")
    weights = SparseVector({t.dimension - 1: t.idf for t in terms}, BM25_DIMENSIONS)
    full_text = (
        Chunk.objects.filter(scope_filter(scope), search_vector=_raw_tsquery(["penguin"]))
        .annotate(negative_score=MaxInnerProduct("bm25", weights))
        .order_by("negative_score", "id")
        .values_list("id", flat=True)[:10]
    )
    plans = {}
    for name, query, settings in (
        ("exact", exact, exact_settings),
        ("hnsw", exact, hnsw_settings),
        ("full_text", full_text, []),
    ):
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in settings:
                cursor.execute(statement)
            plans[name] = query.explain()
    for name, plan in plans.items():
        assert set(PARTITION_NAME.findall(plan)) == {home}, (name, plan[-2000:])


def test_document_frequencies_stay_right_across_partitions(
    apart: tuple[Tenant, Tenant], embedder: Any
) -> None:
    tenant, other = apart
    mine = folder_with(
        tenant,
        embedder,
        doc("a", "Alpha", "Penguins live in Antarctica."),
        doc("b", "Beta", "Penguins eat krill."),
    )
    theirs = folder_with(
        other,
        embedder,
        doc("c", "Gamma", "Krill swarm in cold water."),
        doc("d", "Delta", "Whales eat krill and penguins avoid whales."),
    )
    ids = (tenant.workspace.id, other.workspace.id)
    for workspace_id in ids:
        assert kept_counts(workspace_id) == true_counts(workspace_id)
    assert kept_counts(tenant.workspace.id)["krill"] == 1
    assert kept_counts(other.workspace.id)["krill"] == 2

    with connection.cursor() as cursor:
        # One statement inserting into two partitions, then one deleting from both.
        cursor.execute(
            """
            INSERT INTO knowledge_chunk (workspace_id, data_source_id, document_id, position,
              text, text_hash, token_count, embedding, parents, access_public, access_emails,
              access_group_ids)
            SELECT workspace_id, data_source_id, document_id, position + 100,
              text || ' Seals too.', text_hash, token_count, embedding, parents,
              access_public, access_emails, access_group_ids
            FROM knowledge_chunk WHERE workspace_id = ANY(%s)
            """,
            [list(ids)],
        )
        assert cursor.rowcount == 4
    for workspace_id in ids:
        assert kept_counts(workspace_id) == true_counts(workspace_id)
    assert kept_counts(other.workspace.id)["seal"] == 2

    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM knowledge_chunk WHERE workspace_id = ANY(%s) AND text ILIKE %s",
            [list(ids), "%krill%"],
        )
        assert cursor.rowcount == 6
    for workspace_id in ids:
        assert kept_counts(workspace_id) == true_counts(workspace_id)
    assert "krill" not in kept_counts(tenant.workspace.id) | kept_counts(other.workspace.id)

    # The ORM paths: a document deleted with its chunks, and a document re-indexed.
    delete_documents(data_source=mine, external_ids=["a"])
    ingest_documents(
        data_source=theirs,
        documents=[doc("c", "Gamma", "Krill swarm in cold water near seals.")],
        embeddings=embedder,
    )
    for workspace_id in ids:
        assert kept_counts(workspace_id) == true_counts(workspace_id)


def cite(tenant: Tenant, chunk: Chunk) -> Citation:
    conversation = create_conversation(actor=tenant.member)
    message = Message.objects.create(
        workspace=tenant.workspace,
        conversation=conversation,
        role=MessageRole.AGENT,
        content="Penguins live in Antarctica [1].",
    )
    return Citation.objects.create(
        workspace=tenant.workspace,
        message=message,
        number=1,
        chunk=chunk,
        document=chunk.document,
        title=chunk.document.title,
        passage=chunk.text,
    )


def test_deleting_a_document_cascades_its_chunks_and_unlinks_citations(
    tenant: Tenant, embedder: Any
) -> None:
    source = folder_with(
        tenant,
        embedder,
        doc("a", "Alpha", "Penguins live in Antarctica."),
        doc("b", "Beta", "Penguins eat krill."),
    )
    document = Document.objects.get(external_id="a")
    citation = cite(tenant, document.chunks.get())
    other = cite(tenant, Chunk.objects.get(document__external_id="b"))

    document.delete()

    assert not Chunk.objects.filter(document_id=document.id).exists()
    assert Chunk.objects.filter(workspace=tenant.workspace).count() == 1
    citation.refresh_from_db()
    # Issue 19 reversed the old snapshot rule: a deleted source's passage leaves old answers.
    assert citation.chunk_id is None and citation.passage == "" and citation.purged_at is not None
    assert kept_counts(tenant.workspace.id) == true_counts(tenant.workspace.id)

    # Re-indexing a changed document replaces its chunks: its citations let go of them too.
    ingest_documents(
        data_source=source,
        documents=[doc("b", "Beta", "Penguins eat krill and fish.")],
        embeddings=embedder,
    )
    other.refresh_from_db()
    assert other.chunk_id is None and other.passage.endswith("Penguins eat krill.")


def test_a_citation_whose_chunk_vanished_in_sql_still_reads(
    tenant: Tenant, embedder: Any, api_as: Any
) -> None:
    folder_with(tenant, embedder, doc("a", "Alpha", "Penguins live in Antarctica."))
    chunk = Chunk.objects.get()
    citation = cite(tenant, chunk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM knowledge_chunk WHERE id = %s", [chunk.id])
    assert Citation.objects.filter(id=citation.id, chunk_id=chunk.id).exists()  # dangling

    response = api_as(tenant.member).get(
        f"workspaces/{tenant.workspace.id}/conversations/{citation.message.conversation_id}"
    )
    assert response.status_code == 200, response.content
    (cited,) = response.json()["messages"][0]["citations"]
    assert cited["passage"].endswith("Penguins live in Antarctica.") and cited["title"] == "Alpha"


def test_workspaces_in_different_partitions_never_see_each_other(
    apart: tuple[Tenant, Tenant], embedder: Any
) -> None:
    tenant, other = apart
    folder_with(tenant, embedder, doc("a", "Penguins", "Penguins live in Antarctica."))
    folder_with(other, embedder, doc("b", "Penguin secrets", "Penguins hide their eggs."))
    for mode in ("hybrid", "dense", "full_text"):
        mine = search_chunks(actor=tenant.member, views=None, query="penguins eggs", mode=mode)
        theirs = search_chunks(actor=other.member, views=None, query="penguins eggs", mode=mode)
        assert [hit.title for hit in mine] == ["Penguins"], mode
        assert [hit.title for hit in theirs] == ["Penguin secrets"], mode
