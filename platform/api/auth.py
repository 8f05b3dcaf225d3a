"""Who is calling: a bearer API token (programs) or a Django session with CSRF (the web app)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from accounts.models import User
from common.errors import DomainError, NotFound, Unauthenticated
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


bearer_auth = BearerTokenAuth()
session_auth = SessionCsrfAuth()
AUTH = [bearer_auth, session_auth]


def request_user(request: HttpRequest) -> User:
    auth = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        return auth.membership.user
    if isinstance(auth, User):
        return auth
    raise Unauthenticated("Log in or send an API token.")


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
