"""GET /api/v1/workspaces/{id}/limits: an admin sees every limit the instance enforces, with
the setting behind it and the refusal; builders and members are refused, other workspaces'
admins and tokens see nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings

from api.instance_limits import human_bytes, human_seconds
from tests.factories import Tenant

SETTINGS = [
    "MAX_REQUEST_BYTES",
    "MAX_REQUEST_FIELDS",
    "MAX_UPLOAD_FILES",
    "MAX_UPLOAD_BYTES",
    "RATE_LIMIT_ANSWERS_PER_MINUTE",
    "RATE_LIMIT_UPLOADS_PER_MINUTE",
    "RATE_LIMIT_SEARCHES_PER_MINUTE",
    "RATE_LIMIT_LOGINS_PER_MINUTE",
    "LOGIN_FAILURES_PER_EMAIL",
    "LOGIN_FAILURES_PER_IP",
    "LOGIN_FAILURE_WINDOW_SECONDS",
    "PARSE_MEMORY_MB",
    "PARSE_CPU_SECONDS",
    "PARSE_WALL_SECONDS",
    "PARSE_MAX_UNPACKED_BYTES",
    "PARSE_MAX_COMPRESSION_RATIO",
    "PARSE_MAX_ZIP_ENTRIES",
    "PARSE_MAX_PDF_PAGES",
    "PARSE_MAX_CHARACTERS",
    "OUTBOUND_ALLOWED_HOSTS",
    "OUTBOUND_TIMEOUT_SECONDS",
    "OUTBOUND_MAX_RESPONSE_BYTES",
    "INVITATION_TTL_HOURS",
    "PASSWORD_RESET_TIMEOUT_SECONDS",
    "WORKSPACE_CREATION",
    "MAX_ATTACHMENTS_PER_CONVERSATION",
]


def by_setting(response: Any) -> dict[str, dict[str, str]]:
    return {entry["setting"]: entry for entry in response.json()["entries"]}


def test_an_admin_sees_every_limit_with_its_setting_and_refusal(
    tenant: Tenant, api_as: Any
) -> None:
    response = api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/limits")
    assert response.status_code == 200, response.content
    entries = by_setting(response)
    assert set(SETTINGS) <= set(entries)
    for entry in response.json()["entries"]:
        assert entry["group"] in {"Requests", "Rate limits", "Files", "Outbound", "Accounts"}
        assert entry["name"] and entry["value"] and entry["refusal"]
    assert entries["MAX_REQUEST_BYTES"]["refusal"] == "413 request_too_large"
    assert entries["MAX_REQUEST_FIELDS"]["refusal"] == "400 too_many_fields"
    assert entries["MAX_UPLOAD_FILES"]["refusal"] == "413 too_many_files"
    assert entries["RATE_LIMIT_ANSWERS_PER_MINUTE"]["refusal"].startswith("429 rate_limited")
    assert entries["WORKSPACE_CREATION"]["refusal"] == "403 workspace_creation_restricted"


@override_settings(
    MAX_REQUEST_BYTES=2 * 1024 * 1024,
    RATE_LIMIT_ANSWERS_PER_MINUTE=7,
    OUTBOUND_ALLOWED_HOSTS=["ghe.corp.example", "10.2.0.0/16"],
    INVITATION_TTL_HOURS=48,
    WORKSPACE_CREATION="anyone",
)
def test_the_values_are_what_this_instance_is_configured_with(tenant: Tenant, api_as: Any) -> None:
    entries = by_setting(api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/limits"))
    assert entries["MAX_REQUEST_BYTES"]["value"] == "2 MiB"
    assert entries["RATE_LIMIT_ANSWERS_PER_MINUTE"]["value"] == (
        "7 per minute per person and per API token"
    )
    assert entries["OUTBOUND_ALLOWED_HOSTS"]["value"] == "ghe.corp.example, 10.2.0.0/16"
    assert entries["INVITATION_TTL_HOURS"]["value"] == "2 days"
    assert entries["WORKSPACE_CREATION"]["value"] == "anyone logged in"


@override_settings(OUTBOUND_ALLOWED_HOSTS=[])
def test_no_allow_listed_hosts_reads_none(tenant: Tenant, api_as: Any) -> None:
    entries = by_setting(api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/limits"))
    assert entries["OUTBOUND_ALLOWED_HOSTS"]["value"] == "none"


@pytest.mark.parametrize("role", ["builder", "member"])
def test_builders_and_members_are_refused(tenant: Tenant, api_as: Any, role: str) -> None:
    response = api_as(tenant.by_role(role)).get(f"workspaces/{tenant.workspace.id}/limits")
    assert response.status_code == 403, response.content
    error = response.json()["error"]
    assert error["code"] == "permission_denied"
    assert "admin" in error["message"]


def test_an_admin_of_another_workspace_gets_not_found(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    response = api_as(other_tenant.admin).get(f"workspaces/{tenant.workspace.id}/limits")
    assert response.status_code == 404, response.content
    assert response.json()["error"]["code"] == "not_found"


def test_an_admin_token_of_another_workspace_gets_not_found(
    tenant: Tenant, other_tenant: Tenant, api_with_token: Any
) -> None:
    response = api_with_token(other_tenant.admin).get(f"workspaces/{tenant.workspace.id}/limits")
    assert response.status_code == 404, response.content


def test_anonymous_callers_are_refused(tenant: Tenant, api_as: Any) -> None:
    response = api_as(None).get(f"workspaces/{tenant.workspace.id}/limits")
    assert response.status_code == 401, response.content


def test_sizes_and_durations_read_as_people_say_them() -> None:
    assert human_bytes(25 * 1024 * 1024) == "25 MiB"
    assert human_bytes(1024) == "1 KiB"
    assert human_bytes(1536 * 1024) == "1.5 MiB (1,572,864 bytes)"
    assert human_bytes(100) == "100 bytes"
    assert human_seconds(900) == "15 minutes"
    assert human_seconds(3600) == "1 hour"
    assert human_seconds(168 * 3600) == "7 days"
    assert human_seconds(30.0) == "30 seconds"
    assert human_seconds(2.5) == "2.5 seconds"
