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
    Citation.objects.bulk_create(
        Citation(
            workspace_id=message.workspace_id,
            message=message,
            number=passage.number,
            chunk_id=passage.chunk_id,
            document_id=passage.document_id,
            title=passage.title[:500],
            url=passage.url,
            passage=passage.text,
        )
        for passage in citations
    )
    return message
