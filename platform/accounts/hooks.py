"""Checks other apps add to password sign-in, without accounts importing them (layers).

The composition root names them in settings.PASSWORD_LOGIN_CHECKS (dotted paths), the way
config/webhooks.py names the webhook handlers: reading config/settings.py tells who may
refuse a password sign-in. Today: `sso.accounts.check_password_login` (a member of a
workspace that requires SSO is refused, except its break-glass admin). A check is called
with (user, request) after the password was found right, so it tells nothing to someone who
does not know the password, and raises a common.errors.DomainError to refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from accounts.models import User

PasswordLoginCheck = Callable[[User, HttpRequest | None], None]


@cache
def _checks(paths: tuple[str, ...]) -> tuple[PasswordLoginCheck, ...]:
    return tuple(import_string(path) for path in paths)


def check_password_login(user: User, request: HttpRequest | None) -> None:
    for check in _checks(tuple(getattr(settings, "PASSWORD_LOGIN_CHECKS", ()))):
        check(user, request)
