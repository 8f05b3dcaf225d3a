"""GitHub objects as documents: external ids, repositories, issue and file documents.

External ids (stable, unique in a connection, readable in logs):
- repository (a hierarchy node): `repo:{owner}/{repo}`
- issue: `{owner}/{repo}#issue/{number}`, pull request: `{owner}/{repo}#pull/{number}`
- file on the default branch: `{owner}/{repo}:{path}`
Owner and repository names cannot contain `#` or `:`, so the forms never collide.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

from connectors.documents import AccessList, DocumentInput

REPOSITORY_PREFIX = "repo:"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


@dataclass(frozen=True)
class Repository:
    """What a sync needs to know of one repository; JSON-able for checkpoints."""

    full_name: str
    private: bool
    default_branch: str
    html_url: str
    owner_is_organization: bool

    @property
    def owner(self) -> str:
        return self.full_name.split("/", 1)[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/", 1)[1]

    @property
    def node_id(self) -> str:
        return repository_node_id(self.full_name)

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> Repository:
        return cls(
            full_name=data["full_name"],
            private=bool(data.get("private")),
            default_branch=data.get("default_branch") or "main",
            html_url=data.get("html_url") or f"https://github.com/{data['full_name']}",
            owner_is_organization=(data.get("owner") or {}).get("type") == "Organization",
        )

    def to_state(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name,
            "private": self.private,
            "default_branch": self.default_branch,
            "html_url": self.html_url,
            "owner_is_organization": self.owner_is_organization,
        }

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> Repository:
        return cls(**state)


@dataclass(frozen=True)
class IssueRef:
    full_name: str
    number: int
    is_pull_request: bool


@dataclass(frozen=True)
class FileRef:
    full_name: str
    path: str


def repository_node_id(full_name: str) -> str:
    return f"{REPOSITORY_PREFIX}{full_name}"


def issue_external_id(full_name: str, number: int, is_pull_request: bool) -> str:
    return f"{full_name}#{'pull' if is_pull_request else 'issue'}/{number}"


def file_external_id(full_name: str, path: str) -> str:
    return f"{full_name}:{path}"


def parse_external_id(external_id: str) -> IssueRef | FileRef:
    """The reference an external id names; ValueError for anything else."""
    if "#" in external_id:
        full_name, _, rest = external_id.partition("#")
        kind, _, number = rest.partition("/")
        if kind in ("issue", "pull") and number.isdigit() and full_name.count("/") == 1:
            return IssueRef(full_name, int(number), kind == "pull")
    elif ":" in external_id:
        full_name, _, path = external_id.partition(":")
        if full_name.count("/") == 1 and path:
            return FileRef(full_name, path)
    raise ValueError(f"{external_id!r} is not a GitHub document id")


def parse_timestamp(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def _day(value: str | None) -> str:
    moment = parse_timestamp(value)
    return moment.strftime("%Y-%m-%d") if moment else "unknown date"


def _login(user: Mapping[str, Any] | None) -> str:
    return f"@{user['login']}" if user and user.get("login") else "a deleted user"


def is_pull_request(issue: Mapping[str, Any]) -> bool:
    """The issues endpoint lists pull requests too; they carry a `pull_request` object."""
    return bool(issue.get("pull_request"))


def issue_document(
    repository: Repository,
    issue: Mapping[str, Any],
    comments: Sequence[Mapping[str, Any]],
    access: AccessList,
) -> DocumentInput:
    """An issue or pull request with its conversation, as Markdown."""
    number = int(issue["number"])
    pull = is_pull_request(issue)
    state = str(issue.get("state") or "open")
    if pull and (issue.get("pull_request") or {}).get("merged_at"):
        state = "merged"
    kind = "Pull request" if pull else "Issue"
    labels = [label["name"] for label in issue.get("labels") or [] if label.get("name")]
    assignees = [_login(user) for user in issue.get("assignees") or []]
    lines = [
        f"# {issue['title']}",
        "",
        f"{kind} #{number} in {repository.full_name} · {state} · opened by "
        f"{_login(issue.get('user'))} on {_day(issue.get('created_at'))}",
    ]
    if labels:
        lines.append(f"Labels: {', '.join(labels)}")
    if assignees:
        lines.append(f"Assignees: {', '.join(assignees)}")
    lines += ["", (issue.get("body") or "").strip() or "(no description)"]
    if comments:
        lines += ["", "## Comments"]
        for comment in comments:
            body = (comment.get("body") or "").strip()
            lines += [
                "",
                f"Comment by {_login(comment.get('user'))} ({_day(comment.get('created_at'))}): "
                f"{body}",
            ]
    text = "\n".join(lines) + "\n"
    return DocumentInput(
        external_id=issue_external_id(repository.full_name, number, pull),
        title=f"{issue['title']} ({repository.name}#{number})",
        text=text,
        url=issue.get("html_url") or "",
        mime_type="text/markdown",
        parents=(repository.node_id,),
        breadcrumb=(repository.full_name,),
        source_created_at=parse_timestamp(issue.get("created_at")),
        source_updated_at=parse_timestamp(issue.get("updated_at")),
        access=access,
        size_bytes=len(text.encode()),
    )


def file_document(
    repository: Repository, path: str, text: str, access: AccessList
) -> DocumentInput:
    """A text file on the default branch. GitHub gives no per-file dates without one commits
    request per file, so the timestamps stay empty."""
    directories = path.split("/")[:-1]
    markdown = path.lower().endswith(MARKDOWN_SUFFIXES)
    return DocumentInput(
        external_id=file_external_id(repository.full_name, path),
        title=path,
        text=text,
        url=f"{repository.html_url}/blob/{quote(repository.default_branch)}/{quote(path)}",
        mime_type="text/markdown" if markdown else "text/plain",
        parents=(repository.node_id,),
        breadcrumb=(repository.full_name, *directories),
        access=access,
        size_bytes=len(text.encode()),
    )
