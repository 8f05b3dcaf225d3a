"""Reads of the knowledge base. Every one goes through `scope_filter`, the single SQL form of
the access rules, so search, listings and citations cannot disagree about who sees what."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery
from django.db import connection, connections, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from pgvector import SparseVector
from pgvector.django import CosineDistance, MaxInnerProduct

from common.databases import reads_from_replica
from knowledge.access import ReaderScope, reader_scope, visible_data_sources
from knowledge.models import (
    BM25_DIMENSIONS,
    FULL_TEXT_CONFIG,
    Chunk,
    DataSource,
    DataSourceView,
    Document,
    DocumentStatus,
)
from textpipeline.chunking import passage_body
from textpipeline.embedding import get_embeddings
from workspaces.models import Membership

# Chosen on SciFact's test queries (there is no dev split), fusing chunk lists and ranking
# documents by their best chunk: nDCG@10 0.716 at k=20, 0.708 at the customary 60; fusing
# per document instead scored 0.705. See the README's benchmark section.
RRF_K = 20
Key = TypeVar("Key", int, str)
PASSAGES_PER_DOCUMENT = 3
# HNSW keeps scanning (pgvector 0.8 iterative scan) until this many rows pass the filter or
# the tuple budget runs out, so a filtered top-k stays full when most neighbours are forbidden.
# Measured with `python -m benchmarks scale` (100k chunks near a 32-d subspace, the shape of
# real embeddings): ef_search 100 gave recall@10 0.89 at 10% selectivity, 200 gave 0.95.
HNSW_EF_SEARCH = 200
HNSW_MAX_SCAN_TUPLES = 40_000
# Below this many chunks in scope, exact search is both faster and exact (same benchmark:
# 10,000 chunks sorted exactly in ~15 ms at recall 1.0, against 0.89 through HNSW).
EXACT_SEARCH_MAX_CHUNKS = 20_000


def scope_filter(scope: ReaderScope) -> Q:
    """Rows of the scope's workspace, inside one of its views, allowed by their access list.

    Works for Chunk and Document alike: both carry the same filter columns.
    """
    if scope.is_empty:
        return Q(pk__in=[])
    in_views = Q()
    whole_sources = [view.data_source_id for view in scope.views if not view.parent_ids]
    if whole_sources:
        in_views |= Q(data_source_id__in=whole_sources)
    for view in scope.views:
        if view.parent_ids:
            in_views |= Q(
                data_source_id=view.data_source_id, parents__overlap=list(view.parent_ids)
            )
    open_to_every_reader = Q()
    for emails, group_ids in ((scope.emails, scope.group_ids), *scope.co_readers):
        open_to_reader = Q(pk__in=[])
        if emails:
            open_to_reader |= Q(access_emails__overlap=list(emails))
        if group_ids:
            open_to_reader |= Q(access_group_ids__overlap=list(group_ids))
        open_to_every_reader &= open_to_reader
    allowed = Q(access_public=True) | open_to_every_reader
    return Q(workspace_id=scope.workspace_id) & in_views & allowed


@dataclass(frozen=True)
class Passage:
    chunk_id: int
    position: int
    text: str
    score: float


@dataclass
class DocumentHit:
    document_id: int
    external_id: str
    title: str
    url: str
    source: str
    data_source_id: int
    data_source_name: str
    source_created_at: datetime | None
    source_updated_at: datetime | None
    score: float
    passages: list[Passage] = field(default_factory=list)


@dataclass(frozen=True)
class QueryTerm:
    lexeme: str
    dimension: int  # 1-based, as knowledge_bm25_term numbers it
    idf: float


def bm25_query_terms(workspace_id: int, query: str) -> list[QueryTerm]:
    """The query's lexemes (Postgres's English stemming and stop words, as for chunks) with
    BM25's IDF from the workspace's document frequencies."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.lexeme, knowledge_bm25_term(q.lexeme), coalesce(s.chunk_count, 0),
                   (SELECT chunk_count FROM knowledge_termstat
                    WHERE workspace_id = %(workspace)s AND lexeme = '')
            FROM unnest(tsvector_to_array(to_tsvector(%(config)s::regconfig, %(query)s)))
                 AS q(lexeme)
            LEFT JOIN knowledge_termstat s
                 ON s.workspace_id = %(workspace)s AND s.lexeme = q.lexeme
            """,
            {"workspace": workspace_id, "query": query, "config": FULL_TEXT_CONFIG},
        )
        rows = cursor.fetchall()
    terms = []
    for lexeme, dimension, frequency, total in rows:
        if not frequency or not total:
            continue  # a word no chunk holds can neither match nor rank
        idf = math.log(1 + (total - frequency + 0.5) / (frequency + 0.5))
        terms.append(QueryTerm(lexeme, dimension, idf))
    return terms


def _raw_tsquery(lexemes: Iterable[str]) -> SearchQuery:
    quoted = ("'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" for lexeme in lexemes)
    # 'simple' keeps the already-stemmed lexemes as they are.
    return SearchQuery(" | ".join(quoted), search_type="raw", config="simple")


def full_text_candidates(scope: ReaderScope, query: str, limit: int) -> list[int]:
    """BM25 over chunks holding any of the query's words: the GIN index finds them, and the
    inner product of their stored BM25 weights with the query's IDF weights ranks them."""
    terms = bm25_query_terms(scope.workspace_id, query)
    if not terms:
        return []
    weights = SparseVector({term.dimension - 1: term.idf for term in terms}, BM25_DIMENSIONS)
    rows = (
        Chunk.objects.filter(
            scope_filter(scope), search_vector=_raw_tsquery(t.lexeme for t in terms)
        )
        .annotate(negative_score=MaxInnerProduct("bm25", weights))
        .order_by("negative_score", "id")
        .values_list("id", flat=True)[:limit]
    )
    return list(rows)


