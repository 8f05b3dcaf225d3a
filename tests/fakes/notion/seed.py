"""A deterministic Notion workspace for the fake: objects shaped as Notion-Version 2025-09-03
returns them (pages, databases with their data sources, blocks with type-keyed payloads and
rich text), generated from `random.Random(seed)`.

The default workspace ("Acme Robotics") has six team pages with sections nested three and four
levels deep, five databases (one of them with two data sources, one at the top of the
workspace) with their rows, every block
type the connector renders, pages longer than one page of block children, a page inside a
toggle and a sub-page of a database row: a little under 300 documents. `extra_pages` adds
generated pages under the sections, and `rows_per_data_source` scales the databases, for the
benchmark's big workspace.
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Json = dict[str, Any]

WORKSPACE_NAME = "Acme Robotics"
EPOCH = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
SEED_SPAN_DAYS = 500

PEOPLE = [
    ("Maya Lindqvist", "maya@acme-robotics.example"),
    ("Tomás Okafor", "tomas@acme-robotics.example"),
    ("Priya Raman", "priya@acme-robotics.example"),
    ("Jonas Becker", "jonas@acme-robotics.example"),
    ("Aiko Tanaka", "aiko@acme-robotics.example"),
    ("Samuel Osei", "samuel@acme-robotics.example"),
    ("Lena Novak", "lena@acme-robotics.example"),
    ("Diego Alvarez", "diego@acme-robotics.example"),
    ("Hannah Weiss", "hannah@acme-robotics.example"),
    ("Omar Haddad", "omar@acme-robotics.example"),
    ("Chloé Martin", "chloe@acme-robotics.example"),
    ("Ravi Kapoor", "ravi@acme-robotics.example"),
]

# Team pages at the top of the workspace -> sections -> pages (-> generated sub-pages).
TEAMS: dict[str, tuple[str, dict[str, list[str]]]] = {
    "Company Home": (
        "🏠",
        {
            "Mission and Values": [],
            "Company Handbook": [
                "Working Hours",
                "Expenses Policy",
                "Travel Policy",
                "Security Basics",
                "Parental Leave",
            ],
            "Office Guides": ["Berlin Office", "Lisbon Office", "Remote Setup"],
            "Glossary": [],
        },
    ),
    "Engineering": (
        "⚙️",
        {
            "Architecture": [
                "Billing Service",
                "Auth Service",
                "Search Service",
                "Notifications Service",
                "Ingestion Pipeline",
                "API Gateway",
            ],
            "Runbooks": [
                "Database Failover",
                "Rotating Secrets",
                "Scaling the Queue Workers",
                "Restoring from Backup",
                "On-call Handbook",
            ],
            "Postmortems": [
                "2024-02 API Outage",
                "2024-04 Login Failures",
                "2024-07 Delayed Emails",
                "2024-09 Search Index Corruption",
            ],
            "Engineering Onboarding": [
                "Local Development Setup",
                "Deploying to Production",
                "Code Review Guidelines",
            ],
            "Coding Guidelines": [],
            "Changelog": [],
        },
    ),
    "Product": (
        "🧭",
        {
            "Product Principles": [],
            "Specs": [
                "Fleet Dashboard v2",
                "Route Planner",
                "Offline Mode",
                "Usage-based Billing",
                "Customer Audit Log",
            ],
            "User Research": [
                "Interview: Warehouse Manager",
                "Interview: Field Technician",
                "Survey Results Q2",
            ],
        },
    ),
    "Sales": (
        "💼",
        {
            "Sales Playbook": ["Discovery Calls", "Handling Objections", "Closing Checklist"],
            "Pricing": ["Enterprise Tier", "Discount Approvals"],
            "Competitor Notes": ["RoboLogix", "AutoMate Systems", "Kinetic Fleet"],
        },
    ),
    "People and HR": (
        "🧑‍🤝‍🧑",
        {
            "Hiring": ["Interview Process", "Take-home Exercise Guide"],
            "Benefits": ["Health Insurance", "Learning Budget", "Equipment"],
            "Performance Reviews": ["Review Cycle 2024", "Promotion Criteria"],
        },
    ),
    "Marketing": (
        "📣",
        {
            "Brand Guidelines": ["Logo Usage", "Tone of Voice"],
            "Campaigns": ["Spring Launch 2024", "Trade Show: LogiMAT", "Webinar Series"],
        },
    ),
}

SUB_PAGE_KINDS = ["FAQ", "Decision Log", "Meeting Notes", "Open Questions", "Metrics"]
COMPONENTS = ["scheduler", "telemetry", "fleet API", "billing", "routing", "auth", "search"]
VERBS = ["migrate", "document", "benchmark", "refactor", "review", "monitor", "simplify"]
ADJECTIVES = ["reliable", "auditable", "fast", "cheap to run", "easy to operate", "secure"]
LANGUAGES = ["python", "bash", "sql", "typescript", "yaml"]
CODE_SNIPPETS = {
    "python": "def retry_delay(attempt: int) -> float:\n    return min(30.0, 0.5 * 2**attempt)",
    "bash": "kubectl -n prod rollout restart deployment/{component}\nkubectl -n prod get pods",
    "sql": "SELECT account_id, sum(amount) AS total\nFROM invoices\nGROUP BY account_id;",
    "typescript": (
        "export function formatEta(minutes: number): string {\n  return `${minutes} min`;\n}"
    ),
    "yaml": "service: {component}\nreplicas: 3\nresources:\n  cpu: 500m\n  memory: 1Gi",
}


@dataclass
class Workspace:
    """Everything the fake serves. Blocks include `child_page`/`child_database` blocks, whose
    ids are those of the page or database they stand for (as in Notion)."""

    bot: Json
    people: list[Json]
    pages: dict[str, Json] = field(default_factory=dict)
    databases: dict[str, Json] = field(default_factory=dict)
    data_sources: dict[str, Json] = field(default_factory=dict)
    blocks: dict[str, Json] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)
    # Pages and data sources in creation order: search's tie-break and the ids it knows.
    searchable: list[str] = field(default_factory=list)
    named: dict[str, str] = field(default_factory=dict)  # well-known title -> id, for tests


def notion_time(moment: datetime) -> str:
    """Notion reports times to the minute."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00.000Z")


