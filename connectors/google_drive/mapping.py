"""Drive's files, folders and permissions in the platform's terms: ancestors and breadcrumbs
from the folder tree, access lists from permissions, and the DocumentInput itself."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from connectors.documents import AccessList, DocumentInput

# Folders nest at most 100 deep in Drive; a longer walk means a cycle in what we were told.
_MAX_DEPTH = 100


@dataclass(frozen=True)
class Folder:
    id: str
    name: str
    parent_id: str | None
    drive_id: str | None


def folder_from_resource(resource: Mapping[str, Any]) -> Folder:
    parents = resource.get("parents") or []
    return Folder(
        id=str(resource["id"]),
        name=str(resource.get("name") or "Untitled folder"),
        parent_id=str(parents[0]) if parents else None,
        drive_id=resource.get("driveId"),
    )


class FolderTree:
    """Folder names and parents: loaded up front for a full sync, looked up one by one (and
    remembered) for an incremental sync or a single file. A folder we may not see ends the
    walk up, as does a shared drive or the My Drive root (a folder without parents)."""

    def __init__(
        self,
        *,
        lookup_folder: Callable[[str], Folder | None],
        lookup_drive_name: Callable[[str], str | None],
    ) -> None:
        self._lookup_folder = lookup_folder
        self._lookup_drive_name = lookup_drive_name
        self._folders: dict[str, Folder | None] = {}
        self._children: dict[str, list[str]] = {}
        self.drive_names: dict[str, str] = {}

    def remember(self, folder: Folder) -> None:
        previous = self._folders.get(folder.id)
        if previous is not None and previous.parent_id is not None:
            siblings = self._children.get(previous.parent_id, [])
            if folder.id in siblings:
                siblings.remove(folder.id)  # moved or renamed since we loaded it
        self._folders[folder.id] = folder
        if folder.parent_id is not None:
            self._children.setdefault(folder.parent_id, []).append(folder.id)

    def remember_drive(self, drive_id: str, name: str) -> None:
        self.drive_names[drive_id] = name

    def folder(self, folder_id: str) -> Folder | None:
        if folder_id not in self._folders:
            found = self._lookup_folder(folder_id)
            if found is None:
                self._folders[folder_id] = None
            else:
                self.remember(found)
        return self._folders[folder_id]

    def drive_name(self, drive_id: str) -> str:
        if drive_id not in self.drive_names:
            self.drive_names[drive_id] = self._lookup_drive_name(drive_id) or "Shared drive"
        return self.drive_names[drive_id]

    def ancestors(self, parent_ids: Sequence[str], drive_id: str | None) -> list[tuple[str, str]]:
        """(id, title) of every folder above an item whose parents are `parent_ids`, nearest
        first, ending with its shared drive or My Drive when we can see that far."""
        chain: list[tuple[str, str]] = []
        current = parent_ids[0] if parent_ids else None
        while current is not None and len(chain) < _MAX_DEPTH:
            if current == drive_id or current in self.drive_names:
                chain.append((current, self.drive_name(current)))
                break
            folder = self.folder(current)
            if folder is None:
                break
            chain.append((folder.id, folder.name))
            current = folder.parent_id
        return chain

    def descendants(self, folder_id: str) -> list[str]:
        """The folder and every folder below it that the tree has loaded."""
        found: list[str] = []
        pending = [folder_id]
        while pending:
            current = pending.pop()
            if current in found:
                continue
            found.append(current)
            pending.extend(self._children.get(current, []))
        return found


@dataclass(frozen=True)
class Selection:
    """The hierarchy nodes (shared drives, folders) an admin picked; none means everything."""

    ids: frozenset[str]

    def includes(self, file_id: str, ancestor_ids: Iterable[str]) -> bool:
        if not self.ids or file_id in self.ids:
            return True
        return any(ancestor in self.ids for ancestor in ancestor_ids)


def group_external_id(email: str) -> str:
    return f"group:{email.strip().lower()}"


def access_list(
    permissions: Iterable[Mapping[str, Any]], *, own_domains: Collection[str]
) -> AccessList:
    """Who can open the file at Drive. Every role can read, so roles do not matter.

    - `anyone` (with or without the link) is public.
    - `domain` is public when the domain is the company's own: everyone in the Workspace can
      open it. Another domain (a partner's) adds nobody of ours.
    - `user` adds an email, `group` adds a group whose members `list_groups` reports.
    """
    emails: set[str] = set()
    group_ids: set[str] = set()
    for permission in permissions:
        if permission.get("deleted"):
            continue
        kind = permission.get("type")
        if kind == "anyone":
            return AccessList(public=True)
        if kind == "domain":
            if str(permission.get("domain", "")).lower() in own_domains:
                return AccessList(public=True)
            continue
        email = str(permission.get("emailAddress") or "").strip().lower()
        if not email:
            continue
        if kind == "user":
            emails.add(email)
        elif kind == "group":
            group_ids.add(group_external_id(email))
    return AccessList(
        public=False, emails=tuple(sorted(emails)), group_ids=tuple(sorted(group_ids))
    )


def owners_only_access(file: Mapping[str, Any], acting_user: str) -> AccessList:
    """When Drive will not tell us who a file is shared with (we may read but not share it):
    the people we know can open it, its owners and the user we act as. Narrow on purpose."""
    emails = {
        str(owner.get("emailAddress", "")).lower()
        for owner in file.get("owners") or []
        if owner.get("emailAddress")
    }
    if acting_user:
        emails.add(acting_user.lower())
    return AccessList(public=False, emails=tuple(sorted(emails)))


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))  # RFC 3339 with Z: timezone-aware
    except ValueError:
        return None


def default_url(file: Mapping[str, Any]) -> str:
    return f"https://drive.google.com/file/d/{file['id']}/view"


def document_input(
    file: Mapping[str, Any],
    *,
    text: str,
    ancestors: Sequence[tuple[str, str]],
    access: AccessList,
    size_bytes: int,
) -> DocumentInput:
    """One Drive file as one document: its id is Drive's file id (stable across renames and
    moves, unique across the domain)."""
    return DocumentInput(
        external_id=str(file["id"]),
        title=str(file.get("name") or "Untitled"),
        text=text,
        url=str(file.get("webViewLink") or default_url(file)),
        mime_type=str(file.get("mimeType", "")),
        parents=[ancestor_id for ancestor_id, _ in ancestors],
        # Breadcrumbs read from the top: ["Engineering", "RFCs", "2024"].
        breadcrumb=[title for _, title in reversed(ancestors)],
        source_created_at=parse_time(file.get("createdTime")),
        source_updated_at=parse_time(file.get("modifiedTime")),
        access=access,
        size_bytes=size_bytes,
    )
