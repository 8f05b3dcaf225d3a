"""What a connector hands the platform: documents with their access lists, and the other
items of a sync. Plain dataclasses so connectors stay free of Django."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class AccessList:
    """Who may open a document at its source. Public: everyone who reaches its space.

    `emails` are matched against members' verified emails; `group_ids` against groups synced
    from the same source (`Group.external_id`)."""

    public: bool = True
    emails: tuple[str, ...] = ()
    group_ids: tuple[str, ...] = ()


PUBLIC = AccessList()


@dataclass(frozen=True)
class DocumentInput:
    external_id: str
    title: str
    text: str
    url: str = ""
    mime_type: str = ""
    parents: Sequence[str] = ()  # ancestors in the source hierarchy, nearest first
    breadcrumb: Sequence[str] = ()
    source_created_at: datetime | None = None
    source_updated_at: datetime | None = None
    access: AccessList = PUBLIC
    size_bytes: int = 0


@dataclass(frozen=True)
class Deletion:
    """The source no longer has this item (deleted, archived, trashed, access removed)."""

    external_id: str


@dataclass(frozen=True)
class ItemFailure:
    """One item could not be read; the sync goes on. A previous version stays searchable."""

    external_id: str
    title: str
    code: str
    message: str


@dataclass(frozen=True)
class Checkpoint:
    """Yielded after every page: once the items before it are stored, `state` is where a
    restarted sync resumes. JSON-serialisable."""

    state: Mapping[str, Any]


@dataclass(frozen=True)
class Progress:
    """Optional: how far the sync has come, for progress bars (`total` when known)."""

    done: int
    total: int | None = None


SyncItem = DocumentInput | Deletion | ItemFailure | Checkpoint | Progress


@dataclass(frozen=True)
class HierarchyNode:
    """One pickable part of a source: a channel, a page, a folder, a repository."""

    id: str
    title: str
    kind: str
    parent_id: str | None = None
    has_children: bool = False
    url: str = ""
    # e.g. {"private": True} for a private channel; shown in the picker.
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceAccount:
    """Who the credentials act as, shown to the admin after they are validated."""

    id: str
    name: str
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceGroup:
    """A group at the source (a Google group, a GitHub team) with its members' emails."""

    external_id: str
    name: str
    member_emails: tuple[str, ...] = ()
