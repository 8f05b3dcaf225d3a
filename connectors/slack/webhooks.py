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
from urllib.parse import parse_qs

from slack_sdk.signature import SignatureVerifier

from connectors.base import WebhookResult
from connectors.errors import MalformedWebhook, WebhookRejected
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
        raise MalformedWebhook("The delivery's body is not UTF-8.") from None
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
    return _json_object(body)


def interaction_payload(body: bytes) -> dict[str, Any]:
    """The JSON `payload` field of a signed interactivity delivery (a form post), checked for
    the shape the feedback buttons read: `type`, `user.id` and `actions` of objects."""
    try:
        # Slack posts one field; a flood of fields is not Slack.
        form = parse_qs(body.decode("utf-8"), max_num_fields=20)
    except (UnicodeDecodeError, ValueError):
        raise MalformedWebhook("The delivery is not a form with a payload field.") from None
    payload = _json_object(form.get("payload", [""])[0].encode())
    _text(payload, "type")
    user = _object(payload, "user")
    if user is not None:
        _text(user, "id")
    actions = payload.get("actions")
    if actions is not None and not isinstance(actions, list):
        raise MalformedWebhook("The delivery's 'actions' is not a list.")
    for action in actions or []:
        if not isinstance(action, Mapping):
            raise MalformedWebhook("An action of the delivery is not an object.")
        _text(action, "action_id")
        _text(action, "value")
    return payload


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise MalformedWebhook("The delivery's body is not JSON (or nests too deeply).") from None
    if not isinstance(payload, dict):
        raise MalformedWebhook("The delivery's body is not a JSON object.")
    return payload


def _text(mapping: Mapping[str, Any], key: str) -> str:
    """A string field, or "" when it is absent; another type is a malformed delivery."""
    value = mapping.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedWebhook(f"The delivery's '{key}' is not a string.")
    return value


def _object(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = mapping.get(key)
    if value is None or isinstance(value, Mapping):
        return value
    raise MalformedWebhook(f"The delivery's '{key}' is not an object.")


def interpret(payload: Mapping[str, Any]) -> WebhookResult:
    kind = _text(payload, "type")
    if kind == "url_verification":
        return WebhookResult(response={"challenge": _text(payload, "challenge")})
    event_id = _text(payload, "event_id")
    if kind != "event_callback":
        return WebhookResult(event_id=event_id, event=dict(payload))
    event = _object(payload, "event")
    if event is None:
        raise MalformedWebhook("The event delivery has no 'event' object.")
    event_type = _text(event, "type")
    if event_type in CHANNEL_EVENTS:
        return WebhookResult(event_id=event_id, sync_needed=True, event=dict(event))
    if event_type == "message" and (_text(event, "channel_type") or "channel") in (
        INDEXED_CHANNEL_TYPES
    ):
        changed = documents_touched_by(event)
        return WebhookResult(event_id=event_id, changed_ids=changed, event=dict(event))
    return WebhookResult(event_id=event_id, event=dict(event))


def documents_touched_by(event: Mapping[str, Any]) -> tuple[str, ...]:
    """The documents a message event may have changed, to fetch again.

    A reply touches its thread and the parent's day (a first reply moves the parent out of
    its day document, a last deleted reply moves it back); fetching one that did not change
    costs a read and stops at the content hash."""
    channel_id = _text(event, "channel")
    subtype = _text(event, "subtype")
    if not channel_id or subtype in SKIPPED_SUBTYPES:
        return ()
    messages: list[Mapping[str, Any]] = []
    if subtype in ("message_changed", "message_replied"):
        messages = [m for m in (_object(event, "message"), _object(event, "previous_message")) if m]
    elif subtype == "message_deleted":
        previous = _object(event, "previous_message") or {"ts": _text(event, "deleted_ts")}
        messages = [previous]
    else:
        messages = [event]
    touched: dict[str, None] = {}  # ordered and unique
    for message in messages:
        ts = _text(message, "ts")
        if not ts:
            continue
        thread_ts = _text(message, "thread_ts")
        reply_count = message.get("reply_count") or 0
        if not isinstance(reply_count, int):
            raise MalformedWebhook("The message's 'reply_count' is not a number.")
        if thread_ts and thread_ts != ts:
            touched[thread_ref(channel_id, thread_ts).external_id] = None
            touched[day_ref(channel_id, thread_ts).external_id] = None
        elif thread_ts or reply_count:
            touched[thread_ref(channel_id, ts).external_id] = None
            touched[day_ref(channel_id, ts).external_id] = None
        else:
            touched[day_ref(channel_id, ts).external_id] = None
    return tuple(touched)
