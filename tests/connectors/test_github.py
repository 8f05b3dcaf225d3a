"""The GitHub connector against the fake GitHub REST API, through the real githubkit client:
the shared contract, then what is GitHub's own (Link pages, access lists with teams, skipped
binaries, compare-based file changes, webhooks, secondary and primary rate limits)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from githubkit import GitHub, TokenAuthStrategy

from connectors.documents import PUBLIC, Deletion, DocumentInput
from connectors.errors import (
    InvalidConfiguration,
    InvalidCredentials,
    ItemUnavailable,
    WebhookRejected,
)
from connectors.github.connector import GitHubConnector
from connectors.github.files import MAX_FILE_BYTES
from tests.connectors.contract import ConnectorContract, drain
from tests.fakes.github.seed import MAX_INDEXED_FILE_BYTES, commit_for
from tests.fakes.github.server import TOKEN, FakeGitHub, error, secondary_rate_limit

GATEWAY = "repo:acme-corp/api-gateway"


class TestGitHubConnector(ConnectorContract):
    kind = "github"

    @pytest.fixture
    def fake(self) -> Iterator[FakeGitHub]:  # type: ignore[override]
        with FakeGitHub() as server:
            yield server

    def connector(self, fake: FakeGitHub) -> GitHubConnector:
        connector = self.make(fake)
        assert isinstance(connector, GitHubConnector)
        return connector

    # --- pages and checkpoints ------------------------------------------------------------

    def test_issues_come_in_link_header_pages(self, fake: FakeGitHub) -> None:
        drained = self.full(fake, [GATEWAY])
        issue_pages = [
            request.query
            for request in fake.requests
            if request.path == "/repos/acme-corp/api-gateway/issues"
        ]
        # 140 issues, 100 a page: the second page is the Link header's "next" URL verbatim.
        assert [query.get("page") for query in issue_pages] == [None, "2"]
        assert all(query["per_page"] == "100" and query["state"] == "all" for query in issue_pages)
        issues = [i for i in drained.ids if "#" in i]
        assert len(issues) == len(fake.repository_named("api-gateway").issues) == 140
        assert drained.checkpoints[0].state["issues_next_url"].endswith("page=2")

    def test_resuming_from_any_checkpoint_loses_and_repeats_nothing(self, fake: FakeGitHub) -> None:
        full = self.full(fake, [GATEWAY])
        expected = fake.expected_external_ids([GATEWAY])
        for stop in range(1, len(full.checkpoints)):
            first = drain(self.make(fake).full_sync([GATEWAY]), stop_after_checkpoints=stop)
            state = json.loads(json.dumps(first.checkpoints[-1].state))  # as stored
            rest = drain(self.make(fake).full_sync([GATEWAY], resume=state))
            assert set(first.ids) | set(rest.ids) == expected, stop
            assert not set(first.ids) & set(rest.ids), stop

    def test_files_are_checkpointed_in_batches(self, fake: FakeGitHub) -> None:
        gateway = fake.repository_named("api-gateway")
        files = dict(gateway.head.files)
        for number in range(150):
            content = f"# Note {number}\n\nWritten for the batch test.\n".encode()
            files[f"notes/note-{number:03d}.md"] = fake.organization.store_blob(content)
        gateway.commits.append(commit_for(files, "Many notes", gateway.head.date, gateway.head.sha))
        drained = self.full(fake, [GATEWAY])
        offsets = [c.state["files_offset"] for c in drained.checkpoints if c.state["files_offset"]]
        assert offsets == [100]
        assert set(drained.ids) == fake.expected_external_ids([GATEWAY])

    # --- documents and access -------------------------------------------------------------

    def test_documents_carry_text_links_and_dates(self, fake: FakeGitHub) -> None:
        documents = {d.external_id: d for d in self.full(fake, [GATEWAY]).documents}
        gateway = fake.repository_named("api-gateway")
        commented = next(i for i in gateway.issues if len(i.comments) >= 2)
        kind = "pull" if commented.is_pull_request else "issue"
        issue = documents[f"acme-corp/api-gateway#{kind}/{commented.number}"]
        assert issue.text.startswith(f"# {commented.title}\n")
        assert f"opened by @{commented.author}" in issue.text
        for comment in commented.comments:
            assert f"Comment by @{comment.author} (" in issue.text and comment.body in issue.text
        page = "pull" if commented.is_pull_request else "issues"
        assert issue.url == f"https://github.com/acme-corp/api-gateway/{page}/{commented.number}"
        assert issue.source_updated_at == commented.updated_at
        assert issue.parents == (GATEWAY,) and issue.breadcrumb == ("acme-corp/api-gateway",)
        readme = documents["acme-corp/api-gateway:docs/architecture.md"]
        assert readme.mime_type == "text/markdown" and readme.text.startswith("# Architecture")
        assert readme.url.endswith("/acme-corp/api-gateway/blob/trunk/docs/architecture.md")
        assert readme.breadcrumb == ("acme-corp/api-gateway", "docs")
        code = next(d for i, d in documents.items() if i.endswith(".go"))
        assert code.mime_type == "text/plain"

    def test_private_repositories_name_collaborators_and_teams(self, fake: FakeGitHub) -> None:
        drained = self.full(fake)
        emails, groups = fake.expected_access("api-gateway")
        assert "sam@rivers-consulting.example" in emails, "an outside collaborator"
        assert "dana.okafor@acme.example" in emails, "an org owner"
        assert groups == ("team:acme-corp/platform", "team:acme-corp/security")
        by_repository: dict[str, set[Any]] = {}
        for document in drained.documents:
            by_repository.setdefault(document.parents[0], set()).add(document.access)
        gateway_access = by_repository.pop(GATEWAY)
        assert len(gateway_access) == 1
        (access,) = gateway_access
        assert not access.public and access.emails == emails and access.group_ids == groups
        assert by_repository["repo:acme-corp/web-app"] == {PUBLIC}
        billing = next(iter(by_repository["repo:acme-corp/billing-service"]))
        # Collaborators with no public email are left out; their teams still cover them.
        assert billing.emails == fake.expected_access("billing-service")[0]
        assert "team:acme-corp/payments" in billing.group_ids

    def test_groups_are_the_organizations_teams(self, fake: FakeGitHub) -> None:
        groups = {group.external_id: group for group in self.connector(fake).list_groups()}
        assert set(groups) == {f"team:acme-corp/{team.slug}" for team in fake.organization.teams}
        platform = groups["team:acme-corp/platform"]
        assert platform.name == "Platform"
        assert platform.member_emails == (
            "jamal.brooks@acme.example",
            "kenji.sato@acme.example",
            "maria.chen@acme.example",
            "tomasz.kowalski@acme.example",
        )
        assert "rafael.moreno@acme.example" in groups["team:acme-corp/frontend"].member_emails

    def test_binaries_and_oversized_files_are_skipped(self, fake: FakeGitHub) -> None:
        assert MAX_FILE_BYTES == MAX_INDEXED_FILE_BYTES
        ids = set(self.full(fake, [GATEWAY]).ids)
        assert "acme-corp/api-gateway:README.md" in ids
        assert "acme-corp/api-gateway:assets/logo.png" not in ids
        assert "acme-corp/api-gateway:bin/healthcheck" not in ids  # NUL bytes, no extension
        assert "acme-corp/api-gateway:testdata/recorded-traffic.json" not in ids
        gateway = fake.repository_named("api-gateway")
        downloaded = {r.path.rsplit("/", 1)[-1] for r in fake.requests if "/git/blobs/" in r.path}
        assert gateway.head.files["assets/logo.png"] not in downloaded, "skipped by extension"
        oversized = gateway.head.files["testdata/recorded-traffic.json"]
        assert oversized not in downloaded, "skipped by the tree's size"

    # --- incremental syncs ----------------------------------------------------------------

    def test_file_changes_come_from_the_compare_endpoint(self, fake: FakeGitHub) -> None:
        cursor = self.full(fake).cursor
        assert cursor is not None
        mutation = fake.mutate()
        fake.requests.clear()
        drained = drain(self.make(fake).incremental_sync((), cursor))
        compared = [r.path for r in fake.requests if "/compare/" in r.path]
        assert {path.split("/")[3] for path in compared} == {"api-gateway", "handbook"}
        deleted = {deletion.external_id for deletion in drained.deletions}
        assert deleted == mutation.deleted  # the removed file and the renamed one's old path
        assert "acme-corp/api-gateway:assets/diagram1.png" not in drained.ids
        trees = [r.path for r in fake.requests if "/git/trees/" in r.path]
        assert len(trees) == 2, "one head tree per changed repository, for the files' sizes"

    def test_a_rewritten_history_reads_the_files_again(self, fake: FakeGitHub) -> None:
        cursor = self.full(fake, [GATEWAY]).cursor
        assert cursor is not None
        forced = json.loads(json.dumps(cursor))
        forced["repositories"]["acme-corp/api-gateway"]["commit"] = "0" * 40  # gone
        drained = drain(self.make(fake).incremental_sync([GATEWAY], forced))
        files = {i for i in fake.expected_external_ids([GATEWAY]) if ":" in i}
        assert files <= set(drained.ids) and not drained.deletions

    def test_more_changes_than_compare_lists_are_diffed_from_the_trees(
        self, fake: FakeGitHub
    ) -> None:
        cursor = self.full(fake, [GATEWAY]).cursor
        assert cursor is not None
        gateway = fake.repository_named("api-gateway")
        files = dict(gateway.head.files)
        del files["docs/runbook.md"]
        for number in range(320):
            content = f"generated table {number}\n".encode()
            files[f"generated/table_{number:03d}.sql"] = fake.organization.store_blob(content)
        gateway.commits.append(commit_for(files, "Generate", gateway.head.date, gateway.head.sha))
        drained = drain(self.make(fake).incremental_sync([GATEWAY], cursor))
        assert len([i for i in drained.ids if "generated/" in i]) == 320
        assert [d.external_id for d in drained.deletions] == [
            "acme-corp/api-gateway:docs/runbook.md"
        ]

    def test_changed_access_reads_the_repository_again(self, fake: FakeGitHub) -> None:
        cursor = self.full(fake).cursor
        assert cursor is not None
        security = fake.organization.team("security")
        assert security is not None
        security.members.append("priya-r")
        drained = drain(self.make(fake).incremental_sync((), cursor))
        assert set(drained.ids) == fake.expected_external_ids([GATEWAY])
        assert all("priya.raman@acme.example" in d.access.emails for d in drained.documents)

    # --- single items ---------------------------------------------------------------------

    def test_fetch_document_reads_issues_pulls_and_files(self, fake: FakeGitHub) -> None:
        connector = self.connector(fake)
        pull = next(i for i in fake.repository_named("web-app").issues if i.is_pull_request)
        document = connector.fetch_document(f"acme-corp/web-app#pull/{pull.number}")
        assert isinstance(document, DocumentInput) and document.title.startswith(pull.title)
        assert document.access == PUBLIC
        # The same number asked for as an issue is not that document.
        gone = connector.fetch_document(f"acme-corp/web-app#issue/{pull.number}")
        assert isinstance(gone, Deletion)
        readme = connector.fetch_document("acme-corp/handbook:README.md")
        assert isinstance(readme, DocumentInput) and readme.text.startswith("# Handbook")
        assert not readme.access.public
        assert connector.fetch_document("acme-corp/handbook:assets/logo.png") == Deletion(
            "acme-corp/handbook:assets/logo.png"
        )
        assert connector.fetch_document("acme-corp/no-such-repo#issue/1") == Deletion(
            "acme-corp/no-such-repo#issue/1"
        )
        with pytest.raises(ItemUnavailable):
            connector.fetch_document("not a github id")

    def test_a_deleted_issue_is_gone_on_fetch(self, fake: FakeGitHub) -> None:
        fake.mutate()
        (deleted,) = fake.deleted_issue_ids
        assert self.connector(fake).fetch_document(deleted) == Deletion(deleted)
        assert any(r.path.endswith("/issues/" + deleted.rsplit("/", 1)[1]) for r in fake.requests)

    # --- errors and rate limits -----------------------------------------------------------

    def test_a_revoked_token_says_what_to_do(self, fake: FakeGitHub) -> None:
        fake.revoke_credentials()
        with pytest.raises(InvalidCredentials) as raised:
            self.connector(fake).list_hierarchy()
        assert "revoked or has expired" in raised.value.message
        assert "repo and read:org" in raised.value.message

    def test_sso_enforcement_and_a_missing_token_are_explained(self, fake: FakeGitHub) -> None:
        message = (
            "Resource protected by organization SAML enforcement. You must grant your "
            "Personal Access token access to this organization."
        )
        fake.scripted.append(lambda: error(403, message))
        with pytest.raises(InvalidCredentials) as raised:
            self.connector(fake).validate_credentials()
        assert "single sign-on" in raised.value.message
        connector = GitHubConnector({"token": ""}, base_url=fake.url)
        with pytest.raises(InvalidConfiguration):
            connector.validate_credentials()

    def test_secondary_rate_limit_waits_its_retry_after(self, fake: FakeGitHub) -> None:
        fake.scripted.extend([lambda: secondary_rate_limit(7), lambda: secondary_rate_limit(7)])
        account = self.connector(fake).validate_credentials()
        assert account.name == "Dana Okafor"
        assert self.recorded_sleeps == [7.0, 7.0]

    def test_an_exhausted_quota_waits_until_it_resets(self, fake: FakeGitHub) -> None:
        fake.exhaust_primary_rate_limit(reset_in_seconds=20)
        nodes = self.connector(fake).list_hierarchy()
        assert len(nodes) == 6
        (waited,) = self.recorded_sleeps
        assert 15 <= waited <= 20

    # --- webhooks -------------------------------------------------------------------------

    def handle(self, fake: FakeGitHub, headers: dict[str, str], body: bytes) -> Any:
        return GitHubConnector.handle_webhook(
            credentials=fake.credentials(), headers=headers, body=body
        )

    def test_webhooks_name_the_issue_to_fetch_or_delete(self, fake: FakeGitHub) -> None:
        headers, body = fake.signed_webhook()
        result = self.handle(fake, headers, body)
        assert result.event_id == headers["X-GitHub-Delivery"]
        assert list(result.changed_ids) == ["acme-corp/api-gateway#issue/3"]
        deleted = fake.issue_event("deleted", "api-gateway", 3)
        result = self.handle(fake, *fake.webhook("issues", deleted))
        assert list(result.deleted_ids) == ["acme-corp/api-gateway#issue/3"]
        pull = next(i for i in fake.repository_named("web-app").issues if i.is_pull_request)
        comment = fake.issue_event("created", "web-app", pull.number)
        result = self.handle(fake, *fake.webhook("issue_comment", comment))
        assert list(result.changed_ids) == [f"acme-corp/web-app#pull/{pull.number}"]

    def test_pushes_to_the_default_branch_ask_for_a_sync(self, fake: FakeGitHub) -> None:
        repository = fake.shapes.repository_json(fake.repository_named("handbook"), full=True)
        assert repository["default_branch"] == "trunk"
        on_default = {"ref": "refs/heads/trunk", "repository": repository}
        assert self.handle(fake, *fake.webhook("push", on_default)).sync_needed
        elsewhere = {"ref": "refs/heads/feature/x", "repository": repository}
        assert not self.handle(fake, *fake.webhook("push", elsewhere)).sync_needed
        team_change = {"action": "added_to_repository", "repository": repository}
        assert self.handle(fake, *fake.webhook("team_add", team_change)).sync_needed

    def test_ping_is_answered(self, fake: FakeGitHub) -> None:
        result = self.handle(fake, *fake.webhook("ping", {"zen": "Keep it logically awesome."}))
        assert result.response == {"ok": True} and result.event_id

    @pytest.mark.parametrize("tamper", ["forged", "unsigned", "sha1", "other_body"])
    def test_webhooks_without_a_valid_signature_are_rejected(
        self, fake: FakeGitHub, tamper: str
    ) -> None:
        headers, body = fake.signed_webhook()
        if tamper == "forged":
            headers, body = fake.forged_webhook()
        elif tamper == "unsigned":
            del headers["X-Hub-Signature-256"]
        elif tamper == "sha1":
            headers["X-Hub-Signature"] = "sha1=" + headers.pop("X-Hub-Signature-256")[7:47]
        else:
            body = body.replace(b'"edited"', b'"deleted"')
        with pytest.raises(WebhookRejected) as raised:
            self.handle(fake, headers, body)
        assert raised.value.status == 401

    def test_malformed_webhook_bodies_are_rejected(self, fake: FakeGitHub) -> None:
        with pytest.raises(WebhookRejected) as raised:
            self.handle(fake, *fake.delivery("issues", b"{not json"))
        assert raised.value.status == 400
        ignored = self.handle(fake, *fake.webhook("star", {"action": "created"}))
        assert ignored.event_id and not ignored.changed_ids and not ignored.sync_needed


def test_the_fake_speaks_githubs_schema() -> None:
    """githubkit's models (from GitHub's OpenAPI description) accept what the fake answers."""
    with FakeGitHub() as fake:
        fake.mutate()
        github = GitHub(
            TokenAuthStrategy(TOKEN), base_url=fake.url, auto_retry=False, http_cache=False
        )
        rest = github.rest
        gateway = fake.repository_named("api-gateway")
        head, base = gateway.head, gateway.commits[0]
        owner, name = "acme-corp", "api-gateway"
        basehead = f"{base.sha}...{head.sha}"
        responses = [
            rest.users.get_authenticated(),
            rest.users.get_by_username("mchen"),
            rest.orgs.get(owner),
            rest.repos.list_for_org(owner),
            rest.repos.get(owner, name),
            rest.issues.list_for_repo(owner, name, state="all"),
            rest.issues.get(owner, name, 6),
            rest.issues.list_comments(owner, "web-app", 11),
            rest.repos.get_branch(owner, name, "trunk"),
            rest.git.get_tree(owner, name, head.sha, recursive="1"),
            rest.git.get_blob(owner, name, head.files["README.md"]),
            rest.repos.get_content(owner, name, "docs/runbook.md"),
            rest.repos.list_collaborators(owner, name),
            rest.repos.list_teams(owner, name),
            rest.teams.list(owner),
            rest.teams.list_members_in_org(owner, "platform"),
        ]
        for response in responses:
            assert response.parsed_data is not None, response  # validates against the model
        compared = rest.repos.compare_commits(owner, name, basehead).parsed_data
        statuses = {entry.status for entry in compared.files or []}
        assert statuses >= {"added", "modified", "removed", "renamed"}


def test_the_big_organisation_has_about_two_thousand_documents() -> None:
    fake = FakeGitHub(big=True)
    assert 1_900 <= len(fake.expected_external_ids()) <= 2_300
    assert len(fake.organization.repositories) == 10
