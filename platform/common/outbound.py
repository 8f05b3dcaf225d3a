"""One outbound policy for every request to a URL that a person typed or a source returned.

Connection and model base URLs, the file URLs a source hands back, later tool servers and web
hooks: each is a way for someone to make the platform fetch a URL of their choosing from
inside the company network (server-side request forgery). The policy closes that door:

- `check_url` accepts https only (http only for an allow-listed host), no user:password@,
  and a host name or address that parses;
- `resolve` resolves the host ONCE and refuses when any address it got is loopback,
  private, link-local, unique-local, multicast, reserved, unspecified, shared (CGNAT) or a
  cloud metadata address, IPv4 or IPv6, including IPv4 embedded in IPv6 (mapped, 6to4,
  Teredo, NAT64) and the numeric forms `inet_aton` accepts (2130706433, 0x7f.1, 017700000001,
  127.1);
- the adapters (`common.outbound_httpx`, `_urllib`, `_httplib2`) connect to exactly the
  addresses `resolve` checked, so a name cannot resolve to a public address for the check
  and to 127.0.0.1 for the connection (DNS rebinding), keep TLS verification and SNI on the
  host name, check every redirect again, and bound the response's size and time.

An operator reaches internal services on purpose by allow-listing them
(`OUTBOUND_ALLOWED_HOSTS`: host names, addresses and CIDR networks): an on-premises GitHub
Enterprise, a local model server, an egress proxy, the test suite's fakes on 127.0.0.1.

Plain Python, no Django: connectors use it. `default_policy()` is what a client gets when it
is handed none; the Django app installs a source that reads the settings.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import SplitResult, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# socket.getaddrinfo's shape: (host, port, family, type, ...) -> [(family, type, proto,
# canonname, sockaddr)]. Tests inject one that answers what an attacker's DNS would.
Resolver = Callable[..., Sequence[tuple[Any, ...]]]

ALLOWED_HOSTS_SETTING = "OUTBOUND_ALLOWED_HOSTS"
ADVICE = f"If it is meant to be reached, ask your operator to add it to {ALLOWED_HOSTS_SETTING}."

DEFAULT_TIMEOUT_SECONDS = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024

# Instance metadata services hand out cloud credentials to whoever asks from inside. Most
# sit in ranges refused anyway (169.254.169.254 link-local, fd00:ec2::254 unique-local,
# 100.100.100.200 shared); these are named so the error says what they are, and two of them
# (Azure's wire server, Oracle's 192.0.0.192) are in ranges `ipaddress` calls global.
CLOUD_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task credentials
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server
        "192.0.0.192",  # Oracle Cloud
    )
)
# Special-purpose ranges this Python's `ipaddress` does not flag in every patch release.
EXTRA_REFUSED_NETWORKS = tuple(
    ipaddress.ip_network(network)
    for network in (
        "100.64.0.0/10",  # shared address space (carrier-grade NAT)
        "192.0.0.0/24",  # IETF protocol assignments
        "198.18.0.0/15",  # benchmarking
        "64:ff9b:1::/48",  # local-use NAT64
        "fec0::/10",  # deprecated site-local
    )
)
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")

# Only strings of digits, hex digits, x and dots are offered to inet_aton: glibc's accepts
# "1.2.3.4 anything" and would turn a host name with a space into an address.
_NUMERIC_HOST = re.compile(r"^[0-9a-fA-FxX.]+$")
_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^(?=.{{1,253}}$){_LABEL}(\.{_LABEL})*$")


class OutboundError(Exception):
    """A request the policy stopped. `message` is written for the person who typed the URL
    and never contains what the remote server answered."""

    code = "outbound_refused"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OutboundRefused(OutboundError):
    """The URL or the address it resolves to may not be reached."""


class ResponseTooLarge(OutboundError):
    code = "response_too_large"


class ResponseTooSlow(OutboundError):
    code = "response_too_slow"


@dataclass(frozen=True)
class Target:
    """A URL that passed `check_url`: the scheme, the normalised host and the port."""

    scheme: str
    host: str
    port: int
    address: IPAddress | None  # set when the URL names an address rather than a name

    @property
    def authority(self) -> str:
        return f"{self.scheme}://{_bracketed(self.host)}:{self.port}"


def parse_allow_list(entries: Iterable[str]) -> tuple[frozenset[str], tuple[IPNetwork, ...]]:
    """Split OUTBOUND_ALLOWED_HOSTS into host names and networks (an address is a /32)."""
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for raw in entries:
        entry = raw.strip().strip("[]").lower()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
            continue
        except ValueError:
            pass
        address = numeric_address(entry)
        if address is not None:
            networks.append(ipaddress.ip_network(address))
        else:
            names.add(entry.rstrip("."))
    return frozenset(names), tuple(networks)


@dataclass(frozen=True)
class OutboundPolicy:
    allowed_hosts: frozenset[str] = frozenset()
    allowed_networks: tuple[IPNetwork, ...] = ()
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    max_redirects: int = 5
    resolver: Resolver = field(default=socket.getaddrinfo, compare=False, repr=False)

    @classmethod
    def from_settings(
        cls,
        *,
        allowed_hosts: Iterable[str] = (),
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        resolver: Resolver | None = None,
    ) -> OutboundPolicy:
        names, networks = parse_allow_list(allowed_hosts)
        return cls(
            allowed_hosts=names,
            allowed_networks=networks,
            timeout_seconds=timeout_seconds,
            max_response_bytes=max_response_bytes,
            resolver=resolver or socket.getaddrinfo,
        )

    # --- the allow-list -----------------------------------------------------------------

    def host_is_allowed(self, host: str) -> bool:
        """The operator named this host, or an address or network it lies in."""
        address = host_address(host)
        if address is not None:
            return self.address_is_allowed(address)
        return normalise_name(host) in self.allowed_hosts

    def address_is_allowed(self, address: IPAddress) -> bool:
        candidates = [address]
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            candidates.append(address.ipv4_mapped)
        return any(
            candidate.version == network.version and candidate in network
            for candidate in candidates
            for network in self.allowed_networks
        )

    # --- checks -------------------------------------------------------------------------

    def check_url(self, url: str) -> Target:
        """Refuse a URL that may not be requested at all; DNS is not asked here."""
        parts = _split(url)
        scheme = (parts.scheme or "").lower()
        if scheme not in ("http", "https"):
            raise OutboundRefused(
                f"{_shown(url)} is not an https:// URL. Use the server's https:// address."
            )
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            raise OutboundRefused(
                f"{_shown(url)} has a user name or password in it. Remove them from the URL; "
                "credentials go in their own fields."
            )
        raw_host = parts.hostname or ""
        if not raw_host:
            raise OutboundRefused(f"{_shown(url)} names no host.")
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise OutboundRefused(f"{_shown(url)} has a port that is not a number.") from None
        address = host_address(raw_host)
        host = str(address) if address is not None else normalise_name(raw_host)
        if address is None and not _HOST_NAME.match(host):
            raise OutboundRefused(f"{_shown(url)} does not name a valid host.")
        if address is not None and not self.address_is_allowed(address):
            _refuse_address(address, host)
        if scheme == "http" and not self.host_is_allowed(raw_host):
            raise OutboundRefused(
                f"{_shown(url)} is plain http, which is allowed only for hosts the operator "
                f"allow-listed. Use https://, or ask your operator to add {host} to "
                f"{ALLOWED_HOSTS_SETTING}."
            )
        return Target(scheme=scheme, host=host, port=port, address=address)

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """The addresses to connect to, resolved once and every one of them checked.

        A name resolving to several addresses is refused when any is internal: an attacker's
        DNS would otherwise answer one public and one private address and let the client's
        happy-eyeballs pick. Connect to what this returns, never to `host` again."""
        address = host_address(host)
        if address is not None:
            if not self.address_is_allowed(address):
                _refuse_address(address, host)
            return [address]
        name = normalise_name(host)
        try:
            answers = self.resolver(name, port, 0, socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise OutboundRefused(
                f"The host {name} could not be found (DNS). Check the URL."
            ) from None
        addresses: list[IPAddress] = []
        for answer in answers:
            try:
                resolved = ipaddress.ip_address(str(answer[4][0]).split("%")[0])
            except (ValueError, IndexError, TypeError):
                continue
            if resolved not in addresses:
                addresses.append(resolved)
        if not addresses:
            raise OutboundRefused(f"The host {name} could not be found (DNS). Check the URL.")
        if name in self.allowed_hosts:
            return addresses
        for resolved in addresses:
            if not self.address_is_allowed(resolved):
                reason = refusal_reason(resolved)
                if reason:
                    raise OutboundRefused(
                        f"The host {name} resolves to {reason}, which the platform does not "
                        f"connect to. {ADVICE}"
                    )
        return addresses

    def check(self, url: str) -> tuple[Target, list[IPAddress]]:
        """check_url and resolve together: what validating a typed base URL does."""
        target = self.check_url(url)
        return target, self.resolve(target.host, target.port)

    def connect(self, host: str, port: int, *, timeout: float | None = None) -> socket.socket:
        """A TCP socket to one of the checked addresses of host (tried in order)."""
        last_error: OSError | None = None
        for address in self.resolve(host, port):
            try:
                return socket.create_connection(
                    (str(address), port),
                    timeout=self.timeout_seconds if timeout is None else timeout,
                )
            except OSError as error:
                last_error = error
        assert last_error is not None
        raise last_error

    def deadline(self) -> Deadline:
        return Deadline(self.timeout_seconds)

    def too_large(self, url: str = "") -> ResponseTooLarge:
        where = f" from {_shown(url)}" if url else ""
        return ResponseTooLarge(
            f"The response{where} is larger than {self.max_response_bytes} bytes, the limit "
            "for one response (OUTBOUND_MAX_RESPONSE_BYTES); it was cut off."
        )


class Deadline:
    """The whole response must arrive within the policy's time, not only each read: a
    server dripping one byte per timeout would otherwise hold a worker for ever."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.ends_at:
            raise ResponseTooSlow(
                f"The server did not finish its answer within {self.seconds:g} seconds "
                "(OUTBOUND_TIMEOUT_SECONDS); the request was cut off."
            )


