"""How long a workspace keeps what it holds, and the legal holds that stop deletion.

A period of None keeps that kind of data forever (the default: nothing is deleted until an
admin chooses a period). A hold on the workspace stops every deletion in it; a hold on a
person keeps their conversations, their uploads and the audit events they caused.
"""

from __future__ import annotations

from django.db import models


class RetentionPolicy(models.Model):
    workspace = models.OneToOneField(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="retention_policy"
    )
    # Days after its last activity that a conversation (with messages, citations, feedback)
    # is deleted.
    conversations_days = models.PositiveIntegerField(null=True, blank=True)
    # Days after it was last uploaded or changed that a folder's file is deleted.
    uploads_days = models.PositiveIntegerField(null=True, blank=True)
    audit_events_days = models.PositiveIntegerField(null=True, blank=True)
    # Days after it finished that a sync run (its counts and error log) is deleted.
    sync_logs_days = models.PositiveIntegerField(null=True, blank=True)
    updated_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # The last enforcement run that looked at this workspace, and what it deleted.
    last_enforced_at = models.DateTimeField(null=True, blank=True)
    last_enforcement_counts = models.JSONField(default=dict, blank=True)


class LegalHold(models.Model):
    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="legal_holds"
    )
    # None: the whole workspace is held. Removing the member removes their conversations
    # anyway (they cascade from the membership), so the hold goes with them.
    membership = models.ForeignKey(
        "workspaces.Membership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="legal_holds",
    )
    reason = models.TextField()
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["workspace", "released_at"], name="legal_hold_active")]

    @property
    def is_active(self) -> bool:
        return self.released_at is None
