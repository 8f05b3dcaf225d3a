"""Connections for the admin console: add with credentials, pick parts, watch syncs, resync.
Thin: parse, call a service or selector, shape."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.auth import request_actor
from api.route_limits import enforce_route_limit
from connections import selectors, services
from connections.access import access_connection
from connections.models import Connection, SyncRun
from knowledge.access_preview import AccessPreview
from knowledge.api import AccessPreviewOut
from workspaces.access import access_role
from workspaces.models import Role

router = Router(tags=["connections"])


class CredentialHelpOut(Schema):
    label: str
    help: str = Field(description="Where at the provider the value is found")
    url: str = Field(description="The provider's documentation page about it")


class ConnectorKindOut(Schema):
    kind: str
    display_name: str
    credential_fields: list[str]
    secret_fields: list[str]
    handles_webhooks: bool
    credential_help: dict[str, CredentialHelpOut]


class SyncRunOut(Schema):
    id: int
    mode: str
    status: str
    trigger: str
    pages: int
    documents_upserted: int
    documents_unchanged: int
    documents_deleted: int
    documents_failed: int
    progress_done: int
    progress_total: int | None
    errors: list[dict[str, Any]]
    error_code: str
    error_message: str
    attempts: int
    note: str
    cancel_requested: bool
    queued_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float | None

    @staticmethod
    def of(run: SyncRun) -> "SyncRunOut":
        return SyncRunOut(
            id=run.id,
            mode=run.mode,
            status=run.status,
            trigger=run.trigger,
            pages=run.pages,
            documents_upserted=run.documents_upserted,
            documents_unchanged=run.documents_unchanged,
            documents_deleted=run.documents_deleted,
            documents_failed=run.documents_failed,
            progress_done=run.progress_done,
            progress_total=run.progress_total,
            errors=list(run.errors),
            error_code=run.error_code,
            error_message=run.error_message,
            attempts=run.attempts,
            note=run.note,
            cancel_requested=run.cancel_requested_at is not None,
            queued_at=run.queued_at,
            started_at=run.started_at,
            finished_at=run.finished_at,
            duration_seconds=run.duration_seconds,
        )


class ConnectionOut(Schema):
    id: int
    kind: str
    name: str
    data_source_id: int
    status: str
    status_message: str
    selected_ids: list[str]
    api_base_url: str
    sync_interval_minutes: int
    requests_per_minute: int | None
    webhook_path: str
    document_count: int
    last_full_sync_at: datetime | None
    last_successful_sync_at: datetime | None
    created_at: datetime
    latest_run: SyncRunOut | None
    webhook_verification_token: str | None = Field(
        description="The token the source's webhook handshake sent, while webhooks are being "
        "set up (Notion): paste it into the source and the credentials"
    )

    @staticmethod
    def of(connection: Connection, latest_run: SyncRun | None) -> "ConnectionOut":
        # Lists annotate the count (connections.selectors); one connection counts on its own.
        document_count = getattr(connection, "document_count", None)
        if document_count is None:
            document_count = connection.data_source.documents.count()
        return ConnectionOut(
            id=connection.id,
            kind=connection.kind,
            name=connection.data_source.name,
            data_source_id=connection.data_source_id,
            status=connection.status,
            status_message=connection.status_message,
            selected_ids=list(connection.selected_ids),
            api_base_url=connection.api_base_url,
            sync_interval_minutes=connection.sync_interval_minutes,
            requests_per_minute=connection.requests_per_minute,
            webhook_path=f"/webhooks/{connection.kind}/{connection.id}",
            document_count=document_count,
            last_full_sync_at=connection.last_full_sync_at,
            last_successful_sync_at=connection.last_successful_sync_at,
            created_at=connection.created_at,
            latest_run=SyncRunOut.of(latest_run) if latest_run else None,
            webhook_verification_token=selectors.pending_webhook_token(connection),
        )


class ConnectionIn(Schema):
    kind: str
    name: str = Field(min_length=1, max_length=200)
    credentials: dict[str, str]
    space_id: int | None = None
    api_base_url: str = Field(default="", max_length=500)
    selected_ids: list[str] = []


class ConnectionPatch(Schema):
    name: str | None = Field(default=None, max_length=200)
    selected_ids: list[str] | None = None
    sync_interval_minutes: int | None = None
    requests_per_minute: int | None = None
    paused: bool | None = None


class CredentialsIn(Schema):
    credentials: dict[str, str]


class HierarchyNodeOut(Schema):
    id: str
    title: str
    kind: str
    parent_id: str | None
    has_children: bool
    url: str
    details: dict[str, Any]


class SyncIn(Schema):
    mode: str = Field(default="incremental", description="full, incremental or items")
    item_ids: list[str] = []


class HierarchyQuery(Schema):
    parent_id: str | None = None


def _connection_out(connection: Connection) -> ConnectionOut:
    latest = selectors.latest_runs([connection.id]).get(connection.id)
    return ConnectionOut.of(connection, latest)


@router.get("/workspaces/{workspace_id}/connectors", response=list[ConnectorKindOut])
def list_connector_kinds(request: HttpRequest, workspace_id: int) -> list[ConnectorKindOut]:
    """The sources a connection can be made to, with the credential fields each asks for."""
    access_role(request_actor(request, workspace_id), Role.ADMIN)
    return [
        ConnectorKindOut(
            kind=kind.kind,
            display_name=kind.display_name,
            credential_fields=list(kind.credential_fields),
            secret_fields=list(kind.secret_fields),
            handles_webhooks=kind.handles_webhooks,
            credential_help={
                name: CredentialHelpOut(label=help_.label, help=help_.help, url=help_.url)
                for name, help_ in kind.credential_help.items()
            },
        )
        for kind in services.list_connector_kinds()
    ]


@router.get("/workspaces/{workspace_id}/connections", response=list[ConnectionOut])
def list_connections(request: HttpRequest, workspace_id: int) -> list[ConnectionOut]:
    connections = list(selectors.list_connections(actor=request_actor(request, workspace_id)))
    latest = selectors.latest_runs([connection.id for connection in connections])
    return [ConnectionOut.of(connection, latest.get(connection.id)) for connection in connections]


@router.post("/workspaces/{workspace_id}/connections", response={201: ConnectionOut})
def create_connection(request: HttpRequest, workspace_id: int, payload: ConnectionIn) -> Status:
    """Checks the credentials with the source first; the first full sync starts at once."""
    connection = services.create_connection(
        actor=request_actor(request, workspace_id),
        kind=payload.kind,
        name=payload.name,
        credentials=payload.credentials,
        space_id=payload.space_id,
        api_base_url=payload.api_base_url,
        selected_ids=payload.selected_ids,
    )
    return Status(201, _connection_out(connection))


@router.get("/workspaces/{workspace_id}/connections/{connection_id}", response=ConnectionOut)
def get_connection(request: HttpRequest, workspace_id: int, connection_id: int) -> ConnectionOut:
    connection = access_connection(
        actor=request_actor(request, workspace_id), connection_id=connection_id
    )
    return _connection_out(connection)


@router.patch("/workspaces/{workspace_id}/connections/{connection_id}", response=ConnectionOut)
def update_connection(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: ConnectionPatch
) -> ConnectionOut:
    """Changing `selected_ids` starts a full sync that adds and removes what changed."""
    connection = services.update_connection(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        **payload.model_dump(exclude_unset=True),
    )
    return _connection_out(connection)


class SelectionPreviewIn(Schema):
    selected_ids: list[str] = Field(max_length=10_000)


@router.post(
    "/workspaces/{workspace_id}/connections/{connection_id}/selection-preview",
    response=AccessPreviewOut,
)
def preview_selection(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: SelectionPreviewIn
) -> AccessPreview:
    """What saving `selected_ids` would close (documents the next full sync drops, and for
    whom), by the search's permission SQL; nothing is changed. Admins only."""
    enforce_route_limit(request, "searches")
    return selectors.preview_selection_change(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        selected_ids=payload.selected_ids,
    )


