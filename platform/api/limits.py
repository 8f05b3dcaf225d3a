"""GET /api/v1/limits: the request limits a client must respect, for the upload dialog; and
GET /api/v1/workspaces/{id}/limits: every limit the instance enforces, for admins."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

from api.auth import request_actor
from api.instance_limits import instance_limits

# The parser's own table of extensions, so the dialog never offers a type it would refuse.
from common.parsing.formats import EXTENSION_KINDS
from workspaces.access import access_role
from workspaces.models import Role

router = Router(tags=["limits"])


class LimitsOut(Schema):
    max_upload_bytes: int
    max_upload_files: int
    max_request_bytes: int
    accepted_extensions: list[str]
    max_attachments_per_conversation: int


@router.get("/limits", response=LimitsOut)
def limits(request: HttpRequest) -> LimitsOut:
    """Any logged-in caller: the per-file and per-upload limits, the body limit of every other
    route, the file extensions uploads accept, and how many files a conversation may hold."""
    return LimitsOut(
        max_upload_bytes=settings.MAX_UPLOAD_BYTES,
        max_upload_files=settings.MAX_UPLOAD_FILES,
        max_request_bytes=settings.MAX_REQUEST_BYTES,
        accepted_extensions=list(EXTENSION_KINDS),
        max_attachments_per_conversation=settings.MAX_ATTACHMENTS_PER_CONVERSATION,
    )


class LimitEntryOut(Schema):
    group: str
    name: str
    value: str
    setting: str
    refusal: str


class InstanceLimitsOut(Schema):
    entries: list[LimitEntryOut]


@router.get("/workspaces/{workspace_id}/limits", response=InstanceLimitsOut)
def workspace_limits(request: HttpRequest, workspace_id: int) -> InstanceLimitsOut:
    """Admins only: every limit the instance enforces, the setting behind it and what a refused
    caller gets. The limits are the instance's; the workspace only says who may see them."""
    access_role(request_actor(request, workspace_id), Role.ADMIN)
    return InstanceLimitsOut(
        entries=[LimitEntryOut.model_validate(entry) for entry in instance_limits()]
    )
