"""Stored answers follow access and deletion (issue 19): after each kind of change, the
reader who lost the source and one who did not read the same conversation API; the purge
is checked in the database, not only in responses."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import agents.tasks  # noqa: F401 (registers the tasks the layers below send by name)
from agents.models import Citation, Conversation, Message
from audit.selectors import list_audit_events
from common.tasks import send_task_now
from config.celery import app
from connectors.documents import AccessList
from knowledge.ingestion import ingest_documents, upsert_documents
from knowledge.models import Document
from knowledge.services import create_data_source_view, delete_data_source_view, delete_document
from tests.agents.conftest import make_agent, new_conversation, read_events
from tests.factories import Tenant
from tests.knowledge.conftest import doc, make_folder
from workspaces import services as workspace_services
from workspaces.models import Group, Membership, SpaceGrant

EXPENSES = "Submit travel expenses within 30 days of the trip; receipts are required."
FORECAST = "The revenue forecast for next year assumes eighteen percent growth in Europe."


def run_with_queued_tasks(capture: Any, change: Callable[[], object]) -> None:
    """Run `change`, then what it queued on commit, as a worker would: tasks sent by name
    run through Celery's own `apply` (and whatever they queue in turn)."""
    with capture(execute=False) as queued:
        change()
    pending = list(queued)
    while pending:
        callback = pending.pop(0)
        if isinstance(callback, functools.partial) and callback.func is send_task_now:
            with capture(execute=False) as more:
                app.tasks[callback.args[0]].apply(kwargs=callback.keywords["kwargs"], throw=True)
            pending.extend(more)
        else:
            callback()


def ask(api_as: Any, reader: Membership, agent: str, question: str) -> Conversation:
    conversation = new_conversation(reader)
    response = api_as(reader).post(
        f"workspaces/{reader.workspace_id}/conversations/{conversation.id}/messages",
        {"agent": agent, "content": question},
    )
    assert response.status_code == 201, response.content
    answer = response.json()["answer"]
    assert answer["citations"] and answer["status"] == "complete", answer
    return conversation


def read(api_as: Any, reader: Membership, conversation: Conversation) -> Any:
    return api_as(reader).get(f"workspaces/{reader.workspace_id}/conversations/{conversation.id}")


def answer_of(api_as: Any, reader: Membership, conversation: Conversation) -> dict[str, Any]:
    response = read(api_as, reader, conversation)
    assert response.status_code == 200, response.content
    return response.json()["messages"][-1]


@dataclass
class Scenario:
    loser: Membership
    keeper: Membership
    loser_conversation: Conversation
    keeper_conversation: Conversation
    change: Callable[[], object]
    loser_reads_the_conversation: bool = True  # False: it needed a space they left


