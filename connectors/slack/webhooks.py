"""Slack Events API deliveries: signature checks and what an event means for the index.

Slack signs every delivery with the app's signing secret: `X-Slack-Signature` is
`v0=` + HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{body}`. Deliveries older than five
minutes are refused so a captured one cannot be replayed.
"""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

from slack_sdk.signature import SignatureVerifier

from connectors.base import WebhookResult
from connectors.errors import WebhookRejected
from connectors.slack.mapping import SKIPPED_SUBTYPES, day_ref, thread_ref

MAX_AGE_SECONDS = 5 * 60
# Events after which the channel list, names or members may differ: the next sync finds out.
CHANNEL_EVENTS = frozenset(
    {
        "channel_archive",
        "channel_created",
        "channel_deleted",
        "channel_history_changed",
        "channel_id_changed",
        "channel_left",
        "channel_rename",
        "channel_unarchive",
        "group_archive",
        "group_deleted",
        "group_history_changed",
        "group_left",
        "group_rename",
        "group_unarchive",
        "member_joined_channel",
        "member_left_channel",
    }
)
INDEXED_CHANNEL_TYPES = frozenset({"channel", "group"})  # not direct messages


def verify_signature(
    *,
    signing_secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: Callable[[], float] = time.time,
) -> None:
    """Refuse a delivery not signed with the signing secret, or older than five minutes."""
    if not signing_secret:
        raise WebhookRejected("This Slack connection has no signing secret.", status=401)
    normalized = {name.lower(): value for name, value in headers.items()}
    timestamp = normalized.get("x-slack-request-timestamp", "")
    signature = normalized.get("x-slack-signature", "")
    if not timestamp or not signature:
        raise WebhookRejected("The delivery is not signed by Slack.", status=401)
    try:
        age = abs(now() - int(timestamp))
    except ValueError:
        raise WebhookRejected("The delivery's timestamp is not a number.", status=401) from None
    if age > MAX_AGE_SECONDS:
        raise WebhookRejected("The delivery is more than five minutes old.", status=401)
    try:
        expected = SignatureVerifier(signing_secret).generate_signature(
            timestamp=timestamp, body=body
        )
    except UnicodeDecodeError:
        raise WebhookRejected("The delivery's body is not UTF-8.", status=400) from None
    # Compared here rather than with is_valid() so the age check above uses our clock.
    if expected is None or not hmac.compare_digest(expected.encode(), signature.encode()):
        raise WebhookRejected("The delivery's signature does not match.", status=401)


def verify(
    *,
    signing_secret: str,
    headers: Mapping[str, str],
    body: bytes,
    now: Callable[[], float] = time.time,
) -> dict[str, Any]:
    """The delivery's JSON payload, once its signature and age check out."""
    verify_signature(signing_secret=signing_secret, headers=headers, body=body, now=now)
    try:
        payload = json.loads(body)
    except ValueError:
        raise WebhookRejected("The delivery's body is not JSON.", status=400) from None
    if not isinstance(payload, dict):
        raise WebhookRejected("The delivery's body is not a JSON object.", status=400)
    return payload


def interpret(payload: Mapping[str, Any]) -> WebhookResult:
    kind = payload.get("type")
    if kind == "url_verification":
        return WebhookResult(response={"challenge": str(payload.get("challenge", ""))})
    event = payload.get("event")
    if kind != "event_callback" or not isinstance(event, Mapping):
        return WebhookResult(event_id=str(payload.get("event_id", "")), event=dict(payload))
    event_id = str(payload.get("event_id", ""))
    event_type = event.get("type")
    if event_type in CHANNEL_EVENTS:
        return WebhookResult(event_id=event_id, sync_needed=True, event=dict(event))
    if event_type == "message" and event.get("channel_type", "channel") in INDEXED_CHANNEL_TYPES:
        changed = documents_touched_by(event)
        return WebhookResult(event_id=event_id, changed_ids=changed, event=dict(event))
    return WebhookResult(event_id=event_id, event=dict(event))


def documents_touched_by(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The documents a message event may have changed, to fetch again.

    A reply touches its thread and the parent's day (a first reply moves the parent out of
    its day document, a last deleted reply moves it back); fetching one that did not change
    costs a read and stops at the content hash."""
    channel_id = str(event.get("channel") or "")
    if not channel_id or event.get("subtype") in SKIPPED_SUBTYPES:
        return ()
    subtype = event.get("subtype")
    messages: list[Mapping[str, Any]] = []
    if subtype in ("message_changed", "message_replied"):
        messages = [m for m in (event.get("message"), event.get("previous_message")) if m]
    elif subtype == "message_deleted":
        previous = event.get("previous_message") or {"ts": event.get("deleted_ts")}
        messages = [previous]
    else:
        messages = [event]
    touched: dict[str, None] = {}  # ordered and unique
    for message in messages:
        ts = str(message.get("ts") or "")
        if not ts:
            continue
        thread_ts = str(message.get("thread_ts") or "")
        if thread_ts and thread_ts != ts:
            touched[thread_ref(channel_id, thread_ts).external_id] = None
            touched[day_ref(channel_id, thread_ts).external_id] = None
        elif thread_ts or int(message.get("reply_count") or 0):
            touched[thread_ref(channel_id, ts).external_id] = None
            touched[day_ref(channel_id, ts).external_id] = None
        else:
            touched[day_ref(channel_id, ts).external_id] = None
    return tuple(touched)
