"""The JSON the fake GitHub answers with, field for field as the GitHub REST reference
describes each object (githubkit's models, generated from GitHub's OpenAPI description,
validate them in tests/connectors/test_github.py)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Protocol

from tests.fakes.github.seed import Comment, Commit, Issue, Organization, Repository, Team, User

WEB = "https://github.com"
AUTHENTICATED_LOGIN = "dana-ops"


def timestamp(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


class Served(Protocol):
    url: str
    organization: Organization


class Shapes:
    def __init__(self, served: Served) -> None:
        self.served = served

    @property
    def url(self) -> str:
        return self.served.url

    @property
    def organization(self) -> Organization:
        return self.served.organization

    def user_json(self, login: str, kind: str = "User") -> dict[str, Any]:
        user_id = self.organization.users[login].id if login in self.organization.users else 42
        api = f"{self.url}/users/{login}"
        return {
            "login": login,
            "id": user_id,
            "node_id": f"MDQ6VXNlcj{user_id}",
            "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": f"{WEB}/{login}",
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": kind,
            "user_view_type": "public",
            "site_admin": False,
        }

    def public_user_json(self, user: User) -> dict[str, Any]:
        return {
            **self.user_json(user.login),
            "name": user.name,
            "company": "@acme-corp",
            "blog": "",
            "location": None,
            "email": user.email,
            "hireable": None,
            "bio": None,
            "twitter_username": None,
            "public_repos": 3,
            "public_gists": 0,
            "followers": 12,
            "following": 4,
            "created_at": "2019-04-02T08:00:00Z",
            "updated_at": "2025-01-15T10:00:00Z",
        }

    def repository_json(self, repository: Repository, full: bool = False) -> dict[str, Any]:
        api = f"{self.url}/repos/{repository.full_name}"
        owner = self.organization.login
        body: dict[str, Any] = {
            "id": repository.id,
            "node_id": f"R_kgDO{repository.id}",
            "name": repository.name,
            "full_name": repository.full_name,
            "owner": {**self.user_json(owner, "Organization"), "id": self.organization.id},
            "private": repository.private,
            "html_url": f"{WEB}/{repository.full_name}",
            "description": repository.description,
            "fork": False,
            "url": api,
            "visibility": "private" if repository.private else "public",
            "default_branch": repository.default_branch,
            "language": repository.language,
            "archived": False,
            "disabled": False,
            "created_at": timestamp(repository.created_at),
            "updated_at": timestamp(repository.pushed_at),
            "pushed_at": timestamp(repository.pushed_at),
            "permissions": {
                "admin": True,
                "maintain": True,
                "push": True,
                "triage": True,
                "pull": True,
            },
        }
        for template in [
            "archive_url:/{archive_format}{/ref}",
            "assignees_url:/assignees{/user}",
            "blobs_url:/git/blobs{/sha}",
            "branches_url:/branches{/branch}",
            "collaborators_url:/collaborators{/collaborator}",
            "comments_url:/comments{/number}",
            "commits_url:/commits{/sha}",
            "compare_url:/compare/{base}...{head}",
            "contents_url:/contents/{+path}",
            "contributors_url:/contributors",
            "deployments_url:/deployments",
            "downloads_url:/downloads",
            "events_url:/events",
            "forks_url:/forks",
            "git_commits_url:/git/commits{/sha}",
            "git_refs_url:/git/refs{/sha}",
            "git_tags_url:/git/tags{/sha}",
            "issue_comment_url:/issues/comments{/number}",
            "issue_events_url:/issues/events{/number}",
            "issues_url:/issues{/number}",
            "keys_url:/keys{/key_id}",
            "labels_url:/labels{/name}",
            "languages_url:/languages",
            "merges_url:/merges",
            "milestones_url:/milestones{/number}",
            "notifications_url:/notifications{?since,all,participating}",
            "pulls_url:/pulls{/number}",
            "releases_url:/releases{/id}",
            "stargazers_url:/stargazers",
            "statuses_url:/statuses/{sha}",
            "subscribers_url:/subscribers",
            "subscription_url:/subscription",
            "tags_url:/tags",
            "teams_url:/teams",
            "trees_url:/git/trees{/sha}",
            "hooks_url:/hooks",
        ]:
            key, suffix = template.split(":", 1)
            body[key] = api + suffix
        if full:
            open_issues = sum(1 for i in repository.issues if i.state == "open" and not i.deleted)
            body |= {
                "git_url": f"git://github.com/{repository.full_name}.git",
                "ssh_url": f"git@github.com:{repository.full_name}.git",
                "clone_url": f"{WEB}/{repository.full_name}.git",
                "svn_url": f"{WEB}/{repository.full_name}",
                "mirror_url": None,
                "homepage": None,
                "forks_count": 0,
                "forks": 0,
                "stargazers_count": 3,
                "watchers_count": 3,
                "watchers": 3,
                "size": 1024,
                "open_issues_count": open_issues,
                "open_issues": open_issues,
                "has_issues": True,
                "has_projects": True,
                "has_wiki": False,
                "has_pages": False,
                "has_discussions": False,
                "subscribers_count": 5,
                "network_count": 0,
                "license": None,
                "topics": [],
            }
        return body

    def issue_json(self, repository: Repository, issue: Issue) -> dict[str, Any]:
        api = f"{self.url}/repos/{repository.full_name}"
        kind = "pull" if issue.is_pull_request else "issues"
        body: dict[str, Any] = {
            "id": issue.id,
            "node_id": f"I_kwDO{issue.id}",
            "url": f"{api}/issues/{issue.number}",
            "repository_url": api,
            "labels_url": f"{api}/issues/{issue.number}/labels{{/name}}",
            "comments_url": f"{api}/issues/{issue.number}/comments",
            "events_url": f"{api}/issues/{issue.number}/events",
            "html_url": f"{WEB}/{repository.full_name}/{kind}/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": "completed" if issue.state == "closed" else None,
            "title": issue.title,
            "body": issue.body or None,
            "user": self.user_json(issue.author),
            "labels": [self.label_json(repository, name) for name in issue.labels],
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": len(issue.comments),
            "closed_at": timestamp(issue.closed_at),
            "created_at": timestamp(issue.created_at),
            "updated_at": timestamp(issue.updated_at),
            "author_association": "MEMBER",
        }
        if issue.is_pull_request:
            body["draft"] = False
            body["pull_request"] = {
                "url": f"{api}/pulls/{issue.number}",
                "html_url": f"{WEB}/{repository.full_name}/pull/{issue.number}",
                "diff_url": f"{WEB}/{repository.full_name}/pull/{issue.number}.diff",
                "patch_url": f"{WEB}/{repository.full_name}/pull/{issue.number}.patch",
                "merged_at": timestamp(issue.merged_at),
            }
        return body

    def label_json(self, repository: Repository, name: str) -> dict[str, Any]:
        label_id = int(hashlib.sha1(name.encode()).hexdigest()[:7], 16)
        return {
            "id": label_id,
            "node_id": f"LA_kwDO{label_id}",
            "url": f"{self.url}/repos/{repository.full_name}/labels/{name}",
            "name": name,
            "description": None,
            "color": "d73a4a",
            "default": name in ("bug", "enhancement", "documentation"),
            "archived_at": None,
            "archived_by": None,
        }

    def comment_json(
        self, repository: Repository, issue: Issue, comment: Comment
    ) -> dict[str, Any]:
        api = f"{self.url}/repos/{repository.full_name}"
        kind = "pull" if issue.is_pull_request else "issues"
        page = f"{WEB}/{repository.full_name}/{kind}/{issue.number}"
        return {
            "id": comment.id,
            "node_id": f"IC_kwDO{comment.id}",
            "url": f"{api}/issues/comments/{comment.id}",
            "html_url": f"{page}#issuecomment-{comment.id}",
            "body": comment.body,
            "user": self.user_json(comment.author),
            "created_at": timestamp(comment.created_at),
            "updated_at": timestamp(comment.updated_at),
            "issue_url": f"{api}/issues/{issue.number}",
            "author_association": "MEMBER",
        }

    def team_json(self, team: Team, permission: str | None = None) -> dict[str, Any]:
        api = f"{self.url}/organizations/{self.organization.id}/team/{team.id}"
        body: dict[str, Any] = {
            "id": team.id,
            "node_id": f"T_kwDO{team.id}",
            "url": api,
            "html_url": f"{WEB}/orgs/{self.organization.login}/teams/{team.slug}",
            "name": team.name,
            "slug": team.slug,
            "description": team.description,
            "privacy": "closed",
            "notification_setting": "notifications_enabled",
            "permission": permission or "pull",
            "members_url": f"{api}/members{{/member}}",
            "repositories_url": f"{api}/repos",
            "type": "organization",
            "organization_id": self.organization.id,
            "parent": None,
        }
        if permission:
            levels = ["pull", "triage", "push", "maintain", "admin"]
            body["permissions"] = {
                level: levels.index(level) <= levels.index(permission) for level in levels
            }
        return body

    def commit_json(self, repository: Repository, commit: Commit) -> dict[str, Any]:
        api = f"{self.url}/repos/{repository.full_name}"
        signature = {
            "name": "Dana Okafor",
            "email": "dana.okafor@acme.example",
            "date": timestamp(commit.date),
        }
        return {
            "url": f"{api}/commits/{commit.sha}",
            "sha": commit.sha,
            "node_id": f"C_kwDO{commit.sha[:12]}",
            "html_url": f"{WEB}/{repository.full_name}/commit/{commit.sha}",
            "comments_url": f"{api}/commits/{commit.sha}/comments",
            "commit": {
                "url": f"{api}/git/commits/{commit.sha}",
                "author": signature,
                "committer": signature,
                "message": commit.message,
                "comment_count": 0,
                "tree": {"sha": commit.tree_sha, "url": f"{api}/git/trees/{commit.tree_sha}"},
                "verification": {
                    "verified": False,
                    "reason": "unsigned",
                    "payload": None,
                    "signature": None,
                    "verified_at": None,
                },
            },
            "author": self.user_json(AUTHENTICATED_LOGIN),
            "committer": self.user_json(AUTHENTICATED_LOGIN),
            "parents": (
                [
                    {
                        "sha": commit.parent,
                        "url": f"{api}/commits/{commit.parent}",
                        "html_url": f"{WEB}/{repository.full_name}/commit/{commit.parent}",
                    }
                ]
                if commit.parent
                else []
            ),
        }

    def diff_entry(
        self, repository: Repository, path: str, sha: str, status: str, previous: str = ""
    ) -> dict[str, Any]:
        lines = self.organization.blobs[sha].count(b"\n")
        entry: dict[str, Any] = {
            "sha": sha,
            "filename": path,
            "status": status,
            "additions": lines if status in ("added", "modified") else 0,
            "deletions": lines if status == "removed" else 0,
            "changes": lines,
            "blob_url": f"{WEB}/{repository.full_name}/blob/{sha}/{path}",
            "raw_url": f"{WEB}/{repository.full_name}/raw/{sha}/{path}",
            "contents_url": f"{self.url}/repos/{repository.full_name}/contents/{path}?ref={sha}",
        }
        if previous:
            entry["previous_filename"] = previous
        return entry
