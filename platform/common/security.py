"""The Content-Security-Policy header (Django 5.2 has none built in).

The policy is the SECURE_CSP setting, a dict of directive -> sources in the same shape as
Django 6.0's built-in SECURE_CSP, so upgrading replaces this middleware with Django's. A
response that already carries the header (a view that needs another policy) keeps its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

HEADER = "Content-Security-Policy"


def build_policy(directives: Mapping[str, Sequence[str]]) -> str:
    return "; ".join(
        " ".join([name, *sources]) if sources else name for name, sources in directives.items()
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        directives: Mapping[str, Sequence[str]] = getattr(settings, "SECURE_CSP", {})
        self.policy = build_policy(directives) if directives else ""

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if self.policy and HEADER not in response:
            response[HEADER] = self.policy
        return response
