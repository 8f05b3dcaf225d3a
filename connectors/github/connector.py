"""The GitHub connector: issues, pull requests and text files of repositories, through
`githubkit` with a personal access token (scopes `repo` and `read:org`).

Documents: an issue or pull request with its comments is one document; so is each text file
of the default branch up to 200 kB (Markdown docs, code, configuration; binaries skipped).
Every document's parents hold its repository's node id (`repo:{owner}/{repo}`), the unit the
admin picks. A public repository's documents are public; a private one's name its
collaborators' public emails and its teams (`team:{org}/{slug}`, listed by `list_groups`).

Incremental syncs ask for the issues updated since the cursor (`since`), and for files compare
the commit read last time with the branch's head: GitHub's compare endpoint lists added,
modified, renamed and removed files; past its 300-file limit, or when the old commit is no
longer an ancestor (a force push), the two trees are compared instead. What GitHub cannot tell
an incremental sync: that an issue was deleted or transferred (no tombstones). Webhooks
(`issues` deleted/transferred) and `fetch_document` (404/410) report those.

A repository is read in full again when its access list changed, so every document carries
the new one. Issues are listed in creation order, so pages stay put while people edit them;
only an issue deleted mid-sync shifts the later pages by one, and the issue that slides into a
page already read waits for its next change (or the next full sync) to be read.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar

from githubkit.exception import RateLimitExceeded, RequestError, RequestFailed, RequestTimeout
from githubkit.utils import UNSET

from connectors.base import (
    Connector,
    CredentialHelp,
    Cursor,
    SyncGenerator,
    WebhookResult,
    retry_after_seconds,
)
from connectors.documents import (
    PUBLIC,
    AccessList,
    Checkpoint,
    Deletion,
    DocumentInput,
    HierarchyNode,
    ItemFailure,
    SourceAccount,
    SourceGroup,
    SyncItem,
)
from connectors.errors import (
    ConnectorError,
    InvalidConfiguration,
    InvalidCredentials,
    ItemUnavailable,
    RateLimited,
    TransientError,
    UnexpectedResponse,
)
from connectors.github import webhooks
from connectors.github.client import GitHubApi, make_github
from connectors.github.files import (
    COMPARE_FILE_LIMIT,
    FileChange,
    TreeFile,
    all_files,
    compare_changes,
    decode_text,
    diff_trees,
    has_binary_extension,
    is_candidate,
    tree_files,
)
from connectors.github.mapping import (
    FileRef,
    IssueRef,
    Repository,
    file_document,
    file_external_id,
    is_pull_request,
    issue_document,
    issue_external_id,
    parse_external_id,
    parse_timestamp,
)
from connectors.github.state import (
    FILES_PER_CHECKPOINT,
    RepositoryCursor,
    SyncState,
    access_fingerprint,
    previous_cursors,
)

logger = logging.getLogger(__name__)

GITHUB_TIME = "%Y-%m-%dT%H:%M:%SZ"

TOKEN_ADVICE = (
    "Create a new token (a fine-grained or classic personal access token with the scopes "
    "repo and read:org) and enter it in the connection's settings."
)


class ItemGone(ItemUnavailable):
    """404 or 410: the item is gone, or the token can no longer see it."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _error_message(error: RequestFailed) -> str:
    try:
        body = error.response.json()
    except ValueError:
        return error.response.reason_phrase or str(error.response.status_code)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(error.response.status_code)


def _reset_wait(headers: Mapping[str, str]) -> float | None:
    """Seconds until X-RateLimit-Reset (epoch seconds) when the quota is spent."""
    if headers.get("x-ratelimit-remaining") != "0" or not headers.get("x-ratelimit-reset"):
        return None
    try:
        return max(0.0, float(headers["x-ratelimit-reset"]) - datetime.now(UTC).timestamp())
    except ValueError:
        return None


