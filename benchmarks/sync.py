"""`python -m benchmarks sync`: sync throughput from the fake servers, beside the raw embedder.

For each source: a full sync (fetch, normalise, hash, store: documents/s), indexing what it
stored (chunk, embed, write: documents/s and chunks/s), the raw embedder on the very same
chunk texts measured in the same run (the ceiling indexing aims at), and a re-sync with
nothing changed. The fakes live in tests/fakes (they speak the real wire formats), so this
runs from a source checkout.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from benchmarks.retrieval import create_bench_actor
from common.crypto import encrypt_json
from connections.models import Connection, SyncMode, SyncRun, SyncStatus
from connections.services import request_sync, run_sync
from knowledge.ingestion import index_documents
from knowledge.models import Chunk, DataSource, DataSourceView, Document
from textpipeline.embedding import get_embeddings
from workspaces.models import Space, SpaceKind, Workspace

INDEX_BATCH = 200


@dataclass
class SyncFigures:
    source: str
    documents: int = 0
    sync_seconds: float = 0.0
    index_seconds: float = 0.0
    chunks: int = 0
    embedded_chunks: int = 0
    raw_chunks_per_second: float = 0.0
    resync_seconds: float = 0.0
    resync_unchanged: int = 0

    def rate(self, count: float, seconds: float) -> float:
        return count / seconds if seconds else 0.0


@contextmanager
def _fakes_allow_listed() -> Iterator[None]:
    """The fakes listen on 127.0.0.1 over plain http, which the outbound policy refuses
    unless allow-listed: the benchmark is their operator, for itself and for the workers it
    starts (they inherit the environment)."""
    hosts = [*settings.OUTBOUND_ALLOWED_HOSTS, "127.0.0.1"]
    previous = os.environ.get("OUTBOUND_ALLOWED_HOSTS")
    os.environ["OUTBOUND_ALLOWED_HOSTS"] = ",".join(hosts)
    try:
        with override_settings(OUTBOUND_ALLOWED_HOSTS=hosts):
            yield
    finally:
        if previous is None:
            os.environ.pop("OUTBOUND_ALLOWED_HOSTS", None)
        else:
            os.environ["OUTBOUND_ALLOWED_HOSTS"] = previous


@contextmanager
def _fake(source: str, size: int) -> Iterator[Any]:
    if source == "slack":
        from tests.fakes.slack.server import FakeSlack

        fake: Any = FakeSlack.big(message_count=size)
    elif source == "notion":
        from tests.fakes.notion.server import FakeNotion

        fake = FakeNotion(pages=size)
    elif source == "google_drive":
        from tests.fakes.google_drive.server import FakeGoogleDrive

        fake = FakeGoogleDrive(document_count=size)
    elif source == "github":
        from tests.fakes.github.server import FakeGitHub

        fake = FakeGitHub(big=True)  # about 2,000 issues, pull requests and files
    else:
        raise ValueError(f"no benchmark fake for {source}")
    fake.start()
    try:
        with _fakes_allow_listed():
            yield fake
    finally:
        fake.stop()


def _bench_connection(workspace_id: int, kind: str, fake: Any, name: str) -> Connection:
    """A connection to a fake in the company space, unpaced: measure us, not the provider's
    rate limit."""
    company = Space.objects.get(workspace_id=workspace_id, kind=SpaceKind.COMPANY)
    data_source = DataSource.objects.create(workspace_id=workspace_id, name=name, kind=kind)
    DataSourceView.objects.create(workspace_id=workspace_id, data_source=data_source, space=company)
    return Connection.objects.create(
        workspace_id=workspace_id,
        data_source=data_source,
        kind=kind,
        credentials_encrypted=encrypt_json(fake.credentials()),
        api_base_url=fake.url,
        requests_per_minute=1_000_000,
    )


def _run(connection: Connection, mode: str) -> tuple[SyncRun, float]:
    run = request_sync(connection=connection, mode=mode, trigger="benchmark")
    started = time.perf_counter()
    run = run_sync(run_id=run.id)
    elapsed = time.perf_counter() - started
    if run.status != SyncStatus.SUCCEEDED:
        raise RuntimeError(f"{connection.kind} sync failed: {run.error_message}")
    return run, elapsed


def benchmark_source(source: str, size: int, write: Callable[[str], None]) -> SyncFigures:
    figures = SyncFigures(source=source)
    actor = create_bench_actor(f"sync {source}")
    try:
        with _fake(source, size) as fake:
            connection = _bench_connection(actor.workspace_id, source, fake, f"{source} bench")
            data_source = connection.data_source
            write(f"{source}: full sync from the fake ({size} items seeded)")
            run, figures.sync_seconds = _run(connection, SyncMode.FULL)
            figures.documents = run.documents_upserted

            embeddings = get_embeddings()
            embeddings.embed_query("warm up")
            ids = list(
                Document.objects.filter(data_source=data_source)
                .order_by("id")
                .values_list("id", flat=True)
            )
            write(
                f"{source}: indexing {len(ids)} documents, each batch paired with the raw embedder"
            )
            # Each batch is indexed, then its chunk texts are embedded raw right after: the two
            # rates are measured under the same load, which on a shared machine drifts.
            raw_seconds = 0.0
            for start in range(0, len(ids), INDEX_BATCH):
                batch = ids[start : start + INDEX_BATCH]
                started = time.perf_counter()
                stats = index_documents(document_ids=batch, embeddings=embeddings)
                figures.index_seconds += time.perf_counter() - started
                figures.chunks += stats.chunks
                figures.embedded_chunks += stats.embedded
                texts = list(
                    Chunk.objects.filter(document_id__in=batch)
                    .order_by("id")
                    .values_list("text", flat=True)
                )
                started = time.perf_counter()
                for offset in range(0, len(texts), 64):
                    embeddings.embed_documents(texts[offset : offset + 64])
                raw_seconds += time.perf_counter() - started
            figures.raw_chunks_per_second = figures.rate(figures.chunks, raw_seconds)

            run, figures.resync_seconds = _run(connection, SyncMode.FULL)
            figures.resync_unchanged = run.documents_unchanged
            if run.documents_upserted:
                raise AssertionError("an unchanged source re-indexed documents")
    finally:
        with transaction.atomic():
            Workspace.objects.filter(id=actor.workspace_id).delete()
            User.objects.filter(id=actor.user_id).delete()
    return figures


def format_figures(figures: SyncFigures) -> list[str]:
    f = figures
    end_to_end = f.rate(f.documents, f.sync_seconds + f.index_seconds)
    index_chunks = f.rate(f.embedded_chunks, f.index_seconds)
    return [
        f"{f.source}: {f.documents} documents, {f.chunks} chunks ({f.embedded_chunks} embedded)",
        f"  fetch + store (full sync): {f.rate(f.documents, f.sync_seconds):.1f} documents/s",
        f"  index (chunk + embed + write): {f.rate(f.documents, f.index_seconds):.1f} documents/s,"
        f" {index_chunks:.1f} chunks/s",
        f"  raw embedder on the same chunks: {f.raw_chunks_per_second:.1f} chunks/s"
        f" -> indexing runs at {index_chunks / f.raw_chunks_per_second:.0%} of it"
        if f.raw_chunks_per_second
        else "  raw embedder: no chunks",
        f"  end to end (sync then index): {end_to_end:.1f} documents/s",
        f"  re-sync, nothing changed: {f.rate(f.resync_unchanged, f.resync_seconds):.1f}"
        f" documents/s ({f.resync_unchanged} unchanged, 0 re-indexed)",
    ]


def run_sync_benchmark(
    *,
    sources: list[str],
    slack_messages: int,
    notion_pages: int,
    drive_files: int,
    write: Callable[[str], None],
) -> list[SyncFigures]:
    sizes = {
        "slack": slack_messages,
        "notion": notion_pages,
        "google_drive": drive_files,
        "github": 2_000,
    }
    results = []
    for source in sources:
        figures = benchmark_source(source, sizes[source], write)
        results.append(figures)
        for line in format_figures(figures):
            write(line)
    return results


# --- scale-out: sync throughput with one and with more sync workers ----------------------


@contextmanager
def _sync_workers(count: int) -> Iterator[None]:
    """`count` real worker processes on the `sync` queue (the test suite's launcher)."""
    from contextlib import ExitStack

    from tests.processes import celery_worker

    with ExitStack() as stack:
        stack.enter_context(_fakes_allow_listed())
        for index in range(count):
            stack.enter_context(celery_worker(queues="sync", name=f"bench-sync-{index}"))
        yield


def _measure_workers(
    actor_workspace_id: int, fakes: list[Any], workers: int, label: str
) -> tuple[int, float]:
    from config.celery import app

    connections = [
        _bench_connection(actor_workspace_id, "slack", fake, f"{label} {index}")
        for index, fake in enumerate(fakes)
    ]
    app.control.purge()
    with _sync_workers(workers):
        started = time.perf_counter()
        runs = [
            request_sync(connection=connection, mode=SyncMode.FULL, trigger="benchmark")
            for connection in connections
        ]
        while SyncRun.objects.filter(
            id__in=[run.id for run in runs], status__in=[SyncStatus.QUEUED, SyncStatus.RUNNING]
        ).exists():
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
    failed = SyncRun.objects.filter(id__in=[run.id for run in runs], status=SyncStatus.FAILED)
    if failed.exists():
        raise RuntimeError(f"a benchmark sync failed: {failed.first().error_message}")  # type: ignore[union-attr]
    documents = Document.objects.filter(data_source__connection__in=connections).count()
    return documents, elapsed


def run_workers_benchmark(
    *,
    connections: int,
    messages: int,
    latency_ms: float,
    worker_counts: list[int],
    write: Callable[[str], None],
) -> list[tuple[int, float]]:
    """Full syncs of `connections` Slack workspaces on 1, 2… sync workers (separate processes
    on the `sync` queue). Each fake answers after `latency_ms`, like a provider across the
    internet; syncs wait on the network, so more workers overlap more waiting."""
    from tests.fakes.slack.server import FakeSlack

    results = []
    actor = create_bench_actor("workers")
    fakes = [FakeSlack.big(seed=index + 1, message_count=messages) for index in range(connections)]
    for fake in fakes:
        fake.latency_seconds = latency_ms / 1000
        fake.start()
    try:
        for workers in worker_counts:
            write(f"{connections} Slack connections on {workers} sync worker(s)…")
            documents, elapsed = _measure_workers(
                actor.workspace_id, fakes, workers, f"workers-{workers}"
            )
            results.append((workers, documents / elapsed))
            write(
                f"  {documents} documents in {elapsed:.1f} s: {documents / elapsed:.1f} documents/s"
            )
        base = results[0][1]
        for workers, rate in results[1:]:
            write(f"  {workers} workers / {results[0][0]}: {rate / base:.2f}x")
    finally:
        for fake in fakes:
            fake.stop()
        with transaction.atomic():
            Workspace.objects.filter(id=actor.workspace_id).delete()
            User.objects.filter(id=actor.user_id).delete()
    return results
