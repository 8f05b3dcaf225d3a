"""The agent's tools, bound to the asking person and the agent's views.

Every passage a tool shows the model gets a number in a `PassageRegistry`; the answer cites
those numbers, and only registered numbers become citations. Since the tools read through
knowledge selectors with the asker as actor, a citation can only ever point at a passage the
asker may open (DESIGN.md access rules 2 and 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from langchain_core.tools import BaseTool, StructuredTool

from agents.attachment_search import AttachmentPassage
from agents.models import AgentTool
from knowledge.models import DataSourceView
from knowledge.selectors import list_recent_documents, search_chunks
from workspaces.models import Membership

SEARCH_RESULTS = 5
PASSAGES_PER_HIT = 2
RECENT_EXCERPT_CHARACTERS = 300


@dataclass(frozen=True)
class SourcePassage:
    number: int
    chunk_id: int | None
    document_id: int | None
    title: str
    url: str
    text: str
    # A passage of a file attached to the conversation (no document, no knowledge chunk).
    attachment_id: int | None = None


# Searches the conversation's attached files: (query, k) -> their best passages. Bound to
# the conversation and its owner by agents.answers; None where no attachment may be read.
AttachmentSearch = Callable[[str, int], Sequence[AttachmentPassage]]


class PassageRegistry:
    """Numbers passages in the order the model first sees them; a passage seen twice keeps
    its first number so the model's references stay stable across tool calls."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, int | None, int | None], SourcePassage] = {}
        self._by_number: dict[int, SourcePassage] = {}

    def register(
        self, *, chunk_id: int | None, document_id: int, title: str, url: str, text: str
    ) -> SourcePassage:
        key = ("document", document_id, chunk_id)
        existing = self._by_key.get(key)
        if existing is not None:
            return existing
        passage = SourcePassage(len(self._by_number) + 1, chunk_id, document_id, title, url, text)
        return self._add(key, passage)

    def register_attachment(self, found: AttachmentPassage) -> SourcePassage:
        key = ("attachment", found.attachment_id, found.chunk_id)
        existing = self._by_key.get(key)
        if existing is not None:
            return existing
        number = len(self._by_number) + 1
        passage = SourcePassage(
            number, None, None, found.title, "", found.text, attachment_id=found.attachment_id
        )
        return self._add(key, passage)

    def _add(
        self, key: tuple[str, int | None, int | None], passage: SourcePassage
    ) -> SourcePassage:
        self._by_key[key] = passage
        self._by_number[passage.number] = passage
        return passage

    def get(self, number: int) -> SourcePassage | None:
        return self._by_number.get(number)


def search_passages(
    *,
    asker: Membership,
    views: Sequence[DataSourceView],
    query: str,
    registry: PassageRegistry,
    k: int = SEARCH_RESULTS,
    passages_per_hit: int = PASSAGES_PER_HIT,
    audience: Sequence[Membership] = (),
) -> list[SourcePassage]:
    # An explicit list, never None: None would mean every view of the workspace.
    hits = search_chunks(actor=asker, views=list(views), query=query, k=k, audience=audience)
    return [
        registry.register(
            chunk_id=passage.chunk_id,
            document_id=hit.document_id,
            title=hit.title,
            url=hit.url,
            text=passage.text,
        )
        for hit in hits
        for passage in hit.passages[:passages_per_hit]
    ]


def attachment_passages(
    *, search: AttachmentSearch, query: str, registry: PassageRegistry, k: int = SEARCH_RESULTS
) -> list[SourcePassage]:
    return [registry.register_attachment(found) for found in search(query, k)]


def format_passages(passages: Sequence[SourcePassage]) -> str:
    if not passages:
        return "No passages found that the asker may open. Say so; do not guess."
    blocks = []
    for passage in passages:
        source = f" <{passage.url}>" if passage.url else ""
        blocks.append(f"[{passage.number}] {passage.title}{source}\n{passage.text}")
    return "\n\n".join(blocks)


def build_tools(
    *,
    asker: Membership,
    views: Sequence[DataSourceView],
    tool_names: Sequence[str],
    registry: PassageRegistry,
    audience: Sequence[Membership] = (),
    search_attachments: AttachmentSearch | None = None,
) -> list[BaseTool]:
    tools: list[BaseTool] = []
    if AgentTool.SEARCH in tool_names:

        def search(query: str) -> str:
            """Search the company's documents. Returns numbered passages; cite them as [n]."""
            return format_passages(
                search_passages(
                    asker=asker, views=views, query=query, registry=registry, audience=audience
                )
            )

        tools.append(StructuredTool.from_function(search, name="search"))
    if AgentTool.RECENT_DOCUMENTS in tool_names:

        def recent_documents(limit: int = 5) -> str:
            """The most recently updated documents, newest first, numbered for citing as [n]."""
            documents = list_recent_documents(
                actor=asker, views=list(views), limit=max(1, min(limit, 20)), audience=audience
            )
            passages = [
                registry.register(
                    chunk_id=None,
                    document_id=document.id,
                    title=document.title,
                    url=document.url,
                    text=document.text[:RECENT_EXCERPT_CHARACTERS],
                )
                for document in documents
            ]
            return format_passages(passages)

        tools.append(StructuredTool.from_function(recent_documents, name="recent_documents"))
    if search_attachments is not None:
        attached = search_attachments

        def search_attached_files(query: str) -> str:
            """Search the files the asker attached to this conversation. Returns numbered
            passages; cite them as [n]."""
            return format_passages(
                attachment_passages(search=attached, query=query, registry=registry)
            )

        tools.append(StructuredTool.from_function(search_attached_files))
    return tools
