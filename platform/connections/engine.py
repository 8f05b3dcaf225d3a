"""Running one SyncRun: the connector's generator in, the knowledge base out.

Items are buffered per page. At each `Checkpoint` the page is written in one transaction
together with the run's counts and the checkpoint itself, so a worker killed at any moment
resumes from the last page that was fully stored: nothing lost, nothing stored twice.
Embedding happens afterwards on the `embed` queue (queued on commit).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.crypto import decrypt_json
from common.redis import redis_client
from connections.models import Connection, ConnectionStatus, SyncMode, SyncRun, SyncStatus
from connections.pacing import LockLost, RedisPacer, SyncLock
from connectors.base import Connector
from connectors.documents import (
    Checkpoint,
    Deletion,
    DocumentInput,
    ItemFailure,
    Progress,
    SyncItem,
)
from connectors.errors import ConnectorError, CursorExpired, InvalidCredentials
from connectors.registry import connector_class
from knowledge.ingestion import (
    delete_documents,
    delete_documents_not_synced_since,
    mark_documents_synced,
    record_document_failure,
    upsert_documents,
)
from knowledge.tasks import enqueue_indexing
from workspaces.services import mirror_source_groups

logger = logging.getLogger(__name__)

MAX_RECORDED_ERRORS = 100


class SyncBusy(Exception):
    """Another worker is syncing this connection; try again later."""


class SyncInterrupted(Exception):
    """The source failed past every retry; the run keeps its checkpoint and is retried."""

    def __init__(self, error: ConnectorError) -> None:
        super().__init__(error.message)
        self.error = error


def build_connector(connection: Connection, **options: Any) -> Connector:
    cls = connector_class(connection.kind)
    return cls(
        decrypt_json(connection.credentials_encrypted),
        base_url=connection.api_base_url or None,
        **options,
    )


@dataclass
class _Page:
    documents: dict[str, DocumentInput] = field(default_factory=dict)
    deletions: set[str] = field(default_factory=set)
    failures: dict[str, ItemFailure] = field(default_factory=dict)
    progress: Progress | None = None

    def add(self, item: SyncItem) -> None:
        # Later news of the same item within a page wins.
        if isinstance(item, DocumentInput):
            self.documents[item.external_id] = item
            self.deletions.discard(item.external_id)
        elif isinstance(item, Deletion):
            self.documents.pop(item.external_id, None)
            self.deletions.add(item.external_id)
        elif isinstance(item, ItemFailure):
            self.failures[item.external_id] = item
        elif isinstance(item, Progress):
            self.progress = item

    @property
    def empty(self) -> bool:
        return not (self.documents or self.deletions or self.failures or self.progress)


class SyncRunner:
    def __init__(
        self,
        run: SyncRun,
        *,
        on_page: Callable[[SyncRun], None] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.run = run
        self.connection = run.connection
        self.on_page = on_page
        self._renewed_at = time.monotonic()
        client = redis_client()
        self.lock = SyncLock(client, self.connection.id, settings.SYNC_LOCK_SECONDS)
        connector_options: dict[str, Any] = {}
        if sleep is not None:
            connector_options["sleep"] = sleep
        cls = connector_class(self.connection.kind)
        self.pacer = RedisPacer(
            client,
            self.connection.id,
            self.connection.requests_per_minute or cls.requests_per_minute,
            on_request=self._heartbeat,
            **({"sleep": sleep} if sleep is not None else {}),
        )
        self.connector = build_connector(self.connection, pacer=self.pacer, **connector_options)

    def _heartbeat(self, force: bool = False) -> None:
        """Keep the connection's lock while working. If it lapsed (a long stall) and nobody
        took it, take it back, unless another worker has moved the run on meanwhile."""
        now = time.monotonic()
        if not force and now - self._renewed_at < self.lock.ttl_seconds / 3:
            return
        try:
            self.lock.renew()
        except LockLost:
            moved_on = SyncRun.objects.filter(id=self.run.id).values_list("pages", flat=True)
            if not self.lock.acquire() or list(moved_on) != [self.run.pages]:
                raise
        self._renewed_at = now

    def execute(self) -> SyncRun:
        if not self.lock.acquire():
            raise SyncBusy(f"connection {self.connection.id} is being synced by another worker")
        try:
            self._start()
            self._drive()
        except InvalidCredentials as error:
            self._needs_credentials(error)
        except LockLost:
            logger.warning("sync run %s lost its lock; another worker goes on", self.run.id)
        finally:
            self.lock.release()
        return self.run

    def _start(self) -> None:
        run = self.run
        now = timezone.now()
        run.status = SyncStatus.RUNNING
        run.attempts += 1
        run.started_at = run.started_at or now
        run.heartbeat_at = now
        if run.mode == SyncMode.INCREMENTAL and run.base_cursor is None:
            run.base_cursor = self.connection.cursor or {}
        run.save(update_fields=["status", "attempts", "started_at", "heartbeat_at", "base_cursor"])

    def _generator(self) -> Any:
        selected = list(self.connection.selected_ids)
        resume: Mapping[str, Any] | None = self.run.checkpoint
        if self.run.mode == SyncMode.FULL:
            return self.connector.full_sync(selected, resume=resume)
        if self.run.mode == SyncMode.INCREMENTAL:
            return self.connector.incremental_sync(
                selected, self.run.base_cursor or {}, resume=resume
            )
        return self._items()

    def _items(self) -> Any:
        """Items mode: fetch each requested item; the checkpoint is the index reached."""
        start = int((self.run.checkpoint or {}).get("index", 0))
        for index in range(start, len(self.run.item_ids)):
            external_id = self.run.item_ids[index]
            try:
                yield self.call_fetch(external_id)
            except InvalidCredentials:
                raise
            except ConnectorError as error:
                yield ItemFailure(external_id, external_id, error.code, error.message)
            yield Checkpoint({"index": index + 1})
        return self.connection.cursor or {}

    def call_fetch(self, external_id: str) -> DocumentInput | Deletion:
        return self.connector.fetch_document(external_id)

    def _drive(self) -> None:
        generator = self._generator()
        page = _Page()
        while True:
            try:
                item = next(generator)
            except StopIteration as finished:
                self._store_page(page, checkpoint=self.run.checkpoint)
                if self.run.mode == SyncMode.FULL:
                    self._mirror_groups()
                self._finish(finished.value)
                return
            except InvalidCredentials:
                raise
            except CursorExpired as expired:
                if self.run.mode != SyncMode.INCREMENTAL:
                    raise SyncInterrupted(expired) from expired
                # What the unstored page held, the full sync sees again.
                self._switch_to_full(expired)
                generator = self._generator()
                page = _Page()
                continue
            except ConnectorError as error:
                raise SyncInterrupted(error) from error
            if isinstance(item, Checkpoint):
                self._store_page(page, checkpoint=dict(item.state))
                page = _Page()
                if self.run.cancel_requested_at is not None:
                    self._cancelled()
                    return
                if self.on_page is not None:
                    self.on_page(self.run)
            else:
                page.add(item)

    def _switch_to_full(self, expired: CursorExpired) -> None:
        """The source forgot where the last sync stopped: this run becomes a full sync from
        the start, and says so. Documents it stored before stay (the sweep at the end spares
        what this run has seen, since it started)."""
        run = self.run
        run.mode = SyncMode.FULL
        run.checkpoint = None
        run.base_cursor = None
        run.continues_since = None
        run.note = f"{expired.message} A full resync started by itself to catch up."
        run.save(update_fields=["mode", "checkpoint", "base_cursor", "continues_since", "note"])

    def _cancelled(self) -> None:
        """Stopped at a page boundary: the page before is stored whole, the checkpoint kept,
        so the next run of the same mode goes on from there (connections.services)."""
        run = self.run
        now = timezone.now()
        run.status = SyncStatus.CANCELLED
        run.finished_at = now
        run.heartbeat_at = now
        run.save(update_fields=["status", "finished_at", "heartbeat_at"])

    def _mirror_groups(self) -> None:
        connection = self.connection
        mirror_source_groups(
            workspace=connection.workspace,
            source=f"{connection.kind}:{connection.id}",
            label=connection.data_source.name,
            groups=list(self.connector.list_groups()),
        )

    def _store_page(self, page: _Page, *, checkpoint: Mapping[str, Any] | None) -> None:
        self._heartbeat(force=True)
        run = self.run
        data_source = self.connection.data_source
        with transaction.atomic():
            result = upsert_documents(data_source=data_source, documents=page.documents.values())
            deleted = delete_documents(data_source=data_source, external_ids=page.deletions)
            for failure in page.failures.values():
                record_document_failure(
                    data_source=data_source,
                    external_id=failure.external_id,
                    title=failure.title,
                    code=failure.code,
                    message=failure.message,
                )
            mark_documents_synced(
                data_source=data_source, external_ids=[*page.documents, *page.failures]
            )
            run.pages += 1
            run.documents_upserted += len(result.changed)
            run.documents_unchanged += len(result.unchanged)
            run.documents_deleted += deleted
            run.documents_failed += len(page.failures)
            if page.progress is not None:
                # The connector's own unit (channels, pages…), done out of total.
                run.progress_done = page.progress.done
                run.progress_total = page.progress.total
            elif run.progress_total is None:
                run.progress_done += len(page.documents) + len(page.deletions) + len(page.failures)
            if page.failures:
                recorded = [
                    {
                        "external_id": failure.external_id,
                        "title": failure.title,
                        "code": failure.code,
                        "message": failure.message,
                    }
                    for failure in page.failures.values()
                ]
                run.errors = (list(run.errors) + recorded)[-MAX_RECORDED_ERRORS:]
            run.checkpoint = dict(checkpoint) if checkpoint is not None else None
            run.heartbeat_at = timezone.now()
            # A cancel request written meanwhile is read under the row's lock, so this save
            # keeps it (and the worker sees it at this page boundary).
            run.cancel_requested_at = (
                SyncRun.objects.select_for_update()
                .filter(id=run.id)
                .values_list("cancel_requested_at", flat=True)
                .first()
            )
            run.save()
            to_index = list(result.to_index)
            transaction.on_commit(lambda: enqueue_indexing(to_index))

    def _finish(self, cursor: Mapping[str, Any] | None) -> None:
        run = self.run
        connection = self.connection
        now = timezone.now()
        with transaction.atomic():
            if run.mode == SyncMode.FULL and run.started_at is not None:
                # Whatever this run did not see is gone at the source, or no longer selected.
                run.documents_deleted += delete_documents_not_synced_since(
                    data_source=connection.data_source,
                    since=run.continues_since or run.started_at,
                )
                connection.last_full_sync_at = now
            if run.mode != SyncMode.ITEMS and cursor is not None:
                connection.cursor = dict(cursor)
            connection.last_successful_sync_at = now
            if connection.status == ConnectionStatus.NEEDS_CREDENTIALS:
                connection.status = ConnectionStatus.ACTIVE
                connection.status_message = ""
            connection.save(
                update_fields=[
                    "cursor",
                    "last_full_sync_at",
                    "last_successful_sync_at",
                    "status",
                    "status_message",
                    "updated_at",
                ]
            )
            run.status = SyncStatus.SUCCEEDED
            run.finished_at = now
            run.heartbeat_at = now
            run.error_code = ""
            run.error_message = ""
            run.save()

    def _needs_credentials(self, error: InvalidCredentials) -> None:
        now = timezone.now()
        with transaction.atomic():
            self.connection.status = ConnectionStatus.NEEDS_CREDENTIALS
            self.connection.status_message = (
                f"{error.message} Syncing is paused and the documents already synced stay "
                "searchable; enter new credentials to resume."
            )
            self.connection.save(update_fields=["status", "status_message", "updated_at"])
            self.run.status = SyncStatus.FAILED
            self.run.error_code = error.code
            self.run.error_message = error.message
            self.run.finished_at = now
            self.run.save()
