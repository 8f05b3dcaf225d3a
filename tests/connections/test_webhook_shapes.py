"""Signed webhooks whose payload has an unexpected shape: the signature is right (the sender
has the secret, or a source changed its format), the body is not what the connector reads.
Each answers 400 `malformed_webhook` with JSON, never a 500 that the source would retry for
days, and changes nothing: no sync is queued, no feedback recorded."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from agents.models import Feedback
from connections.models import Connection, SyncRun
from tests.connections.conftest import connect
from tests.connections.sources import SOURCES
from tests.factories import Tenant

DEEP = b"[" * 100_000 + b"]" * 100_000
# Bodies no source sends: each connector must refuse them after checking the signature.
NOT_AN_OBJECT = {
    "not JSON": b"{not json",
    "not UTF-8": b"\xff\xfe\x00",
    "a list": b'[{"type": "event_callback"}]',
    "a string": b'"hello"',
    "null": b"null",
    "nested 100000 deep": DEEP,
}
# Objects of the wrong shape, per source, as each reads its payload.
WRONG_SHAPES: dict[str, dict[str, tuple[str, Any]]] = {
    "slack": {
        "no event": ("", {"type": "event_callback", "event_id": "Ev1"}),
        "event is a list": ("", {"type": "event_callback", "event": ["message"]}),
        "type is a list": ("", {"type": "event_callback", "event": {"type": ["message"]}}),
        "channel is a number": (
            "",
            {"type": "event_callback", "event": {"type": "message", "channel": 7, "ts": "1.2"}},
        ),
        "ts is a number": (
            "",
            {"type": "event_callback", "event": {"type": "message", "channel": "C1", "ts": 1.2}},
        ),
        "edited message is a string": (
            "",
            {
                "type": "event_callback",
                "event": {
                    "type": "message",
                    "channel": "C1",
                    "subtype": "message_changed",
                    "message": "oops",
                },
            },
        ),
        "reply count is text": (
            "",
            {
                "type": "event_callback",
                "event": {"type": "message", "channel": "C1", "ts": "1.2", "reply_count": "x"},
            },
        ),
        "challenge is an object": ("", {"type": "url_verification", "challenge": {"a": 1}}),
        "event id is an object": ("", {"type": "app_rate_limited", "event_id": {"a": 1}}),
    },
    "github": {
        "repository is a string": ("issues", {"repository": "acme/api", "issue": {"number": 1}}),
        "issue has no number": (
            "issues",
            {"repository": {"full_name": "acme/api"}, "issue": {"title": "t"}},
        ),
        "number is text": (
            "issues",
            {"repository": {"full_name": "acme/api"}, "issue": {"number": "three"}},
        ),
        "number is too large": (
            "issue_comment",
            {"repository": {"full_name": "acme/api"}, "issue": {"number": 10**30}},
        ),
        "issue is a list": ("issues", {"repository": {"full_name": "acme/api"}, "issue": [1]}),
        "full name is a list": (
            "issues",
            {"repository": {"full_name": ["acme"]}, "issue": {"number": 1}},
        ),
        "pull request number is null": (
            "pull_request",
            {"repository": {"full_name": "acme/api"}, "pull_request": {"number": None}},
        ),
        "ref is a list": (
            "push",
            {"ref": ["refs/heads/main"], "repository": {"default_branch": "main"}},
        ),
        "action is a number": (
            "issues",
            {"action": 5, "repository": {"full_name": "acme/api"}, "issue": {"number": 1}},
        ),
    },
    "notion": {
        "entity is a string": ("", {"id": "e1", "type": "page.created", "entity": "page-id"}),
        "type is a list": ("", {"id": "e1", "type": ["page.created"], "entity": {"id": "p"}}),
        "entity id is an object": (
            "",
            {"id": "e1", "type": "page.created", "entity": {"id": {"a": 1}}},
        ),
        "event id is a number": ("", {"id": 7, "type": "page.created", "entity": {"id": "p"}}),
    },
}


def slack_signer(fake: Any) -> Callable[[bytes, str], dict[str, str]]:
    return lambda body, _event: dict(fake.sign(body))


def github_signer(fake: Any) -> Callable[[bytes, str], dict[str, str]]:
    return lambda body, event: dict(fake.delivery(event or "issues", body)[0])


def notion_signer(fake: Any) -> Callable[[bytes, str], dict[str, str]]:
    token = fake.credentials()["webhook_verification_token"].encode()

    def sign(body: bytes, _event: str) -> dict[str, str]:
        signature = hmac.new(token, body, hashlib.sha256).hexdigest()
        return {"Content-Type": "application/json", "X-Notion-Signature": f"sha256={signature}"}

    return sign


SIGNERS = {"slack": slack_signer, "github": github_signer, "notion": notion_signer}


def post(connection: Connection, headers: dict[str, str], body: bytes, suffix: str = "") -> Any:
    return Client().post(
        f"/webhooks/{connection.kind}/{connection.id}{suffix}",
        data=body,
        content_type=headers.pop("Content-Type", "application/json"),
        headers=headers,
    )


def assert_malformed(response: Any, case: str) -> None:
    assert response.status_code == 400, (case, response.status_code, response.content)
    assert response["Content-Type"].startswith("application/json"), case
    assert response.json()["error"]["code"] == "malformed_webhook", (case, response.content)


@pytest.mark.parametrize("kind", sorted(SIGNERS))
def test_signed_deliveries_of_the_wrong_shape_are_400_and_change_nothing(
    tenant: Tenant, kind: str
) -> None:
    with SOURCES[kind]() as fake:
        connection = connect(tenant, kind, fake)
        sign = SIGNERS[kind](fake)
        cases = {name: ("", body) for name, body in NOT_AN_OBJECT.items()}
        cases |= {
            name: (event, json.dumps(payload).encode())
            for name, (event, payload) in WRONG_SHAPES[kind].items()
        }
        for name, (event, body) in cases.items():
            assert_malformed(post(connection, sign(body, event), body), f"{kind}: {name}")
        assert not SyncRun.objects.exists(), "a malformed delivery queues nothing"

        # The same signer on a delivery of the right shape is accepted: the refusals above
        # were for the shape, not the signature.
        good_headers, good_body = fake.signed_webhook()
        event = good_headers.get("X-GitHub-Event", "")
        accepted = post(connection, sign(good_body, event), good_body)
        assert accepted.status_code == 200, accepted.content


def test_google_drive_takes_no_webhooks(tenant: Tenant) -> None:
    with SOURCES["google_drive"]() as fake:
        connection = connect(tenant, "google_drive", fake)
        response = post(connection, {}, b"{}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


SLACK_INTERACTIONS = {
    "payload is not JSON": urlencode({"payload": "{nope"}).encode(),
    "payload is a list": urlencode({"payload": "[1, 2]"}).encode(),
    "no payload field": urlencode({"other": "x"}).encode(),
    "body is not UTF-8": b"payload=\xff\xfe",
    "a flood of fields": "&".join(f"f{n}=1" for n in range(100)).encode(),
    "nested 100000 deep": b"payload=" + DEEP,
    "user is a string": urlencode(
        {"payload": json.dumps({"type": "block_actions", "user": "U1", "actions": []})}
    ).encode(),
    "actions is an object": urlencode(
        {"payload": json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": {}})}
    ).encode(),
    "an action is a string": urlencode(
        {"payload": json.dumps({"type": "block_actions", "user": {"id": "U1"}, "actions": ["x"]})}
    ).encode(),
    "type is a number": urlencode({"payload": json.dumps({"type": 1})}).encode(),
}


def feedback_click(value: Any, user_id: str = "U1") -> bytes:
    from agents.slack.blocks import FEEDBACK_UP

    payload = {
        "type": "block_actions",
        "user": {"id": user_id},
        "actions": [{"action_id": FEEDBACK_UP, "value": value}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_signed_slack_interactions_of_the_wrong_shape_are_400(tenant: Tenant) -> None:
    cases = {
        **SLACK_INTERACTIONS,
        "button value is not a message id": feedback_click("drop table"),
        "button value is past 64 bits": feedback_click("9" * 30),
        "button value is a number": feedback_click(12),
    }
    with SOURCES["slack"]() as fake:
        connection = connect(tenant, "slack", fake)
        for name, body in cases.items():
            headers = {k: v for k, v in fake.sign(body).items() if k != "Content-Type"}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            assert_malformed(post(connection, headers, body, "/interactions"), name)
        # A click of the right shape, by a person of the Slack workspace, on a message that
        # does not exist is simply ignored.
        body = feedback_click("123456", fake.workspace.users[0].id)
        headers = {k: v for k, v in fake.sign(body).items() if k != "Content-Type"}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        assert post(connection, headers, body, "/interactions").status_code == 200
        # A click by someone Slack no longer knows is dropped, not a 500.
        body = feedback_click("123456", "U0NOBODY")
        headers = {k: v for k, v in fake.sign(body).items() if k != "Content-Type"}
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        assert post(connection, headers, body, "/interactions").status_code == 200
    assert not Feedback.objects.exists()


def test_interactions_at_the_slack_events_url_are_checked_alike(tenant: Tenant) -> None:
    """One Slack entry point: form posts at the events URL meet the same checks as at the
    older /interactions URL, and a JSON body there is still not a click."""
    with SOURCES["slack"]() as fake:
        connection = connect(tenant, "slack", fake)
        for name, body in SLACK_INTERACTIONS.items():
            headers = {k: v for k, v in fake.sign(body).items() if k != "Content-Type"}
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            assert_malformed(post(connection, headers, body), name)
        body = json.dumps({"type": "block_actions", "actions": []}).encode()
        assert_malformed(post(connection, dict(fake.sign(body)), body, "/interactions"), "json")
    assert not Feedback.objects.exists()
    assert not SyncRun.objects.exists()
