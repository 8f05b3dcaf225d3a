"""Every list route answers in a fixed number of queries, however many rows it lists: each
case lists one row, then four, and the two requests must cost the same (no N+1). A new list
route fails `test_every_list_route_has_a_query_count_guard` until a case is added here."""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents import services as agent_services
from agents.models import ModelProvider
from agents.services.attachments import upload_attachments
from common.crypto import encrypt_json
from connections.models import Connection, SyncMode, SyncRun, SyncStatus
from connectors.documents import DocumentInput
from knowledge.ingestion import ingest_documents, upsert_documents
from knowledge.models import DataSource, DataSourceView
from knowledge.services import UploadedFile, create_folder
from privacy.models import RequestKind
from privacy.services import request_data_subject_action
from retention.services import place_legal_hold
from scim.services import create_scim_token
from sso.services import claim_domain
from tests.factories import Tenant, make_member, make_user
from textpipeline.embedding import get_embeddings
from workspaces import services as workspace_services
from workspaces.models import Role

PREFIX = "/api/v1"
# Lists that do not come from the database: the connector registry, and the picker's nodes,
# which come from the source's API.
NOT_FROM_THE_DATABASE = {
    "/workspaces/{workspace_id}/connectors",
    "/workspaces/{workspace_id}/connections/{connection_id}/hierarchy",
}
_numbers = itertools.count(1)


@dataclass
class Case:
    path: str  # under /api/v1, with the ids filled in
    add: Callable[[int], None]  # adds that many rows of what the route lists
    items: Callable[[Any], int] = len  # how many the answer lists


def _n() -> int:
    return next(_numbers)


def _connection(t: Tenant) -> Connection:
    source = DataSource.objects.create(workspace=t.workspace, name=f"Slack {_n()}", kind="slack")
    DataSourceView.objects.create(workspace=t.workspace, data_source=source, space=t.company_space)
    return Connection.objects.create(
        workspace=t.workspace,
        data_source=source,
        kind="slack",
        credentials_encrypted=encrypt_json({"bot_token": "xoxb-1", "signing_secret": "s"}),
    )


def _sync_run(connection: Connection, t: Tenant) -> SyncRun:
    return SyncRun.objects.create(
        workspace=t.workspace,
        connection=connection,
        mode=SyncMode.FULL,
        status=SyncStatus.SUCCEEDED,  # one queued run per connection at a time
        requested_by=t.admin,
        errors=[{"external_id": "x", "title": "X", "code": "c", "message": "m"}],
    )


def _documents(source: DataSource, count: int, text: str = "alpha") -> list[DocumentInput]:
    return [
        DocumentInput(external_id=f"file:{number}.txt", title=f"Doc {number}", text=text)
        for number in (_n() for _ in range(count))
    ]


