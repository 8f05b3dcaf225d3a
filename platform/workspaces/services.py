"""Writes for workspaces, members, groups, spaces and API tokens.

Every verb takes keyword-only arguments and the acting member, checks access first, and writes
its AuditEvent in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import User
from accounts.services import create_invited_account, validate_new_password
from audit.services import AuditTarget, audit_change
from common.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    NotFound,
    PermissionDenied,
    Unauthenticated,
)
from common.tasks import PURGE_REVOKED_CITATIONS_TASK, send_task_on_commit
from connectors.documents import SourceGroup
from workspaces import selectors
from workspaces.access import (
    access_group,
    access_invitation,
    access_member,
    access_role,
    access_space,
)
from workspaces.models import (
    ApiToken,
    Group,
    GroupMember,
    Invitation,
    InvitationStatus,
    Membership,
    RevokedSourcesPolicy,
    Role,
    Space,
    SpaceAccess,
    SpaceGrant,
    SpaceKind,
    Workspace,
)

logger = logging.getLogger(__name__)

COMPANY_SPACE_NAME = "Company"
API_TOKEN_PREFIX = "plat_"
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvitationInvalid(DomainError):
    status = 410
    code = "invitation_invalid"


class LogInToAccept(DomainError):
    status = 409
    code = "log_in_to_accept"


class InvitationForSomeoneElse(PermissionDenied):
    code = "invitation_for_someone_else"


def _purge_revoked_citations_on_commit(workspace_id: int) -> None:
    send_task_on_commit(PURGE_REVOKED_CITATIONS_TASK, workspace_id=workspace_id)


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
    audit_change(
        actor=creator,
        workspace=workspace,
        action="workspace.created",
        target=workspace,
        data={"name": name, "company_space_id": space.id, "admin_membership_id": membership.id},
    )
    return workspace


def _normalise_email(email: str) -> str:
    email = User.objects.normalize_email(email).strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(f"'{email}' is not an email address; check it for typos.") from error
    return email


@transaction.atomic
def add_member_directly(
    *, workspace: Workspace, user: User, role: Role = Role.MEMBER
) -> Membership:
    """Seeding, operator commands and tests only: no API route calls this. Over the API a
    person joins only by accepting an invitation."""
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise Conflict(f"{user.email} is already a member of this workspace.")
    membership = Membership.objects.create(workspace=workspace, user=user, role=role)
    audit_change(
        actor=None,
        workspace=workspace,
        action="member.added",
        target=membership,
        data={"email": user.email, "role": role, "by": "command"},
    )
    return membership


def _hash_invitation_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return f"{settings.PUBLIC_URL}/invite/{token}"


def _issue_token(invitation: Invitation) -> str:
    """A fresh secret and expiry: any earlier link of this invitation stops working."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash_invitation_token(token)
    invitation.expires_at = timezone.now() + timedelta(hours=settings.INVITATION_TTL_HOURS)
    return token


