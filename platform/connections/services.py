"""Writes for connections and their syncs. Views, tasks and commands call these."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_change
from common.crypto import encrypt_json
from common.errors import Conflict, InvalidInput, NotFound
from common.outbound import ALLOWED_HOSTS_SETTING
from common.outbound_checks import base_url_host_is_allowed, check_base_url
from connections.access import access_connection
from connections.engine import SyncRunner, build_connector
from connections.models import (
    MODE_BREADTH,
    Connection,
    ConnectionStatus,
    SyncMode,
    SyncRun,
    SyncStatus,
)
from connectors.base import Connector, CredentialHelp
from connectors.documents import HierarchyNode, SourceAccount
from connectors.errors import (
    ConnectorError,
    InvalidConfiguration,
    InvalidCredentials,
    UnexpectedResponse,
)
from connectors.registry import CONNECTOR_CLASSES, connector_class
from knowledge.services import (
    create_synced_data_source,
    delete_synced_data_source,
    rename_synced_data_source,
)
from workspaces.access import access_role, access_space
from workspaces.models import Membership, Role, Space, SpaceKind

logger = logging.getLogger(__name__)

FULL_SYNC_EVERY = timedelta(hours=24)
# A queued run whose task has not started in this long is queued again (broker was down).
REQUEUE_QUEUED_AFTER = timedelta(minutes=10)
# Someone is waiting on the answer (checking credentials, opening the picker): fail fast.
INTERACTIVE_RETRIES: dict[str, Any] = {"max_attempts": 3, "max_wait_seconds": 5.0}


@dataclass(frozen=True)
class ConnectorKind:
    kind: str
    display_name: str
    credential_fields: tuple[str, ...]
    secret_fields: tuple[str, ...]
    handles_webhooks: bool
    credential_help: Mapping[str, CredentialHelp]


def list_connector_kinds() -> list[ConnectorKind]:
    kinds = []
    for kind in CONNECTOR_CLASSES:
        try:
            cls = connector_class(kind)
        except ImportError:  # a connector whose package is not installed is not offered
            continue
        kinds.append(
            ConnectorKind(
                kind=kind,
                display_name=cls.display_name,
                credential_fields=cls.credential_fields,
                secret_fields=cls.secret_fields,
                handles_webhooks=cls.handles_webhooks,
                credential_help=cls.credential_help,
            )
        )
    return kinds


def _connector_class(kind: str) -> type[Connector]:
    try:
        return connector_class(kind)
    except (ValueError, ImportError):
        names = ", ".join(sorted(CONNECTOR_CLASSES))
        raise InvalidInput(f"There is no '{kind}' connector; choose one of: {names}.") from None


def _clean_credentials(cls: type[Connector], credentials: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {key: value for key, value in credentials.items() if value not in (None, "")}
    unknown = sorted(set(cleaned) - set(cls.credential_fields))
    if unknown:
        raise InvalidInput(
            f"{cls.display_name} does not take {', '.join(unknown)}; "
            f"its fields are {', '.join(cls.credential_fields)}."
        )
    return cleaned


def check_api_base_url(cls: type[Connector], api_base_url: str) -> str:
    """A custom API base URL is for a source's self-hosted edition (GitHub Enterprise
    Server). A cloud-only source takes one only when the operator allow-listed its host:
    that is how an egress proxy, or a test's fake server, stands in for the source. Either
    way the URL must pass the outbound policy (https, resolving to public addresses)."""
    api_base_url = api_base_url.strip()
    if not api_base_url:
        return ""
    if not cls.self_hosted_edition and not base_url_host_is_allowed(api_base_url):
        raise InvalidInput(
            f"{cls.display_name} has no self-hosted edition, so a connection to it takes no "
            "API base URL: leave the field empty. (An operator who routes it through a proxy "
            f"adds the proxy's host to {ALLOWED_HOSTS_SETTING}.)",
            code="base_url_not_allowed",
        )
    return check_base_url(api_base_url)


def validate_credentials(
    *, kind: str, credentials: Mapping[str, Any], api_base_url: str = ""
) -> SourceAccount:
    """Ask the source who these credentials are. Runs outside any transaction (network)."""
    cls = _connector_class(kind)
    api_base_url = check_api_base_url(cls, api_base_url)
    connector = cls(
        _clean_credentials(cls, credentials),
        base_url=api_base_url or None,
        **INTERACTIVE_RETRIES,
    )
    try:
        return connector.validate_credentials()
    except InvalidCredentials as error:
        raise InvalidInput(
            f"{cls.display_name} refused these credentials: {error.message}",
            code="invalid_credentials",
        ) from error
    except (InvalidConfiguration, UnexpectedResponse) as error:
        # Retrying will not help: the URL was refused or the answer was not the source's API.
        raise InvalidInput(error.message, code=error.code) from error
    except ConnectorError as error:
        raise InvalidInput(
            f"{cls.display_name} could not be reached to check the credentials "
            f"({error.message}). Try again in a minute.",
            code=error.code,
        ) from error
    except Exception as error:
        # Whatever else the SDK raised on an odd answer is logged, never shown: its text may
        # quote the remote body.
        logger.exception("checking %s credentials failed", kind)
        unexpected = UnexpectedResponse(cls.display_name, *connector.last_answer())
        raise InvalidInput(unexpected.message, code=unexpected.code) from error


def _company_space(workspace_id: int) -> Space:
    return Space.objects.get(workspace_id=workspace_id, kind=SpaceKind.COMPANY)


def create_connection(
    *,
    actor: Membership,
    kind: str,
    name: str,
    credentials: Mapping[str, Any],
    space_id: int | None = None,
    api_base_url: str = "",
    selected_ids: Sequence[str] = (),
) -> Connection:
    """Validate the credentials with the source, then store the connection (credentials
    encrypted), its data source and its view in a space, and queue the first full sync."""
    access_role(actor, Role.ADMIN)
    name = name.strip()
    if not name:
        raise InvalidInput("A connection needs a name.")
    space = (
        access_space(actor=actor, space_id=space_id)
        if space_id is not None
        else _company_space(actor.workspace_id)
    )
    cls = _connector_class(kind)
    cleaned = _clean_credentials(cls, credentials)
    api_base_url = check_api_base_url(cls, api_base_url)
    account = validate_credentials(kind=kind, credentials=cleaned, api_base_url=api_base_url)
    with transaction.atomic():
        data_source = create_synced_data_source(actor=actor, name=name, kind=kind, space=space)
        connection = Connection.objects.create(
            workspace_id=actor.workspace_id,
            data_source=data_source,
            kind=kind,
            credentials_encrypted=encrypt_json(cleaned),
            api_base_url=api_base_url,
            selected_ids=sorted(set(selected_ids)),
            created_by=actor,
        )
        audit_change(
            actor=actor,
            action="connection.created",
            target=connection,
            data={
                "kind": kind,
                "name": name,
                "space_id": space.id,
                "account": {"id": account.id, "name": account.name},
            },
        )
        request_sync(connection=connection, mode=SyncMode.FULL, trigger="created", actor=actor)
    return connection


def update_connection(
    *,
    actor: Membership,
    connection_id: int,
    name: str | None = None,
    selected_ids: Sequence[str] | None = None,
    sync_interval_minutes: int | None = None,
    requests_per_minute: int | None = None,
    paused: bool | None = None,
) -> Connection:
    with transaction.atomic():
        connection = access_connection(actor=actor, connection_id=connection_id, for_update=True)
        changes: dict[str, Any] = {}
        if name is not None and name.strip() != connection.data_source.name:
            name = name.strip()
            if not name:
                raise InvalidInput("A connection needs a name.")
            rename_synced_data_source(actor=actor, data_source=connection.data_source, name=name)
            changes["name"] = name
        selection_changed = False
        if selected_ids is not None and sorted(set(selected_ids)) != connection.selected_ids:
            connection.selected_ids = sorted(set(selected_ids))
            changes["selected_ids"] = connection.selected_ids
            selection_changed = True
        if sync_interval_minutes is not None:
            if sync_interval_minutes < 1:
                raise InvalidInput("The sync interval is at least one minute.")
            connection.sync_interval_minutes = sync_interval_minutes
            changes["sync_interval_minutes"] = sync_interval_minutes
        if requests_per_minute is not None:
            if requests_per_minute < 1:
                raise InvalidInput("Allow at least one request per minute.")
            connection.requests_per_minute = requests_per_minute
            changes["requests_per_minute"] = requests_per_minute
        if paused is not None and paused != (connection.status == ConnectionStatus.PAUSED):
            if connection.status == ConnectionStatus.NEEDS_CREDENTIALS:
                raise Conflict("This connection needs new credentials before it can resume.")
            connection.status = ConnectionStatus.PAUSED if paused else ConnectionStatus.ACTIVE
            changes["paused"] = paused
        if not changes:
            return connection
        connection.save()
        audit_change(actor=actor, action="connection.updated", target=connection, data=changes)
        if selection_changed and connection.status == ConnectionStatus.ACTIVE:
            # Only a full sync sees what the new selection adds and removes.
            request_sync(connection=connection, mode=SyncMode.FULL, trigger="selection")
    return connection


def replace_credentials(
    *, actor: Membership, connection_id: int, credentials: Mapping[str, Any]
) -> Connection:
    connection = access_connection(actor=actor, connection_id=connection_id)
    cls = _connector_class(connection.kind)
    cleaned = _clean_credentials(cls, credentials)
    validate_credentials(
        kind=connection.kind, credentials=cleaned, api_base_url=connection.api_base_url
    )
    with transaction.atomic():
        connection = access_connection(actor=actor, connection_id=connection_id, for_update=True)
        connection.credentials_encrypted = encrypt_json(cleaned)
        connection.status = ConnectionStatus.ACTIVE
        connection.status_message = ""
        connection.save()
        audit_change(
            actor=actor,
            action="connection.credentials_replaced",
            target=connection,
            data={"fields": sorted(cleaned)},
        )
        request_sync(connection=connection, mode=SyncMode.INCREMENTAL, trigger="credentials")
    return connection


@transaction.atomic
def delete_connection(*, actor: Membership, connection_id: int) -> None:
    """Remove the connection with everything synced through it."""
    connection = access_connection(actor=actor, connection_id=connection_id, for_update=True)
    audit_change(
        actor=actor,
        action="connection.deleted",
        target=connection,
        data={"kind": connection.kind, "name": connection.data_source.name},
    )
    delete_synced_data_source(data_source=connection.data_source)


def list_connection_hierarchy(
    *, actor: Membership, connection_id: int, parent_id: str | None = None
) -> list[HierarchyNode]:
    """The picker's tree, read live from the source."""
    connection = access_connection(actor=actor, connection_id=connection_id)
    try:
        return build_connector(connection, **INTERACTIVE_RETRIES).list_hierarchy(parent_id)
    except InvalidCredentials as error:
        mark_needs_credentials(connection=connection, message=error.message)
        raise InvalidInput(
            f"The source refused this connection's credentials: {error.message} "
            "Enter new credentials to continue.",
            code="invalid_credentials",
        ) from error
    except ConnectorError as error:
        raise InvalidInput(
            f"The source could not list its contents ({error.message}). Try again shortly.",
            code=error.code,
        ) from error


