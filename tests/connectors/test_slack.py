"""The Slack connector against the fake Slack Web API, through the real slack_sdk client."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest

from connectors.documents import AccessList, Deletion, DocumentInput
from connectors.errors import WebhookRejected
from connectors.slack.connector import SlackConnector
from tests.connectors.contract import ConnectorContract, drain
from tests.fakes.slack.seed import generate_workspace
from tests.fakes.slack.server import FakeSlack


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


class TestSlackContract(ConnectorContract):
    kind = "slack"

    @pytest.fixture
    def fake(self) -> Iterator[FakeSlack]:
        with FakeSlack() as fake:
            yield fake


def connect(fake: FakeSlack) -> SlackConnector:
    return SlackConnector(fake.credentials(), base_url=fake.url, sleep=lambda seconds: None)


def synced(fake: FakeSlack, selected: tuple[str, ...] = ()) -> dict[str, DocumentInput]:
    drained = drain(connect(fake).full_sync(selected))
    assert not drained.failures
    return {document.external_id: document for document in drained.documents}


# --- documents ------------------------------------------------------------------------------


def test_threads_and_days_hold_each_message_once(slack: FakeSlack) -> None:
    documents = synced(slack)
    expected = slack.documents()
    assert documents.keys() == expected.keys()
    for external_id, document in documents.items():
        # One line per message (the seeded texts are one line each).
        assert len(document.text.splitlines()) == len(expected[external_id]), external_id
        if ":day:" in external_id:
            day = external_id.rsplit(":", 1)[1]
            assert document.source_created_at is not None
            assert document.source_created_at.date().isoformat() == day
            assert document.title.endswith(f"— {day}")
        else:
            assert document.title.split(" — ")[1].startswith("thread: ")
    assert any(":thread:" in key for key in documents) and any(":day:" in key for key in documents)


def test_membership_notices_are_left_out(slack: FakeSlack) -> None:
    assert not any("has joined the channel" in doc.text for doc in synced(slack).values())


def test_user_ids_become_names(slack: FakeSlack) -> None:
    documents = synced(slack)
    engineering = slack.workspace.channel_named("engineering")
    mention = next(message for message in engineering.top_level if message.text.startswith("<@"))
    mentioned = slack.workspace.user(mention.text[2:].split(">")[0])
    author = slack.workspace.user(mention.user)
    assert mentioned is not None and author is not None
    text = "\n".join(doc.text for doc in documents.values() if engineering.id in doc.parents)
    assert f"{author.real_name} (" in text
    assert f": @{mentioned.real_name} " in text
    assert "<@U" not in "".join(doc.text for doc in documents.values())
    assert "Deploy Bot (" in text, "messages of integrations are kept, named after the bot"
    assert "the runbook (https://wiki.acme-robotics.com/runbooks) & notes" in "".join(
        doc.text for doc in documents.values()
    )


def test_documents_sit_under_their_channel_with_permalinks(slack: FakeSlack) -> None:
    documents = synced(slack)
    names = {channel.id: channel.name for channel in slack.workspace.channels}
    for external_id, document in documents.items():
        channel_id = external_id.split(":")[0]
        assert document.parents == (channel_id,)
        assert document.breadcrumb == (f"#{names[channel_id]}",)
        assert document.url.startswith(f"https://acme-robotics.slack.com/archives/{channel_id}/p")
        assert "." not in document.url.rsplit("/p", 1)[1]
        assert document.source_updated_at and document.source_updated_at.tzinfo is not None
    thread_id = next(key for key in documents if ":thread:" in key)
    ts = thread_id.rsplit(":", 1)[1]
    assert documents[thread_id].url.endswith("/p" + ts.replace(".", ""))


def test_private_channels_are_readable_by_their_members_only(slack: FakeSlack) -> None:
    documents = synced(slack)
    leadership = slack.workspace.channel_named("leadership")
    emails = tuple(
        sorted(
            user.email.lower()
            for member in leadership.members
            if (user := slack.workspace.user(member)) and not user.is_bot
        )
    )
    private = [doc for doc in documents.values() if leadership.id in doc.parents]
    assert private and all(doc.access == AccessList(public=False, emails=emails) for doc in private)
    assert any(email != email.lower() for email in (u.email for u in slack.workspace.users))
    general = slack.workspace.channel_named("general")
    assert all(doc.access.public for doc in documents.values() if general.id in doc.parents)


def test_fetch_document_matches_the_full_sync(slack: FakeSlack) -> None:
    documents = synced(slack)
    day_id = next(key for key in sorted(documents) if ":day:" in key)
    thread_id = next(key for key in sorted(documents) if ":thread:" in key)
    connector = connect(slack)
    assert connector.fetch_document(day_id) == documents[day_id]
    assert connector.fetch_document(thread_id) == documents[thread_id]
    channel_id = day_id.split(":")[0]
    assert connector.fetch_document(f"{channel_id}:day:1999-01-01") == Deletion(
        f"{channel_id}:day:1999-01-01"
    )
    assert connector.fetch_document("C0NOSUCHONE:thread:1.000000") == Deletion(
        "C0NOSUCHONE:thread:1.000000"
    )


def test_hierarchy_lists_channels_without_archived_ones(slack: FakeSlack) -> None:
    nodes = {node.title: node for node in connect(slack).list_hierarchy()}
    assert "#project-atlas" not in nodes
    assert nodes["#leadership"].details["private"] is True
    assert nodes["#random"].details["bot_is_member"] is False
    assert nodes["#general"].details["members"] == len(
        slack.workspace.channel_named("general").members
    )
    assert connect(slack).list_hierarchy(nodes["#general"].id) == []


def test_a_channel_without_the_bot_is_a_failure_not_a_crash(slack: FakeSlack) -> None:
    random_channel = slack.workspace.channel_named("random")
    drained = drain(connect(slack).full_sync((random_channel.id,)))
    assert not drained.documents
    assert [failure.external_id for failure in drained.failures] == [random_channel.id]
    assert drained.failures[0].code == "item_unavailable"


# --- paging, resuming, incremental ------------------------------------------------------------


def test_days_spanning_pages_resume_at_every_checkpoint() -> None:
    with FakeSlack(max_page_size=5) as fake:
        engineering = (fake.selectable_id(),)
        whole = drain(connect(fake).full_sync(engineering))
        reference = {document.external_id: document for document in whole.documents}
        assert set(reference) == fake.expected_external_ids(engineering)
        expected = fake.documents(engineering)
        for external_id, document in reference.items():  # threads span pages of replies too
            assert len(document.text.splitlines()) == len(expected[external_id]), external_id
        assert len(whole.checkpoints) > 10
        assert any(checkpoint.state["pending_day"] for checkpoint in whole.checkpoints)
        for stop in range(1, len(whole.checkpoints)):
            first = drain(connect(fake).full_sync(engineering), stop_after_checkpoints=stop)
            state = json.loads(json.dumps(first.checkpoints[-1].state))  # as stored
            rest = drain(connect(fake).full_sync(engineering, resume=state))
            assert not set(first.ids) & set(rest.ids), f"repeated after checkpoint {stop}"
            combined = {doc.external_id: doc for doc in first.documents + rest.documents}
            assert combined == reference, f"lost or changed after checkpoint {stop}"
            assert rest.cursor == {**whole.cursor, "synced_at": rest.cursor["synced_at"]}


def test_a_killed_incremental_sync_resumes_too(slack: FakeSlack) -> None:
    cursor = drain(connect(slack).full_sync(())).cursor
    assert cursor is not None
    mutation = slack.mutate()
    whole = drain(connect(slack).incremental_sync((), cursor))
    for stop in range(1, len(whole.checkpoints)):
        first = drain(connect(slack).incremental_sync((), cursor), stop_after_checkpoints=stop)
        state = first.checkpoints[-1].state
        rest = drain(connect(slack).incremental_sync((), cursor, resume=state))
        assert set(first.ids) | set(rest.ids) == set(whole.ids)
        assert not set(first.ids) & set(rest.ids)
        gone = {deletion.external_id for deletion in first.deletions + rest.deletions}
        assert gone == mutation.deleted


def test_new_member_of_a_private_channel_rereads_it_with_the_new_access(slack: FakeSlack) -> None:
    cursor = drain(connect(slack).full_sync(())).cursor
    assert cursor is not None
    leadership = slack.workspace.channel_named("leadership")
    newcomer = next(u for u in slack.workspace.users if u.id not in leadership.members)
    leadership.members.insert(0, newcomer.id)
    drained = drain(connect(slack).incremental_sync((), cursor))
    assert set(drained.ids) == slack.expected_external_ids([leadership.id])
    assert all(newcomer.email.lower() in doc.access.emails for doc in drained.documents)
    assert not drained.deletions
    again = drain(connect(slack).incremental_sync((), drained.cursor or {}))
    assert not again.ids and not again.deletions


def test_archiving_a_channel_deletes_its_documents(slack: FakeSlack) -> None:
    cursor = drain(connect(slack).full_sync(())).cursor
    assert cursor is not None
    design = slack.workspace.channel_named("design")
    expected = slack.expected_external_ids([design.id])
    design.is_archived = True
    drained = drain(connect(slack).incremental_sync((), cursor))
    assert {deletion.external_id for deletion in drained.deletions} == expected
    assert not drained.ids


def test_an_edited_reply_arrives_through_the_webhook(slack: FakeSlack) -> None:
    engineering = slack.workspace.channel_named("engineering")
    parent_ts, replies = next(iter(engineering.replies.items()))
    reply = replies[0]
    reply.text = "Correction: the rollout waits for the firmware fix."
    reply.edited_ts = slack.workspace.fresh_ts()
    event = {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": engineering.id,
        "channel_type": "channel",
        "ts": reply.edited_ts,
        "event_ts": reply.edited_ts,
        "message": {"type": "message", "user": reply.user, "text": reply.text,
                    "ts": reply.ts, "thread_ts": parent_ts,
                    "edited": {"user": reply.user, "ts": reply.edited_ts}},
        "previous_message": {"type": "message", "user": reply.user, "text": "old",
                             "ts": reply.ts, "thread_ts": parent_ts},
    }  # fmt: skip
    body = slack.event_delivery(event, event_id="Ev0EDIT")
    result = SlackConnector.handle_webhook(
        credentials=slack.credentials(), headers=slack.sign(body), body=body
    )
    thread_id = f"{engineering.id}:thread:{parent_ts}"
    assert result.event_id == "Ev0EDIT" and thread_id in result.changed_ids
    document = connect(slack).fetch_document(thread_id)
    assert isinstance(document, DocumentInput)
    assert "Correction: the rollout waits for the firmware fix." in document.text


# --- webhooks ------------------------------------------------------------------------------


def deliver(fake: FakeSlack, body: bytes, headers: dict[str, str] | None = None) -> Any:
    return SlackConnector.handle_webhook(
        credentials=fake.credentials(), headers=headers or fake.sign(body), body=body
    )


def test_url_verification_answers_the_challenge(slack: FakeSlack) -> None:
    body = json.dumps(
        {"token": "XXYYZZ", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
         "type": "url_verification"}
    ).encode()  # fmt: skip
    result = deliver(slack, body)
    assert result.response == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


@pytest.mark.parametrize(
    "tamper",
    [
        lambda headers: {**headers, "X-Slack-Signature": "v0=" + "0" * 64},
        lambda headers: {k: v for k, v in headers.items() if k != "X-Slack-Signature"},
        lambda headers: {k: v for k, v in headers.items() if k != "X-Slack-Request-Timestamp"},
        lambda headers: {**headers, "X-Slack-Request-Timestamp": "yesterday"},
    ],
    ids=["wrong signature", "no signature", "no timestamp", "garbled timestamp"],
)
def test_unsigned_or_forged_deliveries_are_refused(slack: FakeSlack, tamper: Any) -> None:
    headers, body = slack.signed_webhook()
    with pytest.raises(WebhookRejected) as raised:
        deliver(slack, body, tamper(headers))
    assert raised.value.status == 401


def test_stale_deliveries_are_refused_even_when_signed(slack: FakeSlack) -> None:
    _, body = slack.signed_webhook()
    stale = slack.sign(body, timestamp=int(time.time()) - 6 * 60)
    with pytest.raises(WebhookRejected) as raised:
        deliver(slack, body, stale)
    assert raised.value.status == 401


def test_a_signed_body_that_is_not_json_is_a_bad_request(slack: FakeSlack) -> None:
    with pytest.raises(WebhookRejected) as raised:
        deliver(slack, b"payload=%7B%22type%22")
    assert raised.value.status == 400


def test_message_events_name_the_documents_to_fetch(slack: FakeSlack) -> None:
    channel = slack.workspace.channel_named("engineering").id
    parent = "1760000000.000100"  # 2025-10-09 UTC
    new_message = {
        "type": "message",
        "channel": channel,
        "channel_type": "channel",
        "user": "U0AAAAAAAAA",
        "text": "hi",
        "ts": "1760090000.000200",
    }
    reply = {**new_message, "ts": "1760095000.000300", "thread_ts": parent}
    deleted = {
        "type": "message",
        "subtype": "message_deleted",
        "channel": channel,
        "channel_type": "channel",
        "deleted_ts": parent,
        "ts": "1760099000.000400",
        "previous_message": {
            "type": "message",
            "ts": parent,
            "thread_ts": parent,
            "reply_count": 2,
            "text": "gone",
        },
    }
    direct = {**new_message, "channel": "D0DIRECT01", "channel_type": "im"}
    joined = {**new_message, "subtype": "channel_join"}
    assert deliver(slack, slack.event_delivery(new_message)).changed_ids == (
        f"{channel}:day:2025-10-10",
    )
    assert set(deliver(slack, slack.event_delivery(reply)).changed_ids) == {
        f"{channel}:thread:{parent}",
        f"{channel}:day:2025-10-09",  # a first reply takes the parent out of its day
    }
    assert f"{channel}:thread:{parent}" in deliver(slack, slack.event_delivery(deleted)).changed_ids
    im = deliver(slack, slack.event_delivery(direct))
    assert not im.changed_ids and im.event["channel_type"] == "im"
    assert not deliver(slack, slack.event_delivery(joined)).changed_ids


def test_channel_events_ask_for_a_sync_and_mentions_pass_through(slack: FakeSlack) -> None:
    rename = {"type": "channel_rename", "channel": {"id": "C0X", "name": "eng", "created": 1}}
    result = deliver(slack, slack.event_delivery(rename, event_id="Ev0RENAME"))
    assert result.sync_needed and result.event_id == "Ev0RENAME"
    mention = {"type": "app_mention", "user": "U0A", "text": "<@U0BOT> help", "ts": "1.000001",
               "channel": "C0X", "event_ts": "1.000001"}  # fmt: skip
    result = deliver(slack, slack.event_delivery(mention, event_id="Ev0MENTION"))
    assert result.event == mention and not result.changed_ids and not result.sync_needed


# --- the benchmark workspace ---------------------------------------------------------------


def test_the_big_workspace_serves_pages_quickly() -> None:
    started = time.perf_counter()
    with FakeSlack.big() as fake:
        built = time.perf_counter() - started
        top_level = sum(len(channel.top_level) for channel in fake.workspace.channels)
        assert top_level >= 10_000
        connector = connect(fake)
        channel = fake.workspace.channel_named("general").id
        started = time.perf_counter()
        messages = list(
            connector._pages(
                connector.client.conversations_history, "messages", channel=channel, limit=200
            )
        )
        assert len(messages) == len(fake.workspace.channel_named("general").top_level)
        assert built < 10 and time.perf_counter() - started < 5


def test_seeded_workspaces_are_deterministic() -> None:
    first, second = generate_workspace(7), generate_workspace(7)
    assert [user.email for user in first.users] == [user.email for user in second.users]
    texts = [[message.text for message in channel.top_level] for channel in first.channels]
    assert texts == [[message.text for message in channel.top_level] for channel in second.channels]
    assert first.channels[1].replies.keys() == second.channels[1].replies.keys()
