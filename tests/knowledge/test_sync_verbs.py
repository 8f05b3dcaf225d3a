"""The ingestion verbs a sync calls (connections.engine): noting what a sync saw, removing
what it did not see, and counting removed documents, not the rows removed with them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from knowledge.ingestion import (
    delete_documents,
    delete_documents_not_synced_since,
    ingest_documents,
    mark_documents_synced,
)
from knowledge.models import Chunk, DataSource, Document
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(tenant: Tenant, embedder: Any) -> DataSource:
    data_source = make_folder(tenant, tenant.company_space.id, "Synced").data_source
    ingest_documents(
        data_source=data_source,
        documents=[doc(name, name.upper(), f"Text of {name}. " * 40) for name in "abc"],
        embeddings=embedder,
    )
    return data_source


def test_deleting_counts_documents_not_their_chunks(source: DataSource) -> None:
    assert Chunk.objects.filter(document__external_id="a", data_source=source).exists()
    assert delete_documents(data_source=source, external_ids=["a", "gone"]) == 1
    assert not Chunk.objects.filter(document__external_id="a", data_source=source).exists()


def test_what_a_full_sync_did_not_see_is_removed(source: DataSource) -> None:
    started = timezone.now()
    mark_documents_synced(data_source=source, external_ids=["a", "c"], at=started)
    assert delete_documents_not_synced_since(data_source=source, since=started) == 1
    assert set(
        Document.objects.filter(data_source=source).values_list("external_id", flat=True)
    ) == {"a", "c"}


def test_a_document_seen_before_the_sync_started_counts_as_unseen(source: DataSource) -> None:
    started = timezone.now()
    mark_documents_synced(data_source=source, external_ids=["a"], at=started - timedelta(seconds=1))
    mark_documents_synced(data_source=source, external_ids=["b", "c"])
    assert delete_documents_not_synced_since(data_source=source, since=started) == 1
    assert not Document.objects.filter(data_source=source, external_id="a").exists()


def test_another_data_source_is_never_touched(
    tenant: Tenant, other_tenant: Tenant, source: DataSource, embedder: Any
) -> None:
    theirs = make_folder(other_tenant, other_tenant.company_space.id, "Synced").data_source
    ingest_documents(data_source=theirs, documents=[doc("a", "A", "theirs")], embeddings=embedder)
    started = timezone.now()
    mark_documents_synced(data_source=source, external_ids=["a", "b", "c"], at=started)
    assert delete_documents(data_source=source, external_ids=["a"]) == 1
    assert delete_documents_not_synced_since(data_source=source, since=started) == 0
    assert Document.objects.filter(data_source=theirs, external_id="a").exists()
