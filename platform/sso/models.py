"""A workspace's identity provider (one per workspace, OIDC or SAML) and the email domains
it claims. Secrets are encrypted at rest (common.crypto), like connection credentials."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from workspaces.models import Membership, Role, Workspace


class Protocol(models.TextChoices):
    OIDC = "oidc"
    SAML = "saml"


class OidcPreset(models.TextChoices):
    GOOGLE = "google"
    OKTA = "okta"
    ENTRA = "entra"
    KEYCLOAK = "keycloak"
    GENERIC = "generic"


class JitMode(models.TextChoices):
    CREATE = "create"  # a person of a claimed domain becomes a member on first sign-in
    INVITATIONS_ONLY = "invitations_only"  # only people with a pending invitation get in


class IdentityProvider(models.Model):
    workspace = models.OneToOneField(
        Workspace, on_delete=models.CASCADE, related_name="identity_provider"
    )
    kind = models.CharField(max_length=8, choices=Protocol.choices)
    # One of OidcPreset for OIDC; "" for SAML.
    preset = models.CharField(max_length=16, blank=True, default="")
    display_name = models.CharField(max_length=200, blank=True, default="")
    enabled = models.BooleanField(default=True)
    # Non-secret settings. OIDC: issuer, client_id, scopes, hd (Google), groups_claim.
    # SAML: idp_entity_id, sso_url, x509_certs, attribute names.
    config = models.JSONField(default=dict)
    # The protocol's secret (the OIDC client secret), encrypted; "" when there is none.
    encrypted_secret = models.TextField(blank=True, default="")
    jit_mode = models.CharField(max_length=20, choices=JitMode.choices, default=JitMode.CREATE)
    default_role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    map_groups = models.BooleanField(default=False)
    require_sso = models.BooleanField(default=False)
    # The one admin who may still sign in with a password when require_sso is on.
    break_glass_membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.kind}:{self.workspace_id}"


class ClaimedDomain(models.Model):
    """An email domain whose people sign in through this workspace's provider. A domain is
    claimed by one workspace at most (unique), so an address never leads into two."""

    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="claimed_domains"
    )
    domain = models.CharField(max_length=253, unique=True)  # lower-case, no leading "@"
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.domain
