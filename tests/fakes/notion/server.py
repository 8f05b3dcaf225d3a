"""A fake Notion API on 127.0.0.1 for the real `notion-client` pointed at it via base_url.

It speaks Notion-Version 2025-09-03, the version notion-client 3.x sends (and the fake
requires the header): databases are containers of data sources, database rows are pages whose
parent is a data source, and search returns `page` and `data_source` objects.

Endpoints: GET /v1/users/me, /v1/users, /v1/users/{id}; POST /v1/search (query, filter
{"property": "object", "value": "page" | "data_source"}, sort {"timestamp":
"last_edited_time", "direction"}, start_cursor, page_size <= 100); GET /v1/pages/{id},
/v1/databases/{id}, /v1/data_sources/{id}; POST /v1/data_sources/{id}/query (paginated; sorts
by timestamp, filters ignored); GET /v1/blocks/{id} and /v1/blocks/{id}/children (page_size,
start_cursor). Lists are {"object": "list", "results", "next_cursor", "has_more", "type"}, and
as in Notion a cursor is the id of the next result.

Errors are Notion's error object {"object": "error", "status", "code", "message",
"request_id"}: 401 unauthorized, 400 missing_version / validation_error /
invalid_request_url, 404 object_not_found, and as injected faults 429 rate_limited (with
Retry-After), 500 internal_server_error, 503 service_unavailable and a proxy's HTML 502.

Deleting is trashing: `mutate()` moves pages to the trash (`in_trash` and `archived` set,
`last_edited_time` now), and search keeps returning them so an incremental sync sees it.
Webhook deliveries are signed like Notion's: X-Notion-Signature: sha256=HMAC(verification
token, body).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import re
import threading
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from tests.connectors.contract import Mutation
from tests.fakes.http import FakeServer, Request, Response
from tests.fakes.notion.seed import (
    Json,
    Workspace,
    WorkspaceBuilder,
    notion_time,
    option,
    page_parent,
    page_title_of,
    text_block,
    texts,
)

NOTION_VERSION = "2025-09-03"
MAX_PAGE_SIZE = 100
DEFAULT_DOCUMENT_COUNT = 295  # what the default seed yields: pages and data sources
DATA_SOURCE_COUNT = 6
UUID_PATTERN = r"[0-9a-fA-F-]{32,36}"
DASHLESS = re.compile(r"^[0-9a-fA-F]{32}$")


def notion_error(
    status: int, code: str, message: str, headers: dict[str, str] | None = None
) -> Response:
    body = {
        "object": "error",
        "status": status,
        "code": code,
        "message": message,
        "request_id": str(uuid.uuid4()),
    }
    return Response(status, body, headers=headers or {})


def rate_limited(retry_after: int = 1) -> Response:
    return notion_error(
        429,
        "rate_limited",
        "You have been rate limited. Please try again in a few minutes.",
        {"Retry-After": str(retry_after)},
    )


def internal_server_error() -> Response:
    return notion_error(500, "internal_server_error", "Unexpected error occurred.")


def service_unavailable() -> Response:
    return notion_error(
        503, "service_unavailable", "Notion is unavailable, please try again later."
    )


def bad_gateway() -> Response:
    """What a proxy in front of Notion answers: HTML, not Notion's error object."""
    html = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"
    return Response(502, html, content_type="text/html")


