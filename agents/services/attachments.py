"""Files a person attaches to one of their conversations: stored, parsed and embedded for
that conversation alone.

The pieces are the folder uploads' (knowledge.uploads and knowledge.ingestion): the same
upload handler streams each file to disk and stops it past MAX_UPLOAD_BYTES, the same checks
refuse a wrong type or an empty file, the bytes wait in Postgres in parts, and a worker
parses them in the same sandbox with the same limits, then chunks and embeds the text with
the same text pipeline. What differs is where the passages go: AttachmentChunk rows of the
conversation, never knowledge.Chunk, so no space, data source, search or other conversation
reaches them (agents.attachment_search reads them, for the conversation's owner only).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agents.access import access_conversation
from agents.models import Attachment, AttachmentChunk, AttachmentPart, AttachmentStatus
from common.errors import DomainError, InvalidInput, NotFound
from common.parsing import DocumentParseError, check_upload, file_too_large_error
from knowledge.ingestion import chunk_and_embed
from knowledge.services import UploadedFile
from knowledge.uploads import STALE_UPLOAD_AFTER, file_digest, file_parts, parse_stored_parts
from workspaces.models import Membership

logger = logging.getLogger(__name__)

PARSE_ATTACHMENT_TASK = "agents.parse_attachment"
PARSE_STALE_ATTACHMENTS_TASK = "agents.parse_stale_attachments"


class AttachmentTooLarge(DomainError):
    status = 413
    code = "file_too_large"


class TooManyAttachments(DomainError):
    status = 400
    code = "too_many_attachments"


def upload_attachments(
    *, actor: Membership, conversation_id: int, files: Sequence[UploadedFile]
) -> list[Attachment]:
    """Attach files to the actor's own conversation. Each is `queued` (a worker parses it)
    or `failed` at once with what needs no parsing to tell (type, emptiness). A file past
    MAX_UPLOAD_BYTES (413), or more files than the conversation may still hold (400), refuse
    the whole request and store nothing."""
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    if not files:
        raise InvalidInput("Attach at least one file (multipart field 'files').")
    max_bytes = int(settings.MAX_UPLOAD_BYTES)
    for file in files:
        if file.too_large or file.size > max_bytes:
            reason = file_too_large_error(size=file.size, max_bytes=max_bytes).message
            raise AttachmentTooLarge(f"{file.filename}: {reason}")
    limit = int(settings.MAX_ATTACHMENTS_PER_CONVERSATION)
    held = Attachment.objects.filter(conversation=conversation).count()
    if held + len(files) > limit:
        raise TooManyAttachments(
            f"A conversation holds at most {limit} attached files and this one has {held}. "
            "Remove one, or start a new conversation for more files."
        )
    return [_attach_one(actor=actor, conversation_id=conversation.id, file=file) for file in files]


def _attach_one(*, actor: Membership, conversation_id: int, file: UploadedFile) -> Attachment:
    max_bytes = int(settings.MAX_UPLOAD_BYTES)
    fields = {
        "workspace_id": actor.workspace_id,
        "conversation_id": conversation_id,
        "owner": actor,
        "filename": file.filename[:500],
        "title": file.filename[:500],
        "content_type": (file.content_type or "")[:200],
        "size_bytes": file.size,
    }
    try:
        check_upload(
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            max_bytes=max_bytes,
        )
    except DocumentParseError as error:
        return Attachment.objects.create(
            **fields,
            status=AttachmentStatus.FAILED,
            error_code=error.code,
            error_message=error.message,
        )
    with transaction.atomic():
        attachment = Attachment.objects.create(**fields, sha256=file_digest(file.stream))
        AttachmentPart.objects.bulk_create(
            AttachmentPart(attachment=attachment, position=position, data=part)
            for position, part in enumerate(file_parts(file.stream))
        )
        attachment_id = attachment.id
        transaction.on_commit(lambda: enqueue_parse(attachment_id))
    return attachment


def enqueue_parse(attachment_id: int) -> None:
    from kombu.exceptions import OperationalError

    from agents.tasks import parse_attachment_task

    try:
        parse_attachment_task.delay(attachment_id)
    except OperationalError:
        logger.warning("broker unreachable; attachment %d stays queued", attachment_id)


def stale_attachment_ids(*, older_than: timedelta = STALE_UPLOAD_AFTER) -> list[int]:
    """Attachments still queued long after they arrived: their parse task was lost (broker
    down, worker killed past its retries). Beat's sweep queues them again."""
    cutoff = timezone.now() - older_than
    return list(
        Attachment.objects.filter(status=AttachmentStatus.QUEUED, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:1000]
    )


def parse_attachment(*, attachment_id: int) -> None:
    """Parse a queued attachment in the sandbox, chunk and embed it, and mark it ready; or
    failed with the parser's reason. Idempotent: a redelivered task finds it settled (or
    deleted) and does nothing."""
    attachment = Attachment.objects.filter(id=attachment_id, status=AttachmentStatus.QUEUED).first()
    if attachment is None:
        return
    parts = AttachmentPart.objects.filter(attachment_id=attachment.id).order_by("position")
    try:
        parsed = parse_stored_parts(
            parts=parts.values_list("data", flat=True),
            filename=attachment.filename,
            content_type=attachment.content_type,
        )
    except DocumentParseError as error:
        _settle(attachment, status=AttachmentStatus.FAILED, code=error.code, message=error.message)
        return
    title = (parsed.title or attachment.filename)[:500]
    chunks = chunk_and_embed(title=title, breadcrumb=(), text=parsed.text)
    with transaction.atomic():
        if not Attachment.objects.select_for_update().filter(id=attachment.id).exists():
            return  # removed while it was being read
        AttachmentChunk.objects.filter(attachment_id=attachment.id).delete()
        AttachmentChunk.objects.bulk_create(
            AttachmentChunk(
                workspace_id=attachment.workspace_id,
                conversation_id=attachment.conversation_id,
                attachment_id=attachment.id,
                position=draft.position,
                text=draft.text,
                embedding=vector,
            )
            for draft, vector in chunks
        )
        Attachment.objects.filter(id=attachment.id).update(
            status=AttachmentStatus.READY,
            title=title,
            text=parsed.text,
            chunk_count=len(chunks),
        )
        AttachmentPart.objects.filter(attachment_id=attachment.id).delete()


def _settle(attachment: Attachment, *, status: str, code: str, message: str) -> None:
    with transaction.atomic():
        Attachment.objects.filter(id=attachment.id).update(
            status=status, error_code=code, error_message=message
        )
        AttachmentPart.objects.filter(attachment_id=attachment.id).delete()


def access_attachment(*, actor: Membership, conversation_id: int, attachment_id: int) -> Attachment:
    """The attachment of the actor's own conversation, or NotFound (never another's)."""
    conversation = access_conversation(actor=actor, conversation_id=conversation_id)
    attachment = Attachment.objects.filter(
        conversation=conversation, owner=actor, id=attachment_id
    ).first()
    if attachment is None:
        raise NotFound(
            f"Attachment {attachment_id} does not exist in conversation {conversation_id}. "
            "List them with GET .../attachments."
        )
    return attachment


@transaction.atomic
def delete_attachment(*, actor: Membership, conversation_id: int, attachment_id: int) -> None:
    """Remove one attached file with its bytes and passages; answers that cited it keep
    their text, and their citations of it become unavailable (Citation.attachment's
    on_delete purges the copied passages, as for a deleted document)."""
    attachment = access_attachment(
        actor=actor, conversation_id=conversation_id, attachment_id=attachment_id
    )
    attachment.delete()
