"""Slack messages -> documents, as pure functions.

A thread (a parent message with replies) is one document; the messages outside threads are
grouped per UTC day into one document per channel and day. External ids:
`{channel}:thread:{parent ts}` and `{channel}:day:{YYYY-MM-DD}`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from connectors.documents import AccessList, DocumentInput

THREAD = "thread"
DAY = "day"
# Membership notices carry no knowledge; they would only pad day documents.
SKIPPED_SUBTYPES = frozenset({"channel_join", "channel_leave", "group_join", "group_leave"})
TOMBSTONE = "tombstone"  # a deleted parent that still has replies
TITLE_SNIPPET_LENGTH = 80

Message = Mapping[str, Any]  # a message object as the Web API returns it
NameOf = Callable[[str], str]  # user id -> display name


@dataclass(frozen=True)
class DocumentRef:
    channel_id: str
    kind: str  # THREAD or DAY
    key: str  # the parent's ts, or the UTC day as YYYY-MM-DD

    @property
    def external_id(self) -> str:
        return f"{self.channel_id}:{self.kind}:{self.key}"

    @property
    def starts_at(self) -> float:
        """Epoch seconds where the document begins: its parent's ts, or its day's midnight."""
        if self.kind == THREAD:
            return float(self.key)
        return datetime.combine(date.fromisoformat(self.key), datetime.min.time(), UTC).timestamp()


def thread_ref(channel_id: str, thread_ts: str) -> DocumentRef:
    return DocumentRef(channel_id, THREAD, thread_ts)


def day_ref(channel_id: str, ts: str) -> DocumentRef:
    return DocumentRef(channel_id, DAY, day_of(ts))


def parse_external_id(external_id: str) -> DocumentRef | None:
    channel_id, _, rest = external_id.partition(":")
    kind, _, key = rest.partition(":")
    if not channel_id or not key:
        return None
    if kind == THREAD and re.fullmatch(r"\d+\.\d+", key):
        return DocumentRef(channel_id, kind, key)
    if kind == DAY:
        try:
            date.fromisoformat(key)
        except ValueError:
            return None
        return DocumentRef(channel_id, kind, key)
    return None


# --- what a message is ------------------------------------------------------------------


def is_reply(message: Message) -> bool:
    """A reply in a thread (history shows the ones also sent to the channel)."""
    thread_ts = message.get("thread_ts")
    return bool(thread_ts) and thread_ts != message.get("ts")


def is_thread_parent(message: Message) -> bool:
    return not is_reply(message) and int(message.get("reply_count") or 0) > 0


def is_indexed(message: Message) -> bool:
    return message.get("subtype") not in SKIPPED_SUBTYPES


def ref_of_top_level(channel_id: str, message: Message) -> DocumentRef:
    """The document a message from history belongs to (replies are never passed here)."""
    ts = str(message["ts"])
    return thread_ref(channel_id, ts) if is_thread_parent(message) else day_ref(channel_id, ts)


def trim(message: Message) -> dict[str, Any]:
    """The fields documents are built from: small enough for checkpoints, and what a
    document's signature covers (an edit, a new or deleted reply changes one of them)."""
    kept = {
        key: message[key]
        for key in ("ts", "user", "text", "subtype", "thread_ts", "reply_count", "latest_reply")
        if message.get(key) not in (None, "")
    }
    edited = message.get("edited")
    if isinstance(edited, Mapping) and edited.get("ts"):
        kept["edited"] = str(edited["ts"])
    bot_name = _bot_name(message)
    if bot_name:
        kept["bot_name"] = bot_name
    files = [str(file.get("name") or file.get("title") or "") for file in message.get("files", [])]
    if any(files):
        kept["files"] = [name for name in files if name]
    fallbacks = [
        str(attachment.get("fallback") or attachment.get("text") or "")
        for attachment in message.get("attachments", [])
    ]
    if any(fallbacks):
        kept["attachments"] = [text for text in fallbacks if text]
    return kept


def _bot_name(message: Message) -> str:
    profile = message.get("bot_profile")
    if isinstance(profile, Mapping) and profile.get("name"):
        return str(profile["name"])
    if message.get("bot_id") or message.get("subtype") == "bot_message":
        return str(message.get("username") or "bot")
    return ""