def _setup(kind: str, tenant: Tenant, api_as: Any, embedder: Any) -> Scenario:
    handbook = make_folder(tenant, tenant.company_space.id, "Handbook")
    finance = make_folder(tenant, tenant.restricted_space.id, "Finance")
    make_agent(tenant.admin, "hb", [handbook])
    make_agent(tenant.builder, "fin", [finance])
    emails = (tenant.member.user.email, tenant.builder.user.email)
    access = {
        "acl": AccessList(public=False, emails=emails),
        "group": AccessList(public=False, group_ids=("eng@acme.test",)),
    }.get(kind, AccessList())
    ingest_documents(
        data_source=handbook.data_source,
        documents=[doc("expenses", "Expense policy", EXPENSES, access=access)],
        embeddings=embedder,
    )
    ingest_documents(
        data_source=finance.data_source,
        documents=[doc("forecast", "Forecast", FORECAST)],
        embeddings=embedder,
    )
    expenses = Document.objects.get(external_id="expenses")
    admin, member, builder = tenant.admin, tenant.member, tenant.builder
    if kind == "group":
        group = Group.objects.create(
            workspace=tenant.workspace, source="google_drive:1", external_id="eng@acme.test"
        )
        group.members.add(member, builder)
    loser, keeper = member, builder
    if kind == "view":
        # The handbook is in the company space and in Finance: removing the company view
        # closes it to everyone outside Finance, not to Finance's people.
        create_data_source_view(
            actor=admin, data_source_id=handbook.data_source_id, space_id=tenant.restricted_space.id
        )
        loser, keeper = tenant.outsider, member
    agent, question = ("fin", "revenue forecast growth") if kind == "grant" else ("hb", "expenses")
    if kind == "grant":
        loser, keeper = builder, member  # the builder's own grant goes; the member's group stays
    loser_conversation = ask(api_as, loser, agent, question)
    if kind == "delete":
        keeper_conversation = ask(api_as, keeper, "fin", "revenue forecast growth")
    else:
        keeper_conversation = ask(api_as, keeper, agent, question)
    grant = SpaceGrant.objects.filter(space=tenant.restricted_space, membership=builder).first()
    changes: dict[str, Callable[[], object]] = {
        "delete": lambda: delete_document(
            actor=admin, data_source_id=handbook.data_source_id, document_id=expenses.id
        ),
        "acl": lambda: upsert_documents(
            data_source=handbook.data_source,
            documents=[
                doc(
                    "expenses",
                    "Expense policy",
                    EXPENSES,
                    access=AccessList(public=False, emails=(builder.user.email,)),
                )
            ],
        ),
        "group": lambda: workspace_services.remove_group_member(
            actor=admin,
            group_id=Group.objects.get(external_id="eng@acme.test").id,
            membership_id=member.id,
        ),
        "grant": lambda: workspace_services.revoke_space_access(
            actor=admin, space_id=tenant.restricted_space.id, grant_id=grant.id if grant else 0
        ),
        "view": lambda: delete_data_source_view(actor=admin, view_id=handbook.id),
    }
    return Scenario(
        loser=loser,
        keeper=keeper,
        loser_conversation=loser_conversation,
        keeper_conversation=keeper_conversation,
        change=changes[kind],
        loser_reads_the_conversation=kind != "grant",
    )


