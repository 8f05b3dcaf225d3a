"""A deterministic GitHub organisation for the fake: people, teams, repositories with issues,
pull requests, comments and a git history of files (text, binary and oversized).

Everything comes from `random.Random(seed)`, so a failing test sees the same organisation
again. `big=True` builds about 2,000 documents for the benchmarks.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

ORGANIZATION = "acme-corp"
# Seeded activity ends here; everything `mutate` does happens at the real "now", later.
SEEDED_UNTIL = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
MAX_INDEXED_FILE_BYTES = 200_000  # the connector's cap; the fake seeds files on both sides


@dataclass
class User:
    login: str
    id: int
    name: str
    email: str | None  # the public email GET /users/{login} shows; often null on GitHub


@dataclass
class Team:
    slug: str
    id: int
    name: str
    description: str
    members: list[str]
    repositories: dict[str, str] = field(default_factory=dict)  # repo name -> permission


@dataclass
class Comment:
    id: int
    author: str
    body: str
    created_at: datetime
    updated_at: datetime


@dataclass
class Issue:
    number: int
    id: int
    title: str
    body: str
    author: str
    state: str
    labels: list[str]
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    is_pull_request: bool
    merged_at: datetime | None = None
    comments: list[Comment] = field(default_factory=list)
    deleted: bool = False


@dataclass
class Commit:
    sha: str
    tree_sha: str
    message: str
    date: datetime
    parent: str | None
    files: dict[str, str]  # path -> blob sha


@dataclass
class Repository:
    name: str
    id: int
    private: bool
    description: str
    language: str
    default_branch: str
    created_at: datetime
    direct_collaborators: dict[str, str]  # login -> role name
    issues: list[Issue] = field(default_factory=list)
    commits: list[Commit] = field(default_factory=list)  # oldest first; the last is the head

    @property
    def full_name(self) -> str:
        return f"{ORGANIZATION}/{self.name}"

    @property
    def head(self) -> Commit:
        return self.commits[-1]

    @property
    def pushed_at(self) -> datetime:
        return self.head.date


@dataclass
class Organization:
    login: str
    id: int
    users: dict[str, User]
    owners: list[str]
    teams: list[Team]
    repositories: list[Repository]
    blobs: dict[str, bytes]
    next_id: int = 900_000

    def allocate_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def repository(self, name: str) -> Repository | None:
        return next((repo for repo in self.repositories if repo.name == name), None)

    def team(self, slug: str) -> Team | None:
        return next((team for team in self.teams if team.slug == slug), None)

    def store_blob(self, content: bytes) -> str:
        sha = blob_sha(content)
        self.blobs[sha] = content
        return sha

    def collaborators(self, repository: Repository) -> dict[str, str]:
        """What GET /repos/{o}/{r}/collaborators (affiliation=all) lists: owners, direct
        collaborators and members of teams with access, with their strongest role."""
        strength = ["read", "triage", "write", "maintain", "admin"]
        roles: dict[str, str] = {}

        def grant(login: str, role: str) -> None:
            if login not in roles or strength.index(role) > strength.index(roles[login]):
                roles[login] = role

        for login in self.owners:
            grant(login, "admin")
        for login, role in repository.direct_collaborators.items():
            grant(login, role)
        for team in self.teams:
            permission = team.repositories.get(repository.name)
            if permission:
                role = {"pull": "read", "push": "write"}.get(permission, permission)
                for login in team.members:
                    grant(login, role)
        return roles

    def teams_of(self, repository: Repository) -> list[Team]:
        return [team for team in self.teams if repository.name in team.repositories]


def blob_sha(content: bytes) -> str:
    """Git's object id for a blob, as GitHub reports it."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def commit_for(files: dict[str, str], message: str, date: datetime, parent: str | None) -> Commit:
    listing = "\n".join(f"{path} {sha}" for path, sha in sorted(files.items()))
    tree_sha = hashlib.sha1(f"tree {listing}".encode()).hexdigest()
    sha = hashlib.sha1(
        f"commit {tree_sha} {parent} {message} {date.isoformat()}".encode()
    ).hexdigest()
    return Commit(sha, tree_sha, message, date, parent, dict(files))


# --- the organisation ---------------------------------------------------------------------

