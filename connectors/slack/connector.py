"""The Slack connector: channels the bot is a member of, through the official `slack_sdk`.

Documents: a thread is one document (`{channel}:thread:{parent ts}`); messages outside threads
are grouped per UTC day (`{channel}:day:{YYYY-MM-DD}`). A private channel's documents may be
read by its members (their emails); a public channel's by everyone.

Incremental syncs and what they can see. Slack's history is ordered by a message's creation
time, and neither an edit nor a reply changes where a message sits in it, so "what is new since
the cursor" misses edits, replies and deletions. Each incremental sync therefore re-reads the
recent window of every channel (`recent_days`, from a UTC midnight, and at least back to the
previous sync) and compares each document's signature with the one the cursor recorded:
edited or deleted messages change their day's signature, new or deleted replies change the
parent's `reply_count` / `latest_reply`, and a recorded document no longer found is deleted.
Outside the window, and for edits of replies (which leave the parent untouched), the Events
API webhook is the source of truth: it names the thread or day to fetch again. A channel whose
name, privacy or members changed is read again in full, so every document gets the new access
list; a channel that is archived, deleted or left has its recorded documents deleted.
"""

from __future__ import annotations

import http.client
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from connectors.base import (
    Connector,
    CredentialHelp,
    Cursor,
    SyncGenerator,
    WebhookResult,
    retry_after_seconds,
)
from connectors.documents import (
    PUBLIC,
    AccessList,
    Checkpoint,
    Deletion,
    DocumentInput,
    HierarchyNode,
    ItemFailure,
    Progress,
    SourceAccount,
    SyncItem,
)
from connectors.errors import (
    ConnectorError,
    InvalidConfiguration,
    InvalidCredentials,
    ItemUnavailable,
    RateLimited,
    TransientError,
    UnexpectedResponse,
    api_code,
)
from connectors.slack import webhooks
from connectors.slack.client import GuardedWebClient
from connectors.slack.mapping import (
    DAY,
    THREAD,
    ChannelContext,
    DocumentRef,
    day_bounds,
    day_document,
    day_of,
    group_by_day,
    is_indexed,
    is_reply,
    is_thread_parent,
    parse_external_id,
    signature,
    thread_document,
    thread_ref,
    trim,
)
from connectors.slack.state import (
    ChannelRecord,
    SyncState,
    make_cursor,
    records_from_cursor,
)

SECONDS_PER_DAY = 86_400

INVALID_CREDENTIALS_MESSAGES = {
    "invalid_auth": "Slack refused the bot token. Paste the app's current Bot User OAuth "
    "Token (xoxb-…).",
    "not_authed": "No Slack bot token was sent. Paste the app's Bot User OAuth Token (xoxb-…).",
    "token_revoked": "The Slack bot token was revoked (the app was uninstalled or its token "
    "rotated). Reinstall the app and paste its new token.",
    "token_expired": "The Slack bot token expired. Paste a current token.",
    "account_inactive": "The Slack bot user was deactivated. Reinstall the app and paste its "
    "new token.",
}
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
# The item is gone (or the bot was removed from it): for fetch_document, a deletion.
GONE_MESSAGES = {
    "channel_not_found": "The channel was deleted, or it is private and the bot is not in it.",
    "not_in_channel": "The bot is not a member of this channel: invite it (/invite @bot).",
    "is_archived": "The channel is archived.",
    "thread_not_found": "The thread was deleted.",
    "message_not_found": "The message was deleted.",
}
UNREADABLE_ERRORS = frozenset({"missing_scope", "user_not_found", "access_denied"})


class SlackItemGone(ItemUnavailable):
    """The channel, thread or message no longer exists for the bot."""


@dataclass(frozen=True)
class Person:
    name: str
    email: str  # lower-case; empty for bots and guests without one


def next_cursor(response: SlackResponse) -> str:
    metadata = response.get("response_metadata") or {}
    return str(metadata.get("next_cursor") or "")


def _person(user: Mapping[str, Any]) -> Person:
    profile = user.get("profile") or {}
    name = (
        profile.get("real_name")
        or user.get("real_name")
        or profile.get("display_name")
        or user.get("name")
        or user.get("id", "")
    )
    email = "" if user.get("is_bot") or user.get("deleted") else str(profile.get("email") or "")
    return Person(name=str(name), email=email.strip().lower())


