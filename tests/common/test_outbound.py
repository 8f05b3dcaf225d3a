"""The outbound policy on its own: every address notation, names that resolve inside, IPv6
forms, the allow-list by host, address and network, https only, and rebinding between two
resolutions. Policies are built explicitly here; the suite's allow-list does not apply."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from common.outbound import (
    ALLOWED_HOSTS_SETTING,
    OutboundPolicy,
    OutboundRefused,
    host_address,
    refusal_reason,
)


def answers(*addresses: str) -> Any:
    """A resolver (getaddrinfo's shape) that answers these addresses for every name."""

    def resolve(host: str, port: int, *args: Any) -> list[tuple[Any, ...]]:
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port),
            )
            for address in addresses
        ]

    return resolve


STRICT = OutboundPolicy()

# Every way of writing an internal address in a URL, and what it is.
INTERNAL_URLS = [
    "https://127.0.0.1/",
    "https://127.0.0.1./",
    "https://2130706433/",  # decimal
    "https://0x7f.1/",  # hex, short
    "https://0x7f000001/",
    "https://017700000001/",  # octal
    "https://0177.0.0.1/",
    "https://127.1/",  # short
    "https://127.0.1/",
    "https://0/",  # 0.0.0.0
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[::]/",
    "https://[::ffff:127.0.0.1]/",  # IPv4-mapped
    "https://[::ffff:7f00:1]/",
    "https://[0:0:0:0:0:ffff:127.0.0.1]/",
    "https://[::127.0.0.1]/",  # IPv4-compatible (deprecated)
    "https://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "https://[2002:a9fe:a9fe::]/",  # 6to4 of the metadata address
    "https://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
    "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
    "https://10.0.0.1/",
    "https://172.16.5.4/",
    "https://192.168.1.1/",
    "https://100.64.0.1/",  # shared address space (CGNAT)
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata
    "https://169.254.170.2/",
    "https://[fd00:ec2::254]/",
    "https://100.100.100.200/",
    "https://168.63.129.16/",
    "https://192.0.0.192/",
    "https://[::ffff:169.254.169.254]/",
    "https://[fe80::1]/",  # link-local
    "https://[fe80::1%25eth0]/",
    "https://[fc00::1]/",  # unique-local
    "https://[fd12:3456::1]/",
    "https://[fec0::1]/",  # site-local
    "https://224.0.0.1/",  # multicast
    "https://[ff02::1]/",
    "https://240.0.0.1/",  # reserved
    "https://255.255.255.255/",
    "https://198.18.0.1/",  # benchmarking
]


@pytest.mark.parametrize("url", INTERNAL_URLS)
def test_every_notation_of_an_internal_address_is_refused(url: str) -> None:
    with pytest.raises(OutboundRefused) as refused:
        STRICT.check(url)
    assert f"ask your operator to add it to {ALLOWED_HOSTS_SETTING}" in refused.value.message


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("0x0a.0x00.0x00.0x01", "10.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("cafe.be", None),  # hex letters but a name
        ("127.0.0.1 evil.example", None),  # glibc's inet_aton would take this
        ("example.com", None),
    ],
)
def test_hosts_normalise_with_inet_aton_semantics(host: str, address: str | None) -> None:
    found = host_address(host)
    assert (str(found) if found else None) == address


@pytest.mark.parametrize(
    "url",
    [
        "https://8.8.8.8/",
        "https://[2606:4700::1111]/",
        "https://[64:ff9b::808:808]/",  # NAT64 of a public address: IPv6-only networks
        "https://[::ffff:8.8.8.8]/",
    ],
)
def test_public_addresses_pass(url: str) -> None:
    STRICT.check(url)


@pytest.mark.parametrize(
    "addresses",
    [
        ("10.0.0.5",),
        ("127.0.0.1",),
        ("::1",),
        ("::ffff:169.254.169.254",),
        ("fd00::1",),
        ("93.184.216.34", "127.0.0.1"),  # one public, one loopback: refused
        ("2606:4700::1111", "fe80::1"),
    ],
)
def test_a_name_resolving_to_any_internal_address_is_refused(addresses: tuple[str, ...]) -> None:
    policy = OutboundPolicy(resolver=answers(*addresses))
    with pytest.raises(OutboundRefused, match="resolves to"):
        policy.check("https://innocent.example/")


def test_a_name_resolving_to_public_addresses_passes() -> None:
    policy = OutboundPolicy(resolver=answers("93.184.216.34", "2606:2800:220:1::1"))
    target, addresses = policy.check("https://api.example.com/v1")
    assert target.host == "api.example.com" and target.port == 443
    assert [str(address) for address in addresses] == ["93.184.216.34", "2606:2800:220:1::1"]