def _send_invitation(*, email: str, workspace_name: str, inviter: str, url: str) -> None:
    try:
        send_mail(
            subject=f"You are invited to {workspace_name}",
            message=(
                f"{inviter} invited you to the workspace '{workspace_name}'.\n\n"
                f"Open this link to join: {url}\n\nIf you are new, you choose your own "
                "password there; if you already have an account, log in and accept. The link "
                f"works once, for {settings.INVITATION_TTL_HOURS} hours. If you did not expect "
                "it, ignore this email.\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    except Exception:
        # The invitation stands; the admin can copy its link from the console instead.
        logger.exception("could not send an invitation email")


def _send_on_commit(invitation: Invitation, *, actor: Membership, token: str) -> None:
    email, name = invitation.email, actor.workspace.name
    inviter, url = actor.user.full_name or actor.user.email, invitation_url(token)
    transaction.on_commit(
        lambda: _send_invitation(email=email, workspace_name=name, inviter=inviter, url=url)
    )


@transaction.atomic
def create_invitation(*, actor: Membership, email: str, role: Role) -> tuple[Invitation, str]:
    """Invite an address to the workspace: a pending invitation and an emailed link, nothing
    else. No account is created and an existing one is not touched; membership appears only
    when the person accepts. Inviting an address again re-issues its open invitation.

    Returns the invitation and its link (shown once to the admin)."""
    access_role(actor, Role.ADMIN)
    email = _normalise_email(email)
    if Membership.objects.filter(workspace_id=actor.workspace_id, user__email=email).exists():
        raise Conflict(f"{email} is already a member of this workspace; change their role instead.")
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            workspace_id=actor.workspace_id,
            email=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        )
        .first()
    )
    reissued = invitation is not None
    if invitation is None:
        invitation = Invitation(workspace_id=actor.workspace_id, email=email)
    invitation.role = role
    invitation.invited_by = actor
    token = _issue_token(invitation)
    invitation.save()
    audit_change(
        actor=actor,
        action="invitation.created",
        target=invitation,
        data={"email": email, "role": role, "reissued": reissued},
    )
    _send_on_commit(invitation, actor=actor, token=token)
    return invitation, invitation_url(token)


@transaction.atomic
def reissue_invitation_link(*, actor: Membership, invitation_id: int) -> tuple[Invitation, str]:
    """A new link (and expiry) for an open invitation, emailed again; the old link stops
    working. For the console's 'copy invite link'."""
    access_role(actor, Role.ADMIN)
    invitation = access_invitation(actor=actor, invitation_id=invitation_id, for_update=True)
    if invitation.status not in {InvitationStatus.PENDING, InvitationStatus.EXPIRED}:
        raise Conflict(
            f"This invitation is {invitation.status}; invite {invitation.email} again instead.",
            code="invitation_not_pending",
        )
    invitation.invited_by = actor
    token = _issue_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at", "invited_by"])
    audit_change(
        actor=actor,
        action="invitation.reissued",
        target=invitation,
        data={"email": invitation.email, "role": invitation.role},
    )
    _send_on_commit(invitation, actor=actor, token=token)
    return invitation, invitation_url(token)


@transaction.atomic
def revoke_invitation(*, actor: Membership, invitation_id: int) -> Invitation:
    access_role(actor, Role.ADMIN)
    invitation = access_invitation(actor=actor, invitation_id=invitation_id, for_update=True)
    if invitation.accepted_at is not None:
        raise Conflict(
            f"{invitation.email} already accepted; remove the member instead.",
            code="invitation_not_pending",
        )
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_change(
            actor=actor,
            action="invitation.revoked",
            target=invitation,
            data={"email": invitation.email, "role": invitation.role},
        )
    return invitation


def _open_invitation_by_token(token: str, *, for_update: bool = True) -> Invitation:
    invitations = Invitation.objects.select_related("workspace", "invited_by__user")
    if for_update:
        # Two tabs accepting at once: the second waits, then finds it used.
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=_hash_invitation_token(token)).first()
    if invitation is None or invitation.status != InvitationStatus.PENDING:
        raise InvitationInvalid(
            "This invitation link is expired, revoked or already used. Ask your admin for a "
            "new invitation."
        )
    return invitation


def preview_invitation(*, token: str) -> Invitation:
    """The pending invitation behind a link, or InvitationInvalid (410)."""
    return _open_invitation_by_token(token, for_update=False)


def _join(*, invitation: Invitation, user: User) -> Membership:
    """Accept for this person: the membership and the audit event, in one transaction."""
    membership = Membership.objects.filter(workspace_id=invitation.workspace_id, user=user).first()
    if membership is None:
        membership = Membership.objects.create(
            workspace_id=invitation.workspace_id, user=user, role=invitation.role
        )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    membership.workspace = invitation.workspace
    audit_change(
        actor=membership,
        action="invitation.accepted",
        target=invitation,
        data={"email": invitation.email, "role": membership.role, "membership_id": membership.id},
    )
    return membership


