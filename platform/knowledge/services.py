"""Writes for data sources, their views in spaces, and uploads into folders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from audit.services import audit_change
from common.errors import Conflict, InvalidInput, NotFound
from knowledge.access import access_data_source
from knowledge.ingestion import (
    DocumentInput,
    delete_documents,
    record_document_failure,
    upsert_documents,
)
from knowledge.models import DataSource, DataSourceKind, DataSourceView, Document
from knowledge.parsing import DocumentParseError, parse_document
from knowledge.tasks import enqueue_indexing
from workspaces.access import access_role, access_space
from workspaces.models import Membership, Role

MAX_FILES_PER_UPLOAD = 50


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content_type: str | None
    content: bytes


@dataclass(frozen=True)
class UploadOutcome:
    filename: str
    document_id: int
    status: str  # queued, unchanged or failed
    error_code: str = ""
    error_message: str = ""


@transaction.atomic
def create_folder(*, actor: Membership, space_id: int, name: str) -> DataSourceView:
    """A folder data source that builders fill with uploads, placed whole in a space."""
    access_role(actor, Role.BUILDER)
    space = access_space(actor=actor, space_id=space_id, write=True)
    name = name.strip()
    if not name:
        raise InvalidInput("A folder needs a name.")
    if DataSource.objects.filter(workspace_id=actor.workspace_id, name=name).exists():
        raise Conflict(f"A data source named '{name}' already exists; pick another name.")
    data_source = DataSource.objects.create(
        workspace_id=actor.workspace_id, name=name, kind=DataSourceKind.FOLDER, created_by=actor
    )
    view = DataSourceView.objects.create(
        workspace_id=actor.workspace_id, data_source=data_source, space=space
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


def _external_id_for(filename: str) -> str:
    return "file:" + filename.replace("\\", "/").rsplit("/", 1)[-1].strip().lower()


def upload_files(
    *,
    actor: Membership,
    data_source_id: int,
    files: Sequence[UploadedFile],
) -> list[UploadOutcome]:
    """Parse each file into a document of the folder and queue the changed ones for indexing.

    Each file stands alone: one that will not parse is recorded with its error and the
    others go on. A file with the name of an earlier upload replaces it.
    """
    data_source = access_data_source(actor=actor, data_source_id=data_source_id, write=True)
    if data_source.kind != DataSourceKind.FOLDER:
        raise InvalidInput(
            f"'{data_source.name}' is synced from {data_source.kind}; upload into a folder."
        )
    if not files:
        raise InvalidInput("Attach at least one file (multipart field 'files').")
    if len(files) > MAX_FILES_PER_UPLOAD:
        raise InvalidInput(f"Upload at most {MAX_FILES_PER_UPLOAD} files at a time.")
    outcomes: list[UploadOutcome] = []
    parsed: list[tuple[UploadedFile, DocumentInput]] = []
    for file in files:
        external_id = _external_id_for(file.filename)
        try:
            document = parse_document(
                filename=file.filename,
                content=file.content,
                content_type=file.content_type,
                max_bytes=settings.MAX_UPLOAD_BYTES,
            )
        except DocumentParseError as error:
            failed = record_document_failure(
                data_source=data_source,
                external_id=external_id,
                title=file.filename,
                code=error.code,
                message=error.message,
                size_bytes=len(file.content),
            )
            outcomes.append(
                UploadOutcome(file.filename, failed.id, "failed", error.code, error.message)
            )
            continue
        parsed.append(
            (
                file,
                DocumentInput(
                    external_id=external_id,
                    title=document.title,
                    text=document.text,
                    mime_type=file.content_type or "",
                    breadcrumb=(data_source.name,),
                    size_bytes=len(file.content),
                ),
            )
        )
    with transaction.atomic():
        result = upsert_documents(data_source=data_source, documents=[item for _, item in parsed])
        if result.to_index:
            ids = list(result.to_index)
            transaction.on_commit(lambda: enqueue_indexing(ids))
    by_external_id = dict(
        Document.objects.filter(
            data_source=data_source, external_id__in=[item.external_id for _, item in parsed]
        ).values_list("external_id", "id")
    )
    queued = set(result.to_index)
    for file, item in parsed:
        document_id = by_external_id[item.external_id]
        status = "queued" if document_id in queued else "unchanged"
        outcomes.append(UploadOutcome(file.filename, document_id, status))
    return outcomes


def delete_document(*, actor: Membership, data_source_id: int, document_id: int) -> None:
    data_source = access_data_source(actor=actor, data_source_id=data_source_id, write=True)
    document = Document.objects.filter(id=document_id, data_source=data_source).first()
    if document is None:
        raise NotFound(f"Document {document_id} does not exist in '{data_source.name}'.")
    delete_documents(data_source=data_source, external_ids=[document.external_id])
