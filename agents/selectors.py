"""Reads for agents and conversations. Every query is scoped by workspace and by the access
rules in agents.access."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Prefetch, QuerySet

from agents.access import readable_conversations, usable_agents
from agents.models import (
    Agent,
    AgentVersion,
    Attachment,
    Citation,
    Conversation,
    Message,
    ModelProviderCredential,
)
from knowledge.access import reader_scope
from knowledge.models import Document
from knowledge.selectors import scope_filter
from workspaces.models import Membership, RevokedSourcesPolicy


def list_agents_for(*, membership: Membership) -> QuerySet[Agent]:
    return usable_agents(membership).prefetch_related("views", "editors").order_by("name", "id")


def list_agent_versions(*, agent: Agent) -> QuerySet[AgentVersion]:
    return agent.versions.select_related("created_by__user").order_by("-number")


def list_conversations_for(*, membership: Membership) -> QuerySet[Conversation]:
    return readable_conversations(membership).order_by("-updated_at", "-id")


def conversation_messages(*, conversation: Conversation) -> QuerySet[Message]:
    return (
        conversation.messages.select_related("agent", "agent_version", "author__user")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.order_by("number")))
        .order_by("created_at", "id")
    )


def list_model_credentials(*, workspace_id: int) -> QuerySet[ModelProviderCredential]:
    return (
        ModelProviderCredential.objects.filter(workspace_id=workspace_id)
        .select_related("updated_by__user")
        .order_by("provider")
    )


def conversation_history(*, message: Message, limit: int = 10) -> list[tuple[str, str]]:
    """The finished turns before `message`, oldest first, as (role, text)."""
    earlier = (
        Message.objects.filter(
            conversation_id=message.conversation_id, id__lt=message.id, status="complete"
        )
        .exclude(id__in=[message.reply_to_id] if message.reply_to_id else [])
        .order_by("-id")
        .values_list("role", "content")[:limit]
    )
    return [(role, content) for role, content in reversed(earlier)]


class CitationState(StrEnum):
    AVAILABLE = "available"
    # The reader may open it, but the document changed since the answer quoted it.
    CHANGED = "changed"
    # Deleted, purged, or no longer open to the reader: nothing of it is shown.
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class CheckedCitation:
    number: int
    state: CitationState
    title: str | None = None
    url: str | None = None
    passage: str | None = None
    document_id: int | None = None
    chunk_id: int | None = None
    # A file attached to the conversation: it opens for the conversation's owner only.
    attachment_id: int | None = None


@dataclass(frozen=True)
class CheckedAnswer:
    """An answer as this reader may see it now."""

    content: str
    citations: list[CheckedCitation]
    # The text is held back: a source it cited is closed to the reader, and the workspace's
    # policy hides such answers.
    content_withheld: bool
    # A cited source was deleted, tightened or changed since the answer was written.
    sources_changed: bool


def check_answers(
    *, reader: Membership, messages: Iterable[Message], audience: Sequence[Membership] = ()
) -> dict[int, CheckedAnswer]:
    """Re-check every citation of `messages` against what `reader` (and an `audience`) may
    open now, with the permission SQL of search (DESIGN.md, Agents: citations are re-checked
    when read). One query for the documents of all the citations, whatever their number;
    the messages' citations must be prefetched."""
    listed = list(messages)
    cited = {
        citation.document_id
        for message in listed
        for citation in message.citations.all()
        if citation.document_id is not None and citation.purged_at is None
    }
    current: dict[int, tuple[str, str, str]] = {}
    if cited:
        scope = reader_scope(membership=reader, audience=audience)
        current = {
            document_id: (content_hash, title, url)
            for document_id, content_hash, title, url in Document.objects.filter(
                scope_filter(scope), id__in=sorted(cited)
            ).values_list("id", "content_hash", "title", "url")
        }
    attached = {
        citation.attachment_id
        for message in listed
        for citation in message.citations.all()
        if citation.attachment_id is not None and citation.purged_at is None
    }
    if attached:
        # Only ever the reader's own files (one query, and none without attachments).
        attached = set(
            Attachment.objects.filter(
                workspace_id=reader.workspace_id, owner=reader, id__in=sorted(attached)
            ).values_list("id", flat=True)
        )
    hide = reader.workspace.answers_with_revoked_sources == RevokedSourcesPolicy.HIDE
    checked = {}
    for message in listed:
        citations = [
            _check_citation(citation, current)
            if citation.attachment_id is None
            else _check_attachment_citation(citation, attached)
            for citation in sorted(message.citations.all(), key=lambda c: c.number)
        ]
        lost = any(c.state == CitationState.UNAVAILABLE for c in citations)
        withheld = lost and hide
        checked[message.id] = CheckedAnswer(
            content="" if withheld else message.content,
            citations=citations,
            content_withheld=withheld,
            sources_changed=message.sources_changed_at is not None
            or any(c.state != CitationState.AVAILABLE for c in citations),
        )
    return checked


def _check_attachment_citation(citation: Citation, readable: set[int]) -> CheckedCitation:
    if citation.purged_at is not None or citation.attachment_id not in readable:
        return CheckedCitation(number=citation.number, state=CitationState.UNAVAILABLE)
    return CheckedCitation(
        number=citation.number,
        state=CitationState.AVAILABLE,
        title=citation.title,
        url=citation.url,
        passage=citation.passage,
        attachment_id=citation.attachment_id,
    )


def _check_citation(
    citation: Citation, current: dict[int, tuple[str, str, str]]
) -> CheckedCitation:
    found = current.get(citation.document_id) if citation.document_id is not None else None
    if citation.purged_at is not None or found is None:
        return CheckedCitation(number=citation.number, state=CitationState.UNAVAILABLE)
    content_hash, title, url = found
    if citation.document_hash and citation.document_hash != content_hash:
        # Link to the document as it is now; the passage stays what the answer quoted.
        return CheckedCitation(
            number=citation.number,
            state=CitationState.CHANGED,
            title=title,
            url=url,
            passage=citation.passage,
            document_id=citation.document_id,
            chunk_id=citation.chunk_id,
        )
    return CheckedCitation(
        number=citation.number,
        state=CitationState.AVAILABLE,
        title=citation.title,
        url=citation.url,
        passage=citation.passage,
        document_id=citation.document_id,
        chunk_id=citation.chunk_id,
    )
