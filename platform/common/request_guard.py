"""Refuses forged changes to the API before any view, session or CSRF logic sees them.

A page on another site can make a browser send a form (urlencoded, multipart or text/plain)
with the person's cookies and without a CORS preflight; only JSON bodies force a preflight.
So a state-changing request under /api/ must carry JSON (multipart only on upload routes:
paths ending with /files, and a conversation's /attachments, common.body_limit.is_upload_path),
and one whose Origin header names another site is refused outright. CSRF tokens (api.auth)
are the second lock on the same door. Webhooks live under /webhooks/, outside /api/, and keep
their providers' formats.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse

from common.body_limit import is_upload_path

STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
JSON_MEDIA_TYPE = "application/json"
MULTIPART_MEDIA_TYPE = "multipart/form-data"


def _refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status)


def _has_body(request: HttpRequest) -> bool:
    if "HTTP_TRANSFER_ENCODING" in request.META:
        return True
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > 0
    except ValueError:
        return True  # an unreadable length is not an empty body


def _origin_matches(origin: str, pattern: str) -> bool:
    """Django's CSRF_TRUSTED_ORIGINS form: scheme://host[:port], host may start with '*.'."""
    origin_parts, pattern_parts = urlsplit(origin), urlsplit(pattern)
    if origin_parts.scheme != pattern_parts.scheme:
        return False
    host, allowed = origin_parts.netloc.lower(), pattern_parts.netloc.lower()
    if allowed.startswith("*."):
        return host.endswith(allowed[1:])
    return host == allowed


def origin_is_allowed(request: HttpRequest, origin: str) -> bool:
    own = f"{request.scheme}://{request.get_host()}".lower()
    if origin.lower() == own:
        return True
    return any(_origin_matches(origin, trusted) for trusted in settings.CSRF_TRUSTED_ORIGINS)


class ApiRequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in STATE_CHANGING_METHODS and request.path_info.startswith("/api/"):
            refusal = self.refuse_cross_origin(request) or self.refuse_media_type(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    @staticmethod
    def refuse_cross_origin(request: HttpRequest) -> JsonResponse | None:
        origin = request.headers.get("Origin")
        if origin is None or origin_is_allowed(request, origin):
            return None
        return _refusal(
            403,
            "cross_origin_refused",
            f"Changes from another site ({origin[:100]}) are refused. Use this site's own pages, "
            "or ask the operator to add that origin to CSRF_TRUSTED_ORIGINS.",
        )

    @staticmethod
    def refuse_media_type(request: HttpRequest) -> JsonResponse | None:
        if not _has_body(request):
            return None
        allowed = [JSON_MEDIA_TYPE]
        if is_upload_path(request.path_info):
            allowed.append(MULTIPART_MEDIA_TYPE)
        if request.content_type in allowed:
            return None
        sent = request.content_type or "no Content-Type"
        return _refusal(
            415,
            "unsupported_media_type",
            f"This route takes {' or '.join(allowed)} bodies, not {sent[:100]}. Send JSON with "
            "Content-Type: application/json.",
        )
