"""Rate limits on the expensive routes, counted in the real Redis: answers, uploads and
searches per person and per API token, login attempts per client address. Past a limit the
caller gets 429 with Retry-After and a JSON error saying when to try again; nobody else's
budget is touched."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from agents import services as agent_services
from knowledge.services import create_folder
from tests.factories import PASSWORD, ApiClient, Multipart, Tenant


def assert_rate_limited(response: Any, what: str, maximum: int, per: str) -> None:
    assert response.status_code == 429, response.content
    assert response["Content-Type"].startswith("application/json")
    assert 1 <= int(response["Retry-After"]) <= 60
    error = response.json()["error"]
    assert error["code"] == "rate_limited"
    assert f"Too many {what}: at most {maximum} a minute {per}" in error["message"]
    assert f"Try again in {response['Retry-After']} second" in error["message"]


def test_a_member_past_the_search_limit_waits_and_nobody_else_does(
    tenant: Tenant, other_tenant: Tenant, api_as: Any, api_with_token: Any, settings: Any
) -> None:
    settings.RATE_LIMIT_SEARCHES_PER_MINUTE = 2
    mine = f"workspaces/{tenant.workspace.id}/search?query=travel"
    member = api_as(tenant.member)
    assert [member.get(mine).status_code for _ in range(2)] == [200, 200]
    assert_rate_limited(member.get(mine), "searches", 2, "per person")

    # Another member of the workspace, and a member of another workspace, search on.
    assert api_as(tenant.outsider).get(mine).status_code == 200
    theirs = f"workspaces/{other_tenant.workspace.id}/search?query=travel"
    assert api_as(other_tenant.member).get(theirs).status_code == 200
    # The member's own API token has a bucket of its own.
    token = api_with_token(tenant.member)
    assert [token.get(mine).status_code for _ in range(2)] == [200, 200]
    assert_rate_limited(token.get(mine), "searches", 2, "per API token")
    # And a second token is not the first.
    assert api_with_token(tenant.member).get(mine).status_code == 200


def test_asking_an_agent_is_limited_across_both_answer_routes(
    tenant: Tenant, api_as: Any, settings: Any
) -> None:
    settings.RATE_LIMIT_ANSWERS_PER_MINUTE = 1
    view = create_folder(actor=tenant.admin, space_id=tenant.company_space.id, name="Handbook")
    agent = agent_services.create_agent(
        actor=tenant.builder, handle="helper", name="Helper", view_ids=[view.id]
    )
    agent_services.publish_agent(actor=tenant.builder, agent_id=agent.id)
    conversation = agent_services.create_conversation(actor=tenant.member)
    thread = f"workspaces/{tenant.workspace.id}/conversations/{conversation.id}"
    ask = {"agent": "helper", "content": "How do I book travel?"}
    member = api_as(tenant.member)
    assert member.post(f"{thread}/messages", ask).status_code == 201
    # The stream answers JSON, not an event stream, when it is refused.
    assert_rate_limited(
        member.post(f"{thread}/messages/stream", ask), "questions to agents", 1, "per person"
    )
    assert_rate_limited(
        member.post(f"{thread}/messages", ask), "questions to agents", 1, "per person"
    )
    assert conversation.messages.count() == 2, "refused questions are not stored"
    theirs = agent_services.create_conversation(actor=tenant.outsider)
    other_thread = f"workspaces/{tenant.workspace.id}/conversations/{theirs.id}"
    assert api_as(tenant.outsider).post(f"{other_thread}/messages", ask).status_code == 201


def test_uploads_are_limited_per_person(tenant: Tenant, api_as: Any, settings: Any) -> None:
    settings.RATE_LIMIT_UPLOADS_PER_MINUTE = 1
    view = create_folder(actor=tenant.admin, space_id=tenant.company_space.id, name="Docs")
    path = f"workspaces/{tenant.workspace.id}/data-sources/{view.data_source_id}/files"
    builder = api_as(tenant.builder)
    assert builder.post(path, Multipart({"one.md": b"# One"})).status_code == 201
    assert_rate_limited(
        builder.post(path, Multipart({"two.md": b"# Two"})), "uploads", 1, "per person"
    )
    assert view.data_source.documents.count() == 1
    assert api_as(tenant.admin).post(path, Multipart({"three.md": b"# 3"})).status_code == 201


@pytest.mark.parametrize("correct_password_last", [True, False])
def test_login_attempts_are_limited_per_address(
    tenant: Tenant, settings: Any, correct_password_last: bool
) -> None:
    """On top of the failure limits: even right passwords, from one address, stop at the limit
    (a credential-stuffing list that contains some valid pairs)."""
    settings.RATE_LIMIT_LOGINS_PER_MINUTE = 2
    attacker = ApiClient(Client(REMOTE_ADDR="203.0.113.20"))
    right = {"email": "member@acme.test", "password": PASSWORD}
    wrong = {"email": "admin@acme.test", "password": "guess"}
    assert attacker.post("auth/login", wrong).status_code == 401
    assert attacker.post("auth/login", right).status_code == 200
    last = right if correct_password_last else wrong
    assert_rate_limited(
        attacker.post("auth/login", last), "login attempts", 2, "per client address"
    )
    neighbour = ApiClient(Client(REMOTE_ADDR="203.0.113.21"))
    assert neighbour.post("auth/login", right).status_code == 200
