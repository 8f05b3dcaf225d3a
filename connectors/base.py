"""The contract every connector implements, and the retry policy they all share.

A connector is constructed from its decrypted credentials, talks to its source through the
official client, and yields `SyncItem`s. It knows nothing of Django, the database or Celery:
the framework in `platform/connections` stores what it yields, saves each `Checkpoint`,
holds the lock and supplies a `Pacer` that spreads the source's rate limit over all workers.
"""

from __future__ import annotations

import ssl
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol, TypeVar

from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential_jitter

from common.outbound import (
    OutboundError,
    OutboundPolicy,
    OutboundRefused,
    default_policy,
    outbound_error_in,
)
from connectors.documents import (
    Deletion,
    DocumentInput,
    HierarchyNode,
    SourceAccount,
    SourceGroup,
    SyncItem,
)
from connectors.errors import (
    ConnectorError,
    InvalidConfiguration,
    ItemUnavailable,
    RateLimited,
    TransientError,
)

T = TypeVar("T")

# What a sync generator returns when it finishes: the cursor for the next incremental sync.
Cursor = Mapping[str, Any]
SyncGenerator = Generator[SyncItem, None, Cursor]


class Pacer(Protocol):
    """Spreads one source's rate limit over every worker (the framework's is in Redis)."""

    def wait_turn(self) -> None:
        """Block until the next request to the source may go out."""

    def hold(self, seconds: float) -> None:
        """The source said to wait (`Retry-After`): every worker holds off that long."""


class NoPacer:
    def wait_turn(self) -> None:
        return None

    def hold(self, seconds: float) -> None:
        return None


@dataclass(frozen=True)
class WebhookResult:
    """What a verified webhook means for the framework.

    `response` is answered as JSON (Slack's URL challenge); `event_id` de-duplicates the
    source's retries; `changed_ids` are items to fetch again, `deleted_ids` to remove;
    `sync_needed` asks for an incremental sync; `event` is the parsed payload for other
    consumers (the Slack bot). `verification_token` is what a subscription handshake sent
    (Notion's), for the admin to read on the connection's page and paste back."""

    response: Mapping[str, Any] | None = None
    verification_token: str = ""
    event_id: str = ""
    changed_ids: Sequence[str] = ()
    deleted_ids: Sequence[str] = ()
    sync_needed: bool = False
    event: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CredentialHelp:
    """What the admin is asked for: a label, where at the provider the value is found, and
    the provider's documentation page about it."""

    label: str
    help: str
    url: str


