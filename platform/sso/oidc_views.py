"""OIDC browser routes: start (redirect to the IdP) and callback (code → signed-in session).
Thin: the flow is sso.oidc_flow, the sign-in sso.accounts. Every refusal is a redirect to the
login page with the error's code (a test sign-in's goes to the admin page instead)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from common.errors import DomainError
from sso import oidc_flow, trial_sign_in
from sso.accounts import sign_in_with_sso
from sso.errors import SsoError
from sso.models import IdentityProvider, Protocol
from sso.views_common import login_redirect_with_error

logger = logging.getLogger(__name__)


def redirect_uri(workspace_id: int) -> str:
    return f"{settings.PUBLIC_URL}/sso/{workspace_id}/oidc/callback"


def _misconfigured(error: DomainError) -> SsoError:
    """A stored setting that cannot be used (a secret ENCRYPTION_KEYS cannot decrypt)."""
    logger.warning("oidc provider unusable: %s", error.code)
    return SsoError(
        "sso_misconfigured",
        "Single sign-on of this workspace is misconfigured. Ask your admin to check it.",
    )


def _provider(workspace_id: int, *, test: bool) -> IdentityProvider:
    provider = IdentityProvider.objects.filter(
        workspace_id=workspace_id, kind=Protocol.OIDC
    ).first()
    if provider is None or not (provider.enabled or test):
        raise SsoError(
            "sso_not_configured",
            "Single sign-on is not set up for this workspace. Sign in with your password, or "
            "ask your admin.",
        )
    return provider


@require_GET
def start(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """`?test=1`: an admin's test sign-in, which shows the claims and changes nothing."""
    test = request.GET.get("test") == "1"
    try:
        if test:
            trial_sign_in.check_admin(request, workspace_id)
        provider = _provider(workspace_id, test=test)
        url = oidc_flow.authorization_url(
            provider=provider,
            session=request.session,
            redirect_uri=redirect_uri(workspace_id),
            test=test,
        )
    except DomainError as error:
        failure = _misconfigured(error)
        if test:
            return trial_sign_in.finish_with_error(request, workspace_id, failure)
        return login_redirect_with_error(failure)
    except SsoError as error:
        if test:
            return trial_sign_in.finish_with_error(request, workspace_id, error)
        return login_redirect_with_error(error)
    return HttpResponseRedirect(url)


@require_GET
def callback(request: HttpRequest, workspace_id: int) -> HttpResponse:
    pending: dict[str, object] = {}
    try:
        pending = oidc_flow.take_pending(
            session=request.session,
            state=request.GET.get("state", "")[:200],
            workspace_id=workspace_id,
        )
        if request.GET.get("error"):
            raise SsoError(
                "idp_refused",
                "Your identity provider did not sign you in. Try again, or ask your admin "
                "whether you are assigned to this application.",
            )
        code = request.GET.get("code", "")[:2000]
        if not code:
            raise SsoError("code_missing", "The identity provider sent no sign-in code.")
        provider = _provider(workspace_id, test=bool(pending.get("test")))
        verified = oidc_flow.complete(
            provider=provider, code=code, pending=pending, redirect_uri=redirect_uri(workspace_id)
        )
        if pending.get("test"):
            return trial_sign_in.finish(request, workspace_id, verified)
        sign_in_with_sso(provider=provider, identity=verified.identity, request=request)
    except DomainError as error:
        failure = _misconfigured(error)
        if pending.get("test"):
            return trial_sign_in.finish_with_error(request, workspace_id, failure)
        return login_redirect_with_error(failure)
    except SsoError as error:
        if pending.get("test"):
            return trial_sign_in.finish_with_error(request, workspace_id, error)
        return login_redirect_with_error(error)
    return HttpResponseRedirect("/")