def mark_needs_credentials(*, connection: Connection, message: str) -> None:
    Connection.objects.filter(id=connection.id).update(
        status=ConnectionStatus.NEEDS_CREDENTIALS,
        status_message=(
            f"{message} Syncing is paused and the documents already synced stay searchable; "
            "enter new credentials to resume."
        ),
        updated_at=timezone.now(),
    )


# --- syncs ------------------------------------------------------------------------------


def request_sync(
    *,
    connection: Connection,
    mode: str,
    trigger: str,
    actor: Membership | None = None,
    item_ids: Sequence[str] = (),
) -> SyncRun:
    """Queue a sync, or fold the request into the one already waiting (the broader mode
    wins; item lists are merged). The task is sent after commit."""
    from connections.tasks import enqueue_sync  # tasks import services

    with transaction.atomic():
        Connection.objects.select_for_update().filter(id=connection.id).first()
        if mode == SyncMode.INCREMENTAL and connection.cursor is None:
            mode = SyncMode.FULL  # nothing to be incremental from yet
        queued = SyncRun.objects.filter(connection=connection, status=SyncStatus.QUEUED).first()
        if queued is not None:
            if MODE_BREADTH[SyncMode(mode)] > MODE_BREADTH[SyncMode(queued.mode)]:
                queued.mode = mode
                queued.item_ids = []
                # A checkpoint taken over from a cancelled run belongs to the narrower mode.
                queued.checkpoint = queued.base_cursor = queued.continues_since = None
            elif mode == SyncMode.ITEMS and queued.mode == SyncMode.ITEMS:
                queued.item_ids = list(dict.fromkeys([*queued.item_ids, *item_ids]))
            queued.save(
                update_fields=["mode", "item_ids", "checkpoint", "base_cursor", "continues_since"]
            )
            return queued
        run = SyncRun.objects.create(
            workspace_id=connection.workspace_id,
            connection=connection,
            mode=mode,
            trigger=trigger,
            requested_by=actor,
            item_ids=list(dict.fromkeys(item_ids)) if mode == SyncMode.ITEMS else [],
            **_continuation_of_cancelled(connection=connection, mode=mode),
        )
        Connection.objects.filter(id=connection.id).update(last_sync_requested_at=timezone.now())
        transaction.on_commit(lambda: enqueue_sync(run.id))
    return run


