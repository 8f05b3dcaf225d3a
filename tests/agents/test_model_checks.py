"""Admin → Models: a key's test call and the model list, against the fake OpenAI server (the
real openai client through langchain-openai): success, a refused key, a timeout, an
unreachable host, an address the outbound policy refuses, a server with no model list."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest

from agents import services
from agents.models import ModelProvider
from audit.models import AuditEvent
from tests.factories import Tenant
from tests.fakes.openai.server import FakeOpenAI, Reply

KEY = "sk-fake-0123456789abcd"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(api_key=KEY, models=("llama3", "qwen2.5")) as server:
        yield server


def _set(tenant: Tenant, base_url: str, api_key: str = KEY) -> None:
    services.set_model_credential(
        actor=tenant.admin,
        provider=ModelProvider.OPENAI_COMPATIBLE,
        api_key=api_key,
        base_url=base_url,
    )


def _url(tenant: Tenant, tail: str) -> str:
    return f"workspaces/{tenant.workspace.id}/model-credentials/openai-compatible/{tail}"


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_working_key_answers_ok_with_its_models_and_is_not_audited(
    tenant: Tenant, api_as: Any, fake: FakeOpenAI
) -> None:
    _set(tenant, fake.base_url)
    events_before = AuditEvent.objects.count()
    response = api_as(tenant.admin).request("POST", _url(tenant, "test"), {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is True
    assert body["models"] == ["llama3", "qwen2.5"]
    assert "lists 2 models" in body["message"]
    assert isinstance(body["latency_ms"], int) and body["latency_ms"] >= 0
    assert AuditEvent.objects.count() == events_before

    listed = api_as(tenant.builder).get(_url(tenant, "models")).json()
    assert listed == {
        "provider": "openai-compatible",
        "listed": True,
        "message": listed["message"],
        "models": ["llama3", "qwen2.5"],
    }


def test_the_credential_list_says_who_set_the_key(tenant: Tenant, api_as: Any) -> None:
    _set(tenant, "http://127.0.0.1:9/v1")
    [row] = api_as(tenant.admin).get(f"workspaces/{tenant.workspace.id}/model-credentials").json()
    assert row["key_hint"] == KEY[-4:]
    assert row["updated_by_email"] == tenant.admin.user.email
    assert row["updated_by_name"] == tenant.admin.user.full_name


def test_a_refused_key_says_so_without_repeating_the_server(
    tenant: Tenant, api_as: Any, fake: FakeOpenAI
) -> None:
    _set(tenant, fake.base_url, api_key="sk-wrong-0123456789zz")
    body = api_as(tenant.admin).request("POST", _url(tenant, "test"), {}).json()
    assert body["ok"] is False
    assert "refused this key (HTTP 401)" in body["message"]
    assert "Incorrect API key" not in body["message"] and "zz" not in body["message"]
    listed = api_as(tenant.admin).get(_url(tenant, "models")).json()
    assert listed["listed"] is False and "HTTP 401" in listed["message"]


def test_a_server_too_slow_times_out_with_a_clear_message(
    tenant: Tenant, api_as: Any, fake: FakeOpenAI, settings: Any
) -> None:
    settings.AGENT_MODEL_TIMEOUT_SECONDS = 0.5
    fake.model_list_delay_seconds = 3
    _set(tenant, fake.base_url)
    body = api_as(tenant.admin).request("POST", _url(tenant, "test"), {}).json()
    assert body["ok"] is False
    assert "did not answer within 0.5 s" in body["message"]


def test_an_unreachable_host_says_it_could_not_connect(tenant: Tenant, api_as: Any) -> None:
    _set(tenant, f"http://127.0.0.1:{_closed_port()}/v1")
    body = api_as(tenant.admin).request("POST", _url(tenant, "test"), {}).json()
    assert body["ok"] is False
    assert body["message"].startswith("Could not connect to 127.0.0.1:")


def test_an_address_the_outbound_policy_refuses_is_refused_not_called(
    tenant: Tenant, api_as: Any, fake: FakeOpenAI, settings: Any
) -> None:
    _set(tenant, fake.base_url)
    settings.OUTBOUND_ALLOWED_HOSTS = []  # the operator took loopback off the allow-list
    response = api_as(tenant.admin).request("POST", _url(tenant, "test"), {})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert "OUTBOUND_ALLOWED_HOSTS" in body["message"]
    assert fake.model_list_requests == 0


def test_a_server_without_a_model_list_is_tested_with_one_token(
    tenant: Tenant, api_as: Any
) -> None:
    with FakeOpenAI(api_key=KEY, serves_model_list=False) as server:
        _set(tenant, server.base_url)
        admin = api_as(tenant.admin)
        unnamed = admin.request("POST", _url(tenant, "test"), {}).json()
        assert unnamed["ok"] is False and "404" in unnamed["message"]
        server.queue(Reply(content="OK"))
        named = admin.request("POST", _url(tenant, "test"), {"model": "llama3"}).json()
        assert named["ok"] is True and "one-token completion of llama3" in named["message"]
        assert server.requests[-1]["model"] == "llama3"
        listed = admin.get(_url(tenant, "models")).json()
        assert listed["listed"] is False and listed["models"] == []
        assert "offers no model list" in listed["message"]


def test_no_stored_key_is_not_found_and_other_providers_are_not_listed(
    tenant: Tenant, api_as: Any
) -> None:
    admin = api_as(tenant.admin)
    missing = admin.request("POST", _url(tenant, "test"), {})
    assert missing.status_code == 404
    assert "Set one first" in missing.json()["error"]["message"]
    anthropic = admin.get(f"workspaces/{tenant.workspace.id}/model-credentials/anthropic/models")
    assert anthropic.status_code == 200 and anthropic.json()["listed"] is False


def test_only_admins_test_keys_and_members_do_not_list_models(
    tenant: Tenant, api_as: Any, fake: FakeOpenAI
) -> None:
    _set(tenant, fake.base_url)
    assert api_as(tenant.builder).request("POST", _url(tenant, "test"), {}).status_code == 403
    assert api_as(tenant.member).get(_url(tenant, "models")).status_code == 403
    assert fake.model_list_requests == 0


def test_a_provider_without_a_model_list_is_tested_with_one_token_and_explained(
    tenant: Tenant, api_as: Any
) -> None:
    """Anthropic's client (no model list here): an unreachable endpoint is explained, not 500."""
    services.set_model_credential(
        actor=tenant.admin,
        provider=ModelProvider.ANTHROPIC,
        api_key="sk-ant-0123456789abcd",
        base_url=f"http://127.0.0.1:{_closed_port()}",
    )
    url = f"workspaces/{tenant.workspace.id}/model-credentials/anthropic/test"
    response = api_as(tenant.admin).request("POST", url, {})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["ok"] is False and body["models"] is None
    assert body["message"].startswith("Could not connect to 127.0.0.1:")
