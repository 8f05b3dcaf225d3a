"""Reads. Every query is scoped by workspace."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from workspaces.models import (
    ApiToken,
    Group,
    Invitation,
    Membership,
    Space,
    SpaceAccess,
    SpaceGrant,
    SpaceKind,
    Workspace,
)


def list_workspaces_for(*, user: User) -> QuerySet[Workspace]:
    return Workspace.objects.filter(
        memberships__user=user, memberships__deactivated_at__isnull=True
    ).order_by("name")


def membership_is_active(membership_id: int) -> bool:
    """Whether the membership still grants access (not removed, not deactivated): streams
    ask again between chunks, so a deactivation stops an answer already under way."""
    return Membership.objects.filter(
        id=membership_id, deactivated_at__isnull=True, user__is_active=True
    ).exists()


def list_members(*, workspace_id: int) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace_id=workspace_id)
        .select_related("user")
        .order_by("user__email")
    )


def list_groups(*, workspace_id: int) -> QuerySet[Group]:
    return Group.objects.filter(workspace_id=workspace_id).prefetch_related("members__user")


def _grants_reaching(membership: Membership) -> QuerySet[SpaceGrant]:
    return SpaceGrant.objects.filter(
        Q(membership=membership) | Q(group__groupmember__membership=membership),
        workspace_id=membership.workspace_id,
    )


def space_ids_for(*, membership: Membership) -> set[int]:
    """The spaces a member belongs to: the company space plus restricted spaces granted to
    them directly or through a group. Retrieval filters on exactly this set."""
    granted = set(_grants_reaching(membership).values_list("space_id", flat=True))
    company = set(
        Space.objects.filter(
            workspace_id=membership.workspace_id, kind=SpaceKind.COMPANY
        ).values_list("id", flat=True)
    )
    return granted | company


def member_space_access(*, membership: Membership, space: Space) -> str | None:
    """read / read_write for a space the member belongs to, None when they do not."""
    if space.workspace_id != membership.workspace_id:
        return None
    if space.kind == SpaceKind.COMPANY:
        return SpaceAccess.READ
    accesses = set(
        _grants_reaching(membership).filter(space=space).values_list("access", flat=True)
    )
    if SpaceAccess.READ_WRITE in accesses:
        return SpaceAccess.READ_WRITE
    return SpaceAccess.READ if accesses else None


def list_spaces_for(*, membership: Membership) -> QuerySet[Space]:
    spaces = Space.objects.filter(workspace_id=membership.workspace_id)
    if not membership.has_role_admin():
        spaces = spaces.filter(id__in=space_ids_for(membership=membership))
    return spaces.order_by("kind", "name")


def list_space_grants(*, space: Space) -> QuerySet[SpaceGrant]:
    return space.grants.select_related("membership__user", "group").order_by("id")


def list_api_tokens(*, membership: Membership) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.filter(workspace_id=membership.workspace_id).select_related(
        "membership__user"
    )
    if not membership.has_role_admin():
        tokens = tokens.filter(membership=membership)
    return tokens.order_by("-created_at")


def list_invitations(*, workspace_id: int) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(workspace_id=workspace_id)
        .select_related("invited_by__user")
        .order_by("-created_at", "-id")
    )


def can_see_invitations_by_email(user: User) -> bool:
    """Whether this account has proved, by a link only its mailbox received, that it owns its
    address (see User.email_verified_by_invitation)."""
    return user.email_verified and not user.email_verified_by_invitation


def list_open_invitations_for(*, user: User) -> QuerySet[Invitation]:
    """Pending invitations to this person's address, once they have proved they own it.
    Otherwise they accept with the link from the invitation email."""
    if not can_see_invitations_by_email(user):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email=user.email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("workspace", "invited_by__user")
        .order_by("-created_at", "-id")
    )


def account_exists(*, email: str) -> bool:
    """Whether someone already has an account under this email (an invitation's landing page
    then offers to log in rather than to sign up)."""
    return User.objects.filter(email=email).exists()


def space_member_ids(*, space: Space) -> set[int]:
    """Who belongs to a space: every member for the company space; for a restricted one,
    those granted directly or through a group (the set `space_ids_for` answers per member)."""
    members = Membership.objects.filter(workspace_id=space.workspace_id)
    if space.kind != SpaceKind.COMPANY:
        grants = SpaceGrant.objects.filter(space=space)
        members = members.filter(
            Q(id__in=grants.values("membership_id"))
            | Q(groups__id__in=grants.filter(group__isnull=False).values("group_id"))
        )
    return set(members.values_list("id", flat=True))
