"""The request-limits suite: bodies, fields, files and nesting past their limits answer 413 or
400 with a JSON error that names the limit, for anonymous and logged-in callers, never a 500.

Through the real ASGI application (config.asgi.application, as uvicorn runs it) for the body
limit that must act before Django reads a byte, and through Django's test client (which
bypasses ASGI) for Django's own DATA_UPLOAD_* limits.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from asgiref.sync import async_to_sync
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client

from config.asgi import application
from tests.factories import ApiClient, Multipart, Tenant

MEBIBYTE = 1024 * 1024


def raw_asgi(
    method: str, path: str, *, headers: list[tuple[bytes, bytes]], chunks: list[bytes]
) -> tuple[int, dict[bytes, bytes], bytes, int]:
    """One request through the ASGI application: (status, headers, body, chunks it pulled)."""
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled < len(chunks):
            pulled += 1
            return {
                "type": "http.request",
                "body": chunks[pulled - 1],
                "more_body": pulled < len(chunks),
            }
        await asyncio.Event().wait()  # the client stays connected until it is answered
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    async def call() -> None:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"testserver"), *headers],
            "client": ("203.0.113.9", 50000),
            "server": ("testserver", 80),
        }
        await application(scope, receive, send)

    async_to_sync(call)()
    start = next(message for message in sent if message["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body, pulled


def assert_json_error(status: int, headers: dict[bytes, bytes], body: bytes, code: str) -> str:
    assert headers[b"content-type"] == b"application/json"
    error = json.loads(body)["error"]
    assert error["code"] == code, error
    message: str = error["message"]
    return message


@pytest.mark.parametrize(
    ("path", "authorization"),
    [
        ("/api/v1/auth/login", b""),  # anonymous
        ("/api/v1/workspaces/1/groups", b"Bearer any-token"),  # as a program would call
        ("/webhooks/github/1", b""),  # a source's delivery
    ],
)
def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(
    path: str, authorization: bytes
) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(MEBIBYTE + 1).encode()),
    ]
    if authorization:
        headers.append((b"authorization", authorization))
    status, response_headers, body, pulled = raw_asgi(
        "POST", path, headers=headers, chunks=[b"x" * 1024] * 1025
    )
    assert status == 413
    message = assert_json_error(status, response_headers, body, "request_too_large")
    assert "larger than 1 MB, the limit for this route" in message
    assert pulled == 0, "not one byte of the body is read"


def test_a_chunked_body_is_counted_as_it_streams_and_refused_past_the_limit(
    settings: Any,
) -> None:
    """No Content-Length: the body is cut off the moment it passes the limit, so the client's
    stream is abandoned after about a megabyte rather than read whole."""
    yielded = 0

    async def four_mebibytes() -> AsyncIterator[bytes]:
        nonlocal yielded
        for _ in range(64):
            yielded += 1
            yield b"x" * (64 * 1024)

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.post(
                "/api/v1/auth/login",
                content=four_mebibytes(),
                headers={"Content-Type": "application/json"},
            )

    response = async_to_sync(post)()
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert response.json()["error"]["code"] == "request_too_large"
    assert yielded == 17, "read up to the first chunk past 1 MB, and no further"


@pytest.fixture
def connections_kept() -> Iterator[None]:
    """As Django's test client does: a request through the ASGI handler must not close the
    test's database connection (these requests never reach the database)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def test_a_body_within_the_limit_reaches_django(connections_kept: None) -> None:
    chunks = [b"{", b'"email": 1', b"}"]  # not a valid login: Django answers, not the limit
    headers = [(b"content-type", b"application/json")]
    status, _, _, pulled = raw_asgi("POST", "/api/v1/auth/login", headers=headers, chunks=chunks)
    assert status not in (413, 500)
    assert pulled == len(chunks)


def test_uploads_have_their_own_larger_limit(settings: Any, connections_kept: None) -> None:
    settings.MAX_UPLOAD_FILES = 2
    settings.MAX_UPLOAD_BYTES = 100 * 1024
    path = "/api/v1/workspaces/1/data-sources/1/files"
    upload_limit = 2 * 100 * 1024 + MEBIBYTE  # the files plus a megabyte of multipart framing
    multipart = (b"content-type", b"multipart/form-data; boundary=x")

    def post(size: int) -> tuple[int, dict[bytes, bytes], bytes, int]:
        declared = (b"content-length", str(size).encode())
        return raw_asgi("POST", path, headers=[multipart, declared], chunks=[b"x" * size])

    status, headers, body, _ = post(upload_limit + 1)
    assert status == 413
    message = assert_json_error(status, headers, body, "request_too_large")
    assert "at most 2 files of 100 KB each" in message
    # Past the 1 MB of other routes but within the upload limit: on to Django (which asks
    # this anonymous caller to log in).
    status, _, _, _ = post(MEBIBYTE + 1)
    assert status not in (413, 500)


def test_other_routes_under_an_upload_like_path_keep_the_small_limit() -> None:
    declared = (b"content-length", str(MEBIBYTE + 1).encode())
    status, _, _, pulled = raw_asgi(
        "PUT", "/api/v1/workspaces/1/data-sources/1/files", headers=[declared], chunks=[b""]
    )
    assert status == 413 and pulled == 0


# --- Django's own limits (the test client bypasses the ASGI middleware) -----------------------


@pytest.fixture
def small_request_limits(settings: Any) -> Any:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    return settings


