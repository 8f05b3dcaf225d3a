"""Filtered dense retrieval at scale: latency and recall@10 of `dense_candidates`.

Fills a throwaway workspace with synthetic chunks (random unit vectors) behind the real access
model (restricted spaces, views, source groups), then asks the product query path for the
top 10 at 1%, 10% and 100% of the workspace's data sources and scores it against exact top 10
computed in numpy. An exact SQL scan (indexes off) with the same WHERE is timed alongside, so
the speedup the HNSW index buys is measured on the same machine in the same run.

`vectors="uniform"` (the default) draws uniform random unit vectors: the worst case for any
graph index, since in 384 dimensions every point is almost equally far from every other
(intrinsic dimension ~117 by the Levina-Bickel estimate), so its recall says little about real
embeddings. `vectors="low_rank"` draws unit vectors near a random 32-dimensional subspace with a
little isotropic noise, calibrated against all-MiniLM-L6-v2 embeddings of SciFact abstracts
(intrinsic dimension ~18 there, ~22 here: slightly harder than the real thing).

    from benchmarks.scale import run_scale_benchmark
    run_scale_benchmark(chunks=100_000)
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from pgvector.django import CosineDistance
from pgvector.psycopg import register_vector
from tqdm import tqdm

from accounts.models import User
from knowledge.access import ReaderScope, ViewFilter, reader_scope
from knowledge.models import (
    Chunk,
    DataSource,
    DataSourceKind,
    DataSourceView,
    Document,
    DocumentStatus,
)
from knowledge.selectors import (
    HNSW_EF_SEARCH,
    HNSW_MAX_SCAN_TUPLES,
    dense_candidates,
    dense_query,
    scope_filter,
)
from textpipeline.embedding import EMBEDDING_DIMENSIONS
from workspaces.models import Group, GroupMember, Membership, Space, SpaceGrant, SpaceKind
from workspaces.services import create_workspace

__all__ = ["run_scale_benchmark"]

DATA_SOURCES = 100
GROUPS = 10
SELECTIVITY_SOURCES = (1, 10, 100)
TOP_K = 10
WARMUP_QUERIES = 5
EXACT_QUERIES = 5
COPY_BATCH = 20_000
LOW_RANK = 32
LOW_RANK_NOISE = 0.05
_SAMPLE_BLOCK = 100_000

Vectors = npt.NDArray[np.float32]

_COPY_SQL = (
    "COPY knowledge_chunk (workspace_id, data_source_id, document_id, position, text, "
    "text_hash, token_count, embedding, parents, access_public, access_emails, "
    "access_group_ids) FROM STDIN WITH (FORMAT BINARY)"
)
_COPY_TYPES = [
    "int8",
    "int8",
    "int8",
    "int4",
    "text",
    "varchar",
    "int4",
    "vector",
    "varchar[]",
    "bool",
    "varchar[]",
    "varchar[]",
]
_SCAN_NODE = re.compile(
    r"((?:Parallel )?(?:Index|Index Only|Bitmap Heap|Seq) Scan)(?: using (\w+))?"
)


@dataclass(frozen=True)
class _Fixture:
    user: User
    membership: Membership
    data_source_ids: list[int]
    document_ids: list[int]
    document_parents: list[str]
    group_ids: list[str]


VectorKind = Literal["uniform", "low_rank"]


def _normalized(vectors: Vectors) -> Vectors:
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors


def _sampler(kind: VectorKind, rng: np.random.Generator) -> Callable[[int], Vectors]:
    """Draws unit vectors of one distribution; chunks and queries come from the same one."""
    if kind == "uniform":
        return lambda count: _normalized(
            rng.standard_normal((count, EMBEDDING_DIMENSIONS), dtype=np.float32)
        )
    if kind != "low_rank":
        raise ValueError(f"Unknown vectors kind {kind!r}; expected 'uniform' or 'low_rank'.")
    basis = rng.standard_normal((LOW_RANK, EMBEDDING_DIMENSIONS), dtype=np.float32)
    noise_scale = np.float32(LOW_RANK_NOISE / np.sqrt(EMBEDDING_DIMENSIONS))

    def sample(count: int) -> Vectors:
        out = np.empty((count, EMBEDDING_DIMENSIONS), dtype=np.float32)
        # Blocks bound the temporaries to a few hundred MB at a million chunks.
        for start in range(0, count, _SAMPLE_BLOCK):
            size = min(_SAMPLE_BLOCK, count - start)
            block = _normalized(rng.standard_normal((size, LOW_RANK), dtype=np.float32) @ basis)
            block += noise_scale * rng.standard_normal(block.shape, dtype=np.float32)
            out[start : start + size] = _normalized(block)
        return out

    return sample


@transaction.atomic
def _create_fixture(slug: str) -> _Fixture:
    user = User.objects.create_user(email=f"{slug}@bench.invalid", full_name="Scale benchmark")
    workspace = create_workspace(name=f"Scale benchmark {slug}", creator=user, slug=slug)
    membership = Membership.objects.get(workspace=workspace, user=user)
    groups = Group.objects.bulk_create(
        Group(workspace=workspace, name=f"bench g{i}", source="bench", external_id=f"bench:g{i}")
        for i in range(GROUPS)
    )
    GroupMember.objects.bulk_create(
        GroupMember(group=group, membership=membership) for group in groups
    )
    spaces = Space.objects.bulk_create(
        Space(workspace=workspace, name=f"bench space {i:03d}", kind=SpaceKind.RESTRICTED)
        for i in range(DATA_SOURCES)
    )
    # Spaces are reached through group grants, the way a synced organisation is set up.
    SpaceGrant.objects.bulk_create(
        SpaceGrant(workspace=workspace, space=space, group=groups[i % GROUPS])
        for i, space in enumerate(spaces)
    )
    sources = DataSource.objects.bulk_create(
        DataSource(
            workspace=workspace,
            name=f"bench source {i:03d}",
            kind=DataSourceKind.FOLDER,
            created_by=membership,
        )
        for i in range(DATA_SOURCES)
    )
    DataSourceView.objects.bulk_create(
        DataSourceView(workspace=workspace, data_source=source, space=space)
        for source, space in zip(sources, spaces, strict=True)
    )
    group_ids = [group.external_id for group in groups]
    documents = Document.objects.bulk_create(
        Document(
            workspace=workspace,
            data_source=source,
            external_id=f"bench-doc-{i:03d}",
            title=f"Benchmark document {i:03d}",
            parents=[f"bench-doc-{i:03d}"],
            status=DocumentStatus.READY,
            access_public=False,
            access_group_ids=group_ids,
        )
        for i, source in enumerate(sources)
    )
    return _Fixture(
        user=user,
        membership=membership,
        data_source_ids=[source.id for source in sources],
        document_ids=[document.id for document in documents],
        document_parents=[document.external_id for document in documents],
        group_ids=group_ids,
    )


def _copy_chunks(
    fixture: _Fixture,
    vectors: Vectors,
    source_index: npt.NDArray[np.int64],
    group_index: npt.NDArray[np.int64],
) -> None:
    workspace_id = fixture.membership.workspace_id
    # maintenance_work_mem is left alone: it sizes index builds, and rows COPYed into a table
    # whose HNSW index already exists are inserted into the graph one by one without it.
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    register_vector(raw)
    total = len(vectors)
    with tqdm(total=total, unit="chunk", desc="COPY knowledge_chunk", mininterval=2.0) as bar:
        for start in range(0, total, COPY_BATCH):
            stop = min(start + COPY_BATCH, total)
            with raw.cursor() as cursor, cursor.copy(_COPY_SQL) as copy:
                copy.set_types(_COPY_TYPES)
                for row in range(start, stop):
                    source = int(source_index[row])
                    text = f"benchmark chunk {row} of source {source}"
                    copy.write_row(
                        (
                            workspace_id,
                            fixture.data_source_ids[source],
                            fixture.document_ids[source],
                            # The row number doubles as the key back to the in-memory vectors.
                            row,
                            text,
                            hashlib.sha256(text.encode()).hexdigest(),
                            6,
                            vectors[row],
                            [fixture.document_parents[source]],
                            False,
                            [],
                            [fixture.group_ids[int(group_index[row])]],
                        )
                    )
                    bar.update()
    # The pipeline keeps Document.chunk_count; retrieval reads it to choose exact or HNSW search.
    counts = np.bincount(source_index, minlength=len(fixture.document_ids))
    for document_id, count in zip(fixture.document_ids, counts.tolist(), strict=True):
        Document.objects.filter(id=document_id).update(chunk_count=count)


def _exact_top_k(vectors: Vectors, query: Vectors, k: int) -> npt.NDArray[np.int64]:
    """Row numbers of the k smallest cosine distances (1 - dot on unit vectors)."""
    distances = 1.0 - vectors @ query
    k = min(k, len(distances))
    nearest = np.argpartition(distances, k - 1)[:k]
    return nearest[np.argsort(distances[nearest])].astype(np.int64)


def _product_plan(scope: ReaderScope, vector: Sequence[float]) -> str:
    """The scan node Postgres picks for the product query, under the product's settings."""
    query, settings = dense_query(scope, vector, TOP_K)
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in settings:
            cursor.execute(statement)
        plan = query.explain()
    match = _SCAN_NODE.search(plan)
    if match is None:
        return "?"
    return f"{match.group(1)} {match.group(2)}" if match.group(2) else match.group(1)


