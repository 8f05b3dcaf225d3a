"""manage.py slack_socket_mode <connection id>: run the Slack bot over Socket Mode.

For a Slack connection whose credentials include an app-level token (xapp-…, scope
connections:write). Runs until stopped; answers are computed by the `agent` workers."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agents.slack.socket_mode import SocketModeRefused, run_socket_mode
from connections.models import Connection


class Command(BaseCommand):
    help = "Run the Slack bot of one Slack connection over Socket Mode (no public URL needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("connection_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(id=options["connection_id"], kind="slack").first()
        if connection is None:
            raise CommandError(f"No Slack connection {options['connection_id']}.")
        self.stdout.write(f"Socket Mode for connection {connection.id}; Ctrl-C stops.")
        try:
            run_socket_mode(
                connection,
                report=lambda kind, outcome: self.stdout.write(f"{kind}: {outcome}"),
            )
        except SocketModeRefused as refused:
            raise CommandError(str(refused)) from refused