@router.put(
    "/workspaces/{workspace_id}/connections/{connection_id}/credentials", response=ConnectionOut
)
def replace_credentials(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: CredentialsIn
) -> ConnectionOut:
    connection = services.replace_credentials(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        credentials=payload.credentials,
    )
    return _connection_out(connection)


@router.delete("/workspaces/{workspace_id}/connections/{connection_id}", response={204: None})
def delete_connection(request: HttpRequest, workspace_id: int, connection_id: int) -> Status:
    """Deletes the connection and every document synced through it."""
    services.delete_connection(
        actor=request_actor(request, workspace_id), connection_id=connection_id
    )
    return Status(204, None)


@router.get(
    "/workspaces/{workspace_id}/connections/{connection_id}/hierarchy",
    response=list[HierarchyNodeOut],
)
def list_hierarchy(
    request: HttpRequest,
    workspace_id: int,
    connection_id: int,
    query: Query[HierarchyQuery],
) -> list[HierarchyNodeOut]:
    """The picker: the source's top-level parts, or the children of `parent_id`."""
    nodes = services.list_connection_hierarchy(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        parent_id=query.parent_id,
    )
    return [
        HierarchyNodeOut(
            id=node.id,
            title=node.title,
            kind=node.kind,
            parent_id=node.parent_id,
            has_children=node.has_children,
            url=node.url,
            details=dict(node.details),
        )
        for node in nodes
    ]


