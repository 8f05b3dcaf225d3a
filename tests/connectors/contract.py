"""The contract every connector's tests inherit.

A connector's test module subclasses `ConnectorContract` and provides one fixture, `fake`,
yielding a started fake server that implements `FakeSource`, seeded with a realistic
workspace. These tests are plain Python (no database): they drive the connector's generators
directly, as the framework does. The framework's own tests (locking, kill -9, access lists)
run every connector through the database and real workers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

import pytest

from connectors.base import Connector, SyncGenerator
from connectors.documents import (
    Checkpoint,
    Deletion,
    DocumentInput,
    HierarchyNode,
    ItemFailure,
    SyncItem,
)
from connectors.errors import InvalidCredentials, WebhookRejected
from connectors.registry import connector_class

# Each provider's own documentation sites, where credential help links must point.
PROVIDER_DOCUMENTATION_HOSTS = {
    "slack": {"api.slack.com", "docs.slack.dev"},
    "notion": {"developers.notion.com"},
    "github": {"docs.github.com"},
    "google_drive": {"cloud.google.com", "developers.google.com", "support.google.com"},
}


@dataclass
class Mutation:
    """What `FakeSource.mutate` changed at the source, as external document ids."""

    changed: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)


class FakeSource(Protocol):
    url: str
    faults_served: int

    def credentials(self) -> dict[str, Any]:
        """Valid credentials for this fake (pass `base_url=fake.url` to the connector)."""

    def revoke_credentials(self) -> None:
        """From now on the source answers as it does for a revoked token."""

    def inject_transient_faults(self, rate: float, retry_after: int = 1) -> None:
        """Answer this share of requests with the source's 429 (with Retry-After) or 5xx."""

    def clear_faults(self) -> None: ...

    def expected_external_ids(self, selected_ids: Sequence[str] = ()) -> set[str]:
        """The document ids a full sync of this selection must yield (empty: everything)."""

    def selectable_id(self) -> str:
        """A hierarchy node id whose documents are a strict, non-empty subset of all."""

    def mutate(self) -> Mutation:
        """Edit some items, add some, delete some; later requests see the new state."""

    def forged_webhook(self) -> tuple[dict[str, str], bytes]:
        """Headers and body of a delivery with a wrong signature (webhook connectors)."""

    def signed_webhook(self) -> tuple[dict[str, str], bytes]:
        """Headers and body of a correctly signed delivery (webhook connectors)."""


@dataclass
class Drained:
    documents: list[DocumentInput] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    cursor: Mapping[str, Any] | None = None

    @property
    def ids(self) -> list[str]:
        return [document.external_id for document in self.documents]


def drain(generator: SyncGenerator, stop_after_checkpoints: int | None = None) -> Drained:
    """Run a sync generator as the framework does; optionally stop at a checkpoint (as if
    the worker died right after saving it)."""
    drained = Drained()
    while True:
        try:
            item: SyncItem = next(generator)
        except StopIteration as finished:
            drained.cursor = finished.value
            return drained
        if isinstance(item, DocumentInput):
            drained.documents.append(item)
        elif isinstance(item, Deletion):
            drained.deletions.append(item)
        elif isinstance(item, ItemFailure):
            drained.failures.append(item)
        elif isinstance(item, Checkpoint):
            drained.checkpoints.append(item)
            if stop_after_checkpoints and len(drained.checkpoints) >= stop_after_checkpoints:
                generator.close()
                return drained


