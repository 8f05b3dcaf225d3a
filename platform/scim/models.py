"""SCIM 2.0 provisioning: the workspace's bearer tokens and the users its IdP provisions.

SCIM groups are workspaces.Group rows with source="scim" (their SCIM id is the group's id).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models.functions import Lower


class ScimToken(models.Model):
    """The bearer token an identity provider provisions one workspace with.

    Only a SHA-256 of the secret is stored; the secret is shown once at creation.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="scim_tokens"
    )
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        "workspaces.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class ScimUser(models.Model):
    """A person as the IdP provisioned them: one membership of the workspace."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="scim_users"
    )
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True, default="")
    user_name = models.CharField(max_length=255)
    display_name = models.CharField(max_length=200, blank=True, default="")
    given_name = models.CharField(max_length=200, blank=True, default="")
    family_name = models.CharField(max_length=200, blank=True, default="")
    active = models.BooleanField(default=True)
    membership = models.OneToOneField(
        "workspaces.Membership", on_delete=models.CASCADE, related_name="scim_user"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "workspace", Lower("user_name"), name="scim_user_unique_user_name"
            ),
        ]
