"""Failed logins are limited per email from one address and per address, in the real Redis."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from accounts.services import TooManyLoginFailures, authenticate_with_password
from common.errors import Unauthenticated
from common.ratelimit import KEY_PREFIX
from common.redis import redis_client
from tests.factories import PASSWORD, ApiClient, Tenant

ATTACKER = "203.0.113.7"
NEIGHBOUR = "203.0.113.8"


@pytest.fixture
def small_limits(settings: Any) -> Any:
    settings.LOGIN_FAILURES_PER_EMAIL = 3
    settings.LOGIN_FAILURES_PER_IP = 5
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 600
    return settings


def attempt(email: str, password: str, ip: str) -> Any:
    return authenticate_with_password(request=None, email=email, password=password, client_ip=ip)


def fail(email: str, ip: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Unauthenticated):
            attempt(email, "wrong", ip)


def test_an_email_is_blocked_from_one_address_after_its_failures(
    tenant: Tenant, small_limits: Any
) -> None:
    fail("member@acme.test", ATTACKER, 3)
    # Blocked before the password is even checked: the right one is refused too.
    with pytest.raises(TooManyLoginFailures) as refused:
        attempt("member@acme.test", PASSWORD, ATTACKER)
    assert refused.value.status == 429
    assert 590 <= refused.value.retry_after_seconds <= 600
    # Same email from another address, and another email from the same address, still work.
    assert attempt("member@acme.test", PASSWORD, NEIGHBOUR).email == "member@acme.test"
    assert attempt("Builder@ACME.test ", PASSWORD, ATTACKER).email == "builder@acme.test"


def test_an_address_is_blocked_after_failures_over_many_emails(
    tenant: Tenant, small_limits: Any
) -> None:
    for index in range(5):
        fail(f"nobody{index}@acme.test", ATTACKER, 1)
    with pytest.raises(TooManyLoginFailures):
        attempt("admin@acme.test", PASSWORD, ATTACKER)
    assert attempt("admin@acme.test", PASSWORD, NEIGHBOUR).email == "admin@acme.test"


def test_a_success_clears_the_email_count_but_not_the_address_count(
    tenant: Tenant, small_limits: Any
) -> None:
    fail("member@acme.test", ATTACKER, 2)
    attempt("member@acme.test", PASSWORD, ATTACKER)
    fail("member@acme.test", ATTACKER, 2)  # would be blocked had the success not cleared it
    attempt("member@acme.test", PASSWORD, ATTACKER)
    # 4 failures so far count against the address: one more reaches its limit of 5.
    fail("member@acme.test", ATTACKER, 1)
    with pytest.raises(TooManyLoginFailures):
        attempt("member@acme.test", PASSWORD, ATTACKER)


def test_the_window_ends_by_itself(tenant: Tenant, small_limits: Any) -> None:
    small_limits.LOGIN_FAILURE_WINDOW_SECONDS = 1
    fail("member@acme.test", ATTACKER, 3)
    with pytest.raises(TooManyLoginFailures) as refused:
        attempt("member@acme.test", PASSWORD, ATTACKER)
    assert refused.value.retry_after_seconds == 1
    time.sleep(1.5)
    assert attempt("member@acme.test", PASSWORD, ATTACKER).email == "member@acme.test"


def test_the_api_answers_429_with_retry_after_in_the_error_shape(
    tenant: Tenant, small_limits: Any
) -> None:
    api = ApiClient(Client(REMOTE_ADDR=ATTACKER))
    for _ in range(3):
        wrong = api.post("auth/login", {"email": "member@acme.test", "password": "wrong"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_credentials"
    refused = api.post("auth/login", {"email": "member@acme.test", "password": PASSWORD})
    assert refused.status_code == 429
    assert 590 <= int(refused["Retry-After"]) <= 600
    error = refused.json()["error"]
    assert error["code"] == "too_many_login_attempts"
    assert "Wait 10 minutes" in error["message"]
    assert api.get("me").status_code == 401  # no session was created
    # Nothing in Redis names the email or the address in clear.
    keys = [key.decode() for key in redis_client().scan_iter(f"{KEY_PREFIX}login-*")]
    assert keys and not any("acme" in key or ATTACKER in key for key in keys)

    other = ApiClient(Client(REMOTE_ADDR=NEIGHBOUR))
    accepted = other.post("auth/login", {"email": "member@acme.test", "password": PASSWORD})
    assert accepted.status_code == 200
