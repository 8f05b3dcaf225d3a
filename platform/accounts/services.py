"""Logging in with a password, with failed attempts limited per email and per client address."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest

from accounts.models import User
from common import ratelimit
from common.errors import Unauthenticated


class TooManyLoginFailures(ratelimit.RateLimited):
    code = "too_many_login_attempts"


def login_limits(*, email: str, client_ip: str) -> list[ratelimit.Limit]:
    """Failures per email from one address (guessing one person's password), and per address
    across all emails (trying many accounts). No limit per email alone: anyone could then lock
    a person out by failing on purpose with their email."""
    window = settings.LOGIN_FAILURE_WINDOW_SECONDS
    return [
        ratelimit.Limit(
            name="login-email-ip",
            subject=f"{email}|{client_ip}",
            maximum=settings.LOGIN_FAILURES_PER_EMAIL,
            window_seconds=window,
        ),
        ratelimit.Limit(
            name="login-ip",
            subject=client_ip,
            maximum=settings.LOGIN_FAILURES_PER_IP,
            window_seconds=window,
        ),
    ]


def authenticate_with_password(
    *, request: HttpRequest | None, email: str, password: str, client_ip: str
) -> User:
    """The user with this email and password, or Unauthenticated; refused without checking
    the password (TooManyLoginFailures, 429) while a failure limit is reached."""
    email = email.strip().lower()
    limits = login_limits(email=email, client_ip=client_ip)
    wait = ratelimit.seconds_until_allowed(limits)
    if wait:
        minutes = math.ceil(wait / 60)
        raise TooManyLoginFailures(
            f"Too many failed logins from your address. Wait {minutes} minute"
            f"{'s' if minutes != 1 else ''} and try again, or ask a workspace admin to check "
            "your account.",
            retry_after_seconds=wait,
        )
    user = authenticate(request, username=email, password=password)
    if not isinstance(user, User):
        ratelimit.record_failure(limits)
        raise Unauthenticated(
            "Email or password is wrong. Check them, or ask a workspace admin to invite you.",
            code="invalid_credentials",
        )
    # A success clears this email's count from this address; the address's own count stays,
    # so one valid account cannot be used to reset a spray over many others.
    ratelimit.reset(limits[:1])
    return user