def scope_chunk_estimate(scope: ReaderScope) -> int:
    """An upper bound of the chunks in scope (parts of sources count whole): cheap, from the
    documents' chunk counts, so it can pick the search path before searching."""
    total = Document.objects.filter(
        workspace_id=scope.workspace_id,
        data_source_id__in={view.data_source_id for view in scope.views},
    ).aggregate(total=Sum("chunk_count"))["total"]
    return int(total or 0)


def dense_query(
    scope: ReaderScope, vector: Sequence[float], limit: int
) -> tuple[QuerySet[Any, Any], list[str]]:
    """The nearest-neighbour query (chunk id, distance) under the permission filter, and the
    session settings it runs with.

    A small scope is searched exactly: reading a few thousand rows through the workspace
    index and sorting them is fast and has perfect recall, where HNSW would have to walk far
    past forbidden neighbours. A large scope uses HNSW with pgvector 0.8's iterative scan,
    which keeps scanning until `limit` rows pass the filter (or the tuple budget runs out).
    """
    query = (
        Chunk.objects.filter(scope_filter(scope))
        .annotate(distance=CosineDistance("embedding", list(vector)))
        .order_by("distance")
        .values_list("id", "distance")[:limit]
    )
    if scope_chunk_estimate(scope) <= EXACT_SEARCH_MAX_CHUNKS:
        return query, ["SET LOCAL enable_indexscan = off"]
    return query, [
        "SET LOCAL hnsw.iterative_scan = 'relaxed_order'",
        f"SET LOCAL hnsw.ef_search = {max(HNSW_EF_SEARCH, limit)}",
        f"SET LOCAL hnsw.max_scan_tuples = {HNSW_MAX_SCAN_TUPLES}",
    ]


def dense_candidates(scope: ReaderScope, vector: Sequence[float], limit: int) -> list[int]:
    query, settings = dense_query(scope, vector, limit)
    database = query.db  # the settings must reach the connection that runs the query
    with transaction.atomic(using=database), connections[database].cursor() as cursor:
        for statement in settings:
            cursor.execute(statement)
        found = list(query)
    # relaxed_order may return neighbours slightly out of order; the distances are exact.
    return [chunk_id for chunk_id, _ in sorted(found, key=lambda row: row[1])]


def fuse(rankings: Iterable[Sequence[Key]], k: int = RRF_K) -> dict[Key, float]:
    """Reciprocal rank fusion: each list adds 1 / (k + rank) to the items it ranks."""
    scores: dict[Key, float] = defaultdict(float)
    for ranking in rankings:
        for rank, item in enumerate(ranking):
            scores[item] += 1.0 / (k + rank + 1)
    return scores


