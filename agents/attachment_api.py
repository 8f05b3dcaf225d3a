"""Files attached to a conversation: upload, list, open, delete. Thin: parse, call, shape.
Every route answers 404 for a conversation that is not the caller's own."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile as NinjaUploadedFile

from agents.access import access_conversation
from agents.attachment_search import list_attachments
from agents.models import Attachment
from agents.services import attachments as services
from api.auth import request_actor
from api.route_limits import enforce_route_limit
from knowledge.api import uploaded_files

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: int
    conversation_id: int
    filename: str
    content_type: str
    size_bytes: int
    status: str
    error_code: str
    error_message: str
    chunk_count: int
    created_at: datetime


class AttachmentDetailOut(AttachmentOut):
    title: str
    text: str


class AttachmentUploadOut(Schema):
    files: list[AttachmentOut]
    failed: int


@router.post(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments",
    response={201: AttachmentUploadOut},
)
def upload_attachments(
    request: HttpRequest,
    workspace_id: int,
    conversation_id: int,
    files: File[list[NinjaUploadedFile]],
) -> Status:
    """Attach files to your conversation (multipart field `files`; the types and sizes of
    uploads, GET /limits). Each is `queued` (a worker reads it; list the attachments to see
    it become `ready` or `failed` with a reason) or `failed` at once (type, size, empty).
    Its passages are searched for this conversation only, and answers cite them."""
    enforce_route_limit(request, "uploads")
    attachments = services.upload_attachments(
        actor=request_actor(request, workspace_id),
        conversation_id=conversation_id,
        files=uploaded_files(files),
    )
    return Status(
        201,
        AttachmentUploadOut(
            files=[AttachmentOut.model_validate(item) for item in attachments],
            failed=sum(item.status == "failed" for item in attachments),
        ),
    )


@router.get(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments",
    response=list[AttachmentOut],
)
def list_conversation_attachments(
    request: HttpRequest, workspace_id: int, conversation_id: int
) -> list[Attachment]:
    """The files attached to your conversation, oldest first, with their status."""
    actor = request_actor(request, workspace_id)
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    return list(list_attachments(conversation_id=conversation.id, owner=actor))


@router.get(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments/{attachment_id}",
    response=AttachmentDetailOut,
)
def get_attachment(
    request: HttpRequest, workspace_id: int, conversation_id: int, attachment_id: int
) -> Attachment:
    """One attached file with its text: where a citation of it opens (its owner only)."""
    return services.access_attachment(
        actor=request_actor(request, workspace_id),
        conversation_id=conversation_id,
        attachment_id=attachment_id,
    )


@router.delete(
    "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments/{attachment_id}",
    response={204: None},
)
def delete_attachment(
    request: HttpRequest, workspace_id: int, conversation_id: int, attachment_id: int
) -> Status:
    """Remove an attached file, its bytes and its passages; answers that cited it show the
    citation as unavailable."""
    services.delete_attachment(
        actor=request_actor(request, workspace_id),
        conversation_id=conversation_id,
        attachment_id=attachment_id,
    )
    return Status(204, None)
