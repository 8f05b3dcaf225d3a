"""Workspaces, members, groups, spaces and API tokens. Thin: parse, call a service, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.auth import login
from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from accounts.api import MeOut, me_of
from api.auth import (
    PUBLIC_WITH_CSRF,
    request_actor,
    request_user,
    session_user,
    signed_in_user,
)
from common.errors import InvalidInput, PermissionDenied
from workspaces import selectors, services
from workspaces.access import access_role, access_space, access_workspace_creation
from workspaces.models import (
    ApiToken,
    Group,
    Invitation,
    InvitationStatus,
    Membership,
    RevokedSourcesPolicy,
    Role,
    Space,
    SpaceAccess,
    SpaceGrant,
    Workspace,
)

router = Router(tags=["workspaces"])


class WorkspaceIn(Schema):
    name: str = Field(min_length=1, max_length=200)


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    created_at: datetime
    answers_with_revoked_sources: RevokedSourcesPolicy


class WorkspacePatch(Schema):
    answers_with_revoked_sources: RevokedSourcesPolicy | None = Field(
        default=None,
        description="hide: an old answer citing a source the reader can no longer open shows "
        "a notice instead of its text; show: its text, without those sources.",
    )


class MemberOut(Schema):
    id: int
    user_id: int
    email: str
    full_name: str
    role: Role
    created_at: datetime
    # Set while the identity provider has them deactivated (SCIM): no access until reactivated.
    deactivated_at: datetime | None = None

    @staticmethod
    def of(membership: Membership) -> MemberOut:
        return MemberOut(
            id=membership.id,
            user_id=membership.user_id,
            email=membership.user.email,
            full_name=membership.user.full_name,
            role=Role(membership.role),
            created_at=membership.created_at,
            deactivated_at=membership.deactivated_at,
        )


NO_PASSWORD_MESSAGE = (
    "Invitations carry no password: the person sets their own from the invitation link."
)


class InvitationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=254)
    role: Role = Role.MEMBER
    # Not part of the contract (hidden from the OpenAPI document): accepted by the parser only
    # so that a client still sending one gets the reason, not a bare "extra field".
    password: SkipJsonSchema[Any] = Field(default=None, exclude=True)


class InvitationOut(Schema):
    id: int
    email: str
    role: Role
    status: InvitationStatus
    invited_by_email: str | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None

    @staticmethod
    def of(invitation: Invitation) -> InvitationOut:
        inviter = invitation.invited_by
        return InvitationOut(
            id=invitation.id,
            email=invitation.email,
            role=Role(invitation.role),
            status=invitation.status,
            invited_by_email=inviter.user.email if inviter else None,
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            accepted_at=invitation.accepted_at,
        )


class InvitationCreatedOut(InvitationOut):
    invite_url: str = Field(description="The invitation link. It is shown only this once.")


class InvitationPreviewOut(Schema):
    workspace_name: str
    email: str
    role: Role
    invited_by_email: str | None
    expires_at: datetime
    account_exists: bool
    signed_in_as: str | None


class MyInvitationOut(Schema):
    id: int
    workspace_name: str
    role: Role
    invited_by_email: str | None
    expires_at: datetime


class AcceptInvitationIn(Schema):
    password: str | None = Field(default=None, max_length=4096)
    full_name: str | None = Field(default=None, max_length=200)


class RoleIn(Schema):
    role: Role


class GroupIn(Schema):
    name: str = Field(min_length=1, max_length=200)


class GroupOut(Schema):
    id: int
    name: str
    source: str
    member_ids: list[int]

    @staticmethod
    def of(group: Group) -> GroupOut:
        return GroupOut(
            id=group.id,
            name=group.name,
            source=group.source,
            member_ids=sorted(m.id for m in group.members.all()),
        )


class GroupMemberIn(Schema):
    membership_id: int


class SpaceIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""


class SpaceOut(Schema):
    id: int
    name: str
    description: str
    kind: str
    created_at: datetime


class GrantIn(Schema):
    membership_id: int | None = None
    group_id: int | None = None
    access: SpaceAccess = SpaceAccess.READ


class GrantOut(Schema):
    id: int
    space_id: int
    membership_id: int | None
    member_email: str | None
    group_id: int | None
    group_name: str | None
    access: SpaceAccess

    @staticmethod
    def of(grant: SpaceGrant) -> GrantOut:
        return GrantOut(
            id=grant.id,
            space_id=grant.space_id,
            membership_id=grant.membership_id,
            member_email=grant.membership.user.email if grant.membership else None,
            group_id=grant.group_id,
            group_name=grant.group.name if grant.group else None,
            access=SpaceAccess(grant.access),
        )


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=200)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    member_email: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def of(token: ApiToken) -> TokenOut:
        return TokenOut(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            member_email=token.membership.user.email,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class TokenCreatedOut(TokenOut):
    token: str = Field(description="The secret. It is shown only this once.")


@router.get("/workspaces", response=list[WorkspaceOut])
def list_workspaces(request: HttpRequest) -> list[Workspace]:
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return [auth.workspace]
    return list(selectors.list_workspaces_for(user=request_user(request)))


@router.post("/workspaces", response={201: WorkspaceOut})
def create_workspace(request: HttpRequest, payload: WorkspaceIn) -> Status:
    """Create a workspace; you become its admin. Needs a logged-in person, not a token, and
    (WORKSPACE_CREATION=operators) an instance operator."""
    if isinstance(getattr(request, "auth", None), ApiToken):
        raise PermissionDenied(
            "API tokens are scoped to one workspace and cannot create workspaces; log in instead."
        )
    creator = access_workspace_creation(request_user(request))
    return Status(201, services.create_workspace(name=payload.name, creator=creator))


@router.get("/workspaces/{workspace_id}", response=WorkspaceOut)
def get_workspace(request: HttpRequest, workspace_id: int) -> Workspace:
    return request_actor(request, workspace_id).workspace


@router.patch("/workspaces/{workspace_id}", response=WorkspaceOut)
def update_workspace(request: HttpRequest, workspace_id: int, payload: WorkspacePatch) -> Workspace:
    """Change the workspace's settings (admins; audited)."""
    actor = request_actor(request, workspace_id)
    workspace = actor.workspace
    if payload.answers_with_revoked_sources is not None:
        workspace = services.set_answers_with_revoked_sources(
            actor=actor, policy=payload.answers_with_revoked_sources
        )
    return workspace


