"""Admin verbs on a workspace's identity provider and claimed domains (all audited)."""

from __future__ import annotations

import re
from typing import Any

from django.db import IntegrityError, transaction

from audit.services import AuditTarget, audit_change
from common import crypto
from common.errors import Conflict, InvalidInput, NotFound
from sso.models import ClaimedDomain, IdentityProvider, JitMode, Protocol
from workspaces.access import access_role
from workspaces.models import Membership, Role

_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_protocol_config(kind: str, config: dict[str, Any], preset: str) -> dict[str, Any]:
    """The protocol's own validation: sso.oidc.validate_config, sso.saml.validate_config."""
    if kind == Protocol.OIDC:
        from sso import oidc

        return oidc.validate_config(config, preset=preset)
    if kind == Protocol.SAML:
        try:
            from sso import saml  # type: ignore[attr-defined,unused-ignore]
        except ImportError as error:
            raise InvalidInput("SAML is not available in this build.") from error
        return saml.validate_config(config)  # type: ignore[no-any-return,unused-ignore]
    raise InvalidInput("kind must be 'oidc' or 'saml'.")


def get_provider(*, actor: Membership) -> IdentityProvider:
    access_role(actor, Role.ADMIN)
    provider = IdentityProvider.objects.filter(workspace_id=actor.workspace_id).first()
    if provider is None:
        raise NotFound("This workspace has no identity provider yet; set one up with PUT.")
    return provider


def _break_glass(actor: Membership, membership_id: int | None) -> Membership | None:
    if membership_id is None:
        return None
    glass = Membership.objects.filter(id=membership_id, workspace_id=actor.workspace_id).first()
    if glass is None:
        raise InvalidInput(f"Member {membership_id} is not in this workspace.")
    if glass.role != Role.ADMIN:
        raise InvalidInput("The break-glass account must be a workspace admin.")
    return glass


@transaction.atomic
def save_provider(
    *,
    actor: Membership,
    kind: str,
    preset: str,
    display_name: str,
    enabled: bool,
    config: dict[str, Any],
    secret: str | None,
    jit_mode: str,
    default_role: str,
    map_groups: bool,
    require_sso: bool,
    break_glass_membership_id: int | None,
) -> IdentityProvider:
    """Create or replace the workspace's provider. `secret` None keeps the stored one (the
    admin page never receives it back); "" clears it."""
    access_role(actor, Role.ADMIN)
    if jit_mode not in JitMode.values:
        raise InvalidInput("jit_mode must be 'create' or 'invitations_only'.")
    if default_role not in Role.values:
        raise InvalidInput("default_role must be admin, builder or member.")
    clean = validate_protocol_config(kind, config, preset)
    glass = _break_glass(actor, break_glass_membership_id)
    if require_sso and glass is None:
        raise InvalidInput(
            "Requiring SSO needs a break-glass admin (who may still use a password), so a "
            "broken identity provider cannot lock every admin out."
        )
    provider = (
        IdentityProvider.objects.select_for_update().filter(workspace_id=actor.workspace_id).first()
    )
    created = provider is None
    if provider is None:
        provider = IdentityProvider(workspace_id=actor.workspace_id)
    elif provider.kind != kind and secret is None:
        provider.encrypted_secret = ""  # another protocol's secret means nothing here
    provider.kind = kind
    provider.preset = preset if kind == Protocol.OIDC else ""
    provider.display_name = display_name.strip()[:200]
    provider.enabled = enabled
    provider.config = clean
    if secret is not None:
        provider.encrypted_secret = crypto.encrypt(secret) if secret else ""
    provider.jit_mode = jit_mode
    provider.default_role = default_role
    provider.map_groups = map_groups
    provider.require_sso = require_sso
    provider.break_glass_membership = glass
    provider.updated_by = actor.user
    provider.save()
    audit_change(
        actor=actor,
        action="sso.provider_created" if created else "sso.provider_updated",
        target=provider,
        data={
            "kind": kind,
            "preset": provider.preset,
            "enabled": enabled,
            "config": clean,
            "secret_changed": secret is not None,
            "jit_mode": jit_mode,
            "default_role": default_role,
            "map_groups": map_groups,
            "require_sso": require_sso,
            "break_glass_membership_id": glass.id if glass else None,
        },
    )
    return provider


@transaction.atomic
def delete_provider(*, actor: Membership) -> None:
    provider = get_provider(actor=actor)
    audit_change(
        actor=actor,
        action="sso.provider_deleted",
        target=AuditTarget("identity_provider", provider.pk),
        data={"kind": provider.kind},
    )
    provider.delete()


def clean_domain(domain: str) -> str:
    value = domain.strip().lower().lstrip("@").rstrip(".")
    if not _DOMAIN.match(value):
        raise InvalidInput(f"'{domain[:100]}' is not a domain name; type it like example.com.")
    return value


def list_domains(*, actor: Membership) -> list[ClaimedDomain]:
    access_role(actor, Role.ADMIN)
    return list(ClaimedDomain.objects.filter(workspace_id=actor.workspace_id).order_by("domain"))


@transaction.atomic
def claim_domain(*, actor: Membership, domain: str) -> ClaimedDomain:
    access_role(actor, Role.ADMIN)
    value = clean_domain(domain)
    if ClaimedDomain.objects.filter(domain=value).exists():
        raise Conflict(
            f"{value} is already claimed (by this or another workspace). A domain leads to one "
            "workspace only; ask your operator if it should move."
        )
    try:
        with transaction.atomic():
            claim = ClaimedDomain.objects.create(
                workspace_id=actor.workspace_id, domain=value, claimed_by=actor.user
            )
    except IntegrityError as error:  # claimed meanwhile
        raise Conflict(f"{value} is already claimed.") from error
    audit_change(actor=actor, action="sso.domain_claimed", target=claim, data={"domain": value})
    return claim


@transaction.atomic
def release_domain(*, actor: Membership, domain_id: int) -> None:
    access_role(actor, Role.ADMIN)
    claim = ClaimedDomain.objects.filter(id=domain_id, workspace_id=actor.workspace_id).first()
    if claim is None:
        raise NotFound(f"Domain {domain_id} is not claimed by this workspace.")
    audit_change(
        actor=actor,
        action="sso.domain_released",
        target=AuditTarget("claimed_domain", claim.pk),
        data={"domain": claim.domain},
    )
    claim.delete()
