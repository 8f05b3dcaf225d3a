"""Requests per minute on the expensive routes: answers, uploads and searches per API token
(or, for the web app, per person), and login attempts per client address.

Thin views call `enforce_route_limit(request, "answers")` before doing the work; past the
limit it raises RateLimited, which the API answers 429 with Retry-After. The counters live in
Redis (common.ratelimit), so every web replica counts against the same limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest

from accounts.models import User
from common import ratelimit
from workspaces.models import ApiToken

WINDOW_SECONDS = 60


@dataclass(frozen=True)
class RouteLimit:
    setting: str  # the setting holding the requests allowed per minute
    what: str  # how the message names the requests
    per_address: bool = False  # counted per client address (before anyone is logged in)


ROUTE_LIMITS = {
    "answers": RouteLimit("RATE_LIMIT_ANSWERS_PER_MINUTE", "questions to agents"),
    "uploads": RouteLimit("RATE_LIMIT_UPLOADS_PER_MINUTE", "uploads"),
    "searches": RouteLimit("RATE_LIMIT_SEARCHES_PER_MINUTE", "searches"),
    "logins": RouteLimit("RATE_LIMIT_LOGINS_PER_MINUTE", "login attempts", per_address=True),
}


def _subject(request: HttpRequest, route: RouteLimit) -> tuple[str, str]:
    """The counter's subject and who it is, in words: a token has its own bucket, apart from
    its owner's session, so a runaway script cannot lock its owner out of the web app."""
    auth = getattr(request, "auth", None)
    if not route.per_address:
        if isinstance(auth, ApiToken):
            return f"token:{auth.id}", "per API token"
        if isinstance(auth, User):
            return f"user:{auth.id}", "per person"
    # The address uvicorn took from the trusted proxy's X-Forwarded-For (FORWARDED_ALLOW_IPS).
    return f"address:{request.META.get('REMOTE_ADDR') or 'unknown'}", "per client address"


def enforce_route_limit(request: HttpRequest, name: str) -> None:
    """Count this request against the route's limit; RateLimited (429) once it is spent."""
    route = ROUTE_LIMITS[name]
    maximum = int(getattr(settings, route.setting))
    subject, whose = _subject(request, route)
    # Login attempts share the login-* key prefix of the failure counters (accounts.services).
    key_name = "login-attempts" if name == "logins" else f"route-{name}"
    wait = ratelimit.record_attempt(
        ratelimit.Limit(
            name=key_name, subject=subject, maximum=maximum, window_seconds=WINDOW_SECONDS
        )
    )
    if wait:
        raise ratelimit.RateLimited(
            f"Too many {route.what}: at most {maximum} a minute {whose}. Try again in {wait} "
            f"second{'s' if wait != 1 else ''}.",
            retry_after_seconds=wait,
        )
