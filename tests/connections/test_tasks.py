"""The sync task in deliveries: a long sync stores pages for SYNC_DELIVERY_SECONDS, then
queues the rest, which resumes from the checkpoint (README, "Celery delivery")."""

from __future__ import annotations

from typing import Any

from config.celery import app
from connections.models import SyncMode, SyncRun, SyncStatus
from connections.services import request_sync, run_sync
from connections.tasks import run_sync_task
from tests.connections.conftest import connect
from tests.connections.sources import SOURCES
from tests.factories import Tenant


def queued_syncs() -> int:
    """Messages waiting on the sync queue (a Redis list named after it)."""
    with app.connection_for_read() as connection:
        return int(connection.default_channel.client.llen("sync"))


def test_a_sync_past_its_delivery_time_hands_the_rest_to_a_fresh_delivery(
    tenant: Tenant, settings: Any
) -> None:
    with SOURCES["slack"]() as fake:
        whole = connect(tenant, "slack", fake, name="In one go")
        reference = run_sync(
            run_id=request_sync(connection=whole, mode=SyncMode.FULL, trigger="test").id
        )
        assert reference.status == SyncStatus.SUCCEEDED and reference.pages >= 2

        connection = connect(tenant, "slack", fake, name="In deliveries")
        run = request_sync(connection=connection, mode=SyncMode.FULL, trigger="test")
        settings.SYNC_DELIVERY_SECONDS = 0  # every stored page ends the delivery
        app.control.purge()
        deliveries = 0
        while run.status != SyncStatus.SUCCEEDED:
            assert deliveries <= reference.pages, "each delivery moves the run on"
            run_sync_task.apply(args=(run.id,))
            deliveries += 1
            run = SyncRun.objects.get(id=run.id)
            if run.status != SyncStatus.SUCCEEDED:
                assert run.status == SyncStatus.RUNNING and run.checkpoint is not None
                assert queued_syncs() == 1, "the rest of the sync is queued"
                app.control.purge()
    assert deliveries == reference.pages
    assert queued_syncs() == 0
    assert run.documents_upserted == reference.documents_upserted
    assert run.documents_failed == reference.documents_failed
    assert set(connection.data_source.documents.values_list("external_id", "content_hash")) == set(
        whole.data_source.documents.values_list("external_id", "content_hash")
    )
