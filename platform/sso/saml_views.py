"""SAML browser routes: SP metadata, SP-initiated login (redirect to the IdP) and the
assertion consumer service (HTTP-POST binding, IdP-initiated too). Thin: sso.saml decides."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sso import saml
from sso.errors import SsoError
from sso.views_common import login_redirect_with_error

BINDING_COOKIE = "sso_saml_binding"


@require_GET
def metadata(request: HttpRequest, workspace_id: int) -> HttpResponse:
    """The SP metadata an admin gives their IdP (public: it holds no secret, and it answers
    alike for every id, so it tells nobody which workspaces exist)."""
    document = saml.sp_metadata(saml.service_provider(workspace_id))
    response = HttpResponse(document, content_type="application/samlmetadata+xml")
    response["Content-Disposition"] = f'inline; filename="sp-metadata-{workspace_id}.xml"'
    return response


@require_GET
def login(request: HttpRequest, workspace_id: int) -> HttpResponse:
    try:
        url, relay_state = saml.begin_sign_in(
            workspace_id=workspace_id, next_path=request.GET.get("next", "/")
        )
    except SsoError as error:
        return login_redirect_with_error(error)
    response = HttpResponseRedirect(url)
    if request.is_secure():
        # Travels on the IdP's cross-site POST (SameSite=None needs Secure, so https only).
        response.set_cookie(
            BINDING_COOKIE,
            relay_state,
            max_age=saml.PENDING_SECONDS,
            path=f"/sso/{workspace_id}/saml/acs",
            secure=True,
            httponly=True,
            samesite="None",
        )
    return response


@csrf_exempt  # the IdP posts from its own origin; the signed response is the proof
@require_POST
def acs(request: HttpRequest, workspace_id: int) -> HttpResponse:
    try:
        _, next_path = saml.finish_sign_in(
            workspace_id=workspace_id,
            saml_response=request.POST.get("SAMLResponse", ""),
            relay_state=request.POST.get("RelayState", ""),
            browser_binding=request.COOKIES.get(BINDING_COOKIE),
            request=request,
        )
    except SsoError as error:
        return login_redirect_with_error(error)
    response = HttpResponseRedirect(next_path)
    response.delete_cookie(BINDING_COOKIE, path=f"/sso/{workspace_id}/saml/acs")
    return response