PEOPLE = [
    ("dana-ops", "Dana Okafor", "dana.okafor@acme.example"),
    ("mchen", "Maria Chen", "maria.chen@acme.example"),
    ("jbrooks", "Jamal Brooks", "jamal.brooks@acme.example"),
    ("priya-r", "Priya Raman", "priya.raman@acme.example"),
    ("tkowalski", "Tomasz Kowalski", "tomasz.kowalski@acme.example"),
    ("sofia-l", "Sofia Lindqvist", "sofia.lindqvist@acme.example"),
    ("ahmed-n", "Ahmed Nasser", None),
    ("lena-h", "Lena Hoffmann", "lena.hoffmann@acme.example"),
    ("kenji-s", "Kenji Sato", "kenji.sato@acme.example"),
    ("olu-a", "Oluwaseun Adeyemi", "oluwaseun.adeyemi@acme.example"),
    ("grace-k", "Grace Kim", None),
    ("rafael-m", "Rafael Moreno", "Rafael.Moreno@Acme.example"),
    ("nina-v", "Nina Volkova", "nina.volkova@acme.example"),
    ("ext-contractor", "Sam Rivers", "sam@rivers-consulting.example"),
    ("ext-auditor", "Alex Byrne", None),
    ("omar-f", "Omar Farouk", "omar.farouk@acme.example"),
]

TEAMS = [
    (
        "platform",
        "Platform",
        "Runs the gateway, the clusters and CI",
        ["mchen", "jbrooks", "tkowalski", "kenji-s"],
    ),
    (
        "payments",
        "Payments",
        "Billing, invoicing and the payment providers",
        ["priya-r", "sofia-l", "ahmed-n"],
    ),
    (
        "frontend",
        "Frontend",
        "The web app and the design system",
        ["lena-h", "olu-a", "grace-k", "rafael-m"],
    ),
    ("security", "Security", "AppSec reviews and incident response", ["nina-v", "omar-f"]),
    ("people-ops", "People Ops", "Keeps the handbook", ["sofia-l", "nina-v", "lena-h"]),
]


@dataclass(frozen=True)
class RepositorySpec:
    name: str
    private: bool
    language: str
    description: str
    issue_count: int
    teams: dict[str, str]
    collaborators: dict[str, str]
    components: tuple[str, ...]


REPOSITORY_SPECS = [
    RepositorySpec(
        "api-gateway",
        True,
        "Go",
        "Edge gateway: auth, routing and rate limits",
        140,
        {"platform": "push", "security": "pull"},
        {"ext-contractor": "write"},
        ("router", "JWT validation", "rate limiter", "TLS termination", "health checks"),
    ),
    RepositorySpec(
        "billing-service",
        True,
        "Python",
        "Subscriptions, invoices and dunning",
        80,
        {"payments": "push"},
        {"ext-auditor": "read"},
        ("invoice renderer", "Stripe webhook handler", "dunning job", "tax engine"),
    ),
    RepositorySpec(
        "web-app",
        False,
        "TypeScript",
        "The customer-facing web application",
        70,
        {"frontend": "push"},
        {},
        ("checkout page", "dashboard", "settings form", "onboarding wizard"),
    ),
    RepositorySpec(
        "handbook",
        True,
        "Markdown",
        "How we work: policies, onboarding, rituals",
        25,
        {"people-ops": "maintain"},
        {},
        ("onboarding guide", "expense policy", "on-call rota", "holiday calendar"),
    ),
    RepositorySpec(
        "infra",
        True,
        "HCL",
        "Terraform and Kubernetes manifests",
        30,
        {"platform": "admin"},
        {},
        ("staging cluster", "Terraform state", "ingress controller", "backup job"),
    ),
    RepositorySpec(
        "design-system",
        False,
        "TypeScript",
        "Shared React components and tokens",
        20,
        {"frontend": "maintain"},
        {},
        ("Button", "DatePicker", "colour tokens", "Modal"),
    ),
    # Only in the big organisation:
    RepositorySpec(
        "search-service",
        True,
        "Rust",
        "Full-text and vector search",
        0,
        {"platform": "push"},
        {},
        ("indexer", "query planner", "ranking"),
    ),
    RepositorySpec(
        "notifications",
        False,
        "Python",
        "Email, SMS and push delivery",
        0,
        {"platform": "push"},
        {},
        ("email sender", "SMS provider", "digest job"),
    ),
    RepositorySpec(
        "data-pipeline",
        True,
        "Python",
        "Nightly ETL into the warehouse",
        0,
        {"payments": "pull", "platform": "push"},
        {},
        ("ingest step", "dbt models", "warehouse loader"),
    ),
    RepositorySpec(
        "mobile-app",
        False,
        "Kotlin",
        "Android and iOS clients",
        0,
        {"frontend": "push"},
        {},
        ("login screen", "offline cache", "push handler"),
    ),
]

