"""Syncs on real Celery workers: a worker killed with SIGKILL mid-sync, and the next one
resuming from the checkpoint with nothing lost and nothing stored twice."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

import pytest

from config.celery import app
from connections.models import SyncMode, SyncRun, SyncStatus
from connections.services import request_sync, schedule_syncs
from knowledge.models import Document, DocumentStatus
from tests.connections.conftest import connect
from tests.connectors.contract import FakeSource
from tests.factories import Tenant
from tests.processes import celery_worker

LOCK_SECONDS = 3


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_kill_9_mid_sync_resumes_from_the_checkpoint_with_nothing_lost_or_duplicated(
    tenant: Tenant, source_kind: str, fake: FakeSource, settings: Any
) -> None:
    settings.SYNC_LOCK_SECONDS = LOCK_SECONDS
    connection = connect(tenant, source_kind, fake)
    expected = fake.expected_external_ids()
    fake.latency_seconds = 0.05  # slow enough to kill the worker between pages
    app.control.purge()

    def current() -> SyncRun:
        return SyncRun.objects.get(connection=connection)

    with celery_worker(queues="sync", name="doomed", SYNC_LOCK_SECONDS=str(LOCK_SECONDS)) as w:
        request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
        wait_for(lambda: current().pages >= 2, 90, "two pages to be stored")
        os.kill(w.pid, signal.SIGKILL)
        w.wait()
    killed = current()
    assert killed.status == SyncStatus.RUNNING and killed.checkpoint is not None
    stored_at_kill = Document.objects.filter(data_source=connection.data_source).count()
    assert 0 < stored_at_kill < len(expected), "the kill should land mid-sync"

    fake.latency_seconds = 0
    with celery_worker(queues="sync", name="heir", SYNC_LOCK_SECONDS=str(LOCK_SECONDS)):
        time.sleep(LOCK_SECONDS + 0.5)  # the dead worker's lock expires
        assert killed.id in schedule_syncs()  # beat's sweep finds the silent run
        wait_for(lambda: current().status != SyncStatus.RUNNING, 120, "the resumed run")
    run = current()
    assert run.status == SyncStatus.SUCCEEDED, run.error_message
    assert run.attempts == 2
    stored = list(
        Document.objects.filter(data_source=connection.data_source)
        .exclude(status=DocumentStatus.FAILED)  # items the source could not hand over
        .values_list("external_id", flat=True)
    )
    assert set(stored) == expected and len(stored) == len(expected)
    # Every document was written once across both attempts: none re-stored after resuming.
    assert run.documents_upserted == len(expected)


@pytest.mark.django_db(transaction=True)
def test_a_sync_cancelled_on_a_worker_stops_whole_and_the_next_run_resumes_it(
    tenant: Tenant, settings: Any
) -> None:
    from connections.services import cancel_sync
    from tests.connections.sources import SOURCES

    settings.SYNC_LOCK_SECONDS = LOCK_SECONDS
    with SOURCES["slack"]() as fake:
        connection = connect(tenant, "slack", fake)
        expected = fake.expected_external_ids()
        fake.latency_seconds = 0.05  # slow enough to cancel between pages
        app.control.purge()
        documents = Document.objects.filter(data_source=connection.data_source)

        with celery_worker(queues="sync", name="ops", SYNC_LOCK_SECONDS=str(LOCK_SECONDS)):
            first = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
            wait_for(lambda: SyncRun.objects.get(id=first.id).pages >= 2, 90, "two pages stored")
            cancel_sync(actor=tenant.admin, connection_id=connection.id, run_id=first.id)
            wait_for(
                lambda: SyncRun.objects.get(id=first.id).status != SyncStatus.RUNNING,
                60,
                "the worker to stop at a page boundary",
            )
            cancelled = SyncRun.objects.get(id=first.id)
            assert cancelled.status == SyncStatus.CANCELLED and cancelled.checkpoint is not None
            at_cancel = documents.count()
            assert 0 < at_cancel < len(expected), "the cancel should land mid-sync"
            # Nothing half-written: every document the run counted is stored, with its text.
            assert at_cancel == cancelled.documents_upserted + cancelled.documents_failed
            assert not documents.exclude(status=DocumentStatus.FAILED).filter(content_hash="")

            fake.latency_seconds = 0
            following = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
            assert following.checkpoint == cancelled.checkpoint
            wait_for(
                lambda: (
                    SyncRun.objects.get(id=following.id).status
                    not in (SyncStatus.QUEUED, SyncStatus.RUNNING)
                ),
                120,
                "the next run",
            )
        run = SyncRun.objects.get(id=following.id)
        assert run.status == SyncStatus.SUCCEEDED, run.error_message
        stored = list(
            documents.exclude(status=DocumentStatus.FAILED).values_list("external_id", flat=True)
        )
        assert set(stored) == expected and len(stored) == len(expected)
        # It went on from the checkpoint: what the cancelled run stored was not stored again.
        assert run.documents_upserted + cancelled.documents_upserted == len(expected)
