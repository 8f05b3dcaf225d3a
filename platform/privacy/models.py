"""Data-subject requests (GDPR articles 15 and 17): export everything a workspace holds about
a person, or erase it. A request row is the truth about one run: a worker picks it up by id,
moves it through its states and records its progress, its archive or its result.

The row names its subject by foreign keys only (both SET_NULL): once the person is erased,
it names them by the pseudonym their audit events carry, and holds no email or name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RequestKind(models.TextChoices):
    EXPORT = "export"
    ERASE = "erase"


class RequestState(models.TextChoices):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_STATES = (RequestState.QUEUED, RequestState.RUNNING)


class DataSubjectRequest(models.Model):
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_membership = models.ForeignKey(
        "workspaces.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set when the subject is erased: "erased-user-<hash>", the name the audit log uses.
    subject_pseudonym = models.CharField(max_length=64, blank=True, default="")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    state = models.CharField(
        max_length=16, choices=RequestState.choices, default=RequestState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    requested_by = models.ForeignKey(
        "workspaces.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The export's zip, relative to PRIVACY_ARCHIVE_DIR; empty until done (and once erased).
    archive_name = models.CharField(max_length=255, blank=True, default="")
    archive_size_bytes = models.BigIntegerField(default=0)
    # What the run found or did: the areas' counts, the documents to exclude at the source.
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    attempts = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"], name="privacy_request_recent")]
