"""The outbound suite, by attack: base URLs aimed at loopback, private and metadata addresses
in every notation; a name that rebinds to loopback between the check and the connection; a
redirect from an allowed server to an internal one; answers too large or too slow; and the
attacker's secret never in any API answer or error.

Each test sets the operator's allow-list itself (the suite's default allow-lists the fakes
on 127.0.0.1). The "internal service" is `AttackerServer`, holding SECRET."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from common.outbound import OutboundError, OutboundPolicy, OutboundRefused, ResponseTooLarge
from common.outbound_httplib2 import GuardedHttp
from common.outbound_httpx import guarded_transport
from common.outbound_urllib import guarded_opener, read_bounded
from connections.models import Connection
from tests.factories import Tenant
from tests.fakes.attacker import SECRET, AttackerServer


@pytest.fixture
def attacker() -> Iterator[AttackerServer]:
    with AttackerServer("127.0.0.1") as server:
        yield server


@pytest.fixture
def internal() -> Iterator[AttackerServer]:
    """An internal service on a loopback address the tests never allow-list."""
    with AttackerServer("127.0.0.2") as server:
        yield server


def connections_url(tenant: Tenant) -> str:
    return f"workspaces/{tenant.workspace.id}/connections"


def internal_base_urls(port: int) -> list[str]:
    return [
        f"https://127.0.0.1:{port}/api/v3",
        f"http://127.0.0.1:{port}/api/v3",
        f"https://2130706433:{port}/",
        f"https://0x7f.1:{port}/",
        f"https://0x7f000001:{port}/",
        f"https://017700000001:{port}/",
        f"https://127.1:{port}/",
        f"https://[::1]:{port}/",
        f"https://[::ffff:127.0.0.1]:{port}/",
        f"https://[64:ff9b::7f00:1]:{port}/",
        f"https://[2002:7f00:1::]:{port}/",
        f"https://localhost:{port}/",  # a name that resolves to loopback
        f"https://user:{SECRET}@example.com/",
        "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://[fd00:ec2::254]/",
        "https://100.100.100.200/latest/meta-data/",
        "https://10.0.0.1/",
        "https://192.168.0.1/",
        "https://100.64.0.1/",
        "https://[fe80::1]/",
        "file:///etc/passwd",
    ]


# --- base URLs typed by an admin ----------------------------------------------------------


def test_connection_base_urls_aimed_inside_are_refused(
    tenant: Tenant, api_as: Any, attacker: AttackerServer, settings: Any
) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    admin = api_as(tenant.admin)
    for base_url in internal_base_urls(attacker.port):
        response = admin.post(
            connections_url(tenant),
            {
                "kind": "github",
                "name": "Enterprise",
                "credentials": {"token": "ghp_0123456789"},
                "api_base_url": base_url,
            },
        )
        assert response.status_code == 422, base_url
        error = response.json()["error"]
        assert error["code"] == "base_url_refused", base_url
        assert SECRET not in response.content.decode(), base_url
    assert attacker.requests == []
    assert not Connection.objects.exists()


def test_the_refusal_says_why_and_what_to_do(tenant: Tenant, api_as: Any, settings: Any) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    response = api_as(tenant.admin).post(
        connections_url(tenant),
        {
            "kind": "github",
            "name": "Enterprise",
            "credentials": {"token": "ghp_0123456789"},
            "api_base_url": "https://169.254.169.254/",
        },
    )
    message = response.json()["error"]["message"]
    assert "cloud metadata" in message
    assert "ask your operator to add it to OUTBOUND_ALLOWED_HOSTS" in message


@pytest.mark.parametrize(
    ("kind", "credentials"),
    [
        ("slack", {"bot_token": "xoxb-1"}),
        ("notion", {"integration_token": "secret_1"}),
        ("google_drive", {"oauth_refresh_token": "1//r"}),
    ],
)
def test_cloud_only_sources_take_a_base_url_only_when_its_host_is_allow_listed(
    tenant: Tenant,
    api_as: Any,
    attacker: AttackerServer,
    settings: Any,
    kind: str,
    credentials: dict[str, str],
) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    response = api_as(tenant.admin).post(
        connections_url(tenant),
        {
            "kind": kind,
            "name": "Proxied",
            "credentials": credentials,
            "api_base_url": "https://proxy.example.com",
        },
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "base_url_not_allowed"
    assert "no self-hosted edition" in response.json()["error"]["message"]
    # Allow-listed (an egress proxy; here the attacker's server), the URL is accepted and
    # the source is asked; what the server answers is not the API, and not shown.
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    response = api_as(tenant.admin).post(
        connections_url(tenant),
        {
            "kind": kind,
            "name": "Proxied",
            "credentials": credentials,
            "api_base_url": attacker.url,
        },
    )
    assert response.status_code == 422
    assert SECRET not in response.content.decode()
    assert not Connection.objects.exists()


def test_model_base_urls_aimed_inside_are_refused(
    tenant: Tenant, api_as: Any, attacker: AttackerServer, settings: Any
) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = []
    url = f"workspaces/{tenant.workspace.id}/model-credentials/openai-compatible"
    admin = api_as(tenant.admin)
    for base_url in internal_base_urls(attacker.port):
        response = admin.request("PUT", url, {"api_key": "", "base_url": base_url})
        assert response.status_code == 422, base_url
        assert SECRET not in response.content.decode()
    assert attacker.requests == []
    assert admin.get(f"workspaces/{tenant.workspace.id}/model-credentials").json() == []
    # A local model server is reached by allow-listing it.
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    response = admin.request("PUT", url, {"api_key": "", "base_url": f"{attacker.url}/v1"})
    assert response.status_code == 200


# --- answers that are not the API ---------------------------------------------------------


@pytest.mark.parametrize("mode", ["html", "json", "error"])
def test_a_credential_check_against_a_server_that_is_not_the_api_says_so_without_its_body(
    tenant: Tenant, api_as: Any, attacker: AttackerServer, settings: Any, mode: str
) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    attacker.mode = mode
    for kind, credentials in [
        ("github", {"token": "ghp_0123456789"}),
        ("slack", {"bot_token": "xoxb-1"}),
        ("notion", {"integration_token": "secret_1"}),
    ]:
        response = api_as(tenant.admin).post(
            connections_url(tenant),
            {
                "kind": kind,
                "name": f"Check {kind}",
                "credentials": credentials,
                "api_base_url": f"{attacker.url}/api/v3" if kind == "github" else attacker.url,
            },
        )
        assert response.status_code == 422, (kind, response.content)
        body = response.content.decode()
        assert SECRET not in body, (kind, body)
        if mode == "html":
            assert "answered with something that is not its API (HTTP 200, text/html)" in body
    assert attacker.requests  # it was asked: the point is what came back


# --- redirects ------------------------------------------------------------------------------


def test_a_redirect_from_an_allowed_server_to_an_internal_one_is_refused(
    tenant: Tenant,
    api_as: Any,
    attacker: AttackerServer,
    internal: AttackerServer,
    settings: Any,
) -> None:
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    attacker.mode = "redirect"
    for target in [
        f"{internal.url}/secret",
        f"http://localhost:{internal.port}/secret",
        f"https://[::ffff:127.0.0.2]:{internal.port}/secret",
        "http://169.254.169.254/latest/meta-data/",
    ]:
        attacker.redirect_to = target
        response = api_as(tenant.admin).post(
            connections_url(tenant),
            {
                "kind": "github",
                "name": "Redirected",
                "credentials": {"token": "ghp_0123456789"},
                "api_base_url": f"{attacker.url}/api/v3",
            },
        )
        assert response.status_code == 422, target
        assert SECRET not in response.content.decode()
    assert internal.requests == []


# --- each HTTP stack, on its own ------------------------------------------------------------


def _httpx(library: str) -> Callable[[OutboundPolicy, str], bytes]:
    def get(policy: OutboundPolicy, url: str) -> bytes:
        module = __import__(library)
        with module.Client(
            transport=guarded_transport(policy, library=library), follow_redirects=True
        ) as client:
            return bytes(client.get(url).content)

    return get


def _urllib(policy: OutboundPolicy, url: str) -> bytes:
    with guarded_opener(policy).open(urllib.request.Request(url), timeout=5) as response:
        return read_bounded(response, policy, url)


def _httplib2(policy: OutboundPolicy, url: str) -> bytes:
    _, content = GuardedHttp(policy).request(url, "GET")
    return bytes(content)


STACKS = {
    "httpx": _httpx("httpx"),
    "httpx2": _httpx("httpx2"),
    "urllib": _urllib,
    "httplib2": _httplib2,
}


@pytest.fixture(params=sorted(STACKS))
def fetch(request: Any) -> Callable[[OutboundPolicy, str], bytes]:
    return STACKS[request.param]


def test_each_stack_reaches_an_allowed_server(
    fetch: Callable[[OutboundPolicy, str], bytes], attacker: AttackerServer
) -> None:
    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"])
    attacker.mode = "json"
    assert SECRET.encode() in fetch(policy, f"{attacker.url}/fine")


def test_each_stack_refuses_a_redirect_inside(
    fetch: Callable[[OutboundPolicy, str], bytes],
    attacker: AttackerServer,
    internal: AttackerServer,
) -> None:
    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"])
    attacker.mode = "redirect"
    for target in [
        f"{internal.url}/secret",
        f"http://localhost:{internal.port}/secret",
        f"https://2130706434:{internal.port}/secret",  # 127.0.0.2 in decimal
        "file:///etc/passwd",
    ]:
        attacker.redirect_to = target
        with pytest.raises(OutboundRefused):
            fetch(policy, f"{attacker.url}/start")
    assert internal.requests == []


def test_each_stack_never_follows_a_rebound_name_to_loopback(
    fetch: Callable[[OutboundPolicy, str], bytes], attacker: AttackerServer
) -> None:
    """The name answers a public address when the base URL is checked, 127.0.0.1 when the
    client connects. The client resolves through the policy, once, and is refused."""
    calls: list[str] = []

    def rebinding(host: str, port: int, *args: Any) -> Any:
        calls.append(host)
        address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    policy = OutboundPolicy(resolver=rebinding)
    url = f"https://rebind.example:{attacker.port}/"
    policy.check(url)  # what creating the connection did
    with pytest.raises(OutboundRefused, match="loopback"):
        fetch(policy, url)
    assert attacker.requests == []
    assert calls == ["rebind.example", "rebind.example"]


@pytest.mark.parametrize("mode", ["huge", "huge-declared"])
def test_each_stack_cuts_a_huge_answer(
    fetch: Callable[[OutboundPolicy, str], bytes], attacker: AttackerServer, mode: str
) -> None:
    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"], max_response_bytes=65536)
    attacker.mode = mode
    with pytest.raises(ResponseTooLarge):
        fetch(policy, f"{attacker.url}/big")


def test_each_stack_cuts_a_slow_answer(
    fetch: Callable[[OutboundPolicy, str], bytes], attacker: AttackerServer
) -> None:
    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"], timeout_seconds=1)
    attacker.mode = "slow"
    with pytest.raises(OutboundError):
        fetch(policy, f"{attacker.url}/drip")


# --- TLS ------------------------------------------------------------------------------------


def _self_signed_certificate(directory: Any) -> tuple[str, str]:
    """A certificate for 127.0.0.1 that no authority signed (what a server in the middle has)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_a_server_failing_the_tls_check_is_named_as_such(
    tenant: Tenant, api_as: Any, tmp_path: Any, settings: Any
) -> None:
    import ssl
    import threading

    cert_path, key_path = _self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(connection, server_side=True) as tls:
                    tls.sendall(f"HTTP/1.0 200 OK\r\n\r\n{SECRET}".encode())
            except (OSError, ssl.SSLError):
                connection.close()

    threading.Thread(target=serve, daemon=True).start()
    settings.OUTBOUND_ALLOWED_HOSTS = ["127.0.0.1"]
    try:
        response = api_as(tenant.admin).post(
            connections_url(tenant),
            {
                "kind": "github",
                "name": "Middle",
                "credentials": {"token": "ghp_0123456789"},
                "api_base_url": f"https://127.0.0.1:{port}/api/v3",
            },
        )
    finally:
        listener.close()
    assert response.status_code == 422
    assert "failed the TLS check" in response.json()["error"]["message"]
    assert SECRET not in response.content.decode()
