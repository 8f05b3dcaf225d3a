"""A connection's selection, previewed: narrowing counts the synced documents the next full
sync drops, for the people of the spaces that hold the connection; widening says more may
come; nothing changes; admins of the workspace only."""

from __future__ import annotations

from typing import Any

import pytest

from audit.models import AuditEvent
from common.crypto import encrypt_json
from common.errors import NotFound, PermissionDenied
from connections.models import Connection, SyncRun
from connections.selectors import preview_selection_change
from knowledge.models import DataSource, DataSourceView, Document
from tests.factories import Tenant


def github_connection(tenant: Tenant) -> Connection:
    data_source = DataSource.objects.create(
        workspace=tenant.workspace, name="GitHub", kind="github"
    )
    DataSourceView.objects.create(
        workspace=tenant.workspace, data_source=data_source, space=tenant.restricted_space
    )
    for repository, count in (("repo-a", 2), ("repo-b", 3)):
        for n in range(count):
            Document.objects.create(
                workspace=tenant.workspace,
                data_source=data_source,
                external_id=f"{repository}/{n}",
                title=f"{repository} issue {n}",
                parents=[f"{repository}/{n}", repository],
            )
    return Connection.objects.create(
        workspace=tenant.workspace,
        data_source=data_source,
        kind="github",
        credentials_encrypted=encrypt_json({"token": "t"}),
        selected_ids=["repo-a", "repo-b"],
    )


def test_narrowing_counts_what_the_next_sync_drops_for_the_space_s_people(
    tenant: Tenant,
) -> None:
    connection = github_connection(tenant)
    events = AuditEvent.objects.count()
    preview = preview_selection_change(
        actor=tenant.admin, connection_id=connection.id, selected_ids=["repo-a"]
    )
    # Finance holds the connection: builder (directly) and member (through the group).
    assert (preview.documents_lost, preview.people_lost) == (3, 2)
    assert (preview.documents_gained, preview.people_gained) == (0, 0)
    assert preview.additions_known_after_sync is False
    connection.refresh_from_db()
    assert connection.selected_ids == ["repo-a", "repo-b"]
    assert AuditEvent.objects.count() == events
    assert not SyncRun.objects.filter(connection=connection).exists()


@pytest.mark.parametrize("selected", [[], ["repo-a", "repo-b", "repo-c"]])
def test_widening_drops_nothing_and_says_more_may_come(tenant: Tenant, selected: list[str]) -> None:
    connection = github_connection(tenant)
    preview = preview_selection_change(
        actor=tenant.admin, connection_id=connection.id, selected_ids=selected
    )
    assert (preview.documents_lost, preview.people_lost) == (0, 0)
    assert preview.additions_known_after_sync is True


def test_only_the_workspace_s_admins_may_preview_a_selection(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    connection = github_connection(tenant)
    with pytest.raises(PermissionDenied):
        preview_selection_change(
            actor=tenant.builder, connection_id=connection.id, selected_ids=["repo-a"]
        )
    with pytest.raises(NotFound):
        preview_selection_change(
            actor=other_tenant.admin, connection_id=connection.id, selected_ids=["repo-a"]
        )
    path = f"workspaces/{tenant.workspace.id}/connections/{connection.id}/selection-preview"
    body = {"selected_ids": ["repo-b"]}
    answer = api_as(tenant.admin).post(path, body)
    assert answer.status_code == 200, answer.content
    assert (answer.json()["documents_lost"], answer.json()["people_lost"]) == (2, 2)
    assert api_as(tenant.member).post(path, body).status_code == 403
    assert api_as(other_tenant.admin).post(path, body).status_code == 404
    their_path = (
        f"workspaces/{other_tenant.workspace.id}/connections/{connection.id}/selection-preview"
    )
    assert api_as(other_tenant.admin).post(their_path, body).status_code == 404
