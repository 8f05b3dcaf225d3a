"""Notion through an internal integration token and the official `notion-client`.

Documents: every page the integration can read (database rows included, their properties
in front of their body) and every data source (a database's table: its title, description
and columns). A database is a hierarchy node, not a document: its data sources and rows carry
its id in `parents`. External ids are Notion's object ids.

Access: Notion shows an integration nothing of a page's sharing, so every document is public
to the space the connection feeds; admins choose what the integration can see in Notion.

Sync: `POST /v1/search` lists pages and data sources, 100 a page, a checkpoint after each.
An incremental sync reads the search sorted by `last_edited_time`, newest first, and stops
at the cursor. Notion rounds `last_edited_time` down to the minute and its clock is not ours,
so the cursor sits a couple of minutes before the start of the sync or the newest edit it
saw, whichever is older, and remembers which versions it handled inside that overlap so they
are not read twice. Deleting in Notion moves a
page to the trash, where search still finds it with `in_trash` set: that is a `Deletion`.
What search cannot show (a page no longer shared with the integration, the rows of a
trashed database) is removed by the framework's periodic full sync, or at once when a
webhook subscription reports `page.deleted`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, cast

import httpx
from notion_client import Client, RequestTimeoutError
from notion_client.constants import DEFAULT_BASE_URL
from notion_client.errors import HTTPResponseError

from common.outbound_httpx import guarded_client, guarded_transport
from connectors.base import (
    Connector,
    CredentialHelp,
    Cursor,
    SyncGenerator,
    WebhookResult,
    retry_after_seconds,
)
from connectors.documents import (
    Checkpoint,
    Deletion,
    DocumentInput,
    HierarchyNode,
    ItemFailure,
    SourceAccount,
    SyncItem,
)
from connectors.errors import (
    ConnectorError,
    InvalidCredentials,
    ItemUnavailable,
    MalformedWebhook,
    RateLimited,
    TransientError,
    UnexpectedResponse,
    WebhookRejected,
    api_code,
)
from connectors.notion.blocks import SEPARATE_DOCUMENT_TYPES, BlockNode, render_blocks
from connectors.notion.mapping import (
    UNTITLED,
    data_source_text,
    format_time,
    is_database_row,
    is_trashed,
    object_title,
    page_title,
    parse_time,
    render_properties,
)

PAGE_SIZE = 100  # the most Notion returns in one page of any list
# Notion rounds last_edited_time down to the minute; the rest allows for clock skew.
OVERLAP = timedelta(minutes=2)
# Versions remembered inside the overlap; past this many, the oldest are simply read again.
REMEMBERED_VERSIONS_LIMIT = 5000
MAX_BLOCK_DEPTH = 16
MAX_ANCESTOR_DEPTH = 64
REQUEST_TIMEOUT_MS = 30_000
MIME_TYPE = "text/markdown"
TRANSIENT_STATUSES = frozenset({409, 500, 502, 503, 504})
TRANSIENT_CODES = frozenset(
    {"internal_server_error", "service_unavailable", "gateway_timeout", "conflict_error"}
)
NEWEST_FIRST = {"timestamp": "last_edited_time", "direction": "descending"}
# A full sync reads oldest first: a page edited meanwhile moves behind the position reached
# and is read (again) later, instead of ahead of it and missed.
OLDEST_FIRST = {"timestamp": "last_edited_time", "direction": "ascending"}

# The SDK makes a console logger of its own (one more handler per client) unless given one.
_sdk_logger = logging.getLogger("connectors.notion.client")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class _Ancestor:
    """A page, database or block above an item. Blocks are walked through, never listed."""

    id: str
    kind: str
    title: str
    parent: Mapping[str, Any]


@dataclass
class _Progress:
    """Where a sync is: saved in every checkpoint, and the source of the next cursor."""

    started_at: str
    search_cursor: str | None = None
    finished: bool = False
    newest_seen: str | None = None
    handled: dict[str, str] = field(default_factory=dict)  # id -> last_edited_time

    @classmethod
    def resume_or_start(cls, resume: Mapping[str, Any] | None) -> _Progress:
        if not resume:
            return cls(started_at=format_time(_now()))
        return cls(
            started_at=str(resume["started_at"]),
            search_cursor=resume.get("search_cursor"),
            finished=bool(resume.get("finished")),
            newest_seen=resume.get("newest_seen"),
            handled=dict(resume.get("handled") or {}),
        )

    def state(self) -> dict[str, Any]:
        # Only versions inside the coming cursor's overlap matter, and its lower end can only
        # move up as the sync sees newer edits: older ones can go now.
        oldest_kept = self.edited_since()
        kept = [(item, at) for item, at in self.handled.items() if _edited_at(at) >= oldest_kept]
        kept.sort(key=_edited_key, reverse=True)
        self.handled = dict(kept[:REMEMBERED_VERSIONS_LIMIT])
        return {
            "started_at": self.started_at,
            "search_cursor": self.search_cursor,
            "finished": self.finished,
            "newest_seen": self.newest_seen,
            "handled": dict(self.handled),
        }

    def saw(self, edited: str) -> None:
        if _edited_at(edited) > _edited_at(self.newest_seen):
            self.newest_seen = edited

    def edited_since(self, previous_newest_seen: str | None = None) -> datetime:
        """Where the next incremental sync starts: before the start of this sync, or before
        the newest edit seen, whichever is older.

        An item edited mid-sync behind the search's position is newer than the start; the
        source's clock may be behind ours, and then the newest edit seen is the better mark."""
        started = _edited_at(self.started_at).replace(second=0, microsecond=0)
        newest = max(_edited_at(self.newest_seen), _edited_at(previous_newest_seen))
        mark = min(newest, started) if newest > _NEVER else started
        return mark - OVERLAP

    def next_cursor(self, previous: Mapping[str, Any] | None) -> dict[str, Any]:
        previous = previous or {}
        newest = max(_edited_at(self.newest_seen), _edited_at(previous.get("newest_seen")))
        edited_since = self.edited_since(previous.get("newest_seen"))
        remembered = {**dict(previous.get("handled") or {}), **self.handled}
        handled = {
            item_id: edited
            for item_id, edited in remembered.items()
            if _edited_at(edited) >= edited_since
        }
        return {
            "edited_since": format_time(edited_since),
            "newest_seen": format_time(newest) if newest > _NEVER else None,
            "handled": handled,
        }


