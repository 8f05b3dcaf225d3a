from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agents import services
from agents.answers import AnswerFailed, AnswerFinished, stream_answer
from agents.runtime import TokenEvent
from common.errors import DomainError
from workspaces.models import Membership


class Command(BaseCommand):
    help = (
        "Ask an agent as a member and print the streamed answer and its sources: "
        'manage.py ask <agent-handle> "question" --workspace <slug> --as <email>'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("handle", help="the agent's handle, with or without @")
        parser.add_argument("question")
        parser.add_argument("--workspace", required=True, help="the workspace's slug")
        parser.add_argument("--as", dest="as_email", required=True, help="the asker's email")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = (
            Membership.objects.select_related("workspace", "user")
            .filter(
                workspace__slug=options["workspace"],
                user__email=options["as_email"].strip().lower(),
                user__is_active=True,
            )
            .first()
        )
        if membership is None:
            raise CommandError(
                f"{options['as_email']} is not an active member of workspace "
                f"'{options['workspace']}'. Check both with the admin console."
            )
        try:
            conversation = services.create_conversation(actor=membership)
            answer = services.post_message(
                actor=membership,
                conversation_id=conversation.id,
                agent_handle=options["handle"],
                content=options["question"],
            )
        except DomainError as error:
            raise CommandError(error.message) from error
        for event in stream_answer(agent_message_id=answer.id):
            if isinstance(event, TokenEvent):
                self.stdout.write(event.text, ending="")
                self.stdout.flush()
            elif isinstance(event, AnswerFinished):
                self.stdout.write("")
                citations = list(event.message.citations.order_by("number"))
                if citations:
                    self.stdout.write("\nSources:")
                for citation in citations:
                    where = f" - {citation.url}" if citation.url else ""
                    self.stdout.write(f"[{citation.number}] {citation.title}{where}")
            elif isinstance(event, AnswerFailed):
                raise CommandError(f"{event.text} (conversation {conversation.id})")
