"""Deleting one document: audited in the same transaction as the delete, all or nothing, and
only by someone who may write to its data source in this workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection

from audit.models import AuditEvent
from common.errors import NotFound, PermissionDenied
from knowledge import services
from knowledge.ingestion import upsert_documents
from knowledge.models import DataSource, Document
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(tenant: Tenant) -> DataSource:
    return make_folder(tenant, tenant.company_space.id, "Handbook").data_source


def add_document(folder: DataSource, external_id: str = "a") -> Document:
    (document_id,) = upsert_documents(
        data_source=folder, documents=[doc(external_id, "Leave policy", "Ten days.")]
    ).changed
    return Document.objects.get(id=document_id)


@pytest.fixture
def database_refuses_document_deletes() -> Iterator[None]:
    """A real failure of the delete itself, after the audit event was written: the database
    refuses it (the trigger goes away with the test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE FUNCTION pg_temp.refuse_delete() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'document deletes refused'; END $$"
        )
        cursor.execute(
            "CREATE TRIGGER refuse_document_delete BEFORE DELETE ON knowledge_document "
            "FOR EACH ROW EXECUTE FUNCTION pg_temp.refuse_delete()"
        )
    yield


def test_deleting_a_document_is_audited(tenant: Tenant, folder: DataSource) -> None:
    document = add_document(folder)
    services.delete_document(
        actor=tenant.builder, data_source_id=folder.id, document_id=document.id
    )
    assert not Document.objects.filter(id=document.id).exists()
    event = AuditEvent.objects.get(action="document.deleted")
    assert (event.actor_id, event.target_type, event.target_id) == (
        tenant.builder.user_id,
        "document",
        str(document.id),
    )
    assert event.data == {
        "data_source_id": folder.id,
        "external_id": "a",
        "title": "Leave policy",
    }


def test_a_failed_delete_leaves_the_document_and_no_event(
    tenant: Tenant, folder: DataSource, database_refuses_document_deletes: None
) -> None:
    document = add_document(folder)
    with pytest.raises(DatabaseError, match="document deletes refused"):
        services.delete_document(
            actor=tenant.builder, data_source_id=folder.id, document_id=document.id
        )
    assert Document.objects.filter(id=document.id).exists()
    assert not AuditEvent.objects.filter(action="document.deleted").exists()


def test_a_member_without_write_access_cannot_delete(tenant: Tenant, folder: DataSource) -> None:
    document = add_document(folder)
    with pytest.raises(PermissionDenied):
        services.delete_document(
            actor=tenant.member, data_source_id=folder.id, document_id=document.id
        )
    assert Document.objects.filter(id=document.id).exists()
    assert not AuditEvent.objects.filter(action="document.deleted").exists()


def test_another_workspace_cannot_delete_or_learn_of_a_document(
    tenant: Tenant, other_tenant: Tenant, folder: DataSource
) -> None:
    document = add_document(folder)
    theirs = make_folder(other_tenant, other_tenant.company_space.id, "Theirs").data_source
    for data_source_id in (folder.id, theirs.id):
        with pytest.raises(NotFound):
            services.delete_document(
                actor=other_tenant.admin, data_source_id=data_source_id, document_id=document.id
            )
    assert Document.objects.filter(id=document.id).exists()
    assert not AuditEvent.objects.filter(action="document.deleted").exists()
