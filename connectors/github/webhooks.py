"""GitHub webhook deliveries: verified by their HMAC-SHA256 signature, then turned into the
documents to fetch again or delete.

GitHub signs the raw body with the hook's secret and sends `X-Hub-Signature-256:
sha256=<hex>`; the older SHA-1 header is not accepted. `X-GitHub-Delivery` is the delivery's
id (GitHub's redeliveries keep it, so it de-duplicates).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from githubkit.webhooks import verify

from connectors.base import WebhookResult
from connectors.errors import MalformedWebhook, WebhookRejected
from connectors.github.mapping import is_pull_request, issue_external_id

# Events after which access lists or the set of repositories may differ: sync again.
SYNC_EVENTS = frozenset(
    {"repository", "member", "membership", "team", "team_add", "public", "organization"}
)
PULL_REQUEST_EVENTS = frozenset(
    {"pull_request", "pull_request_review", "pull_request_review_comment"}
)
GONE_ACTIONS = frozenset({"deleted", "transferred"})


def interpret_delivery(*, secret: str, headers: Mapping[str, str], body: bytes) -> WebhookResult:
    header = {name.lower(): value for name, value in headers.items()}
    signature = header.get("x-hub-signature-256", "")
    if not secret:
        raise WebhookRejected("No webhook secret is configured for this connection.", 401)
    if not signature.startswith("sha256=") or not verify(secret, body, signature):
        raise WebhookRejected("The webhook signature does not match the secret.", 401)
    payload = _payload(header.get("content-type", ""), body)
    event = header.get("x-github-event", "")
    delivery = header.get("x-github-delivery", "")
    if event == "ping":
        return WebhookResult(response={"ok": True}, event_id=delivery, event=payload)
    repository_object = _object(payload, "repository") or {}
    repository = _text(repository_object, "full_name")
    action = _text(payload, "action")

    if event in ("issues", "issue_comment") and repository and payload.get("issue"):
        issue = _object(payload, "issue") or {}
        changed = issue_external_id(repository, _number(issue), is_pull_request(issue))
        if event == "issues" and action in GONE_ACTIONS:
            return WebhookResult(event_id=delivery, deleted_ids=(changed,), event=payload)
        return WebhookResult(event_id=delivery, changed_ids=(changed,), event=payload)
    if event in PULL_REQUEST_EVENTS and repository and payload.get("pull_request"):
        number = _number(_object(payload, "pull_request") or {})
        changed = issue_external_id(repository, number, True)
        return WebhookResult(event_id=delivery, changed_ids=(changed,), event=payload)
    if event == "push":
        default = _text(repository_object, "default_branch")
        on_default_branch = _text(payload, "ref") == f"refs/heads/{default}"
        return WebhookResult(event_id=delivery, sync_needed=on_default_branch, event=payload)
    return WebhookResult(event_id=delivery, sync_needed=event in SYNC_EVENTS, event=payload)


def _text(mapping: Mapping[str, Any], key: str) -> str:
    """A string field, or "" when it is absent; another type is a malformed delivery."""
    value = mapping.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedWebhook(f"The webhook's '{key}' is not a string.")
    return value


def _object(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any] | None:
    value = mapping.get(key)
    if value is None or isinstance(value, Mapping):
        return value
    raise MalformedWebhook(f"The webhook's '{key}' is not an object.")


def _number(item: Mapping[str, Any]) -> int:
    """An issue's or pull request's number: a positive integer, as GitHub sends it."""
    number = item.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 0 < number < 2**31:
        raise MalformedWebhook("The webhook's issue or pull request has no valid 'number'.")
    return number


def _payload(content_type: str, body: bytes) -> dict[str, Any]:
    """JSON, or the form encoding GitHub offers (`payload=<json>`)."""
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/x-www-form-urlencoded"):
            text = parse_qs(text).get("payload", [""])[0]
        payload = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise MalformedWebhook(f"The webhook body is not valid JSON: {error}") from None
    if not isinstance(payload, dict):
        raise MalformedWebhook("The webhook body is not a JSON object.")
    return payload
