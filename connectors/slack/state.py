"""The Slack connector's cursor and checkpoint state, as JSON-friendly dataclasses.

The cursor remembers, per channel, a fingerprint of what every document of the channel shares
(name, privacy, who may read it) and the signature of each document synced. An incremental
sync re-reads the recent window of each channel's history and compares signatures: that finds
edits, new replies and deletions, which Slack's `oldest` filter alone cannot show.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CURSOR_VERSION = 1


@dataclass
class ChannelRecord:
    fingerprint: str
    documents: dict[str, str] = field(default_factory=dict)  # external id -> signature

    def to_json(self) -> dict[str, Any]:
        return {"fingerprint": self.fingerprint, "documents": dict(self.documents)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ChannelRecord:
        return cls(str(data.get("fingerprint", "")), dict(data.get("documents", {})))


def records_from_cursor(cursor: Mapping[str, Any] | None) -> dict[str, ChannelRecord]:
    """The previous sync's channel records; an unknown cursor version reads as none, so every
    channel is read again in full."""
    if not cursor or cursor.get("version") != CURSOR_VERSION:
        return {}
    channels = cursor.get("channels", {})
    return {channel_id: ChannelRecord.from_json(data) for channel_id, data in channels.items()}


def make_cursor(synced_at: float, records: Mapping[str, ChannelRecord]) -> dict[str, Any]:
    return {
        "version": CURSOR_VERSION,
        "synced_at": synced_at,
        "channels": {channel_id: record.to_json() for channel_id, record in records.items()},
    }


@dataclass
class SyncState:
    """Where a sync stands after a page of one channel's history.

    `window_start` is None for a full sync; an incremental sync re-reads each unchanged channel
    from that UTC midnight on. `pending_day` holds the trimmed messages of the oldest day seen
    so far in the current channel: history comes newest first, so that day may go on in the
    next page and is only yielded once an older message (or the end) shows it is complete.
    `seen` are the documents of the current channel found so far (the rest of its recorded
    documents in the re-read range are gone); `records` are what the returned cursor holds.
    """

    started_at: float
    channel_ids: list[str]
    window_start: int | None = None
    index: int = 0
    history_cursor: str = ""
    whole_channel: bool = True
    pending_day: list[dict[str, Any]] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    records: dict[str, ChannelRecord] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "channel_ids": list(self.channel_ids),
            "window_start": self.window_start,
            "index": self.index,
            "history_cursor": self.history_cursor,
            "whole_channel": self.whole_channel,
            "pending_day": list(self.pending_day),
            "seen": list(self.seen),
            "records": {key: record.to_json() for key, record in self.records.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SyncState:
        return cls(
            started_at=float(data["started_at"]),
            channel_ids=list(data["channel_ids"]),
            window_start=data.get("window_start"),
            index=int(data.get("index", 0)),
            history_cursor=str(data.get("history_cursor", "")),
            whole_channel=bool(data.get("whole_channel", True)),
            pending_day=list(data.get("pending_day", [])),
            seen=list(data.get("seen", [])),
            records={
                key: ChannelRecord.from_json(value)
                for key, value in data.get("records", {}).items()
            },
        )

    def next_channel(self) -> None:
        self.index += 1
        self.history_cursor = ""
        self.whole_channel = True
        self.pending_day = []
        self.seen = []
