"""A fake GitHub REST API on 127.0.0.1, for the real `githubkit` client pointed at it.

It speaks the wire format of the GitHub REST reference for the endpoints the connector uses:
the authenticated user, organisations, repositories, issues (pull requests included, with
`pull_request`), issue comments, branches, git trees and blobs, compare, contents,
collaborators, teams, team members and users. Lists page with `per_page`/`page` and a
`Link: <...>; rel="next", <...>; rel="last"` header; every answer carries the
`X-RateLimit-*` headers; errors are `{"message", "documentation_url", "status"}` with
GitHub's statuses: 401 "Bad credentials", 404 "Not Found", 410 for a deleted issue, 403 for a
secondary rate limit (with Retry-After) or an exhausted primary one (X-RateLimit-Remaining 0
and X-RateLimit-Reset), 429, 500 and 502.

The objects' JSON is built in shapes.py, the organisation in seed.py.
`mutate()` edits issues, adds issues and comments, deletes an issue and pushes commits that
add, modify, rename and remove files, so compare and trees reflect them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlencode

from tests.connectors.contract import Mutation
from tests.fakes.github.seed import (
    MAX_INDEXED_FILE_BYTES,
    Comment,
    Commit,
    Issue,
    Organization,
    Repository,
    build_organization,
    commit_for,
)
from tests.fakes.github.shapes import AUTHENTICATED_LOGIN, WEB, Shapes
from tests.fakes.http import FakeServer, Request, Response

TOKEN = "ghp_fakeAcmeCorpToken0000000000000000000"
WEBHOOK_SECRET = "whsec-acme-github-hooks"
DOCS = "https://docs.github.com/rest"
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
    "If you reach out to GitHub Support for help, please include the request ID "
    "0400:2F8E:1C3A4B:3D5E6F:65A1B2C3."
)


def parse_since(value: str) -> datetime | None:
    """An ISO 8601 timestamp as the API documents it (YYYY-MM-DDTHH:MM:SSZ)."""
    if "T" not in value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    body = {"message": message, "documentation_url": DOCS, "status": str(status)}
    return Response(status, body, dict(headers or {}))


def secondary_rate_limit(retry_after: int) -> Response:
    return error(403, SECONDARY_LIMIT_MESSAGE, {"Retry-After": str(retry_after)})


def too_many_requests(retry_after: int) -> Response:
    return error(429, "API rate limit exceeded. Slow down.", {"Retry-After": str(retry_after)})


def server_error() -> Response:
    return error(500, "Server Error")


def bad_gateway() -> Response:
    page = (
        b"<html><body><h1>Unicorn!</h1><p>This page is taking too long to load.</p></body></html>"
    )
    return Response(502, page, content_type="text/html; charset=utf-8")


def is_indexable(content: bytes) -> bool:
    """What the connector is expected to index: text under the size cap."""
    if len(content) > MAX_INDEXED_FILE_BYTES or b"\0" in content:
        return False
    try:
        return bool(content.decode("utf-8").strip())
    except UnicodeDecodeError:
        return False


class FakeGitHub(FakeServer):
    """A GitHub organisation `acme-corp`. `big=True`: about 2,000 documents for benchmarks."""

    def __init__(self, seed: int = 1, big: bool = False) -> None:
        super().__init__()
        self.organization: Organization = build_organization(seed, big=big)
        self.shapes = Shapes(self)
        self.valid_tokens = {TOKEN}
        self.deleted_issue_ids: set[str] = set()
        self.scripted: deque[Callable[[], Response]] = deque()
        self._rate_lock = threading.Lock()
        self._rate_remaining = 5000
        self._rate_reset = int(time.time()) + 3600
        self._mutations = 0
        self._routes: list[tuple[str, list[str], Callable[..., Response]]] = [
            ("GET", ["user"], self._authenticated_user),
            ("GET", ["user", "repos"], self._user_repositories),
            ("GET", ["users", "*"], self._user),
            ("GET", ["orgs", "*"], self._organization),
            ("GET", ["orgs", "*", "repos"], self._organization_repositories),
            ("GET", ["orgs", "*", "teams"], self._teams),
            ("GET", ["orgs", "*", "teams", "*", "members"], self._team_members),
            ("GET", ["repos", "*", "*"], self._repository),
            ("GET", ["repos", "*", "*", "issues"], self._issues),
            ("GET", ["repos", "*", "*", "issues", "*"], self._issue),
            ("GET", ["repos", "*", "*", "issues", "*", "comments"], self._comments),
            ("GET", ["repos", "*", "*", "branches", "*"], self._branch),
            ("GET", ["repos", "*", "*", "git", "trees", "*"], self._tree),
            ("GET", ["repos", "*", "*", "git", "blobs", "*"], self._blob),
            ("GET", ["repos", "*", "*", "compare", "*"], self._compare),
            ("GET", ["repos", "*", "*", "contents", "**"], self._contents),
            ("GET", ["repos", "*", "*", "collaborators"], self._collaborators),
            ("GET", ["repos", "*", "*", "teams"], self._repository_teams),
        ]

    # --- FakeSource ---------------------------------------------------------------------

    def credentials(self) -> dict[str, Any]:
        return {"token": TOKEN, "webhook_secret": WEBHOOK_SECRET, "organization": "acme-corp"}

    def revoke_credentials(self) -> None:
        self.valid_tokens.clear()

    def inject_transient_faults(self, rate: float, retry_after: int = 1) -> None:
        self.inject_faults(
            rate,
            lambda: secondary_rate_limit(retry_after),
            lambda: too_many_requests(retry_after),
            server_error,
            bad_gateway,
        )

    def exhaust_primary_rate_limit(self, reset_in_seconds: int) -> None:
        """The next request finds the hourly quota spent; it resets in `reset_in_seconds`."""
        reset = int(time.time()) + reset_in_seconds
        self.scripted.append(
            lambda: error(
                403,
                "API rate limit exceeded for user ID 1000. If you reach out to GitHub Support "
                "for help, please include the request ID 0400:2F8E:1C3A4B:3D5E6F:65A1B2C3.",
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)},
            )
        )

    def expected_external_ids(self, selected_ids: Sequence[str] = ()) -> set[str]:
        ids: set[str] = set()
        for repository in self._selected(selected_ids):
            for issue in repository.issues:
                if not issue.deleted:
                    ids.add(self.issue_external_id(repository, issue))
            for path, sha in repository.head.files.items():
                if is_indexable(self.organization.blobs[sha]):
                    ids.add(f"{repository.full_name}:{path}")
        return ids

    def selectable_id(self) -> str:
        return "repo:acme-corp/billing-service"

    def mutate(self) -> Mutation:
        self._mutations += 1
        round_ = self._mutations
        now = datetime.now(UTC).replace(microsecond=0)
        mutation = Mutation()
        organization = self.organization
        gateway = self.repository_named("api-gateway")
        billing = self.repository_named("billing-service")
        web = self.repository_named("web-app")
        handbook = self.repository_named("handbook")

        edited = gateway.issues[5]
        edited.body += f"\n\nUpdate {round_}: fixed by raising the connection pool size."
        edited.updated_at = now
        mutation.changed.add(self.issue_external_id(gateway, edited))

        commented = web.issues[10]
        commented.comments.append(
            Comment(organization.allocate_id(), "olu-a", "Verified on production.", now, now)
        )
        commented.updated_at = now
        mutation.changed.add(self.issue_external_id(web, commented))

        # A merged pull request cannot be reopened: toggle the first issue that is not one.
        closed = next(issue for issue in billing.issues[3:] if issue.merged_at is None)
        closed.state = "open" if closed.state == "closed" else "closed"
        closed.closed_at = now if closed.state == "closed" else None
        closed.updated_at = now
        mutation.changed.add(self.issue_external_id(billing, closed))

        for repository, is_pull, title in [
            (billing, False, f"Invoices show the wrong VAT rate for Norway ({round_})"),
            (handbook, True, f"Add the parental leave policy ({round_})"),
        ]:
            issue = Issue(
                number=len(repository.issues) + 1,
                id=organization.allocate_id(),
                title=title,
                body="Reported by finance during the monthly close.",
                author="priya-r",
                state="open",
                labels=["bug"] if not is_pull else ["documentation"],
                created_at=now,
                updated_at=now,
                closed_at=None,
                is_pull_request=is_pull,
            )
            repository.issues.append(issue)
            mutation.added.add(self.issue_external_id(repository, issue))

        # GitHub keeps no tombstone for a deleted issue: only webhooks and a 410 on fetch
        # tell, so it is not among the deletions an incremental sync can be held to.
        doomed = next(issue for issue in reversed(web.issues) if not issue.deleted)
        doomed.deleted = True
        self.deleted_issue_ids.add(self.issue_external_id(web, doomed))

        files = dict(gateway.head.files)
        architecture = organization.blobs[files["docs/architecture.md"]]
        files["docs/architecture.md"] = organization.store_blob(
            architecture + f"\n## Change {round_}\n\nThe router now sheds load early.\n".encode()
        )
        mutation.changed.add(f"{gateway.full_name}:docs/architecture.md")
        new_adr = f"docs/adr/{90 + round_:04d}-load-shedding.md"
        files[new_adr] = organization.store_blob(
            b"# ADR: load shedding\n\nDecision: shed load at the edge. Status: accepted.\n"
        )
        mutation.added.add(f"{gateway.full_name}:{new_adr}")
        for path in sorted(files):
            if path.startswith("docs/") and path.endswith(".md") and "old-notes" in path:
                del files[path]
                mutation.deleted.add(f"{gateway.full_name}:{path}")
        renamed_from = next(path for path in sorted(files) if path.startswith("src/"))
        renamed_to = renamed_from.replace("src/", f"src/renamed{round_}_")
        files[renamed_to] = files.pop(renamed_from)
        mutation.deleted.add(f"{gateway.full_name}:{renamed_from}")
        mutation.added.add(f"{gateway.full_name}:{renamed_to}")
        files[f"assets/diagram{round_}.png"] = organization.store_blob(b"\x89PNG\r\n\x1a\n\x00\x01")
        self._push(gateway, files, "Load shedding at the edge", now)

        handbook_files = dict(handbook.head.files)
        readme = organization.blobs[handbook_files["README.md"]]
        handbook_files["README.md"] = organization.store_blob(
            readme + f"\nRevised in round {round_}.\n".encode()
        )
        mutation.changed.add(f"{handbook.full_name}:README.md")
        self._push(handbook, handbook_files, "Revise the README", now)
        return mutation

    def webhook(
        self, event: str, payload: dict[str, Any], *, secret: str = WEBHOOK_SECRET
    ) -> tuple[dict[str, str], bytes]:
        """A delivery as GitHub posts it: JSON body, event and delivery headers, HMAC."""
        return self.delivery(event, json.dumps(payload).encode(), secret=secret)

    def delivery(
        self, event: str, body: bytes, *, secret: str = WEBHOOK_SECRET
    ) -> tuple[dict[str, str], bytes]:
        """Any body, signed as GitHub signs it."""
        signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return {
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/8e03811",
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": str(uuid.uuid4()),
            "X-GitHub-Hook-ID": "470184601",
            "X-Hub-Signature-256": f"sha256={signature}",
        }, body

    def issue_event(self, action: str, repository_name: str, number: int) -> dict[str, Any]:
        repository = self.repository_named(repository_name)
        issue = repository.issues[number - 1]
        return {
            "action": action,
            "issue": self.shapes.issue_json(repository, issue),
            "repository": self.shapes.repository_json(repository, full=True),
            "organization": {"login": self.organization.login, "id": self.organization.id},
            "sender": self.shapes.user_json(AUTHENTICATED_LOGIN),
        }

    def signed_webhook(self) -> tuple[dict[str, str], bytes]:
        return self.webhook("issues", self.issue_event("edited", "api-gateway", 3))

    def forged_webhook(self) -> tuple[dict[str, str], bytes]:
        return self.webhook(
            "issues", self.issue_event("edited", "api-gateway", 3), secret="not-the-secret"
        )

    # --- helpers for tests ----------------------------------------------------------------

    def repository_named(self, name: str) -> Repository:
        repository = self.organization.repository(name)
        assert repository is not None, name
        return repository

    @staticmethod
    def issue_external_id(repository: Repository, issue: Issue) -> str:
        kind = "pull" if issue.is_pull_request else "issue"
        return f"{repository.full_name}#{kind}/{issue.number}"

    def expected_access(self, repository_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(emails, group ids) the access list of a private repository's documents names."""
        repository = self.repository_named(repository_name)
        emails = {
            email.lower()
            for login in self.organization.collaborators(repository)
            if (email := self.organization.users[login].email)
        }
        groups = {f"team:acme-corp/{team.slug}" for team in self.organization.teams_of(repository)}
        return tuple(sorted(emails)), tuple(sorted(groups))

    def _push(self, repository: Repository, files: dict[str, str], message: str, at: datetime):
        repository.commits.append(commit_for(files, message, at, repository.head.sha))

    def _selected(self, selected_ids: Sequence[str]) -> list[Repository]:
        if not selected_ids:
            return list(self.organization.repositories)
        names = {selected.removeprefix("repo:acme-corp/") for selected in selected_ids}
        return [repo for repo in self.organization.repositories if repo.name in names]

    # --- HTTP ---------------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        super().start()
        # The shared handler writes headers and body separately; on a kept-alive connection
        # Nagle's algorithm then holds the body back until the client's delayed ACK (~40 ms).
        assert self._server is not None
        self._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        return self

    def _respond(self, request: Request) -> Response:
        response = super()._respond(request)
        with self._rate_lock:
            self._rate_remaining = max(self._rate_remaining - 1, 1)
            remaining = self._rate_remaining
        rate_headers = {
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": str(remaining),
            "X-RateLimit-Reset": str(self._rate_reset),
            "X-RateLimit-Used": str(5000 - remaining),
            "X-RateLimit-Resource": "core",
            "X-GitHub-Api-Version-Selected": next(
                (v for k, v in request.headers.items() if k.lower() == "x-github-api-version"),
                "2022-11-28",
            ),
            "X-GitHub-Request-Id": uuid.uuid4().hex[:20].upper(),
        }
        for name, value in rate_headers.items():
            response.headers.setdefault(name, value)
        return response

    def handle(self, request: Request) -> Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        authorization = headers.get("authorization", "")
        token = authorization.split(" ", 1)[1] if " " in authorization else ""
        if not token:
            return error(401, "Requires authentication")
        if token not in self.valid_tokens:
            return error(401, "Bad credentials")
        if self.scripted:
            return self.scripted.popleft()()
        segments = [unquote(part) for part in request.path.strip("/").split("/")]
        for method, pattern, handler in self._routes:
            captured = self._match(pattern, segments)
            if method == request.method and captured is not None:
                return handler(request, *captured)
        return error(404, "Not Found")

    @staticmethod
    def _match(pattern: list[str], segments: list[str]) -> list[str] | None:
        if pattern and pattern[-1] == "**":
            if len(segments) < len(pattern):
                return None
            head = segments[: len(pattern) - 1]
            rest = "/".join(segments[len(pattern) - 1 :])
            captured = FakeGitHub._match(pattern[:-1], head)
            return None if captured is None else [*captured, rest]
        if len(pattern) != len(segments):
            return None
        captured = []
        for expected, actual in zip(pattern, segments, strict=True):
            if expected == "*":
                captured.append(actual)
            elif expected != actual:
                return None
        return captured

    def _paginate(
        self,
        request: Request,
        items: Sequence[Any],
        render: Callable[[Any], Any] = lambda item: item,
    ) -> Response:
        """One page of `items`, rendering only that page (big organisations list thousands)."""
        per_page = min(max(int(request.query.get("per_page", 30)), 1), 100)
        page = max(int(request.query.get("page", 1)), 1)
        last = max(math.ceil(len(items) / per_page), 1)
        chunk = [render(item) for item in items[(page - 1) * per_page : page * per_page]]

        def link(number: int, rel: str) -> str:
            query = urlencode({**request.query, "page": str(number)})
            return f'<{self.url}{request.path}?{query}>; rel="{rel}"'

        links = []
        if page > 1:
            links.append(link(page - 1, "prev"))
        if page < last:
            links += [link(page + 1, "next"), link(last, "last")]
        if page > 1:
            links.append(link(1, "first"))
        return Response(200, chunk, {"Link": ", ".join(links)} if links else {})

    def _repo(self, owner: str, name: str) -> Repository | None:
        if owner.lower() != self.organization.login:
            return None
        return self.organization.repository(name)

    def _commit(self, repository: Repository, ref: str) -> Commit | None:
        if ref in (repository.default_branch, "HEAD"):
            return repository.head
        return next(
            (
                commit
                for commit in repository.commits
                if ref in (commit.sha, commit.tree_sha)
                or (len(ref) >= 7 and commit.sha.startswith(ref))
            ),
            None,
        )

    # --- endpoints ------------------------------------------------------------------------

    def _authenticated_user(self, request: Request) -> Response:
        user = self.organization.users[AUTHENTICATED_LOGIN]
        body = {
            **self.shapes.public_user_json(user),
            "private_gists": 0,
            "total_private_repos": 4,
            "owned_private_repos": 0,
            "disk_usage": 2048,
            "collaborators": 0,
            "two_factor_authentication": True,
        }
        return Response(
            200, body, {"X-OAuth-Scopes": "read:org, repo", "X-Accepted-OAuth-Scopes": ""}
        )

    def _user(self, request: Request, login: str) -> Response:
        user = self.organization.users.get(login)
        if user is None:
            return error(404, "Not Found")
        return Response(200, self.shapes.public_user_json(user))

    def _organization(self, request: Request, login: str) -> Response:
        if login.lower() != self.organization.login:
            return error(404, "Not Found")
        api = f"{self.url}/orgs/{login}"
        return Response(
            200,
            {
                "login": self.organization.login,
                "id": self.organization.id,
                "node_id": "O_kgDOACME",
                "url": api,
                "repos_url": f"{api}/repos",
                "events_url": f"{api}/events",
                "hooks_url": f"{api}/hooks",
                "issues_url": f"{api}/issues",
                "members_url": f"{api}/members{{/member}}",
                "public_members_url": f"{api}/public_members{{/member}}",
                "avatar_url": "https://avatars.githubusercontent.com/u/42?v=4",
                "description": "Acme Corp engineering",
                "name": "Acme Corp",
                "company": None,
                "blog": "https://acme.example",
                "location": None,
                "email": None,
                "has_organization_projects": True,
                "has_repository_projects": True,
                "public_repos": sum(1 for r in self.organization.repositories if not r.private),
                "public_gists": 0,
                "followers": 0,
                "following": 0,
                "html_url": f"{WEB}/{self.organization.login}",
                "type": "Organization",
                "created_at": "2018-01-10T09:00:00Z",
                "updated_at": "2025-01-10T09:00:00Z",
                "archived_at": None,
            },
        )

    def _organization_repositories(self, request: Request, login: str) -> Response:
        if login.lower() != self.organization.login:
            return error(404, "Not Found")
        repositories = sorted(self.organization.repositories, key=lambda repo: repo.created_at)
        return self._paginate(request, [self.shapes.repository_json(repo) for repo in repositories])

    def _user_repositories(self, request: Request) -> Response:
        repositories = sorted(self.organization.repositories, key=lambda repo: repo.pushed_at)
        return self._paginate(
            request,
            [self.shapes.repository_json(repo, full=True) for repo in reversed(repositories)],
        )

    def _teams(self, request: Request, login: str) -> Response:
        if login.lower() != self.organization.login:
            return error(404, "Not Found")
        return self._paginate(
            request, [self.shapes.team_json(team) for team in self.organization.teams]
        )

    def _team_members(self, request: Request, login: str, slug: str) -> Response:
        team = self.organization.team(slug)
        if login.lower() != self.organization.login or team is None:
            return error(404, "Not Found")
        return self._paginate(request, [self.shapes.user_json(member) for member in team.members])

    def _repository(self, request: Request, owner: str, name: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        return Response(200, self.shapes.repository_json(repository, full=True))

    def _issues(self, request: Request, owner: str, name: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        state = request.query.get("state", "open")
        issues = [
            issue
            for issue in repository.issues
            if not issue.deleted and (state == "all" or issue.state == state)
        ]
        if "since" in request.query:
            since = parse_since(request.query["since"])
            if since is None:
                return error(422, "Validation Failed")
            issues = [issue for issue in issues if issue.updated_at >= since]
        sort = request.query.get("sort", "created")
        sort_key: Callable[[Issue], Any] = {
            "created": lambda issue: (issue.created_at, issue.number),
            "updated": lambda issue: (issue.updated_at, issue.number),
            "comments": lambda issue: (len(issue.comments), issue.number),
        }[sort]
        issues.sort(key=sort_key, reverse=request.query.get("direction", "desc") == "desc")
        return self._paginate(
            request, issues, lambda issue: self.shapes.issue_json(repository, issue)
        )

    def _find_issue(
        self, request: Request, owner: str, name: str, number: str
    ) -> Response | tuple[Repository, Issue]:
        repository = self._repo(owner, name)
        if repository is None or not number.isdigit():
            return error(404, "Not Found")
        index = int(number) - 1
        if not 0 <= index < len(repository.issues):
            return error(404, "Not Found")
        issue = repository.issues[index]
        if issue.deleted:
            return error(410, "This issue was deleted")
        return repository, issue

    def _issue(self, request: Request, owner: str, name: str, number: str) -> Response:
        found = self._find_issue(request, owner, name, number)
        if isinstance(found, Response):
            return found
        return Response(200, self.shapes.issue_json(*found))

    def _comments(self, request: Request, owner: str, name: str, number: str) -> Response:
        found = self._find_issue(request, owner, name, number)
        if isinstance(found, Response):
            return found
        repository, issue = found
        comments = issue.comments
        if "since" in request.query:
            since = parse_since(request.query["since"])
            if since is None:
                return error(422, "Validation Failed")
            comments = [comment for comment in comments if comment.updated_at >= since]
        return self._paginate(
            request, [self.shapes.comment_json(repository, issue, comment) for comment in comments]
        )

    def _branch(self, request: Request, owner: str, name: str, branch: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        if branch != repository.default_branch:
            return error(404, "Branch not found")
        api = f"{self.url}/repos/{repository.full_name}"
        return Response(
            200,
            {
                "name": branch,
                "commit": self.shapes.commit_json(repository, repository.head),
                "_links": {
                    "self": f"{api}/branches/{branch}",
                    "html": f"{WEB}/{repository.full_name}/tree/{branch}",
                },
                "protected": True,
                "protection": {
                    "enabled": True,
                    "required_status_checks": {
                        "enforcement_level": "non_admins",
                        "contexts": ["ci"],
                        "checks": [{"context": "ci", "app_id": None}],
                    },
                },
                "protection_url": f"{api}/branches/{branch}/protection",
            },
        )

    def _tree(self, request: Request, owner: str, name: str, reference: str) -> Response:
        repository = self._repo(owner, name)
        commit = self._commit(repository, reference) if repository else None
        if repository is None or commit is None:
            return error(404, "Not Found")
        api = f"{self.url}/repos/{repository.full_name}"
        recursive = "recursive" in request.query
        directories: set[str] = set()
        for path in commit.files:
            parts = path.split("/")[:-1]
            directories |= {"/".join(parts[: depth + 1]) for depth in range(len(parts))}
        entries: list[dict[str, Any]] = []
        for directory in sorted(directories):
            if recursive or "/" not in directory:
                sha = hashlib.sha1(f"{commit.tree_sha}:{directory}".encode()).hexdigest()
                entries.append(
                    {
                        "path": directory,
                        "mode": "040000",
                        "type": "tree",
                        "sha": sha,
                        "url": f"{api}/git/trees/{sha}",
                    }
                )
        for path, sha in sorted(commit.files.items()):
            if recursive or "/" not in path:
                size = len(self.organization.blobs[sha])
                mode = "100755" if path.startswith("bin/") else "100644"
                entries.append(
                    {
                        "path": path,
                        "mode": mode,
                        "type": "blob",
                        "sha": sha,
                        "size": size,
                        "url": f"{api}/git/blobs/{sha}",
                    }
                )
        entries.sort(key=lambda entry: entry["path"])
        return Response(
            200,
            {
                "sha": commit.tree_sha,
                "url": f"{api}/git/trees/{commit.tree_sha}",
                "tree": entries,
                "truncated": False,
            },
        )

    def _blob(self, request: Request, owner: str, name: str, sha: str) -> Response:
        repository = self._repo(owner, name)
        known = repository is not None and any(
            sha in commit.files.values() for commit in repository.commits
        )
        if repository is None or not known:
            return error(404, "Not Found")
        content = self.organization.blobs[sha]
        encoded = base64.b64encode(content).decode()
        wrapped = "\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n"
        return Response(
            200,
            {
                "sha": sha,
                "node_id": f"B_kwDO{sha[:12]}",
                "size": len(content),
                "url": f"{self.url}/repos/{repository.full_name}/git/blobs/{sha}",
                "content": wrapped,
                "encoding": "base64",
            },
        )

    def _compare(self, request: Request, owner: str, name: str, basehead: str) -> Response:
        repository = self._repo(owner, name)
        base_ref, _, head_ref = basehead.partition("...")
        base = self._commit(repository, base_ref) if repository else None
        head = self._commit(repository, head_ref) if repository else None
        if repository is None or base is None or head is None:
            return error(404, "Not Found")
        api = f"{self.url}/repos/{repository.full_name}"
        history = repository.commits
        ahead = history[history.index(base) + 1 : history.index(head) + 1]
        old, new = base.files, head.files
        removed = sorted(old.keys() - new.keys())
        entries: list[dict[str, Any]] = []
        for path in sorted(new.keys() - old.keys()):
            renamed_from = next((gone for gone in removed if old[gone] == new[path]), None)
            if renamed_from:
                removed.remove(renamed_from)
                entries.append(
                    self.shapes.diff_entry(repository, path, new[path], "renamed", renamed_from)
                )
            else:
                entries.append(self.shapes.diff_entry(repository, path, new[path], "added"))
        for path in sorted(old.keys() & new.keys()):
            if old[path] != new[path]:
                entries.append(self.shapes.diff_entry(repository, path, new[path], "modified"))
        for path in removed:
            entries.append(self.shapes.diff_entry(repository, path, old[path], "removed"))
        entries.sort(key=lambda entry: entry["filename"])
        return Response(
            200,
            {
                "url": f"{api}/compare/{basehead}",
                "html_url": f"{WEB}/{repository.full_name}/compare/{basehead}",
                "permalink_url": f"{WEB}/{repository.full_name}/compare/{base.sha}...{head.sha}",
                "diff_url": f"{WEB}/{repository.full_name}/compare/{basehead}.diff",
                "patch_url": f"{WEB}/{repository.full_name}/compare/{basehead}.patch",
                "base_commit": self.shapes.commit_json(repository, base),
                "merge_base_commit": self.shapes.commit_json(repository, base),
                "status": "ahead" if ahead else "identical",
                "ahead_by": len(ahead),
                "behind_by": 0,
                "total_commits": len(ahead),
                "commits": [self.shapes.commit_json(repository, commit) for commit in ahead],
                "files": entries[:300],  # GitHub lists at most 300 files
            },
        )

    def _contents(self, request: Request, owner: str, name: str, path: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        commit = self._commit(repository, request.query.get("ref", repository.default_branch))
        if commit is None or path not in commit.files:
            return error(404, "Not Found")
        sha = commit.files[path]
        content = self.organization.blobs[sha]
        api = f"{self.url}/repos/{repository.full_name}"
        html = f"{WEB}/{repository.full_name}/blob/{repository.default_branch}/{path}"
        large = len(content) > 1_000_000  # GitHub leaves content empty above 1 MB
        return Response(
            200,
            {
                "type": "file",
                "encoding": "none" if large else "base64",
                "size": len(content),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": "" if large else base64.b64encode(content).decode(),
                "sha": sha,
                "url": f"{api}/contents/{path}?ref={repository.default_branch}",
                "git_url": f"{api}/git/blobs/{sha}",
                "html_url": html,
                "download_url": f"https://raw.githubusercontent.com/{repository.full_name}/{repository.default_branch}/{path}",
                "_links": {
                    "self": f"{api}/contents/{path}",
                    "git": f"{api}/git/blobs/{sha}",
                    "html": html,
                },
            },
        )

    def _collaborators(self, request: Request, owner: str, name: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        roles = self.organization.collaborators(repository)
        collaborators = []
        for login in sorted(roles):
            role = roles[login]
            levels = ["read", "triage", "write", "maintain", "admin"]
            allowed = levels[: levels.index(role) + 1]
            collaborators.append(
                {
                    **self.shapes.user_json(login),
                    "permissions": {
                        "pull": True,
                        "triage": "triage" in allowed,
                        "push": "write" in allowed,
                        "maintain": "maintain" in allowed,
                        "admin": "admin" in allowed,
                    },
                    "role_name": role,
                }
            )
        return self._paginate(request, collaborators)

    def _repository_teams(self, request: Request, owner: str, name: str) -> Response:
        repository = self._repo(owner, name)
        if repository is None:
            return error(404, "Not Found")
        teams = [
            self.shapes.team_json(team, team.repositories[repository.name])
            for team in self.organization.teams_of(repository)
        ]
        return self._paginate(request, teams)
