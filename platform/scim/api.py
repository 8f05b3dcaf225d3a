"""Admin routes for provisioning: the SCIM base URL and the workspace's SCIM tokens."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import Field

from api.auth import request_actor
from scim import selectors, services
from scim.models import ScimToken
from scim.resources import base_url
from workspaces.access import access_role
from workspaces.models import Role

router = Router(tags=["scim"])


class ScimTokenIn(Schema):
    name: str = Field(max_length=200)


class ScimTokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def of(token: ScimToken) -> ScimTokenOut:
        return ScimTokenOut(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class ScimTokenCreatedOut(ScimTokenOut):
    token: str = Field(description="The secret. It is shown only this once.")


class ScimSettingsOut(Schema):
    base_url: str = Field(description="The SCIM base URL to paste into the identity provider.")


@router.get("/workspaces/{workspace_id}/scim", response=ScimSettingsOut)
def scim_settings(request: HttpRequest, workspace_id: int) -> ScimSettingsOut:
    """What to paste into Okta or Entra. Admins only."""
    access_role(request_actor(request, workspace_id), Role.ADMIN)
    return ScimSettingsOut(base_url=base_url())


@router.get("/workspaces/{workspace_id}/scim/tokens", response=list[ScimTokenOut])
def list_scim_tokens(request: HttpRequest, workspace_id: int) -> list[ScimTokenOut]:
    """The workspace's SCIM tokens, newest first. Admins only."""
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    return [
        ScimTokenOut.of(token)
        for token in selectors.list_scim_tokens(workspace_id=actor.workspace_id)
    ]


@router.post("/workspaces/{workspace_id}/scim/tokens", response={201: ScimTokenCreatedOut})
def create_scim_token(request: HttpRequest, workspace_id: int, payload: ScimTokenIn) -> Status:
    token, secret = services.create_scim_token(
        actor=request_actor(request, workspace_id), name=payload.name
    )
    return Status(201, ScimTokenCreatedOut(**ScimTokenOut.of(token).dict(), token=secret))


@router.delete("/workspaces/{workspace_id}/scim/tokens/{token_id}", response=ScimTokenOut)
def revoke_scim_token(request: HttpRequest, workspace_id: int, token_id: int) -> ScimTokenOut:
    token = services.revoke_scim_token(
        actor=request_actor(request, workspace_id), token_id=token_id
    )
    return ScimTokenOut.of(token)