def _cases(t: Tenant) -> dict[str, Callable[[], Case]]:
    ws = f"workspaces/{t.workspace.id}"
    admin = t.admin

    def repeat(make: Callable[[], object]) -> Callable[[int], None]:
        return lambda count: [make() for _ in range(count)] and None

    def privacy_request() -> None:
        subject = make_member(t.workspace, f"subject{_n()}@acme.test")
        request_data_subject_action(actor=admin, kind=RequestKind.EXPORT, member_id=subject.id)

    def new_workspace() -> None:
        workspace_services.create_workspace(name=f"Other {_n()}", creator=admin.user)

    def invitation_to_me() -> None:
        creator = make_user(f"owner{_n()}@elsewhere.test")
        workspace = workspace_services.create_workspace(name=f"Inviting {_n()}", creator=creator)
        inviter = workspace.memberships.get(user=creator)
        workspace_services.create_invitation(
            actor=inviter, email=admin.user.email, role=Role.MEMBER
        )

    def group_with_a_member() -> None:
        group = workspace_services.create_group(actor=admin, name=f"Group {_n()}")
        person = make_member(t.workspace, f"grouped{_n()}@acme.test")
        workspace_services.add_group_member(actor=admin, group_id=group.id, membership_id=person.id)

    def grant() -> None:
        person = make_member(t.workspace, f"granted{_n()}@acme.test")
        workspace_services.grant_space_access(
            actor=admin, space_id=t.restricted_space.id, membership_id=person.id
        )

    def folder_with_documents() -> None:
        view = create_folder(actor=admin, space_id=t.company_space.id, name=f"Folder {_n()}")
        upsert_documents(data_source=view.data_source, documents=_documents(view.data_source, 2))

    def agent() -> None:
        view = create_folder(actor=admin, space_id=t.company_space.id, name=f"Agent data {_n()}")
        made = agent_services.create_agent(
            actor=t.builder,
            handle=f"agent-{_n()}",
            name="Agent",
            view_ids=[view.id],
            editor_ids=[admin.id],
        )
        agent_services.publish_agent(actor=t.builder, agent_id=made.id)

    def versions() -> Case:
        versioned = agent_services.create_agent(actor=t.builder, handle="versioned", name="V0")

        def version() -> None:
            agent_services.update_agent(actor=t.builder, agent_id=versioned.id, name=f"V{_n()}")

        return Case(f"{ws}/agents/{versioned.id}/versions", repeat(version))

    providers = iter(
        [ModelProvider.OPENAI, ModelProvider.ANTHROPIC, ModelProvider.GOOGLE, ModelProvider.MISTRAL]
    )

    def credential() -> None:
        agent_services.set_model_credential(
            actor=admin, provider=next(providers), api_key="sk-0123456789abcdef"
        )

    def conversation() -> None:
        agent_services.create_conversation(actor=admin, title=f"Chat {_n()}")

    def connection_with_a_run() -> None:
        _sync_run(_connection(t), t)

    def attachments() -> Case:
        attached_to = agent_services.create_conversation(actor=admin, title="Attached")

        def attachment() -> None:
            content = b"# Notes"
            upload_attachments(
                actor=admin,
                conversation_id=attached_to.id,
                files=[UploadedFile(f"{_n()}.md", "text/markdown", 7, io.BytesIO(content))],
            )

        return Case(f"{ws}/conversations/{attached_to.id}/attachments", repeat(attachment))

    def sync_runs() -> Case:
        synced = _connection(t)
        return Case(f"{ws}/connections/{synced.id}/syncs", repeat(lambda: _sync_run(synced, t)))

    def listed_documents() -> Case:
        folder = create_folder(actor=admin, space_id=t.company_space.id, name="Listed documents")

        def documents(count: int) -> None:
            upsert_documents(
                data_source=folder.data_source, documents=_documents(folder.data_source, count)
            )

        return Case(f"{ws}/data-sources/{folder.data_source_id}/documents", documents, page)

    def search() -> Case:
        searched = create_folder(actor=admin, space_id=t.company_space.id, name="Searched")
        embeddings = get_embeddings("local")

        def searchable(count: int) -> None:
            ingest_documents(
                data_source=searched.data_source,
                documents=_documents(searched.data_source, count, "alpha bravo charlie"),
                embeddings=embeddings,
            )

        return Case(f"{ws}/search?query=alpha&mode=full_text", searchable)

    def page(answer: Any) -> int:
        return len(answer["items"])

    return {
        "/workspaces": lambda: Case("workspaces", repeat(new_workspace)),
        "/me/invitations": lambda: Case("me/invitations", repeat(invitation_to_me)),
        "/workspaces/{workspace_id}/members": lambda: Case(
            f"{ws}/members", repeat(lambda: make_member(t.workspace, f"m{_n()}@acme.test"))
        ),
        "/workspaces/{workspace_id}/groups": lambda: Case(
            f"{ws}/groups", repeat(group_with_a_member)
        ),
        "/workspaces/{workspace_id}/invitations": lambda: Case(
            f"{ws}/invitations",
            repeat(
                lambda: workspace_services.create_invitation(
                    actor=admin, email=f"invitee{_n()}@acme.test", role=Role.MEMBER
                )
            ),
        ),
        "/workspaces/{workspace_id}/spaces": lambda: Case(
            f"{ws}/spaces",
            repeat(lambda: workspace_services.create_space(actor=admin, name=f"Space {_n()}")),
        ),
        "/workspaces/{workspace_id}/spaces/{space_id}/grants": lambda: Case(
            f"{ws}/spaces/{t.restricted_space.id}/grants", repeat(grant)
        ),
        "/workspaces/{workspace_id}/api-tokens": lambda: Case(
            f"{ws}/api-tokens",
            repeat(lambda: workspace_services.create_api_token(actor=admin, name=f"t{_n()}")),
        ),
        "/workspaces/{workspace_id}/audit-events": lambda: Case(
            f"{ws}/audit-events",
            repeat(lambda: workspace_services.create_api_token(actor=admin, name=f"a{_n()}")),
            page,
        ),
        "/workspaces/{workspace_id}/data-sources": lambda: Case(
            f"{ws}/data-sources", repeat(folder_with_documents)
        ),
        "/workspaces/{workspace_id}/views": lambda: Case(
            f"{ws}/views", repeat(folder_with_documents)
        ),
        "/workspaces/{workspace_id}/data-sources/{data_source_id}/documents": listed_documents,
        "/workspaces/{workspace_id}/search": search,
        "/workspaces/{workspace_id}/agents": lambda: Case(f"{ws}/agents", repeat(agent)),
        "/workspaces/{workspace_id}/agents/{agent_id}/versions": versions,
        "/workspaces/{workspace_id}/model-credentials": lambda: Case(
            f"{ws}/model-credentials", repeat(credential)
        ),
        "/workspaces/{workspace_id}/conversations": lambda: Case(
            f"{ws}/conversations", repeat(conversation)
        ),
        "/workspaces/{workspace_id}/connections": lambda: Case(
            f"{ws}/connections", repeat(connection_with_a_run)
        ),
        "/workspaces/{workspace_id}/connections/{connection_id}/syncs": sync_runs,
        "/workspaces/{workspace_id}/legal-holds": lambda: Case(
            f"{ws}/legal-holds",
            repeat(
                lambda: place_legal_hold(
                    actor=admin,
                    reason="Case",
                    membership_id=make_member(t.workspace, f"held{_n()}@acme.test").id,
                )
            ),
        ),
        "/workspaces/{workspace_id}/privacy/requests": lambda: Case(
            f"{ws}/privacy/requests", repeat(privacy_request), page
        ),
        "/workspaces/{workspace_id}/scim/tokens": lambda: Case(
            f"{ws}/scim/tokens",
            repeat(lambda: create_scim_token(actor=admin, name=f"s{_n()}")),
        ),
        "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments": attachments,
        "/workspaces/{workspace_id}/sso/domains": lambda: Case(
            f"{ws}/sso/domains",
            repeat(lambda: claim_domain(actor=admin, domain=f"d{_n()}.acme.test")),
        ),
    }


