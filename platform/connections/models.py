"""Connections to sources and the runs that sync them.

A Connection owns one DataSource (its documents); its credentials are encrypted at rest.
A SyncRun is the truth about one sync: its checkpoint is where a restarted worker resumes,
its counts and errors are what the admin console shows.
"""

from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active"
    NEEDS_CREDENTIALS = "needs_credentials"
    PAUSED = "paused"


class Connection(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    data_source = models.OneToOneField(
        "knowledge.DataSource", on_delete=models.CASCADE, related_name="connection"
    )
    kind = models.CharField(max_length=32)
    credentials_encrypted = models.TextField()
    # Empty: the provider's public API. Set for GitHub Enterprise and the like (and the fakes).
    api_base_url = models.URLField(max_length=500, blank=True, default="")
    # Ids of the hierarchy nodes the admin picked; empty means everything the credentials reach.
    selected_ids = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    status = models.CharField(
        max_length=32, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE
    )
    status_message = models.TextField(blank=True, default="")
    # Returned by the last finished sync; where the next incremental sync starts. None: no
    # full sync has finished yet.
    cursor = models.JSONField(null=True, blank=True)
    sync_interval_minutes = models.PositiveIntegerField(default=5)
    requests_per_minute = models.PositiveIntegerField(null=True, blank=True)
    last_sync_requested_at = models.DateTimeField(null=True, blank=True)
    last_full_sync_at = models.DateTimeField(null=True, blank=True)
    last_successful_sync_at = models.DateTimeField(null=True, blank=True)
    # The token a source's webhook handshake sent (Notion's `verification_token`), encrypted,
    # until the admin has pasted it into the source and the credentials; shown to admins only.
    pending_webhook_token_encrypted = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.kind} connection {self.pk}"


class SyncMode(models.TextChoices):
    FULL = "full"
    INCREMENTAL = "incremental"
    ITEMS = "items"  # "resync this item" and webhook hints


class SyncStatus(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_SYNC_STATUSES = (SyncStatus.QUEUED, SyncStatus.RUNNING)
# Which mode a queued run becomes when another request arrives: the broader one wins.
MODE_BREADTH = {SyncMode.ITEMS: 0, SyncMode.INCREMENTAL: 1, SyncMode.FULL: 2}


class SyncRun(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="runs")
    mode = models.CharField(max_length=16, choices=SyncMode.choices)
    status = models.CharField(max_length=16, choices=SyncStatus.choices, default=SyncStatus.QUEUED)
    trigger = models.CharField(max_length=32, default="admin")  # admin, schedule, webhook...
    requested_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL
    )
    item_ids = ArrayField(models.CharField(max_length=255), default=list, blank=True)
    # The connection's cursor when an incremental run started, so a resumed run goes on from
    # the same place; the state of the last checkpoint reached.
    base_cursor = models.JSONField(null=True, blank=True)
    checkpoint = models.JSONField(null=True, blank=True)
    pages = models.IntegerField(default=0)
    documents_upserted = models.IntegerField(default=0)
    documents_unchanged = models.IntegerField(default=0)
    documents_deleted = models.IntegerField(default=0)
    documents_failed = models.IntegerField(default=0)
    progress_done = models.IntegerField(default=0)
    progress_total = models.IntegerField(null=True, blank=True)
    # The latest per-item failures ({external_id, title, code, message}), capped.
    errors = models.JSONField(default=list, blank=True)
    error_code = models.CharField(max_length=64, blank=True, default="")
    error_message = models.TextField(blank=True, default="")
    attempts = models.IntegerField(default=0)
    # An admin asked to stop: the worker stops at the next page boundary (checkpoint kept).
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    # A run that goes on from a cancelled one's checkpoint: when that full sync began, so the
    # final sweep of unseen documents spares what the cancelled run stored.
    continues_since = models.DateTimeField(null=True, blank=True)
    # What the framework decided by itself (a full resync after an expired change token).
    note = models.TextField(blank=True, default="")
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Requests arriving while a run waits are merged into it.
            models.UniqueConstraint(
                fields=["connection"],
                condition=Q(status="queued"),
                name="sync_run_one_queued_per_connection",
            )
        ]
        indexes = [models.Index(fields=["connection", "-queued_at"], name="sync_run_recent")]

    @property
    def duration_seconds(self) -> float | None:
        if not self.started_at:
            return None
        end = self.finished_at or self.heartbeat_at or self.started_at
        return (end - self.started_at).total_seconds()