def rich_text(content: str, *, link: str | None = None, code: bool = False) -> Json:
    return {
        "type": "text",
        "text": {"content": content, "link": {"url": link} if link else None},
        "annotations": {
            "bold": False,
            "italic": False,
            "strikethrough": False,
            "underline": False,
            "code": code,
            "color": "default",
        },
        "plain_text": content,
        "href": link,
    }


def mention_user(user: Json) -> Json:
    return {
        "type": "mention",
        "mention": {"type": "user", "user": {"object": "user", "id": user["id"]}},
        "annotations": rich_text("")["annotations"],
        "plain_text": f"@{user['name']}",
        "href": None,
    }


def texts(*contents: str) -> list[Json]:
    return [rich_text(content) for content in contents]


@dataclass
class Block:
    """A block before it gets its id: type, payload and children."""

    type: str
    payload: Json = field(default_factory=dict)
    children: list[Block] = field(default_factory=list)


def paragraph(*parts: Json) -> Block:
    return Block("paragraph", {"rich_text": list(parts), "color": "default"})


def text_block(kind: str, content: str, *children: Block, **extra: Any) -> Block:
    return Block(kind, {"rich_text": texts(content), "color": "default", **extra}, list(children))


class WorkspaceBuilder:
    def __init__(self, seed: int, *, extra_pages: int = 0, rows_per_data_source: int = 0) -> None:
        self.random = random.Random(seed)
        self.extra_pages = extra_pages
        self.rows_per_data_source = rows_per_data_source
        people = [
            {
                "object": "user",
                "id": self.new_id(),
                "name": name,
                "avatar_url": None,
                "type": "person",
                "person": {"email": email},
            }
            for name, email in PEOPLE
        ]
        bot = {
            "object": "user",
            "id": self.new_id(),
            "name": "Company Agents",
            "avatar_url": None,
            "type": "bot",
            "bot": {
                "owner": {"type": "workspace", "workspace": True},
                "workspace_name": WORKSPACE_NAME,
                "workspace_id": self.new_id(),
                "workspace_limits": {"max_file_upload_size_in_bytes": 5_368_709_120},
            },
        }
        self.workspace = Workspace(bot=bot, people=people)

    # --- ids, times, people -----------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def times(self) -> tuple[str, str]:
        created = EPOCH + timedelta(minutes=self.random.randrange(SEED_SPAN_DAYS * 24 * 60))
        edited = created + timedelta(minutes=self.random.randrange(60 * 24 * 40))
        latest = EPOCH + timedelta(days=SEED_SPAN_DAYS + 40)
        return notion_time(created), notion_time(min(edited, latest))

    def person(self) -> Json:
        return self.random.choice(self.workspace.people)

    def partial_user(self) -> Json:
        return {"object": "user", "id": self.person()["id"]}

    # --- objects --------------------------------------------------------------------------

    def add_page(
        self,
        title: str,
        parent: Json,
        *,
        icon: str = "📄",
        properties: Json | None = None,
        content: Sequence[Block] = (),
        container: str | None = None,
    ) -> str:
        """A page under `parent`; a `child_page` block is appended to `container` (the parent
        page or block) as Notion does. Database rows have no such block."""
        page_id = self.new_id()
        created, edited = self.times()
        author = self.partial_user()
        self.workspace.pages[page_id] = {
            "object": "page",
            "id": page_id,
            "created_time": created,
            "last_edited_time": edited,
            "created_by": author,
            "last_edited_by": self.partial_user(),
            "cover": None,
            "icon": {"type": "emoji", "emoji": icon},
            "parent": parent,
            "archived": False,
            "in_trash": False,
            "is_locked": False,
            "properties": properties
            or {"title": {"id": "title", "type": "title", "title": texts(title)}},
            "url": notion_url(title, page_id),
            "public_url": None,
        }
        self.workspace.searchable.append(page_id)
        self.workspace.children[page_id] = []
        if container is not None:
            self.append_block(
                container,
                page_id,
                {"type": "child_page", "child_page": {"title": title}},
                has_children=bool(content),
                times=(created, edited),
            )
        self.add_blocks(page_id, content, times=(created, edited))
        return page_id

    def add_database(
        self,
        title: str,
        description: str,
        parent_page: str | None,
        sources: Sequence[tuple[str, Json]],
        *,
        is_inline: bool = False,
    ) -> tuple[str, list[str]]:
        """A database under a page, or at the top of the workspace when `parent_page` is None."""
        database_id = self.new_id()
        created, edited = self.times()
        parent = (
            {"type": "page_id", "page_id": parent_page}
            if parent_page
            else {"type": "workspace", "workspace": True}
        )
        data_source_ids = [self.new_id() for _ in sources]
        self.workspace.databases[database_id] = {
            "object": "database",
            "id": database_id,
            "title": texts(title),
            "description": texts(description),
            "parent": parent,
            "is_inline": is_inline,
            "in_trash": False,
            "is_locked": False,
            "created_time": created,
            "last_edited_time": edited,
            "data_sources": [
                {"id": source_id, "name": name}
                for source_id, (name, _) in zip(data_source_ids, sources, strict=True)
            ],
            "icon": {"type": "emoji", "emoji": "🗂️"},
            "cover": None,
            "url": notion_url(title, database_id),
            "public_url": None,
        }
        for source_id, (name, schema) in zip(data_source_ids, sources, strict=True):
            self.workspace.data_sources[source_id] = {
                "object": "data_source",
                "id": source_id,
                "created_time": created,
                "last_edited_time": edited,
                "created_by": self.partial_user(),
                "last_edited_by": self.partial_user(),
                "title": texts(name),
                "description": texts(f"{name}: {description}"),
                "icon": {"type": "emoji", "emoji": "🗂️"},
                "cover": None,
                "properties": schema,
                "parent": {"type": "database_id", "database_id": database_id},
                "database_parent": parent,
                "is_inline": is_inline,
                "archived": False,
                "in_trash": False,
                "url": notion_url(name, database_id),
                "public_url": None,
            }
            self.workspace.searchable.append(source_id)
        if parent_page:
            self.append_block(
                parent_page,
                database_id,
                {"type": "child_database", "child_database": {"title": title}},
                has_children=False,
                times=(created, edited),
            )
        return database_id, data_source_ids

    def append_block(
        self,
        container: str,
        block_id: str,
        body: Json,
        *,
        has_children: bool,
        times: tuple[str, str],
    ) -> Json:
        parent = (
            {"type": "page_id", "page_id": container}
            if container in self.workspace.pages
            else {"type": "block_id", "block_id": container}
        )
        block = {
            "object": "block",
            "id": block_id,
            "parent": parent,
            "created_time": times[0],
            "last_edited_time": times[1],
            "created_by": self.partial_user(),
            "last_edited_by": self.partial_user(),
            "has_children": has_children,
            "archived": False,
            "in_trash": False,
            **body,
        }
        self.workspace.blocks[block_id] = block
        self.workspace.children.setdefault(container, []).append(block_id)
        return block

    def add_blocks(
        self, container: str, blocks: Sequence[Block], *, times: tuple[str, str]
    ) -> list[str]:
        ids = []
        for spec in blocks:
            block_id = self.new_id()
            body = {"type": spec.type, spec.type: spec.payload}
            self.append_block(
                container, block_id, body, has_children=bool(spec.children), times=times
            )
            self.workspace.children[block_id] = []
            self.add_blocks(block_id, spec.children, times=times)
            ids.append(block_id)
        return ids

    # --- content --------------------------------------------------------------------------

    def sentence(self, topic: str) -> str:
        pick = self.random.choice
        templates = [
            f"The {topic} work keeps the {pick(COMPONENTS)} {pick(ADJECTIVES)}.",
            f"We {pick(VERBS)} the {pick(COMPONENTS)} every quarter as part of {topic}.",
            f"Questions about {topic} go to the #{pick(COMPONENTS).replace(' ', '-')} channel.",
            f"Before changing {topic}, check the {pick(COMPONENTS)} dashboards and alerts.",
            f"The goal for {topic} this half is to be {pick(ADJECTIVES)} and {pick(ADJECTIVES)}.",
            f"Owners {pick(VERBS)} {topic} decisions in the weekly review.",
        ]
        return pick(templates)

    def body(self, topic: str, *, rich: bool = False) -> list[Block]:
        """A page's content: always a few paragraphs and lists; `rich` adds the rest."""
        pick = self.random.choice
        owner = self.person()
        blocks = [
            paragraph(
                rich_text(f"{self.sentence(topic)} Owner: "),
                mention_user(owner),
                rich_text(". See the "),
                rich_text("status page", link="https://status.acme-robotics.example"),
                rich_text("."),
            ),
            text_block("heading_2", "Overview"),
            text_block("paragraph", " ".join(self.sentence(topic) for _ in range(3))),
            text_block(
                "bulleted_list_item",
                f"Scope: {pick(COMPONENTS)} and {pick(COMPONENTS)}",
                text_block("bulleted_list_item", f"Out of scope: {pick(COMPONENTS)}"),
            ),
            text_block("bulleted_list_item", f"Status: {pick(['draft', 'approved', 'live'])}"),
            text_block("heading_3", "Next steps"),
            text_block("numbered_list_item", f"{pick(VERBS).capitalize()} the {topic} plan"),
            text_block("numbered_list_item", f"Share the {topic} notes with the team"),
            text_block("to_do", f"Review {topic} with {owner['name']}", checked=False),
            text_block("to_do", f"Write down the {topic} decision", checked=True),
        ]
        if not rich:
            return blocks
        language = pick(LANGUAGES)
        snippet = CODE_SNIPPETS[language].replace("{component}", pick(COMPONENTS))
        blocks += [
            Block("divider"),
            text_block(
                "toggle",
                f"Details on {topic}",
                text_block("paragraph", self.sentence(topic)),
                text_block("bulleted_list_item", self.sentence(topic)),
            ),
            Block("code", {"rich_text": texts(snippet), "caption": [], "language": language}),
            text_block("quote", f"Make {topic} boring, then make it fast."),
            Block(
                "callout",
                {
                    "rich_text": texts(f"Ask in #help before changing {topic}."),
                    "icon": {"type": "emoji", "emoji": "💡"},
                    "color": "gray_background",
                },
            ),
            self.table(topic),
        ]
        return blocks

    def table(self, topic: str) -> Block:
        rows = [["Item", "Owner", "Due"]] + [
            [f"{topic}: {self.random.choice(VERBS)}", self.person()["name"], f"2024-{month:02d}-15"]
            for month in (3, 6, 9)
        ]
        return Block(
            "table",
            {"table_width": 3, "has_column_header": True, "has_row_header": False},
            [Block("table_row", {"cells": [texts(cell) for cell in row]}) for row in rows],
        )

    def showcase(self) -> list[Block]:
        """Every block type the connector knows, for the coding guidelines page."""
        return [
            text_block("heading_1", "Coding Guidelines"),
            paragraph(
                rich_text("Run "),
                rich_text("make lint", code=True),
                rich_text(" before pushing; see the "),
                rich_text("style guide", link="https://peps.python.org/pep-0008/"),
                rich_text("."),
            ),
            text_block("heading_2", "Rules"),
            text_block(
                "bulleted_list_item",
                "Names say what things are",
                text_block(
                    "bulleted_list_item",
                    "No abbreviations",
                    text_block("bulleted_list_item", "Except id and url"),
                ),
            ),
            text_block("bulleted_list_item", "Comments say why"),
            text_block("numbered_list_item", "Write the test"),
            text_block(
                "numbered_list_item",
                "Make it pass",
                text_block("numbered_list_item", "Keep the diff small"),
            ),
            text_block("numbered_list_item", "Refactor"),
            text_block("to_do", "Read the architecture overview", checked=True),
            text_block("to_do", "Pair on a code review", checked=False),
            text_block(
                "toggle",
                "Why type hints?",
                text_block("paragraph", "They document intent and catch mistakes early."),
            ),
            Block(
                "code",
                {
                    "rich_text": texts("def greet(name: str) -> str:\n    return f'Hello {name}'"),
                    "caption": texts("A typed function"),
                    "language": "python",
                },
            ),
            text_block("quote", "Simple is better than complex."),
            Block(
                "callout",
                {
                    "rich_text": texts("Formatting is automatic: never argue about it."),
                    "icon": {"type": "emoji", "emoji": "⚠️"},
                    "color": "yellow_background",
                },
            ),
            Block("divider"),
            Block(
                "table",
                {"table_width": 2, "has_column_header": True, "has_row_header": False},
                [
                    Block("table_row", {"cells": [texts("Tool"), texts("Purpose")]}),
                    Block("table_row", {"cells": [texts("ruff"), texts("lint | format")]}),
                    Block("table_row", {"cells": [texts("mypy"), texts("types")]}),
                ],
            ),
            Block(
                "bookmark",
                {"url": "https://docs.python.org/3/", "caption": texts("Python documentation")},
            ),
            Block("equation", {"expression": "p_{99} \\leq 250\\,\\text{ms}"}),
            Block(
                "image",
                {
                    "type": "external",
                    "external": {"url": "https://images.acme-robotics.example/review-flow.png"},
                    "caption": texts("Review flow"),
                },
            ),
            Block(
                "column_list",
                {},
                [
                    Block("column", {}, [text_block("paragraph", "Left column: do")]),
                    Block("column", {}, [text_block("paragraph", "Right column: don't")]),
                ],
            ),
            Block("table_of_contents", {"color": "default"}),
            Block("unsupported", {}),
        ]

    # --- the workspace --------------------------------------------------------------------

    def build(self) -> Workspace:
        workspace = self.workspace
        workspace_parent = {"type": "workspace", "workspace": True}
        team_ids: dict[str, str] = {}
        section_ids: dict[str, str] = {}
        for team, (icon, sections) in TEAMS.items():
            team_id = self.add_page(team, workspace_parent, icon=icon, content=self.body(team)[:3])
            team_ids[team] = team_id
            workspace.named[team] = team_id
            for section, pages in sections.items():
                section_id = self.add_section(section, team_id)
                section_ids[section] = section_id
                workspace.named[section] = section_id
                for title in pages:
                    page_id = self.add_page(
                        title,
                        page_parent(section_id),
                        content=self.body(title, rich=self.random.random() < 0.4),
                        container=section_id,
                    )
                    workspace.named[title] = page_id
                    for kind in self.random.sample(SUB_PAGE_KINDS, self.random.randrange(3)):
                        sub_title = f"{title}: {kind}"
                        workspace.named[sub_title] = self.add_page(
                            sub_title,
                            page_parent(page_id),
                            content=self.body(sub_title),
                            container=page_id,
                        )
        self.add_page_inside_toggle(section_ids["Runbooks"])
        self.add_databases(team_ids, section_ids)
        # Last, so that the default workspace comes out the same whatever the size.
        for section, section_id in section_ids.items():
            for number in range(self.extra_pages_for(section)):
                self.add_page(
                    f"{section} Note {number + 1}",
                    page_parent(section_id),
                    content=self.body(f"{section} note {number + 1}"),
                    container=section_id,
                )
        return workspace

    def add_section(self, section: str, team_id: str) -> str:
        if section == "Coding Guidelines":
            content = self.showcase()
        elif section == "Changelog":
            content = self.changelog()
        elif section == "Glossary":
            content = self.glossary()
        else:
            content = self.body(section, rich=True)
        return self.add_page(section, page_parent(team_id), content=content, container=team_id)

    def extra_pages_for(self, section: str) -> int:
        if not self.extra_pages:
            return 0
        sections = sum(len(sections) for _, sections in TEAMS.values())
        share, remainder = divmod(self.extra_pages, sections)
        index = [name for _, sections in TEAMS.values() for name in sections].index(section)
        return share + (1 if index < remainder else 0)

    def changelog(self) -> list[Block]:
        """More than one page (100) of top-level blocks."""
        blocks: list[Block] = []
        for release in range(40, 0, -1):
            blocks.append(text_block("heading_3", f"Release 3.{release}"))
            blocks.append(text_block("bulleted_list_item", self.sentence(f"release 3.{release}")))
            blocks.append(text_block("bulleted_list_item", f"Fixed: {self.random.choice(VERBS)}"))
        return blocks

    def glossary(self) -> list[Block]:
        """A toggle with more than one page of children."""
        terms = [
            text_block("paragraph", f"Term {number}: {self.sentence(f'term {number}')}")
            for number in range(1, 121)
        ]
        return [
            text_block("paragraph", "Words we use, alphabetically."),
            text_block("toggle", "All terms", *terms),
        ]

    def add_page_inside_toggle(self, runbooks_id: str) -> None:
        times = self.times()
        [toggle_id] = self.add_blocks(
            runbooks_id, [text_block("toggle", "Archived runbooks")], times=times
        )
        self.workspace.blocks[toggle_id]["has_children"] = True
        title = "Legacy Deploy Process"
        self.workspace.named[title] = self.add_page(
            title,
            {"type": "block_id", "block_id": toggle_id},
            content=self.body(title),
            container=toggle_id,
        )

    def add_databases(self, team_ids: dict[str, str], section_ids: dict[str, str]) -> None:
        named = self.workspace.named
        roadmap_id, [roadmap_source] = self.add_database(
            "Engineering Roadmap",
            "What engineering is building this year, with owners and dates.",
            team_ids["Engineering"],
            [("Engineering Roadmap", roadmap_schema())],
        )
        named["Engineering Roadmap"] = roadmap_id
        rows = self.add_rows(roadmap_id, roadmap_source, self.roadmap_row, 40)
        row_title = page_title_of(self.workspace.pages[rows[0]])
        named["roadmap row"] = rows[0]
        sub_title = f"{row_title}: Design Notes"
        named[sub_title] = self.add_page(
            sub_title, page_parent(rows[0]), content=self.body(sub_title), container=rows[0]
        )
        accounts_id, [accounts_source] = self.add_database(
            "Accounts",
            "Customers and prospects, their stage and renewal dates.",
            team_ids["Sales"],
            [("Accounts", accounts_schema())],
        )
        named["Accounts"] = accounts_id
        self.add_rows(accounts_id, accounts_source, self.account_row, 40)
        meetings_id, [meetings_source] = self.add_database(
            "Meeting Notes",
            "Notes of all-hands, planning and retros.",
            team_ids["Company Home"],
            [("Meeting Notes", meetings_schema())],
            is_inline=True,
        )
        named["Meeting Notes"] = meetings_id
        self.add_rows(meetings_id, meetings_source, self.meeting_row, 30)
        hiring_id, [candidates_source, roles_source] = self.add_database(
            "Hiring Pipeline",
            "Candidates and the roles they apply for.",
            section_ids["Hiring"],
            [("Candidates", candidates_schema()), ("Open Roles", roles_schema())],
        )
        named["Hiring Pipeline"] = hiring_id
        named["Open Roles"] = roles_source
        self.add_rows(hiring_id, candidates_source, self.candidate_row, 25)
        self.add_rows(hiring_id, roles_source, self.role_row, 10)
        directory_id, [directory_source] = self.add_database(
            "Team Directory",
            "Who works here, in which team and where.",
            None,
            [("Team Directory", directory_schema())],
        )
        named["Team Directory"] = directory_id
        self.add_rows(directory_id, directory_source, self.directory_row, len(PEOPLE))

    def add_rows(self, database_id: str, source_id: str, make_row: Any, count: int) -> list[str]:
        parent = {
            "type": "data_source_id",
            "data_source_id": source_id,
            "database_id": database_id,
        }
        ids = []
        for number in range(count + self.rows_per_data_source):
            title, properties, content = make_row(number)
            ids.append(self.add_page(title, parent, properties=properties, content=content))
        return ids

    # --- rows -----------------------------------------------------------------------------

    def roadmap_row(self, number: int) -> tuple[str, Json, list[Block]]:
        pick = self.random.choice
        title = f"{pick(VERBS).capitalize()} the {pick(COMPONENTS)} ({number + 1})"
        status = pick(["Not started", "In progress", "Done"])
        properties = {
            "Name": title_value(title),
            "Status": {"id": "st", "type": "status", "status": option(status)},
            "Owner": {"id": "ow", "type": "people", "people": [self.person()]},
            "Priority": {"id": "pr", "type": "select", "select": option(pick(["P0", "P1", "P2"]))},
            "Tags": {
                "id": "tg",
                "type": "multi_select",
                "multi_select": [option(tag) for tag in self.random.sample(TAGS, 2)],
            },
            "Due": {
                "id": "du",
                "type": "date",
                "date": {"start": f"2025-{number % 12 + 1:02d}-28", "end": None, "time_zone": None},
            },
            "Estimate (days)": {
                "id": "es",
                "type": "number",
                "number": self.random.randrange(1, 30),
            },
            "Shipped": {"id": "sh", "type": "checkbox", "checkbox": status == "Done"},
            "Spec": {
                "id": "sp",
                "type": "url",
                "url": f"https://specs.acme-robotics.example/eng-{number + 1}",
            },
            "ID": {
                "id": "id",
                "type": "unique_id",
                "unique_id": {"prefix": "ENG", "number": number + 1},
            },
            "Related": {"id": "re", "type": "relation", "relation": [], "has_more": False},
        }
        content = [
            text_block("paragraph", self.sentence(title)),
            text_block("to_do", "Write the design doc", checked=status != "Not started"),
            text_block("to_do", "Ship behind a flag", checked=status == "Done"),
        ]
        return title, properties, content

    def account_row(self, number: int) -> tuple[str, Json, list[Block]]:
        pick = self.random.choice
        company = f"{pick(COMPANY_PREFIXES)} {pick(COMPANY_SUFFIXES)} {number + 1}"
        slug = re.sub(r"[^a-z0-9]+", "-", company.lower()).strip("-")
        properties = {
            "Company": title_value(company),
            "Stage": {"id": "sg", "type": "select", "select": option(pick(STAGES))},
            "ARR": {
                "id": "ar",
                "type": "number",
                "number": float(self.random.randrange(10, 900) * 1000),
            },
            "Owner": {"id": "ow", "type": "people", "people": [self.person()]},
            "Contact": {"id": "co", "type": "email", "email": f"buyer@{slug}.example"},
            "Phone": {"id": "ph", "type": "phone_number", "phone_number": "+49 30 1234567"},
            "Website": {"id": "we", "type": "url", "url": f"https://{slug}.example"},
            "Renewal": {
                "id": "rn",
                "type": "date",
                "date": {"start": f"2025-{number % 12 + 1:02d}-01", "end": None, "time_zone": None},
            },
            "Region": {"id": "rg", "type": "select", "select": option(pick(REGIONS))},
            "Notes": {
                "id": "nt",
                "type": "rich_text",
                "rich_text": texts(f"Runs {self.random.randrange(5, 400)} robots."),
            },
            "Health": {
                "id": "he",
                "type": "formula",
                "formula": {"type": "string", "string": pick(["Healthy", "At risk"])},
            },
        }
        content = [
            text_block("heading_3", "Last call"),
            text_block("paragraph", f"{company} asked about {pick(COMPONENTS)} and pricing."),
        ]
        return company, properties, content

    def meeting_row(self, number: int) -> tuple[str, Json, list[Block]]:
        pick = self.random.choice
        kind = pick(["All-hands", "Planning", "Retro", "Design review"])
        day = EPOCH + timedelta(days=7 * number)
        title = f"{kind} {day:%Y-%m-%d}"
        properties = {
            "Name": title_value(title),
            "Date": {
                "id": "dt",
                "type": "date",
                "date": {"start": f"{day:%Y-%m-%d}", "end": None, "time_zone": None},
            },
            "Type": {"id": "ty", "type": "select", "select": option(kind)},
            "Attendees": {
                "id": "at",
                "type": "people",
                "people": self.random.sample(self.workspace.people, 3),
            },
            "Summary": {"id": "su", "type": "rich_text", "rich_text": texts(self.sentence(kind))},
            "Created by": {"id": "cb", "type": "created_by", "created_by": self.person()},
        }
        content = [
            text_block("bulleted_list_item", self.sentence(kind)),
            text_block("bulleted_list_item", self.sentence(kind)),
            text_block("to_do", f"Follow up on {pick(COMPONENTS)}", checked=False),
        ]
        return title, properties, content

    def candidate_row(self, number: int) -> tuple[str, Json, list[Block]]:
        pick = self.random.choice
        name = f"Candidate {number + 1:03d}"
        properties = {
            "Name": title_value(name),
            "Role": {"id": "ro", "type": "select", "select": option(pick(ROLES))},
            "Stage": {
                "id": "sg",
                "type": "status",
                "status": option(pick(["Applied", "Interviewing", "Offer", "Hired"])),
            },
            "Interviewers": {
                "id": "iv",
                "type": "people",
                "people": self.random.sample(self.workspace.people, 2),
            },
            "Applied": {
                "id": "ap",
                "type": "date",
                "date": {"start": f"2024-{number % 12 + 1:02d}-10", "end": None, "time_zone": None},
            },
            "Score": {"id": "sc", "type": "number", "number": round(self.random.uniform(2, 5), 1)},
            "Remote": {"id": "rm", "type": "checkbox", "checkbox": self.random.random() < 0.5},
        }
        content = [
            text_block("paragraph", f"Strong on {pick(COMPONENTS)}; ask about {pick(COMPONENTS)}.")
        ]
        return name, properties, content

    def directory_row(self, number: int) -> tuple[str, Json, list[Block]]:
        person = self.workspace.people[number % len(self.workspace.people)]
        team = list(TEAMS)[number % len(TEAMS)]
        properties = {
            "Name": title_value(person["name"]),
            "Person": {"id": "pe", "type": "people", "people": [person]},
            "Team": {"id": "te", "type": "select", "select": option(team)},
            "Email": {"id": "em", "type": "email", "email": person["person"]["email"]},
            "City": {"id": "ci", "type": "select", "select": option(CITIES[number % len(CITIES)])},
            "Started": {
                "id": "st",
                "type": "date",
                "date": {"start": f"20{18 + number % 6}-0{1 + number % 9}-01", "end": None},
            },
        }
        content = [
            text_block("paragraph", f"Ask {person['name']} about {self.random.choice(COMPONENTS)}.")
        ]
        return person["name"], properties, content

    def role_row(self, number: int) -> tuple[str, Json, list[Block]]:
        pick = self.random.choice
        role = f"{ROLES[number % len(ROLES)]} {number // len(ROLES) + 1}"
        properties = {
            "Role": title_value(role),
            "Team": {"id": "te", "type": "select", "select": option(pick(list(TEAMS)))},
            "Hiring manager": {"id": "hm", "type": "people", "people": [self.person()]},
            "Openings": {"id": "op", "type": "number", "number": self.random.randrange(1, 4)},
            "Location": {
                "id": "lo",
                "type": "multi_select",
                "multi_select": [option(city) for city in self.random.sample(CITIES, 2)],
            },
        }
        content = [text_block("paragraph", f"The {role} owns the {pick(COMPONENTS)}.")]
        return role, properties, content


