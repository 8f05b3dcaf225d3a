"""Writes for data sources, their views in spaces, and uploads into folders."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.conf import settings
from django.db import transaction

from audit.services import AuditTarget, audit_change
from common.errors import Conflict, InvalidInput, NotFound
from common.parsing import DocumentParseError, check_upload, file_too_large_error
from common.tasks import PURGE_REVOKED_CITATIONS_TASK, send_task_on_commit
from knowledge.access import access_data_source
from knowledge.ingestion import delete_documents, record_document_failure
from knowledge.models import DataSource, DataSourceKind, DataSourceView, Document, DocumentStatus
from knowledge.uploads import enqueue_parse, file_digest, store_upload
from workspaces.access import access_role, access_space
from workspaces.models import Membership, Role, Space


@dataclass(frozen=True)
class UploadedFile:
    """A file as the upload handler left it: on disk, with the size it had on the wire.
    `too_large` files were not kept past MAX_UPLOAD_BYTES (their stream is incomplete)."""

    filename: str
    content_type: str | None
    size: int
    stream: IO[bytes]
    too_large: bool = False


@dataclass(frozen=True)
class UploadOutcome:
    filename: str
    document_id: int
    status: str  # queued, unchanged or failed
    error_code: str = ""
    error_message: str = ""


def _check_name_free(*, workspace_id: int, name: str, exclude_id: int | None = None) -> None:
    taken = DataSource.objects.filter(workspace_id=workspace_id, name=name)
    if exclude_id is not None:
        taken = taken.exclude(id=exclude_id)
    if taken.exists():
        raise Conflict(f"A data source named '{name}' already exists; pick another name.")


def _create_data_source(
    *, actor: Membership, name: str, kind: str, space: Space
) -> tuple[DataSource, DataSourceView]:
    _check_name_free(workspace_id=actor.workspace_id, name=name)
    data_source = DataSource.objects.create(
        workspace_id=actor.workspace_id, name=name, kind=kind, created_by=actor
    )
    view = DataSourceView.objects.create(
        workspace_id=actor.workspace_id, data_source=data_source, space=space
    )
    return data_source, view


@transaction.atomic
def create_synced_data_source(
    *, actor: Membership, name: str, kind: str, space: Space
) -> DataSource:
    """The data source a new connection syncs into, placed whole in `space`. For
    connections.services only, inside the change that creates the connection, whose audit
    event (connection.created) records it; access was checked there."""
    data_source, _ = _create_data_source(actor=actor, name=name, kind=kind, space=space)
    return data_source


@transaction.atomic
def rename_synced_data_source(*, actor: Membership, data_source: DataSource, name: str) -> None:
    """For connections.services, inside connection.updated (which audits the new name)."""
    _check_name_free(workspace_id=actor.workspace_id, name=name, exclude_id=data_source.id)
    data_source.name = name
    data_source.save(update_fields=["name"])


@transaction.atomic
def delete_synced_data_source(*, data_source: DataSource) -> None:
    """Remove a connection's data source with every document, chunk and view of it. For
    connections.services, inside connection.deleted (which audits it)."""
    data_source.delete()


@transaction.atomic
def create_folder(*, actor: Membership, space_id: int, name: str) -> DataSourceView:
    """A folder data source that builders fill with uploads, placed whole in a space."""
    access_role(actor, Role.BUILDER)
    space = access_space(actor=actor, space_id=space_id, write=True)
    name = name.strip()
    if not name:
        raise InvalidInput("A folder needs a name.")
    data_source, view = _create_data_source(
        actor=actor, name=name, kind=DataSourceKind.FOLDER, space=space
    )
    audit_change(
        actor=actor,
        action="data_source.created",
        target=data_source,
        data={"name": name, "kind": data_source.kind, "space_id": space.id, "view_id": view.id},
    )
    return view


@transaction.atomic
def create_data_source_view(
    *, actor: Membership, data_source_id: int, space_id: int, parent_ids: Sequence[str] = ()
) -> DataSourceView:
    """Place a data source, or the parts under `parent_ids`, in a space. Admins only: this
    decides who can read the data."""
    access_role(actor, Role.ADMIN)
    data_source = access_data_source(actor=actor, data_source_id=data_source_id)
    space = access_space(actor=actor, space_id=space_id)
    if DataSourceView.objects.filter(data_source=data_source, space=space).exists():
        raise Conflict(f"'{data_source.name}' is already in space '{space.name}'; edit that view.")
    view = DataSourceView.objects.create(
        workspace_id=actor.workspace_id,
        data_source=data_source,
        space=space,
        parent_ids=sorted(set(parent_ids)),
    )
    audit_change(
        actor=actor,
        action="data_source_view.created",
        target=view,
        data={
            "data_source_id": data_source.id,
            "space_id": space.id,
            "parent_ids": view.parent_ids,
        },
    )
    return view


@transaction.atomic
def delete_data_source_view(*, actor: Membership, view_id: int) -> None:
    access_role(actor, Role.ADMIN)
    view = DataSourceView.objects.filter(id=view_id, workspace_id=actor.workspace_id).first()
    if view is None:
        raise NotFound(f"View {view_id} does not exist in this workspace.")
    audit_change(
        actor=actor,
        action="data_source_view.deleted",
        target=view,
        data={"data_source_id": view.data_source_id, "space_id": view.space_id},
    )
    view.delete()
    # Its documents may now be closed to people whose old answers quote them.
    send_task_on_commit(PURGE_REVOKED_CITATIONS_TASK, workspace_id=actor.workspace_id)


def _external_id_for(filename: str) -> str:
    return "file:" + filename.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()


def upload_files(
    *,
    actor: Membership,
    data_source_id: int,
    files: Sequence[UploadedFile],
) -> list[UploadOutcome]:
    """Store each file as a pending document of the folder and queue it to be parsed.

    Each file stands alone: one that fails a check that needs no parsing (type, size,
    emptiness) is recorded with its error and the others go on; parse errors appear later on
    the document. A file with the name of an earlier upload replaces it; the same bytes
    again are `unchanged`.
    """
    data_source = access_data_source(actor=actor, data_source_id=data_source_id, write=True)
    if data_source.kind != DataSourceKind.FOLDER:
        raise InvalidInput(
            f"'{data_source.name}' is synced from {data_source.kind}; upload into a folder."
        )
    if not files:
        raise InvalidInput("Attach at least one file (multipart field 'files').")
    max_files = settings.MAX_UPLOAD_FILES
    if len(files) > max_files:
        raise InvalidInput(f"Upload at most {max_files} files at a time.")
    return [_upload_one(actor=actor, data_source=data_source, file=file) for file in files]


def _upload_one(*, actor: Membership, data_source: DataSource, file: UploadedFile) -> UploadOutcome:
    external_id = _external_id_for(file.filename)
    max_bytes = int(settings.MAX_UPLOAD_BYTES)
    try:
        if file.too_large:
            raise file_too_large_error(size=file.size, max_bytes=max_bytes)
        check_upload(
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            max_bytes=max_bytes,
        )
    except DocumentParseError as error:
        failed = record_document_failure(
            data_source=data_source,
            external_id=external_id,
            title=file.filename,
            code=error.code,
            message=error.message,
            size_bytes=file.size,
        )
        Document.objects.filter(id=failed.id).update(uploaded_by=actor)
        return UploadOutcome(file.filename, failed.id, "failed", error.code, error.message)

    sha256 = file_digest(file.stream)
    existing = Document.objects.filter(data_source=data_source, external_id=external_id).first()
    if (
        existing is not None
        and existing.file_sha256 == sha256
        and existing.status != DocumentStatus.FAILED
    ):
        return UploadOutcome(file.filename, existing.id, "unchanged")
    with transaction.atomic():
        document, _ = Document.objects.update_or_create(
            data_source=data_source,
            external_id=external_id,
            defaults={
                "status": DocumentStatus.PENDING,
                "error_code": "",
                "error_message": "",
                "file_sha256": sha256,
                "size_bytes": file.size,
                "mime_type": file.content_type or "",
                "uploaded_by": actor,
            },
            create_defaults={
                "workspace_id": data_source.workspace_id,
                # Until it is parsed (or if it cannot be), a document is called by its file name.
                "title": (_basename(file.filename) or file.filename)[:500],
                "parents": [external_id],
                "breadcrumb": [data_source.name],
                "status": DocumentStatus.PENDING,
                "file_sha256": sha256,
                "size_bytes": file.size,
                "mime_type": file.content_type or "",
                "uploaded_by": actor,
            },
        )
        upload = store_upload(
            document=document,
            filename=file.filename,
            content_type=file.content_type or "",
            size=file.size,
            sha256=sha256,
            stream=file.stream,
        )
        upload_id = upload.id
        transaction.on_commit(lambda: enqueue_parse(upload_id))
    return UploadOutcome(file.filename, document.id, "queued")


def _basename(filename: str) -> str:
    return filename.replace("\\", "/").rsplit("/", 1)[-1].strip()


@transaction.atomic
def delete_document(*, actor: Membership, data_source_id: int, document_id: int) -> None:
    """Remove one document with its chunks (and so its passages from old answers). Audited:
    what a folder holds decides what its spaces' agents can answer from."""
    data_source = access_data_source(actor=actor, data_source_id=data_source_id, write=True)
    document = (
        Document.objects.select_for_update().filter(id=document_id, data_source=data_source).first()
    )
    if document is None:
        raise NotFound(f"Document {document_id} does not exist in '{data_source.name}'.")
    audit_change(
        actor=actor,
        action="document.deleted",
        target=document,
        data={
            "data_source_id": data_source.id,
            "external_id": document.external_id,
            "title": document.title,
        },
    )
    delete_documents(data_source=data_source, external_ids=[document.external_id])


