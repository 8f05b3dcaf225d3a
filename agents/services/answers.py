"""Writes that settle a pending answer: complete with its citations, or failed with a reason.

agents.answers runs the model and streams; these verbs are the only place an answer's final
state is stored, so a reader of the code finds every way an answer can end here.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from agents.models import Citation, Message, MessageStatus
from agents.tools import SourcePassage
from knowledge.models import Document


def fail_answer(*, message: Message, code: str, text: str) -> Message:
    """End a pending answer as an error whose content tells the asker what to do."""
    message.status = MessageStatus.ERROR
    message.error_code = code
    message.content = text
    message.completed_at = timezone.now()
    message.save(update_fields=["status", "error_code", "content", "completed_at"])
    return message


@transaction.atomic
def complete_answer(
    *, message: Message, text: str, used_model: bool, citations: Sequence[SourcePassage]
) -> Message:
    """Store the answer and the passages it cites together: an answer is never complete
    without its citations, nor do citations exist for an answer still pending."""
    message.status = MessageStatus.COMPLETE
    message.content = text
    message.used_model = used_model
    message.completed_at = timezone.now()
    message.save(update_fields=["status", "content", "used_model", "completed_at"])
    # The version each passage was read from: a reader is told when its source changed since.
    hashes = dict(
        Document.objects.filter(
            workspace_id=message.workspace_id,
            id__in={p.document_id for p in citations if p.document_id is not None},
        ).values_list("id", "content_hash")
    )
    Citation.objects.bulk_create(
        Citation(
            workspace_id=message.workspace_id,
            message=message,
            number=passage.number,
            chunk_id=passage.chunk_id,
            document_id=passage.document_id,
            attachment_id=passage.attachment_id,
            document_hash=hashes.get(passage.document_id, "") if passage.document_id else "",
            title=passage.title[:500],
            url=passage.url,
            passage=passage.text,
        )
        for passage in citations
    )
    return message


def record_slack_post(*, message: Message, connection_id: int, channel_id: str, ts: str) -> None:
    """Remember where the Slack bot posted an answer, so it can be edited when a source it
    cites is deleted or tightened."""
    message.slack_connection_id = connection_id
    message.slack_channel_id = channel_id
    message.slack_ts = ts
    message.save(update_fields=["slack_connection", "slack_channel_id", "slack_ts"])
