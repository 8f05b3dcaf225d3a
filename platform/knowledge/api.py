"""Data sources, views, uploads, documents and search. Thin: parse, call, shape."""

from datetime import datetime
from typing import IO, Annotated, Literal, cast

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import Field

from api.auth import request_actor
from api.route_limits import enforce_route_limit
from common.errors import InvalidInput, NotFound
from knowledge import access_preview, selectors, services
from knowledge.access import access_data_source, readable_views
from knowledge.access_preview import AccessPreview
from knowledge.models import DataSource, DataSourceView, Document
from workspaces.models import SpaceAccess

router = Router(tags=["knowledge"])


class DataSourceOut(Schema):
    id: int
    name: str
    kind: str
    created_at: datetime
    document_count: int


class ViewOut(Schema):
    id: int
    data_source_id: int
    data_source_name: str
    data_source_kind: str
    space_id: int
    space_name: str
    parent_ids: list[str]

    @staticmethod
    def of(view: DataSourceView) -> "ViewOut":
        return ViewOut(
            id=view.id,
            data_source_id=view.data_source_id,
            data_source_name=view.data_source.name,
            data_source_kind=view.data_source.kind,
            space_id=view.space_id,
            space_name=view.space.name,
            parent_ids=list(view.parent_ids),
        )


class FolderIn(Schema):
    name: str = Field(min_length=1, max_length=200)


class ViewIn(Schema):
    data_source_id: int
    space_id: int
    parent_ids: list[str] = []


class UploadOutcomeOut(Schema):
    filename: str
    document_id: int
    status: str
    error_code: str
    error_message: str


class UploadOut(Schema):
    files: list[UploadOutcomeOut]
    failed: int


class DocumentOut(Schema):
    id: int
    external_id: str
    title: str
    url: str
    mime_type: str
    status: str
    error_code: str
    error_message: str
    chunk_count: int
    size_bytes: int
    source_created_at: datetime | None
    source_updated_at: datetime | None
    updated_at: datetime


class DocumentDetailOut(DocumentOut):
    data_source_id: int
    text: str


class PassageOut(Schema):
    chunk_id: int
    position: int
    text: str
    score: float


class SearchHitOut(Schema):
    document_id: int
    title: str
    url: str
    source: str
    data_source_id: int
    data_source_name: str
    source_created_at: datetime | None
    source_updated_at: datetime | None
    score: float
    passages: list[PassageOut]


class SearchParams(Schema):
    query: str = Field(min_length=1, max_length=2000)
    k: int = Field(default=10, ge=1, le=100)
    view_ids: list[int] | None = None
    mode: str = Field(default="hybrid", pattern="^(hybrid|dense|full_text)$")


@router.get("/workspaces/{workspace_id}/data-sources", response=list[DataSourceOut])
def list_data_sources(request: HttpRequest, workspace_id: int) -> list[DataSource]:
    """Data sources you reach through your spaces (admins: all of the workspace)."""
    return list(selectors.list_data_sources(actor=request_actor(request, workspace_id)))


@router.post("/workspaces/{workspace_id}/spaces/{space_id}/folders", response={201: ViewOut})
def create_folder(
    request: HttpRequest, workspace_id: int, space_id: int, payload: FolderIn
) -> Status:
    """A folder for uploads, placed in the space. Builders with write access to the space."""
    view = services.create_folder(
        actor=request_actor(request, workspace_id), space_id=space_id, name=payload.name
    )
    return Status(201, ViewOut.of(view))


@router.get("/workspaces/{workspace_id}/views", response=list[ViewOut])
def list_views(request: HttpRequest, workspace_id: int) -> list[ViewOut]:
    """The data source views in the spaces you belong to."""
    actor = request_actor(request, workspace_id)
    return [ViewOut.of(view) for view in readable_views(membership=actor)]


@router.post("/workspaces/{workspace_id}/views", response={201: ViewOut})
def create_view(request: HttpRequest, workspace_id: int, payload: ViewIn) -> Status:
    view = services.create_data_source_view(
        actor=request_actor(request, workspace_id),
        data_source_id=payload.data_source_id,
        space_id=payload.space_id,
        parent_ids=payload.parent_ids,
    )
    return Status(201, ViewOut.of(view))


@router.delete("/workspaces/{workspace_id}/views/{view_id}", response={204: None})
def delete_view(request: HttpRequest, workspace_id: int, view_id: int) -> Status:
    services.delete_data_source_view(actor=request_actor(request, workspace_id), view_id=view_id)
    return Status(204, None)


@router.post(
    "/workspaces/{workspace_id}/data-sources/{data_source_id}/files", response={201: UploadOut}
)
def upload_files(
    request: HttpRequest,
    workspace_id: int,
    data_source_id: int,
    files: File[list[NinjaUploadedFile]],
) -> Status:
    """Upload PDF, DOCX, PPTX, XLSX, Markdown, HTML or text files (multipart field `files`).

    Each file is reported on its own: `queued` (stored; a worker parses and indexes it, and
    the document's status says how that went), `unchanged` (the same bytes as the current
    version), or `failed` with a code and a message for what needs no parsing to tell (type,
    size, an empty file). Files arrive on disk through the upload handler, never in memory.
    """
    enforce_route_limit(request, "uploads")
    outcomes = services.upload_files(
        actor=request_actor(request, workspace_id),
        data_source_id=data_source_id,
        files=uploaded_files(files),
    )
    return Status(
        201,
        UploadOut(
            files=[UploadOutcomeOut(**outcome.__dict__) for outcome in outcomes],
            failed=sum(outcome.status == "failed" for outcome in outcomes),
        ),
    )


