"""Data-subject requests (admins only): ask for an export or an erasure of a member, follow
its progress, download an export's archive."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from api.auth import request_actor
from privacy import selectors, services
from privacy.access import access_request
from privacy.models import DataSubjectRequest, RequestKind
from workspaces.access import access_role
from workspaces.models import Role

router = Router(tags=["privacy"])


class PrivacyRequestIn(Schema):
    kind: Literal["export", "erase"]
    member_id: int | None = None
    email: str | None = None


class PrivacyRequestOut(Schema):
    id: int
    kind: str
    state: str
    progress: int
    # The member's email while they exist here; their pseudonym once erased.
    subject: str
    subject_member_id: int | None
    requested_by: str | None
    has_archive: bool
    archive_size_bytes: int
    result: dict[str, Any]
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @staticmethod
    def resolve_subject(obj: DataSubjectRequest) -> str:
        if obj.subject_pseudonym:
            return obj.subject_pseudonym
        return obj.subject_user.email if obj.subject_user else ""

    @staticmethod
    def resolve_subject_member_id(obj: DataSubjectRequest) -> int | None:
        return obj.subject_membership_id

    @staticmethod
    def resolve_requested_by(obj: DataSubjectRequest) -> str | None:
        return obj.requested_by.user.email if obj.requested_by else None

    @staticmethod
    def resolve_has_archive(obj: DataSubjectRequest) -> bool:
        return bool(obj.archive_name)


@router.post("/workspaces/{workspace_id}/privacy/requests", response={201: PrivacyRequestOut})
def create_request(request: HttpRequest, workspace_id: int, payload: PrivacyRequestIn) -> Status:
    """Queue an export (a zip of everything this workspace holds about the member) or an
    erasure (their conversations, feedback, uploads and membership deleted, their account
    too if they belong nowhere else; audit events kept, pseudonymised). A worker runs it;
    poll the request for its state and progress."""
    actor = request_actor(request, workspace_id)
    created = services.request_data_subject_action(
        actor=actor,
        kind=RequestKind(payload.kind),
        member_id=payload.member_id,
        email=payload.email,
    )
    return Status(201, access_request(actor=actor, request_id=created.id))


@router.get("/workspaces/{workspace_id}/privacy/requests", response=list[PrivacyRequestOut])
@paginate(LimitOffsetPagination)
def list_requests(request: HttpRequest, workspace_id: int) -> QuerySet[DataSubjectRequest]:
    """The workspace's data-subject requests, newest first."""
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    return selectors.list_requests(workspace_id=actor.workspace_id)


@router.get("/workspaces/{workspace_id}/privacy/requests/{request_id}", response=PrivacyRequestOut)
def get_request(request: HttpRequest, workspace_id: int, request_id: int) -> DataSubjectRequest:
    actor = request_actor(request, workspace_id)
    return access_request(actor=actor, request_id=request_id)


@router.get(
    "/workspaces/{workspace_id}/privacy/requests/{request_id}/archive",
    response={200: None},
)
def download_archive(request: HttpRequest, workspace_id: int, request_id: int) -> FileResponse:
    """The export's zip (application/zip). Admins of this workspace only; audited."""
    actor = request_actor(request, workspace_id)
    subject_request = access_request(actor=actor, request_id=request_id)
    path = services.record_archive_download(actor=actor, request=subject_request)
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"privacy-export-{subject_request.id}.zip",
        content_type="application/zip",
    )