class ByteBudget:
    """Counts the bytes of one response body and raises once it passes the limit."""

    def __init__(self, policy: OutboundPolicy, url: str = "") -> None:
        self.policy = policy
        self.url = url
        self.received = 0
        self.deadline = policy.deadline()

    def check_declared(self, content_length: str | None) -> None:
        declared = (content_length or "").strip()
        if declared.isdigit() and int(declared) > self.policy.max_response_bytes:
            raise self.policy.too_large(self.url)

    def add(self, size: int) -> None:
        self.received += size
        if self.received > self.policy.max_response_bytes:
            raise self.policy.too_large(self.url)
        self.deadline.check()


def outbound_error_in(error: BaseException) -> OutboundError | None:
    """The policy's refusal behind an SDK's exception: githubkit wraps it in RequestError,
    urllib in URLError, openai in APIConnectionError, google-auth in TransportError."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, OutboundError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


# --- addresses ------------------------------------------------------------------------


def numeric_address(host: str) -> IPAddress | None:
    """An IPv4 address in any form `inet_aton` (and so getaddrinfo) accepts: dotted,
    decimal, octal, hex and the short forms (127.1). None for anything else."""
    if not _NUMERIC_HOST.match(host) or host.endswith("."):
        return None
    try:
        packed = socket.inet_aton(host)
    except OSError:
        return None
    return ipaddress.IPv4Address(packed)


def host_address(host: str) -> IPAddress | None:
    """The address a URL host names, if it names one ([::1], 127.0.0.1, 0x7f.1, ...)."""
    candidate = host.strip().strip("[]").rstrip(".") if host else ""
    if not candidate:
        return None
    try:
        return ipaddress.ip_address(candidate.split("%")[0])
    except ValueError:
        return numeric_address(candidate)


def normalise_name(host: str) -> str:
    name = host.strip().strip("[]").rstrip(".").lower()
    try:
        # International names compare and resolve by their ASCII (punycode) form.
        return name.encode("idna").decode("ascii")
    except UnicodeError:
        return name


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, 6to4, Teredo client, NAT64."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal_reason(address: IPAddress) -> str:
    """Why the platform does not connect to this address, or "" when it may."""
    if address in CLOUD_METADATA_ADDRESSES:
        return f"a cloud metadata address ({address})"
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = refusal_reason(inner)
            if reason:
                return f"{reason} inside the IPv6 address {address}"
            if address.ipv4_mapped is not None or address in NAT64_PREFIX:
                # The connection reaches the IPv4 address itself (NAT64: how IPv6-only
                # networks reach IPv4 hosts), which is public.
                return ""
    if address.is_loopback:
        return "a loopback address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if isinstance(address, ipaddress.IPv6Address) and address in ipaddress.ip_network("fc00::/7"):
        return "a unique-local address"
    if address.is_private:
        return "a private address"
    if address.is_reserved:
        return "a reserved address"
    if any(address.version == net.version and address in net for net in EXTRA_REFUSED_NETWORKS):
        return "a special-purpose address"
    if not address.is_global:
        return "an address that is not public"
    return ""


def _refuse_address(address: IPAddress, host: str) -> None:
    reason = refusal_reason(address)
    if reason:
        raise OutboundRefused(
            f"{host} is {reason}, which the platform does not connect to. {ADVICE}"
        )


def _split(url: str) -> SplitResult:
    if not isinstance(url, str) or any(ord(character) < 33 for character in url):
        raise OutboundRefused("The URL contains spaces or control characters.")
    try:
        return urlsplit(url)
    except ValueError:
        raise OutboundRefused(f"{_shown(url)} is not a valid URL.") from None


def _shown(url: str) -> str:
    """The URL as an error may show it: without credentials, shortened."""
    try:
        parts = urlsplit(url)
        if parts.password is not None or parts.username is not None:
            host = parts.hostname or ""
            url = parts._replace(netloc=f"***@{host}").geturl()
    except ValueError:
        pass
    return url if len(url) <= 120 else url[:117] + "..."


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


# --- the process's policy --------------------------------------------------------------

_policy_source: Callable[[], OutboundPolicy] = OutboundPolicy


def set_default_policy_source(source: Callable[[], OutboundPolicy]) -> None:
    """Where `default_policy` comes from (the Django app reads it from the settings each
    time, so a changed setting applies to the next client)."""
    global _policy_source
    _policy_source = source


def default_policy() -> OutboundPolicy:
    """The policy a client gets when its caller hands it none. Without configuration it
    allow-lists nothing."""
    return _policy_source()