_NEVER = datetime.min.replace(tzinfo=UTC)


def _edited_at(value: Any) -> datetime:
    return parse_time(value) or _NEVER


def _edited_key(entry: tuple[str, str]) -> datetime:
    return _edited_at(entry[1])


def _place(item: Mapping[str, Any]) -> Mapping[str, Any]:
    """Where an item sits; a data source sits where its database does (the picker's node)."""
    if item.get("object") == "data_source":
        return item.get("database_parent") or {}
    return item.get("parent") or {}


def _header(headers: Mapping[str, str], name: str) -> str:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return ""


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        return None
    return payload if isinstance(payload, dict) else None


def _webhook_result(payload: Mapping[str, Any]) -> WebhookResult:
    entity = payload.get("entity") or {}
    if not isinstance(entity, Mapping):
        raise MalformedWebhook("The delivery's 'entity' is not an object.")
    for value in (payload.get("type"), payload.get("id"), entity.get("id")):
        if value is not None and not isinstance(value, str):
            raise MalformedWebhook("The delivery's type, id or entity id is not a string.")
    event_type = str(payload.get("type") or "")
    entity_id = str(entity.get("id") or "")
    event_id = str(payload.get("id") or "")
    kind, _, action = event_type.partition(".")
    if not entity_id or kind not in ("page", "data_source", "database"):
        return WebhookResult(event_id=event_id, event=payload)  # comments and the like
    if kind == "database" or event_type == "data_source.content_updated":
        # A database's rename or deletion reaches its data sources and rows; rows changed in
        # bulk: an incremental sync finds exactly which.
        return WebhookResult(event_id=event_id, sync_needed=True, event=payload)
    if action == "deleted":
        return WebhookResult(event_id=event_id, deleted_ids=[entity_id], event=payload)
    if action in ("locked", "unlocked"):
        return WebhookResult(event_id=event_id, event=payload)
    return WebhookResult(event_id=event_id, changed_ids=[entity_id], event=payload)