TAGS = ["Backend", "Frontend", "Infra", "Data", "Security"]
STAGES = ["Lead", "Qualified", "Proposal", "Negotiation", "Closed won", "Closed lost"]
REGIONS = ["EMEA", "North America", "APAC"]
ROLES = ["Backend Engineer", "Product Designer", "Account Executive", "Data Scientist"]
CITIES = ["Berlin", "Lisbon", "Remote", "Munich"]
COMPANY_PREFIXES = ["Nordic", "Atlas", "Blue River", "Summit", "Harbor", "Evergreen"]
COMPANY_SUFFIXES = ["Logistics", "Warehousing", "Freight", "Distribution", "Retail"]


def option(name: str) -> Json:
    return {
        "id": re.sub(r"[^a-z0-9]", "", name.lower())[:8] or "opt",
        "name": name,
        "color": "default",
    }


def title_value(title: str) -> Json:
    return {"id": "title", "type": "title", "title": texts(title)}


def select_schema(kind: str, names: Sequence[str]) -> Json:
    return {kind: {"options": [option(name) for name in names]}}


def schema(**columns: tuple[str, Json]) -> Json:
    """Column name -> (type, type config) as a data source's `properties`."""
    return {
        name.replace("_", " "): {
            "id": name[:4],
            "name": name.replace("_", " "),
            "type": kind,
            **config,
        }
        for name, (kind, config) in columns.items()
    }


