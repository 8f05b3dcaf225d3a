"""access_* checks: each returns the object the actor may act on, or raises.

Objects of another workspace raise NotFound, never PermissionDenied, so a person of one
workspace cannot even learn that an id exists in another (DESIGN.md, access rule 4).
"""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from common.errors import NotFound, PermissionDenied
from workspaces.models import (
    Group,
    Invitation,
    Membership,
    Role,
    Space,
    SpaceAccess,
    SpaceKind,
)
from workspaces.selectors import member_space_access


def access_membership(*, user: User, workspace_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("workspace", "user")
        .filter(
            user=user,
            workspace_id=workspace_id,
            user__is_active=True,
            deactivated_at__isnull=True,
        )
        .first()
    )
    if membership is None:
        raise NotFound(
            f"Workspace {workspace_id} does not exist or you are not a member of it. "
            "List your workspaces with GET /api/v1/workspaces."
        )
    return membership


def access_role(membership: Membership, role: Role) -> Membership:
    if not membership.has_role(role):
        raise PermissionDenied(
            f"This needs the {role.value} role in workspace '{membership.workspace.slug}'; "
            f"you are a {membership.role}. Ask a workspace admin."
        )
    return membership


def access_member(*, actor: Membership, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(id=membership_id, workspace_id=actor.workspace_id)
        .first()
    )
    if membership is None:
        raise NotFound(f"Member {membership_id} does not exist in this workspace.")
    return membership


def access_group(*, actor: Membership, group_id: int) -> Group:
    group = Group.objects.filter(id=group_id, workspace_id=actor.workspace_id).first()
    if group is None:
        raise NotFound(f"Group {group_id} does not exist in this workspace.")
    return group


def access_space(*, actor: Membership, space_id: int, write: bool = False) -> Space:
    """A space the actor belongs to (admins reach every space of their workspace)."""
    space = Space.objects.filter(id=space_id, workspace_id=actor.workspace_id).first()
    if space is None:
        raise NotFound(f"Space {space_id} does not exist in this workspace.")
    if actor.has_role(Role.ADMIN):
        return space
    access = member_space_access(membership=actor, space=space)
    if access is None:
        raise NotFound(f"Space {space_id} does not exist in this workspace.")
    if write and not (
        (space.kind == SpaceKind.COMPANY and actor.has_role(Role.BUILDER))
        or access == SpaceAccess.READ_WRITE
    ):
        raise PermissionDenied(
            f"You can read space '{space.name}' but not change it. Ask an admin for read-write "
            "access."
        )
    return space


def access_invitation(
    *, actor: Membership, invitation_id: int, for_update: bool = False
) -> Invitation:
    invitations = Invitation.objects.select_related("workspace", "invited_by__user")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(id=invitation_id, workspace_id=actor.workspace_id).first()
    if invitation is None:
        raise NotFound(f"Invitation {invitation_id} does not exist in this workspace.")
    return invitation


def can_create_workspaces(user: User) -> bool:
    return settings.WORKSPACE_CREATION == "anyone" or user.is_operator


def access_workspace_creation(user: User) -> User:
    if not can_create_workspaces(user):
        raise PermissionDenied(
            "Only instance operators create workspaces here (WORKSPACE_CREATION=operators). "
            "Ask your operator to create one, or to set WORKSPACE_CREATION=anyone.",
            code="workspace_creation_restricted",
        )
    return user
