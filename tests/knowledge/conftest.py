from __future__ import annotations

import pytest

from connectors.documents import AccessList, DocumentInput
from knowledge.ingestion import ingest_documents
from knowledge.models import DataSourceView
from knowledge.services import create_folder
from tests.factories import Tenant
from textpipeline.embedding import get_embeddings


@pytest.fixture(scope="session")
def embedder():
    return get_embeddings("local")


def make_folder(tenant: Tenant, space_id: int, name: str) -> DataSourceView:
    return create_folder(actor=tenant.admin, space_id=space_id, name=name)


def doc(external_id: str, title: str, text: str, **extra) -> DocumentInput:
    return DocumentInput(external_id=external_id, title=title, text=text, **extra)


__all__ = ["AccessList", "doc", "ingest_documents", "make_folder"]