class ConnectorContract:
    kind: ClassVar[str]

    @pytest.fixture
    def fake(self) -> Iterator[FakeSource]:
        raise NotImplementedError("the connector's test module provides a seeded fake")

    def make(self, fake: FakeSource, **options: Any) -> Connector:
        options.setdefault("sleep", self.recorded_sleeps.append)
        return connector_class(self.kind)(fake.credentials(), base_url=fake.url, **options)

    @pytest.fixture(autouse=True)
    def _sleeps(self) -> None:
        self.recorded_sleeps: list[float] = []

    def full(self, fake: FakeSource, selected: Sequence[str] = ()) -> Drained:
        return drain(self.make(fake).full_sync(selected))

    # --- credentials and the picker -----------------------------------------------------

    def test_valid_credentials_name_the_account(self, fake: FakeSource) -> None:
        account = self.make(fake).validate_credentials()
        assert account.id and account.name

    def test_every_credential_field_says_where_to_find_it(self) -> None:
        cls = connector_class(self.kind)
        assert set(cls.credential_help) == set(cls.credential_fields)
        for name, help_ in cls.credential_help.items():
            assert help_.label and len(help_.help) > 20, name
            host = urlsplit(help_.url).hostname or ""
            assert urlsplit(help_.url).scheme == "https", name
            assert host.removeprefix("www.") in PROVIDER_DOCUMENTATION_HOSTS[self.kind], name

    def test_revoked_credentials_are_reported_as_such(self, fake: FakeSource) -> None:
        fake.revoke_credentials()
        with pytest.raises(InvalidCredentials) as raised:
            self.make(fake).validate_credentials()
        assert raised.value.message

    def test_hierarchy_lists_pickable_parts(self, fake: FakeSource) -> None:
        connector = self.make(fake)
        top = connector.list_hierarchy()
        assert top and len({node.id for node in top}) == len(top)
        assert all(isinstance(node, HierarchyNode) and node.title for node in top)
        expandable = [node for node in top if node.has_children]
        if expandable:
            children = connector.list_hierarchy(expandable[0].id)
            assert children and all(child.parent_id == expandable[0].id for child in children)

    # --- full sync ------------------------------------------------------------------------

    def test_full_sync_yields_every_document_once(self, fake: FakeSource) -> None:
        drained = self.full(fake)
        assert len(drained.ids) == len(set(drained.ids)), "a document was yielded twice"
        assert set(drained.ids) == fake.expected_external_ids()
        assert len(drained.ids) >= 100, "the fake workspace should be realistic in size"
        assert drained.checkpoints, "a checkpoint after every page"
        assert drained.cursor is not None
        for document in drained.documents:
            assert document.title.strip() and document.text.strip()

    def test_selection_limits_the_sync(self, fake: FakeSource) -> None:
        selected = fake.selectable_id()
        drained = self.full(fake, [selected])
        expected = fake.expected_external_ids([selected])
        assert expected and expected < fake.expected_external_ids()
        assert set(drained.ids) == expected
        assert all(
            selected in document.parents or document.external_id == selected
            for document in drained.documents
        )

    def test_a_killed_sync_resumes_from_its_checkpoint(self, fake: FakeSource) -> None:
        first = drain(self.make(fake).full_sync(()), stop_after_checkpoints=2)
        assert len(first.checkpoints) == 2
        resumed = self.make(fake).full_sync((), resume=first.checkpoints[-1].state)
        rest = drain(resumed)
        assert set(first.ids) | set(rest.ids) == fake.expected_external_ids()
        assert not set(first.ids) & set(rest.ids), "resuming repeated finished pages"

    def test_rate_limits_and_server_errors_lose_nothing(self, fake: FakeSource) -> None:
        fake.inject_transient_faults(rate=0.3, retry_after=3)
        drained = self.full(fake)
        fake.clear_faults()
        assert fake.faults_served > 0
        assert set(drained.ids) == fake.expected_external_ids()
        assert 3.0 in self.recorded_sleeps, "Retry-After was not honoured"

    def test_revoked_mid_sync_stops_with_invalid_credentials(self, fake: FakeSource) -> None:
        generator = self.make(fake).full_sync(())
        next(generator)
        fake.revoke_credentials()
        with pytest.raises(InvalidCredentials):
            drain(generator)

    # --- incremental sync and single items ----------------------------------------------

    def test_incremental_sync_sees_changes_additions_and_deletions(self, fake: FakeSource) -> None:
        cursor = self.full(fake).cursor
        assert cursor is not None
        mutation = fake.mutate()
        drained = drain(self.make(fake).incremental_sync((), cursor))
        yielded = set(drained.ids)
        assert mutation.changed | mutation.added <= yielded
        assert mutation.deleted <= {deletion.external_id for deletion in drained.deletions}
        untouched = fake.expected_external_ids() - mutation.changed - mutation.added
        assert len(yielded & untouched) <= len(untouched) // 10, "incremental re-read it all"
        assert drained.cursor is not None
        again = drain(self.make(fake).incremental_sync((), drained.cursor))
        assert not again.deletions and len(again.ids) <= len(untouched) // 10

    def test_fetch_document_reads_one_item_or_reports_it_gone(self, fake: FakeSource) -> None:
        some_id = sorted(fake.expected_external_ids())[0]
        document = self.make(fake).fetch_document(some_id)
        assert isinstance(document, DocumentInput) and document.external_id == some_id
        mutation = fake.mutate()
        gone = sorted(mutation.deleted)[0]
        assert self.make(fake).fetch_document(gone) == Deletion(gone)

    # --- webhooks -----------------------------------------------------------------------

    def test_forged_webhooks_are_rejected(self, fake: FakeSource) -> None:
        cls = connector_class(self.kind)
        if not cls.handles_webhooks:
            pytest.skip(f"{self.kind} takes no webhooks")  # not a hidden failure: no such path
        headers, body = fake.forged_webhook()
        with pytest.raises(WebhookRejected) as raised:
            cls.handle_webhook(credentials=fake.credentials(), headers=headers, body=body)
        assert raised.value.status in (400, 401)
        headers, body = fake.signed_webhook()
        result = cls.handle_webhook(credentials=fake.credentials(), headers=headers, body=body)
        assert result.event_id or result.response
