"""The state behind the fake Drive: one Google Workspace domain with its people, groups,
shared drives, the acting admin's My Drive, files with their sharing, and the change log
that changes.list pages through. Kept in memory and indexed so big workspaces page fast.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

FOLDER = "application/vnd.google-apps.folder"
SHORTCUT = "application/vnd.google-apps.shortcut"

# Drive's MIME type of each kind of seeded file.
MIME_TYPES = {
    "folder": FOLDER,
    "shortcut": SHORTCUT,
    "doc": "application/vnd.google-apps.document",
    "sheet": "application/vnd.google-apps.spreadsheet",
    "slides": "application/vnd.google-apps.presentation",
    "form": "application/vnd.google-apps.form",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "text": "text/plain",
    "markdown": "text/markdown",
    "csv": "text/csv",
    "image": "image/png",
    "zip": "application/zip",
    "legacy_doc": "application/msword",
}
EXTENSIONS = {
    "pdf": ".pdf",
    "docx": ".docx",
    "pptx": ".pptx",
    "xlsx": ".xlsx",
    "text": ".txt",
    "markdown": ".md",
    "csv": ".csv",
    "image": ".png",
    "zip": ".zip",
    "legacy_doc": ".doc",
}
GOOGLE_KINDS = frozenset({"doc", "sheet", "slides", "form"})
# Kinds the connector turns into documents (the others are skipped or reported as failures).
DOCUMENT_KINDS = frozenset(
    {"doc", "sheet", "slides", "pdf", "docx", "pptx", "xlsx", "text", "markdown", "csv"}
)
# Uploads larger than this are not downloaded by the connector.
DOWNLOAD_LIMIT_BYTES = 20 * 1024 * 1024


def rfc3339(moment: datetime) -> str:
    return (
        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    )


@dataclass
class Person:
    email: str
    name: str
    permission_id: str


@dataclass
class Member:
    email: str
    type: str  # USER or GROUP, as the Directory API says
    role: str = "MEMBER"


@dataclass
class Group:
    id: str
    email: str
    name: str
    description: str
    members: list[Member] = field(default_factory=list)


@dataclass
class Permission:
    id: str
    type: str  # user, group, domain, anyone
    role: str  # owner, organizer, fileOrganizer, writer, commenter, reader
    email_address: str = ""
    domain: str = ""
    display_name: str = ""
    allow_file_discovery: bool | None = None


@dataclass
class SharedDrive:
    id: str
    name: str
    created_time: str
    members: list[Permission] = field(default_factory=list)


@dataclass
class Item:
    """A file or folder. `parent_id` is a folder id, a shared drive id or the My Drive root."""

    id: str
    name: str
    kind: str
    parent_id: str | None
    drive_id: str | None
    created_time: str
    modified_time: str
    owner_email: str = ""
    body: str = ""  # Markdown-ish source; CSV for sheets
    permissions: list[Permission] = field(default_factory=list)
    trashed: bool = False
    version: int = 1
    # The acting user may read but not share: Drive leaves `permissions` out of the file
    # resource and permissions.list answers 403.
    sharing_hidden: bool = False
    # Drive reports this size instead of the rendered bytes' (a huge upload).
    reported_size: int | None = None

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.kind]

    @property
    def is_folder(self) -> bool:
        return self.kind == "folder"

    @property
    def is_google_file(self) -> bool:
        return self.kind in GOOGLE_KINDS or self.kind in ("folder", "shortcut")


@dataclass
class Change:
    id: int
    file_id: str = ""
    removed: bool = False
    drive_id: str = ""  # a change to a shared drive itself (changeType "drive")
    time: str = ""


class Workspace:
    """Everything one fake Drive serves. `items` is indexed by id and by parent."""

    def __init__(self, *, domain: str, admin: Person, root_id: str, rng: random.Random) -> None:
        self.domain = domain
        self.admin = admin
        self.root_id = root_id
        self.rng = rng
        self.people: dict[str, Person] = {admin.email: admin}
        self.groups: dict[str, Group] = {}
        self.drives: dict[str, SharedDrive] = {}
        self.items: dict[str, Item] = {}
        self.sorted_ids: list[str] = []
        self.children: dict[str, list[str]] = {}
        self.changes: list[Change] = []
        self.first_change_id = 4312  # start page tokens of a real Drive are never 1
        # Page tokens below this are expired: changes.list answers 400 invalid pageToken.
        self.oldest_valid_change_id = 0
        self.clock = datetime(2025, 1, 15, 9, 0, tzinfo=UTC)

    # --- building and changing ----------------------------------------------------------

    def add(self, item: Item) -> Item:
        self.items[item.id] = item
        bisect.insort(self.sorted_ids, item.id)
        if item.parent_id is not None:
            self.children.setdefault(item.parent_id, []).append(item.id)
        return item

    def tick(self, minutes: int = 7) -> str:
        self.clock += timedelta(minutes=minutes)
        return rfc3339(self.clock)

    def record_change(
        self, *, file_id: str = "", removed: bool = False, drive_id: str = ""
    ) -> None:
        self.changes.append(
            Change(
                id=self.next_change_id,
                file_id=file_id,
                removed=removed,
                drive_id=drive_id,
                time=self.tick(1),
            )
        )

    def expire_change_tokens(self) -> None:
        """Drive forgets the change log so far (tokens kept too long, or a reset): every page
        token issued until now is refused."""
        self.oldest_valid_change_id = self.next_change_id

    @property
    def next_change_id(self) -> int:
        return self.first_change_id + len(self.changes)

    def remove(self, item_id: str) -> None:
        """Delete forever (emptied from the trash): gone from every listing and lookup."""
        item = self.items.pop(item_id)
        self.sorted_ids.remove(item_id)
        if item.parent_id is not None:
            self.children[item.parent_id].remove(item_id)

    # --- reading ------------------------------------------------------------------------

    def person_name(self, email: str) -> str:
        person = self.people.get(email)
        return person.name if person else email

    def ancestors(self, item: Item) -> list[str]:
        """Folder ids above the item, nearest first, ending with its drive or the root."""
        chain: list[str] = []
        parent_id = item.parent_id
        while parent_id is not None:
            chain.append(parent_id)
            parent = self.items.get(parent_id)
            parent_id = parent.parent_id if parent is not None else None
        return chain

    def is_trashed(self, item: Item) -> bool:
        """Trashing a folder trashes everything in it."""
        if item.trashed:
            return True
        return any(
            (ancestor := self.items.get(parent_id)) is not None and ancestor.trashed
            for parent_id in self.ancestors(item)
        )

    def effective_permissions(self, item: Item) -> list[Permission]:
        """A shared drive's members can open everything in it; the file adds its own."""
        inherited = self.drives[item.drive_id].members if item.drive_id else []
        return [*inherited, *item.permissions]

    def documents(self) -> Iterator[Item]:
        for item_id in self.sorted_ids:
            item = self.items[item_id]
            if (
                item.kind in DOCUMENT_KINDS
                and not self.is_trashed(item)
                and (item.reported_size or 0) <= DOWNLOAD_LIMIT_BYTES
            ):
                yield item

    def descendant_folder_ids(self, folder_id: str) -> list[str]:
        found = [folder_id]
        for child_id in self.children.get(folder_id, []):
            if self.items[child_id].is_folder:
                found.extend(self.descendant_folder_ids(child_id))
        return found