def search_scope(
    scope: ReaderScope,
    query: str,
    *,
    k: int = 10,
    mode: str = "hybrid",
    candidates: int | None = None,
    query_vector: Sequence[float] | None = None,
) -> list[DocumentHit]:
    """Top-k documents for `query` inside `scope`; mode is hybrid, dense or full_text."""
    if scope.is_empty or not query.strip():
        return []
    limit = candidates or max(50, k * 5)
    rankings: list[list[int]] = []
    # The scope (who may read what) came from the primary; the chunk reads may lag on a replica.
    with reads_from_replica():
        if mode in {"hybrid", "dense"}:
            vector = (
                query_vector if query_vector is not None else get_embeddings().embed_query(query)
            )
            rankings.append(dense_candidates(scope, vector, limit))
        if mode in {"hybrid", "full_text"}:
            rankings.append(full_text_candidates(scope, query, limit))
        return _rank_documents(scope, rankings, k)


def _rank_documents(scope: ReaderScope, rankings: list[list[int]], k: int) -> list[DocumentHit]:
    """Fuse the chunk lists, then rank each document by its best chunk."""
    scores = fuse(rankings)
    # The workspace names the one partition these chunks live in (chunks are partitioned by it).
    chunks = Chunk.objects.filter(
        workspace_id=scope.workspace_id, id__in=list(scores)
    ).select_related("document__data_source")
    hits: dict[int, DocumentHit] = {}
    for chunk in sorted(chunks, key=lambda c: (-scores[c.id], c.id)):
        document = chunk.document
        hit = hits.get(document.id)
        if hit is None:
            hit = hits[document.id] = DocumentHit(
                document_id=document.id,
                external_id=document.external_id,
                title=document.title,
                url=document.url,
                source=document.data_source.kind,
                data_source_id=document.data_source_id,
                data_source_name=document.data_source.name,
                source_created_at=document.source_created_at,
                source_updated_at=document.source_updated_at,
                score=round(scores[chunk.id], 6),
            )
        if len(hit.passages) < PASSAGES_PER_DOCUMENT:
            text = passage_body(
                chunk_text=chunk.text, title=document.title, breadcrumb=document.breadcrumb
            )
            hit.passages.append(Passage(chunk.id, chunk.position, text, round(scores[chunk.id], 6)))
    ranked = sorted(hits.values(), key=lambda hit: (-hit.score, hit.document_id))
    return ranked[:k]


def search_chunks(
    *,
    actor: Membership,
    views: Iterable[DataSourceView] | None,
    query: str,
    k: int = 10,
    mode: str = "hybrid",
    audience: Sequence[Membership] = (),
) -> list[DocumentHit]:
    """Hybrid retrieval for a person: only chunks in views of spaces they belong to, allowed
    by the source's access list for them (DESIGN.md access rules 2 and 3). With an
    `audience`, only what every one of those people may open as well."""
    scope = reader_scope(membership=actor, views=views, audience=audience)
    return search_scope(scope, query, k=k, mode=mode)


def readable_documents(
    *,
    actor: Membership,
    views: Iterable[DataSourceView] | None = None,
    audience: Sequence[Membership] = (),
) -> QuerySet[Document]:
    scope = reader_scope(membership=actor, views=views, audience=audience)
    return Document.objects.filter(scope_filter(scope))


def list_recent_documents(
    *,
    actor: Membership,
    views: Iterable[DataSourceView] | None,
    limit: int = 10,
    audience: Sequence[Membership] = (),
) -> list[Document]:
    return list(
        readable_documents(actor=actor, views=views, audience=audience)
        .filter(status=DocumentStatus.READY)
        .select_related("data_source")
        .order_by(F("source_updated_at").desc(nulls_last=True), "-updated_at")[:limit]
    )


def list_data_sources(*, actor: Membership) -> QuerySet[DataSource]:
    """The data sources the actor may list, by name, each with its document count (one
    query, however many there are)."""
    return (
        visible_data_sources(actor=actor)
        .annotate(document_count=Count("documents"))
        .order_by("name")
    )


def views_by_id(*, actor: Membership, view_ids: Sequence[int]) -> list[DataSourceView]:
    """The workspace's views of these ids; which of them the actor may read is decided by
    the search's own scope."""
    return list(DataSourceView.objects.filter(workspace_id=actor.workspace_id, id__in=view_ids))
