"""Who is calling: a bearer API token (programs) or a Django session with CSRF (the web app)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from accounts.models import User
from common.errors import DomainError, NotFound, PermissionDenied, Unauthenticated
from workspaces.access import access_membership
from workspaces.models import ApiToken, Membership
from workspaces.services import authenticate_api_token


class CsrfFailed(DomainError):
    status = 403
    code = "csrf_failed"


class BearerTokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization")
        if header is None:
            return None  # let session auth try
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise Unauthenticated(
                "Send the token as 'Authorization: Bearer <token>'.", code="invalid_token"
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        return authenticate_api_token(secret=token)


class SessionCsrfAuth(AuthBase):
    """Django's session login; unsafe methods must carry the CSRF token (X-CSRFToken)."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed(
                "The CSRF check failed. Fetch GET /api/v1/auth/csrf and send its token in the "
                "X-CSRFToken header with every change."
            )
        return user


class PublicCsrfAuth(AuthBase):
    """For the public changes (login, accepting an invitation, password reset): nobody needs
    to be logged in, but the CSRF token must come along, so another site cannot log a visitor
    in to an account of its choosing or act on a link in their name. Runs before the body is
    parsed, so a forged request is refused whatever it carries."""

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = "X-CSRFToken"

    def __call__(self, request: HttpRequest) -> Any:
        if check_csrf(request) is not None:
            raise CsrfFailed(
                "The CSRF check failed. Fetch GET /api/v1/auth/csrf and send its token in the "
                "X-CSRFToken header."
            )
        # Truthy for Ninja; the view reads request.user (anonymous or the session's person).
        return request.user


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
AUTH = [bearer_auth, session_auth]
PUBLIC_WITH_CSRF = [PublicCsrfAuth()]


def request_user(request: HttpRequest) -> User:
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return auth.membership.user
    if isinstance(auth, User):
        return auth
    raise Unauthenticated("Log in or send an API token.")


def session_user(request: HttpRequest) -> User:
    """The person logged in with a session. Account changes (password, joining a workspace)
    are refused to API tokens: a token reaches one workspace and acts in it only."""
    if isinstance(getattr(request, "auth", None), ApiToken):
        raise PermissionDenied(
            "API tokens act inside their workspace only; log in to change your account or "
            "your workspaces."
        )
    return request_user(request)


def signed_in_user(request: HttpRequest) -> User | None:
    """The session's person on a public route, or None."""
    user = getattr(request, "user", None)
    return user if isinstance(user, User) and user.is_active else None


def request_actor(request: HttpRequest, workspace_id: int) -> Membership:
    """The caller's membership in the workspace named by the URL.

    A token only ever reaches its own workspace: anything else is 'not found'.
    """
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        if auth.workspace_id != workspace_id:
            raise NotFound(
                f"Workspace {workspace_id} does not exist or this token cannot reach it."
            )
        return auth.membership
    return access_membership(user=request_user(request), workspace_id=workspace_id)