def roadmap_schema() -> Json:
    columns = schema(
        Name=("title", {"title": {}}),
        Status=("status", select_schema("status", ["Not started", "In progress", "Done"])),
        Owner=("people", {"people": {}}),
        Priority=("select", select_schema("select", ["P0", "P1", "P2"])),
        Tags=("multi_select", select_schema("multi_select", TAGS)),
        Due=("date", {"date": {}}),
        Shipped=("checkbox", {"checkbox": {}}),
        Spec=("url", {"url": {}}),
        ID=("unique_id", {"unique_id": {"prefix": "ENG"}}),
    )
    columns["Estimate (days)"] = {
        "id": "es",
        "name": "Estimate (days)",
        "type": "number",
        "number": {"format": "number"},
    }
    return columns


def accounts_schema() -> Json:
    return schema(
        Company=("title", {"title": {}}),
        Stage=("select", select_schema("select", STAGES)),
        ARR=("number", {"number": {"format": "euro"}}),
        Owner=("people", {"people": {}}),
        Contact=("email", {"email": {}}),
        Website=("url", {"url": {}}),
        Renewal=("date", {"date": {}}),
        Region=("select", select_schema("select", REGIONS)),
    )


def meetings_schema() -> Json:
    return schema(
        Name=("title", {"title": {}}),
        Date=("date", {"date": {}}),
        Type=("select", select_schema("select", ["All-hands", "Planning", "Retro"])),
        Attendees=("people", {"people": {}}),
        Summary=("rich_text", {"rich_text": {}}),
    )