def test_the_settings_carry_the_limits_to_django(settings: Any) -> None:
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.MAX_REQUEST_BYTES == MEBIBYTE
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == settings.MAX_UPLOAD_FILES == 50
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS == 200


def test_a_large_json_body_is_413_for_anonymous_and_logged_in_callers(
    tenant: Tenant, api_as: Any, small_request_limits: Any
) -> None:
    anonymous = ApiClient(Client()).post(
        "auth/login", {"email": "a" * 4000 + "@acme.test", "password": "x"}
    )
    admin = api_as(tenant.admin).post(
        f"workspaces/{tenant.workspace.id}/groups", {"name": "n" * 4000}
    )
    for response in (anonymous, admin):
        assert response.status_code == 413, response.content
        assert response["Content-Type"].startswith("application/json")
        error = response.json()["error"]
        assert error["code"] == "request_too_large"
        assert "larger than 2 KB" in error["message"]


def test_too_many_query_fields_are_400(
    tenant: Tenant, api_as: Any, small_request_limits: Any
) -> None:
    query = "&".join(f"view_ids={number}" for number in range(10))
    response = api_as(tenant.member).get(f"workspaces/{tenant.workspace.id}/search?{query}")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "too_many_fields" and "more than 5 fields" in error["message"]


def test_too_many_form_fields_in_an_upload_are_400(
    tenant: Tenant, api_as: Any, small_request_limits: Any
) -> None:
    client = Client()
    client.force_login(tenant.admin.user)
    fields = {f"field{number}": "value" for number in range(10)}
    response = client.post(f"/api/v1/workspaces/{tenant.workspace.id}/data-sources/1/files", fields)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "too_many_fields"


def test_too_many_files_are_413_and_store_nothing(
    tenant: Tenant, api_as: Any, small_request_limits: Any
) -> None:
    from knowledge.models import Document
    from knowledge.services import create_folder

    view = create_folder(actor=tenant.admin, space_id=tenant.company_space.id, name="Docs")
    files = Multipart({f"note-{number}.md": b"# Note" for number in range(4)})
    response = api_as(tenant.builder).post(
        f"workspaces/{tenant.workspace.id}/data-sources/{view.data_source_id}/files", files
    )
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "too_many_files" and "more than 3 files" in error["message"]
    assert not Document.objects.filter(data_source_id=view.data_source_id).exists()


def nested(depth: int, *, objects: bool = False) -> str:
    return ('{"a":' * depth + "1" + "}" * depth) if objects else ("[" * depth + "]" * depth)


@pytest.mark.parametrize("objects", [False, True], ids=["arrays", "objects"])
def test_deeply_nested_json_is_400_not_a_crash(
    tenant: Tenant, api_as: Any, api_with_token: Any, objects: bool
) -> None:
    body = nested(100_000, objects=objects)
    responses = [
        ApiClient(Client()).post("auth/login", body),
        api_as(tenant.builder).post(f"workspaces/{tenant.workspace.id}/agents", body),
        api_with_token(tenant.builder).post(f"workspaces/{tenant.workspace.id}/agents", body),
    ]
    for response in responses:
        assert response.status_code == 400, response.content
        error = response.json()["error"]
        assert error["code"] == "malformed_request"
        assert "nested too deeply" in error["message"]


def test_nesting_that_json_can_read_is_refused_by_validation(tenant: Tenant, api_as: Any) -> None:
    """Shallow enough to parse, the nesting meets the schema: a list of ids is not a tree."""
    body = json.dumps({"handle": "deep", "name": "Deep", "view_ids": json.loads(nested(500))})
    response = api_as(tenant.builder).post(f"workspaces/{tenant.workspace.id}/agents", body)
    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == "invalid_input"


@pytest.mark.parametrize("suffix", ["", "/interactions"])
def test_a_large_webhook_body_is_413_json_without_asgi_too(
    tenant: Tenant, small_request_limits: Any, suffix: str
) -> None:
    from common.crypto import encrypt_json
    from connections.models import Connection
    from knowledge.models import DataSource

    source = DataSource.objects.create(workspace=tenant.workspace, name="Slack", kind="slack")
    connection = Connection.objects.create(
        workspace=tenant.workspace,
        data_source=source,
        kind="slack",
        credentials_encrypted=encrypt_json({"signing_secret": "secret"}),
    )
    response = Client().post(
        f"/webhooks/slack/{connection.id}{suffix}",
        data=b"x" * 4096,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "request_too_large"


# --- what the web app shows ------------------------------------------------------------------


def test_the_limits_are_published_to_logged_in_callers(
    tenant: Tenant, api_as: Any, api_with_token: Any, settings: Any
) -> None:
    from common.parsing.formats import detect_kind

    settings.MAX_UPLOAD_FILES = 7
    for client in (api_as(tenant.member), api_with_token(tenant.member)):
        limits = client.get("limits").json()
        assert limits["max_upload_bytes"] == settings.MAX_UPLOAD_BYTES
        assert limits["max_upload_files"] == 7
        assert limits["max_request_bytes"] == MEBIBYTE
        extensions = limits["accepted_extensions"]
        assert {".pdf", ".docx", ".pptx", ".xlsx", ".html", ".md", ".txt", ".csv"} <= set(
            extensions
        )
        # Every extension offered is one the parser takes.
        assert all(detect_kind(f"file{extension}", None) for extension in extensions)
    assert ApiClient(Client()).get("limits").status_code == 401
