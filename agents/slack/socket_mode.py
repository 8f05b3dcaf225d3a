"""Socket Mode: the Slack bot for installs without a public URL. Slack pushes the same events
over a websocket opened with the app-level token; each is acknowledged at once and handled
like an Events API delivery (the answer is queued on the `agent` queue).

`run_socket_mode` is what `manage.py slack_socket_mode <connection id>` runs: it asks
apps.connections.open for a websocket URL, acknowledges every envelope (`{envelope_id}`)
before handling it, and on Slack's `disconnect` (`refresh_requested`, `warning`) opens a new
URL and reconnects (slack-sdk's built-in SocketModeClient). An app-level token Slack refuses
stops it with a logged message saying what to do."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from typing import Any

from django import db
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from agents.slack.bot import ask_from_event, slack_client
from agents.slack.services import record_slack_feedback
from agents.slack.users import remember_slack_user_event
from common.crypto import decrypt_json
from connections.models import Connection
from connections.webhooks import first_delivery

logger = logging.getLogger(__name__)

# apps.connections.open errors that no retry fixes: the app-level token is wrong or gone.
REFUSED_TOKEN_ERRORS = {"invalid_auth", "not_authed", "token_revoked", "account_inactive"}
NO_APP_TOKEN = (
    "This connection has no app-level token. Create one under Basic Information > "
    "App-Level Tokens (scope connections:write), enable Socket Mode, and add it "
    "to the connection's credentials as app_token."
)


class SocketModeRefused(Exception):
    """Socket Mode cannot run for this connection; the message says what to do."""


def handle_socket_mode_request(
    *, connection: Connection, request_type: str, payload: Mapping[str, Any]
) -> str:
    """What one Socket Mode envelope led to: "queued", "feedback", "user", "duplicate" or
    "ignored"."""
    from agents.tasks import answer_slack_event_task

    if request_type == "interactive":
        return (
            "feedback"
            if record_slack_feedback(connection=connection, payload=payload)
            else "ignored"
        )
    if request_type != "events_api":
        return "ignored"
    event_id = str(payload.get("event_id") or "")
    if event_id and not first_delivery(connection.id, event_id):
        return "duplicate"
    event = payload.get("event") or {}
    if remember_slack_user_event(connection, event):
        return "user"
    if ask_from_event(event) is None:
        return "ignored"
    answer_slack_event_task.delay(connection.id, dict(event))
    return "queued"


class _BotSocket(SocketModeClient):
    """slack-sdk's built-in client, stopping (not retrying forever) when Slack refuses the
    app-level token, at the first connection or at any reconnection."""

    def __init__(self, *, refused: threading.Event, **arguments: Any) -> None:
        super().__init__(**arguments)
        self.refused = refused
        self.refusal = ""

    def issue_new_wss_url(self) -> str:
        try:
            return super().issue_new_wss_url()
        except SlackApiError as error:
            code = str(error.response.get("error") or "")
            if code in REFUSED_TOKEN_ERRORS:
                self.refusal = code
                self.refused.set()
            raise


def run_socket_mode(
    connection: Connection,
    *,
    stop: threading.Event | None = None,
    report: Callable[[str, str], None] | None = None,
) -> None:
    """Serve the connection's bot over Socket Mode until `stop` is set (forever without one).
    `report(type, outcome)` hears each envelope's outcome. Raises SocketModeRefused without
    an app-level token, or when Slack refuses it."""
    app_token = str(decrypt_json(connection.credentials_encrypted).get("app_token") or "")
    if not app_token.startswith("xapp-"):
        raise SocketModeRefused(NO_APP_TOKEN)
    stop = stop or threading.Event()
    socket = _BotSocket(
        refused=stop, app_token=app_token, web_client=slack_client(connection), logger=logger
    )

    def on_request(client: BaseSocketModeClient, request: SocketModeRequest) -> None:
        client.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
        try:
            outcome = handle_socket_mode_request(
                connection=connection, request_type=request.type, payload=request.payload
            )
        except Exception:
            logger.exception("Socket Mode envelope %s failed", request.envelope_id)
            outcome = "failed"
        finally:
            db.connections.close_all()  # this worker thread's own; the next envelope reopens
        if report is not None:
            report(request.type, outcome)

    socket.socket_mode_request_listeners.append(on_request)
    try:
        try:
            socket.connect()
        except SlackApiError:
            if not socket.refusal:
                raise
        stop.wait()
    finally:
        socket.close()
    if socket.refusal:
        message = (
            f"Slack refused the app-level token of connection {connection.id} "
            f"({socket.refusal}), so Socket Mode stopped. Create a new app-level token "
            "(Basic Information > App-Level Tokens, scope connections:write), put it in the "
            "connection's credentials as app_token, and start the command again."
        )
        logger.error(message)
        raise SocketModeRefused(message)
