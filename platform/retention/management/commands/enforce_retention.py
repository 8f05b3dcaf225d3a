"""manage.py enforce_retention [--workspace SLUG]: run retention now instead of waiting for
the hourly beat task. Same verb, same batches and audit event, so it is safe beside it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from retention.services import enforce_all_retention, enforce_retention
from workspaces.models import Workspace


class Command(BaseCommand):
    help = "Delete what each workspace's retention policy no longer keeps, and print the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workspace", help="the slug of one workspace (default: all)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(f"No workspace '{options['workspace']}'.")
            results = {workspace.id: enforce_retention(workspace_id=workspace.id)}
        else:
            results = enforce_all_retention()
        slugs = dict(Workspace.objects.filter(id__in=results).values_list("id", "slug"))
        for workspace_id, counts in results.items():
            summary = ", ".join(f"{kind} {count}" for kind, count in counts.items())
            self.stdout.write(f"{slugs[workspace_id]}: deleted {summary}")
