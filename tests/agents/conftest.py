from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from agents import services
from agents.models import Agent, Conversation, ModelProvider
from connectors.documents import AccessList
from knowledge.ingestion import ingest_documents
from knowledge.models import DataSourceView
from tests.factories import Tenant
from tests.fakes.openai.server import FakeOpenAI
from tests.knowledge.conftest import doc, make_folder
from textpipeline.embedding import get_embeddings
from workspaces.models import Membership

SALARY_TEXT = "Salary bands for engineers are reviewed every April by the pay committee."
SECRET_TEXT = "The acquisition of Initech closes on March 3rd for 42 million dollars."
FAKE_MODEL = "openai-compatible:gpt-4o-mini"


@pytest.fixture(scope="session")
def embedder() -> Any:
    return get_embeddings("local")


@pytest.fixture(autouse=True)
def quick_model_calls(settings: Any) -> None:
    settings.AGENT_MODEL_TIMEOUT_SECONDS = 5
    settings.AGENT_MODEL_MAX_RETRIES = 0


@dataclass
class Knowledge:
    handbook: DataSourceView  # company space; one document only member@ may open
    finance: DataSourceView  # restricted space


@pytest.fixture
def folders(tenant: Tenant) -> Knowledge:
    """The views alone, for tests that need no documents (no embedding cost)."""
    return Knowledge(
        make_folder(tenant, tenant.company_space.id, "Handbook"),
        make_folder(tenant, tenant.restricted_space.id, "Finance docs"),
    )


@pytest.fixture
def knowledge(folders: Knowledge, embedder: Any) -> Knowledge:
    handbook, finance = folders.handbook, folders.finance
    ingest_documents(
        data_source=handbook.data_source,
        documents=[
            doc(
                "expenses",
                "Expense policy",
                "Submit travel expenses within 30 days of the trip. Receipts are required.",
                url="https://wiki.example/expenses",
            ),
            doc("holidays", "Holidays", "The office closes between Christmas and New Year."),
            doc(
                "salaries",
                "Salary bands",
                SALARY_TEXT,
                access=AccessList(public=False, emails=("member@acme.test",)),
            ),
        ],
        embeddings=embedder,
    )
    ingest_documents(
        data_source=finance.data_source,
        documents=[doc("deal", "Acquisition", SECRET_TEXT)],
        embeddings=embedder,
    )
    return Knowledge(handbook, finance)


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def use_fake_model(tenant: Tenant, fake: FakeOpenAI) -> None:
    services.set_model_credential(
        actor=tenant.admin,
        provider=ModelProvider.OPENAI_COMPATIBLE,
        api_key="sk-test-0123456789abcdef",
        base_url=fake.base_url,
    )


def make_agent(
    actor: Membership,
    handle: str,
    views: list[DataSourceView],
    *,
    model_id: str = "",
    publish: bool = True,
    tools: tuple[str, ...] = ("search",),
) -> Agent:
    agent = services.create_agent(
        actor=actor,
        handle=handle,
        name=handle.title(),
        instructions="Answer briefly.",
        model_id=model_id,
        view_ids=[view.id for view in views],
        tools=tools,
    )
    return services.publish_agent(actor=actor, agent_id=agent.id) if publish else agent


def new_conversation(actor: Membership) -> Conversation:
    return services.create_conversation(actor=actor)


def read_events(response: Any) -> list[tuple[str, dict[str, Any]]]:
    """Parse a text/event-stream body into (event, data) pairs."""
    assert response["Content-Type"].startswith("text/event-stream")
    body = b"".join(response.streaming_content).decode()
    events = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], json.loads(fields["data"])))
    return events
