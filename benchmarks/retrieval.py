"""`python -m benchmarks retrieval`: quality and speed of the real pipeline on a BEIR dataset.

Everything is measured in one run on one machine, beside its baseline: BM25 (bm25s) and a
plain RRF of BM25 with dense search for quality, the raw embedder on the same chunks for
ingestion speed. Shared machines are noisy, so the ratios are the figures to compare.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from tqdm import tqdm

from accounts.models import User
from benchmarks.beir import BeirDataset, load_beir
from benchmarks.bm25_baseline import Bm25Baseline
from benchmarks.metrics import (
    ndcg_at_k,
    percentile,
    recall_at_k,
    reciprocal_rank_fusion,
)
from connectors.documents import DocumentInput
from knowledge.access import reader_scope
from knowledge.ingestion import index_documents, upsert_documents
from knowledge.models import Chunk
from knowledge.selectors import search_scope
from knowledge.services import create_folder
from textpipeline.embedding import get_embeddings
from workspaces.models import Membership, Space, SpaceKind, Workspace
from workspaces.services import create_workspace

INGEST_BATCH = 256
RAW_SAMPLE_CHUNKS = 1500
RETRIEVAL_DEPTH = 100
MODES = ("full_text", "dense", "hybrid")


@dataclass
class RetrievalReport:
    dataset: str
    documents: int
    queries: int
    chunks: int = 0
    ingest_seconds: float = 0.0
    embedded_chunks: int = 0
    raw_chunks_per_second: float = 0.0
    resync_seconds: float = 0.0
    quality: dict[str, tuple[float, float]] = field(default_factory=dict)
    latency_ms: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def ingest_docs_per_second(self) -> float:
        return self.documents / self.ingest_seconds

    @property
    def ingest_chunks_per_second(self) -> float:
        return self.chunks / self.ingest_seconds

    @property
    def resync_docs_per_second(self) -> float:
        return self.documents / self.resync_seconds


def _documents(dataset: BeirDataset) -> list[DocumentInput]:
    return [
        DocumentInput(external_id=doc.doc_id, title=doc.title or doc.doc_id, text=doc.text)
        for doc in dataset.corpus.values()
    ]


def create_bench_actor(name: str) -> Membership:
    stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    user = User.objects.create_user(email=f"bench-{stamp}@bench.invalid", email_verified=True)
    workspace = create_workspace(name=f"Benchmark {name} {stamp}", creator=user)
    return Membership.objects.get(workspace=workspace, user=user)


def _ingest(actor: Membership, documents: list[DocumentInput], report: RetrievalReport) -> None:
    company = Space.objects.get(workspace_id=actor.workspace_id, kind=SpaceKind.COMPANY)
    data_source = create_folder(actor=actor, space_id=company.id, name=report.dataset).data_source
    embeddings = get_embeddings()
    embeddings.embed_query("warm up")  # load the model outside the timed section
    started = time.perf_counter()
    with tqdm(total=len(documents), desc="ingest (documents)", unit="doc") as bar:
        for start in range(0, len(documents), INGEST_BATCH):
            batch = documents[start : start + INGEST_BATCH]
            upserted = upsert_documents(data_source=data_source, documents=batch)
            stats = index_documents(document_ids=upserted.to_index, embeddings=embeddings)
            report.chunks += stats.chunks
            report.embedded_chunks += stats.embedded
            bar.update(len(batch))
    report.ingest_seconds = time.perf_counter() - started

    # The raw embedder on the very chunks the pipeline produced: the ceiling ingestion aims at.
    sample = list(
        Chunk.objects.filter(data_source=data_source)
        .order_by("id")
        .values_list("text", flat=True)[:RAW_SAMPLE_CHUNKS]
    )
    started = time.perf_counter()
    with tqdm(total=len(sample), desc="raw embedder (chunks)", unit="chunk") as bar:
        for start in range(0, len(sample), 64):
            embeddings.embed_documents(sample[start : start + 64])
            bar.update(len(sample[start : start + 64]))
    report.raw_chunks_per_second = len(sample) / (time.perf_counter() - started)

    started = time.perf_counter()
    with tqdm(total=len(documents), desc="re-sync unchanged", unit="doc") as bar:
        for start in range(0, len(documents), INGEST_BATCH * 4):
            batch = documents[start : start + INGEST_BATCH * 4]
            upserted = upsert_documents(data_source=data_source, documents=batch)
            if upserted.to_index:
                raise AssertionError("an unchanged document was queued for indexing again")
            bar.update(len(batch))
    report.resync_seconds = time.perf_counter() - started


def _evaluate(actor: Membership, dataset: BeirDataset, report: RetrievalReport) -> None:
    scope = reader_scope(membership=actor)
    embeddings = get_embeddings()
    runs: dict[str, dict[str, list[str]]] = {mode: {} for mode in MODES}
    for mode in MODES:
        for query_id, text in tqdm(dataset.queries.items(), desc=f"quality ({mode})"):
            hits = search_scope(
                scope, text, k=RETRIEVAL_DEPTH, mode=mode, candidates=RETRIEVAL_DEPTH * 3
            )
            runs[mode][query_id] = [hit.external_id for hit in hits]

    # Latency of what the product asks for (top 10, default candidates), with the query's
    # embedding timed apart: it is CPU-bound model time, not database time.
    embed_timings: list[float] = []
    vectors: dict[str, list[float]] = {}
    for query_id, text in dataset.queries.items():
        started = time.perf_counter()
        vectors[query_id] = embeddings.embed_query(text)
        embed_timings.append((time.perf_counter() - started) * 1000)
    report.latency_ms["embed query"] = (
        percentile(embed_timings, 50),
        percentile(embed_timings, 95),
    )
    for mode in MODES:
        timings: list[float] = []
        for query_id, text in tqdm(dataset.queries.items(), desc=f"latency ({mode})"):
            started = time.perf_counter()
            search_scope(scope, text, k=10, mode=mode, query_vector=vectors[query_id])
            timings.append((time.perf_counter() - started) * 1000)
        report.latency_ms[mode] = (percentile(timings, 50), percentile(timings, 95))

    bm25 = Bm25Baseline(dataset.corpus)
    bm25_run = {
        query_id: [doc_id for doc_id, _ in hits]
        for query_id, hits in bm25.search_many(dataset.queries, k=RETRIEVAL_DEPTH).items()
    }
    runs["bm25 baseline (bm25s)"] = bm25_run
    runs["rrf(bm25, dense) baseline"] = {
        query_id: reciprocal_rank_fusion([bm25_run.get(query_id, []), runs["dense"][query_id]])
        for query_id in dataset.queries
    }
    for name, run in runs.items():
        report.quality[name] = (
            ndcg_at_k(run, dataset.qrels, k=10),
            recall_at_k(run, dataset.qrels, k=100),
        )


def run_retrieval_benchmark(
    *, dataset_path: str | Path, keep: bool = False, write: Callable[[str], None]
) -> RetrievalReport:
    dataset = load_beir(dataset_path)
    report = RetrievalReport(
        dataset=dataset.name, documents=len(dataset.corpus), queries=len(dataset.queries)
    )
    write(f"{dataset.name}: {report.documents} documents, {report.queries} test queries")
    actor = create_bench_actor(dataset.name)
    try:
        _ingest(actor, _documents(dataset), report)
        _evaluate(actor, dataset, report)
        for line in format_report(report):
            write(line)
    finally:
        if not keep:
            with transaction.atomic():
                Workspace.objects.filter(id=actor.workspace_id).delete()
                User.objects.filter(id=actor.user_id).delete()
    return report


def format_report(report: RetrievalReport) -> list[str]:
    fusion_ndcg = report.quality["rrf(bm25, dense) baseline"][0]
    ingest_ratio = report.ingest_chunks_per_second / report.raw_chunks_per_second
    hybrid_ndcg = report.quality["hybrid"][0]
    lines = [
        "",
        f"Retrieval quality on {report.dataset} ({report.queries} queries)",
        f"  {'method':<28} {'nDCG@10':>8} {'Recall@100':>11}",
    ]
    for name, (ndcg, recall) in report.quality.items():
        lines.append(f"  {name:<28} {ndcg:>8.4f} {recall:>11.4f}")
    lines += [
        f"  hybrid vs rrf(bm25, dense) baseline: {hybrid_ndcg - fusion_ndcg:+.4f} nDCG@10",
        "",
        "Ingestion (real pipeline: normalise, hash, chunk, embed, write)",
        f"  documents: {report.documents}, chunks: {report.chunks}, "
        f"embedded: {report.embedded_chunks} (identical chunk texts reuse one vector)",
        f"  pipeline: {report.ingest_docs_per_second:.1f} documents/s, "
        f"{report.ingest_chunks_per_second:.1f} chunks/s",
        f"  raw embedder on the same chunks: {report.raw_chunks_per_second:.1f} chunks/s",
        f"  pipeline / raw embedder: {ingest_ratio:.0%}",
        f"  re-sync of the unchanged corpus: {report.resync_docs_per_second:.0f} documents/s",
        "",
        "Query latency, top 10 (ms; the search rows exclude embedding the query)",
    ]
    for mode, (p50, p95) in report.latency_ms.items():
        lines.append(f"  {mode:<12} p50 {p50:7.1f}   p95 {p95:7.1f}")
    return lines


def summary(report: RetrievalReport) -> dict[str, Any]:
    return {
        "quality": report.quality,
        "ingest_docs_per_second": report.ingest_docs_per_second,
        "ingest_chunks_per_second": report.ingest_chunks_per_second,
        "raw_chunks_per_second": report.raw_chunks_per_second,
        "resync_docs_per_second": report.resync_docs_per_second,
        "latency_ms": report.latency_ms,
    }
