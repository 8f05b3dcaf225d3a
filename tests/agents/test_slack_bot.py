"""The Slack bot against the fake Slack Web API: who may ask, which agent answers, threads,
and what may be posted where everyone in a channel can read it."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from agents.models import Agent, Message, MessageStatus, SlackThread
from agents.services.slack import set_slack_bot_settings
from agents.slack.bot import answer_slack_event
from agents.slack.socket_mode import handle_socket_mode_request
from config.celery import app
from connections.models import Connection
from connectors.documents import AccessList
from knowledge.ingestion import ingest_documents
from tests.agents.conftest import FAKE_MODEL, make_agent, use_fake_model
from tests.connections.conftest import connect
from tests.factories import Tenant, make_user
from tests.fakes.openai.server import FakeOpenAI, too_slow
from tests.fakes.slack.server import FakeSlack
from tests.knowledge.conftest import doc, make_folder
from tests.processes import celery_worker
from workspaces.models import Membership, Role

BONUS_TEXT = "The engineering bonus pool for Q3 is twelve percent of salaries."
PUBLIC_TEXT = "Engineering on-call rotates every Monday at ten; the handbook lists the steps."


@dataclass
class SlackSetup:
    fake: FakeSlack
    connection: Connection
    channel: str  # a public channel with the bot, the asker and a colleague
    asker_slack_id: str
    asker: Membership
    colleague: Membership
    stranger_slack_id: str  # in the channel, no member of the workspace


@pytest.fixture
def slack(tenant: Tenant, embedder: Any) -> Iterator[SlackSetup]:
    with FakeSlack() as fake:
        connection = connect(tenant, "slack", fake)
        channel = fake.workspace.channel_named("engineering")
        people = [
            user for user in fake.workspace.users if user.id in channel.members and not user.is_bot
        ]
        asker_user, colleague_user, stranger = people[0], people[1], people[2]
        # Everyone else in the channel is a member too, so only `stranger` is an outsider
        # (and only in the test that keeps them there).
        memberships = {}
        for person in people:
            if person is stranger:
                continue
            memberships[person.id] = Membership.objects.create(
                workspace=tenant.workspace, user=make_user(person.email), role=Role.MEMBER
            )
        folder = make_folder(tenant, tenant.company_space.id, "Engineering handbook")
        ingest_documents(
            data_source=folder.data_source,
            documents=[
                doc("oncall", "On-call", PUBLIC_TEXT),
                doc(
                    "bonus",
                    "Bonus pool",
                    BONUS_TEXT,
                    access=AccessList(public=False, emails=(asker_user.email,)),
                ),
            ],
            embeddings=embedder,
        )
        make_agent(tenant.admin, "handbook", [folder])
        yield SlackSetup(
            fake=fake,
            connection=connection,
            channel=channel.id,
            asker_slack_id=asker_user.id,
            asker=memberships[asker_user.id],
            colleague=memberships[colleague_user.id],
            stranger_slack_id=stranger.id,
        )


def mention(setup: SlackSetup, text: str, user: str = "", thread_ts: str = "") -> dict[str, Any]:
    ts = setup.fake.workspace.fresh_ts()
    event = {
        "type": "app_mention",
        "channel": setup.channel,
        "user": user or setup.asker_slack_id,
        "text": f"<@{setup.fake.workspace.bot_user_id}> {text}",
        "ts": ts,
        "event_ts": ts,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def direct_message(setup: SlackSetup, text: str) -> dict[str, Any]:
    ts = setup.fake.workspace.fresh_ts()
    return {
        "type": "message",
        "channel_type": "im",
        "channel": setup.fake.open_direct_message(setup.asker_slack_id),
        "user": setup.asker_slack_id,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def everything_posted_visibly(fake: FakeSlack, channel: str) -> str:
    return json.dumps(fake.visible_posts(channel))


def without_stranger(setup: SlackSetup) -> None:
    channel = setup.fake.workspace.channel_named("engineering")
    channel.members.remove(setup.stranger_slack_id)


def test_a_direct_message_gets_a_cited_answer_from_the_askers_own_access(
    slack: SlackSetup,
) -> None:
    event = direct_message(slack, "~handbook what is the bonus pool for Q3?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None and answer.status == MessageStatus.COMPLETE
    posted = everything_posted_visibly(slack.fake, event["channel"])
    assert "twelve percent" in posted, "in a DM the asker's own access applies"
    assert "Sources" in posted and "Continue in the web app" in posted
    final = slack.fake.visible_posts(event["channel"])[-1]
    assert final["thread_ts"] == event["ts"]
    actions = [block for block in final["blocks"] if block["type"] == "actions"]
    assert actions and actions[0]["elements"][0]["value"] == str(answer.id)


def test_restricted_content_is_never_posted_where_someone_may_not_open_it(
    slack: SlackSetup,
) -> None:
    without_stranger(slack)
    event = mention(slack, "~handbook what is the bonus pool for Q3?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None and answer.status == MessageStatus.COMPLETE
    posted = everything_posted_visibly(slack.fake, slack.channel)
    assert "twelve percent" not in posted and "Bonus pool" not in posted
    assert "everyone in this channel may open" in posted
    assert list(answer.audience.all()) and slack.colleague in answer.audience.all()
    # The same question in a DM does reach the asker's own document.
    dm = answer_slack_event(
        connection_id=slack.connection.id, event=direct_message(slack, "~handbook bonus pool?")
    )
    assert dm is not None and dm.citations.filter(title="Bonus pool").exists()


def test_with_a_non_member_in_the_channel_no_sources_are_used(slack: SlackSetup) -> None:
    event = mention(slack, "~handbook when does on-call rotate?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None and answer.audience_outsiders == 1
    assert not answer.citations.exists()
    posted = everything_posted_visibly(slack.fake, slack.channel)
    assert "Monday at ten" not in posted and "not members of the workspace" in posted


def test_an_unknown_slack_user_is_told_how_to_join_privately(slack: SlackSetup) -> None:
    event = mention(slack, "~handbook when does on-call rotate?", user=slack.stranger_slack_id)
    assert answer_slack_event(connection_id=slack.connection.id, event=event) is None
    ephemeral = [call for call in slack.fake.chat_calls if call["method"] == "chat.postEphemeral"]
    assert len(ephemeral) == 1 and ephemeral[0]["user"] == slack.stranger_slack_id
    assert "invite" in ephemeral[0]["text"]
    assert not slack.fake.visible_posts(slack.channel)
    assert not Message.objects.exists()


def test_thread_follow_ups_continue_the_conversation(slack: SlackSetup, tenant: Tenant) -> None:
    without_stranger(slack)
    first = mention(slack, "~handbook when does on-call rotate?")
    answer_slack_event(connection_id=slack.connection.id, event=first)
    # No handle in the follow-up: the channel's default agent answers.
    set_slack_bot_settings(
        actor=tenant.admin,
        connection_id=slack.connection.id,
        default_agent_id=None,
        channels=[
            {"channel_id": slack.channel, "agent_id": Agent.objects.get(handle="handbook").id}
        ],
    )
    follow_up = mention(slack, "and at what time?", thread_ts=first["ts"])
    second = answer_slack_event(connection_id=slack.connection.id, event=follow_up)
    assert second is not None and second.status == MessageStatus.COMPLETE
    thread = SlackThread.objects.get()
    assert thread.thread_ts == first["ts"]
    assert second.conversation_id == thread.conversation_id
    assert Message.objects.filter(conversation_id=thread.conversation_id).count() == 4
    replies = [p for p in slack.fake.visible_posts(slack.channel) if p["thread_ts"] == first["ts"]]
    assert len(replies) == 2


def test_without_a_handle_or_default_the_bot_asks_which_agent(slack: SlackSetup) -> None:
    without_stranger(slack)
    answer_slack_event(
        connection_id=slack.connection.id, event=mention(slack, "when does on-call rotate?")
    )
    ephemeral = [call for call in slack.fake.chat_calls if call["method"] == "chat.postEphemeral"]
    assert ephemeral and "~handbook" in ephemeral[0]["text"]


def test_a_model_timeout_is_a_clear_reply_in_the_thread(
    slack: SlackSetup, tenant: Tenant, fake_openai: FakeOpenAI, settings: Any
) -> None:
    settings.AGENT_MODEL_TIMEOUT_SECONDS = 0.5
    without_stranger(slack)
    use_fake_model(tenant, fake_openai)
    view = slack.connection.data_source.views.first()
    assert view is not None
    make_agent(tenant.admin, "slow", [view], model_id=FAKE_MODEL)
    fake_openai.replies.append(too_slow(3.0))
    event = mention(slack, "~slow when does on-call rotate?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None and answer.status == MessageStatus.ERROR
    final = slack.fake.visible_posts(slack.channel)[-1]
    assert final["thread_ts"] == event["ts"]
    assert "did not answer" in final["text"] and ":warning:" in json.dumps(final["blocks"])


def test_the_events_endpoint_refuses_bad_signatures_and_answers_challenges(
    slack: SlackSetup,
) -> None:
    body = slack.fake.event_delivery(mention(slack, "~handbook on-call?"), event_id="Ev1")
    forged = Client().post(
        f"/webhooks/slack/{slack.connection.id}",
        data=body,
        content_type="application/json",
        headers=slack.fake.sign(body, secret="wrong"),
    )
    assert forged.status_code == 401
    challenge = json.dumps({"type": "url_verification", "challenge": "c-123"}).encode()
    answered = Client().post(
        f"/webhooks/slack/{slack.connection.id}",
        data=challenge,
        content_type="application/json",
        headers=slack.fake.sign(challenge),
    )
    assert answered.status_code == 200 and answered.json() == {"challenge": "c-123"}
    assert not slack.fake.chat_calls and not Message.objects.exists()


def test_feedback_buttons_record_the_askers_rating(slack: SlackSetup) -> None:
    event = direct_message(slack, "~handbook bonus pool?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None
    payload = {
        "type": "block_actions",
        "user": {"id": slack.asker_slack_id},
        "actions": [{"action_id": "answer_feedback_up", "value": str(answer.id)}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = {k: v for k, v in slack.fake.sign(body).items() if k != "Content-Type"}
    response = Client().post(
        f"/webhooks/slack/{slack.connection.id}/interactions",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )
    assert response.status_code == 200
    assert answer.feedback.get().rating == "up"


def test_feedback_clicks_arrive_at_the_one_slack_entry_point(slack: SlackSetup) -> None:
    """Slack's interactivity URL may be the events URL: a form post there is a click."""
    event = direct_message(slack, "~handbook bonus pool?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None
    payload = {
        "type": "block_actions",
        "user": {"id": slack.asker_slack_id},
        "actions": [{"action_id": "answer_feedback_down", "value": str(answer.id)}],
    }
    body = urlencode({"payload": json.dumps(payload)}).encode()
    headers = {k: v for k, v in slack.fake.sign(body).items() if k != "Content-Type"}
    response = Client().post(
        f"/webhooks/slack/{slack.connection.id}",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers=headers,
    )
    assert response.status_code == 200, response.content
    assert answer.feedback.get().rating == "down"
    forged = Client().post(
        f"/webhooks/slack/{slack.connection.id}",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={
            k: v for k, v in slack.fake.sign(body, secret="wrong").items() if k != "Content-Type"
        },
    )
    assert forged.status_code == 401
    assert answer.feedback.count() == 1


def test_socket_mode_envelopes_are_handled_like_event_deliveries(slack: SlackSetup) -> None:
    """The glue of `manage.py slack_socket_mode` without the websocket (no Socket Mode fake
    here): events are de-duplicated and questions queued; other events are ignored."""
    envelope = json.loads(slack.fake.event_delivery(mention(slack, "~handbook on-call?"), "Ev9"))
    handle = handle_socket_mode_request
    assert handle(connection=slack.connection, request_type="events_api", payload=envelope) == (
        "queued"
    )
    assert handle(connection=slack.connection, request_type="events_api", payload=envelope) == (
        "duplicate"
    )
    other = json.loads(slack.fake.event_delivery(slack.fake.message_event(), "Ev10"))
    assert handle(connection=slack.connection, request_type="events_api", payload=other) == (
        "ignored"
    )
    assert handle(connection=slack.connection, request_type="slash_commands", payload={}) == (
        "ignored"
    )


@pytest.mark.django_db(transaction=True)
def test_a_mention_is_acknowledged_at_once_and_answered_by_an_agent_worker(
    slack: SlackSetup,
) -> None:
    without_stranger(slack)
    event = mention(slack, "~handbook when does on-call rotate?")
    body = slack.fake.event_delivery(event, event_id="Ev-worker")
    app.control.purge()
    with celery_worker(queues="agent", name="slackbot"):
        response = Client().post(
            f"/webhooks/slack/{slack.connection.id}",
            data=body,
            content_type="application/json",
            headers=slack.fake.sign(body),
        )
        assert response.status_code == 200
        # Slack wants its answer within 3 s: the request only queued the work.
        assert not slack.fake.chat_calls, "nothing is answered inside the request"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any(
            "Continue in the web app" in json.dumps(post["blocks"])
            for post in slack.fake.visible_posts(slack.channel)
        ):
            time.sleep(0.3)
    final = slack.fake.visible_posts(slack.channel)[-1]
    assert "Monday at ten" in json.dumps(final["blocks"]), final
    assert final["thread_ts"] == event["ts"]


@pytest.mark.parametrize("change", ["delete", "acl"])
def test_a_posted_answer_is_edited_when_a_source_it_cites_is_deleted_or_closed(
    slack: SlackSetup, change: str, django_capture_on_commit_callbacks: Any
) -> None:
    from knowledge.ingestion import delete_documents, upsert_documents
    from knowledge.models import Document
    from tests.agents.test_answers_follow_access import run_with_queued_tasks
    from tests.knowledge.conftest import doc

    event = direct_message(slack, "~handbook what is the bonus pool for Q3?")
    answer = answer_slack_event(connection_id=slack.connection.id, event=event)
    assert answer is not None and answer.slack_ts and answer.slack_channel_id == event["channel"]
    assert "twelve percent" in everything_posted_visibly(slack.fake, event["channel"])
    bonus = Document.objects.get(external_id="bonus")
    source = bonus.data_source
    before = len(slack.fake.chat_calls)

    def close() -> object:
        if change == "delete":
            return delete_documents(data_source=source, external_ids=["bonus"])
        closed = AccessList(public=False, emails=("someone-else@acme.test",))
        return upsert_documents(
            data_source=source, documents=[doc("bonus", "Bonus pool", BONUS_TEXT, access=closed)]
        )

    run_with_queued_tasks(django_capture_on_commit_callbacks, close)
    updates = [call for call in slack.fake.chat_calls[before:] if call["method"] == "chat.update"]
    assert updates and updates[-1]["ts"] == answer.slack_ts
    posted = everything_posted_visibly(slack.fake, event["channel"])
    assert "twelve percent" not in posted and "Bonus pool" not in posted
    assert "a source you can no longer open" in posted
    answer.refresh_from_db()
    assert answer.sources_changed_at is not None
    assert not answer.citations.filter(purged_at=None, document__external_id="bonus").exists()