def _continuation_of_cancelled(*, connection: Connection, mode: str) -> dict[str, Any]:
    """A full or incremental sync requested after the same kind was cancelled goes on from
    that run's checkpoint, as a worker resuming a killed run would."""
    latest = (
        SyncRun.objects.filter(connection=connection)
        .exclude(status=SyncStatus.QUEUED)
        .order_by("-queued_at", "-id")
        .first()
    )
    if (
        latest is None
        or latest.status != SyncStatus.CANCELLED
        or latest.mode != mode
        or mode == SyncMode.ITEMS
        or latest.checkpoint is None
    ):
        return {}
    return {
        "checkpoint": latest.checkpoint,
        "base_cursor": latest.base_cursor,
        "continues_since": latest.continues_since or latest.started_at,
    }


@transaction.atomic
def start_sync(
    *, actor: Membership, connection_id: int, mode: str, item_ids: Sequence[str] = ()
) -> SyncRun:
    """An admin's "resync everything" (full), "sync now" (incremental) or "resync these"."""
    connection = access_connection(actor=actor, connection_id=connection_id)
    if connection.status == ConnectionStatus.NEEDS_CREDENTIALS:
        raise Conflict(connection.status_message or "Enter new credentials first.")
    if mode not in SyncMode.values:
        raise InvalidInput(f"Unknown sync mode '{mode}'; use full, incremental or items.")
    if mode == SyncMode.ITEMS and not item_ids:
        raise InvalidInput("Name the items to resync (their external ids).")
    run = request_sync(
        connection=connection, mode=mode, trigger="admin", actor=actor, item_ids=item_ids
    )
    audit_change(
        actor=actor,
        action="connection.sync_requested",
        target=connection,
        data={"mode": mode, "run_id": run.id, "items": len(item_ids)},
    )
    return run


