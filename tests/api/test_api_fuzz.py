"""Schemathesis against the API's own OpenAPI document: generated requests (valid and
invalid), authenticated with a bearer token of the demo workspace, must never answer 500.

Bounded: a few examples per operation, in-process through Django's WSGI handler on the test
database (rolled back afterwards). `./scripts/fuzz-api` runs the same check, with more
examples, against a running server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from tests.factories import ApiClient
from workspaces import services
from workspaces.demo import create_demo_workspace
from workspaces.models import Membership

EXAMPLES_PER_OPERATION = 4


@pytest.fixture
def demo_admin(db: None) -> Iterator[tuple[int, str]]:
    """The demo workspace's id and a bearer token of its admin."""
    workspace, _, _ = create_demo_workspace(password="demo-password")
    admin = Membership.objects.get(workspace=workspace, user__email="admin@demo.local")
    _, secret = services.create_api_token(actor=admin, name="schemathesis")
    yield workspace.id, secret


# Loaded at collection: fetching the document touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def requests_like_production(db: None) -> Iterator[None]:
    """Each request in its own savepoint, so a refused one (a database error answered 422)
    cannot abort the test's transaction for the requests after it, as in production where
    each request has its own; and, as Django's test client does, no request closes the
    connection that holds the test's transaction."""
    database = connections["default"].settings_dict
    atomic_requests = database["ATOMIC_REQUESTS"]
    database["ATOMIC_REQUESTS"] = True
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        database["ATOMIC_REQUESTS"] = atomic_requests
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_request_makes_the_api_fail(case: Any, demo_admin: tuple[int, str]) -> None:
    workspace_id, token = demo_admin
    if case.path_parameters and "workspace_id" in case.path_parameters:
        # Inside the demo workspace, so requests reach past the "not found" of a random id.
        case.path_parameters["workspace_id"] = workspace_id
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error]
    )


# What schemathesis found, kept as plain regression tests.


def test_a_date_with_a_far_offset_filters_the_audit_log(demo_admin: tuple[int, str]) -> None:
    workspace_id, token = demo_admin
    api = ApiClient(Client(), {"Authorization": f"Bearer {token}"})
    # ISO 8601 allows +16:12; Postgres refuses offsets past 15:59, so it is compared in UTC.
    found = api.get(f"workspaces/{workspace_id}/audit-events?since=2001-04-24T18:24:25%2B16:12")
    assert found.status_code == 200, found.content
    assert found.json()["count"] >= 1
    ancient = api.get(f"workspaces/{workspace_id}/audit-events?until=0001-01-01T00:00:00%2B05:00")
    assert ancient.status_code == 422


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "spaces", {"name": "nul\u0000name"}),
        ("GET", "audit-events?offset=99999999999999999999", None),
    ],
)
def test_values_postgres_cannot_hold_answer_422(
    demo_admin: tuple[int, str], method: str, path: str, body: Any
) -> None:
    workspace_id, token = demo_admin
    api = ApiClient(Client(), {"Authorization": f"Bearer {token}"})
    response = api.request(method, f"workspaces/{workspace_id}/{path}", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


def test_multipart_without_a_boundary_answers_400(demo_admin: tuple[int, str]) -> None:
    from knowledge.models import DataSource

    workspace_id, token = demo_admin
    data_source = DataSource.objects.filter(workspace_id=workspace_id).first()
    data_source_id = data_source.id if data_source else 1
    response = Client().post(
        f"/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/files",
        data=b"--x--",  # (an empty body would be sent without its Content-Type)
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "malformed_request"