def uploaded_files(files: list[NinjaUploadedFile]) -> list[services.UploadedFile]:
    """The multipart files as the upload handler left them (on disk, marked too large past
    MAX_UPLOAD_BYTES): for folder uploads and conversation attachments (agents)."""
    return [
        services.UploadedFile(
            filename=file.name or "unnamed",
            content_type=file.content_type,
            size=file.size or 0,
            stream=_on_disk(file),
            too_large=bool(getattr(file, "too_large", False)),
        )
        for file in files
    ]


def _on_disk(file: NinjaUploadedFile) -> IO[bytes]:
    # The upload handler (knowledge.uploads) gives every file a temporary file on disk.
    stream = file.file
    if stream is None:
        raise InvalidInput(f"The file '{file.name}' arrived without content; upload it again.")
    return cast(IO[bytes], stream)


@router.get(
    "/workspaces/{workspace_id}/data-sources/{data_source_id}/documents",
    response=list[DocumentOut],
)
@paginate(LimitOffsetPagination)
def list_documents(
    request: HttpRequest, workspace_id: int, data_source_id: int, status: str | None = None
) -> QuerySet[Document]:
    """Documents you may open, newest first, with their indexing status and errors."""
    actor = request_actor(request, workspace_id)
    data_source = access_data_source(actor=actor, data_source_id=data_source_id)
    documents = selectors.readable_documents(actor=actor).filter(data_source=data_source)
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-updated_at", "-id")


@router.get("/workspaces/{workspace_id}/documents/{document_id}", response=DocumentDetailOut)
def get_document(request: HttpRequest, workspace_id: int, document_id: int) -> Document:
    """One document with its text: where a citation of an upload opens."""
    actor = request_actor(request, workspace_id)
    document = selectors.readable_documents(actor=actor).filter(id=document_id).first()
    if document is None:
        raise NotFound(f"Document {document_id} does not exist or you may not open it.")
    return document


@router.delete(
    "/workspaces/{workspace_id}/data-sources/{data_source_id}/documents/{document_id}",
    response={204: None},
)
def delete_document(
    request: HttpRequest, workspace_id: int, data_source_id: int, document_id: int
) -> Status:
    services.delete_document(
        actor=request_actor(request, workspace_id),
        data_source_id=data_source_id,
        document_id=document_id,
    )
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/search", response=list[SearchHitOut])
def search(
    request: HttpRequest, workspace_id: int, params: Query[SearchParams]
) -> list[selectors.DocumentHit]:
    """Hybrid search over the views you may read (all of them, or `view_ids`)."""
    enforce_route_limit(request, "searches")
    actor = request_actor(request, workspace_id)
    views = (
        selectors.views_by_id(actor=actor, view_ids=params.view_ids) if params.view_ids else None
    )
    return selectors.search_chunks(
        actor=actor, views=views, query=params.query, k=params.k, mode=params.mode
    )


class GrantPreviewIn(Schema):
    kind: Literal["grant"]
    space_id: int
    membership_id: int | None = None
    group_id: int | None = None
    access: SpaceAccess = SpaceAccess.READ


class RevokePreviewIn(Schema):
    kind: Literal["revoke"]
    space_id: int
    grant_id: int


class GroupMemberPreviewIn(Schema):
    kind: Literal["group_add", "group_remove"]
    group_id: int
    membership_id: int


class ViewAddPreviewIn(Schema):
    kind: Literal["view_add"]
    data_source_id: int
    space_id: int
    parent_ids: list[str] = Field(default_factory=list, max_length=1000)


class ViewRemovePreviewIn(Schema):
    kind: Literal["view_remove"]
    view_id: int


AccessChangeIn = Annotated[
    GrantPreviewIn
    | RevokePreviewIn
    | GroupMemberPreviewIn
    | ViewAddPreviewIn
    | ViewRemovePreviewIn,
    Field(discriminator="kind"),
]


class AccessPreviewOut(Schema):
    documents_gained: int
    people_gained: int
    documents_lost: int
    people_lost: int
    example_documents_gained: list[str]
    example_people_gained: list[str]
    example_documents_lost: list[str]
    example_people_lost: list[str]
    additions_known_after_sync: bool


@router.post("/workspaces/{workspace_id}/access-preview", response=AccessPreviewOut)
def preview_access_change(
    request: HttpRequest, workspace_id: int, payload: AccessChangeIn
) -> AccessPreview:
    """What a grant, a revoke, a group membership change or a view added to or removed from a
    space would open or close, by the search's own permission SQL; nothing is changed.
    Admins only. A connection's selection has its own preview under the connection."""
    # It runs the search's permission SQL over the affected people: counted as a search.
    enforce_route_limit(request, "searches")
    actor = request_actor(request, workspace_id)
    if isinstance(payload, GrantPreviewIn):
        return access_preview.preview_grant(
            actor=actor,
            space_id=payload.space_id,
            membership_id=payload.membership_id,
            group_id=payload.group_id,
            access=payload.access,
        )
    if isinstance(payload, RevokePreviewIn):
        return access_preview.preview_revoke(
            actor=actor, space_id=payload.space_id, grant_id=payload.grant_id
        )
    if isinstance(payload, GroupMemberPreviewIn):
        return access_preview.preview_group_membership(
            actor=actor,
            group_id=payload.group_id,
            membership_id=payload.membership_id,
            add=payload.kind == "group_add",
        )
    if isinstance(payload, ViewAddPreviewIn):
        return access_preview.preview_view_added(
            actor=actor,
            data_source_id=payload.data_source_id,
            space_id=payload.space_id,
            parent_ids=payload.parent_ids,
        )
    return access_preview.preview_view_removed(actor=actor, view_id=payload.view_id)