def classify_api_error(error: SlackApiError) -> ConnectorError | None:
    response = error.response
    if isinstance(response, dict):
        # slack-sdk raises with its raw response dict when the body is not JSON.
        headers = response.get("headers") or {}
        content_type = headers.get("content-type", "") if hasattr(headers, "get") else ""
        return UnexpectedResponse("Slack", response.get("status"), str(content_type))
    status = int(response.status_code or 0)
    data = response.data if isinstance(response.data, dict) else {}
    code = str(data.get("error") or "")
    headers = {str(name).lower(): value for name, value in (response.headers or {}).items()}
    retry_after = headers.get("retry-after")
    if isinstance(retry_after, list):
        retry_after = retry_after[0] if retry_after else None
    if status == 429 or code == "ratelimited":
        seconds = retry_after_seconds(str(retry_after)) if retry_after is not None else None
        return RateLimited("Slack asked to slow down.", retry_after=seconds)
    if code in INVALID_CREDENTIALS_MESSAGES:
        return InvalidCredentials(INVALID_CREDENTIALS_MESSAGES[code])
    if status >= 500 or code in TRANSIENT_ERRORS:
        return TransientError(f"Slack is unavailable right now ({status} {api_code(code)}).")
    if code in GONE_MESSAGES:
        return SlackItemGone(GONE_MESSAGES[code])
    if code in UNREADABLE_ERRORS:
        needed = str(data.get("needed") or "")
        shown = needed if all(api_code(scope) for scope in re.split(r"[:,]", needed)) else ""
        detail = f" (the app needs the {shown} scope)" if shown else ""
        return ItemUnavailable(f"Slack refused to share this: {code}{detail}.")
    if not code:
        # Slack's API always names its error; an answer without one is not Slack's API.
        content_type = headers.get("content-type", "")
        if isinstance(content_type, list):
            content_type = content_type[0] if content_type else ""
        return UnexpectedResponse("Slack", status, str(content_type))
    return None


