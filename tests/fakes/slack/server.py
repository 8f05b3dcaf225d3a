"""A fake Slack Web API on 127.0.0.1, for the real `slack_sdk.WebClient` pointed at it with
`base_url=f"{fake.url}/api/"`.

It answers `/api/<method>` (GET or POST; arguments in the query string, a form body or a JSON
body; the token as `Authorization: Bearer`) as Slack's Web API reference describes: a JSON
object with `"ok": true`, or `"ok": false` with an `error` code and HTTP 200 (`invalid_auth`,
`token_revoked`, `channel_not_found`, `not_in_channel`, `thread_not_found`, ...), HTTP 429
with `Retry-After` and `"error": "ratelimited"`, 5xx for server trouble. Cursor pagination
uses `limit` and `cursor` with `response_metadata.next_cursor` (base64, like Slack's). Methods:
auth.test, conversations.list / history / replies / members / info, users.list / info.
`app_methods` take an app-level token instead of the bot token (tests/fakes/slack/socket_mode.py
adds `apps.connections.open` there); `calls(method)` counts the requests a method got.

Bot-token visibility as Slack has it: private channels exist only for the bot if it is a
member; the history of a public channel it was not invited to is `not_in_channel`.

`FakeSlack.big()` serves a ~10,000-message workspace for benchmarks; history pages come from
sorted in-memory indexes (bisect), so pages stay fast at any size.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from tests.connectors.contract import Mutation
from tests.fakes.http import FakeServer, Request, Response
from tests.fakes.slack.seed import (
    REPLIES,
    Channel,
    Message,
    User,
    Workspace,
    generate_workspace,
    to_micros,
)

SKIPPED_SUBTYPES = {"channel_join", "channel_leave", "group_join", "group_leave"}
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # the shape of a real one
MUTATION_WINDOW_DAYS = 3  # what mutate() touches: recent activity, as in a workspace in use


class SlackError(Exception):
    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


def _encode_cursor(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def _decode_cursor(cursor: str, prefix: str) -> str:
    try:
        value = base64.b64decode(cursor.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        raise SlackError("invalid_cursor") from None
    if not value.startswith(prefix):
        raise SlackError("invalid_cursor")
    return value[len(prefix) :]


def _flag(value: Any) -> bool:
    return str(value).lower() in ("1", "true")


def _day(ts: str) -> str:
    return datetime.fromtimestamp(int(ts.split(".")[0]), UTC).date().isoformat()


def rate_limited(retry_after: int) -> Callable[[], Response]:
    return lambda: Response(
        429, {"ok": False, "error": "ratelimited"}, headers={"Retry-After": str(retry_after)}
    )


def server_error() -> Response:
    return Response(500, {"ok": False, "error": "internal_error"})


def service_unavailable() -> Response:
    # Slack's edge answers some outages with an HTML page, not JSON.
    return Response(503, b"<html><body>Service Unavailable</body></html>", content_type="text/html")


class FakeSlack(FakeServer):
    def __init__(
        self,
        workspace: Workspace | None = None,
        *,
        seed: int = 7,
        max_page_size: int | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace or generate_workspace(seed)
        self.token = f"xoxb-{self.workspace.team_id}-{seed}-fake"
        self.signing_secret = SIGNING_SECRET
        self.revoked = False
        # Slack may return fewer items than `limit`; a small cap exercises pagination.
        self.max_page_size = max_page_size
        self._data_lock = threading.RLock()
        self._mutations = 0
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "conversations.list": self._conversations_list,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "users.list": self._users_list,
            "users.info": self._users_info,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
        }
        # What a bot said: every chat.* call in order, and the messages as they now stand.
        self.chat_calls: list[dict[str, Any]] = []
        self.posted: dict[str, dict[str, Any]] = {}
        self.direct_messages: dict[str, list[str]] = {}
        # Deactivated people: users.list / users.info show them with `deleted: true`.
        self.deleted_users: set[str] = set()
        # Methods authenticated by an app-level token (xapp-...), not the bot token.
        self.app_methods: dict[str, Callable[[str, dict[str, Any]], dict[str, Any]]] = {}

    @classmethod
    def big(cls, seed: int = 7, *, message_count: int = 10_000) -> FakeSlack:
        """A benchmark workspace: 200 people, 30 channels, `message_count` top-level messages
        (about as many replies again) over half a year."""
        workspace = generate_workspace(
            seed, message_count=message_count, user_count=200, extra_channels=20, days=180
        )
        return cls(workspace, seed=seed)

    def stop(self) -> None:
        """FakeServer.stop, without waiting out serve_forever's half-second poll: a connection
        wakes the loop as soon as the shutdown is requested."""
        server = self._server
        if server is None:
            return
        stopped = threading.Event()
        host, port = server.server_address[:2]

        def wake() -> None:
            while not stopped.wait(0.01):
                try:
                    socket.create_connection((str(host), int(port)), timeout=0.5).close()
                except OSError:
                    return

        threading.Thread(target=wake, daemon=True).start()
        try:
            super().stop()
        finally:
            stopped.set()

    # --- FakeSource -----------------------------------------------------------------------

    def credentials(self) -> dict[str, Any]:
        return {"bot_token": self.token, "signing_secret": self.signing_secret}

    def revoke_credentials(self) -> None:
        self.revoked = True

    def inject_transient_faults(self, rate: float, retry_after: int = 1) -> None:
        self.inject_faults(rate, rate_limited(retry_after), server_error, service_unavailable)

    def readable_channels(self, selected_ids: Sequence[str] = ()) -> list[Channel]:
        """What a sync of this selection reads: channels the bot is in, not archived."""
        channels = [
            channel
            for channel in self.workspace.channels
            if self.workspace.bot_user_id in channel.members and not channel.is_archived
        ]
        if selected_ids:
            channels = [channel for channel in channels if channel.id in selected_ids]
        return channels

    def expected_external_ids(self, selected_ids: Sequence[str] = ()) -> set[str]:
        with self._data_lock:
            return set(self.documents(selected_ids))

    def documents(self, selected_ids: Sequence[str] = ()) -> dict[str, tuple[Any, ...]]:
        """Every document a sync must produce, with its content (to tell changes apart)."""
        found: dict[str, tuple[Any, ...]] = {}
        for channel in self.readable_channels(selected_ids):
            days: dict[str, list[tuple[Any, ...]]] = {}
            for message in channel.top_level:
                replies = channel.replies.get(message.ts)
                if replies:
                    content = tuple(_content(item) for item in [message, *replies])
                    found[f"{channel.id}:thread:{message.ts}"] = content
                elif message.subtype not in SKIPPED_SUBTYPES:
                    days.setdefault(_day(message.ts), []).append(_content(message))
            for day, contents in days.items():
                found[f"{channel.id}:day:{day}"] = tuple(contents)
        return found

    def selectable_id(self) -> str:
        return self.workspace.channel_named("engineering").id

    def mutate(self) -> Mutation:
        """Edits, new messages and replies, deletions in the last few days of several
        channels. Replies are not edited: an edited reply reaches a connector only through
        the Events API (`message_changed`), which the webhook tests cover."""
        with self._data_lock:
            before = self.documents()
            self._mutations += 1
            rng = random.Random(1000 + self._mutations)
            _Mutator(self.workspace, rng).run()
            after = self.documents()
        return Mutation(
            changed={key for key in before.keys() & after.keys() if before[key] != after[key]},
            added=set(after) - set(before),
            deleted=set(before) - set(after),
        )

    # --- webhooks -------------------------------------------------------------------------

    def sign(
        self, body: bytes, timestamp: int | None = None, secret: str | None = None
    ) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        base = b"v0:" + stamp.encode() + b":" + body
        digest = hmac.new((secret or self.signing_secret).encode(), base, hashlib.sha256)
        return {
            "Content-Type": "application/json",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest.hexdigest()}",
        }

    def event_delivery(self, event: Mapping[str, Any], event_id: str = "Ev0FAKE0001") -> bytes:
        """An Events API `event_callback` envelope around `event`."""
        payload = {
            "token": "XXYYZZ-verification-token",
            "team_id": self.workspace.team_id,
            "api_app_id": "A0KNOWLEDGE",
            "event": dict(event),
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": self.workspace.team_id,
                    "user_id": self.workspace.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        return json.dumps(payload).encode()

    def message_event(self) -> dict[str, Any]:
        channel = self.workspace.channel_named("engineering")
        author = channel.members[0]
        ts = self.workspace.fresh_ts()
        return {
            "type": "message",
            "channel": channel.id,
            "user": author,
            "text": "Is the staging cluster down for anyone else?",
            "ts": ts,
            "event_ts": ts,
            "channel_type": "channel",
        }

    def signed_webhook(self) -> tuple[dict[str, str], bytes]:
        body = self.event_delivery(self.message_event())
        return self.sign(body), body

    def forged_webhook(self) -> tuple[dict[str, str], bytes]:
        body = self.event_delivery(self.message_event())
        return self.sign(body, secret="not-the-signing-secret"), body

    # --- the Web API ----------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        if not request.path.startswith("/api/"):
            return Response(404, b"Not Found", content_type="text/plain")
        method = request.path[len("/api/") :]
        params: dict[str, Any] = dict(request.query)
        content_type = request.headers.get("Content-Type", "")
        if request.body and "json" in content_type:
            params.update(request.json())
        elif request.body:
            params.update(request.form())
        token = request.bearer_token() or str(params.get("token") or "")
        try:
            if method in self.app_methods:
                with self._data_lock:
                    return Response(200, {"ok": True, **self.app_methods[method](token, params)})
            if not token:
                raise SlackError("not_authed")
            if token != self.token:
                raise SlackError("invalid_auth")
            if self.revoked:
                raise SlackError("token_revoked")
            handler = self._methods.get(method)
            if handler is None:
                raise SlackError("unknown_method")
            with self._data_lock:
                result = handler(params)
        except SlackError as error:
            return Response(200, {"ok": False, "error": error.code, **error.extra})
        return Response(200, {"ok": True, **result})

    def _limit(self, params: Mapping[str, Any], default: int, maximum: int) -> int:
        try:
            limit = int(params.get("limit") or default)
        except ValueError:
            raise SlackError("invalid_limit") from None
        limit = max(1, min(limit, maximum))
        return min(limit, self.max_page_size) if self.max_page_size else limit

    def _page(
        self,
        items: Sequence[Any],
        params: Mapping[str, Any],
        key: Callable[[Any], str],
        prefix: str,
        default: int,
    ) -> tuple[list[Any], dict[str, Any]]:
        """Cursor pagination over a list; the cursor names the first item of the next page."""
        start = 0
        if params.get("cursor"):
            wanted = _decode_cursor(str(params["cursor"]), prefix)
            start = next((index for index, item in enumerate(items) if key(item) == wanted), -1)
            if start < 0:
                raise SlackError("invalid_cursor")
        limit = self._limit(params, default, 1000)
        page = list(items[start : start + limit])
        following = start + limit
        metadata = {
            "next_cursor": _encode_cursor(prefix + key(items[following]))
            if following < len(items)
            else ""
        }
        return page, {"response_metadata": metadata}

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        workspace = self.workspace
        return {
            "url": workspace.url,
            "team": workspace.team_name,
            "user": "knowledge-bot",
            "team_id": workspace.team_id,
            "user_id": workspace.bot_user_id,
            "bot_id": workspace.bot_id,
            "is_enterprise_install": False,
        }

    def _visible(self, channel: Channel) -> bool:
        return not channel.is_private or self.workspace.bot_user_id in channel.members

    def _channel_for(self, params: Mapping[str, Any], *, reading: bool) -> Channel:
        channel = self.workspace.channel(str(params.get("channel") or ""))
        if channel is None or not self._visible(channel):
            raise SlackError("channel_not_found")
        if reading and self.workspace.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel

    def _channel_object(self, channel: Channel) -> dict[str, Any]:
        members = channel.members
        return {
            "id": channel.id,
            "name": channel.name,
            "is_channel": True,
            "is_group": False,
            "is_im": False,
            "is_mpim": False,
            "is_private": channel.is_private,
            "created": channel.created,
            "is_archived": channel.is_archived,
            "is_general": channel.name == "general",
            "unlinked": 0,
            "name_normalized": channel.name,
            "is_shared": False,
            "is_org_shared": False,
            "is_pending_ext_shared": False,
            "context_team_id": self.workspace.team_id,
            "creator": channel.creator,
            "is_member": self.workspace.bot_user_id in members,
            "topic": {
                "value": channel.topic,
                "creator": channel.creator,
                "last_set": channel.created,
            },
            "purpose": {
                "value": channel.purpose,
                "creator": channel.creator,
                "last_set": channel.created,
            },
            "num_members": len(members),
        }

    def _conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        types = set(str(params.get("types") or "public_channel").split(","))
        channels = [
            channel
            for channel in sorted(self.workspace.channels, key=lambda channel: channel.id)
            if self._visible(channel)
            and ("private_channel" if channel.is_private else "public_channel") in types
            and not (channel.is_archived and _flag(params.get("exclude_archived")))
        ]
        page, extra = self._page(channels, params, lambda channel: channel.id, "team:", 100)
        return {"channels": [self._channel_object(channel) for channel in page], **extra}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._channel_object(self._channel_for(params, reading=False))}

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for(params, reading=False)
        page, extra = self._page(channel.members, params, str, "user:", 100)
        return {"members": page, **extra}

    def _message_object(self, channel: Channel, message: Message) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "message", "ts": message.ts, "text": message.text}
        if message.subtype:
            data["subtype"] = message.subtype
        if message.bot_id:
            data.update(
                bot_id=message.bot_id,
                username=message.bot_name,
                bot_profile={
                    "id": message.bot_id,
                    "name": message.bot_name,
                    "app_id": "A0DEPLOYAPP",
                    "team_id": self.workspace.team_id,
                    "deleted": False,
                },
            )
        else:
            data.update(user=message.user, team=self.workspace.team_id)
        if message.edited_ts:
            data["edited"] = {"user": message.edited_by or message.user, "ts": message.edited_ts}
        if message.thread_ts:
            data["thread_ts"] = message.thread_ts
        replies = channel.replies.get(message.ts) if message.thread_ts == message.ts else None
        if replies:
            users = list(dict.fromkeys(reply.user for reply in replies))
            data.update(
                reply_count=len(replies),
                reply_users_count=len(users),
                latest_reply=replies[-1].ts,
                reply_users=users[:5],
                is_locked=False,
                subscribed=False,
            )
        elif message.thread_ts and message.thread_ts != message.ts:
            parent = channel.find_top_level(message.thread_ts)
            data["parent_user_id"] = parent.user if parent else ""
        if message.subtype == "tombstone":
            data["hidden"] = True
        return data

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for(params, reading=True)
        inclusive = _flag(params.get("inclusive"))
        low = to_micros(str(params["oldest"])) if params.get("oldest") else 0
        high = to_micros(str(params["latest"])) if params.get("latest") else 10**18
        if not inclusive:
            low, high = low + 1, high - 1
        if params.get("cursor"):
            high = min(high, int(_decode_cursor(str(params["cursor"]), "next_ts:")))
        span = channel.span(low, high)
        limit = self._limit(params, 100, 999)
        page = span[-limit:][::-1]  # newest first
        result: dict[str, Any] = {
            "messages": [self._message_object(channel, message) for message in page],
            "has_more": len(span) > limit,
            "pin_count": 0,
        }
        if len(span) > limit:
            result["response_metadata"] = {
                "next_cursor": _encode_cursor(f"next_ts:{span[-limit - 1].micros}")
            }
        return result

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_for(params, reading=True)
        ts = str(params.get("ts") or "")
        parent = channel.find_top_level(ts)
        if parent is None:
            # `ts` may name a reply: the whole thread comes back.
            parent_ts = next(
                (
                    key
                    for key, replies in channel.replies.items()
                    if any(r.ts == ts for r in replies)
                ),
                None,
            )
            parent = channel.find_top_level(parent_ts) if parent_ts else None
        if parent is None:
            raise SlackError("thread_not_found")
        replies = channel.replies.get(parent.ts, [])
        page, extra = self._page(replies, params, lambda reply: reply.ts, "next_ts:", 1000)
        has_more = bool(extra["response_metadata"]["next_cursor"])
        # Slack puts the parent atop every page of a thread.
        messages = [self._message_object(channel, item) for item in [parent, *page]]
        return {"messages": messages, "has_more": has_more, **extra}

    # --- what a bot says (chat.*) ----------------------------------------------------------

    def open_direct_message(self, user_id: str) -> str:
        """The id of a user's direct-message channel with the bot (kept apart from channels,
        as conversations.list with public/private types does not list IMs)."""
        channel_id = "D" + user_id[1:]
        self.direct_messages[channel_id] = [self.workspace.bot_user_id, user_id]
        return channel_id

    def _posting_channel(self, params: Mapping[str, Any]) -> tuple[str, list[str]]:
        """The channel a bot posts to, and its members."""
        channel_id = str(params.get("channel") or "")
        if channel_id in self.direct_messages:
            return channel_id, self.direct_messages[channel_id]
        channel = next((c for c in self.workspace.channels if c.id == channel_id), None)
        if channel is None or not self._visible(channel):
            raise SlackError("channel_not_found")
        if channel.is_archived:
            raise SlackError("is_archived")
        if self.workspace.bot_user_id not in channel.members:
            raise SlackError("not_in_channel")
        return channel.id, channel.members

    @staticmethod
    def _message_fields(params: Mapping[str, Any]) -> dict[str, Any]:
        blocks = params.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise SlackError("no_text")
        return {"text": text, "blocks": blocks or []}

    def _chat_post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id, _ = self._posting_channel(params)
        ts = self.workspace.fresh_ts()
        message = {
            "type": "message",
            "user": self.workspace.bot_user_id,
            "bot_id": self.workspace.bot_id,
            "ts": ts,
            "thread_ts": str(params.get("thread_ts") or "") or None,
            "channel": channel_id,
            **self._message_fields(params),
        }
        self.posted[ts] = message
        self.chat_calls.append({"method": "chat.postMessage", **message})
        return {"channel": channel_id, "ts": ts, "message": message}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id, _ = self._posting_channel(params)
        ts = str(params.get("ts") or "")
        message = self.posted.get(ts)
        if message is None or message["channel"] != channel_id:
            raise SlackError("message_not_found")
        message.update(self._message_fields(params))
        self.chat_calls.append({"method": "chat.update", **message})
        return {"channel": channel_id, "ts": ts, "text": message["text"]}

    def _chat_post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel_id, members = self._posting_channel(params)
        user = str(params.get("user") or "")
        if user not in members:
            raise SlackError("user_not_in_channel")
        ts = self.workspace.fresh_ts()
        self.chat_calls.append(
            {
                "method": "chat.postEphemeral",
                "channel": channel_id,
                "user": user,
                "ts": ts,
                "thread_ts": str(params.get("thread_ts") or "") or None,
                **self._message_fields(params),
            }
        )
        return {"message_ts": ts}

    def visible_posts(self, channel_id: str) -> list[dict[str, Any]]:
        """The bot's messages everyone in the channel sees, as they stand now."""
        return [message for message in self.posted.values() if message["channel"] == channel_id]

    def _user_object(self, user: User) -> dict[str, Any]:
        profile: dict[str, Any] = {
            "title": user.title,
            "phone": "",
            "real_name": user.real_name,
            "real_name_normalized": user.real_name,
            "display_name": user.display_name,
            "display_name_normalized": user.display_name,
            "status_text": "",
            "image_48": f"https://avatars.slack-edge.com/{user.id}_48.png",
            "team": self.workspace.team_id,
        }
        if user.is_bot:
            profile["bot_id"] = self.workspace.bot_id
        else:
            profile["email"] = user.email
        return {
            "id": user.id,
            "team_id": self.workspace.team_id,
            "name": user.handle,
            "deleted": user.id in self.deleted_users,
            "real_name": user.real_name,
            "tz": "Europe/Paris",
            "tz_label": "Central European Time",
            "tz_offset": 3600,
            "profile": profile,
            "is_admin": user.is_admin,
            "is_owner": user.is_admin,
            "is_bot": user.is_bot,
            "is_app_user": False,
            "updated": self.workspace.now - 86_400,
        }

    def calls(self, method: str) -> int:
        """How many requests the Web API method `method` (say "users.list") got."""
        return sum(1 for request in list(self.requests) if request.path == f"/api/{method}")

    def user_event(self, user_id: str, kind: str = "user_change") -> dict[str, Any]:
        """A `user_change` / `team_join` event carrying the person as users.info shows them."""
        user = self.workspace.user(user_id)
        assert user is not None, user_id
        return {
            "type": kind,
            "user": self._user_object(user),
            "cache_ts": int(time.time()),
            "event_ts": self.workspace.fresh_ts(),
        }

    def _users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        users = self.workspace.users
        if not params.get("limit") and not params.get("cursor") and not self.max_page_size:
            page, extra = list(users), {"response_metadata": {"next_cursor": ""}}
        else:
            page, extra = self._page(users, params, lambda user: user.id, "user:", 1000)
        return {
            "members": [self._user_object(user) for user in page],
            "cache_ts": int(time.time()),
            **extra,
        }

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.workspace.user(str(params.get("user") or ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": self._user_object(user)}


def _content(message: Message) -> tuple[Any, ...]:
    return (message.ts, message.user, message.text, message.subtype, message.edited_ts)


class _Mutator:
    """One round of realistic activity in the recent days (see FakeSlack.mutate)."""

    def __init__(self, workspace: Workspace, rng: random.Random) -> None:
        self.workspace = workspace
        self.rng = rng
        self.since = to_micros(str(int(time.time()) - MUTATION_WINDOW_DAYS * 86_400))
        self.touched: set[str] = set()  # documents already used by this round

    def _channels(self) -> list[Channel]:
        return [
            channel
            for channel in self.workspace.channels
            if self.workspace.bot_user_id in channel.members and not channel.is_archived
        ]

    def _recent(self) -> Iterator[tuple[Channel, Message]]:
        pairs = [
            (channel, message)
            for channel in self._channels()
            for message in channel.top_level
            if message.micros >= self.since and message.subtype not in SKIPPED_SUBTYPES
        ]
        self.rng.shuffle(pairs)
        return iter(pairs)

    def _pick(
        self, want: Callable[[Channel, Message], bool], count: int = 1
    ) -> list[tuple[Channel, Message]]:
        picked = []
        for channel, message in self._recent():
            # Both documents a message may end up in: a first reply moves it to a thread.
            documents = {
                f"{channel.id}:thread:{message.ts}",
                f"{channel.id}:day:{_day(message.ts)}",
            }
            if documents & self.touched or not want(channel, message):
                continue
            self.touched |= documents
            picked.append((channel, message))
            if len(picked) == count:
                break
        return picked

    def _day_messages(self, channel: Channel, message: Message) -> list[Message]:
        day = _day(message.ts)
        return [
            other
            for other in channel.top_level
            if _day(other.ts) == day
            and not channel.replies.get(other.ts)
            and other.subtype not in SKIPPED_SUBTYPES
        ]

    def _reply(self, channel: Channel, parent: Message) -> None:
        people = [member for member in channel.members if member != self.workspace.bot_user_id]
        reply = Message(
            ts=self.workspace.fresh_ts(),
            user=self.rng.choice(people),
            text=self.rng.choice(REPLIES),
            thread_ts=parent.ts,
        )
        parent.thread_ts = parent.ts
        channel.replies.setdefault(parent.ts, []).append(reply)

    def _is_day_message(self, channel: Channel, message: Message) -> bool:
        return not channel.replies.get(message.ts) and not message.bot_id

    def _is_thread(self, channel: Channel, message: Message) -> bool:
        return bool(channel.replies.get(message.ts))

    def _has_replies_to_spare(self, channel: Channel, message: Message) -> bool:
        return len(channel.replies.get(message.ts, [])) >= 2

    def _shares_its_day(self, channel: Channel, message: Message) -> bool:
        return (
            self._is_day_message(channel, message)
            and len(self._day_messages(channel, message)) >= 2
        )

    def run(self) -> None:
        workspace = self.workspace
        # Edit messages outside threads, and one thread's opening message.
        for _, message in self._pick(self._is_day_message, 3) + self._pick(self._is_thread, 1):
            message.text += " (edit: updated after the review)"
            message.edited_ts = workspace.fresh_ts()
            message.edited_by = message.user
        # New replies to a thread, and a first reply that turns a message into a thread.
        for channel, parent in self._pick(self._is_thread, 1) + self._pick(self._is_day_message, 1):
            self._reply(channel, parent)
            self._reply(channel, parent)
        # One reply deleted.
        for channel, parent in self._pick(self._has_replies_to_spare, 1):
            channel.replies[parent.ts].pop(self.rng.randrange(len(channel.replies[parent.ts])))
        # One message deleted from a day that keeps others; a whole day emptied.
        for channel, message in self._pick(self._shares_its_day, 1):
            channel.remove_top_level(message)
        for channel, message in self._pick(self._is_day_message, 1):
            for other in self._day_messages(channel, message):
                channel.remove_top_level(other)
        # A whole thread deleted: its replies, then its opening message.
        for channel, parent in self._pick(self._is_thread, 1):
            channel.replies.pop(parent.ts)
            channel.remove_top_level(parent)
        # New messages, now.
        channel = workspace.channel_named("product")
        people = [member for member in channel.members if member != workspace.bot_user_id]
        for _ in range(3):
            channel.add_top_level(
                Message(
                    ts=workspace.fresh_ts(),
                    user=self.rng.choice(people),
                    text=f"<@{self.rng.choice(people)}> the customer call notes are in the doc.",
                )
            )