def _check_invitee(*, invitation: Invitation, account: User | None, caller: User | None) -> None:
    """Only the owner of the invited address may use its invitation."""
    if caller is not None and caller.email != invitation.email:
        raise InvitationForSomeoneElse(
            f"This invitation is for {invitation.email}, but you are logged in as "
            f"{caller.email}. Log out and open the link again, or ask your admin to invite "
            f"{caller.email}."
        )
    if account is not None and caller is None:
        raise LogInToAccept(
            f"An account for {invitation.email} exists: log in as {invitation.email} to accept "
            "(use 'Forgot password' if you need to)."
        )


@transaction.atomic
def accept_invitation(
    *,
    token: str,
    caller: User | None,
    password: str | None = None,
    full_name: str = "",
) -> User:
    """Accept by link. A new person sets their own password here, and the address counts as
    verified because they read the link from that mailbox; an existing person must be logged
    in as the invited address, and nothing of their account changes."""
    invitation = _open_invitation_by_token(token)
    account = User.objects.filter(email=invitation.email).first()
    _check_invitee(invitation=invitation, account=account, caller=caller)
    if account is None:
        if not password:
            raise InvalidInput(
                "Choose a password to create your account.", code="password_required"
            )
        validate_new_password(password, user=User(email=invitation.email, full_name=full_name))
        account = create_invited_account(
            email=invitation.email, password=password, full_name=full_name
        )
    if not account.is_active:
        raise InvitationInvalid("This account is deactivated. Ask your admin.")
    _join(invitation=invitation, user=account)
    return account


def _decline(invitation: Invitation, *, user: User | None) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_change(
        actor=user,
        workspace=invitation.workspace,
        action="invitation.declined",
        target=invitation,
        data={"email": invitation.email},
    )


@transaction.atomic
def decline_invitation(*, token: str, caller: User | None) -> None:
    """Declining needs the same person as accepting: the invited address's account, logged in
    (or, while no account exists, the holder of the link from that mailbox)."""
    invitation = _open_invitation_by_token(token)
    account = User.objects.filter(email=invitation.email).first()
    _check_invitee(invitation=invitation, account=account, caller=caller)
    _decline(invitation, user=caller)


def _my_open_invitation(*, user: User, invitation_id: int) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("workspace")
        .filter(id=invitation_id, email=user.email)
        .first()
    )
    # Only an address proven by its mailbox is matched: an account that never proved it (or
    # proved it only with another workspace's link, which that workspace's admin could open)
    # could otherwise collect invitations meant for whoever really owns the address.
    if (
        invitation is None
        or not selectors.can_see_invitations_by_email(user)
        or invitation.status != InvitationStatus.PENDING
    ):
        raise NotFound(f"Invitation {invitation_id} is not open for you.")
    return invitation


@transaction.atomic
def accept_my_invitation(*, user: User, invitation_id: int) -> Membership:
    return _join(invitation=_my_open_invitation(user=user, invitation_id=invitation_id), user=user)


