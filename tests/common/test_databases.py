"""The read replica: search's chunk reads go to the "replica" alias when one is configured.

The test points a "replica" alias at the test database itself (what DATABASE_REPLICA_URL's
`TEST: {"MIRROR": "default"}` does under the test runner) through its own connection, so
the committed rows are visible to it (transactional test) and the queries it ran are countable.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext

from common.databases import REPLICA_DATABASE, replica_configured
from connectors.documents import DocumentInput
from knowledge.ingestion import ingest_documents
from knowledge.selectors import search_chunks
from knowledge.services import create_folder
from tests.factories import Tenant, make_tenant
from textpipeline.embedding import get_embeddings

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA_DATABASE])


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup: None) -> Iterator[None]:
    """Module-scoped, so the alias exists before the test case checks its `databases`."""
    if replica_configured():  # DATABASE_REPLICA_URL is set: its mirror alias is already here
        yield
        return
    mirror = dict(connections["default"].settings_dict)
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": "default"}
    connections.settings[REPLICA_DATABASE] = mirror
    try:
        yield
    finally:
        connections[REPLICA_DATABASE].close()
        del connections[REPLICA_DATABASE]
        del connections.settings[REPLICA_DATABASE]


@pytest.fixture
def handbook() -> Tenant:
    tenant = make_tenant("acme")
    view = create_folder(actor=tenant.admin, space_id=tenant.company_space.id, name="Handbook")
    ingest_documents(
        data_source=view.data_source,
        documents=[
            DocumentInput(
                external_id="expenses",
                title="Expense policy",
                text="Submit travel expenses within 30 days.",
            ),
            DocumentInput(
                external_id="holidays",
                title="Holidays",
                text="The office closes between Christmas and New Year.",
            ),
        ],
        embeddings=get_embeddings("local"),
    )
    return tenant


def chunk_reads(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if "knowledge_chunk" in query["sql"]]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "full_text"])
def test_search_reads_its_chunks_from_the_replica(handbook: Tenant, mode: str) -> None:
    with (
        CaptureQueriesContext(connections[REPLICA_DATABASE]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        hits = search_chunks(actor=handbook.member, views=None, query="travel expenses", mode=mode)
    assert hits[0].title == "Expense policy"
    assert chunk_reads(on_replica)
    assert not chunk_reads(on_default)
    if mode != "full_text":
        # The HNSW / exact-search settings reach the connection that runs the dense query.
        replica_sql = [query["sql"] for query in on_replica.captured_queries]
        assert any(sql.startswith("SET LOCAL") for sql in replica_sql)


def test_inside_a_transaction_on_default_search_stays_on_default(handbook: Tenant) -> None:
    with (
        transaction.atomic(),
        CaptureQueriesContext(connections[REPLICA_DATABASE]) as on_replica,
    ):
        hits = search_chunks(actor=handbook.member, views=None, query="travel expenses")
    assert hits[0].title == "Expense policy"
    assert not on_replica.captured_queries


def test_writes_and_other_reads_stay_on_default(handbook: Tenant) -> None:
    from workspaces.models import Space

    with CaptureQueriesContext(connections[REPLICA_DATABASE]) as on_replica:
        Space.objects.filter(workspace=handbook.workspace).count()
        handbook.workspace.save()
    assert not on_replica.captured_queries
