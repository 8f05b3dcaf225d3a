"""An admin's "Test sign-in": the whole OIDC flow (every check) in the admin's own browser,
whose result (the claims received, or the refusal) is kept in their session for the admin page
to show. It signs nobody in and changes no membership."""

from __future__ import annotations

import time
from typing import Any

from django.http import HttpRequest, HttpResponseRedirect

from accounts.models import User
from sso.errors import SsoError
from sso.oidc_flow import Verified
from workspaces.models import Membership, Role

SESSION_KEY = "sso_test_result"
PAGE = "/admin/authentication?test=done"


def check_admin(request: HttpRequest, workspace_id: int) -> None:
    user = getattr(request, "user", None)
    allowed = (
        isinstance(user, User)
        and Membership.objects.filter(
            workspace_id=workspace_id, user=user, role=Role.ADMIN, user__is_active=True
        ).exists()
    )
    if not allowed:
        raise SsoError("test_needs_admin", "Only a workspace admin can run a test sign-in.")


def _store(request: HttpRequest, workspace_id: int, result: dict[str, Any]) -> HttpResponseRedirect:
    results = dict(request.session.get(SESSION_KEY) or {})
    results[str(workspace_id)] = {**result, "at": time.time()}
    request.session[SESSION_KEY] = results
    return HttpResponseRedirect(PAGE)


def finish(request: HttpRequest, workspace_id: int, verified: Verified) -> HttpResponseRedirect:
    identity = verified.identity
    return _store(
        request,
        workspace_id,
        {
            "status": "ok",
            "code": "",
            "message": "",
            "claims": verified.claims,
            "email": identity.email,
            "email_verified": identity.email_verified,
            "name": identity.name,
            "groups": list(identity.groups),
        },
    )


def finish_with_error(
    request: HttpRequest, workspace_id: int, error: SsoError
) -> HttpResponseRedirect:
    if error.code == "test_needs_admin":
        from sso.views_common import login_redirect_with_error

        return login_redirect_with_error(error)
    return _store(
        request,
        workspace_id,
        {"status": "error", "code": error.code, "message": error.message, "claims": {}},
    )


def result_for(request: HttpRequest, workspace_id: int) -> dict[str, Any]:
    found = (request.session.get(SESSION_KEY) or {}).get(str(workspace_id))
    return found or {"status": "none", "code": "", "message": "", "claims": {}}