class SlackConnector(Connector):
    kind = "slack"
    display_name = "Slack"
    # app_token (xapp-…) is optional: only the Slack bot's Socket Mode uses it.
    credential_fields = ("bot_token", "signing_secret", "app_token")
    credential_help = {
        "bot_token": CredentialHelp(
            "Bot token (xoxb-…)",
            "Your Slack app → OAuth & Permissions → Bot User OAuth Token, after installing the "
            "app to the workspace.",
            "https://api.slack.com/authentication/token-types#bot",
        ),
        "signing_secret": CredentialHelp(
            "Signing secret",
            "Your Slack app → Basic Information → App Credentials → Signing Secret; it "
            "verifies the events Slack sends to the webhook URL.",
            "https://api.slack.com/authentication/verifying-requests-from-slack",
        ),
        "app_token": CredentialHelp(
            "App-level token (xapp-…, optional)",
            "Your Slack app → Basic Information → App-Level Tokens; only for Socket Mode.",
            "https://api.slack.com/authentication/token-types#app-level",
        ),
    }
    secret_fields = ("bot_token", "signing_secret", "app_token")
    handles_webhooks = True
    # conversations.history and .replies are Tier 3 (50+ a minute) for an app a company
    # creates for its own workspace. (Apps distributed outside the Marketplace get Tier 1 since
    # 2025: one a minute, 15 messages a page; such a connection must lower this setting.)
    requests_per_minute: ClassVar[int] = 50

    history_page_size: ClassVar[int] = 200
    list_page_size: ClassVar[int] = 200
    # How far back an incremental sync looks for edits, replies and deletions.
    recent_days: ClassVar[int] = 7
    # Reach a little before the previous sync, for clock skew between us and Slack.
    overlap_seconds: ClassVar[int] = 10 * 60

    def __init__(self, credentials: Mapping[str, Any], **options: Any) -> None:
        super().__init__(credentials, **options)
        self._client: GuardedWebClient | None = None
        self._team_url = ""
        self._people: dict[str, Person] | None = None
        self._channel_names: dict[str, str] = {}
        self._contexts: dict[str, ChannelContext] = {}

    # --- the client ---------------------------------------------------------------------

    @property
    def client(self) -> GuardedWebClient:
        if self._client is None:
            token = str(self.credentials.get("bot_token") or "").strip()
            if not token:
                raise InvalidConfiguration("A Slack Bot User OAuth Token (xoxb-…) is required.")
            base_url = f"{self.base_url.rstrip('/')}/api/" if self.base_url else WebClient.BASE_URL
            # No retry handlers: Connector.call is the one retry policy.
            self._client = GuardedWebClient(
                token=token,
                base_url=base_url,
                retry_handlers=[],
                timeout=30,
                policy=self.outbound,
            )
        return self._client

    def classify_error(self, error: Exception) -> ConnectorError | None:
        if isinstance(error, SlackApiError):
            return classify_api_error(error)
        if isinstance(error, OSError | http.client.HTTPException):
            return TransientError(f"Could not reach Slack: {error}")
        return None

    def _pages(
        self, method: Callable[..., SlackResponse], key: str, **params: Any
    ) -> Iterator[dict[str, Any]]:
        cursor = ""
        while True:
            response = self.call(method, cursor=cursor or None, **params)
            yield from response.get(key) or []
            cursor = next_cursor(response)
            if not cursor:
                return

    # --- account, people, channels --------------------------------------------------------

    def last_answer(self) -> tuple[int | None, str]:
        return self._client.last_answer if self._client is not None else (None, "")

    def validate_credentials(self) -> SourceAccount:
        response = self.call(self.client.auth_test)
        if not isinstance(response.data, dict) or not response.get("team_id"):
            raise UnexpectedResponse("Slack", *self.last_answer())
        self._team_url = str(response.get("url") or "")
        return SourceAccount(
            id=str(response["team_id"]),
            name=str(response.get("team") or response["team_id"]),
            details={
                "bot_user": response.get("user", ""),
                "bot_user_id": response.get("user_id", ""),
                "url": self._team_url,
            },
        )

    def team_url(self) -> str:
        if not self._team_url:
            self._team_url = str(self.call(self.client.auth_test).get("url") or "")
        return self._team_url or "https://slack.com/"

    def person(self, user_id: str) -> Person:
        """Everyone in the workspace comes from one paginated users.list per connector; a user
        it did not list (from another workspace of a shared channel) is looked up alone."""
        if self._people is None:
            self._people = {
                str(user["id"]): _person(user)
                for user in self._pages(
                    self.client.users_list, "members", limit=self.list_page_size
                )
            }
        found = self._people.get(user_id)
        if found is None:
            try:
                found = _person(self.call(self.client.users_info, user=user_id)["user"])
            except ItemUnavailable:
                found = Person(name=user_id, email="")
            self._people[user_id] = found
        return found

    def name_of(self, user_id: str) -> str:
        return self.person(user_id).name

    def channel_name_of(self, channel_id: str) -> str:
        return self._channel_names.get(channel_id, channel_id)

    def _list_channels(self) -> dict[str, dict[str, Any]]:
        channels = {
            str(channel["id"]): channel
            for channel in self._pages(
                self.client.conversations_list,
                "channels",
                types="public_channel,private_channel",
                exclude_archived=True,
                limit=self.list_page_size,
            )
        }
        self._channel_names.update({key: str(value["name"]) for key, value in channels.items()})
        return channels

    def list_hierarchy(self, parent_id: str | None = None) -> list[HierarchyNode]:
        if parent_id is not None:
            return []  # channels are the only pickable part
        team_url = self.team_url()
        return [
            HierarchyNode(
                id=channel_id,
                title=f"#{channel['name']}",
                kind="channel",
                url=f"{team_url.rstrip('/')}/archives/{channel_id}",
                details={
                    "private": bool(channel.get("is_private")),
                    "members": int(channel.get("num_members") or 0),
                    "bot_is_member": bool(channel.get("is_member")),
                },
            )
            for channel_id, channel in sorted(
                self._list_channels().items(), key=lambda item: str(item[1]["name"])
            )
        ]

    def channel_context(self, channel: Mapping[str, Any]) -> ChannelContext:
        channel_id = str(channel["id"])
        if channel_id not in self._contexts:
            access = PUBLIC
            if channel.get("is_private"):
                members = self._pages(
                    self.client.conversations_members,
                    "members",
                    channel=channel_id,
                    limit=self.list_page_size,
                )
                emails = {self.person(str(member)).email for member in members}
                access = AccessList(public=False, emails=tuple(sorted(emails - {""})))
            self._channel_names[channel_id] = str(channel["name"])
            self._contexts[channel_id] = ChannelContext(
                id=channel_id,
                name=str(channel["name"]),
                is_private=bool(channel.get("is_private")),
                access=access,
                team_url=self.team_url(),
            )
        return self._contexts[channel_id]

    @staticmethod
    def fingerprint(context: ChannelContext) -> str:
        """What every document of a channel shares: when it changes, all of them change."""
        return signature(
            [{"name": context.name, "private": context.is_private, "emails": context.access.emails}]
        )

    # --- documents ----------------------------------------------------------------------

    def thread_messages(self, channel_id: str, thread_ts: str) -> list[dict[str, Any]]:
        """The parent, then its replies (Slack repeats the parent atop every page)."""
        by_ts: dict[str, dict[str, Any]] = {}
        for message in self._pages(
            self.client.conversations_replies,
            "messages",
            channel=channel_id,
            ts=thread_ts,
            limit=self.history_page_size,
        ):
            by_ts.setdefault(str(message["ts"]), trim(message))
        parent = by_ts.pop(thread_ts, None)
        replies = sorted(by_ts.values(), key=lambda message: float(message["ts"]))
        return [parent, *replies] if parent else replies

    def _thread_document(self, context: ChannelContext, thread_ts: str) -> DocumentInput | None:
        messages = self.thread_messages(context.id, thread_ts)
        if len(messages) < 2 or messages[0]["ts"] != thread_ts:
            return None  # deleted, or its last reply was: the parent is back in its day
        return thread_document(context, messages, self.name_of, self.channel_name_of)

    def fetch_document(self, external_id: str) -> DocumentInput | Deletion:
        ref = parse_external_id(external_id)
        if ref is None:
            raise ItemUnavailable(f"{external_id!r} is not a Slack document id.")
        try:
            channel = self.call(self.client.conversations_info, channel=ref.channel_id)["channel"]
            if channel.get("is_archived"):
                return Deletion(external_id)
            context = self.channel_context(channel)
            document = (
                self._thread_document(context, ref.key)
                if ref.kind == THREAD
                else self._day_document(context, ref.key)
            )
        except SlackItemGone:
            return Deletion(external_id)
        return document or Deletion(external_id)

    def _day_document(self, context: ChannelContext, day: str) -> DocumentInput | None:
        oldest, latest = day_bounds(day)
        messages = self._pages(
            self.client.conversations_history,
            "messages",
            channel=context.id,
            oldest=oldest,
            latest=latest,
            inclusive=True,
            limit=self.history_page_size,
        )
        found = group_by_day(trim(message) for message in messages).get(day)
        if not found:
            return None
        return day_document(context, day, found, self.name_of, self.channel_name_of)

    # --- syncs --------------------------------------------------------------------------

    def full_sync(
        self, selected_ids: Sequence[str], resume: Mapping[str, Any] | None = None
    ) -> SyncGenerator:
        return self._sync(selected_ids, previous=None, resume=resume)

    def incremental_sync(
        self,
        selected_ids: Sequence[str],
        cursor: Cursor,
        resume: Mapping[str, Any] | None = None,
    ) -> SyncGenerator:
        return self._sync(selected_ids, previous=cursor, resume=resume)

    def _sync(
        self,
        selected_ids: Sequence[str],
        *,
        previous: Cursor | None,
        resume: Mapping[str, Any] | None,
    ) -> SyncGenerator:
        previous_records = records_from_cursor(previous)
        channels = self._list_channels()
        if resume is not None:
            state = SyncState.from_json(resume)
        else:
            state = self._start(selected_ids, channels, previous)
            for channel_id, record in previous_records.items():
                if channel_id not in state.channel_ids:  # archived, deleted, left, deselected
                    for external_id in record.documents:
                        yield Deletion(external_id)
        while state.index < len(state.channel_ids):
            if not state.history_cursor:
                yield Progress(done=state.index, total=len(state.channel_ids))
            channel_id = state.channel_ids[state.index]
            yield from self._sync_page(
                state, channels.get(channel_id), previous_records.get(channel_id)
            )
            yield Checkpoint(state.to_json())
        return make_cursor(state.started_at, state.records)

    def _start(
        self,
        selected_ids: Sequence[str],
        channels: Mapping[str, Mapping[str, Any]],
        previous: Cursor | None,
    ) -> SyncState:
        started_at = time.time()
        if selected_ids:
            channel_ids = list(dict.fromkeys(selected_ids))
        else:
            # A bot reads only the channels it was invited to; the others are not "everything
            # the credentials can reach".
            channel_ids = [key for key, channel in channels.items() if channel.get("is_member")]
        window_start = None
        if previous is not None:
            synced_at = float(previous.get("synced_at") or 0)
            since = min(
                synced_at - self.overlap_seconds, started_at - self.recent_days * SECONDS_PER_DAY
            )
            window_start = max(0, int(since // SECONDS_PER_DAY) * SECONDS_PER_DAY)
        return SyncState(started_at=started_at, channel_ids=channel_ids, window_start=window_start)

    def _sync_page(
        self,
        state: SyncState,
        channel: Mapping[str, Any] | None,
        previous: ChannelRecord | None,
    ) -> Iterator[SyncItem]:
        """One page of the current channel's history: its documents, then the state moved on."""
        channel_id = state.channel_ids[state.index]
        if channel is None:
            if previous is not None:
                yield from (Deletion(external_id) for external_id in previous.documents)
            else:
                yield ItemFailure(
                    channel_id,
                    channel_id,
                    SlackItemGone.code,
                    "The channel is archived, deleted, or private without the bot in it.",
                )
            state.next_channel()
            return
        context = self.channel_context(channel)
        if channel_id not in state.records:  # the channel's first page
            fingerprint = self.fingerprint(context)
            state.whole_channel = (
                state.window_start is None
                or previous is None
                or previous.fingerprint != fingerprint
            )
            carried = {}
            if not state.whole_channel and previous is not None:
                carried = {
                    external_id: known
                    for external_id, known in previous.documents.items()
                    if not self._in_window(state, external_id)
                }
            state.records[channel_id] = ChannelRecord(fingerprint, carried)
        params: dict[str, Any] = {"channel": channel_id, "limit": self.history_page_size}
        if state.history_cursor:
            params["cursor"] = state.history_cursor
        if not state.whole_channel:
            params.update(oldest=f"{state.window_start}.000000", inclusive=True)
        try:
            response = self.call(self.client.conversations_history, **params)
        except ItemUnavailable as error:
            yield ItemFailure(channel_id, context.label, error.code, error.message)
            # What was synced of it stays, and stays recorded for the next sync.
            if previous is not None:
                state.records[channel_id] = previous
            else:
                state.records.pop(channel_id, None)
            state.next_channel()
            return
        state.history_cursor = next_cursor(response)
        finished = not state.history_cursor
        yield from self._documents_of_page(
            state, context, response.get("messages") or [], previous, finished=finished
        )
        if finished:
            seen = set(state.seen)
            if previous is not None:
                for external_id in previous.documents:
                    if external_id not in seen and (
                        state.whole_channel or self._in_window(state, external_id)
                    ):
                        yield Deletion(external_id)
            state.next_channel()

    @staticmethod
    def _in_window(state: SyncState, external_id: str) -> bool:
        ref = parse_external_id(external_id)
        return (
            ref is not None
            and state.window_start is not None
            and (ref.starts_at >= state.window_start)
        )

    def _documents_of_page(
        self,
        state: SyncState,
        context: ChannelContext,
        messages: Sequence[Mapping[str, Any]],
        previous: ChannelRecord | None,
        *,
        finished: bool,
    ) -> Iterator[SyncItem]:
        complete_days: list[list[dict[str, Any]]] = []
        pending = state.pending_day
        parents: list[dict[str, Any]] = []
        for message in messages:  # newest first
            if is_reply(message):
                continue  # a reply also sent to the channel: its thread has it
            if is_thread_parent(message):
                parents.append(trim(message))
                continue
            if not is_indexed(message):
                continue
            trimmed = trim(message)
            if pending and day_of(pending[0]["ts"]) != day_of(trimmed["ts"]):
                complete_days.append(pending)
                pending = []
            pending.append(trimmed)
        if finished and pending:
            complete_days.append(pending)
            pending = []
        state.pending_day = pending

        record = state.records[context.id]
        known = {} if state.whole_channel or previous is None else previous.documents
        for day_messages in complete_days:
            ordered = sorted(day_messages, key=lambda message: float(message["ts"]))
            day = day_of(ordered[0]["ts"])
            ref = DocumentRef(context.id, DAY, day)
            state.seen.append(ref.external_id)
            record.documents[ref.external_id] = signed = signature(ordered)
            if known.get(ref.external_id) != signed:
                yield day_document(context, day, ordered, self.name_of, self.channel_name_of)
        for parent in parents:
            ref = thread_ref(context.id, parent["ts"])
            signed = signature([parent])
            state.seen.append(ref.external_id)
            if known.get(ref.external_id) == signed:
                record.documents[ref.external_id] = signed
                continue
            try:
                document = self._thread_document(context, parent["ts"])
            except SlackItemGone:
                document = None
            except ItemUnavailable as error:
                # Not recorded, so the next sync tries it again.
                yield ItemFailure(ref.external_id, context.label, error.code, error.message)
                continue
            if document is None:  # deleted since the page was read
                state.seen.remove(ref.external_id)
                continue
            record.documents[ref.external_id] = signed
            yield document

    # --- webhooks -----------------------------------------------------------------------

    @classmethod
    def handle_webhook(
        cls, *, credentials: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> WebhookResult:
        payload = webhooks.verify(
            signing_secret=str(credentials.get("signing_secret") or ""),
            headers=headers,
            body=body,
        )
        return webhooks.interpret(payload)
