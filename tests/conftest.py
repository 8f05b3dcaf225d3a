from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.factories import ApiClient, Tenant, make_tenant
from workspaces import services
from workspaces.models import Membership

# The fakes of the outside services listen on 127.0.0.1 over plain http: the suite's operator
# allow-lists them. pytest-django has loaded the settings before this file runs, so the
# setting is set here as well as in the environment the Celery workers inherit
# (tests/processes.py child_environment). The outbound attack tests override it.
TEST_OUTBOUND_ALLOWED_HOSTS = "127.0.0.1,localhost"
os.environ["OUTBOUND_ALLOWED_HOSTS"] = TEST_OUTBOUND_ALLOWED_HOSTS
django_settings.OUTBOUND_ALLOWED_HOSTS = TEST_OUTBOUND_ALLOWED_HOSTS.split(",")


@pytest.fixture
def tenant(db: None) -> Tenant:
    return make_tenant("acme")


@pytest.fixture
def other_tenant(db: None) -> Tenant:
    return make_tenant("globex")


@pytest.fixture
def api_as() -> Iterator[Any]:
    """api_as(membership) -> an ApiClient logged in with a session as that person."""

    def build(membership: Membership | None) -> ApiClient:
        client = Client()
        if membership is not None:
            client.force_login(membership.user)
        return ApiClient(client)

    yield build


@pytest.fixture
def api_with_token() -> Any:
    def build(membership: Membership) -> ApiClient:
        _, secret = services.create_api_token(actor=membership, name="tests")
        return ApiClient(Client(), {"Authorization": f"Bearer {secret}"})

    return build


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # PBKDF2's deliberate slowness would dominate a suite that creates hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def empty_test_broker() -> None:
    """Tasks queued by earlier runs must not reach this run's workers. Only the embedded
    test Redis is flushed, never one named by REDIS_URL."""
    import os

    import redis
    from django.conf import settings

    if not os.environ.get("REDIS_URL"):
        redis.Redis.from_url(settings.REDIS_URL).flushdb()


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Every rate limit (login failures and attempts, password resets, the route limits)
    counts in Redis per person, token or client address, and the test client always calls
    from 127.0.0.1: each test starts and ends with none spent, so what one test spends
    (the API fuzzer's generated logins, say) never refuses another's set-up."""
    from common.ratelimit import KEY_PREFIX
    from common.redis import redis_client

    def clear() -> None:
        client = redis_client()
        for key in client.scan_iter(f"{KEY_PREFIX}*"):
            client.delete(key)

    clear()
    yield
    clear()
