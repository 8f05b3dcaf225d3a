"""A deterministic Slack workspace for the fake: people, channels, messages, threads.

`generate_workspace(seed)` gives the same names, channels, texts, threads and membership for
the same seed. Timestamps are relative to `now` (the fake's start), because an incremental
sync looks at the recent days of history: about 60% of the messages are spread over the last
`days` days, the rest fall in the last five, as in a workspace that is in use.
"""

from __future__ import annotations

import bisect
import random
import time
from dataclasses import dataclass, field

FIRST_NAMES = [
    "Amara", "Bastien", "Chloé", "Dmitri", "Elena", "Farid", "Grace", "Hiroshi", "Ines",
    "Jonas", "Keiko", "Lucas", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Samir",
    "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Aiden", "Bianca", "Carlos",
    "Dana", "Emeka", "Freya", "Gustavo", "Hana", "Ivan", "Julia", "Kofi", "Lena", "Marco",
    "Nadia",
]  # fmt: skip
LAST_NAMES = [
    "Okafor", "Moreau", "Lefebvre", "Ivanov", "García", "Haddad", "Kim", "Tanaka", "Silva",
    "Berg", "Sato", "Martin", "Patel", "Schmidt", "Novak", "Costa", "Murphy", "Rossi", "Khan",
    "Singh", "Farouk", "Lindqvist", "Zhang", "Herrera", "Demir", "Dubois", "Walsh", "Conti",
    "Mendes", "Cohen",
]  # fmt: skip
TEAM_DOMAIN = "acme-robotics"
EMAIL_DOMAIN = "acme-robotics.com"

# name, private, member share (0..1 of the people), the bot is a member, archived
CHANNELS = [
    ("general", False, 1.0, True, False),
    ("engineering", False, 0.6, True, False),
    ("product", False, 0.4, True, False),
    ("design", False, 0.3, True, False),
    ("customer-support", False, 0.35, True, False),
    ("sales", False, 0.3, True, False),
    ("leadership", True, 0.2, True, False),
    ("incidents", True, 0.3, True, False),
    ("random", False, 0.9, False, False),  # the bot was never invited
    ("project-atlas", False, 0.3, True, True),  # archived
]
BIG_CHANNEL_TOPICS = [
    "eng-backend", "eng-frontend", "eng-mobile", "eng-infra", "data", "ml-research",
    "marketing", "partnerships", "finance", "people-ops", "security", "qa", "release",
    "docs", "field-ops", "hardware", "firmware", "supply-chain", "legal", "events",
]  # fmt: skip

SUBJECTS = [
    "the Q3 roadmap", "the billing migration", "the onboarding flow", "the gripper firmware",
    "the warehouse pilot", "the Helios release", "our SOC 2 audit", "the pricing page",
    "the API rate limits", "the customer NPS survey", "the dashboard redesign",
    "the fleet telemetry pipeline", "the Postgres upgrade", "the hiring plan",
    "the battery supplier", "the Lyon office move", "the partner portal", "the search index",
]  # fmt: skip
OPENERS = [
    "Quick update on {subject}: we are on track for {day}.",
    "Can someone take a look at {subject}? I think we are blocked on review.",
    "Heads up, {subject} slips by a week because of the vendor delay.",
    "Notes from today's sync about {subject} are in the doc, feedback welcome.",
    "I wrote a proposal for {subject}; the main open question is ownership.",
    "Shipping {subject} behind a feature flag this afternoon.",
    "Customers keep asking about {subject}. Do we have an ETA we can share?",
    "Reminder: the review of {subject} is {day} at 10:00.",
    "Who owns {subject} now that the team was reorganised?",
    "Numbers for {subject} look better than expected: +12% week over week.",
    "Found a regression in {subject}, rolling back while we investigate.",
    "Draft plan for {subject} is up for comments until {day}.",
]  # fmt: skip
REPLIES = [
    "Thanks, looking now.",
    "I can take it, will report back by end of day.",
    "Agreed. Let's keep the scope small for the first version.",
    "Do we have metrics for that? I would like to see the baseline first.",
    "Added a comment in the doc about the rollout order.",
    "The vendor confirmed the new date this morning.",
    "+1, this unblocks the support team too.",
    "Let's discuss it in the weekly, it needs product input.",
    "Fixed in the latest build, please verify.",
    "I disagree on the timeline, the migration needs another week of testing.",
]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


@dataclass
class User:
    id: str
    handle: str
    real_name: str
    display_name: str
    email: str
    title: str
    is_bot: bool = False
    is_admin: bool = False


