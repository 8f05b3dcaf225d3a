"""Answering in Slack.

Who asks: the Slack user is mapped to a member by verified email; retrieval runs as that
member. Who sees: in a channel, an answer may only draw on what every person in the channel
may open (DESIGN.md access rules applied to the whole audience), so nothing restricted is ever
posted where someone could not open it. People in the channel who are not members of the
workspace at all can open nothing, so with any of them present the answer uses no sources and
says why. In a direct message the audience is the asker alone.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agents.access import usable_agents
from agents.answers import AnswerFailed, AnswerFinished, stream_answer
from agents.models import Agent, Message, SlackBotSettings, SlackChannelAgent
from agents.runtime import TokenEvent
from agents.selectors import CitationState, check_answers
from agents.services.answers import record_slack_post
from agents.services.slack import open_thread_conversation, post_message_for_audience
from agents.slack.blocks import Source, answer_blocks, failure_blocks, progress_blocks
from agents.slack.users import slack_user, slack_users
from common.crypto import decrypt_json
from common.errors import DomainError
from common.redis import redis_client
from connections.models import Connection
from connectors.slack.client import GuardedWebClient
from workspaces.models import Membership

logger = logging.getLogger(__name__)

AGENT_HANDLE = re.compile(r"(?<![\w<])~([a-zA-Z0-9][\w-]*)")
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
UNAVAILABLE_SOURCE = "a source you can no longer open"
WITHHELD_ANSWER = (
    "This answer cited sources that can no longer be opened here, so it is hidden. "
    "Ask again for an answer from what you can open today."
)
UPDATE_EVERY_SECONDS = 1.0  # chat.update is Tier 3: about one a second per channel
ANSWERED_KEY_SECONDS = 24 * 3600


@dataclass(frozen=True)
class SlackAsk:
    channel: str
    user: str
    text: str
    ts: str
    thread_ts: str
    direct: bool


class BotReply(Exception):
    """Something to tell the asker privately instead of answering."""


def ask_from_event(event: Mapping[str, Any]) -> SlackAsk | None:
    """A question for the bot: a mention in a channel, or a direct message from a person."""
    kind = event.get("type")
    if event.get("bot_id") or event.get("subtype") or not event.get("user"):
        return None
    direct = kind == "message" and event.get("channel_type") == "im"
    if kind != "app_mention" and not direct:
        return None
    ts = str(event.get("ts") or "")
    return SlackAsk(
        channel=str(event.get("channel") or ""),
        user=str(event["user"]),
        text=str(event.get("text") or ""),
        ts=ts,
        thread_ts=str(event.get("thread_ts") or ts),
        direct=direct,
    )


def slack_client(connection: Connection) -> WebClient:
    credentials = decrypt_json(connection.credentials_encrypted)
    base_url = (
        f"{connection.api_base_url.rstrip('/')}/api/"
        if connection.api_base_url
        else WebClient.BASE_URL
    )
    return GuardedWebClient(
        token=str(credentials.get("bot_token", "")), base_url=base_url, timeout=15
    )


def _paged(call: Callable[..., Any], key: str, **arguments: Any) -> Iterator[Any]:
    cursor = ""
    while True:
        response = call(**arguments, cursor=cursor, limit=200)
        yield from response.get(key) or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return


def _members_by_email(connection: Connection, emails: set[str]) -> dict[str, Membership]:
    found = Membership.objects.filter(
        workspace_id=connection.workspace_id,
        user__email__in=emails,
        user__email_verified=True,
        deactivated_at__isnull=True,
    ).select_related("user", "workspace")
    return {member.user.email.lower(): member for member in found}


def member_for_slack_user(
    connection: Connection, client: WebClient, user_id: str
) -> tuple[Membership | None, str]:
    """The member a Slack user is, matched by verified email, and the email Slack shows. A
    deactivated Slack user is no one."""
    user = slack_user(connection, client, user_id)
    if user is None or user.deleted or not user.email:
        return None, user.email if user else ""
    return _members_by_email(connection, {user.email}).get(user.email), user.email


def channel_audience(
    connection: Connection, client: WebClient, ask: SlackAsk, asker: Membership
) -> tuple[list[Membership], int]:
    """The members who will see an answer in the channel, and how many people there are
    not members at all."""
    if ask.direct:
        return [], 0
    member_ids = set(_paged(client.conversations_members, "members", channel=ask.channel))
    people = [
        user
        for user in slack_users(connection, client, member_ids).values()
        if not user.is_bot and not user.deleted
    ]
    members = _members_by_email(connection, {user.email for user in people} - {""})
    outsiders = sum(1 for user in people if user.email not in members)
    audience = [member for member in members.values() if member.id != asker.id]
    return audience, outsiders


def choose_agent(connection: Connection, asker: Membership, ask: SlackAsk) -> tuple[Agent, str]:
    """The agent named by `~handle`, else the channel's default, else the workspace's; and
    the question with mentions and the handle taken out."""
    usable = usable_agents(asker)
    question = MENTION.sub("", ask.text)
    named = AGENT_HANDLE.search(question)
    if named:
        question = (question[: named.start()] + question[named.end() :]).strip()
        agent = usable.filter(handle=named.group(1).lower()).first()
        if agent is None:
            raise BotReply(
                f"There is no agent `~{named.group(1)}` you can use. {_agents_hint(usable)}"
            )
        return agent, question.strip()
    bot = SlackBotSettings.objects.filter(connection=connection).first()
    candidates: list[Agent | None] = []
    if bot is not None:
        channel = SlackChannelAgent.objects.filter(settings=bot, channel_id=ask.channel).first()
        candidates += [channel.agent if channel else None, bot.default_agent]
    for candidate in candidates:
        if candidate is not None and usable.filter(id=candidate.id).exists():
            return candidate, question.strip()
    raise BotReply(f"Which agent should answer? {_agents_hint(usable)}")


def _agents_hint(usable: Any) -> str:
    handles = [f"`~{handle}`" for handle in usable.values_list("handle", flat=True)[:8]]
    if not handles:
        return "You cannot use any agent yet; ask a builder to publish one."
    return "Name one in your message, for example " + ", ".join(handles) + "."


def _first_time(connection: Connection, ask: SlackAsk) -> bool:
    key = f"slackbot:answered:{connection.id}:{ask.channel}:{ask.ts}"
    return bool(redis_client().set(key, "1", nx=True, ex=ANSWERED_KEY_SECONDS))


def _tell_privately(client: WebClient, ask: SlackAsk, text: str) -> None:
    if ask.direct:
        client.chat_postMessage(channel=ask.channel, thread_ts=ask.thread_ts, text=text)
    else:
        client.chat_postEphemeral(
            channel=ask.channel, user=ask.user, thread_ts=ask.thread_ts, text=text
        )


def answer_slack_event(
    *,
    connection_id: int,
    event: Mapping[str, Any],
    clock: Callable[[], float] = time.monotonic,
) -> Message | None:
    """Answer one mention or direct message; None when there is nothing to answer."""
    ask = ask_from_event(event)
    connection = Connection.objects.select_related("workspace").filter(id=connection_id).first()
    if ask is None or connection is None or not _first_time(connection, ask):
        return None
    client = slack_client(connection)
    person = slack_user(connection, client, ask.user)
    if person is None or person.deleted:
        logger.info("Slack user %s is deactivated or unknown: not answered", ask.user)
        return None
    asker, email = member_for_slack_user(connection, client, ask.user)
    if asker is None:
        shown = f" ({email})" if email else ""
        _tell_privately(
            client,
            ask,
            f"I can only answer members of {connection.workspace.name}, and your Slack "
            f"account{shown} does not match one. Ask an admin to invite you at "
            f"{settings.PUBLIC_URL}, accept the invitation with the same email, then ask again.",
        )
        return None
    try:
        agent, question = choose_agent(connection, asker, ask)
        if not question:
            raise BotReply("Ask me a question after the mention.")
        audience, outsiders = channel_audience(connection, client, ask, asker)
        conversation_id = open_thread_conversation(
            actor=asker, connection=connection, channel_id=ask.channel, thread_ts=ask.thread_ts
        )
        answer = post_message_for_audience(
            actor=asker,
            conversation_id=conversation_id,
            agent_handle=agent.handle,
            content=question,
            audience=audience,
            outsiders=outsiders,
        )
    except (BotReply, DomainError) as refusal:
        _tell_privately(client, ask, str(refusal))
        return None
    return _stream_into_thread(connection, client, ask, answer, audience, outsiders, clock)


def _stream_into_thread(
    connection: Connection,
    client: WebClient,
    ask: SlackAsk,
    answer: Message,
    audience: list[Membership],
    outsiders: int,
    clock: Callable[[], float],
) -> Message:
    url = f"{settings.PUBLIC_URL}/conversations/{answer.conversation_id}"
    posted = client.chat_postMessage(
        channel=ask.channel,
        thread_ts=ask.thread_ts,
        text="Looking into it…",
        blocks=progress_blocks("Looking into it"),
    )
    ts = posted["ts"]
    record_slack_post(message=answer, connection_id=connection.id, channel_id=ask.channel, ts=ts)
    text = ""
    updated_at = clock()
    for event in stream_answer(agent_message_id=answer.id):
        if isinstance(event, TokenEvent):
            text += event.text
            if clock() - updated_at >= UPDATE_EVERY_SECONDS:
                _update(client, ask.channel, ts, text, progress_blocks(text))
                updated_at = clock()
        elif isinstance(event, AnswerFinished):
            message = event.message
            sources = [
                Source(citation.number, citation.title, _source_url(citation.url, answer))
                for citation in message.citations.order_by("number")
            ]
            blocks = answer_blocks(
                text=message.content,
                sources=sources,
                conversation_url=url,
                message_id=message.id,
                notes=_audience_notes(audience=bool(audience), outsiders=outsiders),
            )
            _update(client, ask.channel, ts, message.content, blocks)
            return message
        elif isinstance(event, AnswerFailed):
            _update(client, ask.channel, ts, event.text, failure_blocks(event.text, url))
            return event.message
    answer.refresh_from_db()
    return answer


def _audience_notes(*, audience: bool, outsiders: int) -> list[str]:
    if outsiders:
        return [
            "Some people here are not members of the workspace, so I used no sources. "
            "DM me for an answer from what you can open."
        ]
    if audience:
        return ["Answered only from what everyone in this channel may open."]
    return []


def refresh_slack_answer(*, message_id: int) -> bool:
    """Edit a posted answer (chat.update) to what its channel may see now: a source deleted
    or closed to anyone there becomes "a source you can no longer open", and where the
    workspace hides such answers the text gives way to a notice. False when there is
    nothing to edit (not posted in Slack, the connection gone)."""
    message = (
        Message.objects.filter(id=message_id)
        .exclude(slack_ts="")
        .select_related("slack_connection", "conversation__owner__user", "workspace")
        .prefetch_related("citations")
        .first()
    )
    if message is None or message.slack_connection is None:
        return False
    owner = message.conversation.owner
    owner.workspace = message.workspace
    audience = list(message.audience.select_related("user"))
    checked = check_answers(reader=owner, messages=[message], audience=audience)[message.id]
    url = f"{settings.PUBLIC_URL}/conversations/{message.conversation_id}"
    sources = [
        Source(c.number, c.title or "", _source_url(c.url or "", message))
        if c.state != CitationState.UNAVAILABLE
        else Source(c.number, UNAVAILABLE_SOURCE, "")
        for c in checked.citations
    ]
    text = WITHHELD_ANSWER if checked.content_withheld else checked.content
    blocks = answer_blocks(
        text=text,
        sources=sources,
        conversation_url=url,
        message_id=message.id,
        notes=_audience_notes(audience=bool(audience), outsiders=message.audience_outsiders),
    )
    client = slack_client(message.slack_connection)
    _update(client, message.slack_channel_id, message.slack_ts, text, blocks)
    return True


def _source_url(url: str, answer: Message) -> str:
    """Uploads have no source URL: point at the conversation, where the passage is shown."""
    return url or f"{settings.PUBLIC_URL}/conversations/{answer.conversation_id}"


def _update(client: WebClient, channel: str, ts: str, text: str, blocks: list[Any]) -> None:
    try:
        client.chat_update(channel=channel, ts=ts, text=text[:3000] or " ", blocks=blocks)
    except SlackApiError as error:
        # A failed intermediate update loses nothing: the next one carries the whole text.
        logger.warning("chat.update failed in %s: %s", channel, error.response.get("error"))