def signature(messages: Iterable[Mapping[str, Any]]) -> str:
    """A short fingerprint of trimmed messages: equal means the document did not change."""
    encoded = json.dumps(list(messages), sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(encoded.encode()).hexdigest()[:16]


# --- time -----------------------------------------------------------------------------


def moment(ts: str) -> datetime:
    seconds, _, fraction = ts.partition(".")
    micros = int((fraction + "000000")[:6]) if fraction else 0
    return datetime.fromtimestamp(int(seconds), UTC) + timedelta(microseconds=micros)


def day_of(ts: str) -> str:
    return moment(ts).date().isoformat()


def day_bounds(day: str) -> tuple[str, str]:
    """`oldest` and `latest` (inclusive) that select exactly one UTC day in history."""
    start = int(DocumentRef("", DAY, day).starts_at)
    return f"{start}.000000", f"{start + 86_399}.999999"


def permalink(team_url: str, channel_id: str, ts: str) -> str:
    return f"{team_url.rstrip('/')}/archives/{channel_id}/p{ts.replace('.', '')}"


# --- text -----------------------------------------------------------------------------

_SPECIAL = re.compile(r"<([^<>]+)>")
_BROADCASTS = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


def render_text(text: str, name_of: NameOf, channel_name_of: Callable[[str], str]) -> str:
    """Slack's markup (`<@U123>`, `<#C123|general>`, `<!here>`, `<url|label>`) as plain text."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return f"@{name_of(target[1:])}"
        if target.startswith("#"):
            return f"#{label or channel_name_of(target[1:])}"
        if target.startswith("!"):
            keyword = target[1:].split("^")[0]
            return label or _BROADCASTS.get(keyword, f"@{keyword}")
        if target.startswith("mailto:"):
            return label or target[len("mailto:") :]
        return f"{label} ({target})" if label and label != target else target

    plain = _SPECIAL.sub(replace, text)
    # Slack escapes only these three in message text.
    return plain.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def author(message: Message, name_of: NameOf) -> str:
    if message.get("bot_name"):
        return str(message["bot_name"])
    user = message.get("user")
    return name_of(str(user)) if user else "unknown"


def render_line(
    message: Message,
    name_of: NameOf,
    channel_name_of: Callable[[str], str],
    *,
    with_date: bool,
) -> str:
    when = moment(str(message["ts"]))
    stamp = when.strftime("%Y-%m-%d %H:%M") if with_date else when.strftime("%H:%M")
    if message.get("subtype") == TOMBSTONE:
        return f"(deleted message, {stamp})"
    body = render_text(str(message.get("text") or ""), name_of, channel_name_of)
    extras = [f"[file: {name}]" for name in message.get("files", [])]
    extras += [
        render_text(text, name_of, channel_name_of) for text in message.get("attachments", [])
    ]
    content = "\n".join(part for part in [body, *extras] if part)
    return f"{author(message, name_of)} ({stamp}): {content}"


# --- documents ------------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelContext:
    """What every document of one channel shares."""

    id: str
    name: str
    is_private: bool
    access: AccessList
    team_url: str

    @property
    def label(self) -> str:
        return f"#{self.name}"


def _latest(messages: Sequence[Message]) -> datetime:
    stamps = [str(message["ts"]) for message in messages]
    stamps += [str(message["edited"]) for message in messages if message.get("edited")]
    stamps += [str(message["latest_reply"]) for message in messages if message.get("latest_reply")]
    return max(moment(stamp) for stamp in stamps)


def _document(
    channel: ChannelContext, ref: DocumentRef, title: str, text: str, messages: Sequence[Message]
) -> DocumentInput:
    first = str(messages[0]["ts"])
    return DocumentInput(
        external_id=ref.external_id,
        title=title,
        text=text,
        url=permalink(channel.team_url, channel.id, first),
        mime_type="text/plain",
        parents=(channel.id,),
        breadcrumb=(channel.label,),
        source_created_at=moment(first),
        source_updated_at=_latest(messages),
        access=channel.access,
        size_bytes=len(text.encode()),
    )


def day_document(
    channel: ChannelContext,
    day: str,
    messages: Sequence[Message],
    name_of: NameOf,
    channel_name_of: Callable[[str], str],
) -> DocumentInput:
    """`messages` are one UTC day's messages outside threads, in any order."""
    ordered = sorted(messages, key=lambda message: float(message["ts"]))
    lines = [render_line(message, name_of, channel_name_of, with_date=False) for message in ordered]
    ref = DocumentRef(channel.id, DAY, day)
    return _document(channel, ref, f"{channel.label} — {day}", "\n".join(lines), ordered)


def thread_document(
    channel: ChannelContext,
    messages: Sequence[Message],
    name_of: NameOf,
    channel_name_of: Callable[[str], str],
) -> DocumentInput:
    """`messages` are the parent first, then its replies (as conversations.replies gives)."""
    parent = messages[0]
    parent_day = day_of(str(parent["ts"]))
    lines = [
        render_line(
            message,
            name_of,
            channel_name_of,
            # A reply on a later day would be ambiguous with the time alone.
            with_date=index == 0 or day_of(str(message["ts"])) != parent_day,
        )
        for index, message in enumerate(messages)
    ]
    ref = thread_ref(channel.id, str(parent["ts"]))
    opening = render_text(str(parent.get("text") or ""), name_of, channel_name_of)
    snippet = (
        " ".join(opening.split())[:TITLE_SNIPPET_LENGTH]
        if parent.get("subtype") != TOMBSTONE
        else ""
    )
    title = f"{channel.label} — thread: {snippet or parent_day}"
    return _document(channel, ref, title, "\n".join(lines), messages)


def group_by_day(messages: Iterable[Message]) -> dict[str, list[Message]]:
    """The messages outside threads, by UTC day (what fetch_document re-reads for a day)."""
    days: dict[str, list[Message]] = {}
    for message in messages:
        if is_indexed(message) and not is_reply(message) and not is_thread_parent(message):
            days.setdefault(day_of(str(message["ts"])), []).append(message)
    return days
