"""A deterministic Google Workspace for the fake Drive: Northwind Robotics, with people,
nested groups, shared drives per team, the IT admin's My Drive, nested folders and a few
hundred files (Docs, Sheets, Slides, PDFs, Word, PowerPoint, Excel, text) shared every way
Drive allows: anyone with the link, the whole domain, a partner domain, people and groups.

`seed_workspace(seed, document_count)` builds it; `mutate_workspace` edits, adds, trashes and
deletes files the way people do, recording each change for changes.list.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tests.fakes.google_drive.workspace import (
    EXTENSIONS,
    Group,
    Item,
    Member,
    Permission,
    Person,
    SharedDrive,
    Workspace,
    rfc3339,
)

DOMAIN = "northwind-robotics.example"
PARTNER_DOMAIN = "brightline-agency.example"
ADMIN_EMAIL = f"it-admin@{DOMAIN}"

_ID_ALPHABET = string.ascii_letters + string.digits + "-_"

FIRST_NAMES = [
    "Ana", "Bruno", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kara", "Luca", "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Samir", "Tara",
    "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Ben", "Carmen", "Diego",
    "Esther", "Felix", "Gita", "Hugo", "Ivy", "Jamal",
]  # fmt: skip
LAST_NAMES = [
    "Silva", "Keller", "Moreau", "Petrov", "Rossi", "Haddad", "Okafor", "Tanaka", "Costa",
    "Lind", "Novak", "Bianchi", "Patel", "Ivanova", "Alves", "Murphy", "Garcia", "Nasser",
    "Singh", "Chen", "Reyes", "Kowalski", "Andersen", "Mensah",
]  # fmt: skip

TEAMS = {
    "engineering": ["Architecture", "RFCs", "Runbooks", "Postmortems", "Onboarding"],
    "sales": ["Accounts", "Proposals", "Pricing", "Win-loss reviews"],
    "finance": ["Budgets", "Forecasts", "Audits", "Vendor contracts"],
    "people": ["Policies", "Hiring", "Performance reviews"],
    "marketing": ["Campaigns", "Brand", "Launches"],
}
DRIVE_NAMES = {
    "engineering": "Engineering",
    "sales": "Sales",
    "finance": "Finance",
    "people": "People Ops",
    "marketing": "Marketing",
    "wiki": "Company Wiki",
}
MY_DRIVE_FOLDERS = ["Projects", "Board meetings", "IT operations", "Personal notes"]
SUBFOLDERS = ["2023", "2024", "Archive", "Drafts", "Q1", "Q2", "Q3", "Q4", "Templates"]

SUBJECTS = [
    "Billing service", "Search relevance", "Customer onboarding", "Warehouse robots fleet",
    "Firmware update pipeline", "EMEA expansion", "Data retention", "Vendor review",
    "SOC 2 audit", "Pricing tiers", "Support escalations", "Gripper arm v3", "Battery supplier",
    "Hiring plan", "Quarterly business review", "Incident response", "Sensor calibration",
    "Partner programme", "Security awareness", "Office move", "Design system",
    "Mobile app", "Telemetry ingest", "Fleet dashboard", "Annual planning",
]  # fmt: skip
DOC_TYPES = {
    "doc": ["design doc", "meeting notes", "proposal", "retro", "runbook", "one-pager", "FAQ"],
    "sheet": ["budget", "tracker", "forecast", "roster", "metrics"],
    "slides": ["kickoff deck", "QBR slides", "all-hands update", "review deck"],
    "pdf": ["signed contract", "whitepaper", "invoice", "policy"],
    "docx": ["contract draft", "statement of work", "policy draft", "letter"],
    "pptx": ["customer pitch", "board deck"],
    "xlsx": ["cost model", "headcount plan"],
    "text": ["notes", "checklist"],
    "markdown": ["README", "changelog"],
    "csv": ["export", "survey results"],
    "image": ["whiteboard photo", "diagram", "screenshot"],
    "form": ["feedback form", "signup form"],
    "shortcut": ["shortcut"],
    "zip": ["assets", "backup"],
    "legacy_doc": ["old template", "minutes"],
}
# Share of each document kind among seeded files.
KIND_WEIGHTS = {
    "doc": 38, "sheet": 14, "slides": 8, "pdf": 11, "docx": 6, "pptx": 2, "xlsx": 3,
    "text": 7, "markdown": 6, "csv": 5,
}  # fmt: skip
SENTENCES = [
    "The {s} work is on track for the end of the quarter.",
    "{p} owns the next milestone and will report back on Thursday.",
    "We agreed to keep the scope of {s} small until the pilot customers sign off.",
    "Open risk: the {s} dependency on the platform team is not staffed yet.",
    "Costs for {s} came in 12% under the forecast, mostly thanks to cheaper storage.",
    "{p} raised that the support team needs a runbook before the rollout.",
    "Decision: ship {s} behind a feature flag and measure adoption for two weeks.",
    "The legal review of {s} found no blocking issues.",
    "Action item for {p}: draft the customer announcement for {s}.",
    "Latency of the {s} API stays under 200 ms at the 95th percentile.",
]
STATUSES = ["Not started", "In progress", "Blocked", "Done"]


def new_id(rng: random.Random, length: int = 32) -> str:
    return "1" + "".join(rng.choice(_ID_ALPHABET) for _ in range(length))


def drive_id(rng: random.Random) -> str:
    # Shared drive and My Drive root ids look like 0AGx...Uk9PVA ("ROOT" base64-encoded).
    return "0A" + "".join(rng.choice(_ID_ALPHABET) for _ in range(17)) + "Uk9PVA"


def numeric_id(rng: random.Random) -> str:
    return "".join(rng.choice(string.digits) for _ in range(20))


def _moment(rng: random.Random, start: datetime, days: int) -> datetime:
    return start + timedelta(seconds=rng.randrange(days * 86400), microseconds=rng.randrange(10**6))


@dataclass
class _Seeder:
    rng: random.Random
    workspace: Workspace
    people: list[Person] = field(default_factory=list)
    used_titles: set[str] = field(default_factory=set)

    # --- people, groups, drives ---------------------------------------------------------

    def add_people(self, count: int) -> None:
        seen: set[str] = set()
        while len(self.people) < count:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            email = f"{first}.{last}@{DOMAIN}".lower()
            if email in seen:
                continue
            seen.add(email)
            person = Person(email=email, name=f"{first} {last}", permission_id=numeric_id(self.rng))
            self.people.append(person)
            self.workspace.people[email] = person

    def add_groups(self) -> None:
        slices = {
            "engineering": self.people[0:12],
            "sales": self.people[12:19],
            "finance": self.people[19:23],
            "people": self.people[23:26],
            "marketing": self.people[26:30],
            "leadership": [self.people[0], self.people[12], self.people[19], self.people[23]],
        }
        for team, members in slices.items():
            email = f"{team}@{DOMAIN}"
            group = Group(
                id=self.rng.choice("0123")
                + "".join(self.rng.choice("0123456789abcdef") for _ in range(14)),
                email=email,
                name=team.capitalize() if team != "people" else "People Ops",
                description=f"Everyone in {team}",
                members=[Member(person.email, "USER") for person in members],
            )
            group.members[0].role = "OWNER"
            self.workspace.groups[email] = group
        # A group of groups: members.list with includeDerivedMembership flattens it.
        everyone = Group(
            id="03" + "".join(self.rng.choice("0123456789abcdef") for _ in range(13)),
            email=f"all-staff@{DOMAIN}",
            name="All staff",
            description="Every team",
            members=[
                Member(f"{team}@{DOMAIN}", "GROUP")
                for team in ("engineering", "sales", "finance", "people", "marketing")
            ]
            + [Member(person.email, "USER") for person in self.people[30:]],
        )
        self.workspace.groups[everyone.email] = everyone

    def group_permission(self, email: str, role: str) -> Permission:
        group = self.workspace.groups[email]
        return Permission(
            id=numeric_id(self.rng),
            type="group",
            role=role,
            email_address=email,
            display_name=group.name,
        )

    def user_permission(self, person: Person, role: str) -> Permission:
        return Permission(
            id=person.permission_id,
            type="user",
            role=role,
            email_address=person.email,
            display_name=person.name,
        )

    def add_drives(self) -> None:
        for key, name in DRIVE_NAMES.items():
            members: list[Permission]
            if key == "wiki":
                # Everyone at the company can read the wiki; IT manages it.
                members = [
                    Permission(
                        id=numeric_id(self.rng) + "k",
                        type="domain",
                        role="reader",
                        domain=DOMAIN,
                        display_name="Northwind Robotics",
                    ),
                    self.group_permission(f"engineering@{DOMAIN}", "writer"),
                ]
            elif key == "people":
                # Restricted: only People Ops and one named executive.
                members = [
                    self.group_permission(f"people@{DOMAIN}", "organizer"),
                    self.user_permission(self.people[0], "reader"),
                ]
            else:
                members = [
                    self.group_permission(f"{key}@{DOMAIN}", "organizer"),
                    self.group_permission(f"leadership@{DOMAIN}", "reader"),
                ]
                if key == "marketing":
                    members.append(self.user_permission(self.people[13], "commenter"))
            members.append(self.user_permission(self.workspace.admin, "organizer"))
            created = rfc3339(_moment(self.rng, datetime(2021, 6, 1, tzinfo=UTC), 200))
            drive = SharedDrive(
                id=drive_id(self.rng), name=name, created_time=created, members=members
            )
            self.workspace.drives[drive.id] = drive

    # --- folders and files --------------------------------------------------------------

    def add_folder(self, name: str, parent_id: str, drive: str | None) -> Item:
        created = _moment(self.rng, datetime(2022, 1, 1, tzinfo=UTC), 365)
        return self.workspace.add(
            Item(
                id=new_id(self.rng),
                name=name,
                kind="folder",
                parent_id=parent_id,
                drive_id=drive,
                created_time=rfc3339(created),
                modified_time=rfc3339(created),
                owner_email="" if drive else self.workspace.admin.email,
                permissions=[] if drive else [self.user_permission(self.workspace.admin, "owner")],
            )
        )

    def folder_tree(
        self, top_names: list[str], parent_id: str, drive: str | None, scale: int
    ) -> list[Item]:
        folders: list[Item] = []
        for name in top_names:
            top = self.add_folder(name, parent_id, drive)
            folders.append(top)
            for sub_name in self.rng.sample(SUBFOLDERS, k=self.rng.randint(0, 2 + scale)):
                sub = self.add_folder(sub_name, top.id, drive)
                folders.append(sub)
                if self.rng.random() < 0.3:
                    folders.append(
                        self.add_folder(self.rng.choice(["Old", "Drafts", "Shared"]), sub.id, drive)
                    )
        return folders

    def title(self, kind: str) -> str:
        for attempt in range(1000):
            base = f"{self.rng.choice(SUBJECTS)} {self.rng.choice(DOC_TYPES[kind])}"
            if self.rng.random() < 0.5:
                base += f" {self.rng.choice(['2023', '2024', '2025', 'Q1', 'Q3', 'v2', 'final'])}"
            if attempt >= 20:  # a big workspace runs out of combinations: number them
                base += f" ({attempt})"
            name = base + EXTENSIONS.get(kind, "")
            if name not in self.used_titles:
                self.used_titles.add(name)
                return name
        raise RuntimeError("no free title")

    def body(self, kind: str, title: str) -> str:
        subject = title.rsplit(".", 1)[0] if kind in EXTENSIONS else title
        if kind in ("sheet", "csv", "xlsx"):
            rows = ["Item,Owner,Status,Amount (EUR)"]
            for index in range(self.rng.randint(4, 14)):
                owner = self.rng.choice(self.people).name
                status, amount = self.rng.choice(STATUSES), self.rng.randint(100, 90000)
                rows.append(f"{subject} line {index + 1},{owner},{status},{amount}")
            return "\n".join(rows) + "\n"
        person = self.rng.choice(self.people).name
        lines = [f"# {subject}", ""]
        for section in self.rng.sample(
            ["Summary", "Context", "Decisions", "Next steps", "Risks", "Details"], k=3
        ):
            lines += [f"## {section}", ""]
            sentences = self.rng.sample(SENTENCES, k=self.rng.randint(2, 4))
            texts = [sentence.format(s=subject, p=person) for sentence in sentences]
            if section in ("Next steps", "Decisions"):
                lines += [f"- {text}" for text in texts]
            else:
                lines.append(" ".join(texts))
            lines.append("")
        return "\n".join(lines)

    def my_drive_sharing(self) -> list[Permission]:
        permissions = [self.user_permission(self.workspace.admin, "owner")]
        roll = self.rng.random()
        if roll < 0.08:
            permissions.append(
                Permission(
                    id="anyoneWithLink", type="anyone", role="reader", allow_file_discovery=False
                )
            )
        elif roll < 0.30:
            permissions.append(
                Permission(
                    id=numeric_id(self.rng) + "k",
                    type="domain",
                    role=self.rng.choice(["reader", "commenter"]),
                    domain=DOMAIN,
                    display_name="Northwind Robotics",
                    allow_file_discovery=True,
                )
            )
        elif roll < 0.34:
            permissions.append(
                Permission(
                    id=numeric_id(self.rng) + "k",
                    type="domain",
                    role="reader",
                    domain=PARTNER_DOMAIN,
                    display_name="Brightline Agency",
                )
            )
        if self.rng.random() < 0.5:
            for person in self.rng.sample(self.people, k=self.rng.randint(1, 3)):
                permissions.append(
                    self.user_permission(person, self.rng.choice(["writer", "reader", "commenter"]))
                )
        if self.rng.random() < 0.3:
            permissions.append(
                self.group_permission(self.rng.choice(sorted(self.workspace.groups)), "reader")
            )
        return permissions

    def shared_drive_sharing(self) -> list[Permission]:
        permissions: list[Permission] = []
        if self.rng.random() < 0.1:
            permissions.append(
                Permission(
                    id="anyoneWithLink", type="anyone", role="reader", allow_file_discovery=False
                )
            )
        if self.rng.random() < 0.15:
            permissions.append(self.user_permission(self.rng.choice(self.people), "reader"))
        return permissions

    def add_file(self, kind: str, folder: Item | None, *, parent_id: str | None = None) -> Item:
        drive = folder.drive_id if folder else None
        title = self.title(kind)
        created = _moment(self.rng, datetime(2022, 3, 1, tzinfo=UTC), 900)
        modified = created + timedelta(seconds=self.rng.randrange(86400 * 60))
        return self.workspace.add(
            Item(
                id=new_id(self.rng),
                name=title,
                kind=kind,
                parent_id=folder.id if folder else parent_id,
                drive_id=drive,
                created_time=rfc3339(created),
                modified_time=rfc3339(modified),
                owner_email="" if drive else self.workspace.admin.email,
                body=self.body(kind, title),
                permissions=self.shared_drive_sharing() if drive else self.my_drive_sharing(),
            )
        )

    def pick_kind(self) -> str:
        kinds = list(KIND_WEIGHTS)
        return self.rng.choices(kinds, weights=[KIND_WEIGHTS[kind] for kind in kinds])[0]


def seed_workspace(seed: int = 20250115, document_count: int = 260) -> Workspace:
    """The fake domain. `document_count` is how many readable documents it holds (about);
    ~260 for tests, 2,000+ for benchmarks. The same seed gives the same workspace."""
    rng = random.Random(seed)
    admin = Person(email=ADMIN_EMAIL, name="IT Admin", permission_id=numeric_id(rng))
    workspace = Workspace(domain=DOMAIN, admin=admin, root_id=drive_id(rng), rng=rng)
    seeder = _Seeder(rng=rng, workspace=workspace)
    seeder.add_people(36)
    seeder.add_groups()
    seeder.add_drives()

    scale = max(0, document_count // 400)
    folders: list[Item] = []
    for drive in workspace.drives.values():
        key = next(key for key, name in DRIVE_NAMES.items() if name == drive.name)
        folders += seeder.folder_tree(
            TEAMS.get(key, ["Handbook", "How-tos", "Announcements"]), drive.id, drive.id, scale
        )
    folders += seeder.folder_tree(MY_DRIVE_FOLDERS, workspace.root_id, None, scale)
    for index in range(scale * 6):
        # Big workspaces also grow wider: more top-level project folders.
        folders += seeder.folder_tree([f"Project {index + 1:03d}"], workspace.root_id, None, 0)

    for _ in range(document_count):
        if rng.random() < 0.04:
            seeder.add_file(
                seeder.pick_kind(), None, parent_id=workspace.root_id
            )  # loose in My Drive
        else:
            seeder.add_file(seeder.pick_kind(), rng.choice(folders))

    # Things in Drive that are not documents: skipped (images, forms, shortcuts) or reported
    # as failures (an archive, a legacy .doc, an upload over the download limit).
    for kind in ["image"] * 6 + ["form", "shortcut", "zip", "legacy_doc"]:
        seeder.add_file(kind, rng.choice(folders))
    huge = seeder.add_file("pdf", rng.choice(folders))
    huge.reported_size = 48 * 1024 * 1024
    # A colleague's file the admin can read but not share.
    colleague = seeder.people[5]
    hidden = seeder.add_file("doc", folders[-1])
    hidden.owner_email = colleague.email
    hidden.sharing_hidden = True
    hidden.permissions = [
        seeder.user_permission(colleague, "owner"),
        seeder.user_permission(admin, "reader"),
    ]
    return workspace


@dataclass
class MutationResult:
    changed: set[str]
    added: set[str]
    trashed: set[str]
    deleted: set[str]


def mutate_workspace(
    workspace: Workspace,
    *,
    edits: int = 6,
    additions: int = 4,
    trashes: int = 2,
    deletions: int = 2,
) -> MutationResult:
    """Edit, add, trash and delete documents, each recorded in the change log."""
    rng = workspace.rng
    seeder = _Seeder(
        rng=rng,
        workspace=workspace,
        people=[p for p in workspace.people.values() if p is not workspace.admin],
    )
    seeder.used_titles = {item.name for item in workspace.items.values()}
    documents = [item for item in workspace.documents() if not item.sharing_hidden]
    picked = rng.sample(documents, k=edits + trashes + deletions)
    result = MutationResult(set(), set(), set(), set())

    for item in picked[:edits]:
        sentence = rng.choice(SENTENCES).format(s=item.name, p=rng.choice(seeder.people).name)
        item.body += f"\n## Update {workspace.tick()}\n\n{sentence}\n"
        item.modified_time = workspace.tick()
        item.version += 1
        if rng.random() < 0.5:
            item.permissions.append(seeder.user_permission(rng.choice(seeder.people), "reader"))
        workspace.record_change(file_id=item.id)
        result.changed.add(item.id)
    for item in picked[edits : edits + trashes]:
        item.trashed = True
        item.modified_time = workspace.tick()
        workspace.record_change(file_id=item.id)
        result.trashed.add(item.id)
    for item in picked[edits + trashes :]:
        workspace.remove(item.id)
        workspace.record_change(file_id=item.id, removed=True)
        result.deleted.add(item.id)

    folders = [item for item in workspace.items.values() if item.is_folder]
    for kind in ["doc", "sheet", "pdf", "text", "docx", "doc"][:additions]:
        added = seeder.add_file(kind, rng.choice(sorted(folders, key=lambda folder: folder.id)))
        added.created_time = added.modified_time = workspace.tick()
        workspace.record_change(file_id=added.id)
        result.added.add(added.id)

    # A renamed shared drive shows up as a "drive" change, which holds no document.
    drive = rng.choice(sorted(workspace.drives.values(), key=lambda drive: drive.id))
    drive.name = drive.name.rstrip(" *") + " *"
    workspace.record_change(drive_id=drive.id)
    return result