KINDS = ["delete", "acl", "group", "grant", "view"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_change_takes_the_source_out_of_old_answers_for_who_lost_it_only(
    kind: str,
    tenant: Tenant,
    api_as: Any,
    embedder: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    scenario = _setup(kind, tenant, api_as, embedder)
    before = answer_of(api_as, scenario.loser, scenario.loser_conversation)
    assert before["citations"][0]["state"] == "available" and before["content"]

    run_with_queued_tasks(django_capture_on_commit_callbacks, scenario.change)

    if scenario.loser_reads_the_conversation:
        after = answer_of(api_as, scenario.loser, scenario.loser_conversation)
        assert after["content_withheld"] is True and after["content"] == ""
        assert after["sources_changed"] is True
        for citation in after["citations"]:
            assert citation["state"] == "unavailable"
            assert citation["title"] is None and citation["url"] is None
            assert citation["passage"] is None and citation["document_id"] is None
        assert "30 days" not in str(after) and "Expense policy" not in str(after)
    else:
        assert read(api_as, scenario.loser, scenario.loser_conversation).status_code == 404
    kept = answer_of(api_as, scenario.keeper, scenario.keeper_conversation)
    assert kept["content_withheld"] is False and kept["content"]
    assert {c["state"] for c in kept["citations"]} == {"available"}
    assert all(c["passage"] for c in kept["citations"])

    # The database keeps no copy of what the loser lost; the keeper's copies stay.
    lost = Citation.objects.filter(message__conversation=scenario.loser_conversation)
    assert lost.exists()
    for citation in lost:
        assert citation.purged_at is not None
        assert (citation.passage, citation.title, citation.url) == ("", "", "")
    assert not Message.objects.filter(
        conversation=scenario.loser_conversation, role="agent", sources_changed_at=None
    ).exists()
    for citation in Citation.objects.filter(message__conversation=scenario.keeper_conversation):
        assert citation.purged_at is None and citation.passage
    assert not Message.objects.filter(
        conversation=scenario.keeper_conversation, sources_changed_at__isnull=False
    ).exists()


def test_reads_recheck_access_before_any_purge_has_run(
    tenant: Tenant, api_as: Any, embedder: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The purge is queued on commit; a read in between must not show what was closed."""
    scenario = _setup("acl", tenant, api_as, embedder)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        scenario.change()
    assert any(
        isinstance(c, functools.partial) and c.args[0] == "agents.purge_revoked_citations"
        for c in queued
    )
    after = answer_of(api_as, scenario.loser, scenario.loser_conversation)
    assert after["citations"][0] == {
        "number": 1,
        "state": "unavailable",
        "title": None,
        "url": None,
        "passage": None,
        "document_id": None,
        "chunk_id": None,
        "attachment_id": None,
    }
    assert after["content_withheld"] is True
    assert Citation.objects.filter(purged_at__isnull=False).count() == 0  # not yet purged


def test_the_workspace_may_show_answers_whose_sources_were_closed(
    tenant: Tenant, api_as: Any, embedder: Any, django_capture_on_commit_callbacks: Any
) -> None:
    scenario = _setup("acl", tenant, api_as, embedder)
    run_with_queued_tasks(django_capture_on_commit_callbacks, scenario.change)
    path = f"workspaces/{tenant.workspace.id}"
    assert (
        api_as(tenant.member).patch(path, {"answers_with_revoked_sources": "show"}).status_code
        == 403
    )
    response = api_as(tenant.admin).patch(path, {"answers_with_revoked_sources": "show"})
    assert response.status_code == 200 and response.json()["answers_with_revoked_sources"] == "show"
    assert list_audit_events(
        workspace_id=tenant.workspace.id, action="workspace.answers_with_revoked_sources_changed"
    ).exists()
    after = answer_of(api_as, scenario.loser, scenario.loser_conversation)
    assert after["content_withheld"] is False and after["content"]
    assert after["citations"][0]["state"] == "unavailable"
    assert after["citations"][0]["passage"] is None


def test_a_changed_source_is_marked_and_links_to_its_current_version(
    tenant: Tenant, api_as: Any, embedder: Any
) -> None:
    handbook = make_folder(tenant, tenant.company_space.id, "Handbook")
    make_agent(tenant.admin, "hb", [handbook])
    ingest_documents(
        data_source=handbook.data_source,
        documents=[doc("expenses", "Expense policy", EXPENSES, url="https://wiki.example/v1")],
        embeddings=embedder,
    )
    conversation = ask(api_as, tenant.member, "hb", "expenses")
    upsert_documents(
        data_source=handbook.data_source,
        documents=[
            doc(
                "expenses",
                "Expense policy 2027",
                "Expenses are now due within 14 days.",
                url="https://wiki.example/v2",
            )
        ],
    )
    answer = answer_of(api_as, tenant.member, conversation)
    citation = answer["citations"][0]
    assert citation["state"] == "changed"
    assert citation["url"] == "https://wiki.example/v2"
    assert citation["title"] == "Expense policy 2027"
    assert "30 days" in citation["passage"]  # what the answer quoted, the reader may open
    assert answer["content_withheld"] is False and answer["sources_changed"] is True


def test_another_workspace_cannot_change_the_policy(
    tenant: Tenant, other_tenant: Tenant, api_as: Any
) -> None:
    response = api_as(other_tenant.admin).patch(
        f"workspaces/{tenant.workspace.id}", {"answers_with_revoked_sources": "show"}
    )
    assert response.status_code == 404
    tenant.workspace.refresh_from_db()
    assert tenant.workspace.answers_with_revoked_sources == "hide"


def test_the_answer_stream_ends_with_the_answer_as_checked_for_its_reader(
    tenant: Tenant, api_as: Any, embedder: Any
) -> None:
    handbook = make_folder(tenant, tenant.company_space.id, "Handbook")
    make_agent(tenant.admin, "hb", [handbook])
    ingest_documents(
        data_source=handbook.data_source,
        documents=[doc("expenses", "Expense policy", EXPENSES)],
        embeddings=embedder,
    )
    conversation = new_conversation(tenant.member)
    response = api_as(tenant.member).post(
        f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}/messages/stream",
        {"agent": "hb", "content": "expenses"},
    )
    events = read_events(response)
    streamed = [data for name, data in events if name == "citation"]
    (done,) = [data for name, data in events if name == "done"]
    assert streamed and {c["state"] for c in streamed} == {"available"}
    assert done["citations"] and {c["state"] for c in done["citations"]} == {"available"}
    assert done["content_withheld"] is False and done["reply_to_id"] is not None
    stored = Citation.objects.get(message_id=done["id"], number=1)
    assert stored.document_hash == Document.objects.get(external_id="expenses").content_hash
