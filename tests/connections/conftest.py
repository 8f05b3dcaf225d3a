from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from common.crypto import encrypt_json
from connections.models import Connection
from knowledge.models import DataSource, DataSourceView
from tests.connections.sources import SOURCES
from tests.connectors.contract import FakeSource
from tests.factories import Tenant


@pytest.fixture(params=sorted(SOURCES))
def source_kind(request: pytest.FixtureRequest) -> str:
    kind: str = request.param
    return kind


@pytest.fixture
def fake(source_kind: str) -> Iterator[FakeSource]:
    with SOURCES[source_kind]() as started:
        yield started


def connect(tenant: Tenant, kind: str, fake: FakeSource, name: str = "") -> Connection:
    """A connection row as create_connection leaves it, without its first sync queued."""
    data_source = DataSource.objects.create(
        workspace=tenant.workspace, name=name or f"{kind} source", kind=kind
    )
    DataSourceView.objects.create(
        workspace=tenant.workspace, data_source=data_source, space=tenant.company_space
    )
    return Connection.objects.create(
        workspace=tenant.workspace,
        data_source=data_source,
        kind=kind,
        credentials_encrypted=encrypt_json(fake.credentials()),
        api_base_url=fake.url,
        # Pacing has its own test; here it would only make every sync crawl.
        requests_per_minute=600_000,
    )


@pytest.fixture
def connection(tenant: Tenant, source_kind: str, fake: FakeSource) -> Connection:
    return connect(tenant, source_kind, fake)


@pytest.fixture
def no_sleep() -> Any:
    """Connectors' retry waits, recorded instead of slept (the seconds still count)."""
    slept: list[float] = []
    return slept