def list_routes() -> set[str]:
    """GET routes whose answer is a list or a page, from the live router."""
    from config.router import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = set()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None:
            continue
        content = operation["responses"].get(200, {}).get("content", {})
        answer = content.get("application/json", {}).get("schema", {})
        if "$ref" in answer:
            answer = components[answer["$ref"].rsplit("/", 1)[-1]]
            is_page = "items" in answer.get("properties", {})
        else:
            is_page = False
        if answer.get("type") == "array" or is_page:
            found.add(path.removeprefix(PREFIX))
    return found


GUARDED = sorted(
    [
        "/workspaces",
        "/me/invitations",
        "/workspaces/{workspace_id}/members",
        "/workspaces/{workspace_id}/groups",
        "/workspaces/{workspace_id}/invitations",
        "/workspaces/{workspace_id}/spaces",
        "/workspaces/{workspace_id}/spaces/{space_id}/grants",
        "/workspaces/{workspace_id}/api-tokens",
        "/workspaces/{workspace_id}/audit-events",
        "/workspaces/{workspace_id}/data-sources",
        "/workspaces/{workspace_id}/views",
        "/workspaces/{workspace_id}/data-sources/{data_source_id}/documents",
        "/workspaces/{workspace_id}/search",
        "/workspaces/{workspace_id}/agents",
        "/workspaces/{workspace_id}/agents/{agent_id}/versions",
        "/workspaces/{workspace_id}/model-credentials",
        "/workspaces/{workspace_id}/conversations",
        "/workspaces/{workspace_id}/connections",
        "/workspaces/{workspace_id}/connections/{connection_id}/syncs",
        "/workspaces/{workspace_id}/legal-holds",
        "/workspaces/{workspace_id}/privacy/requests",
        "/workspaces/{workspace_id}/scim/tokens",
        "/workspaces/{workspace_id}/conversations/{conversation_id}/attachments",
        "/workspaces/{workspace_id}/sso/domains",
    ]
)


def test_every_list_route_has_a_query_count_guard() -> None:
    assert list_routes() == set(GUARDED) | NOT_FROM_THE_DATABASE


def _get(client: Any, path: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content)
    return response.json(), [query["sql"] for query in queries.captured_queries]


@pytest.mark.parametrize("route", GUARDED)
def test_a_list_costs_the_same_queries_for_one_row_and_for_several(
    tenant: Tenant, api_as: Any, route: str
) -> None:
    case = _cases(tenant)[route]()
    client = api_as(tenant.admin)
    case.add(1)
    client.get(case.path)  # the first request of a session warms what every one reuses
    few, few_queries = _get(client, case.path)
    case.add(3)
    more, more_queries = _get(client, case.path)
    assert case.items(more) >= case.items(few) + 3, "the added rows are listed"
    assert len(more_queries) == len(few_queries), "\n\n".join(more_queries)


def test_a_conversation_costs_the_same_queries_for_one_turn_and_for_several(
    tenant: Tenant, api_as: Any
) -> None:
    """Not a list route, but its answer lists the messages and their citations."""
    from agents.models import Citation, Message

    conversation = agent_services.create_conversation(actor=tenant.admin, title="Turns")
    agent_services.create_agent(actor=tenant.builder, handle="turns", name="Turns")

    def turns(count: int) -> None:
        for _ in range(count):
            answer = agent_services.post_message(
                actor=tenant.admin,
                conversation_id=conversation.id,
                agent_handle="turns",
                content=f"question {_n()}",
            )
            for number in (2, 1):
                Citation.objects.create(
                    workspace=tenant.workspace,
                    message=answer,
                    number=number,
                    title=f"Source {number}",
                    passage="a passage",
                )

    client = api_as(tenant.admin)
    path = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    turns(1)
    client.get(path)
    few, few_queries = _get(client, path)
    turns(3)
    more, more_queries = _get(client, path)
    assert len(more["messages"]) == len(few["messages"]) + 6
    assert [c["number"] for c in more["messages"][-1]["citations"]] == [1, 2]
    assert Message.objects.filter(conversation=conversation).count() == 8
    assert len(more_queries) == len(few_queries), "\n\n".join(more_queries)