@dataclass
class Message:
    ts: str
    user: str
    text: str
    subtype: str = ""
    thread_ts: str = ""  # set on replies (and on parents once they have replies)
    edited_ts: str = ""
    edited_by: str = ""
    bot_id: str = ""
    bot_name: str = ""

    @property
    def micros(self) -> int:
        return to_micros(self.ts)


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    is_archived: bool
    members: list[str]
    created: int
    creator: str
    topic: str
    purpose: str
    top_level: list[Message] = field(default_factory=list)  # oldest first
    replies: dict[str, list[Message]] = field(default_factory=dict)  # parent ts -> oldest first
    _keys: list[int] = field(default_factory=list)

    def reindex(self) -> None:
        self.top_level.sort(key=lambda message: message.micros)
        self._keys = [message.micros for message in self.top_level]

    def add_top_level(self, message: Message) -> None:
        position = bisect.bisect(self._keys, message.micros)
        self._keys.insert(position, message.micros)
        self.top_level.insert(position, message)

    def remove_top_level(self, message: Message) -> None:
        position = bisect.bisect_left(self._keys, message.micros)
        del self._keys[position]
        del self.top_level[position]
        self.replies.pop(message.ts, None)

    def find_top_level(self, ts: str) -> Message | None:
        micros = to_micros(ts)
        position = bisect.bisect_left(self._keys, micros)
        if position < len(self._keys) and self._keys[position] == micros:
            return self.top_level[position]
        return None

    def span(self, low: int, high: int) -> list[Message]:
        """Top-level messages with low <= micros <= high, oldest first."""
        return self.top_level[
            bisect.bisect_left(self._keys, low) : bisect.bisect_right(self._keys, high)
        ]


