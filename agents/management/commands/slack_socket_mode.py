"""manage.py slack_socket_mode <connection id>: run the Slack bot over Socket Mode.

For a Slack connection whose credentials include an app-level token (xapp-…, scope
connections:write). Runs until stopped; answers are computed by the `agent` workers."""

from __future__ import annotations

import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from agents.slack.bot import slack_client
from agents.slack.socket_mode import handle_socket_mode_request
from common.crypto import decrypt_json
from connections.models import Connection


class Command(BaseCommand):
    help = "Run the Slack bot of one Slack connection over Socket Mode (no public URL needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("connection_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(id=options["connection_id"], kind="slack").first()
        if connection is None:
            raise CommandError(f"No Slack connection {options['connection_id']}.")
        app_token = str(decrypt_json(connection.credentials_encrypted).get("app_token") or "")
        if not app_token.startswith("xapp-"):
            raise CommandError(
                "This connection has no app-level token. Create one under Basic Information > "
                "App-Level Tokens (scope connections:write), enable Socket Mode, and add it "
                "to the connection's credentials as app_token."
            )
        client = SocketModeClient(app_token=app_token, web_client=slack_client(connection))

        def on_request(socket: BaseSocketModeClient, request: SocketModeRequest) -> None:
            socket.send_socket_mode_response(SocketModeResponse(envelope_id=request.envelope_id))
            outcome = handle_socket_mode_request(
                connection=connection, request_type=request.type, payload=request.payload
            )
            self.stdout.write(f"{request.type}: {outcome}")

        client.socket_mode_request_listeners.append(on_request)
        client.connect()
        self.stdout.write(f"Socket Mode connected for connection {connection.id}; Ctrl-C stops.")
        threading.Event().wait()