def candidates_schema() -> Json:
    return schema(
        Name=("title", {"title": {}}),
        Role=("select", select_schema("select", ROLES)),
        Stage=("status", select_schema("status", ["Applied", "Interviewing", "Offer", "Hired"])),
        Score=("number", {"number": {"format": "number"}}),
    )


def directory_schema() -> Json:
    return schema(
        Name=("title", {"title": {}}),
        Person=("people", {"people": {}}),
        Team=("select", select_schema("select", list(TEAMS))),
        Email=("email", {"email": {}}),
        City=("select", select_schema("select", CITIES)),
        Started=("date", {"date": {}}),
    )


def roles_schema() -> Json:
    return schema(
        Role=("title", {"title": {}}),
        Team=("select", select_schema("select", list(TEAMS))),
        Openings=("number", {"number": {"format": "number"}}),
        Location=("multi_select", select_schema("multi_select", CITIES)),
    )


def page_parent(page_id: str) -> Json:
    return {"type": "page_id", "page_id": page_id}


def page_title_of(page: Json) -> str:
    for value in page["properties"].values():
        if value["type"] == "title":
            return "".join(part["plain_text"] for part in value["title"])
    return ""


def notion_url(title: str, object_id: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-")
    return f"https://www.notion.so/{slug}-{object_id.replace('-', '')}"


def build_workspace(
    seed: int = 7, *, extra_pages: int = 0, rows_per_data_source: int = 0
) -> Workspace:
    return WorkspaceBuilder(
        seed, extra_pages=extra_pages, rows_per_data_source=rows_per_data_source
    ).build()


def walk_blocks(workspace: Workspace, container: str) -> Iterator[Json]:
    for block_id in workspace.children.get(container, ()):
        block = workspace.blocks[block_id]
        yield block
        if block["type"] not in ("child_page", "child_database"):
            yield from walk_blocks(workspace, block_id)