@dataclass
class Workspace:
    team_id: str
    team_name: str
    domain: str
    bot_user_id: str
    bot_id: str
    users: list[User]
    channels: list[Channel]
    now: int
    integration_bot_id: str = "B0DEPLOYBOT"
    integration_bot_name: str = "Deploy Bot"
    _sequence: int = 0

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def user(self, user_id: str) -> User | None:
        return next((user for user in self.users if user.id == user_id), None)

    def channel(self, channel_id: str) -> Channel | None:
        return next((channel for channel in self.channels if channel.id == channel_id), None)

    def channel_named(self, name: str) -> Channel:
        return next(channel for channel in self.channels if channel.name == name)

    def next_ts(self, seconds: int) -> str:
        """Unique message timestamps, as Slack's are within a channel."""
        self._sequence += 1
        return f"{seconds}.{self._sequence % 1_000_000:06d}"

    def fresh_ts(self) -> str:
        """A timestamp for a message written now, after every other one."""
        newest = max(
            [channel.top_level[-1].micros for channel in self.channels if channel.top_level]
            + [
                reply.micros
                for channel in self.channels
                for replies in channel.replies.values()
                for reply in replies
            ]
            + [int(time.time()) * 1_000_000]
        )
        seconds = max(int(time.time()), newest // 1_000_000 + 1)
        return self.next_ts(seconds)


def to_micros(ts: str) -> int:
    seconds, _, fraction = ts.partition(".")
    return int(seconds) * 1_000_000 + int((fraction + "000000")[:6] or 0)


def _slack_id(rng: random.Random, prefix: str) -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    return prefix + "0" + "".join(rng.choice(alphabet) for _ in range(9))


def _people(rng: random.Random, count: int) -> list[User]:
    names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    titles = ["Engineer", "Product Manager", "Designer", "Support Lead", "Account Executive",
              "Engineering Manager", "Data Scientist", "COO", "CTO", "Recruiter"]  # fmt: skip
    people = []
    for index, (first, last) in enumerate(names[:count]):
        ascii_last = last.replace("í", "i").replace("é", "e")
        email = f"{first.lower().replace('é', 'e')}.{ascii_last.lower()}@{EMAIL_DOMAIN}"
        if index % 7 == 3:  # some directories keep the case people typed
            email = f"{first}.{ascii_last}@{EMAIL_DOMAIN.title()}"
        people.append(
            User(
                id=_slack_id(rng, "U"),
                handle=f"{first.lower()}.{ascii_last.lower()}",
                real_name=f"{first} {last}",
                display_name=first if index % 3 else "",
                email=email,
                title=rng.choice(titles),
                is_admin=index == 0,
            )
        )
    return people


def generate_workspace(
    seed: int = 7,
    *,
    message_count: int = 400,
    user_count: int = 30,
    extra_channels: int = 0,
    days: int = 42,
    now: int | None = None,
) -> Workspace:
    """`message_count` top-level messages (replies come on top, about one per message)."""
    rng = random.Random(seed)
    now = int(time.time()) if now is None else now
    people = _people(rng, user_count)
    bot = User(
        id=_slack_id(rng, "U"),
        handle="knowledge-bot",
        real_name="Knowledge Bot",
        display_name="knowledge-bot",
        email="",
        title="",
        is_bot=True,
    )
    workspace = Workspace(
        team_id=_slack_id(rng, "T"),
        team_name="Acme Robotics",
        domain=TEAM_DOMAIN,
        bot_user_id=bot.id,
        bot_id=_slack_id(rng, "B"),
        users=[*people, bot],
        channels=[],
        now=now,
    )
    specs = list(CHANNELS) + [
        (_extra_channel_name(index), index % 5 == 4, 0.25, True, False)
        for index in range(extra_channels)
    ]
    created = now - (days + 3) * 86_400
    for name, private, share, bot_member, archived in specs:
        members = rng.sample(people, max(3, round(share * len(people))))
        member_ids = [person.id for person in members] + ([bot.id] if bot_member else [])
        channel = Channel(
            id=_slack_id(rng, "C"),
            name=name,
            is_private=private,
            is_archived=archived,
            members=member_ids,
            created=created,
            creator=members[0].id,
            topic=f"All things {name.replace('-', ' ')}",
            purpose=f"Discussion about {name.replace('-', ' ')}",
        )
        # Join notices first: a connector must leave them out.
        for person in members[:3]:
            channel.top_level.append(
                Message(
                    ts=workspace.next_ts(created + rng.randrange(3600)),
                    user=person.id,
                    text=f"<@{person.id}> has joined the channel",
                    subtype="channel_join",
                )
            )
        workspace.channels.append(channel)

    weights = [3.0 if spec[0] in ("general", "engineering") else 1.0 for spec in specs]
    for _ in range(message_count):
        channel = rng.choices(workspace.channels, weights)[0]
        _add_seeded_message(rng, workspace, channel, days)
    for channel in workspace.channels:
        channel.reindex()
    return workspace


def _extra_channel_name(index: int) -> str:
    name = BIG_CHANNEL_TOPICS[index % len(BIG_CHANNEL_TOPICS)]
    return (
        f"{name}-{index // len(BIG_CHANNEL_TOPICS)}" if index >= len(BIG_CHANNEL_TOPICS) else name
    )


def _text(rng: random.Random, channel: Channel, workspace: Workspace) -> str:
    text = rng.choice(OPENERS).format(subject=rng.choice(SUBJECTS), day=rng.choice(DAYS))
    roll = rng.random()
    if roll < 0.15:
        text = f"<@{rng.choice(channel.members[:-1] or channel.members)}> {text}"
    elif roll < 0.2:
        other = rng.choice(workspace.channels)
        text += f" See <#{other.id}|{other.name}>."
    elif roll < 0.25:
        text += " Details: <https://wiki.acme-robotics.com/runbooks|the runbook> &amp; notes."
    return text


def _add_seeded_message(
    rng: random.Random, workspace: Workspace, channel: Channel, days: int
) -> None:
    now = workspace.now
    recent = rng.random() < 0.4
    earliest = now - (5 if recent else days) * 86_400
    seconds = rng.randrange(earliest, now - 2 * 3600)
    people = [member for member in channel.members if member != workspace.bot_user_id]
    integration = channel.name in ("engineering", "incidents") and rng.random() < 0.1
    message = Message(
        ts=workspace.next_ts(seconds),
        user="" if integration else rng.choice(people),
        text=(
            f"Deployed build {rng.randrange(1000, 9999)} to production :rocket:"
            if integration
            else _text(rng, channel, workspace)
        ),
        subtype="bot_message" if integration else "",
        bot_id=workspace.integration_bot_id if integration else "",
        bot_name=workspace.integration_bot_name if integration else "",
    )
    if not integration and rng.random() < 0.05:
        message.edited_ts = workspace.next_ts(seconds + 60)
        message.edited_by = message.user
    channel.top_level.append(message)
    if integration or rng.random() > 0.25:
        return
    replies: list[Message] = []
    reply_seconds = seconds
    for _ in range(rng.randint(1, 6)):
        reply_seconds = min(reply_seconds + rng.randrange(60, 6 * 3600), now - 600)
        reply_seconds = max(reply_seconds, seconds + 1)
        text = rng.choice(REPLIES)
        if rng.random() < 0.2:
            text = f"<@{message.user}> {text}"
        replies.append(
            Message(
                ts=workspace.next_ts(reply_seconds),
                user=rng.choice(people),
                text=text,
                thread_ts=message.ts,
            )
        )
    message.thread_ts = message.ts
    channel.replies[message.ts] = sorted(replies, key=lambda reply: reply.micros)
