"""OIDC browser routes: start (redirect to the IdP) and callback (code → signed-in session)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from sso.errors import SsoError
from sso.views_common import login_redirect_with_error


def start(request: HttpRequest, workspace_id: int) -> HttpResponse:
    return login_redirect_with_error(SsoError("oidc_unavailable", "OIDC is not ready yet."))


def callback(request: HttpRequest, workspace_id: int) -> HttpResponse:
    return login_redirect_with_error(SsoError("oidc_unavailable", "OIDC is not ready yet."))