@transaction.atomic
def purge_uploaded_documents(
    *,
    workspace_id: int,
    updated_before: datetime,
    keep_uploaded_by_ids: Collection[int] = (),
    limit: int,
) -> int:
    """Delete up to `limit` uploaded files (documents of the workspace's folders, with their
    chunks and stored bytes) last changed before `updated_before`, except those last uploaded
    by a member in `keep_uploaded_by_ids` (a legal hold). Synced documents are left to their
    source. Goes through delete_documents, the one path by which documents leave. For
    retention, which audits the counts; returns how many documents were deleted."""
    documents = Document.objects.filter(
        workspace_id=workspace_id,
        data_source__kind=DataSourceKind.FOLDER,
        updated_at__lt=updated_before,
    )
    if keep_uploaded_by_ids:
        documents = documents.exclude(uploaded_by_id__in=list(keep_uploaded_by_ids))
    by_source: dict[int, list[str]] = {}
    for data_source_id, external_id in documents.order_by("id").values_list(
        "data_source_id", "external_id"
    )[:limit]:
        by_source.setdefault(data_source_id, []).append(external_id)
    deleted = 0
    for data_source in DataSource.objects.filter(id__in=by_source):
        deleted += delete_documents(data_source=data_source, external_ids=by_source[data_source.id])
    return deleted


@transaction.atomic
def delete_uploads_of(*, actor: Membership, membership_id: int) -> int:
    """Remove every document a member uploaded into this workspace's folders, with their
    chunks and stored bytes (a data-subject erasure). Admins only; one audit event with the
    count, since the titles may name the person. Returns how many documents went."""
    access_role(actor, Role.ADMIN)
    documents = Document.objects.filter(
        workspace_id=actor.workspace_id, uploaded_by_id=membership_id
    ).select_related("data_source")
    by_source: dict[int, tuple[DataSource, list[str]]] = {}
    for document in documents:
        entry = by_source.setdefault(document.data_source_id, (document.data_source, []))
        entry[1].append(document.external_id)
    deleted = sum(
        delete_documents(data_source=data_source, external_ids=external_ids)
        for data_source, external_ids in by_source.values()
    )
    audit_change(
        actor=actor,
        action="uploads.erased",
        target=AuditTarget("membership", membership_id),
        data={"documents": deleted},
    )
    return deleted
