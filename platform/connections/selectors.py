"""Reads for the admin console: connections with their latest run, and sync history."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from common.errors import NotFound
from connections.access import access_connection
from connections.models import Connection, SyncRun
from workspaces.access import access_role
from workspaces.models import Membership, Role

RECENT_RUNS = 20


def list_connections(*, actor: Membership) -> QuerySet[Connection]:
    access_role(actor, Role.ADMIN)
    return (
        Connection.objects.filter(workspace_id=actor.workspace_id)
        .select_related("data_source")
        .annotate(document_count=Count("data_source__documents"))
        .order_by("data_source__name")
    )


def latest_runs(connection_ids: list[int]) -> dict[int, SyncRun]:
    runs = SyncRun.objects.filter(connection_id__in=connection_ids).order_by(
        "connection_id", "-queued_at"
    )
    latest: dict[int, SyncRun] = {}
    for run in runs.distinct("connection_id"):
        latest[run.connection_id] = run
    return latest


def list_sync_runs(*, actor: Membership, connection_id: int) -> QuerySet[SyncRun]:
    connection = access_connection(actor=actor, connection_id=connection_id)
    return SyncRun.objects.filter(connection=connection).order_by("-queued_at")[:RECENT_RUNS]


def get_sync_run(*, actor: Membership, connection_id: int, run_id: int) -> SyncRun:
    connection = access_connection(actor=actor, connection_id=connection_id)
    run = SyncRun.objects.filter(connection=connection, id=run_id).first()
    if run is None:
        raise NotFound("No such sync run for this connection.")
    return run