def test_a_name_that_does_not_resolve_is_refused_clearly() -> None:
    def nothing(*args: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(OutboundRefused, match="could not be found"):
        OutboundPolicy(resolver=nothing).check("https://nowhere.example/")


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/",
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://example.com/",
        "javascript:alert(1)",
        "//example.com/",
        "https:///path",
        "https://exa mple.com/",
        "https://example.com:99999/",
    ],
)
def test_only_https_urls_with_a_host_pass(url: str) -> None:
    with pytest.raises(OutboundRefused):
        OutboundPolicy(resolver=answers("93.184.216.34")).check(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://user:hunter2@example.com/",
        "https://user@example.com/",
        "https://example.com@127.0.0.1/",
        "https://:hunter2@example.com/",
    ],
)
def test_credentials_in_the_url_are_refused_and_not_repeated(url: str) -> None:
    with pytest.raises(OutboundRefused, match="user name or password") as refused:
        OutboundPolicy(resolver=answers("93.184.216.34")).check(url)
    assert "hunter2" not in refused.value.message


def test_the_allow_list_takes_hosts_addresses_and_networks() -> None:
    policy = OutboundPolicy.from_settings(
        allowed_hosts=["127.0.0.1", "ghe.corp.example", "10.2.0.0/16", "[::1]"],
        resolver=answers("10.9.9.9"),
    )
    # A named host is trusted with whatever it resolves to, and may be plain http.
    policy.check("http://ghe.corp.example/api/v3")
    policy.check("https://GHE.corp.example./api/v3")
    # An address, and addresses in a network, are reached; http to them too.
    policy.check("http://127.0.0.1:8080/")
    policy.check("http://[::1]:8080/")
    policy.check("https://10.2.3.4/")
    policy.check("http://10.2.255.1/")
    # Neighbours are not.
    for url in ("http://127.0.0.2/", "https://10.3.0.1/", "https://2130706434/"):
        with pytest.raises(OutboundRefused):
            policy.check(url)
    # A name is not allow-listed by resolving into an allowed network... unless it does so
    # over https, where the address is what counts.
    with pytest.raises(OutboundRefused, match="plain http"):
        policy.check("http://other.corp.example/")
    with pytest.raises(OutboundRefused, match="resolves to a private address"):
        policy.check("https://other.corp.example/")
    in_network = OutboundPolicy.from_settings(
        allowed_hosts=["10.2.0.0/16"], resolver=answers("10.2.0.7")
    )
    in_network.check("https://other.corp.example/")


def test_the_allow_list_matches_numeric_forms_of_an_allowed_address() -> None:
    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"])
    for url in ("http://2130706433:9/", "http://0x7f.1:9/", "http://[::ffff:127.0.0.1]:9/"):
        policy.check(url)


def test_the_messages_say_why_and_what_to_do() -> None:
    with pytest.raises(OutboundRefused) as refused:
        STRICT.check("https://169.254.169.254/latest/meta-data/")
    assert "cloud metadata" in refused.value.message
    assert ALLOWED_HOSTS_SETTING in refused.value.message
    mapped = host_address("::ffff:10.0.0.1")
    assert mapped is not None
    assert refusal_reason(mapped) == "a private address inside the IPv6 address ::ffff:a00:1"
    with pytest.raises(OutboundRefused) as refused:
        STRICT.check("http://example.com/")
    assert "https://" in refused.value.message


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, list[str]]]:
    """A TCP listener on 127.0.0.1 that records who connected."""
    server = socket.create_server(("127.0.0.1", 0))
    peers: list[str] = []

    def accept() -> None:
        while True:
            try:
                connection, peer = server.accept()
            except OSError:
                return
            peers.append(peer[0])
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server, peers
    server.close()


def test_a_connection_goes_to_the_address_that_was_checked(
    listener: tuple[socket.socket, list[str]],
) -> None:
    """DNS rebinding: the first answer passes the check, later answers point at loopback.
    The policy resolves once per connection and connects to what it checked."""
    server, _ = listener
    port = server.getsockname()[1]
    calls: list[str] = []

    def rebinding(host: str, port: int, *args: Any) -> Any:
        calls.append(host)
        return answers("127.0.0.1" if len(calls) == 1 else "127.0.0.2")(host, port)

    policy = OutboundPolicy.from_settings(allowed_hosts=["127.0.0.1"], resolver=rebinding)
    connection = policy.connect("rebind.example", port)
    assert connection.getpeername()[0] == "127.0.0.1"
    connection.close()
    assert calls == ["rebind.example"]  # one resolution, not one to check and one to connect
    with pytest.raises(OutboundRefused, match="loopback"):
        policy.connect("rebind.example", port)