class NotionConnector(Connector):
    kind = "notion"
    display_name = "Notion"
    # The verification token is optional: it signs webhook deliveries, if the admin set up a
    # webhook subscription for the integration.
    credential_fields = ("integration_token", "webhook_verification_token")
    secret_fields = ("integration_token", "webhook_verification_token")
    credential_help = {
        "integration_token": CredentialHelp(
            "Integration secret",
            "notion.so/profile/integrations → your internal integration → Configuration → "
            "Internal Integration Secret (ntn_…); share the pages to sync with the integration.",
            "https://developers.notion.com/docs/create-a-notion-integration",
        ),
        "webhook_verification_token": CredentialHelp(
            "Webhook verification token (optional)",
            "Sent by Notion to the webhook URL when you create the integration's webhook "
            "subscription; this connection's page shows it to admins while webhooks are set up.",
            "https://developers.notion.com/reference/webhooks",
        ),
    }
    handles_webhooks = True
    # Notion allows an average of three requests per second per integration.
    requests_per_minute: ClassVar[int] = 150

    def __init__(self, credentials: Mapping[str, Any], **options: Any) -> None:
        super().__init__(credentials, **options)
        # A missing token is not refused here: Notion's 401 says it to the admin, as for any
        # token Notion does not accept.
        token = str(self.credentials.get("integration_token") or "").strip()
        self._transport = guarded_transport(self.outbound)
        self.client = Client(
            client=guarded_client(self.outbound, transport=self._transport),
            auth=token or None,
            base_url=(self.base_url or DEFAULT_BASE_URL).rstrip("/"),
            timeout_ms=REQUEST_TIMEOUT_MS,
            retry=False,  # Connector.call is the one retry policy
            logger=_sdk_logger,
            log_level=logging.ERROR,
        )
        self._ancestors_by_id: dict[str, _Ancestor | None] = {}
        self._databases: dict[str, Mapping[str, Any]] = {}
        self._database_of_data_source: dict[str, str] = {}

    # --- the contract -------------------------------------------------------------------

    def last_answer(self) -> tuple[int | None, str]:
        answer: tuple[int | None, str] = self._transport.last_answer
        return answer

    def validate_credentials(self) -> SourceAccount:
        try:
            me = self._request(self.client.users.me)
        except ValueError as error:  # the body was not JSON
            raise UnexpectedResponse("Notion", *self.last_answer()) from error
        if not isinstance(me, dict) or me.get("object") != "user" or not me.get("id"):
            raise UnexpectedResponse("Notion", *self.last_answer())
        bot = me.get("bot") or {}
        details = {"bot_name": str(me.get("name") or "")}
        if bot.get("workspace_id"):
            details["workspace_id"] = str(bot["workspace_id"])
        name = str(bot.get("workspace_name") or me.get("name") or "Notion")
        return SourceAccount(id=str(me["id"]), name=name, details=details)

    def list_hierarchy(self, parent_id: str | None = None) -> list[HierarchyNode]:
        if parent_id is None:
            return self._top_level_nodes()
        return self._child_nodes(parent_id, parent_id, depth=0)

    def full_sync(
        self, selected_ids: Sequence[str], resume: Mapping[str, Any] | None = None
    ) -> SyncGenerator:
        progress = _Progress.resume_or_start(resume)
        return self._sync(selected_ids, progress, previous=None)

    def incremental_sync(
        self,
        selected_ids: Sequence[str],
        cursor: Cursor,
        resume: Mapping[str, Any] | None = None,
    ) -> SyncGenerator:
        progress = _Progress.resume_or_start(resume)
        return self._sync(selected_ids, progress, previous=cursor)

    def fetch_document(self, external_id: str) -> DocumentInput | Deletion:
        item = self._retrieve_or_none(self.client.pages.retrieve, external_id)
        if item is None:
            item = self._retrieve_or_none(self.client.data_sources.retrieve, external_id)
        if item is None:
            return Deletion(external_id)
        self._remember([item])
        try:
            if self._is_gone(item):
                return Deletion(external_id)
            return self._document(item, self._ancestors_of(item))
        except ItemUnavailable:
            return Deletion(external_id)  # trashed or unshared between the two requests

    @classmethod
    def handle_webhook(
        cls, *, credentials: Mapping[str, Any], headers: Mapping[str, str], body: bytes
    ) -> WebhookResult:
        """Notion signs each event with HMAC-SHA256 of the body, keyed by the subscription's
        verification token: `X-Notion-Signature: sha256=<hex>`. Events name one entity; the
        page or data source is fetched again (or removed), database events ask for a sync."""
        signature = _header(headers, "x-notion-signature")
        payload = _json_object(body)
        if not signature:
            if payload is not None and set(payload) == {"verification_token"}:
                # The one-time handshake when the subscription is created: the framework keeps
                # the token for the connection's page, where the admin reads it to paste into
                # Notion's "Verify" dialog and the credentials. It proves nothing by itself.
                token = payload["verification_token"]
                return WebhookResult(
                    response={"ok": True},
                    event=payload,
                    verification_token=token if isinstance(token, str) else "",
                )
            raise WebhookRejected("The delivery has no X-Notion-Signature header.")
        token = str(credentials.get("webhook_verification_token") or "")
        if not token:
            raise WebhookRejected(
                "This connection has no webhook verification token: paste the one Notion sent "
                "when the webhook subscription was created."
            )
        expected = "sha256=" + hmac.new(token.encode(), body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
            raise WebhookRejected("The X-Notion-Signature does not match the delivery.")
        if payload is None:
            raise MalformedWebhook("The delivery is not a JSON object.")
        return _webhook_result(payload)

    def classify_error(self, error: Exception) -> ConnectorError | None:
        if isinstance(error, HTTPResponseError):
            code = str(getattr(error.code, "value", error.code))
            # The code when it is one of Notion's; never the message, which is the body's.
            message = f"Notion answered HTTP {error.status} {api_code(code)}".strip() + "."
            if error.status == 429 or code == "rate_limited":
                retry_after = retry_after_seconds(error.headers.get("retry-after"))
                return RateLimited(message, retry_after=retry_after)
            if error.status == 401 or code == "unauthorized":
                return InvalidCredentials(
                    "Notion refused the integration token: it was revoked or is wrong. "
                    "Paste the integration's current secret."
                )
            if error.status in (403, 404) or code in ("restricted_resource", "object_not_found"):
                return ItemUnavailable(message)
            if error.status in TRANSIENT_STATUSES or code in TRANSIENT_CODES:
                return TransientError(message)
            return None
        if isinstance(error, RequestTimeoutError):
            return TransientError("Notion did not answer in time.")
        if isinstance(error, httpx.TransportError):
            return TransientError(f"Could not reach Notion: {error!r}")
        return None

    # --- sync ---------------------------------------------------------------------------

    def _sync(
        self,
        selected_ids: Sequence[str],
        progress: _Progress,
        *,
        previous: Mapping[str, Any] | None,
    ) -> SyncGenerator:
        selection = frozenset(selected_ids)
        incremental = previous is not None
        edited_since = _edited_at((previous or {}).get("edited_since"))
        already_handled: Mapping[str, str] = (previous or {}).get("handled") or {}
        while not progress.finished:
            request: dict[str, Any] = {
                "page_size": PAGE_SIZE,
                "sort": NEWEST_FIRST if incremental else OLDEST_FIRST,
            }
            if progress.search_cursor:
                request["start_cursor"] = progress.search_cursor
            response = self._request(self.client.search, **request)
            results = [item for item in response.get("results") or () if isinstance(item, dict)]
            self._remember(results)
            reached_cursor = False
            for item in results:
                edited = str(item.get("last_edited_time") or "")
                if incremental and _edited_at(edited) < edited_since:
                    reached_cursor = True  # newest first: everything after is older still
                    break
                progress.saw(edited)
                if incremental and already_handled.get(str(item.get("id"))) == edited:
                    continue
                handled = yield from self._sync_item(item, selection, incremental=incremental)
                if handled:
                    progress.handled[str(item["id"])] = edited
            has_more = bool(response.get("has_more") and response.get("next_cursor"))
            progress.search_cursor = str(response["next_cursor"]) if has_more else None
            progress.finished = reached_cursor or not has_more
            yield Checkpoint(progress.state())
        return progress.next_cursor(previous)

    def _sync_item(
        self, item: Mapping[str, Any], selection: frozenset[str], *, incremental: bool
    ) -> Generator[SyncItem, None, bool]:
        """Yield what one search result means; False when it failed and is worth retrying."""
        item_id = str(item.get("id", ""))
        if item.get("object") not in ("page", "data_source"):
            return True
        try:
            if self._is_gone(item):
                if incremental:
                    yield Deletion(item_id)
                return True
            ancestors = self._ancestors_of(item)
            # A page outside the selection that used to be inside stays until the next full
            # sync: deleting every edited page outside the selection would flood the run.
            if selection and not self._is_selected(item_id, ancestors, selection):
                return True
            document = self._document(item, ancestors)
        except ItemUnavailable as error:
            yield ItemFailure(item_id, self._title_of(item), error.code, error.message)
            return False
        yield document
        return True

    @staticmethod
    def _is_selected(
        item_id: str, ancestors: Sequence[_Ancestor], selection: frozenset[str]
    ) -> bool:
        return item_id in selection or any(ancestor.id in selection for ancestor in ancestors)

    # --- documents ----------------------------------------------------------------------

    def _document(self, item: Mapping[str, Any], ancestors: Sequence[_Ancestor]) -> DocumentInput:
        if item.get("object") == "data_source":
            return self._data_source_document(item, ancestors)
        return self._page_document(item, ancestors)

    def _page_document(
        self, page: Mapping[str, Any], ancestors: Sequence[_Ancestor]
    ) -> DocumentInput:
        page_id = str(page["id"])
        title = page_title(page)
        body = render_blocks(self._block_tree(page_id))
        properties = (
            render_properties(page.get("properties") or {}) if is_database_row(page) else ""
        )
        text = "\n\n".join(part for part in (properties, body) if part.strip()) or title
        return DocumentInput(
            external_id=page_id,
            title=title,
            text=text,
            url=str(page.get("url") or ""),
            mime_type=MIME_TYPE,
            parents=[ancestor.id for ancestor in ancestors],
            breadcrumb=[ancestor.title for ancestor in ancestors],
            source_created_at=parse_time(page.get("created_time")),
            source_updated_at=parse_time(page.get("last_edited_time")),
        )

    def _data_source_document(
        self, data_source: Mapping[str, Any], ancestors: Sequence[_Ancestor]
    ) -> DocumentInput:
        database = self._database(self._database_id_of(data_source)) or {}
        title = object_title(data_source)
        if title == UNTITLED:
            title = object_title(database)
        description = data_source.get("description") or database.get("description") or []
        return DocumentInput(
            external_id=str(data_source["id"]),
            title=title,
            text=data_source_text(
                title=title,
                description=description,
                properties=data_source.get("properties") or {},
            ),
            url=str(data_source.get("url") or database.get("url") or ""),
            mime_type=MIME_TYPE,
            parents=[ancestor.id for ancestor in ancestors],
            breadcrumb=[ancestor.title for ancestor in ancestors],
            source_created_at=parse_time(data_source.get("created_time")),
            source_updated_at=parse_time(data_source.get("last_edited_time")),
        )

    def _block_tree(self, block_id: str, depth: int = 0) -> list[BlockNode]:
        """A page's (or block's) children, every page of them, with their children."""
        nodes: list[BlockNode] = []
        for block in self._block_children(block_id):
            node = BlockNode(block)
            # Child pages and databases are documents of their own; their blocks are theirs.
            if (
                block.get("has_children")
                and node.type not in SEPARATE_DOCUMENT_TYPES
                and depth < MAX_BLOCK_DEPTH
            ):
                node.children = self._block_tree(str(block["id"]), depth + 1)
            nodes.append(node)
        return nodes

    def _block_children(self, block_id: str) -> Iterator[Mapping[str, Any]]:
        start_cursor: str | None = None
        while True:
            response = self._request(
                self.client.blocks.children.list,
                block_id=block_id,
                page_size=PAGE_SIZE,
                start_cursor=start_cursor,
            )
            yield from (block for block in response.get("results") or () if isinstance(block, dict))
            if not response.get("has_more") or not response.get("next_cursor"):
                return
            start_cursor = str(response["next_cursor"])

    # --- the hierarchy ------------------------------------------------------------------

    def _top_level_nodes(self) -> list[HierarchyNode]:
        """Pages and databases at the top of the workspace (search is the only listing)."""
        items = [item for item in self._search_everything() if not is_trashed(item)]
        self._remember(items)
        placed = [(item, _place(item)) for item in items]
        with_children = {
            str(parent["page_id"]) for _, parent in placed if parent.get("type") == "page_id"
        }
        nodes: dict[str, HierarchyNode] = {}
        for item, parent in placed:
            if parent.get("type") != "workspace":
                continue
            if item.get("object") == "page":
                page_id = str(item["id"])
                nodes[page_id] = HierarchyNode(
                    id=page_id,
                    title=page_title(item),
                    kind="page",
                    has_children=page_id in with_children,
                    url=str(item.get("url") or ""),
                )
                continue
            database_id = self._database_id_of(item)
            if item.get("object") == "data_source" and database_id and database_id not in nodes:
                database = self._database(database_id) or {}
                nodes[database_id] = HierarchyNode(
                    id=database_id,
                    title=object_title(database or item),
                    kind="database",
                    url=str(database.get("url") or ""),
                )
        return list(nodes.values())

    def _child_nodes(self, block_id: str, parent_id: str, *, depth: int) -> list[HierarchyNode]:
        """Child pages and databases of a page, also those inside toggles and columns.

        A child page's `has_children` says it has content, not necessarily sub-pages: the
        picker may open it onto an empty list, which costs less than reading every page."""
        nodes: list[HierarchyNode] = []
        for block in self._block_children(block_id):
            kind = str(block.get("type", ""))
            payload = block.get(kind) or {}
            if kind in SEPARATE_DOCUMENT_TYPES:
                is_page = kind == "child_page"
                nodes.append(
                    HierarchyNode(
                        id=str(block["id"]),
                        title=str(payload.get("title") or UNTITLED),
                        kind="page" if is_page else "database",
                        parent_id=parent_id,
                        has_children=is_page and bool(block.get("has_children")),
                    )
                )
            elif block.get("has_children") and depth < MAX_BLOCK_DEPTH:
                nodes.extend(self._child_nodes(str(block["id"]), parent_id, depth=depth + 1))
        return nodes

    def _search_everything(self) -> Iterator[dict[str, Any]]:
        start_cursor: str | None = None
        while True:
            request: dict[str, Any] = {"page_size": PAGE_SIZE}
            if start_cursor:
                request["start_cursor"] = start_cursor
            response = self._request(self.client.search, **request)
            yield from (item for item in response.get("results") or () if isinstance(item, dict))
            if not response.get("has_more") or not response.get("next_cursor"):
                return
            start_cursor = str(response["next_cursor"])

    # --- ancestors ----------------------------------------------------------------------

    def _remember(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Search results name their parents: keep them so walking up costs no request."""
        for item in items:
            item_id = str(item.get("id", ""))
            if item.get("object") == "page":
                self._ancestors_by_id[item_id] = _Ancestor(
                    item_id, "page", page_title(item), item.get("parent") or {}
                )
            elif item.get("object") == "data_source":
                database_id = str((item.get("parent") or {}).get("database_id") or "")
                if database_id:
                    self._database_of_data_source[item_id] = database_id

    def _ancestors_of(self, item: Mapping[str, Any]) -> list[_Ancestor]:
        """Pages and databases above an item, nearest first."""
        chain: list[_Ancestor] = []
        visited: set[str] = {str(item.get("id", ""))}
        node = self._parent_node(item.get("parent") or {})
        while node is not None and node.id not in visited and len(visited) < MAX_ANCESTOR_DEPTH:
            visited.add(node.id)
            if node.kind != "block":
                chain.append(node)
            node = self._parent_node(node.parent)
        return chain

    def _parent_node(self, parent: Mapping[str, Any]) -> _Ancestor | None:
        kind = parent.get("type")
        if kind == "page_id":
            return self._ancestor("page", str(parent["page_id"]))
        if kind in ("database_id", "data_source_id"):
            database_id = parent.get("database_id")
            if not database_id and kind == "data_source_id":
                database_id = self._database_of(str(parent["data_source_id"]))
            return self._ancestor("database", str(database_id)) if database_id else None
        if kind == "block_id":
            return self._ancestor("block", str(parent["block_id"]))
        return None  # the workspace

    def _ancestor(self, kind: str, object_id: str) -> _Ancestor | None:
        if object_id in self._ancestors_by_id:
            return self._ancestors_by_id[object_id]
        node: _Ancestor | None
        if kind == "database":
            database = self._database(object_id)
            node = (
                _Ancestor(object_id, kind, object_title(database), database.get("parent") or {})
                if database is not None
                else None
            )
        else:
            retrieve = self.client.pages.retrieve if kind == "page" else self.client.blocks.retrieve
            found = self._retrieve_or_none(retrieve, object_id)
            if found is None:
                node = None
            elif kind == "page":
                node = _Ancestor(object_id, kind, page_title(found), found.get("parent") or {})
            else:
                node = _Ancestor(object_id, kind, "", found.get("parent") or {})
        # None: not shared with the integration, so the item's known hierarchy starts below.
        self._ancestors_by_id[object_id] = node
        return node

    def _database(self, database_id: str) -> Mapping[str, Any] | None:
        if database_id not in self._databases:
            found = self._retrieve_or_none(self.client.databases.retrieve, database_id)
            if found is None:
                return None
            self._databases[database_id] = found
        return self._databases[database_id]

    def _database_of(self, data_source_id: str) -> str:
        if data_source_id not in self._database_of_data_source:
            found = self._retrieve_or_none(self.client.data_sources.retrieve, data_source_id)
            self._remember([found] if found else [])
        return self._database_of_data_source.get(data_source_id, "")

    def _database_id_of(self, data_source: Mapping[str, Any]) -> str:
        return str((data_source.get("parent") or {}).get("database_id") or "")

    def _is_gone(self, item: Mapping[str, Any]) -> bool:
        if is_trashed(item):
            return True
        if item.get("object") == "data_source":
            database = self._database(self._database_id_of(item))
            return database is None or is_trashed(database)
        return False

    @staticmethod
    def _title_of(item: Mapping[str, Any]) -> str:
        return object_title(item)

    # --- requests -----------------------------------------------------------------------

    def _request(self, operation: Callable[..., Any], *args: Any, **kwargs: Any) -> dict[str, Any]:
        # The SDK's methods are typed sync-or-async; this client is the synchronous one.
        return cast(dict[str, Any], self.call(operation, *args, **kwargs))

    def _retrieve_or_none(
        self, retrieve: Callable[..., Any], object_id: str
    ) -> dict[str, Any] | None:
        try:
            return self._request(retrieve, object_id)
        except ItemUnavailable:
            return None
