from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router, Schema, Status

from accounts.services import authenticate_with_password
from api.auth import request_user
from api.route_limits import enforce_route_limit

router = Router(tags=["auth"])


class LoginIn(Schema):
    email: str
    password: str


class MembershipOut(Schema):
    workspace_id: int
    workspace_name: str
    workspace_slug: str
    role: str


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    workspaces: list[MembershipOut]


class CsrfOut(Schema):
    csrf_token: str


def _me(request: HttpRequest) -> MeOut:
    user = request_user(request)
    memberships = [
        MembershipOut(
            workspace_id=m.workspace_id,
            workspace_name=m.workspace.name,
            workspace_slug=m.workspace.slug,
            role=m.role,
        )
        for m in user.memberships.select_related("workspace").order_by("workspace__name")
    ]
    return MeOut(id=user.id, email=user.email, full_name=user.full_name, workspaces=memberships)


@router.get("/auth/csrf", auth=None, response=CsrfOut)
def csrf(request: HttpRequest) -> CsrfOut:
    """Sets the CSRF cookie; send the token back in X-CSRFToken on every change."""
    return CsrfOut(csrf_token=get_token(request))


@router.post("/auth/login", auth=None, response=MeOut)
def log_in(request: HttpRequest, payload: LoginIn) -> MeOut:
    """Failed attempts are limited per email and address; past the limit it answers 429
    with Retry-After."""
    enforce_route_limit(request, "logins")
    user = authenticate_with_password(
        request=request,
        email=payload.email,
        password=payload.password,
        # The client's address: uvicorn puts the forwarded one here for trusted proxies
        # (FORWARDED_ALLOW_IPS).
        client_ip=request.META.get("REMOTE_ADDR") or "unknown",
    )
    login(request, user)
    request.auth = user  # type: ignore[attr-defined]
    return _me(request)


@router.post("/auth/logout", response={204: None})
def log_out(request: HttpRequest) -> Status:
    logout(request)
    return Status(204, None)


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    return _me(request)
