"""manage.py sync <connection id>: run a sync in this process, with a progress bar.

For operators: the same run as the workers do (lock, checkpoints, counts), so it is safe
beside them, and an interrupted run resumes when started again.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from connections.engine import SyncBusy, SyncInterrupted
from connections.models import Connection, SyncMode, SyncRun, SyncStatus
from connections.services import request_sync, run_sync


class Command(BaseCommand):
    help = "Sync one connection now, showing progress (incremental unless --full)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("connection_id", type=int)
        parser.add_argument("--full", action="store_true", help="resync everything")

    def handle(self, *args: Any, **options: Any) -> None:
        connection = Connection.objects.filter(id=options["connection_id"]).first()
        if connection is None:
            raise CommandError(f"No connection {options['connection_id']}.")
        mode = SyncMode.FULL if options["full"] else SyncMode.INCREMENTAL
        run = SyncRun.objects.filter(connection=connection, status=SyncStatus.RUNNING).first()
        if run is None:
            run = request_sync(connection=connection, mode=mode, trigger="command")
        # The bar writes to the command's own stderr stream (raw, so carriage returns work).
        stream = getattr(self.stderr, "_out", None)
        with tqdm(
            desc=f"{connection.kind} {connection.data_source.name}", unit="doc", file=stream
        ) as bar:

            def on_page(current: SyncRun) -> None:
                bar.total = current.progress_total
                bar.n = current.progress_done
                bar.set_postfix(
                    pages=current.pages,
                    changed=current.documents_upserted,
                    deleted=current.documents_deleted,
                    failed=current.documents_failed,
                )
                bar.refresh()

            try:
                run = run_sync(run_id=run.id, on_page=on_page)
            except SyncBusy as error:
                raise CommandError(f"{error}; wait for it to finish.") from error
            except SyncInterrupted as error:
                raise CommandError(
                    f"The source kept failing: {error.error.message} "
                    "Run the command again to resume from the last checkpoint."
                ) from error
        self.stdout.write(
            f"run {run.id} {run.status}: {run.documents_upserted} changed, "
            f"{run.documents_unchanged} unchanged, {run.documents_deleted} deleted, "
            f"{run.documents_failed} failed in {run.pages} pages"
            + (f" - {run.error_message}" if run.error_message else "")
        )
        if run.status == SyncStatus.FAILED:
            raise CommandError(run.error_message)
