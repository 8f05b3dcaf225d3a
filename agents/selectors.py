"""Reads for agents and conversations. Every query is scoped by workspace and by the access
rules in agents.access."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from agents.access import readable_conversations, usable_agents
from agents.models import (
    Agent,
    AgentVersion,
    Attachment,
    Citation,
    Conversation,
    ConversationShare,
    Feedback,
    Message,
    ModelProviderCredential,
)
from common.errors import NotFound
from knowledge.access import reader_scope
from knowledge.models import DataSourceView, Document
from knowledge.selectors import scope_filter
from workspaces.models import Membership, RevokedSourcesPolicy
from workspaces.selectors import space_ids_for


def list_agents_for(*, membership: Membership) -> QuerySet[Agent]:
    return usable_agents(membership).prefetch_related("views", "editors").order_by("name", "id")


def list_agent_versions(*, agent: Agent) -> QuerySet[AgentVersion]:
    return agent.versions.select_related("created_by__user").order_by("-number")


def list_conversations_for(*, membership: Membership) -> QuerySet[Conversation]:
    return (
        readable_conversations(membership)
        .annotate(shared=Exists(ConversationShare.objects.filter(conversation=OuterRef("pk"))))
        .order_by("-updated_at", "-id")
    )


def conversation_messages(
    *, conversation: Conversation, reader: Membership | None = None
) -> QuerySet[Message]:
    """The messages with their citations; with a `reader`, each one's feedback from that
    reader alone in `reader_feedback` (a list of at most one)."""
    messages = (
        conversation.messages.select_related("agent", "agent_version", "author__user")
        .prefetch_related(Prefetch("citations", queryset=Citation.objects.order_by("number")))
        .order_by("created_at", "id")
    )
    if reader is not None:
        messages = messages.prefetch_related(
            Prefetch(
                "feedback",
                queryset=Feedback.objects.filter(membership=reader),
                to_attr="reader_feedback",
            )
        )
    return messages


def is_conversation_shared(*, conversation: Conversation) -> bool:
    return ConversationShare.objects.filter(conversation=conversation).exists()


def shared_not_found() -> NotFound:
    return NotFound(
        "This shared conversation does not exist, its link was revoked, or it cites sources "
        "you cannot open. Ask the person who shared it."
    )


def read_shared_conversation(
    *, reader: Membership, token_hash: str
) -> tuple[Conversation, list[Message], dict[int, CheckedAnswer]]:
    """A conversation shared by link, for another member of its workspace: only if they
    belong to every space of the agents used in it and may open every source it cites now
    (re-checked like any stored answer); anyone else finds nothing, as if it did not exist."""
    share = (
        ConversationShare.objects.filter(workspace_id=reader.workspace_id, token_hash=token_hash)
        .select_related("conversation")
        .first()
    )
    if share is None:
        raise shared_not_found()
    conversation = share.conversation
    if not set(conversation.required_space_ids) <= set(space_ids_for(membership=reader)):
        raise shared_not_found()
    messages = list(conversation_messages(conversation=conversation))
    checked = check_answers(reader=reader, messages=messages)
    if any(
        citation.state == CitationState.UNAVAILABLE
        for answer in checked.values()
        for citation in answer.citations
    ):
        raise shared_not_found()
    return conversation, messages, checked


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


DIFF_FIELDS = ("model_id", "temperature", "tools", "views", "visibility")


@dataclass(frozen=True)
class InstructionLine:
    """One row of a side-by-side diff: `kind` is same, changed, added or removed."""

    kind: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    changed: bool


@dataclass(frozen=True)
class VersionDiff:
    from_number: int
    to_number: int
    instructions: list[InstructionLine]
    fields: list[FieldChange]


def _view_names(*, reader: Membership, view_ids: Iterable[int]) -> dict[int, str]:
    """Names of the views the reader could open; any other is named by its number only."""
    views = DataSourceView.objects.filter(
        workspace_id=reader.workspace_id,
        id__in=sorted(set(view_ids)),
        space_id__in=space_ids_for(membership=reader),
    ).select_related("data_source", "space")
    return {view.id: f"{view.data_source.name} ({view.space.name})" for view in views}


def _instruction_lines(before: str, after: str) -> list[InstructionLine]:
    old, new = before.splitlines(), after.splitlines()
    lines: list[InstructionLine] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
        if tag == "equal":
            lines += [InstructionLine("same", line, line) for line in old[i1:i2]]
        elif tag == "replace":
            left, right = old[i1:i2], new[j1:j2]
            for index in range(max(len(left), len(right))):
                lines.append(
                    InstructionLine(
                        "changed",
                        left[index] if index < len(left) else None,
                        right[index] if index < len(right) else None,
                    )
                )
        elif tag == "delete":
            lines += [InstructionLine("removed", line, None) for line in old[i1:i2]]
        else:
            lines += [InstructionLine("added", None, line) for line in new[j1:j2]]
    return lines


def agent_version_diff(
    *, reader: Membership, agent: Agent, from_number: int, to_number: int
) -> VersionDiff:
    """What changed from one version to another: the instructions line by line, and the
    model, temperature, tools, data views (by name) and visibility."""
    versions = {v.number: v for v in agent.versions.filter(number__in={from_number, to_number})}
    missing = sorted({from_number, to_number} - set(versions))
    if missing:
        raise NotFound(
            f"Agent '@{agent.handle}' has no version {missing[0]}; "
            "list its versions with GET .../versions."
        )
    before, after = versions[from_number].snapshot, versions[to_number].snapshot
    names = _view_names(
        reader=reader, view_ids=[*before.get("view_ids", []), *after.get("view_ids", [])]
    )

    def value(snapshot: dict[str, Any], field: str) -> Any:
        if field == "views":
            return sorted(
                names.get(view_id, f"view {view_id}") for view_id in snapshot.get("view_ids", [])
            )
        if field == "tools":
            return sorted(snapshot.get("tools", []))
        return snapshot.get(field)

    pairs = [(field, value(before, field), value(after, field)) for field in DIFF_FIELDS]
    return VersionDiff(
        from_number=from_number,
        to_number=to_number,
        instructions=_instruction_lines(
            before.get("instructions", ""), after.get("instructions", "")
        ),
        fields=[FieldChange(field, old, new, old != new) for field, old, new in pairs],
    )