ISSUE_TITLES = [
    "{component} returns 500 when the request has no body",
    "{component} times out under load",
    "Add metrics to the {component}",
    "Document how the {component} works",
    "Flaky test in the {component} suite",
    "{component}: memory grows after each deploy",
    "Support retries in the {component}",
    "Remove the deprecated flag from the {component}",
    "{component} logs secrets at debug level",
    "Speed up the {component} by caching lookups",
]
PULL_TITLES = [
    "Fix the {component} crash on empty input",
    "Refactor the {component} into smaller functions",
    "Bump dependencies of the {component}",
    "Add tests for the {component}",
    "Make the {component} configurable",
]
LABELS = ["bug", "enhancement", "documentation", "performance", "security", "good first issue"]
COMMENTS = [
    "I can reproduce this on staging with the latest build.",
    "Looks like a regression from last week's release; bisecting now.",
    "Could we add a test that covers this case before merging?",
    "LGTM once CI is green. Thanks for picking this up!",
    "This also affects the {component} in production, raising the priority.",
    "Workaround for now: restart the pod and clear the cache.",
    "I pushed a fix, can you take another look?",
    "Closing as a duplicate of the earlier report.",
]


def issue_body(rng: random.Random, component: str, is_pull: bool) -> str:
    if is_pull:
        return (
            f"## Summary\nThis changes the {component} so that it "
            f"{rng.choice(['handles empty input', 'retries on timeouts', 'logs less'])}.\n\n"
            f"## Testing\n- unit tests for the {component}\n- ran it against staging\n"
        )
    return (
        f"## Steps to reproduce\n1. Deploy the {component}\n2. Send "
        f"{rng.randint(10, 500)} requests per second\n\n## Expected\nThe {component} keeps "
        f"answering.\n\n## Actual\nIt {rng.choice(['fails', 'stalls', 'returns errors'])} "
        f"after about {rng.randint(2, 40)} minutes.\n"
    )