def _exact_sql(scope: ReaderScope, vector: Sequence[float]) -> list[int]:
    query = (
        Chunk.objects.filter(scope_filter(scope))
        .annotate(distance=CosineDistance("embedding", list(vector)))
        .order_by("distance")
        .values_list("id", flat=True)[:TOP_K]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        return list(query)


def _ms(seconds: Sequence[float], percentile: float) -> float:
    return float(np.percentile(np.asarray(seconds) * 1000.0, percentile))


def _server_settings() -> dict[str, str]:
    names = ("shared_buffers", "work_mem", "max_parallel_workers_per_gather")
    with connection.cursor() as cursor:
        values = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            values[name] = str(cursor.fetchone()[0])
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        values["pgvector"] = str(cursor.fetchone()[0])
    return values


def _measure(
    *,
    scope: ReaderScope,
    rows: npt.NDArray[np.int64],
    vectors: Vectors,
    chunk_ids: npt.NDArray[np.int64],
    queries: Vectors,
    warmup: Vectors,
) -> dict[str, Any]:
    subset = vectors[rows]
    for vector in warmup:
        dense_candidates(scope, vector.tolist(), TOP_K)
    latencies: list[float] = []
    recalls: list[float] = []
    for query in queries:
        as_list = query.tolist()
        started = time.perf_counter()
        found = dense_candidates(scope, as_list, TOP_K)
        latencies.append(time.perf_counter() - started)
        expected = set(chunk_ids[rows[_exact_top_k(subset, query, TOP_K)]].tolist())
        recalls.append(len(expected.intersection(found)) / max(1, len(expected)))
    exact_latencies: list[float] = []
    exact_recalls: list[float] = []
    _exact_sql(scope, warmup[0].tolist())
    for query in queries[:EXACT_QUERIES]:
        started = time.perf_counter()
        found = _exact_sql(scope, query.tolist())
        exact_latencies.append(time.perf_counter() - started)
        expected = set(chunk_ids[rows[_exact_top_k(subset, query, TOP_K)]].tolist())
        exact_recalls.append(len(expected.intersection(found)) / max(1, len(expected)))
    p50 = _ms(latencies, 50)
    exact_p50 = _ms(exact_latencies, 50)
    return {
        "data_sources": len(scope.views),
        "permitted": len(rows),
        "p50_ms": p50,
        "p95_ms": _ms(latencies, 95),
        "mean_ms": float(np.mean(latencies) * 1000.0),
        "recall_at_10": float(np.mean(recalls)),
        "min_recall_at_10": float(np.min(recalls)),
        "exact_p50_ms": exact_p50,
        # Exact SQL must agree with numpy; anything else means the ground truth is wrong.
        "exact_recall_at_10": float(np.mean(exact_recalls)),
        "exact_queries": len(exact_latencies),
        "speedup": exact_p50 / p50 if p50 > 0 else float("inf"),
        "plan": _product_plan(scope, queries[0].tolist()),
    }


def _delete(fixture: _Fixture) -> None:
    fixture.membership.workspace.delete()
    fixture.user.delete()


def run_scale_benchmark(
    *,
    chunks: int,
    queries: int = 50,
    seed: int = 0,
    keep: bool = False,
    write: Callable[[str], None] = print,
    vectors: VectorKind = "uniform",
) -> dict[str, Any]:
    """Insert `chunks` synthetic chunks, time filtered top-10 search, report recall@10.

    Returns the figures printed; the benchmark workspace is deleted unless `keep`.
    `vectors` picks the synthetic distribution (see the module docstring).
    """
    if chunks < DATA_SOURCES:
        raise ValueError(f"chunks must be at least {DATA_SOURCES}, one per data source.")
    if queries < 1:
        raise ValueError("queries must be at least 1.")
    run_started = time.perf_counter()
    rng = np.random.default_rng(seed)
    sample = _sampler(vectors, rng)
    slug = f"bench-scale-{datetime.now(UTC):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"
    fixture = _create_fixture(slug)
    workspace_id = fixture.membership.workspace_id
    write(
        f"Scale benchmark: workspace {slug} (id {workspace_id}), {chunks:,} chunks of "
        f"{EMBEDDING_DIMENSIONS}-d {vectors} random unit vectors (seed {seed}), "
        f"{DATA_SOURCES} folder data sources, one document each, in {DATA_SOURCES} restricted "
        "spaces."
    )
    write(
        f"Access: every chunk is private (access_public=false) with one random group of "
        f"{GROUPS} (bench:g0..bench:g{GROUPS - 1}); the reader is in all {GROUPS} groups, so "
        "the access filter runs in every query but passes every chunk in scope."
    )
    result: dict[str, Any] = {
        "workspace_slug": slug,
        "workspace_id": workspace_id,
        "chunks": chunks,
        "queries": queries,
        "seed": seed,
        "vectors": vectors,
        "dimensions": EMBEDDING_DIMENSIONS,
        "top_k": TOP_K,
        "hnsw": {
            "ef_search": max(HNSW_EF_SEARCH, TOP_K),
            "max_scan_tuples": HNSW_MAX_SCAN_TUPLES,
            "iterative_scan": "relaxed_order",
        },
    }
    try:
        result.update(
            _run(fixture, rng=rng, sample=sample, chunks=chunks, queries=queries, write=write)
        )
    finally:
        if not keep:
            started = time.perf_counter()
            _delete(fixture)
            result["delete_seconds"] = time.perf_counter() - started
            write(
                f"Deleted benchmark workspace {slug} and its rows "
                f"in {result['delete_seconds']:.1f} s (keep=False)."
            )
        else:
            write(f"Kept benchmark workspace {slug} (id {workspace_id}); delete it when done.")
    result["kept"] = keep
    result["wall_seconds"] = time.perf_counter() - run_started
    write(f"Total wall time {result['wall_seconds']:.1f} s.")
    return result


def _run(
    fixture: _Fixture,
    *,
    rng: np.random.Generator,
    sample: Callable[[int], Vectors],
    chunks: int,
    queries: int,
    write: Callable[[str], None],
) -> dict[str, Any]:
    workspace_id = fixture.membership.workspace_id
    vectors = sample(chunks)
    # Balanced, shuffled data sources so 1%/10% of them hold exactly 1%/10% of the chunks.
    source_index = rng.permutation(np.arange(chunks, dtype=np.int64) % DATA_SOURCES)
    group_index = rng.integers(0, GROUPS, size=chunks, dtype=np.int64)
    query_vectors = sample(queries)
    warmup_vectors = sample(WARMUP_QUERIES)
    settings = _server_settings()
    write(
        "Server: pgvector {pgvector}, shared_buffers {shared_buffers}, work_mem {work_mem}, "
        "max_parallel_workers_per_gather {max_parallel_workers_per_gather}.".format(**settings)
    )

    started = time.perf_counter()
    _copy_chunks(fixture, vectors, source_index, group_index)
    insert_seconds = time.perf_counter() - started
    write(
        f"Inserted {chunks:,} chunks in {insert_seconds:.1f} s "
        f"({chunks / insert_seconds:,.0f} rows/s, binary COPY, HNSW index maintained)."
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_chunk")
    analyze_seconds = time.perf_counter() - started
    write(f"ANALYZE knowledge_chunk took {analyze_seconds:.1f} s.")

    ids_by_row = np.zeros(chunks, dtype=np.int64)
    for chunk_id, position in Chunk.objects.filter(workspace_id=workspace_id).values_list(
        "id", "position"
    ):
        ids_by_row[position] = chunk_id
    table_rows = Chunk.objects.count()
    if table_rows != chunks:
        write(
            f"Note: knowledge_chunk holds {table_rows:,} rows; {table_rows - chunks:,} belong to "
            "other workspaces and also sit in the HNSW graph the filter walks."
        )

    full_scope = reader_scope(membership=fixture.membership)
    if {view.data_source_id for view in full_scope.views} != set(fixture.data_source_ids) or set(
        full_scope.group_ids
    ) != set(fixture.group_ids):
        raise RuntimeError("The benchmark reader does not reach every benchmark data source.")

    rows_by_source = [np.flatnonzero(source_index == i) for i in range(DATA_SOURCES)]
    figures: list[dict[str, Any]] = []
    for count in SELECTIVITY_SOURCES:
        scope = ReaderScope(
            workspace_id=workspace_id,
            views=tuple(ViewFilter(ds_id, ()) for ds_id in fixture.data_source_ids[:count]),
            emails=(),
            group_ids=tuple(fixture.group_ids),
        )
        rows = np.sort(np.concatenate(rows_by_source[:count]))
        figure = _measure(
            scope=scope,
            rows=rows,
            vectors=vectors,
            chunk_ids=ids_by_row,
            queries=query_vectors,
            warmup=warmup_vectors,
        )
        figure["selectivity"] = count / DATA_SOURCES
        figures.append(figure)

    write(
        f"dense_candidates(scope, q, {TOP_K}) over {queries} random queries per row "
        f"(after {WARMUP_QUERIES} warm-up); exact = same WHERE with index and bitmap scans off, "
        f"{EXACT_QUERIES} queries; recall@10 against numpy exact top 10 of the permitted chunks."
    )
    header = (
        f"{'selectivity':>11} {'permitted':>10} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'recall@10':>9} {'min rec':>7} {'exact p50 ms':>12} {'speedup':>8}  plan"
    )
    write(header)
    write("-" * len(header))
    for figure in figures:
        write(
            f"{figure['selectivity']:>11.0%} {figure['permitted']:>10,} "
            f"{figure['p50_ms']:>8.1f} {figure['p95_ms']:>8.1f} "
            f"{figure['recall_at_10']:>9.3f} {figure['min_recall_at_10']:>7.2f} "
            f"{figure['exact_p50_ms']:>12.1f} {figure['speedup']:>7.1f}x  {figure['plan']}"
        )
    return {
        "insert_seconds": insert_seconds,
        "insert_rows_per_second": chunks / insert_seconds,
        "analyze_seconds": analyze_seconds,
        "table_rows": table_rows,
        "server": settings,
        "selectivities": figures,
    }
