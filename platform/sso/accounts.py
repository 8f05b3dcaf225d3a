"""Signing a person in from a verified SSO assertion (OIDC or SAML), and the require-SSO
check on password sign-in. Protocol modules (sso.oidc, sso.saml) turn their assertion into an
SsoIdentity and call sign_in_with_sso; everything after that is the same for both."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import User
from audit.services import AuditTarget, audit_change
from common.errors import PermissionDenied
from sso.errors import SsoError
from sso.models import ClaimedDomain, IdentityProvider, JitMode
from workspaces.models import Group, GroupMember, Invitation, Membership, Role

GROUP_SOURCE = "sso"
MAX_GROUPS = 200  # claims beyond this are ignored (a hostile IdP cannot flood the groups)


@dataclass(frozen=True)
class SsoIdentity:
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]
    subject: str
    protocol: str  # "oidc" | "saml"


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def _check_identity(provider: IdentityProvider, identity: SsoIdentity) -> str:
    email = identity.email.strip().lower()
    if not email or "@" not in email:
        raise SsoError("email_missing", "Your identity provider sent no email address.")
    if not identity.email_verified:
        raise SsoError(
            "email_unverified",
            "Your identity provider says your email address is not verified. Verify it there, "
            "then sign in again.",
        )
    claimed = ClaimedDomain.objects.filter(
        domain=email_domain(email), workspace_id=provider.workspace_id
    ).exists()
    if not claimed:
        raise SsoError(
            "domain_not_claimed",
            f"The domain of {email} is not claimed by this workspace. Ask your workspace "
            "admin to claim it under Admin → Authentication.",
        )
    return email


def _pending_invitation(provider: IdentityProvider, email: str) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .filter(
            workspace_id=provider.workspace_id,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _find_or_create_user(identity: SsoIdentity, email: str) -> tuple[User, bool]:
    user = User.objects.select_for_update().filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=None, full_name=identity.name.strip()[:200], email_verified=True
        )
        return user, True
    if not user.is_active:
        raise SsoError("account_inactive", "This account is deactivated. Ask your admin.")
    if not user.email_verified or user.email_verified_by_invitation:
        # The workspace's IdP vouches for an address of a domain the workspace claimed.
        user.email_verified = True
        user.email_verified_by_invitation = False
        user.save(update_fields=["email_verified", "email_verified_by_invitation"])
    return user, False


def _membership(provider: IdentityProvider, user: User, email: str) -> tuple[Membership, str]:
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(workspace_id=provider.workspace_id, user=user)
        .first()
    )
    invitation = _pending_invitation(provider, email)
    if membership is not None:
        return membership, "existing"
    if invitation is None and provider.jit_mode == JitMode.INVITATIONS_ONLY:
        raise SsoError(
            "not_invited",
            "This workspace lets in only invited people. Ask a workspace admin to invite you.",
        )
    role = invitation.role if invitation is not None else provider.default_role
    membership = Membership.objects.create(
        workspace_id=provider.workspace_id, user=user, role=role or Role.MEMBER
    )
    membership = Membership.objects.select_related("workspace", "user").get(pk=membership.pk)
    if invitation is not None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_change(
            actor=membership,
            action="invitation.accepted",
            target=invitation,
            data={"email": email, "role": membership.role, "via": "sso"},
        )
        return membership, "invitation"
    return membership, "jit"


def map_sso_groups(*, membership: Membership, groups: tuple[str, ...]) -> dict[str, int]:
    """Make the member's `sso` groups what the assertion says: groups are created by name
    (source "sso", external_id the claim's value), the member joins the named ones and leaves
    the other `sso` groups. Space grants to those groups follow. Counts of what changed."""
    names = sorted({g.strip()[:200] for g in groups if g and g.strip()})[:MAX_GROUPS]
    workspace_id = membership.workspace_id
    existing = {
        g.external_id: g
        for g in Group.objects.select_for_update().filter(
            workspace_id=workspace_id, source=GROUP_SOURCE, external_id__in=names
        )
    }
    created = 0
    for name in names:
        if name not in existing:
            group, made = Group.objects.get_or_create(
                workspace_id=workspace_id,
                name=_group_name(workspace_id, name),
                defaults={"source": GROUP_SOURCE, "external_id": name},
            )
            existing[name] = group
            created += int(made)
    wanted = {g.id for g in existing.values() if g.source == GROUP_SOURCE}
    current = set(
        GroupMember.objects.filter(membership=membership, group__source=GROUP_SOURCE).values_list(
            "group_id", flat=True
        )
    )
    GroupMember.objects.filter(membership=membership, group_id__in=current - wanted).delete()
    GroupMember.objects.bulk_create(
        [GroupMember(group_id=g, membership=membership) for g in wanted - current],
        ignore_conflicts=True,
    )
    return {"created": created, "joined": len(wanted - current), "left": len(current - wanted)}


def _group_name(workspace_id: int, name: str) -> str:
    """The group's name: the claim itself, unless a manual group already has it."""
    taken = Group.objects.filter(workspace_id=workspace_id, name=name).exclude(source=GROUP_SOURCE)
    return f"{name} (SSO)"[:200] if taken.exists() else name


@transaction.atomic
def sign_in_with_sso(
    *, provider: IdentityProvider, identity: SsoIdentity, request: HttpRequest
) -> Membership:
    """Sign the person of a verified assertion in to the provider's workspace (see module)."""
    if not provider.enabled:
        raise SsoError("sso_disabled", "Single sign-on is turned off for this workspace.")
    email = _check_identity(provider, identity)
    user, new_account = _find_or_create_user(identity, email)
    membership, how = _membership(provider, user, email)
    groups = (
        map_sso_groups(membership=membership, groups=identity.groups)
        if provider.map_groups
        else None
    )
    audit_change(
        actor=membership,
        action="sso.signed_in",
        target=AuditTarget("identity_provider", provider.pk),
        data={
            "email": email,
            "protocol": identity.protocol,
            "subject": identity.subject[:255],
            "membership": how,
            "new_account": new_account,
            **({"groups": groups} if groups is not None else {}),
        },
    )
    if how == "jit":
        audit_change(
            actor=membership,
            action="member.added",
            target=membership,
            data={"email": email, "role": membership.role, "by": "sso"},
        )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return membership


class SsoRequired(PermissionDenied):
    code = "sso_required"


@transaction.atomic
def check_password_login(user: User, request: HttpRequest | None) -> None:
    """accounts.hooks check: refuse a password sign-in to a member of a workspace that
    requires SSO, unless they are its break-glass admin (then the use is audited)."""
    providers = IdentityProvider.objects.select_related(
        "workspace", "break_glass_membership"
    ).filter(require_sso=True, enabled=True, workspace__memberships__user=user)
    for provider in providers:
        glass = provider.break_glass_membership
        if glass is not None and glass.user_id == user.pk and glass.role == Role.ADMIN:
            audit_change(
                actor=glass,
                action="sso.break_glass_used",
                target=AuditTarget("identity_provider", provider.pk),
                data={"email": user.email},
            )
            continue
        raise SsoRequired(
            f"The workspace '{provider.workspace.name}' requires single sign-on: use "
            "'Continue with SSO' on the login page with your work email.",
        )
