"""Reads for the admin console: connections with their latest run, and sync history."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from common.crypto import decrypt_json
from common.errors import NotFound
from connections.access import access_connection
from connections.models import Connection, SyncRun
from knowledge.access_preview import AccessPreview, preview_access_change
from workspaces.access import access_role
from workspaces.models import Membership, Role, Space
from workspaces.selectors import space_member_ids

RECENT_RUNS = 20


def list_connections(*, actor: Membership) -> QuerySet[Connection]:
    access_role(actor, Role.ADMIN)
    return (
        Connection.objects.filter(workspace_id=actor.workspace_id)
        .select_related("data_source")
        .annotate(document_count=Count("data_source__documents"))
        .order_by("data_source__name")
    )


def pending_webhook_token(connection: Connection) -> str | None:
    """The token a webhook handshake sent, until the credentials carry it (admins only: every
    route that shows a connection is)."""
    if not connection.pending_webhook_token_encrypted:
        return None
    token = str(decrypt_json(connection.pending_webhook_token_encrypted).get("token") or "")
    current = decrypt_json(connection.credentials_encrypted).get("webhook_verification_token")
    return token if token and token != current else None


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


def preview_selection_change(
    *, actor: Membership, connection_id: int, selected_ids: Sequence[str]
) -> AccessPreview:
    """What saving a new selection would close (the next full sync deletes the documents
    outside it) and whether it may open more (only the sync can list those). Same permission
    SQL as search, over the people of every space that holds a view of the connection."""
    connection = access_connection(actor=actor, connection_id=connection_id)
    old = set(connection.selected_ids)
    new = set(selected_ids)
    widened = bool(old) and (not new or not new <= old)
    # An empty selection is everything the credentials reach: nothing synced is dropped.
    remaining = (
        ~Q(data_source_id=connection.data_source_id) | Q(parents__overlap=sorted(new))
        if new
        else None
    )
    people: set[int] = set()
    for space in Space.objects.filter(views__data_source_id=connection.data_source_id).distinct():
        people |= space_member_ids(space=space)
    return preview_access_change(
        actor=actor,
        people_ids=people,
        documents_after=remaining,
        additions_known_after_sync=widened,
    )