def seeded_files(rng: random.Random, spec: RepositorySpec, extra_docs: int) -> dict[str, bytes]:
    """The repository's files at its first commit: docs, code, and files to be skipped."""
    title = spec.name.replace("-", " ").title()
    files: dict[str, bytes] = {
        "README.md": (
            f"# {title}\n\n{spec.description}.\n\n## Getting started\n\n"
            f"Run `make dev` and open the {spec.components[0]}.\n"
        ).encode(),
        "CONTRIBUTING.md": b"# Contributing\n\nOpen a pull request; one review is required.\n",
        "docs/architecture.md": (
            f"# Architecture of {title}\n\n"
            + "".join(f"## The {c}\n\nThe {c} is owned by the team.\n\n" for c in spec.components)
        ).encode(),
        "docs/runbook.md": (
            f"# Runbook\n\nWhen the {spec.components[-1]} pages, check the dashboard first.\n"
        ).encode(),
        "docs/old-notes.md": b"# Old notes\n\nKept for history; superseded by the runbook.\n",
        ".github/workflows/ci.yml": (
            b"name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        ),
        "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
        + bytes(rng.randrange(256) for _ in range(300)),
    }
    for number in range(1, extra_docs + 1):
        component = spec.components[number % len(spec.components)]
        files[f"docs/adr/{number:04d}-{component.lower().replace(' ', '-')}.md"] = (
            f"# ADR {number}: how the {component} stores its state\n\n"
            f"Decision: keep it in Postgres. Status: accepted.\n"
        ).encode()
    extension = {
        "Go": "go",
        "Python": "py",
        "TypeScript": "ts",
        "Rust": "rs",
        "Kotlin": "kt",
        "HCL": "tf",
        "Markdown": "md",
    }[spec.language]
    for component in spec.components:
        stem = component.lower().replace(" ", "_")
        files[f"src/{stem}.{extension}"] = (
            f"// {component}: part of {spec.name}\n"
            f"// Handles {rng.choice(['requests', 'events', 'jobs'])} for the {component}.\n"
            + "".join(f"const limit{i} = {rng.randint(1, 999)}\n" for i in range(5))
        ).encode()
    if spec.private and spec.name == "api-gateway":
        # A text file over the size cap, and a binary without a telling extension.
        files["testdata/recorded-traffic.json"] = (
            b'{"requests": [' + b'{"path": "/v1/ping"},' * 12_000 + b"{}]}"
        )
        files["bin/healthcheck"] = b"\x7fELF\x02\x01\x01\x00" + bytes(200)
    return files


def build_organization(seed: int = 1, big: bool = False) -> Organization:
    rng = random.Random(seed)
    users = {
        login: User(login, 1000 + index, name, email)
        for index, (login, name, email) in enumerate(PEOPLE)
    }
    teams = [
        Team(slug, 200 + index, name, description, list(members))
        for index, (slug, name, description, members) in enumerate(TEAMS)
    ]
    organization = Organization(ORGANIZATION, 42, users, ["dana-ops"], teams, [], {})
    specs = REPOSITORY_SPECS if big else REPOSITORY_SPECS[:6]
    for index, spec in enumerate(specs):
        issue_count = 180 if big else spec.issue_count
        created = datetime(2023, 3, 1, 9, 0, tzinfo=UTC) + timedelta(days=17 * index)
        repository = Repository(
            name=spec.name,
            id=5_000 + index,
            private=spec.private,
            description=spec.description,
            language=spec.language,
            default_branch="main" if index % 3 else "trunk",
            created_at=created,
            direct_collaborators=dict(spec.collaborators),
        )
        for slug, permission in spec.teams.items():
            team = organization.team(slug)
            assert team is not None
            team.repositories[spec.name] = permission
        files = seeded_files(rng, spec, extra_docs=14 if big else 2 + index % 3)
        commit = commit_for(
            {path: organization.store_blob(content) for path, content in files.items()},
            "Initial import",
            created,
            None,
        )
        repository.commits.append(commit)
        add_issues(rng, organization, repository, spec, issue_count, created)
        organization.repositories.append(repository)
    return organization


def add_issues(
    rng: random.Random,
    organization: Organization,
    repository: Repository,
    spec: RepositorySpec,
    count: int,
    since: datetime,
) -> None:
    logins = list(organization.users)
    span = (SEEDED_UNTIL - timedelta(days=30) - since) / max(count, 1)
    for number in range(1, count + 1):
        created_at = (since + span * number).replace(microsecond=0)
        created_at += timedelta(minutes=rng.randint(0, 600))
        is_pull = rng.random() < 0.35
        component = rng.choice(spec.components)
        title = rng.choice(PULL_TITLES if is_pull else ISSUE_TITLES).format(component=component)
        comments: list[Comment] = []
        moment = created_at
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3, 5])):
            moment += timedelta(hours=rng.randint(1, 72))
            comments.append(
                Comment(
                    organization.allocate_id(),
                    rng.choice(logins),
                    rng.choice(COMMENTS).format(component=component),
                    moment,
                    moment,
                )
            )
        updated_at = min(moment + timedelta(hours=rng.randint(0, 48)), SEEDED_UNTIL)
        closed = rng.random() < 0.55
        repository.issues.append(
            Issue(
                number=number,
                id=organization.allocate_id(),
                title=title[0].upper() + title[1:],
                body=issue_body(rng, component, is_pull) if rng.random() < 0.9 else "",
                author=rng.choice(logins),
                state="closed" if closed else "open",
                labels=sorted(set(rng.sample(LABELS, rng.randint(0, 2)))),
                created_at=created_at,
                updated_at=updated_at,
                closed_at=updated_at if closed else None,
                is_pull_request=is_pull,
                merged_at=updated_at if is_pull and closed and rng.random() < 0.8 else None,
                comments=comments,
            )
        )
