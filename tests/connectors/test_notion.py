"""The Notion connector against the fake Notion API, through the real notion-client."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from connectors.documents import Checkpoint, Deletion, DocumentInput
from connectors.errors import (
    ConnectorError,
    InvalidCredentials,
    RateLimited,
    TransientError,
    WebhookRejected,
)
from connectors.notion.connector import NotionConnector
from tests.connectors.contract import ConnectorContract, drain
from tests.fakes.http import Response
from tests.fakes.notion.server import (
    DEFAULT_DOCUMENT_COUNT,
    NOTION_VERSION,
    FakeNotion,
    bad_gateway,
    internal_server_error,
    rate_limited,
    service_unavailable,
)


class TestNotionContract(ConnectorContract):
    kind = "notion"

    @pytest.fixture
    def fake(self) -> Iterator[FakeNotion]:
        with FakeNotion() as started:
            yield started


@pytest.fixture
def fake() -> Iterator[FakeNotion]:
    """A fresh workspace, for tests that change it or inject faults."""
    with FakeNotion() as started:
        yield started


@pytest.fixture(scope="module")
def notion() -> Iterator[FakeNotion]:
    """One workspace for the tests that only read it (each fake costs half a second to stop)."""
    with FakeNotion() as started:
        yield started


def connect(fake: FakeNotion, **options: Any) -> NotionConnector:
    options.setdefault("sleep", lambda seconds: None)
    return NotionConnector(fake.credentials(), base_url=fake.url, **options)


def fetch(fake: FakeNotion, title: str) -> DocumentInput:
    document = connect(fake).fetch_document(fake.workspace.named[title])
    assert isinstance(document, DocumentInput)
    return document


# --- the wire --------------------------------------------------------------------------------


def test_the_sdk_speaks_the_api_version_the_fake_serves(notion: FakeNotion) -> None:
    account = connect(notion).validate_credentials()
    assert account.name == "Acme Robotics" and account.id == notion.workspace.bot["id"]
    assert notion.notion_versions == {NOTION_VERSION}


@pytest.mark.parametrize(
    ("fault", "expected", "slept"),
    [
        (lambda: rate_limited(5), RateLimited, [5.0]),
        (internal_server_error, TransientError, None),
        (service_unavailable, TransientError, None),
        (bad_gateway, TransientError, None),
    ],
)
def test_every_notion_fault_is_retried_then_reported(
    fake: FakeNotion,
    fault: Callable[[], Response],
    expected: type[ConnectorError],
    slept: list[float] | None,
) -> None:
    sleeps: list[float] = []
    fake.inject_faults(1.0, fault)
    connector = connect(fake, sleep=sleeps.append, max_attempts=2)
    with pytest.raises(expected):
        connector.validate_credentials()
    assert fake.faults_served == 2, "the SDK's own retries must be off: one policy, ours"
    assert len(sleeps) == 1 and (slept is None or sleeps == slept)


def test_a_revoked_token_is_invalid_credentials(fake: FakeNotion) -> None:
    fake.revoke_credentials()
    with pytest.raises(InvalidCredentials):
        connect(fake).fetch_document(fake.workspace.named["Engineering"])


# --- text --------------------------------------------------------------------------------------

CODING_GUIDELINES = """\
# Coding Guidelines

