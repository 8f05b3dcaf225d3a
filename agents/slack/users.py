"""Who a Slack user is, without paging users.list on every answer.

The bot keeps a copy of the Slack workspace's people per connection (SlackUser): filled by one
paginated users.list the first time the bot needs anyone, then kept current by the
`user_change` and `team_join` events (Events API webhook or Socket Mode). Someone not in the
copy (joined while no event reached us, or from another workspace of a shared channel) costs
one users.info, and is kept."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from agents.models import SlackUser
from connections.models import Connection
from connections.webhooks import WebhookResult

logger = logging.getLogger(__name__)

USER_EVENTS = ("user_change", "team_join")
PAGE_SIZE = 200


def _fields(user: Mapping[str, Any]) -> dict[str, Any]:
    profile = user.get("profile") or {}
    name = profile.get("real_name") or user.get("real_name") or user.get("name") or ""
    return {
        "email": str(profile.get("email") or "").strip().lower()[:254],
        "name": str(name)[:255],
        "is_bot": bool(user.get("is_bot")) or str(user.get("id") or "") == "USLACKBOT",
        "deleted": bool(user.get("deleted")),
    }


def _store(connection: Connection, users: Iterable[Mapping[str, Any]]) -> list[SlackUser]:
    # One row per id: Postgres refuses an upsert that touches a row twice.
    by_id = {str(user["id"])[:32]: user for user in users if user.get("id")}
    rows = [
        SlackUser(
            workspace_id=connection.workspace_id,
            connection=connection,
            slack_id=slack_id,
            **_fields(user),
        )
        for slack_id, user in by_id.items()
    ]
    if not rows:
        return []
    return SlackUser.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["connection", "slack_id"],
        update_fields=["email", "name", "is_bot", "deleted", "updated_at"],
    )


def fill_slack_users(connection: Connection, client: WebClient) -> int:
    """Copy everyone users.list shows (one paginated pass); how many there were."""
    count, cursor = 0, ""
    while True:
        response = client.users_list(cursor=cursor, limit=PAGE_SIZE)
        count += len(_store(connection, response.get("members") or []))
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return count


def _ensure_filled(connection: Connection, client: WebClient) -> None:
    if not SlackUser.objects.filter(connection=connection).exists():
        fill_slack_users(connection, client)


def slack_users(
    connection: Connection, client: WebClient, user_ids: Iterable[str]
) -> dict[str, SlackUser]:
    """The people behind these Slack ids, from the copy; one users.info for each the copy
    lacks. An id Slack does not know is left out."""
    wanted = set(user_ids)
    _ensure_filled(connection, client)
    found = {
        user.slack_id: user
        for user in SlackUser.objects.filter(connection=connection, slack_id__in=wanted)
    }
    for missing in sorted(wanted - set(found)):
        try:
            user = client.users_info(user=missing)["user"]
        except SlackApiError as error:
            if error.response.get("error") != "user_not_found":
                raise
            continue
        found.update({row.slack_id: row for row in _store(connection, [user])})
    return found


def slack_user(connection: Connection, client: WebClient, user_id: str) -> SlackUser | None:
    return slack_users(connection, client, [user_id]).get(user_id)


def remember_slack_user_event(connection: Connection, event: Mapping[str, Any]) -> bool:
    """A `user_change` or `team_join` event: the person's row as Slack now has it. False for
    any other event."""
    user = event.get("user")
    if event.get("type") not in USER_EVENTS or not isinstance(user, Mapping):
        return False
    if SlackUser.objects.filter(connection=connection).exists():
        # Not yet filled: the first fill reads everyone as they are, this person included.
        _store(connection, [user])
    logger.info("Slack user %s updated on connection %s", user.get("id"), connection.id)
    return True


def record_slack_user_change(connection: Connection, result: WebhookResult) -> None:
    """The webhook consumer (config.webhooks): one row written, well within Slack's 3 s."""
    remember_slack_user_event(connection, result.event)


def forget_slack_people(*, workspace_id: int, email: str) -> int:
    """A person's rows in the bot's copies of Slack people, for their erasure; how many. Slack
    itself still has them: a later `user_change` for them brings a row back, as a sync would."""
    deleted, _ = SlackUser.objects.filter(
        workspace_id=workspace_id, email__iexact=email.strip()
    ).delete()
    return deleted