@router.post(
    "/workspaces/{workspace_id}/connections/{connection_id}/syncs", response={202: SyncRunOut}
)
def start_sync(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: SyncIn
) -> Status:
    """Resync everything (full), sync now (incremental) or resync some items (items)."""
    run = services.start_sync(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        mode=payload.mode,
        item_ids=payload.item_ids,
    )
    return Status(202, SyncRunOut.of(run))


@router.get(
    "/workspaces/{workspace_id}/connections/{connection_id}/syncs", response=list[SyncRunOut]
)
def list_sync_runs(request: HttpRequest, workspace_id: int, connection_id: int) -> list[SyncRunOut]:
    runs = selectors.list_sync_runs(
        actor=request_actor(request, workspace_id), connection_id=connection_id
    )
    return [SyncRunOut.of(run) for run in runs]


@router.get(
    "/workspaces/{workspace_id}/connections/{connection_id}/syncs/{run_id}",
    response=SyncRunOut,
)
def get_sync_run(
    request: HttpRequest, workspace_id: int, connection_id: int, run_id: int
) -> SyncRunOut:
    run = selectors.get_sync_run(
        actor=request_actor(request, workspace_id), connection_id=connection_id, run_id=run_id
    )
    return SyncRunOut.of(run)


@router.post(
    "/workspaces/{workspace_id}/connections/{connection_id}/syncs/{run_id}/cancel",
    response=SyncRunOut,
)
def cancel_sync(
    request: HttpRequest, workspace_id: int, connection_id: int, run_id: int
) -> SyncRunOut:
    """A queued sync never starts; a running one stops at its next page boundary and ends
    "cancelled", its checkpoint kept: the next sync of the same mode goes on from there."""
    run = services.cancel_sync(
        actor=request_actor(request, workspace_id), connection_id=connection_id, run_id=run_id
    )
    return SyncRunOut.of(run)


class ItemsIn(Schema):
    item_ids: list[str] = Field(min_length=1, max_length=services.MAX_RESYNC_ITEMS)


@router.post(
    "/workspaces/{workspace_id}/connections/{connection_id}/items/resync",
    response={202: SyncRunOut},
)
def resync_items(
    request: HttpRequest, workspace_id: int, connection_id: int, payload: ItemsIn
) -> Status:
    """Sync just these items (external ids, as the picker lists them) now."""
    run = services.resync_items(
        actor=request_actor(request, workspace_id),
        connection_id=connection_id,
        item_ids=payload.item_ids,
    )
    return Status(202, SyncRunOut.of(run))


@router.post(
    "/workspaces/{workspace_id}/documents/{document_id}/resync", response={202: SyncRunOut}
)
def resync_document(request: HttpRequest, workspace_id: int, document_id: int) -> Status:
    """Sync this one document again from its source (admins); gone there: removed."""
    run = services.resync_document(
        actor=request_actor(request, workspace_id), document_id=document_id
    )
    return Status(202, SyncRunOut.of(run))