class GitHubConnector(Connector):
    kind = "github"
    display_name = "GitHub"
    credential_fields = ("token", "webhook_secret", "organization")
    secret_fields = ("token", "webhook_secret")
    credential_help = {
        "token": CredentialHelp(
            "Access token",
            "github.com → Settings → Developer settings → Personal access tokens (fine-grained, "
            "read-only access to contents, issues, pull requests and metadata).",
            "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/"
            "managing-your-personal-access-tokens",
        ),
        "webhook_secret": CredentialHelp(
            "Webhook secret (optional)",
            "The secret you type when adding a webhook in the organization's or repository's "
            "Settings → Webhooks, with this connection's webhook URL as its payload URL.",
            "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
        ),
        "organization": CredentialHelp(
            "Organization (optional)",
            "The organization's login as in github.com/<organization>; empty: every "
            "repository the token can read.",
            "https://docs.github.com/en/organizations/collaborating-with-groups-in-organizations/"
            "about-organizations",
        ),
    }
    handles_webhooks = True
    # GitHub grants a token 5,000 requests an hour (83 a minute); keep under it.
    requests_per_minute: ClassVar[int] = 80
    # A GitHub Enterprise Server's API lives at https://<host>/api/v3.
    self_hosted_edition: ClassVar[str] = "GitHub Enterprise Server"

    def __init__(self, credentials: Mapping[str, Any], **options: Any) -> None:
        super().__init__(credentials, **options)
        self.token = str(self.credentials.get("token") or "").strip()
        self.organization = str(self.credentials.get("organization") or "").strip()
        self.api = GitHubApi(make_github(self.token, self.base_url, self.outbound), self.call)
        self._emails: dict[str, str | None] = {}
        self._access: dict[str, AccessList] = {}

    # --- credentials and the picker -----------------------------------------------------

    def validate_credentials(self) -> SourceAccount:
        if not self.token:
            raise InvalidConfiguration(f"No GitHub token was given. {TOKEN_ADVICE}")
        response = self.call(self.api.rest.users.get_authenticated)
        try:
            user = response.json()
        except ValueError as error:  # not JSON: not GitHub's API
            raise UnexpectedResponse("GitHub", *self.last_answer()) from error
        if not isinstance(user, dict) or "id" not in user or not user.get("login"):
            raise UnexpectedResponse("GitHub", *self.last_answer())
        if self.organization:
            try:
                self.api.get(self.api.rest.orgs.get, self.organization)
            except ItemGone:
                raise InvalidConfiguration(
                    f"GitHub has no organization {self.organization!r} that this token can "
                    "see. Check the name, and that the token's owner is a member of it."
                ) from None
        return SourceAccount(
            id=str(user["id"]),
            name=user.get("name") or user["login"],
            details={
                "login": user["login"],
                "organization": self.organization or None,
                "scopes": response.headers.get("x-oauth-scopes", ""),
            },
        )

    def last_answer(self) -> tuple[int | None, str]:
        answer: tuple[int | None, str] = getattr(
            self.api.github.config.transport, "last_answer", (None, "")
        )
        return answer

    def list_hierarchy(self, parent_id: str | None = None) -> list[HierarchyNode]:
        if parent_id is not None:
            return []  # repositories are the only pickable parts
        nodes = []
        for data in self._repository_listing():
            repository = Repository.from_api(data)
            nodes.append(
                HierarchyNode(
                    id=repository.node_id,
                    title=repository.full_name,
                    kind="repository",
                    url=repository.html_url,
                    details={
                        "private": repository.private,
                        "description": data.get("description") or "",
                        "default_branch": repository.default_branch,
                        "archived": bool(data.get("archived")),
                    },
                )
            )
        return nodes

    def _repository_listing(self) -> list[dict[str, Any]]:
        rest = self.api.rest
        if self.organization:
            return self.api.all_items(rest.repos.list_for_org, self.organization, type="all")
        return self.api.all_items(
            rest.repos.list_for_authenticated_user,
            affiliation="owner,collaborator,organization_member",
        )

    def _plan(self, selected_ids: Sequence[str]) -> list[Repository]:
        repositories = [Repository.from_api(data) for data in self._repository_listing()]
        if selected_ids:
            wanted = set(selected_ids)
            repositories = [repo for repo in repositories if repo.node_id in wanted]
        return sorted(repositories, key=lambda repository: repository.full_name.lower())

    # --- syncs --------------------------------------------------------------------------

    def full_sync(
        self, selected_ids: Sequence[str], resume: Mapping[str, Any] | None = None
    ) -> SyncGenerator:
        return self._sync(selected_ids, {}, resume)

    def incremental_sync(
        self,
        selected_ids: Sequence[str],
        cursor: Cursor,
        resume: Mapping[str, Any] | None = None,
    ) -> SyncGenerator:
        return self._sync(selected_ids, previous_cursors(cursor), resume)

    def _sync(
        self,
        selected_ids: Sequence[str],
        previous: Mapping[str, RepositoryCursor],
        resume: Mapping[str, Any] | None,
    ) -> SyncGenerator:
        state = SyncState.from_json(resume) if resume else SyncState(self._plan(selected_ids))
        while (repository := state.repository) is not None:
            try:
                access = self._access_for(repository)
                earlier = previous.get(repository.full_name)
                if earlier and earlier.access != access_fingerprint(access):
                    earlier = None  # who may read it changed: every document again
                if state.phase == "issues":
                    yield from self._sync_issues(repository, access, earlier, state)
                yield from self._sync_files(repository, access, earlier, state)
            except ItemUnavailable as error:
                yield ItemFailure(
                    repository.node_id,
                    repository.full_name,
                    error.code,
                    f"The repository {repository.full_name} could not be read: {error.message}",
                )
                state.skip_repository()
                yield Checkpoint(state.to_json())
        return state.cursor()

    def _sync_issues(
        self,
        repository: Repository,
        access: AccessList,
        earlier: RepositoryCursor | None,
        state: SyncState,
    ) -> Iterator[SyncItem]:
        since = parse_timestamp(earlier.issues_since) if earlier else None
        while True:
            if state.issues_next_url is None:
                try:
                    page = self.api.first_page(
                        self.api.rest.issues.list_for_repo,
                        repository.owner,
                        repository.name,
                        state="all",
                        sort="created",
                        direction="asc",
                        # GitHub documents YYYY-MM-DDTHH:MM:SSZ; githubkit would send the
                        # datetime with a space instead of the T.
                        since=since.astimezone(UTC).strftime(GITHUB_TIME) if since else UNSET,
                    )
                except ItemGone as error:
                    if error.status != 410:
                        raise
                    # 410: the repository has issues turned off.
                    state.issues_started_at = datetime.now(UTC).isoformat()
                    state.phase = "files"
                    return
                state.issues_started_at = (page.served_at or datetime.now(UTC)).isoformat()
            else:
                page = self.api.next_page(state.issues_next_url)
            for issue in page.items:
                yield self._issue_item(repository, issue, access)
            state.issues_next_url = page.next_url
            if page.next_url is None:
                state.phase = "files"
            yield Checkpoint(state.to_json())
            if page.next_url is None:
                return

    def _issue_item(
        self, repository: Repository, issue: Mapping[str, Any], access: AccessList
    ) -> DocumentInput | ItemFailure:
        number = int(issue["number"])
        comments: list[dict[str, Any]] = []
        if issue.get("comments"):
            try:
                comments = self.api.all_items(
                    self.api.rest.issues.list_comments, repository.owner, repository.name, number
                )
            except ItemUnavailable as error:
                external_id = issue_external_id(
                    repository.full_name, number, is_pull_request(issue)
                )
                return ItemFailure(external_id, str(issue.get("title")), error.code, error.message)
        return issue_document(repository, issue, comments, access)

    def _sync_files(
        self,
        repository: Repository,
        access: AccessList,
        earlier: RepositoryCursor | None,
        state: SyncState,
    ) -> Iterator[SyncItem]:
        if not state.files_started:
            state.files_head = self._head_commit(repository)
            state.files_base = earlier.commit if earlier else None
            state.files_started = True
        changes = self._file_changes(repository, state.files_base, state.files_head)
        offset = state.files_offset
        while offset < len(changes):
            batch = changes[offset : offset + FILES_PER_CHECKPOINT]
            for change in batch:
                yield from self._file_items(repository, change, access)
            offset += len(batch)
            if offset < len(changes):
                state.files_offset = offset
                yield Checkpoint(state.to_json())
        state.finish_repository(access)
        yield Checkpoint(state.to_json())

    def _head_commit(self, repository: Repository) -> str | None:
        """The default branch's head commit, or None for an empty repository."""
        try:
            branch = self.api.get(
                self.api.rest.repos.get_branch,
                repository.owner,
                repository.name,
                repository.default_branch,
            )
        except ItemGone:
            return None
        return str(branch["commit"]["sha"])

    def _file_changes(
        self, repository: Repository, base: str | None, head: str | None
    ) -> list[FileChange]:
        if head is None or base == head:
            return []
        if base is None:
            return all_files(self._tree(repository, head).values())
        try:
            compared = self.api.get(
                self.api.rest.repos.compare_commits,
                repository.owner,
                repository.name,
                f"{base}...{head}",
            )
        except ItemGone:
            compared = None  # the old commit is gone (a force push and a garbage collection)
        # Only a head ahead of the old commit makes the listed files the whole difference.
        if compared is not None and compared.get("status") in ("ahead", "identical"):
            listed = compared.get("files") or []
            if len(listed) < COMPARE_FILE_LIMIT:
                upserts = any(entry.get("status") != "removed" for entry in listed)
                sizes = self._tree(repository, head) if upserts else {}
                return compare_changes(listed, sizes)
        new = self._tree(repository, head)
        try:
            old = self._tree(repository, base)
        except ItemGone:
            return all_files(new.values())
        return diff_trees(old, new)

    def _tree(self, repository: Repository, commit: str) -> dict[str, TreeFile]:
        tree = self.api.get(
            self.api.rest.git.get_tree, repository.owner, repository.name, commit, recursive="1"
        )
        if tree.get("truncated"):
            # Over 100,000 entries or 7 MB: GitHub lists part of it. What is listed is read.
            logger.warning("GitHub truncated the tree of %s at %s", repository.full_name, commit)
        return tree_files(tree)

    def _file_items(
        self, repository: Repository, change: FileChange, access: AccessList
    ) -> Iterator[SyncItem]:
        external_id = file_external_id(repository.full_name, change.path)
        if change.action == "remove":
            if not has_binary_extension(change.path):
                yield Deletion(external_id)
            return
        if not is_candidate(change.path, change.size):
            if change.existed:
                yield Deletion(external_id)  # it may have been indexed while it was text
            return
        try:
            blob = self.api.get(
                self.api.rest.git.get_blob, repository.owner, repository.name, change.sha
            )
        except ItemUnavailable as error:
            yield ItemFailure(external_id, change.path, error.code, error.message)
            return
        text = self._blob_text(blob)
        if text is None:
            if change.existed:
                yield Deletion(external_id)
            return
        yield file_document(repository, change.path, text, access)

    @staticmethod
    def _blob_text(blob: Mapping[str, Any]) -> str | None:
        """A blob's (or a contents answer's) text; None when binary, empty or unreadable."""
        content = blob.get("content") or ""
        if blob.get("encoding") == "base64":
            try:
                raw = base64.b64decode(content)
            except (binascii.Error, ValueError):
                return None
        elif blob.get("encoding") in ("utf-8", "utf8"):
            raw = content.encode()
        else:
            return None
        text = decode_text(raw)
        return text if text and text.strip() else None

    # --- access lists -------------------------------------------------------------------

    def _access_for(self, repository: Repository) -> AccessList:
        """Public repositories: everyone. Private ones: collaborators (owners, direct and
        through teams) by public email, plus the teams with access as groups."""
        if not repository.private:
            return PUBLIC
        if repository.full_name in self._access:
            return self._access[repository.full_name]
        rest = self.api.rest
        try:
            collaborators = self.api.all_items(
                rest.repos.list_collaborators,
                repository.owner,
                repository.name,
                affiliation="all",
            )
        except ItemUnavailable:
            collaborators = []  # listing them needs push access; the teams still apply
        emails = {email for person in collaborators if (email := self._email_of(person["login"]))}
        group_ids: set[str] = set()
        if repository.owner_is_organization:
            try:
                teams = self.api.all_items(rest.repos.list_teams, repository.owner, repository.name)
            except ItemUnavailable:
                teams = []
            group_ids = {team_group_id(repository.owner, team["slug"]) for team in teams}
        access = AccessList(
            public=False, emails=tuple(sorted(emails)), group_ids=tuple(sorted(group_ids))
        )
        self._access[repository.full_name] = access
        return access

    def _email_of(self, login: str) -> str | None:
        """A person's public email (GitHub shows no other to a token); None if hidden."""
        if login not in self._emails:
            try:
                user = self.api.get(self.api.rest.users.get_by_username, login)
            except ItemGone:
                user = {}
            email = user.get("email")
            self._emails[login] = email.strip().lower() if email else None
        return self._emails[login]

    def list_groups(self) -> Iterator[SourceGroup]:
        """The organization's teams with their members' public emails."""
        if not self.organization:
            return
        rest = self.api.rest
        for team in self.api.all_items(rest.teams.list, self.organization):
            members = self.api.all_items(
                rest.teams.list_members_in_org, self.organization, team["slug"]
            )
            emails = {email for member in members if (email := self._email_of(member["login"]))}
            yield SourceGroup(
                team_group_id(self.organization, team["slug"]),
                str(team.get("name") or team["slug"]),
                tuple(sorted(emails)),
            )

    # --- single items -------------------------------------------------------------------

    def fetch_document(self, external_id: str) -> DocumentInput | Deletion:
        try:
            reference = parse_external_id(external_id)
        except ValueError as error:
            raise ItemUnavailable(str(error)) from None
        owner, name = reference.full_name.split("/", 1)
        try:
            data = self.api.get(self.api.rest.repos.get, owner, name)
        except ItemGone:
            return Deletion(external_id)
        repository = Repository.from_api(data)
        if repository.full_name.lower() != reference.full_name.lower():
            return Deletion(external_id)  # renamed or transferred: its documents have new ids
        access = self._access_for(repository)
        if isinstance(reference, IssueRef):
            return self._fetch_issue(repository, reference, access, external_id)
        return self._fetch_file(repository, reference, access, external_id)

    def _fetch_issue(
        self, repository: Repository, reference: IssueRef, access: AccessList, external_id: str
    ) -> DocumentInput | Deletion:
        try:
            issue = self.api.get(
                self.api.rest.issues.get, repository.owner, repository.name, reference.number
            )
        except ItemGone:
            return Deletion(external_id)  # 410 for a deleted issue
        home = str(issue.get("repository_url", "")).lower()
        moved = not home.endswith(f"/repos/{reference.full_name.lower()}")  # transferred
        if moved or is_pull_request(issue) != reference.is_pull_request:
            return Deletion(external_id)
        item = self._issue_item(repository, issue, access)
        if isinstance(item, ItemFailure):
            raise ItemUnavailable(item.message)
        return item

    def _fetch_file(
        self, repository: Repository, reference: FileRef, access: AccessList, external_id: str
    ) -> DocumentInput | Deletion:
        try:
            content = self.api.get(
                self.api.rest.repos.get_content,
                repository.owner,
                repository.name,
                reference.path,
                ref=repository.default_branch,
            )
        except ItemGone:
            return Deletion(external_id)
        if not isinstance(content, dict) or content.get("type") != "file":
            return Deletion(external_id)  # a directory, a symlink or a submodule now
        if not is_candidate(reference.path, content.get("size")):
            return Deletion(external_id)
        if content.get("encoding") != "base64":  # over 1 MB the contents API leaves it out
            content = self.api.get(
                self.api.rest.git.get_blob, repository.owner, repository.name, content["sha"]
            )
        text = self._blob_text(content)
        if text is None:
            return Deletion(external_id)
        return file_document(repository, reference.path, text, access)

    # --- webhooks and errors ------------------------------------------------------------

    @classmethod
    def handle_webhook(
        cls, *, credentials: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> WebhookResult:
        secret = str(credentials.get("webhook_secret") or "")
        return webhooks.interpret_delivery(secret=secret, headers=headers, body=body)

    def classify_error(self, error: Exception) -> ConnectorError | None:
        if isinstance(error, RateLimitExceeded):
            # githubkit read Retry-After, or X-RateLimit-Reset when the hourly quota is spent.
            return RateLimited(
                "GitHub rate limit.",
                retry_after=error.retry_after.total_seconds(),
            )
        if isinstance(error, RequestFailed):
            status = error.response.status_code
            # GitHub's own message decides the branch but is not shown: a server at a wrong
            # base URL would have its body repeated to the admin.
            message = _error_message(error)
            shown = f"HTTP {status}"
            headers = error.response.headers
            if status == 401:
                return InvalidCredentials(
                    f"GitHub refused the token ({shown}): it was revoked or has expired. "
                    f"{TOKEN_ADVICE}"
                )
            if status == 403 and "saml" in message.lower():
                return InvalidCredentials(
                    f"GitHub refused the token ({shown}, single sign-on). Authorize it for the "
                    "organization's single sign-on in the token's settings on GitHub."
                )
            if status == 429 or (status == 403 and "rate limit" in message.lower()):
                wait = retry_after_seconds(headers.get("retry-after")) or _reset_wait(headers)
                return RateLimited(f"GitHub rate limit ({shown}).", retry_after=wait)
            if status in (404, 410):
                return ItemGone(f"GitHub answered {shown}: not found, or not visible.", status)
            if status >= 500:
                return TransientError(f"GitHub answered {shown}.")
            return ItemUnavailable(f"GitHub answered {shown}.")
        if isinstance(error, RequestTimeout):
            return TransientError("GitHub did not answer in time.")
        if isinstance(error, RequestError):
            return TransientError(f"Could not reach GitHub ({type(error.exc).__name__}).")
        return None


def team_group_id(organization: str, slug: str) -> str:
    # Logins are case-insensitive: "Acme-Corp" in the settings is the same org as "acme-corp".
    return f"team:{organization.lower()}/{slug}"