class Connector(ABC):
    """One source. Subclasses set `kind` and `credential_fields` and implement the rest.

    `selected_ids` are ids of `HierarchyNode`s the admin picked; empty means everything the
    credentials can reach. `resume` is the state of the last `Checkpoint` of an interrupted
    run of the same sync, or None for a fresh start.
    """

    kind: ClassVar[str]
    display_name: ClassVar[str]
    # Names of the credential fields an admin fills in; the secret ones are never shown back.
    credential_fields: ClassVar[tuple[str, ...]]
    secret_fields: ClassVar[tuple[str, ...]] = ()
    # One entry per credential field (a contract test checks every field has one).
    credential_help: ClassVar[Mapping[str, CredentialHelp]] = {}
    handles_webhooks: ClassVar[bool] = False
    # The pace the framework keeps across all workers for one connection, below the source's
    # published limits; a connection can lower or raise it in its settings.
    requests_per_minute: ClassVar[int] = 300
    # The source's edition a company runs itself (GitHub Enterprise Server), whose API base
    # URL a connection may name; empty when the source is only a cloud service.
    self_hosted_edition: ClassVar[str] = ""

    def __init__(
        self,
        credentials: Mapping[str, Any],
        *,
        base_url: str | None = None,
        pacer: Pacer | None = None,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 8,
        max_wait_seconds: float = 60.0,
        outbound: OutboundPolicy | None = None,
    ) -> None:
        self.credentials = dict(credentials)
        self.base_url = base_url
        # Every request the connector's client makes goes through this (common.outbound).
        self.outbound = outbound or default_policy()
        self.pacer: Pacer = pacer or NoPacer()
        self.sleep = sleep
        self.max_attempts = max_attempts
        self.max_wait_seconds = max_wait_seconds

    # --- the contract -------------------------------------------------------------------

    @abstractmethod
    def validate_credentials(self) -> SourceAccount:
        """Check the credentials against the source; raise InvalidCredentials if refused."""

    @abstractmethod
    def list_hierarchy(self, parent_id: str | None = None) -> list[HierarchyNode]:
        """The pickable parts under `parent_id` (top level when None), for the picker."""

    @abstractmethod
    def full_sync(
        self, selected_ids: Sequence[str], resume: Mapping[str, Any] | None = None
    ) -> SyncGenerator:
        """Every document in the selection, a `Checkpoint` after each page."""

    @abstractmethod
    def incremental_sync(
        self,
        selected_ids: Sequence[str],
        cursor: Cursor,
        resume: Mapping[str, Any] | None = None,
    ) -> SyncGenerator:
        """What changed or disappeared since `cursor` (returned by the previous sync)."""

    @abstractmethod
    def fetch_document(self, external_id: str) -> DocumentInput | Deletion:
        """One document as it is now at the source ("resync this item", webhook hints)."""

    def last_answer(self) -> tuple[int | None, str]:
        """HTTP status and content type of the source's last response, when the client
        records them: an answer that is not the API is reported by these, never its body."""
        return (None, "")

    def list_groups(self) -> Iterator[SourceGroup]:
        """Groups named by access lists, with their members. Sources without groups: none."""
        return iter(())

    @classmethod
    def handle_webhook(
        cls, *, credentials: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> WebhookResult:
        """Verify and interpret one webhook delivery; raise WebhookRejected if forged."""
        raise NotImplementedError(f"{cls.__name__} does not take webhooks")

    @abstractmethod
    def classify_error(self, error: Exception) -> ConnectorError | None:
        """Translate the client's exception into a ConnectorError, or None to re-raise it."""

    # --- shared behaviour ---------------------------------------------------------------

    def call(self, operation: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run one request to the source: paced, with transient failures retried.

        Rate limits wait exactly as long as the source's `Retry-After` says (capped at
        `max_wait_seconds`), other transient failures back off exponentially with jitter.
        Anything else is raised as the ConnectorError `classify_error` makes of it.
        """

        def attempt() -> T:
            self.pacer.wait_turn()
            try:
                return operation(*args, **kwargs)
            except ConnectorError:
                raise
            except Exception as error:
                refused = outbound_error_in(error)
                if refused is not None:
                    raise outbound_connector_error(self.display_name, refused) from error
                tls = tls_error_in(error)
                if tls is not None:
                    raise InvalidConfiguration(
                        f"{self.display_name}'s server failed the TLS check "
                        f"({getattr(tls, 'verify_message', None) or tls.reason or 'TLS error'}). "
                        "Check the API base URL; a server with a certificate of a private "
                        "authority needs that authority trusted by the platform's hosts."
                    ) from error
                translated = self.classify_error(error)
                if translated is None:
                    raise
                raise translated from error

        retrying = Retrying(
            retry=retry_if_exception_type(TransientError),
            stop=stop_after_attempt(self.max_attempts),
            wait=self._wait_for,
            sleep=self._sleep_and_hold,
            reraise=True,
        )
        return retrying(attempt)

    _backoff = wait_exponential_jitter(initial=0.5, max=30, jitter=0.5)

    def _wait_for(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return min(float(error.retry_after), self.max_wait_seconds)
        return float(self._backoff(state))

    def _sleep_and_hold(self, seconds: float) -> None:
        self.pacer.hold(seconds)
        self.sleep(seconds)


def tls_error_in(error: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__ or _wrapped(current)
    return None


def _wrapped(error: BaseException) -> BaseException | None:
    # urllib's URLError keeps the socket error in `reason`, githubkit's RequestError in `exc`.
    for name in ("reason", "exc"):
        inner = getattr(error, name, None)
        if isinstance(inner, BaseException):
            return inner
    return None


def outbound_connector_error(source: str, error: OutboundError) -> ConnectorError:
    """Not retried: the same URL is refused the same way next time, and a response past a
    limit would be as large again."""
    if isinstance(error, OutboundRefused):
        return InvalidConfiguration(error.message)
    return ItemUnavailable(f"{source}: {error.message}")


def retry_after_seconds(value: str | None) -> float | None:
    """Parse a Retry-After header given in seconds (what every source here sends)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
