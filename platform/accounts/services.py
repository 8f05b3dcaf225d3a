"""Accounts: logging in with a password (failed attempts limited per email and per client
address), changing and resetting passwords, and creating people for seeding and commands."""

from __future__ import annotations

import logging
import math

from django.conf import settings
from django.contrib.auth import authenticate, password_validation, update_session_auth_hash
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.hooks import check_password_login
from accounts.models import User
from common import ratelimit
from common.errors import Conflict, DomainError, InvalidInput, Unauthenticated

logger = logging.getLogger(__name__)


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
    # Other apps' refusals (sso: the workspace requires single sign-on), accounts.hooks.
    check_password_login(user, request)
    return user


class WeakPassword(InvalidInput):
    code = "weak_password"


class WrongCurrentPassword(DomainError):
    status = 400
    code = "invalid_credentials"


class ResetLinkInvalid(DomainError):
    status = 410
    code = "reset_link_invalid"


class TooManyPasswordResets(ratelimit.RateLimited):
    code = "too_many_password_resets"


def validate_new_password(password: str, *, user: User | None = None) -> None:
    """Django's AUTH_PASSWORD_VALIDATORS, as one 422 that lists what to fix."""
    try:
        password_validation.validate_password(password, user=user)
    except DjangoValidationError as error:
        raise WeakPassword(" ".join(error.messages)) from error


def create_user(
    *,
    email: str,
    password: str | None,
    full_name: str = "",
    email_verified: bool = False,
    is_operator: bool = False,
) -> User:
    """A person, for seeding, operator commands and tests, never for one person acting on
    another's behalf over the API: there, accounts are made only by accepting an invitation."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email=email).exists():
        raise Conflict(f"An account for {email} already exists.")
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        email_verified=email_verified,
        is_operator=is_operator,
    )


def create_invited_account(*, email: str, password: str, full_name: str = "") -> User:
    """The account a person makes for themselves by accepting an invitation (the caller,
    workspaces.services, has checked the link and the password). The address counts as
    verified because they read the link from that mailbox, and is marked as verified that
    way (see User.email_verified_by_invitation)."""
    return User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name.strip()[:200],
        email_verified=True,
        email_verified_by_invitation=True,
    )


def _set_password(*, user: User, new_password: str, request: HttpRequest | None) -> None:
    """Setting the password changes the session auth hash, which ends every session of this
    account (Django checks it on each request); the caller's own session, when the caller is
    this person, is re-signed so it carries on."""
    validate_new_password(new_password, user=user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    caller = getattr(request, "user", None)
    if request is not None and caller is not None and caller.pk == user.pk:
        update_session_auth_hash(request, user)


@transaction.atomic
def change_password(
    *, user: User, request: HttpRequest, current_password: str, new_password: str, client_ip: str
) -> None:
    """A logged-in person changes their own password; their other sessions end. Wrong current
    passwords count against the login limits, so a borrowed session cannot guess it."""
    limits = login_limits(email=user.email, client_ip=client_ip)
    wait = ratelimit.seconds_until_allowed(limits)
    if wait:
        raise TooManyLoginFailures(
            "Too many wrong passwords. Wait and try again.", retry_after_seconds=wait
        )
    if not user.check_password(current_password):
        ratelimit.record_failure(limits)
        raise WrongCurrentPassword(
            "Your current password is wrong. Type it again, or log out and use "
            "'Forgot password' to get a reset link by email."
        )
    _set_password(user=user, new_password=new_password, request=request)


def password_reset_limits(*, email: str, client_ip: str) -> list[ratelimit.Limit]:
    window = settings.PASSWORD_RESET_WINDOW_SECONDS
    return [
        ratelimit.Limit(
            name="password-reset-email",
            subject=email,
            maximum=settings.PASSWORD_RESETS_PER_EMAIL,
            window_seconds=window,
        ),
        ratelimit.Limit(
            name="password-reset-ip",
            subject=client_ip,
            maximum=settings.PASSWORD_RESETS_PER_IP,
            window_seconds=window,
        ),
    ]


def password_reset_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return f"{settings.PUBLIC_URL}/reset-password/{uid}/{token}"


def _send_password_reset(*, email: str, url: str) -> None:
    try:
        send_mail(
            subject="Reset your password",
            message=(
                "Someone asked to reset the password of your account on "
                f"{settings.PUBLIC_URL}.\n\nSet a new password here: {url}\n\nThe link works "
                f"for {max(1, settings.PASSWORD_RESET_TIMEOUT // 60)} minutes and only once. "
                "If it was not you, ignore this email: your password stays as it is.\n"
            ),
            from_email=None,
            recipient_list=[email],
        )
    except Exception:
        logger.exception("could not send a password reset email")


def request_password_reset(*, email: str, client_ip: str) -> None:
    """Emails a reset link if an active account has this address; says nothing either way.
    Every request counts against the limits, whether or not the account exists, so the
    limit itself tells an attacker nothing."""
    email = User.objects.normalize_email(email).strip().lower()
    limits = password_reset_limits(email=email, client_ip=client_ip)
    wait = ratelimit.seconds_until_allowed(limits)
    if wait:
        raise TooManyPasswordResets(
            "Too many reset requests. Check your mailbox (and its spam folder) for the link "
            "already sent, or wait and try again.",
            retry_after_seconds=wait,
        )
    ratelimit.record_failure(limits)
    user = User.objects.filter(email=email, is_active=True).first()
    if user is None:
        return
    url = password_reset_url(user)
    transaction.on_commit(lambda: _send_password_reset(email=user.email, url=url))


def _user_from_uid(uid: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    return User.objects.select_for_update().filter(pk=pk, is_active=True).first()


@transaction.atomic
def confirm_password_reset(*, uid: str, token: str, new_password: str) -> User:
    """Sets the password from an emailed link, which also proves the mailbox, so the email
    counts as verified. The token covers the old password hash: it works once, and every
    session of the account ends."""
    user = _user_from_uid(uid)
    if user is None or not default_token_generator.check_token(user, token):
        raise ResetLinkInvalid(
            "This reset link is expired or was already used. Ask for a new one with "
            "'Forgot password'."
        )
    _set_password(user=user, new_password=new_password, request=None)
    user.email_verified = True
    user.email_verified_by_invitation = False
    user.save(update_fields=["email_verified", "email_verified_by_invitation"])
    return user


@transaction.atomic
def delete_account_if_unused(*, user_id: int) -> bool:
    """Delete a person's account once they belong to no workspace (the end of a data-subject
    erasure). An account still in another workspace stays: that workspace holds it too; so
    does an instance operator's, which no workspace's admin may take away. Returns whether
    it was deleted. Their audit rows keep no link (actor is SET_NULL)."""
    user = User.objects.select_for_update().filter(id=user_id).first()
    if user is None or user.is_operator:
        return False
    if user.memberships.exists():
        return False
    user.delete()
    return True
