"""The Slack bot's copy of the Slack workspace's people (SlackUser): filled by users.list once
per connection, kept current by `user_change` / `team_join` (Events API webhook and Socket
Mode), a single users.info for someone it lacks. Against the fake Slack, counting requests."""

from __future__ import annotations

import json

from django.test import Client

from agents.models import Message, SlackUser
from agents.slack.bot import answer_slack_event
from agents.slack.socket_mode import handle_socket_mode_request
from tests.agents import test_slack_bot
from tests.agents.test_slack_bot import (
    SlackSetup,
    direct_message,
    mention,
    without_stranger,
)
from tests.factories import make_user
from tests.fakes.slack.seed import User
from workspaces.models import Membership, Role

slack = test_slack_bot.slack  # the fixture: a fake Slack, a connection, members


def deliver(setup: SlackSetup, event: dict[str, object], event_id: str) -> None:
    """An Events API delivery to the connection's webhook, signed like Slack's."""
    body = setup.fake.event_delivery(event, event_id=event_id)
    response = Client().post(
        f"/webhooks/slack/{setup.connection.id}",
        data=body,
        content_type="application/json",
        headers=setup.fake.sign(body),
    )
    assert response.status_code == 200, response.content


def test_answers_page_users_list_once_per_connection(slack: SlackSetup) -> None:
    without_stranger(slack)
    first = answer_slack_event(
        connection_id=slack.connection.id, event=mention(slack, "~handbook on-call?")
    )
    assert first is not None and first.audience.exists()
    listed = slack.fake.calls("users.list")
    assert listed >= 1
    assert SlackUser.objects.filter(connection=slack.connection).count() == len(
        slack.fake.workspace.users
    )
    looked_up = slack.fake.calls("users.info")
    for _ in range(3):
        answer_slack_event(
            connection_id=slack.connection.id, event=mention(slack, "~handbook on-call?")
        )
        answer_slack_event(
            connection_id=slack.connection.id, event=direct_message(slack, "~handbook on-call?")
        )
    assert slack.fake.calls("users.list") == listed, "no users.list after the first fill"
    assert slack.fake.calls("users.info") == looked_up, "everyone asking was in the copy"
    assert Message.objects.filter(role="agent", status="complete").count() == 7


def test_a_user_change_of_email_changes_who_the_asker_is(slack: SlackSetup) -> None:
    before = answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook bonus pool?")
    )
    assert before is not None and before.citations.filter(title="Bonus pool").exists()
    assert before.conversation.owner == slack.asker
    # In Slack the person's email becomes that of another member, who may not open the bonus.
    other = Membership.objects.create(
        workspace=slack.asker.workspace, user=make_user("renamed@acme.test"), role=Role.MEMBER
    )
    person = slack.fake.workspace.user(slack.asker_slack_id)
    assert person is not None
    person.email = "renamed@acme.test"
    deliver(slack, slack.fake.user_event(slack.asker_slack_id), event_id="Ev-user-change")
    assert SlackUser.objects.get(slack_id=slack.asker_slack_id).email == "renamed@acme.test"
    listed, looked_up = slack.fake.calls("users.list"), slack.fake.calls("users.info")
    after = answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook bonus pool?")
    )
    assert after is not None and after.conversation.owner == other
    assert not after.citations.filter(title="Bonus pool").exists()
    assert "twelve percent" not in after.content
    assert (slack.fake.calls("users.list"), slack.fake.calls("users.info")) == (listed, looked_up)


def test_a_deactivated_slack_user_cannot_ask(slack: SlackSetup) -> None:
    answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook on-call?")
    )
    slack.fake.deleted_users.update({slack.asker_slack_id, slack.stranger_slack_id})
    # Over Socket Mode this time: the same event in an `events_api` envelope's payload.
    for index, user_id in enumerate((slack.asker_slack_id, slack.stranger_slack_id)):
        payload = json.loads(
            slack.fake.event_delivery(slack.fake.user_event(user_id), event_id=f"Ev-off-{index}")
        )
        outcome = handle_socket_mode_request(
            connection=slack.connection, request_type="events_api", payload=payload
        )
        assert outcome == "user"
    assert SlackUser.objects.get(slack_id=slack.asker_slack_id).deleted
    calls_before, messages_before = len(slack.fake.chat_calls), Message.objects.count()
    for event in (direct_message(slack, "~handbook on-call?"), mention(slack, "~handbook hi")):
        assert answer_slack_event(connection_id=slack.connection.id, event=event) is None
    assert len(slack.fake.chat_calls) == calls_before, "nothing is posted, not even privately"
    assert Message.objects.count() == messages_before
    # A deactivated account in the channel is nobody in the audience: no outsider left.
    colleague = next(
        user.id for user in slack.fake.workspace.users if user.email == slack.colleague.user.email
    )
    answer = answer_slack_event(
        connection_id=slack.connection.id,
        event=mention(slack, "~handbook on-call?", user=colleague),
    )
    assert answer is not None and answer.audience_outsiders == 0


def test_someone_missing_from_the_copy_costs_one_users_info(slack: SlackSetup) -> None:
    without_stranger(slack)
    answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook on-call?")
    )
    listed, looked_up = slack.fake.calls("users.list"), slack.fake.calls("users.info")
    newcomer = User("U0NEWCOMER", "newcomer", "New Comer", "New", "newcomer@acme.test", "Eng")
    slack.fake.workspace.users.append(newcomer)
    slack.fake.workspace.channel_named("engineering").members.append(newcomer.id)
    Membership.objects.create(
        workspace=slack.asker.workspace, user=make_user(newcomer.email), role=Role.MEMBER
    )
    answer = answer_slack_event(
        connection_id=slack.connection.id,
        event=mention(slack, "~handbook on-call?", user=newcomer.id),
    )
    assert answer is not None and answer.audience_outsiders == 0
    assert slack.fake.calls("users.info") == looked_up + 1
    assert slack.fake.calls("users.list") == listed
    # A team_join event keeps the next person from costing even that.
    joiner = User("U0JOINER", "joiner", "Joy Ner", "Joy", "joiner@acme.test", "Eng")
    slack.fake.workspace.users.append(joiner)
    slack.fake.workspace.channel_named("engineering").members.append(joiner.id)
    deliver(slack, slack.fake.user_event(joiner.id, kind="team_join"), event_id="Ev-join")
    answer_slack_event(connection_id=slack.connection.id, event=mention(slack, "~handbook hi"))
    assert slack.fake.calls("users.info") == looked_up + 1
    assert SlackUser.objects.get(slack_id=joiner.id).email == "joiner@acme.test"
