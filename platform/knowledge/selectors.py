"""Reads of the knowledge base. Every one goes through `scope_filter`, the single SQL form of
the access rules, so search, listings and citations cannot disagree about who sees what."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet
from pgvector.django import CosineDistance

from knowledge.access import ReaderScope, reader_scope
from knowledge.embedding import get_embeddings
from knowledge.models import FULL_TEXT_CONFIG, Chunk, DataSourceView, Document, DocumentStatus
from workspaces.models import Membership

RRF_K = 60
PASSAGES_PER_DOCUMENT = 3
# HNSW keeps scanning (pgvector 0.8 iterative scan) until this many rows pass the filter or
# the tuple budget runs out, so a filtered top-k stays full when most neighbours are forbidden.
HNSW_EF_SEARCH = 100
HNSW_MAX_SCAN_TUPLES = 40_000
_WORD = re.compile(r"\w+", re.UNICODE)


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
    allowed = Q(access_public=True)
    if scope.emails:
        allowed |= Q(access_emails__overlap=list(scope.emails))
    if scope.group_ids:
        allowed |= Q(access_group_ids__overlap=list(scope.group_ids))
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


def full_text_query(query: str) -> SearchQuery | None:
    """Any of the query's words (stemmed by Postgres), ranked by how many and how close.

    Natural questions rarely have every word in the answer, so AND-ing them (what
    plainto_tsquery does) would miss most relevant passages.
    """
    words = _WORD.findall(query.lower())
    if not words:
        return None
    return SearchQuery(" | ".join(dict.fromkeys(words)), search_type="raw", config=FULL_TEXT_CONFIG)


def dense_candidates(scope: ReaderScope, vector: Sequence[float], limit: int) -> list[int]:
    rows = (
        Chunk.objects.filter(scope_filter(scope))
        .annotate(distance=CosineDistance("embedding", list(vector)))
        .order_by("distance")
        .values_list("id", "distance")[:limit]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL hnsw.iterative_scan = 'relaxed_order'")
        cursor.execute(f"SET LOCAL hnsw.ef_search = {max(HNSW_EF_SEARCH, limit)}")
        cursor.execute(f"SET LOCAL hnsw.max_scan_tuples = {HNSW_MAX_SCAN_TUPLES}")
        found = list(rows)
    # relaxed_order may return neighbours slightly out of order; the distances are exact.
    return [chunk_id for chunk_id, _ in sorted(found, key=lambda row: row[1])]


def full_text_candidates(scope: ReaderScope, query: str, limit: int) -> list[int]:
    search = full_text_query(query)
    if search is None:
        return []
    rows = (
        Chunk.objects.filter(scope_filter(scope), search_vector=search)
        .annotate(rank=SearchRank(F("search_vector"), search, cover_density=True))
        .order_by("-rank", "id")
        .values_list("id", flat=True)[:limit]
    )
    return list(rows)


def fuse(rankings: Iterable[Sequence[int]], k: int = RRF_K) -> dict[int, float]:
    scores: dict[int, float] = defaultdict(float)
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking):
            scores[chunk_id] += 1.0 / (k + rank + 1)
    return scores


def search_scope(
    scope: ReaderScope,
    query: str,
    *,
    k: int = 10,
    mode: str = "hybrid",
    candidates: int | None = None,
) -> list[DocumentHit]:
    """Top-k documents for `query` inside `scope`; mode is hybrid, dense or full_text."""
    if scope.is_empty or not query.strip():
        return []
    limit = candidates or max(50, k * 5)
    rankings: list[list[int]] = []
    if mode in {"hybrid", "dense"}:
        vector = get_embeddings().embed_query(query)
        rankings.append(dense_candidates(scope, vector, limit))
    if mode in {"hybrid", "full_text"}:
        rankings.append(full_text_candidates(scope, query, limit))
    scores = fuse(rankings)
    return _group_by_document(scores, k)


def _group_by_document(scores: dict[int, float], k: int) -> list[DocumentHit]:
    if not scores:
        return []
    chunks = Chunk.objects.filter(id__in=list(scores)).select_related("document__data_source")
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
                score=scores[chunk.id],
            )
        if len(hit.passages) < PASSAGES_PER_DOCUMENT:
            hit.passages.append(
                Passage(chunk.id, chunk.position, chunk.text, round(scores[chunk.id], 6))
            )
    ranked = sorted(hits.values(), key=lambda hit: (-hit.score, hit.document_id))
    return ranked[:k]


def search_chunks(
    *,
    actor: Membership,
    views: Iterable[DataSourceView] | None,
    query: str,
    k: int = 10,
    mode: str = "hybrid",
) -> list[DocumentHit]:
    """Hybrid retrieval for a person: only chunks in views of spaces they belong to, allowed
    by the source's access list for them (DESIGN.md access rules 2 and 3)."""
    return search_scope(reader_scope(membership=actor, views=views), query, k=k, mode=mode)


def readable_documents(
    *, actor: Membership, views: Iterable[DataSourceView] | None = None
) -> QuerySet[Document]:
    return Document.objects.filter(scope_filter(reader_scope(membership=actor, views=views)))


def list_recent_documents(
    *, actor: Membership, views: Iterable[DataSourceView] | None, limit: int = 10
) -> list[Document]:
    return list(
        readable_documents(actor=actor, views=views)
        .filter(status=DocumentStatus.READY)
        .select_related("data_source")
        .order_by(F("source_updated_at").desc(nulls_last=True), "-updated_at")[:limit]
    )