@router.get("/workspaces/{workspace_id}/members", response=list[MemberOut])
def list_members(request: HttpRequest, workspace_id: int) -> list[MemberOut]:
    actor = request_actor(request, workspace_id)
    return [MemberOut.of(m) for m in selectors.list_members(workspace_id=actor.workspace_id)]


@router.patch("/workspaces/{workspace_id}/members/{membership_id}", response=MemberOut)
def set_member_role(
    request: HttpRequest, workspace_id: int, membership_id: int, payload: RoleIn
) -> MemberOut:
    actor = request_actor(request, workspace_id)
    membership = services.set_member_role(
        actor=actor, membership_id=membership_id, role=payload.role
    )
    return MemberOut.of(membership)


@router.delete("/workspaces/{workspace_id}/members/{membership_id}", response={204: None})
def remove_member(request: HttpRequest, workspace_id: int, membership_id: int) -> Status:
    services.remove_member(actor=request_actor(request, workspace_id), membership_id=membership_id)
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/groups", response=list[GroupOut])
def list_groups(request: HttpRequest, workspace_id: int) -> list[GroupOut]:
    actor = request_actor(request, workspace_id)
    return [GroupOut.of(g) for g in selectors.list_groups(workspace_id=actor.workspace_id)]


@router.post("/workspaces/{workspace_id}/groups", response={201: GroupOut})
def create_group(request: HttpRequest, workspace_id: int, payload: GroupIn) -> Status:
    group = services.create_group(actor=request_actor(request, workspace_id), name=payload.name)
    return Status(201, GroupOut.of(group))


@router.delete("/workspaces/{workspace_id}/groups/{group_id}", response={204: None})
def delete_group(request: HttpRequest, workspace_id: int, group_id: int) -> Status:
    services.delete_group(actor=request_actor(request, workspace_id), group_id=group_id)
    return Status(204, None)