Run `make lint` before pushing; see the [style guide](https://peps.python.org/pep-0008/).

## Rules

- Names say what things are
  - No abbreviations
    - Except id and url
- Comments say why
1. Write the test
2. Make it pass
  1. Keep the diff small
3. Refactor
- [x] Read the architecture overview
- [ ] Pair on a code review
Why type hints?
  They document intent and catch mistakes early.

```python
def greet(name: str) -> str:
    return f'Hello {name}'
```

A typed function

> Simple is better than complex.

> ⚠️ Formatting is automatic: never argue about it.

---

| Tool | Purpose |
| --- | --- |
| ruff | lint \\| format |
| mypy | types |

[Python documentation](https://docs.python.org/3/)

$$ p_{99} \\leq 250\\,\\text{ms} $$

[Image: Review flow](https://images.acme-robotics.example/review-flow.png)

Left column: do

Right column: don't"""


def test_blocks_become_structured_markdown(notion: FakeNotion) -> None:
    document = fetch(notion, "Coding Guidelines")
    assert document.text == CODING_GUIDELINES
    assert document.title == "Coding Guidelines" and document.mime_type == "text/markdown"
    assert document.breadcrumb == ["Engineering"]
    assert document.parents == [notion.workspace.named["Engineering"]]
    assert document.url.startswith("https://www.notion.so/Coding-Guidelines-")
    assert document.source_updated_at is not None and document.source_updated_at.tzinfo


def test_child_pages_and_databases_are_references_not_content(notion: FakeNotion) -> None:
    text = fetch(notion, "Engineering").text
    assert "Page: Architecture" in text and "Database: Engineering Roadmap" in text
    assert "Billing Service" not in text, "a child page's own content is its own document"


def test_long_pages_and_long_toggles_are_read_past_the_first_page(notion: FakeNotion) -> None:
    changelog = fetch(notion, "Changelog").text
    assert changelog.startswith("### Release 3.40") and "### Release 3.1\n" in changelog
    assert changelog.count("### Release") == 40
    glossary = fetch(notion, "Glossary").text
    assert glossary.count("\n  Term ") == 120 and "  Term 120: " in glossary
    paged = [
        request
        for request in notion.requests
        if request.path.endswith("/children") and "start_cursor" in request.query
    ]
    assert len(paged) >= 2, "both the page's blocks and the toggle's children span two pages"


def test_a_database_row_reads_as_its_properties_then_its_body(notion: FakeNotion) -> None:
    row_id = notion.workspace.named["roadmap row"]
    document = connect(notion).fetch_document(row_id)
    assert isinstance(document, DocumentInput)
    lines = document.text.splitlines()
    assert lines[0] == f"Name: {document.title}"
    properties = dict(line.split(": ", 1) for line in lines[1:10])
    assert set(properties) == {
        "Status",
        "Owner",
        "Priority",
        "Tags",
        "Due",
        "Estimate (days)",
        "Shipped",
        "Spec",
        "ID",
    }
    assert properties["ID"] == "ENG-1" and properties["Shipped"] in ("Yes", "No")
    assert ", " in properties["Tags"] and properties["Due"].startswith("2025-")
    assert "Related" not in document.text, "an empty relation says nothing"
    assert "- [ ] Ship behind a flag" in document.text or "- [x] Ship behind a flag" in (
        document.text
    )
    assert document.text.endswith(f"Page: {document.title}: Design Notes")
    named = notion.workspace.named
    assert document.parents == [named["Engineering Roadmap"], named["Engineering"]]
    assert document.breadcrumb == ["Engineering Roadmap", "Engineering"]


def test_a_data_source_is_a_document_of_its_columns(notion: FakeNotion) -> None:
    named = notion.workspace.named
    document = connect(notion).fetch_document(named["Open Roles"])
    assert isinstance(document, DocumentInput)
    assert document.title == "Open Roles"
    assert "- Location (multi_select: Berlin, Lisbon, Remote, Munich)" in document.text
    assert document.parents == [named["Hiring Pipeline"], named["Hiring"], named["People and HR"]]
    assert document.breadcrumb == ["Hiring Pipeline", "Hiring", "People and HR"]


def test_rows_of_a_database_at_the_top_have_only_the_database_above(notion: FakeNotion) -> None:
    directory = notion.workspace.named["Team Directory"]
    drained = drain(connect(notion).full_sync([directory]))
    rows = [document for document in drained.documents if "Email: " in document.text]
    assert len(rows) == 12 and len(drained.documents) == 13, "its rows and its data source"
    assert all(row.parents == [directory] for row in rows)
    assert all(row.breadcrumb == ["Team Directory"] for row in rows)


def test_a_page_inside_a_toggle_has_the_page_around_the_toggle_as_parent(
    notion: FakeNotion,
) -> None:
    document = fetch(notion, "Legacy Deploy Process")
    named = notion.workspace.named
    assert document.parents == [named["Runbooks"], named["Engineering"]]


# --- hierarchy and selection -------------------------------------------------------------------


def test_the_picker_shows_team_pages_then_their_pages_and_databases(notion: FakeNotion) -> None:
    connector = connect(notion)
    top = {node.title: node for node in connector.list_hierarchy()}
    teams = {"Company Home", "Engineering", "Product", "Sales", "People and HR", "Marketing"}
    assert set(top) == teams | {"Team Directory"}
    assert all(top[team].kind == "page" and top[team].has_children for team in teams)
    directory = top["Team Directory"]
    assert directory.kind == "database" and not directory.has_children
    assert directory.id == notion.workspace.named["Team Directory"]
    engineering = {node.title: node for node in connector.list_hierarchy(top["Engineering"].id)}
    assert engineering["Engineering Roadmap"].kind == "database"
    assert not engineering["Engineering Roadmap"].has_children
    assert engineering["Architecture"].kind == "page" and engineering["Architecture"].has_children
    runbooks = connector.list_hierarchy(notion.workspace.named["Runbooks"])
    assert "Legacy Deploy Process" in {node.title for node in runbooks}, "found inside a toggle"


def test_selecting_a_page_syncs_it_and_everything_below(notion: FakeNotion) -> None:
    architecture = notion.workspace.named["Architecture"]
    drained = drain(connect(notion).full_sync([architecture]))
    expected = notion.expected_external_ids([architecture])
    assert architecture in expected and len(expected) > 6
    assert set(drained.ids) == expected
    assert all(
        document.external_id == architecture or architecture in document.parents
        for document in drained.documents
    )


def test_an_unreadable_page_is_a_failure_and_the_sync_goes_on(fake: FakeNotion) -> None:
    restricted = fake.workspace.named["Billing Service"]
    fake.restrict_page(restricted)
    drained = drain(connect(fake).full_sync(()))
    assert [failure.external_id for failure in drained.failures] == [restricted]
    assert drained.failures[0].code == "item_unavailable"
    assert set(drained.ids) == fake.expected_external_ids() - {restricted}


# --- changes -----------------------------------------------------------------------------------


def test_a_trashed_page_is_a_deletion(fake: FakeNotion) -> None:
    cursor = drain(connect(fake).full_sync(())).cursor
    assert cursor is not None
    trashed = fake.workspace.named["Berlin Office"]
    fake.trash_page(trashed)
    assert connect(fake).fetch_document(trashed) == Deletion(trashed)
    drained = drain(connect(fake).incremental_sync((), cursor))
    assert drained.deletions == [Deletion(trashed)] and not drained.documents
    office_guides = fetch(fake, "Office Guides").text
    assert "Page: Berlin Office" not in office_guides


def test_an_unknown_id_is_a_deletion(notion: FakeNotion) -> None:
    gone = "00000000-0000-4000-8000-000000000000"
    assert connect(notion).fetch_document(gone) == Deletion(gone)


def test_an_incremental_sync_reads_only_the_changed_pages(fake: FakeNotion) -> None:
    cursor = drain(connect(fake).full_sync(())).cursor
    assert cursor is not None
    fake.requests.clear()
    mutation = fake.mutate()
    drained = drain(connect(fake).incremental_sync((), cursor))
    assert set(drained.ids) == mutation.changed | mutation.added
    assert {deletion.external_id for deletion in drained.deletions} == mutation.deleted
    searches = [request for request in fake.requests if request.path == "/v1/search"]
    assert len(searches) == 1, "it stops at the cursor instead of paging through everything"
    assert searches[0].json()["sort"] == {
        "timestamp": "last_edited_time",
        "direction": "descending",
    }
    assert isinstance(drained.cursor, dict) and drained.cursor["edited_since"]
    json.dumps(drained.cursor)  # stored as JSON by the framework


def test_edits_in_the_overlap_are_read_once_and_none_is_missed(fake: FakeNotion) -> None:
    """Notion stamps edits to the minute: the cursor overlaps the last minutes and remembers
    which versions it already read there."""
    cursor = drain(connect(fake).full_sync(())).cursor
    named = fake.workspace.named
    fake.edit_page(named["Berlin Office"], "Moved to the second floor.")
    first = drain(connect(fake).incremental_sync((), cursor or {}))
    assert first.ids == [named["Berlin Office"]]
    fake.edit_page(named["Lisbon Office"], "New coffee machine.")  # most likely the same minute
    second = drain(connect(fake).incremental_sync((), first.cursor or {}))
    assert second.ids == [named["Lisbon Office"]]
    assert "New coffee machine." in second.documents[0].text
    assert drain(connect(fake).incremental_sync((), second.cursor or {})).ids == []


def test_checkpoints_are_json_and_name_the_next_search_page(notion: FakeNotion) -> None:
    first = drain(connect(notion).full_sync(()), stop_after_checkpoints=1)
    [checkpoint] = first.checkpoints
    assert isinstance(checkpoint, Checkpoint)
    state = json.loads(json.dumps(checkpoint.state))
    assert state["search_cursor"] and not state["finished"]
    assert len(state["handled"]) <= 5, "only versions inside the coming overlap are kept"
    assert len(first.ids) == 100, "one search page of 100 results"


# --- webhooks ----------------------------------------------------------------------------------


def signed(fake: FakeNotion, event: dict[str, Any]) -> tuple[dict[str, str], bytes]:
    body = json.dumps(event).encode()
    digest = hmac.new(fake.verification_token.encode(), body, hashlib.sha256).hexdigest()
    return {"x-notion-signature": f"sha256={digest}"}, body


def event(event_type: str, entity_id: str) -> dict[str, Any]:
    kind = event_type.split(".")[0]
    return {
        "id": f"event-{event_type}",
        "type": event_type,
        "entity": {"id": entity_id, "type": kind},
    }


def test_signed_webhooks_name_what_to_fetch_or_remove(notion: FakeNotion) -> None:
    credentials = notion.credentials()
    page_id = notion.workspace.named["Runbooks"]
    headers, body = notion.signed_webhook()
    result = NotionConnector.handle_webhook(credentials=credentials, headers=headers, body=body)
    assert result.changed_ids == [page_id] and result.event_id

    headers, body = signed(notion, event("page.deleted", page_id))
    result = NotionConnector.handle_webhook(credentials=credentials, headers=headers, body=body)
    assert result.deleted_ids == [page_id] and not result.changed_ids

    headers, body = signed(notion, event("database.updated", notion.selectable_id()))
    result = NotionConnector.handle_webhook(credentials=credentials, headers=headers, body=body)
    assert result.sync_needed

    headers, body = signed(notion, event("comment.created", page_id))
    result = NotionConnector.handle_webhook(credentials=credentials, headers=headers, body=body)
    assert not (result.changed_ids or result.deleted_ids or result.sync_needed)


def test_webhooks_without_a_valid_signature_are_rejected(notion: FakeNotion) -> None:
    credentials = notion.credentials()
    headers, body = notion.signed_webhook()
    with pytest.raises(WebhookRejected):
        NotionConnector.handle_webhook(credentials=credentials, headers={}, body=body)
    with pytest.raises(WebhookRejected):
        NotionConnector.handle_webhook(
            credentials={"integration_token": notion.token}, headers=headers, body=body
        )
    with pytest.raises(WebhookRejected):
        NotionConnector.handle_webhook(credentials=credentials, headers=headers, body=b"{}")


def test_the_subscription_handshake_is_answered_and_changes_nothing() -> None:
    body = json.dumps({"verification_token": "secret_abc"}).encode()
    result = NotionConnector.handle_webhook(credentials={}, headers={}, body=body)
    assert result.response == {"ok": True}
    assert not (result.changed_ids or result.deleted_ids or result.sync_needed)


# --- the benchmark's workspace -----------------------------------------------------------------


def test_the_big_workspace_has_about_two_thousand_documents() -> None:
    assert len(FakeNotion().expected_external_ids()) == DEFAULT_DOCUMENT_COUNT
    assert len(FakeNotion.big().expected_external_ids()) == 2_000
    assert len(FakeNotion(pages=5_000).expected_external_ids()) == 5_000