@transaction.atomic
def decline_my_invitation(*, user: User, invitation_id: int) -> None:
    _decline(_my_open_invitation(user=user, invitation_id=invitation_id), user=user)


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
    _purge_revoked_citations_on_commit(actor.workspace_id)


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
    _purge_revoked_citations_on_commit(actor.workspace_id)


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
    _purge_revoked_citations_on_commit(actor.workspace_id)


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
    _purge_revoked_citations_on_commit(actor.workspace_id)


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
    if not token.membership.user.is_active or token.membership.deactivated_at is not None:
        raise Unauthenticated(
            "The member this token acts for is deactivated.", code="invalid_token"
        )
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(id=token.id).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def mirror_source_groups(
    *, workspace: Workspace, source: str, label: str, groups: Sequence[SourceGroup]
) -> int:
    """Make the workspace's groups from `source` (say "google_drive:12") what the source says
    they are (Google groups, GitHub teams), so an access list naming a group reaches its
    members. Members are matched by verified email, like access lists; groups the source no
    longer has are removed. `label` (the data source's name) tells same-named groups of two
    sources apart. Returns how many groups the source has.

    One transaction: a pass that fails midway leaves the previous mirror whole. A pass that
    changed anything writes one audit event with its counts (a row per member would drown
    the log); the actor is the sync, so none.
    """
    counts = {"created": 0, "renamed": 0, "removed": 0, "members_added": 0, "members_removed": 0}
    existing = {
        group.external_id: group
        for group in Group.objects.select_for_update().filter(workspace=workspace, source=source)
    }
    kept: list[int] = []
    for source_group in groups:
        name = f"{source_group.name} ({label})"[:200]
        group = existing.get(source_group.external_id)
        if group is None:
            group = Group.objects.create(
                workspace=workspace,
                source=source,
                external_id=source_group.external_id,
                name=name,
            )
            existing[group.external_id] = group
            counts["created"] += 1
        elif group.name != name:
            group.name = name
            group.save(update_fields=["name"])
            counts["renamed"] += 1
        kept.append(group.id)
        emails = {email.strip().lower() for email in source_group.member_emails}
        wanted = set(
            Membership.objects.filter(
                workspace=workspace, user__email__in=emails, user__email_verified=True
            ).values_list("id", flat=True)
        )
        current = set(
            GroupMember.objects.filter(group=group).values_list("membership_id", flat=True)
        )
        if current - wanted:
            GroupMember.objects.filter(group=group, membership_id__in=current - wanted).delete()
            counts["members_removed"] += len(current - wanted)
        GroupMember.objects.bulk_create(
            [GroupMember(group=group, membership_id=member_id) for member_id in wanted - current],
            ignore_conflicts=True,  # an admin may add the same person by hand meanwhile
        )
        counts["members_added"] += len(wanted - current)
    _, removed = (
        Group.objects.filter(workspace=workspace, source=source).exclude(id__in=kept).delete()
    )
    counts["removed"] = removed.get(Group._meta.label, 0)
    if any(counts.values()):
        audit_change(
            actor=None,
            workspace=workspace,
            action="group.source_mirrored",
            target=AuditTarget("group_source", source),
            data={"source": source, "groups": len(kept), **counts},
        )
    if counts["members_removed"] or counts["removed"]:
        _purge_revoked_citations_on_commit(workspace.id)
    return len(kept)


@transaction.atomic
def delete_invitations_for(*, actor: Membership, email: str) -> int:
    """Remove every invitation of this workspace addressed to `email` (a data-subject
    erasure: the rows hold the address). Admins only; audited by count, not address."""
    access_role(actor, Role.ADMIN)
    deleted, _ = Invitation.objects.filter(
        workspace_id=actor.workspace_id, email__iexact=email
    ).delete()
    audit_change(
        actor=actor,
        action="invitations.erased",
        target=actor.workspace,
        data={"invitations": deleted},
    )
    return deleted


@transaction.atomic
def set_answers_with_revoked_sources(
    *, actor: Membership, policy: RevokedSourcesPolicy
) -> Workspace:
    """Whether readers see the text of an old answer that cited a source they can no longer
    open ("show"), or only a notice and "ask again" ("hide", the default). Admins only."""
    access_role(actor, Role.ADMIN)
    workspace = Workspace.objects.select_for_update().get(id=actor.workspace_id)
    previous = workspace.answers_with_revoked_sources
    if previous != policy:
        workspace.answers_with_revoked_sources = policy
        workspace.save(update_fields=["answers_with_revoked_sources"])
        audit_change(
            actor=actor,
            action="workspace.answers_with_revoked_sources_changed",
            target=workspace,
            data={"from": previous, "to": policy},
        )
    return workspace