def cancel_sync(*, actor: Membership, connection_id: int, run_id: int) -> SyncRun:
    """Stop a sync: a queued one never starts; a running one stops at its next page
    boundary (each page is stored whole, its checkpoint kept) and ends "cancelled"."""
    with transaction.atomic():
        connection = access_connection(actor=actor, connection_id=connection_id)
        run = SyncRun.objects.select_for_update().filter(connection=connection, id=run_id).first()
        if run is None:
            raise NotFound("No such sync run for this connection.")
        if run.status not in (SyncStatus.QUEUED, SyncStatus.RUNNING):
            raise Conflict(f"This sync has already {run.status}; there is nothing to cancel.")
        now = timezone.now()
        was = run.status
        run.cancel_requested_at = run.cancel_requested_at or now
        if run.status == SyncStatus.QUEUED:
            run.status = SyncStatus.CANCELLED
            run.finished_at = now
        run.save(update_fields=["cancel_requested_at", "status", "finished_at"])
        audit_change(
            actor=actor,
            action="connection.sync_cancelled",
            target=connection,
            data={"run_id": run.id, "mode": run.mode, "was": was},
        )
    return run


def resync_document(*, actor: Membership, document_id: int) -> SyncRun:
    """Resync this item: queue a sync of one synced document through the framework (its
    lock, a SyncRun with trigger "item", counts and errors). Gone at the source: removed."""
    access_role(actor, Role.ADMIN)
    synced = (
        Connection.objects.filter(
            workspace_id=actor.workspace_id, data_source__documents__id=document_id
        )
        .values_list("id", "data_source__documents__external_id")
        .first()
    )
    if synced is None:
        raise NotFound(
            "No synced document with this id in this workspace. (An uploaded document is "
            "changed by uploading it again.)"
        )
    connection_id, external_id = synced
    return resync_items(actor=actor, connection_id=connection_id, item_ids=[external_id])


MAX_RESYNC_ITEMS = 100


def resync_items(*, actor: Membership, connection_id: int, item_ids: Sequence[str]) -> SyncRun:
    """Queue a sync of the named items (external ids, as the picker lists them)."""
    connection = access_connection(actor=actor, connection_id=connection_id)
    if connection.status != ConnectionStatus.ACTIVE:
        raise Conflict(
            connection.status_message
            or "This connection is paused: resume it before resyncing items."
        )
    item_ids = [item_id.strip() for item_id in item_ids if item_id.strip()]
    if not item_ids:
        raise InvalidInput("Name the items to resync (their external ids).")
    if len(item_ids) > MAX_RESYNC_ITEMS:
        raise InvalidInput(
            f"Resync at most {MAX_RESYNC_ITEMS} items at once, or resync the whole connection."
        )
    with transaction.atomic():
        run = request_sync(
            connection=connection,
            mode=SyncMode.ITEMS,
            trigger="item",
            actor=actor,
            item_ids=item_ids,
        )
        audit_change(
            actor=actor,
            action="connection.sync_requested",
            target=connection,
            data={"mode": SyncMode.ITEMS, "run_id": run.id, "items": item_ids[:10]},
        )
    return run


