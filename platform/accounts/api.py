from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Router, Schema, Status
from pydantic import Field

from accounts import services
from accounts.models import User
from accounts.services import authenticate_with_password
from api.auth import PUBLIC_WITH_CSRF, request_user, session_user
from api.route_limits import enforce_route_limit
from workspaces.access import can_create_workspaces

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
    is_operator: bool
    can_create_workspaces: bool


class CsrfOut(Schema):
    csrf_token: str


class PasswordChangeIn(Schema):
    current_password: str = Field(max_length=4096)
    new_password: str = Field(max_length=4096)


class PasswordResetIn(Schema):
    email: str = Field(max_length=254)


class PasswordResetConfirmIn(Schema):
    uid: str = Field(max_length=64)
    token: str = Field(max_length=128)
    new_password: str = Field(max_length=4096)


def client_ip(request: HttpRequest) -> str:
    # The client's address: uvicorn puts the forwarded one here for trusted proxies
    # (FORWARDED_ALLOW_IPS).
    return request.META.get("REMOTE_ADDR") or "unknown"


def _me(request: HttpRequest) -> MeOut:
    return me_of(request_user(request))


def me_of(user: User) -> MeOut:
    memberships = [
        MembershipOut(
            workspace_id=m.workspace_id,
            workspace_name=m.workspace.name,
            workspace_slug=m.workspace.slug,
            role=m.role,
        )
        for m in user.memberships.select_related("workspace").order_by("workspace__name")
    ]
    return MeOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        workspaces=memberships,
        is_operator=user.is_operator,
        can_create_workspaces=can_create_workspaces(user),
    )


@router.get("/auth/csrf", auth=None, response=CsrfOut)
def csrf(request: HttpRequest) -> CsrfOut:
    """Sets the CSRF cookie; send the token back in X-CSRFToken on every change."""
    return CsrfOut(csrf_token=get_token(request))


@router.post("/auth/login", auth=PUBLIC_WITH_CSRF, response=MeOut)
def log_in(request: HttpRequest, payload: LoginIn) -> MeOut:
    """Needs the CSRF token (GET /auth/csrf). Failed attempts are limited per email and
    address; past the limit it answers 429 with Retry-After. The session key changes."""
    enforce_route_limit(request, "logins")
    user = authenticate_with_password(
        request=request,
        email=payload.email,
        password=payload.password,
        client_ip=client_ip(request),
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


@router.post("/auth/password", response={204: None})
def change_password(request: HttpRequest, payload: PasswordChangeIn) -> Status:
    """Change your own password; your other sessions end, this one stays."""
    services.change_password(
        user=session_user(request),
        request=request,
        current_password=payload.current_password,
        new_password=payload.new_password,
        client_ip=client_ip(request),
    )
    return Status(204, None)


@router.post("/auth/password-reset", auth=PUBLIC_WITH_CSRF, response={202: dict})
def request_password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status:
    """Emails a reset link if the address has an account. The answer is the same either way."""
    services.request_password_reset(email=payload.email, client_ip=client_ip(request))
    return Status(202, {})


@router.post("/auth/password-reset/confirm", auth=PUBLIC_WITH_CSRF, response={204: None})
def confirm_password_reset(request: HttpRequest, payload: PasswordResetConfirmIn) -> Status:
    """Sets the password from the emailed link; every session of the account ends."""
    services.confirm_password_reset(
        uid=payload.uid, token=payload.token, new_password=payload.new_password
    )
    return Status(204, None)