@router.post("/workspaces/{workspace_id}/groups/{group_id}/members", response={201: GroupOut})
def add_group_member(
    request: HttpRequest, workspace_id: int, group_id: int, payload: GroupMemberIn
) -> Status:
    link = services.add_group_member(
        actor=request_actor(request, workspace_id),
        group_id=group_id,
        membership_id=payload.membership_id,
    )
    return Status(201, GroupOut.of(link.group))


@router.delete(
    "/workspaces/{workspace_id}/groups/{group_id}/members/{membership_id}", response={204: None}
)
def remove_group_member(
    request: HttpRequest, workspace_id: int, group_id: int, membership_id: int
) -> Status:
    services.remove_group_member(
        actor=request_actor(request, workspace_id), group_id=group_id, membership_id=membership_id
    )
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/spaces", response=list[SpaceOut])
def list_spaces(request: HttpRequest, workspace_id: int) -> list[Space]:
    """Admins see every space; others see the spaces they belong to."""
    return list(selectors.list_spaces_for(membership=request_actor(request, workspace_id)))


@router.post("/workspaces/{workspace_id}/spaces", response={201: SpaceOut})
def create_space(request: HttpRequest, workspace_id: int, payload: SpaceIn) -> Status:
    space = services.create_space(
        actor=request_actor(request, workspace_id),
        name=payload.name,
        description=payload.description,
    )
    return Status(201, space)


@router.get("/workspaces/{workspace_id}/spaces/{space_id}", response=SpaceOut)
def get_space(request: HttpRequest, workspace_id: int, space_id: int) -> Space:
    return access_space(actor=request_actor(request, workspace_id), space_id=space_id)


@router.delete("/workspaces/{workspace_id}/spaces/{space_id}", response={204: None})
def delete_space(request: HttpRequest, workspace_id: int, space_id: int) -> Status:
    services.delete_space(actor=request_actor(request, workspace_id), space_id=space_id)
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/spaces/{space_id}/grants", response=list[GrantOut])
def list_space_grants(request: HttpRequest, workspace_id: int, space_id: int) -> list[GrantOut]:
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    return [GrantOut.of(g) for g in selectors.list_space_grants(space=space)]


@router.post("/workspaces/{workspace_id}/spaces/{space_id}/grants", response={201: GrantOut})
def grant_space_access(
    request: HttpRequest, workspace_id: int, space_id: int, payload: GrantIn
) -> Status:
    grant = services.grant_space_access(
        actor=request_actor(request, workspace_id),
        space_id=space_id,
        membership_id=payload.membership_id,
        group_id=payload.group_id,
        access=payload.access,
    )
    return Status(201, GrantOut.of(grant))


@router.delete(
    "/workspaces/{workspace_id}/spaces/{space_id}/grants/{grant_id}", response={204: None}
)
def revoke_space_access(
    request: HttpRequest, workspace_id: int, space_id: int, grant_id: int
) -> Status:
    services.revoke_space_access(
        actor=request_actor(request, workspace_id), space_id=space_id, grant_id=grant_id
    )
    return Status(204, None)


@router.get("/workspaces/{workspace_id}/api-tokens", response=list[TokenOut])
def list_api_tokens(request: HttpRequest, workspace_id: int) -> list[TokenOut]:
    """Your own tokens; admins see every token of the workspace."""
    actor = request_actor(request, workspace_id)
    return [TokenOut.of(t) for t in selectors.list_api_tokens(membership=actor)]


@router.post("/workspaces/{workspace_id}/api-tokens", response={201: TokenCreatedOut})
def create_api_token(request: HttpRequest, workspace_id: int, payload: TokenIn) -> Status:
    token, secret = services.create_api_token(
        actor=request_actor(request, workspace_id), name=payload.name
    )
    return Status(201, TokenCreatedOut(**TokenOut.of(token).dict(), token=secret))


@router.delete("/workspaces/{workspace_id}/api-tokens/{token_id}", response=TokenOut)
def revoke_api_token(request: HttpRequest, workspace_id: int, token_id: int) -> TokenOut:
    token = services.revoke_api_token(actor=request_actor(request, workspace_id), token_id=token_id)
    return TokenOut.of(token)


@router.get("/workspaces/{workspace_id}/invitations", response=list[InvitationOut])
def list_invitations(request: HttpRequest, workspace_id: int) -> list[InvitationOut]:
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    return [
        InvitationOut.of(i) for i in selectors.list_invitations(workspace_id=actor.workspace_id)
    ]


