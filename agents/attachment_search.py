"""Reads of conversation attachments: the listing, and the search an answer merges with the
agent's retrieval.

An attachment's passages are for its conversation and its owner only: every query here is
filtered by the conversation, the owner (the asker) and the workspace in SQL, so a shared
thread, another member or another workspace never reaches them, and no knowledge search
(spaces, data sources, /search) can, since they are not knowledge chunks at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from pgvector.django import CosineDistance

from agents.models import Attachment, AttachmentChunk, AttachmentStatus
from knowledge.models import FULL_TEXT_CONFIG
from knowledge.selectors import fuse
from textpipeline.embedding import get_embeddings
from workspaces.models import Membership

CANDIDATES = 20
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class AttachmentPassage:
    attachment_id: int
    chunk_id: int
    title: str
    text: str


def list_attachments(*, conversation_id: int, owner: Membership) -> QuerySet[Attachment]:
    return Attachment.objects.filter(
        workspace_id=owner.workspace_id, conversation_id=conversation_id, owner=owner
    ).order_by("created_at", "id")


def _chunks(*, conversation_id: int, asker: Membership) -> QuerySet[AttachmentChunk]:
    return AttachmentChunk.objects.filter(
        workspace_id=asker.workspace_id,
        conversation_id=conversation_id,
        attachment__owner=asker,
        attachment__status=AttachmentStatus.READY,
    )


def search_attachment_passages(
    *, conversation_id: int, asker: Membership, query: str, k: int
) -> list[AttachmentPassage]:
    """The best `k` passages of the conversation's ready attachments for the query: dense
    (exact cosine: a conversation holds few chunks) and full-text rankings, fused as the
    knowledge search fuses them. No query runs when the conversation has no attachment."""
    chunks = _chunks(conversation_id=conversation_id, asker=asker)
    if not chunks.exists():
        return []
    vector = get_embeddings().embed_query(query)
    dense = list(
        chunks.annotate(distance=CosineDistance("embedding", vector))
        .order_by("distance", "id")
        .values_list("id", flat=True)[:CANDIDATES]
    )
    words = WORD.findall(query.lower())
    full_text: list[int] = []
    if words:
        search = SearchQuery(" or ".join(words), search_type="websearch", config=FULL_TEXT_CONFIG)
        full_text = list(
            chunks.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "id")
            .values_list("id", flat=True)[:CANDIDATES]
        )
    scores = fuse([dense, full_text])
    best = sorted(scores, key=lambda chunk_id: (-scores[chunk_id], chunk_id))[:k]
    rows = {
        row.id: row
        for row in AttachmentChunk.objects.filter(id__in=best).select_related("attachment")
    }
    return [
        AttachmentPassage(
            attachment_id=rows[chunk_id].attachment_id,
            chunk_id=chunk_id,
            title=rows[chunk_id].attachment.title or rows[chunk_id].attachment.filename,
            text=rows[chunk_id].text,
        )
        for chunk_id in best
        if chunk_id in rows
    ]
