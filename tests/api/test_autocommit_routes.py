"""Routes exercised as production runs them: autocommit, no test transaction around the
request. Inside pytest-django's usual transaction `audit_change` and `select_for_update`
always find one, so a verb that forgot `transaction.atomic` only fails in production; here
it fails the test."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import Tenant

pytestmark = pytest.mark.django_db(transaction=True)


def test_asking_for_a_data_subject_export_commits_with_its_audit_event(
    tenant: Tenant, api_as: Any
) -> None:
    response = api_as(tenant.admin).post(
        f"/api/v1/workspaces/{tenant.workspace.id}/privacy/requests",
        {"kind": "export", "member_id": tenant.member.id},
    )
    assert response.status_code == 201, response.content


def test_changing_the_revoked_sources_policy_commits_with_its_audit_event(
    tenant: Tenant, api_as: Any
) -> None:
    response = api_as(tenant.admin).patch(
        f"/api/v1/workspaces/{tenant.workspace.id}", {"answers_with_revoked_sources": "show"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["answers_with_revoked_sources"] == "show"
