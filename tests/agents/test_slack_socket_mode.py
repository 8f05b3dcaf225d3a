"""The Slack bot over Socket Mode, end to end: `run_socket_mode` (what `manage.py
slack_socket_mode` runs, on slack-sdk's built-in SocketModeClient) against the fake Socket Mode
server (tests/fakes/slack/socket_mode.py), with answers posted by a real `agent` worker."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from agents.models import Feedback, Message
from agents.slack.socket_mode import SocketModeRefused, run_socket_mode
from common.crypto import encrypt_json
from config.celery import app
from connections.models import ConnectionStatus
from tests.agents import test_slack_bot
from tests.agents.test_slack_bot import (
    SlackSetup,
    mention,
    without_stranger,
)
from tests.fakes.slack.socket_mode import FakeSocketMode
from tests.processes import celery_worker

slack = test_slack_bot.slack  # the fixture: a fake Slack, a connection, members


@pytest.fixture
def socket_mode(slack: SlackSetup) -> Iterator[FakeSocketMode]:
    with FakeSocketMode(slack.fake) as fake:
        slack.connection.credentials_encrypted = encrypt_json(fake.credentials())
        slack.connection.save(update_fields=["credentials_encrypted"])
        yield fake


class Running:
    """run_socket_mode in a thread, as the command runs it; what it reported and raised."""

    def __init__(self, setup: SlackSetup) -> None:
        self.stop = threading.Event()
        self.outcomes: list[tuple[str, str]] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(setup,), daemon=True)

    def _run(self, setup: SlackSetup) -> None:
        try:
            run_socket_mode(
                setup.connection,
                stop=self.stop,
                report=lambda kind, outcome: self.outcomes.append((kind, outcome)),
            )
        except BaseException as error:  # noqa: BLE001 - the test reads it
            self.error = error

    def __enter__(self) -> Running:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(15)


def eventually(condition: Callable[[], Any], timeout: float = 90) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return bool(condition())


def answered_in_thread(setup: SlackSetup, thread_ts: str) -> bool:
    return any(
        post["thread_ts"] == thread_ts and "Continue in the web app" in json.dumps(post["blocks"])
        for post in setup.fake.visible_posts(setup.channel)
    )


def ask(setup: SlackSetup, fake: FakeSocketMode, text: str, event_id: str) -> dict[str, Any]:
    """A mention in an `events_api` envelope; acknowledged before anything is answered."""
    event = mention(setup, text)
    payload = json.loads(setup.fake.event_delivery(event, event_id=event_id))
    envelope_id = fake.send("events_api", payload)
    ack = fake.ack_for(envelope_id, timeout=10)
    assert ack is not None, "the envelope was not acknowledged"
    assert ack.payload is None
    return event


@pytest.mark.django_db(transaction=True)
def test_mentions_feedback_and_reconnects_over_socket_mode(
    slack: SlackSetup,
    socket_mode: FakeSocketMode,
) -> None:
    without_stranger(slack)
    app.control.purge()
    with celery_worker(queues="agent", name="socketmode"), Running(slack) as running:
        assert socket_mode.wait_connected(1), running.error
        assert socket_mode.opens == 1
        first = ask(slack, socket_mode, "~handbook when does on-call rotate?", "Ev-sm-1")
        assert eventually(lambda: answered_in_thread(slack, first["ts"])), slack.fake.chat_calls
        final = [p for p in slack.fake.visible_posts(slack.channel) if p["thread_ts"]][-1]
        assert "Monday at ten" in json.dumps(final["blocks"])
        assert ("events_api", "queued") in running.outcomes

        # A click on the answer's feedback button arrives as an `interactive` envelope.
        answer = Message.objects.get(slack_ts=final["ts"])
        click = {
            "type": "block_actions",
            "user": {"id": slack.asker_slack_id},
            "actions": [{"action_id": "answer_feedback_up", "value": str(answer.id)}],
        }
        assert socket_mode.ack_for(socket_mode.send("interactive", click)) is not None
        assert eventually(lambda: ("interactive", "feedback") in running.outcomes, 20)
        assert Feedback.objects.get(message=answer).rating == "up"

        # Slack asks for a refresh, then warns of a restart: each time a new URL is opened
        # and the next envelope, on the new connection, is still answered.
        for count, reason in ((2, "refresh_requested"), (3, "warning")):
            socket_mode.disconnect(reason)
            assert socket_mode.wait_connected(count), running.error
            assert socket_mode.opens == count
            ts = ask(slack, socket_mode, "~handbook on-call?", f"Ev-sm-{reason}")["ts"]
            assert eventually(lambda: answered_in_thread(slack, ts))  # noqa: B023 - awaited here
    assert running.error is None


def test_a_refused_app_token_stops_with_a_clear_message(
    slack: SlackSetup,
    socket_mode: FakeSocketMode,
    caplog: pytest.LogCaptureFixture,
) -> None:
    socket_mode.revoked = True
    with (
        caplog.at_level(logging.ERROR, logger="agents.slack.socket_mode"),
        pytest.raises(SocketModeRefused, match="invalid_auth") as refused,
    ):
        run_socket_mode(slack.connection)
    assert "app-level token" in str(refused.value) and "connections:write" in str(refused.value)
    assert any("refused the app-level token" in r.getMessage() for r in caplog.records)
    assert socket_mode.refusals == 1 and socket_mode.connections == 0
    # The command says the same and exits.
    with pytest.raises(CommandError, match="Create a new app-level token"):
        call_command("slack_socket_mode", str(slack.connection.id))
    # The bot token still works: syncing goes on, so the connection is not marked.
    slack.connection.refresh_from_db()
    assert slack.connection.status != ConnectionStatus.NEEDS_CREDENTIALS


@pytest.mark.django_db(transaction=True)
def test_a_token_revoked_while_connected_stops_at_the_next_reconnect(
    slack: SlackSetup,
    socket_mode: FakeSocketMode,
) -> None:
    with Running(slack) as running:
        assert socket_mode.wait_connected(1), running.error
        socket_mode.revoked = True
        socket_mode.disconnect("refresh_requested")
        running.thread.join(30)
        assert not running.thread.is_alive(), "Socket Mode kept retrying a refused token"
    assert isinstance(running.error, SocketModeRefused), running.error
    assert socket_mode.refusals >= 1 and socket_mode.connections == 1


def test_without_an_app_token_the_command_says_how_to_add_one(slack: SlackSetup) -> None:
    with pytest.raises(CommandError, match="App-Level Tokens"):
        call_command("slack_socket_mode", str(slack.connection.id))