@router.post("/workspaces/{workspace_id}/invitations", response={201: InvitationCreatedOut})
def create_invitation(request: HttpRequest, workspace_id: int, payload: InvitationIn) -> Status:
    """Invite someone by email. Nobody gets an account or a password from this: the person
    opens the emailed link and sets their own, or accepts with the account they have."""
    if payload.password is not None:
        raise InvalidInput(NO_PASSWORD_MESSAGE)
    invitation, url = services.create_invitation(
        actor=request_actor(request, workspace_id), email=payload.email, role=payload.role
    )
    return Status(201, InvitationCreatedOut(**InvitationOut.of(invitation).dict(), invite_url=url))


@router.post(
    "/workspaces/{workspace_id}/invitations/{invitation_id}/link", response=InvitationCreatedOut
)
def reissue_invitation_link(
    request: HttpRequest, workspace_id: int, invitation_id: int
) -> InvitationCreatedOut:
    """A fresh link for a pending invitation, emailed again; the previous link stops working."""
    invitation, url = services.reissue_invitation_link(
        actor=request_actor(request, workspace_id), invitation_id=invitation_id
    )
    return InvitationCreatedOut(**InvitationOut.of(invitation).dict(), invite_url=url)


@router.delete("/workspaces/{workspace_id}/invitations/{invitation_id}", response={204: None})
def revoke_invitation(request: HttpRequest, workspace_id: int, invitation_id: int) -> Status:
    services.revoke_invitation(
        actor=request_actor(request, workspace_id), invitation_id=invitation_id
    )
    return Status(204, None)


@router.get("/invitations/{token}", auth=None, response=InvitationPreviewOut)
def preview_invitation(request: HttpRequest, token: str) -> InvitationPreviewOut:
    """What an invitation link offers, for its landing page. 410 when it no longer works."""
    invitation = services.preview_invitation(token=token)
    caller = signed_in_user(request)
    inviter = invitation.invited_by
    return InvitationPreviewOut(
        workspace_name=invitation.workspace.name,
        email=invitation.email,
        role=Role(invitation.role),
        invited_by_email=inviter.user.email if inviter else None,
        expires_at=invitation.expires_at,
        account_exists=selectors.account_exists(email=invitation.email),
        signed_in_as=caller.email if caller else None,
    )


@router.post("/invitations/{token}/accept", auth=PUBLIC_WITH_CSRF, response=MeOut)
def accept_invitation(request: HttpRequest, token: str, payload: AcceptInvitationIn) -> MeOut:
    """New here: send a password (and a name) and you are logged in. Have an account: be
    logged in as the invited address."""
    caller = signed_in_user(request)
    user = services.accept_invitation(
        token=token,
        caller=caller,
        password=payload.password,
        full_name=payload.full_name or "",
    )
    if caller is None:
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return me_of(user)


@router.post("/invitations/{token}/decline", auth=PUBLIC_WITH_CSRF, response={204: None})
def decline_invitation(request: HttpRequest, token: str) -> Status:
    services.decline_invitation(token=token, caller=signed_in_user(request))
    return Status(204, None)


@router.get("/me/invitations", response=list[MyInvitationOut])
def list_my_invitations(request: HttpRequest) -> list[MyInvitationOut]:
    return [
        MyInvitationOut(
            id=i.id,
            workspace_name=i.workspace.name,
            role=Role(i.role),
            invited_by_email=i.invited_by.user.email if i.invited_by else None,
            expires_at=i.expires_at,
        )
        for i in selectors.list_open_invitations_for(user=session_user(request))
    ]


@router.post("/me/invitations/{invitation_id}/accept", response=MeOut)
def accept_my_invitation(request: HttpRequest, invitation_id: int) -> MeOut:
    user = session_user(request)
    services.accept_my_invitation(user=user, invitation_id=invitation_id)
    return me_of(user)


@router.post("/me/invitations/{invitation_id}/decline", response={204: None})
def decline_my_invitation(request: HttpRequest, invitation_id: int) -> Status:
    services.decline_my_invitation(user=session_user(request), invitation_id=invitation_id)
    return Status(204, None)