class ApiError(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__(response.body)
        self.response = response


def normalise_id(value: str) -> str:
    """Notion takes ids with or without dashes."""
    if DASHLESS.match(value):
        return str(uuid.UUID(value))
    return value.lower()


class FakeNotion(FakeServer):
    # Notion shows an integration nothing about who may open a page: every item is public.
    has_private_items = False

    def __init__(
        self,
        seed: int = 7,
        *,
        pages: int | None = None,
        extra_pages: int = 0,
        rows_per_data_source: int = 0,
    ) -> None:
        """`pages`: about this many documents in all (at least the default workspace's ~280),
        nine in ten of the extra ones generated pages, one in ten database rows."""
        super().__init__()
        self.seed = seed
        if pages is not None and pages > DEFAULT_DOCUMENT_COUNT:
            extra = pages - DEFAULT_DOCUMENT_COUNT
            rows_per_data_source = extra // 10 // DATA_SOURCE_COUNT
            extra_pages = extra - rows_per_data_source * DATA_SOURCE_COUNT
        self.builder = WorkspaceBuilder(
            seed, extra_pages=extra_pages, rows_per_data_source=rows_per_data_source
        )
        self.workspace: Workspace = self.builder.build()
        token_random = random.Random(seed)
        alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        self.token = "ntn_" + "".join(token_random.choice(alphabet) for _ in range(46))
        self.verification_token = "secret_" + "".join(
            token_random.choice(alphabet) for _ in range(43)
        )
        self.revoked = False
        self.restricted: set[str] = set()  # pages whose content answers 403
        self.notion_versions: set[str] = set()
        self.mutation_count = 0
        self._data_lock = threading.RLock()
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Json]]] = [
            ("GET", re.compile(r"/v1/users/me"), self._users_me),
            ("GET", re.compile(r"/v1/users"), self._users),
            ("GET", re.compile(rf"/v1/users/({UUID_PATTERN})"), self._user),
            ("POST", re.compile(r"/v1/search"), self._search),
            ("GET", re.compile(rf"/v1/pages/({UUID_PATTERN})"), self._page),
            ("GET", re.compile(rf"/v1/databases/({UUID_PATTERN})"), self._database),
            ("GET", re.compile(rf"/v1/data_sources/({UUID_PATTERN})"), self._data_source),
            ("POST", re.compile(rf"/v1/data_sources/({UUID_PATTERN})/query"), self._query),
            ("GET", re.compile(rf"/v1/blocks/({UUID_PATTERN})"), self._block),
            ("GET", re.compile(rf"/v1/blocks/({UUID_PATTERN})/children"), self._block_children),
        ]

    def start(self) -> FakeNotion:
        super().start()
        # The base handler writes headers and body in two sends; with Nagle's algorithm on,
        # each keep-alive response then waits ~40 ms for the client's delayed ACK.
        if self._server is not None:
            self._server.RequestHandlerClass.disable_nagle_algorithm = True  # type: ignore[attr-defined]
        return self

    def __enter__(self) -> FakeNotion:
        return self.start()

    @classmethod
    def big(cls, seed: int = 7) -> FakeNotion:
        """About 2,000 documents, for the benchmark: generated pages under every section and
        more rows in every data source."""
        return cls(seed, pages=2_000)

    # --- FakeSource -----------------------------------------------------------------------

    def credentials(self) -> dict[str, Any]:
        return {
            "integration_token": self.token,
            "webhook_verification_token": self.verification_token,
        }

    def revoke_credentials(self) -> None:
        self.revoked = True

    def inject_transient_faults(self, rate: float, retry_after: int = 1) -> None:
        self.inject_faults(
            rate,
            lambda: rate_limited(retry_after),
            internal_server_error,
            service_unavailable,
            bad_gateway,
        )

    def expected_external_ids(self, selected_ids: Sequence[str] = ()) -> set[str]:
        selected = set(selected_ids)
        expected = set()
        with self._data_lock:
            for item_id in self.workspace.searchable:
                item = self._searchable_object(item_id)
                if self._is_gone(item):
                    continue
                ancestors = self.ancestor_ids(item)
                if any(
                    self._is_gone(self.workspace.pages[a])
                    for a in ancestors
                    if a in self.workspace.pages
                ):
                    continue
                if selected and not (item_id in selected or selected & set(ancestors)):
                    continue
                expected.add(item_id)
        return expected

    def selectable_id(self) -> str:
        return self.workspace.named["Engineering Roadmap"]

    def mutate(self) -> Mutation:
        """Edit pages, rows and a data source's columns, add pages and a row, trash pages."""
        with self._data_lock:
            self.mutation_count += 1
            rng = random.Random(self.seed * 1_000 + self.mutation_count)
            now = notion_time(datetime.now(UTC))
            mutation = Mutation()
            pages = self.workspace.pages
            live = sorted(page_id for page_id, page in pages.items() if not self._is_gone(page))
            plain = [page_id for page_id in live if pages[page_id]["parent"]["type"] == "page_id"]
            rows = [
                page_id for page_id in live if pages[page_id]["parent"]["type"] == "data_source_id"
            ]
            leaves = [page_id for page_id in plain + rows if not self._child_page_ids(page_id)]

            deleted = rng.sample(leaves, 4)
            untouchable = set(deleted) | {
                pages[page_id]["parent"].get("page_id") for page_id in deleted
            }
            for page_id in deleted:
                self.trash_page(page_id, now)
            mutation.deleted.update(deleted)

            for page_id in rng.sample([p for p in plain if p not in untouchable], 4):
                self._edit_paragraph(page_id, f"Updated on {now}: the plan changed again.", now)
                mutation.changed.add(page_id)
            for page_id in rng.sample([r for r in rows if r not in untouchable], 2):
                self._edit_row(page_id, now)
                mutation.changed.add(page_id)
            roles_source = self.workspace.named["Open Roles"]
            self._add_column_option(roles_source, f"Porto {self.mutation_count}", now)
            mutation.changed.add(roles_source)

            for parent_id in rng.sample([p for p in plain if p not in untouchable], 2):
                title = f"New Page {self.mutation_count}-{len(mutation.added) + 1}"
                added = self.builder.add_page(
                    title,
                    page_parent(parent_id),
                    content=self.builder.body(title),
                    container=parent_id,
                )
                self._stamp(pages[added], now, created=True)
                pages[parent_id]["last_edited_time"] = now
                mutation.added.add(added)
                mutation.changed.add(parent_id)
            roadmap_row = pages[self.workspace.named["roadmap row"]]
            title, properties, content = self.builder.roadmap_row(1_000 + self.mutation_count)
            added = self.builder.add_page(
                title, roadmap_row["parent"], properties=properties, content=content
            )
            self._stamp(pages[added], now, created=True)
            mutation.added.add(added)
        return mutation

    def forged_webhook(self) -> tuple[dict[str, str], bytes]:
        headers, body = self.signed_webhook()
        wrong = hmac.new(b"not-the-token", body, hashlib.sha256).hexdigest()
        return {**headers, "X-Notion-Signature": f"sha256={wrong}"}, body

    def signed_webhook(
        self, event_type: str = "page.content_updated"
    ) -> tuple[dict[str, str], bytes]:
        page_id = self.workspace.named["Runbooks"]
        bot = self.workspace.bot
        event = {
            "id": str(uuid.uuid4()),
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "workspace_id": bot["bot"]["workspace_id"],
            "workspace_name": bot["bot"]["workspace_name"],
            "subscription_id": str(uuid.UUID(int=self.seed, version=4)),
            "integration_id": bot["id"],
            "type": event_type,
            "authors": [{"id": self.workspace.people[0]["id"], "type": "person"}],
            "attempt_number": 1,
            "entity": {"id": page_id, "type": "page"},
            "data": {"parent": {"id": self.workspace.named["Engineering"], "type": "page"}},
        }
        body = json.dumps(event).encode()
        signature = hmac.new(self.verification_token.encode(), body, hashlib.sha256).hexdigest()
        headers = {"Content-Type": "application/json", "X-Notion-Signature": f"sha256={signature}"}
        return headers, body

    # --- changing the workspace -----------------------------------------------------------

    def trash_page(self, page_id: str, now: str | None = None) -> None:
        """Move a page to the trash as the Notion app does; its block leaves its parent."""
        with self._data_lock:
            now = now or notion_time(datetime.now(UTC))
            page = self.workspace.pages[page_id]
            page.update(archived=True, in_trash=True, last_edited_time=now)
            block = self.workspace.blocks.get(page_id)
            if block is not None:
                block.update(archived=True, in_trash=True, last_edited_time=now)

    def edit_page(self, page_id: str, text: str) -> None:
        """Rewrite a page's first paragraph now (Notion stamps the minute)."""
        with self._data_lock:
            self._edit_paragraph(page_id, text, notion_time(datetime.now(UTC)))

    def restrict_page(self, page_id: str) -> None:
        """The page stays in search, but reading its content is refused (403), as when an
        integration loses a capability or a page is locked down mid-sync."""
        self.restricted.add(page_id)

    def _stamp(self, page: Json, now: str, *, created: bool = False) -> None:
        page["last_edited_time"] = now
        if created:
            page["created_time"] = now
            for block in self._walk(page["id"]):
                block["created_time"] = block["last_edited_time"] = now

    def _edit_paragraph(self, page_id: str, text: str, now: str) -> None:
        paragraphs = [block for block in self._walk(page_id) if block["type"] == "paragraph"]
        if paragraphs:
            paragraphs[0]["paragraph"]["rich_text"] = texts(text)
            paragraphs[0]["last_edited_time"] = now
        else:
            self.builder.add_blocks(page_id, [text_block("paragraph", text)], times=(now, now))
        self.workspace.pages[page_id]["last_edited_time"] = now

    def _edit_row(self, page_id: str, now: str) -> None:
        page = self.workspace.pages[page_id]
        for value in page["properties"].values():
            if value["type"] in ("select", "status"):
                value[value["type"]] = option("Blocked")
                break
        else:
            for value in page["properties"].values():
                if value["type"] == "title":
                    value["title"] = texts(page_title_of(page) + " (revised)")
        page["last_edited_time"] = now

    def _add_column_option(self, data_source_id: str, name: str, now: str) -> None:
        data_source = self.workspace.data_sources[data_source_id]
        for column in data_source["properties"].values():
            if column["type"] == "multi_select":
                column["multi_select"]["options"].append(option(name))
                break
        data_source["last_edited_time"] = now

    # --- the wire -------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        headers = {name.lower(): value for name, value in request.headers.items()}
        if self.revoked or request.bearer_token() != self.token:
            return notion_error(401, "unauthorized", "API token is invalid.")
        version = headers.get("notion-version")
        if not version:
            return notion_error(
                400,
                "missing_version",
                "Notion-Version header failed validation: Notion-Version header should be "
                "defined, instead was `undefined`.",
            )
        self.notion_versions.add(version)
        for method, pattern, route in self._routes:
            match = pattern.fullmatch(request.path.rstrip("/"))
            if match is None:
                continue
            if method != request.method:
                break
            try:
                with self._data_lock:
                    body = route(request, *(normalise_id(group) for group in match.groups()))
            except ApiError as error:
                return error.response
            body.setdefault("request_id", str(uuid.uuid4()))
            return Response(200, body)
        return notion_error(400, "invalid_request_url", "Invalid request URL.")

    def _users_me(self, request: Request) -> Json:
        return dict(self.workspace.bot)

    def _users(self, request: Request) -> Json:
        users = [*self.workspace.people, self.workspace.bot]
        page_size = self._page_size(request.query.get("page_size"))
        return self._list(users, request.query.get("start_cursor"), page_size, "user")

    def _user(self, request: Request, user_id: str) -> Json:
        for user in [*self.workspace.people, self.workspace.bot]:
            if user["id"] == user_id:
                return dict(user)
        raise ApiError(
            notion_error(404, "object_not_found", f"Could not find user with ID: {user_id}.")
        )

    def _search(self, request: Request) -> Json:
        body = request.json()
        page_size = self._page_size(body.get("page_size"))
        wanted = None
        if body.get("filter") is not None:
            search_filter = body["filter"]
            if search_filter.get("property") != "object" or search_filter.get("value") not in (
                "page",
                "data_source",
            ):
                raise self._invalid(
                    'body.filter.value should be `"page"` or `"data_source"`, instead was '
                    f"`{json.dumps(search_filter.get('value'))}`."
                )
            wanted = search_filter["value"]
        query = str(body.get("query") or "").strip().lower()
        position = {item_id: index for index, item_id in enumerate(self.workspace.searchable)}
        items = [self._searchable_object(item_id) for item_id in self.workspace.searchable]
        items = [
            item
            for item in items
            if (wanted is None or item["object"] == wanted)
            and (not query or query in self._title(item).lower())
        ]
        sort = body.get("sort")
        if sort is not None and sort.get("timestamp") != "last_edited_time":
            raise self._invalid('body.sort.timestamp should be `"last_edited_time"`.')
        # Without a sort Notion returns the most recently edited first, as with "descending".
        descending = sort is None or sort.get("direction") != "ascending"
        items.sort(
            key=lambda item: (
                item["last_edited_time"],
                -position[item["id"]] if descending else position[item["id"]],
            ),
            reverse=descending,
        )
        return self._list(items, body.get("start_cursor"), page_size, "page_or_data_source")

    def _page(self, request: Request, page_id: str) -> Json:
        if page_id in self.workspace.pages:
            return dict(self.workspace.pages[page_id])
        if page_id in self.workspace.databases:
            raise self._invalid(
                f"Provided ID {page_id} is a database, not a page. Use the retrieve database "
                "API instead, `GET /databases/:id`."
            )
        raise self._not_found("page", page_id)

    def _database(self, request: Request, database_id: str) -> Json:
        if database_id not in self.workspace.databases:
            raise self._not_found("database", database_id)
        return dict(self.workspace.databases[database_id])

    def _data_source(self, request: Request, data_source_id: str) -> Json:
        if data_source_id not in self.workspace.data_sources:
            raise self._not_found("data_source", data_source_id)
        return dict(self.workspace.data_sources[data_source_id])

    def _query(self, request: Request, data_source_id: str) -> Json:
        if data_source_id not in self.workspace.data_sources:
            raise self._not_found("data_source", data_source_id)
        body = request.json()
        rows = [
            self.workspace.pages[item_id]
            for item_id in self.workspace.searchable
            if item_id in self.workspace.pages
            and self.workspace.pages[item_id]["parent"].get("data_source_id") == data_source_id
            and not self._is_gone(self.workspace.pages[item_id])
        ]
        for sort in reversed(body.get("sorts") or []):
            if sort.get("timestamp") in ("created_time", "last_edited_time"):
                rows.sort(
                    key=lambda row: row[sort["timestamp"]],
                    reverse=sort.get("direction") == "descending",
                )
        page_size = self._page_size(body.get("page_size"))
        return self._list(rows, body.get("start_cursor"), page_size, "page_or_data_source")

    def _block(self, request: Request, block_id: str) -> Json:
        block = self.workspace.blocks.get(block_id)
        if block is None and block_id in self.workspace.pages:
            # A top-level page is a child_page block of the workspace.
            page = self.workspace.pages[block_id]
            block = {
                "object": "block",
                "id": block_id,
                "parent": page["parent"],
                "created_time": page["created_time"],
                "last_edited_time": page["last_edited_time"],
                "created_by": page["created_by"],
                "last_edited_by": page["last_edited_by"],
                "archived": page["archived"],
                "in_trash": page["in_trash"],
                "type": "child_page",
                "child_page": {"title": page_title_of(page)},
            }
        if block is None:
            raise self._not_found("block", block_id)
        return self._block_view(block)

    def _block_children(self, request: Request, block_id: str) -> Json:
        if block_id not in self.workspace.children:
            raise self._not_found("block", block_id)
        if block_id in self.restricted:
            raise ApiError(
                notion_error(
                    403,
                    "restricted_resource",
                    "API token does not have access to this resource.",
                )
            )
        blocks = [
            self._block_view(self.workspace.blocks[child_id])
            for child_id in self.workspace.children[block_id]
            if not self._is_gone(self.workspace.blocks[child_id])
        ]
        page_size = self._page_size(request.query.get("page_size"))
        return self._list(blocks, request.query.get("start_cursor"), page_size, "block")

    # --- helpers ----------------------------------------------------------------------------

    def _block_view(self, block: Json) -> Json:
        visible = [
            child_id
            for child_id in self.workspace.children.get(block["id"], ())
            if not self._is_gone(self.workspace.blocks[child_id])
        ]
        return {**block, "has_children": bool(visible)}

    def _list(
        self, items: Sequence[Json], start_cursor: str | None, page_size: int, list_type: str
    ) -> Json:
        start = 0
        if start_cursor:
            ids = [item["id"] for item in items]
            if start_cursor not in ids:
                raise self._invalid(f"The start_cursor provided is invalid: {start_cursor}")
            start = ids.index(start_cursor)
        window = list(items[start : start + page_size])
        has_more = start + page_size < len(items)
        return {
            "object": "list",
            "results": window,
            "next_cursor": items[start + page_size]["id"] if has_more else None,
            "has_more": has_more,
            "type": list_type,
            list_type: {},
        }

    def _page_size(self, value: Any) -> int:
        if value in (None, ""):
            return MAX_PAGE_SIZE
        try:
            size = int(value)
        except (TypeError, ValueError):
            raise self._invalid(f"page_size should be a number, instead was `{value}`.") from None
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise self._invalid(
                f"body failed validation: body.page_size should be less than or equal to "
                f"`{MAX_PAGE_SIZE}`, instead was `{size}`."
            )
        return size

    def _invalid(self, message: str) -> ApiError:
        return ApiError(notion_error(400, "validation_error", message))

    def _not_found(self, kind: str, object_id: str) -> ApiError:
        return ApiError(
            notion_error(
                404,
                "object_not_found",
                f"Could not find {kind} with ID: {object_id}. Make sure the relevant pages and "
                "databases are shared with your integration.",
            )
        )

    def _searchable_object(self, item_id: str) -> Json:
        return self.workspace.pages.get(item_id) or self.workspace.data_sources[item_id]

    def _title(self, item: Json) -> str:
        if item["object"] == "page":
            return page_title_of(item)
        return "".join(part["plain_text"] for part in item["title"])

    def _is_gone(self, item: Json) -> bool:
        if item.get("in_trash") or item.get("archived"):
            return True
        if item.get("object") == "data_source":
            return bool(self.workspace.databases[item["parent"]["database_id"]]["in_trash"])
        return False

    def ancestor_ids(self, item: Json) -> list[str]:
        """Pages and databases above an item, nearest first (blocks walked through)."""
        chain: list[str] = []
        parent = item["parent"]
        while True:
            kind = parent["type"]
            if kind == "page_id":
                chain.append(parent["page_id"])
                parent = self.workspace.pages[parent["page_id"]]["parent"]
            elif kind in ("data_source_id", "database_id"):
                chain.append(parent["database_id"])
                parent = self.workspace.databases[parent["database_id"]]["parent"]
            elif kind == "block_id":
                parent = self.workspace.blocks[parent["block_id"]]["parent"]
            else:
                return chain

    def _child_page_ids(self, page_id: str) -> list[str]:
        return [
            block["id"]
            for block in self._walk(page_id)
            if block["type"] in ("child_page", "child_database") and not self._is_gone(block)
        ]

    def _walk(self, container: str) -> list[Json]:
        found = []
        for block_id in self.workspace.children.get(container, ()):
            block = self.workspace.blocks[block_id]
            found.append(block)
            if block["type"] not in ("child_page", "child_database"):
                found.extend(self._walk(block_id))
        return found