def run_sync(
    *,
    run_id: int,
    on_page: Callable[[SyncRun], None] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> SyncRun:
    """Run (or resume) one sync. Idempotent: a finished run is left as it is. Raises
    SyncBusy when another worker holds the connection, SyncInterrupted when the source
    keeps failing (the run keeps its checkpoint)."""
    run = SyncRun.objects.select_related("connection__data_source").get(id=run_id)
    if run.status not in (SyncStatus.QUEUED, SyncStatus.RUNNING):
        return run
    if run.cancel_requested_at is not None:
        # Cancelled while waiting for a retry or a worker: it stays where it stopped.
        run.status = SyncStatus.CANCELLED
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
        return run
    if run.connection.status != ConnectionStatus.ACTIVE:
        return _fail(
            run,
            code=f"connection_{run.connection.status}",
            message=run.connection.status_message or "The connection is paused.",
        )
    return SyncRunner(run, on_page=on_page, sleep=sleep).execute()


def fail_sync_run(*, run_id: int, code: str, message: str) -> SyncRun:
    return _fail(SyncRun.objects.get(id=run_id), code=code, message=message)


def note_sync_retry(*, run_id: int, code: str, message: str) -> None:
    SyncRun.objects.filter(id=run_id).update(
        error_code=code, error_message=f"{message} Retrying from the last checkpoint."
    )


def _fail(run: SyncRun, *, code: str, message: str) -> SyncRun:
    run.status = SyncStatus.FAILED
    run.error_code = code
    run.error_message = message
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error_code", "error_message", "finished_at"])
    return run


def schedule_syncs() -> list[int]:
    """Beat's job: queue due incremental syncs (a full one daily, to catch deletions a
    source cannot report), and queue again runs whose worker died. Returns run ids sent."""
    from connections.tasks import enqueue_sync

    now = timezone.now()
    sent: list[int] = []
    stale = now - timedelta(seconds=settings.SYNC_LOCK_SECONDS)
    interrupted = SyncRun.objects.filter(
        Q(status=SyncStatus.RUNNING, heartbeat_at__lt=stale)
        | Q(status=SyncStatus.QUEUED, queued_at__lt=now - REQUEUE_QUEUED_AFTER)
    )
    for run_id in interrupted.values_list("id", flat=True):
        enqueue_sync(run_id)
        sent.append(run_id)
    active = SyncRun.objects.filter(status__in=(SyncStatus.QUEUED, SyncStatus.RUNNING))
    for connection in Connection.objects.filter(status=ConnectionStatus.ACTIVE).exclude(
        id__in=active.values("connection_id")
    ):
        due = connection.last_sync_requested_at is None or (
            connection.last_sync_requested_at
            <= now - timedelta(minutes=connection.sync_interval_minutes)
        )
        if not due:
            continue
        full_due = connection.last_full_sync_at is None or (
            connection.last_full_sync_at <= now - FULL_SYNC_EVERY
        )
        run = request_sync(
            connection=connection,
            mode=SyncMode.FULL if full_due else SyncMode.INCREMENTAL,
            trigger="schedule",
        )
        sent.append(run.id)
    return sent


@transaction.atomic
def purge_sync_runs(*, workspace_id: int, finished_before: datetime, limit: int) -> int:
    """Delete up to `limit` finished sync runs (their counts, errors and checkpoints: the
    sync logs) that finished before `finished_before`. Runs still queued or running are the
    truth of a sync in progress and are never touched; each connection keeps its latest run
    so the console still shows how its last sync went. For retention, which audits the
    counts; returns how many runs were deleted."""
    latest_per_connection = (
        SyncRun.objects.filter(workspace_id=workspace_id)
        .order_by("connection_id", "-queued_at", "-id")
        .distinct("connection_id")
        .values("id")
    )
    ids = list(
        SyncRun.objects.filter(
            workspace_id=workspace_id,
            status__in=(SyncStatus.SUCCEEDED, SyncStatus.FAILED, SyncStatus.CANCELLED),
            finished_at__lt=finished_before,
        )
        .exclude(id__in=latest_per_connection)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )
    if not ids:
        return 0
    _, per_model = SyncRun.objects.filter(id__in=ids).delete()
    return per_model.get(SyncRun._meta.label, 0)
