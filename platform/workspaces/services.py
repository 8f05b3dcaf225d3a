"""Writes for workspaces, members, groups, spaces and API tokens.

Every verb takes keyword-only arguments and the acting member, checks access first, and writes
its AuditEvent in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from audit.services import audit_change, record_audit_event
from common.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from workspaces.access import access_group, access_member, access_role, access_space
from workspaces.models import (
    ApiToken,
    Group,
    GroupMember,
    Membership,
    Role,
    Space,
    SpaceAccess,
    SpaceGrant,
    SpaceKind,
    Workspace,
)

COMPANY_SPACE_NAME = "Company"
API_TOKEN_PREFIX = "plat_"
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "workspace"
    slug, counter = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


@transaction.atomic
def create_workspace(*, name: str, creator: User, slug: str | None = None) -> Workspace:
    """A workspace with its creator as admin and its company space."""
    name = name.strip()
    if not name:
        raise InvalidInput("A workspace needs a name.")
    if slug and Workspace.objects.filter(slug=slug).exists():
        raise Conflict(f"The workspace address '{slug}' is taken; choose another.")
    workspace = Workspace.objects.create(name=name, slug=slug or _unique_slug(name))
    membership = Membership.objects.create(workspace=workspace, user=creator, role=Role.ADMIN)
    space = Space.objects.create(
        workspace=workspace, name=COMPANY_SPACE_NAME, kind=SpaceKind.COMPANY
    )
    record_audit_event(
        workspace=workspace,
        actor=creator,
        action="workspace.created",
        target_type="workspace",
        target_id=workspace.id,
        data={"name": name, "company_space_id": space.id, "admin_membership_id": membership.id},
    )
    return workspace


@transaction.atomic
def invite_member(
    *,
    actor: Membership,
    email: str,
    role: Role = Role.MEMBER,
    full_name: str = "",
    password: str | None = None,
) -> Membership:
    """Add a person to the workspace, creating their user if they are new here.

    A password is set only for a new user; an existing user keeps their own login.
    """
    access_role(actor, Role.ADMIN)
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(f"'{email}' is not an email address; check it for typos.") from error
    user = User.objects.filter(email=email).first()
    if user is None:
        # The admin vouches for the address, so it counts as verified for source access lists.
        user = User.objects.create_user(
            email=email, password=password, full_name=full_name, email_verified=True
        )
    if Membership.objects.filter(workspace_id=actor.workspace_id, user=user).exists():
        raise Conflict(f"{email} is already a member of this workspace; change their role instead.")
    membership = Membership.objects.create(workspace_id=actor.workspace_id, user=user, role=role)
    audit_change(
        actor=actor,
        action="member.invited",
        target=membership,
        data={"email": email, "role": role},
    )
    return membership


def _ensure_another_admin_remains(membership: Membership) -> None:
    if membership.role != Role.ADMIN:
        return
    admins = Membership.objects.select_for_update().filter(
        workspace_id=membership.workspace_id, role=Role.ADMIN
    )
    if admins.exclude(id=membership.id).count() == 0:
        raise Conflict("This is the workspace's last admin. Make another member an admin first.")


@transaction.atomic
def set_member_role(*, actor: Membership, membership_id: int, role: Role) -> Membership:
    access_role(actor, Role.ADMIN)
    membership = access_member(actor=actor, membership_id=membership_id)
    previous = membership.role
    if previous == role:
        return membership
    if role != Role.ADMIN:
        _ensure_another_admin_remains(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    audit_change(
        actor=actor,
        action="member.role_changed",
        target=membership,
        data={"email": membership.user.email, "from": previous, "to": role},
    )
    return membership


@transaction.atomic
def remove_member(*, actor: Membership, membership_id: int) -> None:
    """Remove a member; their groups, grants and API tokens go with the membership."""
    access_role(actor, Role.ADMIN)
    membership = access_member(actor=actor, membership_id=membership_id)
    _ensure_another_admin_remains(membership)
    audit_change(
        actor=actor,
        action="member.removed",
        target=membership,
        data={"email": membership.user.email, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def create_group(*, actor: Membership, name: str) -> Group:
    access_role(actor, Role.ADMIN)
    name = name.strip()
    if not name:
        raise InvalidInput("A group needs a name.")
    if Group.objects.filter(workspace_id=actor.workspace_id, name=name).exists():
        raise Conflict(f"A group named '{name}' already exists; pick another name.")
    group = Group.objects.create(workspace_id=actor.workspace_id, name=name)
    audit_change(
        actor=actor,
        action="group.created",
        target=group,
        data={"name": name},
    )
    return group


@transaction.atomic
def delete_group(*, actor: Membership, group_id: int) -> None:
    access_role(actor, Role.ADMIN)
    group = access_group(actor=actor, group_id=group_id)
    audit_change(
        actor=actor,
        action="group.deleted",
        target=group,
        data={"name": group.name},
    )
    group.delete()


@transaction.atomic
def add_group_member(*, actor: Membership, group_id: int, membership_id: int) -> GroupMember:
    access_role(actor, Role.ADMIN)
    group = access_group(actor=actor, group_id=group_id)
    member = access_member(actor=actor, membership_id=membership_id)
    link, created = GroupMember.objects.get_or_create(group=group, membership=member)
    if created:
        audit_change(
            actor=actor,
            action="group.member_added",
            target=group,
            data={"membership_id": member.id, "email": member.user.email},
        )
    return link


@transaction.atomic
def remove_group_member(*, actor: Membership, group_id: int, membership_id: int) -> None:
    access_role(actor, Role.ADMIN)
    group = access_group(actor=actor, group_id=group_id)
    member = access_member(actor=actor, membership_id=membership_id)
    deleted, _ = GroupMember.objects.filter(group=group, membership=member).delete()
    if not deleted:
        raise NotFound(f"Member {membership_id} is not in group '{group.name}'.")
    audit_change(
        actor=actor,
        action="group.member_removed",
        target=group,
        data={"membership_id": member.id, "email": member.user.email},
    )


@transaction.atomic
def create_space(*, actor: Membership, name: str, description: str = "") -> Space:
    """A restricted space; only its listed members and groups belong to it."""
    access_role(actor, Role.ADMIN)
    name = name.strip()
    if not name:
        raise InvalidInput("A space needs a name.")
    if Space.objects.filter(workspace_id=actor.workspace_id, name=name).exists():
        raise Conflict(f"A space named '{name}' already exists; pick another name.")
    space = Space.objects.create(
        workspace_id=actor.workspace_id,
        name=name,
        description=description,
        kind=SpaceKind.RESTRICTED,
    )
    audit_change(
        actor=actor,
        action="space.created",
        target=space,
        data={"name": name},
    )
    return space


@transaction.atomic
def delete_space(*, actor: Membership, space_id: int) -> None:
    access_role(actor, Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    if space.kind == SpaceKind.COMPANY:
        raise Conflict("The company space holds every member and cannot be deleted.")
    audit_change(
        actor=actor,
        action="space.deleted",
        target=space,
        data={"name": space.name},
    )
    space.delete()


@transaction.atomic
def grant_space_access(
    *,
    actor: Membership,
    space_id: int,
    membership_id: int | None = None,
    group_id: int | None = None,
    access: SpaceAccess = SpaceAccess.READ,
) -> SpaceGrant:
    """Give one member or one group read or read-write access to a restricted space.

    Granting again changes the access level of the existing grant.
    """
    access_role(actor, Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    if space.kind == SpaceKind.COMPANY:
        raise Conflict("The company space already holds every member; grant a restricted space.")
    if (membership_id is None) == (group_id is None):
        raise InvalidInput("Name exactly one of membership_id or group_id to grant access to.")
    if membership_id is not None:
        member = access_member(actor=actor, membership_id=membership_id)
        grant, _ = SpaceGrant.objects.update_or_create(
            space=space,
            membership=member,
            defaults={"access": access, "workspace_id": actor.workspace_id},
        )
        grantee = {"membership_id": member.id, "email": member.user.email}
    else:
        assert group_id is not None
        group = access_group(actor=actor, group_id=group_id)
        grant, _ = SpaceGrant.objects.update_or_create(
            space=space,
            group=group,
            defaults={"access": access, "workspace_id": actor.workspace_id},
        )
        grantee = {"group_id": group.id, "group": group.name}
    audit_change(
        actor=actor,
        action="space.access_granted",
        target=space,
        data={**grantee, "access": access, "grant_id": grant.id},
    )
    return grant


@transaction.atomic
def revoke_space_access(*, actor: Membership, space_id: int, grant_id: int) -> None:
    access_role(actor, Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    grant = SpaceGrant.objects.filter(id=grant_id, space=space).first()
    if grant is None:
        raise NotFound(f"Grant {grant_id} does not exist on space '{space.name}'.")
    audit_change(
        actor=actor,
        action="space.access_revoked",
        target=space,
        data={
            "grant_id": grant.id,
            "membership_id": grant.membership_id,
            "group_id": grant.group_id,
        },
    )
    grant.delete()


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor: Membership, name: str) -> tuple[ApiToken, str]:
    """A token acting as the actor in this workspace only. The secret is returned once."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name that says which program uses it.")
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        workspace_id=actor.workspace_id,
        membership=actor,
        name=name,
        prefix=secret[:12],
        token_hash=_hash_token(secret),
    )
    audit_change(
        actor=actor,
        action="api_token.created",
        target=token,
        data={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, actor: Membership, token_id: int) -> ApiToken:
    """Members revoke their own tokens; admins revoke anyone's in their workspace."""
    tokens = ApiToken.objects.select_for_update().filter(
        id=token_id, workspace_id=actor.workspace_id
    )
    if not actor.has_role(Role.ADMIN):
        tokens = tokens.filter(membership=actor)
    token = tokens.first()
    if token is None:
        raise NotFound(f"API token {token_id} does not exist in this workspace.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(
            actor=actor,
            action="api_token.revoked",
            target=token,
            data={"name": token.name, "prefix": token.prefix},
        )
    return token


def authenticate_api_token(*, secret: str) -> ApiToken:
    token = (
        ApiToken.objects.select_related("membership__user", "membership__workspace", "workspace")
        .filter(token_hash=_hash_token(secret))
        .first()
    )
    if token is None:
        raise Unauthenticated(
            "This API token is not valid. Create a new one under API tokens in the dashboard.",
            code="invalid_token",
        )
    if token.revoked_at is not None:
        raise Unauthenticated(
            "This API token was revoked. Create a new one under API tokens in the dashboard.",
            code="token_revoked",
        )
    if not token.membership.user.is_active:
        raise Unauthenticated(
            "The member this token acts for is deactivated.", code="invalid_token"
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token
