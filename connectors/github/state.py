"""Where a GitHub sync stands (the checkpoint state) and what it hands the next one (the
cursor). Both are plain JSON.

A sync works through a fixed plan of repositories, one at a time: first its issues and pull
requests, a page of 100 at a time in creation order (Link-header pages; the state keeps the
next page's URL), then its files, in batches of `FILES_PER_CHECKPOINT` along a change list
that is the same every time it is computed (it depends only on two commit shas).

The cursor, per repository: `issues_since` (the source's clock when the sync started that
repository, less an overlap), `commit` (the default branch's head whose files were read) and
`access` (a fingerprint of the access list: when it changes, the repository is read again in
full so every document carries the new list).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from connectors.documents import AccessList
from connectors.github.mapping import Repository

FILES_PER_CHECKPOINT = 100
# Issues updated this long before a sync started are read again by the next one: a margin for
# writes that GitHub committed just before the sync's first page but stamped a little earlier.
ISSUES_OVERLAP = timedelta(seconds=60)


def access_fingerprint(access: AccessList) -> str:
    listed = [access.public, sorted(access.emails), sorted(access.group_ids)]
    return hashlib.sha256(json.dumps(listed).encode()).hexdigest()[:16]


@dataclass
class RepositoryCursor:
    issues_since: str | None
    commit: str | None
    access: str

    def to_json(self) -> dict[str, Any]:
        return {"issues_since": self.issues_since, "commit": self.commit, "access": self.access}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RepositoryCursor:
        return cls(data.get("issues_since"), data.get("commit"), str(data.get("access", "")))


def previous_cursors(cursor: Mapping[str, Any] | None) -> dict[str, RepositoryCursor]:
    repositories = (cursor or {}).get("repositories") or {}
    return {name: RepositoryCursor.from_json(data) for name, data in repositories.items()}


@dataclass
class SyncState:
    plan: list[Repository]
    index: int = 0
    phase: str = "issues"  # then "files"
    issues_next_url: str | None = None
    issues_started_at: str | None = None
    files_started: bool = False
    files_base: str | None = None
    files_head: str | None = None
    files_offset: int = 0
    finished: dict[str, RepositoryCursor] = field(default_factory=dict)

    @property
    def repository(self) -> Repository | None:
        return self.plan[self.index] if self.index < len(self.plan) else None

    def finish_repository(self, access: AccessList) -> None:
        """Record what the next sync starts from, and move on to the next repository."""
        repository = self.plan[self.index]
        started = datetime.fromisoformat(self.issues_started_at) if self.issues_started_at else None
        self.finished[repository.full_name] = RepositoryCursor(
            issues_since=(started - ISSUES_OVERLAP).isoformat() if started else None,
            commit=self.files_head or self.files_base,
            access=access_fingerprint(access),
        )
        self.skip_repository()

    def skip_repository(self) -> None:
        """Move on without a cursor entry: the next sync reads this repository in full."""
        self.index += 1
        self.phase = "issues"
        self.issues_next_url = None
        self.issues_started_at = None
        self.files_started = False
        self.files_base = None
        self.files_head = None
        self.files_offset = 0

    def cursor(self) -> dict[str, Any]:
        return {"repositories": {name: c.to_json() for name, c in self.finished.items()}}

    def to_json(self) -> dict[str, Any]:
        return {
            "plan": [repository.to_state() for repository in self.plan],
            "index": self.index,
            "phase": self.phase,
            "issues_next_url": self.issues_next_url,
            "issues_started_at": self.issues_started_at,
            "files_started": self.files_started,
            "files_base": self.files_base,
            "files_head": self.files_head,
            "files_offset": self.files_offset,
            **self.cursor(),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SyncState:
        return cls(
            plan=[Repository.from_state(item) for item in data["plan"]],
            index=int(data["index"]),
            phase=str(data["phase"]),
            issues_next_url=data.get("issues_next_url"),
            issues_started_at=data.get("issues_started_at"),
            files_started=bool(data.get("files_started")),
            files_base=data.get("files_base"),
            files_head=data.get("files_head"),
            files_offset=int(data.get("files_offset", 0)),
            finished=previous_cursors(data),
        )
