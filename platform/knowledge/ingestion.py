"""The ingestion pipeline: normalise -> content hash (unchanged stops here) -> chunk ->
embed in batches (known chunk texts reuse their vectors) -> replace the document's chunks in
one transaction.

`upsert_documents` is cheap and runs where documents arrive (a sync page, an upload);
`index_documents` does the chunking and embedding and runs on the `embed` queue.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from langchain_core.embeddings import Embeddings

from common.parsing import normalise_text
from common.tasks import PURGE_REVOKED_CITATIONS_TASK, send_task_on_commit
from connectors.documents import DocumentInput
from knowledge.models import Chunk, DataSource, Document, DocumentStatus
from textpipeline.chunking import ChunkDraft, chunk_document, content_hash
from textpipeline.embedding import get_embeddings

logger = logging.getLogger(__name__)

EMBED_BATCH_SIZE = 64
CHUNK_OVERLAP_TOKENS = 32
# Hosted embedders do not expose a tokenizer; MiniLM's 256-token window is a safe bound
# for them too (they accept far more), so chunk sizes stay comparable.
FALLBACK_MAX_TOKENS = 256


@dataclass
class UpsertResult:
    # New or changed content, and (a superset) everything whose chunks are not current.
    changed: list[int] = field(default_factory=list)
    to_index: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass
class IndexStats:
    documents: int = 0
    chunks: int = 0
    embedded: int = 0
    reused: int = 0
    skipped: int = 0


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _filter_fields(item: DocumentInput) -> dict[str, Any]:
    return {
        "parents": [item.external_id, *item.parents],
        "access_public": item.access.public,
        "access_emails": sorted({email.strip().lower() for email in item.access.emails}),
        "access_group_ids": sorted(set(item.access.group_ids)),
    }


def upsert_documents(
    *, data_source: DataSource, documents: Iterable[DocumentInput]
) -> UpsertResult:
    """Write documents; return the ids whose content changed and must be (re)indexed.

    An unchanged document stops at its content hash. When only its access list or place in
    the hierarchy changed, the copies on its chunks are updated in place, without embedding.
    """
    items = list(documents)
    result = UpsertResult()
    if not items:
        return result
    existing = {
        document.external_id: document
        for document in Document.objects.filter(
            data_source=data_source, external_id__in=[item.external_id for item in items]
        )
    }
    narrowed: list[int] = []
    with transaction.atomic():
        for item in items:
            text = normalise_text(item.text)
            digest = content_hash(title=item.title, text=text, breadcrumb=list(item.breadcrumb))
            filters = _filter_fields(item)
            fields = {
                "title": item.title[:500],
                "url": item.url,
                "mime_type": item.mime_type,
                "breadcrumb": list(item.breadcrumb),
                "source_created_at": item.source_created_at,
                "source_updated_at": item.source_updated_at,
                "size_bytes": item.size_bytes or len(text.encode("utf-8")),
                **filters,
            }
            document = existing.get(item.external_id)
            if document is not None and _narrowed(document, filters):
                narrowed.append(document.id)
            if document is not None and document.content_hash == digest:
                changed = [
                    name for name, value in fields.items() if getattr(document, name) != value
                ]
                if changed:
                    for name in changed:
                        setattr(document, name, fields[name])
                    document.save(update_fields=[*changed, "updated_at"])
                    if any(name in filters for name in changed):
                        Chunk.objects.filter(document=document).update(**filters)
                result.unchanged.append(document.id)
                if document.indexed_hash != digest:
                    result.to_index.append(document.id)  # its indexing never finished
                continue
            document, _ = Document.objects.update_or_create(
                data_source=data_source,
                external_id=item.external_id,
                defaults={
                    **fields,
                    "workspace_id": data_source.workspace_id,
                    "text": text,
                    "content_hash": digest,
                    "status": DocumentStatus.PENDING,
                    "error_code": "",
                    "error_message": "",
                },
            )
            result.changed.append(document.id)
            result.to_index.append(document.id)
        if narrowed:
            # Old answers quoting these documents may now be shown to someone who lost them.
            send_task_on_commit(
                PURGE_REVOKED_CITATIONS_TASK,
                workspace_id=data_source.workspace_id,
                document_ids=narrowed,
            )
    return result


def _narrowed(document: Document, filters: dict[str, Any]) -> bool:
    """Whether the new access fields may close the document to someone who could open it:
    made private, a reader or group dropped, or moved in the hierarchy (out of a view)."""
    if document.access_public and not filters["access_public"]:
        return True
    if not document.access_public and not filters["access_public"]:
        if set(document.access_emails) - set(filters["access_emails"]):
            return True
        if set(document.access_group_ids) - set(filters["access_group_ids"]):
            return True
    return bool(set(document.parents) - set(filters["parents"]))


def record_document_failure(
    *,
    data_source: DataSource,
    external_id: str,
    title: str,
    code: str,
    message: str,
    size_bytes: int = 0,
) -> Document:
    """Keep a document that could not be read visible, with what went wrong.

    A previously indexed version stays searchable: a bad new upload must not lose the old one.
    """
    document, created = Document.objects.get_or_create(
        data_source=data_source,
        external_id=external_id,
        defaults={
            "workspace_id": data_source.workspace_id,
            "title": title[:500],
            "parents": [external_id],
            "status": DocumentStatus.FAILED,
            "size_bytes": size_bytes,
        },
    )
    document.error_code = code
    document.error_message = message
    if created or not document.indexed_hash:
        document.status = DocumentStatus.FAILED
    document.save(update_fields=["error_code", "error_message", "status", "updated_at"])
    return document


def _chunking_window(embeddings: Embeddings) -> tuple[Any, int]:
    tokenizer = getattr(embeddings, "tokenizer", None)
    if tokenizer is not None:
        return tokenizer, int(getattr(embeddings, "max_tokens", FALLBACK_MAX_TOKENS))
    local = get_embeddings("local")
    return getattr(local, "tokenizer"), FALLBACK_MAX_TOKENS  # noqa: B009 - typed as Embeddings


def _known_vectors(workspace_id: int, hashes: set[str]) -> dict[str, Any]:
    known: dict[str, Any] = {}
    ordered = sorted(hashes)
    for start in range(0, len(ordered), 1000):
        rows = (
            Chunk.objects.filter(
                workspace_id=workspace_id, text_hash__in=ordered[start : start + 1000]
            )
            .order_by()
            .distinct("text_hash")
            .values_list("text_hash", "embedding")
        )
        known.update(dict(rows))
    return known


def chunk_and_embed(
    *,
    title: str,
    breadcrumb: Sequence[str],
    text: str,
    embeddings: Embeddings | None = None,
    batch_size: int = EMBED_BATCH_SIZE,
) -> list[tuple[ChunkDraft, list[float]]]:
    """One text chunked exactly as documents are, its chunks embedded in batches: for text
    searched outside the index (the files attached to a conversation, agents.services)."""
    embeddings = embeddings or get_embeddings()
    tokenizer, max_tokens = _chunking_window(embeddings)
    drafts = chunk_document(
        title=title,
        breadcrumb=breadcrumb,
        text=text,
        tokenizer=tokenizer,
        max_tokens=max_tokens,
        overlap_tokens=CHUNK_OVERLAP_TOKENS,
    )
    vectors: list[list[float]] = []
    for start in range(0, len(drafts), batch_size):
        batch = drafts[start : start + batch_size]
        vectors.extend(embeddings.embed_documents([draft.text for draft in batch]))
    return list(zip(drafts, vectors, strict=True))


def index_documents(
    *,
    document_ids: Sequence[int],
    embeddings: Embeddings | None = None,
    batch_size: int = EMBED_BATCH_SIZE,
    on_chunks_embedded: Callable[[int], None] | None = None,
) -> IndexStats:
    """Chunk and embed documents whose chunks are stale, then swap their chunks in.

    Idempotent: a document whose chunks already match its content is skipped, so a
    redelivered task does no work twice.
    """
    embeddings = embeddings or get_embeddings()
    tokenizer, max_tokens = _chunking_window(embeddings)
    stats = IndexStats()
    documents = list(Document.objects.filter(id__in=document_ids).order_by("id"))
    drafts: dict[int, list[ChunkDraft]] = {}
    for document in documents:
        if (
            document.indexed_hash == document.content_hash
            and document.status == DocumentStatus.READY
        ):
            stats.skipped += 1
            continue
        drafts[document.id] = chunk_document(
            title=document.title,
            breadcrumb=document.breadcrumb,
            text=document.text,
            tokenizer=tokenizer,
            max_tokens=max_tokens,
            overlap_tokens=CHUNK_OVERLAP_TOKENS,
        )
    if not drafts:
        return stats

    by_workspace: dict[int, set[str]] = {}
    for document in documents:
        for draft in drafts.get(document.id, []):
            by_workspace.setdefault(document.workspace_id, set()).add(text_hash(draft.text))
    vectors: dict[str, Any] = {}
    for workspace_id, hashes in by_workspace.items():
        vectors.update(_known_vectors(workspace_id, hashes))
    stats.reused = len(vectors)

    missing: dict[str, str] = {}
    for chunk_drafts in drafts.values():
        for draft in chunk_drafts:
            digest = text_hash(draft.text)
            if digest not in vectors:
                missing.setdefault(digest, draft.text)
    missing_hashes = list(missing)
    for start in range(0, len(missing_hashes), batch_size):
        batch = missing_hashes[start : start + batch_size]
        for digest, vector in zip(
            batch, embeddings.embed_documents([missing[d] for d in batch]), strict=True
        ):
            vectors[digest] = vector
        stats.embedded += len(batch)
        if on_chunks_embedded is not None:
            on_chunks_embedded(len(batch))

    for document in documents:
        if document.id not in drafts:
            continue
        stats.chunks += _replace_chunks(document, drafts[document.id], vectors)
        stats.documents += 1
    return stats


def _replace_chunks(document: Document, drafts: list[ChunkDraft], vectors: dict[str, Any]) -> int:
    with transaction.atomic():
        current = Document.objects.select_for_update().filter(id=document.id).first()
        if current is None or current.content_hash != document.content_hash:
            # Deleted or changed again meanwhile: the newer version has its own index task.
            return 0
        Chunk.objects.filter(document_id=document.id).delete()
        Chunk.objects.bulk_create(
            [
                Chunk(
                    workspace_id=current.workspace_id,
                    data_source_id=current.data_source_id,
                    document_id=current.id,
                    position=draft.position,
                    text=draft.text,
                    text_hash=text_hash(draft.text),
                    token_count=draft.token_count,
                    embedding=vectors[text_hash(draft.text)],
                    parents=current.parents,
                    access_public=current.access_public,
                    access_emails=current.access_emails,
                    access_group_ids=current.access_group_ids,
                )
                for draft in drafts
            ],
            batch_size=500,
        )
        Document.objects.filter(id=current.id).update(
            indexed_hash=current.content_hash,
            status=DocumentStatus.READY,
            chunk_count=len(drafts),
            error_code="",
            error_message="",
        )
    return len(drafts)


def ingest_documents(
    *,
    data_source: DataSource,
    documents: Iterable[DocumentInput],
    embeddings: Embeddings | None = None,
) -> tuple[UpsertResult, IndexStats]:
    """Upsert and index in this process: for sync workers, which already run off the web path."""
    upserted = upsert_documents(data_source=data_source, documents=documents)
    stats = index_documents(document_ids=upserted.to_index, embeddings=embeddings)
    return upserted, stats


STALE_AFTER = timedelta(minutes=2)


def stale_document_ids(*, older_than: timedelta = STALE_AFTER, limit: int = 10_000) -> list[int]:
    """Documents whose chunks lag their content for longer than a queued task would take."""
    cutoff = timezone.now() - older_than
    return list(
        Document.objects.filter(status=DocumentStatus.PENDING, updated_at__lt=cutoff)
        .exclude(indexed_hash=F("content_hash"))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def delete_documents(*, data_source: DataSource, external_ids: Iterable[str]) -> int:
    """Remove documents gone at their source, with their chunks; returns how many documents
    (not rows: each document takes its chunks and uploads with it)."""
    _, per_model = Document.objects.filter(
        data_source=data_source, external_id__in=list(external_ids)
    ).delete()
    return per_model.get(Document._meta.label, 0)


def mark_documents_synced(
    *, data_source: DataSource, external_ids: Iterable[str], at: datetime | None = None
) -> None:
    """Note that a sync saw these documents (stored, unchanged or failed) at `at`: a full
    sync removes afterwards whatever it did not see."""
    ids = list(external_ids)
    if ids:
        Document.objects.filter(data_source=data_source, external_id__in=ids).update(
            synced_at=at or timezone.now()
        )


def delete_documents_not_synced_since(*, data_source: DataSource, since: datetime) -> int:
    """After a full sync that started at `since`: whatever it did not see is gone at the
    source or no longer selected. Returns how many documents were removed."""
    _, per_model = (
        Document.objects.filter(data_source=data_source).exclude(synced_at__gte=since).delete()
    )
    return per_model.get(Document._meta.label, 0)
