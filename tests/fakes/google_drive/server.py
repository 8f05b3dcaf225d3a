"""A fake Google Drive (Drive API v3, Admin SDK Directory API v1 and Google's OAuth 2.0 token
endpoint) on 127.0.0.1, for the real google-api-python-client and google-auth.

The client builds itself from the REAL discovery documents shipped in googleapiclient, which
this fake serves with their root URL pointed at itself, so every path, parameter and media
download is exactly what the SDK sends to Google. What it implements:

- POST /token: the JWT-bearer grant of service accounts (the assertion's RS256 signature is
  verified against the key the fake issued, its `sub` is the delegated user and its `scope`
  must be authorised for domain-wide delegation) and the refresh-token grant of OAuth
  clients. Answers {"access_token", "expires_in", "token_type"}, or 400 invalid_grant once
  revoked, 401 unauthorized_client for scopes not delegated.
- Drive v3: about.get; files.list (q terms: `'<id>' in parents`, trashed, mimeType, name,
  createdTime/modifiedTime, with and/or/not and parentheses; corpora user/drive/allDrives;
  pageSize/pageToken; `fields` partial responses); files.get (also `alt=media`, 403
  fileNotDownloadable for Google files); files.export (markdown, plain text, CSV; 400 for
  conversions Drive does not offer, 403 fileNotExportable for uploads); permissions.list
  (paged; inherited shared drive membership in permissionDetails; 403 when the caller may
  not share); drives.list/get; changes.getStartPageToken and changes.list (numeric page
  tokens, latest change per file, removed=true for deleted files, drive changes).
- Admin Directory v1: groups.list (customer=my_customer) and members.list (with
  includeDerivedMembership flattening nested groups); 403 "Not Authorized" when the token
  lacks the group scope or the caller is no admin.
- Errors in Google's envelope: 401 authError (revoked token), 403 userRateLimitExceeded,
  429 rateLimitExceeded with Retry-After, 500 backendError, 404 notFound (also for shared
  drive items requested without supportsAllDrives), 400 invalid for bad q/fields/tokens.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import secrets
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import googleapiclient
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt

from tests.connectors.contract import Mutation
from tests.fakes.google_drive import resources
from tests.fakes.google_drive.query import (
    FieldMask,
    QueryError,
    apply_fields,
    parse_fields,
    parse_query,
)
from tests.fakes.google_drive.rendering import export_bytes
from tests.fakes.google_drive.seed import ADMIN_EMAIL, mutate_workspace, seed_workspace
from tests.fakes.google_drive.workspace import GOOGLE_KINDS, Item, Workspace
from tests.fakes.http import FakeServer, Request, Response

DRIVE_SCOPE = "https://www.googleapis.com/auth/drive.readonly"
GROUP_SCOPE = "https://www.googleapis.com/auth/admin.directory.group.readonly"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
BIG_DOCUMENT_COUNT = 2000

_DISCOVERY_FILES = {
    ("drive", "v3"): "drive.v3.json",
    ("admin", "directory_v1"): "admin.directory_v1.json",
}


@cache
def _discovery_source(filename: str) -> str:
    folder = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
    return (folder / filename).read_text()


@cache
def _service_account_key() -> tuple[str, str]:
    """One RSA key per test process (generating one takes a while): private PEM, public PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass
class Grant:
    """Whom an access token acts for and what it may do."""

    user_email: str
    scopes: frozenset[str]


def _wake(address: Any) -> None:
    with contextlib.suppress(OSError):  # already stopped
        socket.create_connection(address[:2], timeout=1).close()


def _bearer_token(request: Request) -> str:
    # httplib2 sends header names in lower case; Request.headers is a plain dict.
    headers = {name.lower(): value for name, value in request.headers.items()}
    value = headers.get("authorization", "")
    return value[7:] if value.lower().startswith("bearer ") else ""


def _json_error(status: int, reason: str, message: str, **details: Any) -> Response:
    return Response(status, resources.error_body(status, reason, message, **details))


def _encode_token(payload: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def _decode_token(token: str) -> dict[str, Any]:
    try:
        decoded: dict[str, Any] = json.loads(
            base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        )
    except ValueError as error:
        raise QueryError("Invalid Value", "pageToken") from error
    return decoded


class FakeGoogleDrive(FakeServer):
    """The fake Drive of one seeded domain. `big=True` (or `document_count`) scales it for
    benchmarks: 2,000 documents, more and wider folders; pages are served from indexes."""

    client_email = "agents-drive-sync@northwind-agents.iam.gserviceaccount.com"
    oauth_client_id = "908172635401-a1b2c3d4e5f6g7h8.apps.googleusercontent.com"
    oauth_client_secret = "GOCSPX-fake-client-secret"
    oauth_refresh_token = "1//09fake-refresh-token-for-northwind-admin"

    def __init__(
        self, *, seed: int = 20250115, document_count: int = 260, big: bool = False
    ) -> None:
        super().__init__()
        self.workspace: Workspace = seed_workspace(
            seed, BIG_DOCUMENT_COUNT if big else document_count
        )
        self.private_key_pem, self.public_key_pem = _service_account_key()
        self.private_key_id = "f3c0ffee" + secrets.token_hex(16)
        self.revoked = False
        # What the Workspace admin console allows: scopes delegated to the service account,
        # scopes granted to the OAuth client, whether the acting user may read the directory.
        self.delegated_scopes = {DRIVE_SCOPE, GROUP_SCOPE}
        self.oauth_scopes = {DRIVE_SCOPE, GROUP_SCOPE}
        self.directory_readable = True
        # Drive offers Markdown exports of Docs since 2024; switch off to test the fallback.
        self.markdown_export = True
        self.tokens: dict[str, Grant] = {}
        self.token_requests = 0
        self._state = threading.RLock()
        self._discovery: dict[tuple[str, str], bytes] = {}

    # --- the FakeSource protocol ------------------------------------------------------------

    def service_account_info(self) -> dict[str, str]:
        return {
            "type": "service_account",
            "project_id": "northwind-agents",
            "private_key_id": self.private_key_id,
            "private_key": self.private_key_pem,
            "client_email": self.client_email,
            "client_id": "104729384756102938475",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": f"{self.url}/token",
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "universe_domain": "googleapis.com",
        }

    def credentials(self) -> dict[str, Any]:
        """A service account key with domain-wide delegation, acting as the IT admin."""
        return {
            "service_account_json": json.dumps(self.service_account_info()),
            "delegated_user": ADMIN_EMAIL,
        }

    def oauth_credentials(self) -> dict[str, Any]:
        """An OAuth client and the IT admin's refresh token."""
        return {
            "oauth_client_id": self.oauth_client_id,
            "oauth_client_secret": self.oauth_client_secret,
            "oauth_refresh_token": self.oauth_refresh_token,
            "token_uri": f"{self.url}/token",
        }

    def revoke_credentials(self) -> None:
        with self._state:
            self.revoked = True
            self.tokens.clear()

    def inject_transient_faults(self, rate: float, retry_after: int = 1) -> None:
        message = (
            "User Rate Limit Exceeded. Rate of requests for user exceed configured project "
            "quota. You may consider re-evaluating expected per-user traffic to the API and "
            "adjust project quota limits accordingly."
        )

        def user_rate_limited() -> Response:
            return _json_error(403, "userRateLimitExceeded", message, domain="usageLimits")

        def too_many_requests() -> Response:
            response = _json_error(
                429, "rateLimitExceeded", "Rate Limit Exceeded", domain="usageLimits"
            )
            response.headers["Retry-After"] = str(retry_after)
            return response

        def backend_error() -> Response:
            return _json_error(500, "backendError", "Internal Error")

        self.inject_faults(rate, user_rate_limited, too_many_requests, backend_error)

    def expected_external_ids(self, selected_ids: Sequence[str] = ()) -> set[str]:
        with self._state:
            return {
                item.id
                for item in self.workspace.documents()
                if not selected_ids
                or set(selected_ids) & {item.id, *self.workspace.ancestors(item)}
            }

    def selectable_id(self) -> str:
        """The Engineering shared drive."""
        return next(d.id for d in self.workspace.drives.values() if d.name == "Engineering")

    def mutate(self) -> Mutation:
        with self._state:
            result = mutate_workspace(self.workspace)
        return Mutation(
            changed=result.changed, added=result.added, deleted=result.trashed | result.deleted
        )

    def forged_webhook(self) -> tuple[dict[str, str], bytes]:
        raise NotImplementedError("the Drive connector takes no webhooks")

    def signed_webhook(self) -> tuple[dict[str, str], bytes]:
        raise NotImplementedError("the Drive connector takes no webhooks")

    # --- dispatch ---------------------------------------------------------------------------

    def start(self) -> FakeGoogleDrive:
        super().start()
        server = self._server
        assert server is not None
        base_handler: Any = server.RequestHandlerClass

        class NoDelayHandler(base_handler):
            # The base handler writes headers and body separately; with Nagle's algorithm
            # and the client's delayed ACK every response would stall 40 ms.
            def setup(self) -> None:
                super().setup()
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        server.RequestHandlerClass = NoDelayHandler
        return self

    def __enter__(self) -> FakeGoogleDrive:
        return self.start()

    def stop(self) -> None:
        server = self._server
        if server is not None:
            # serve_forever only notices shutdown at its next 0.5 s poll, unless a
            # connection wakes it: that half second per test adds up.
            threading.Timer(0.02, _wake, args=(server.server_address,)).start()
        super().stop()

    def _respond(self, request: Request) -> Response:
        # Faults stand for Drive's quotas and outages; Google's token and discovery endpoints
        # are not behind them (and google-auth retries its token calls with real sleeps).
        if request.path == "/token" or request.path.startswith("/discovery/"):
            with self._lock:
                self.requests.append(request)
            return self.handle(request)
        return super()._respond(request)

    def handle(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/discovery/v1/apis/"):
            return self._discovery_document(path)
        if path == "/token" and request.method == "POST":
            return self._token(request)
        with self._state:
            grant = self.tokens.get(_bearer_token(request))
            if grant is None:
                return _json_error(
                    401,
                    "authError",
                    "Request had invalid authentication credentials. Expected OAuth 2 access "
                    "token, login cookie or other valid authentication credential.",
                    location="Authorization",
                    location_type="header",
                )
            try:
                if path.startswith("/drive/v3/"):
                    return self._drive(request, path[len("/drive/v3/") :].strip("/"), grant)
                if path.startswith("/admin/directory/v1/"):
                    return self._directory(request, path[len("/admin/directory/v1/") :], grant)
            except QueryError as error:
                return _json_error(400, "invalid", str(error), location=error.location)
        return _json_error(404, "notFound", f"Not Found: {path}")

    def _discovery_document(self, path: str) -> Response:
        parts = path.strip("/").split("/")  # discovery v1 apis {api} {version} rest
        key = (parts[3], parts[4]) if len(parts) == 6 else ("", "")
        if key not in _DISCOVERY_FILES:
            return _json_error(404, "notFound", "Requested entity was not found.")
        if key not in self._discovery:
            document = json.loads(_discovery_source(_DISCOVERY_FILES[key]))
            document["rootUrl"] = f"{self.url}/"
            document["mtlsRootUrl"] = f"{self.url}/"
            document["baseUrl"] = f"{self.url}/{document['servicePath']}"
            document["batchPath"] = f"batch/{document['servicePath']}".rstrip("/")
            self._discovery[key] = json.dumps(document).encode()
        return Response(200, self._discovery[key])

    # --- OAuth 2.0 token endpoint -----------------------------------------------------------

    def _token(self, request: Request) -> Response:
        form = request.form()
        with self._state:
            self.token_requests += 1
            if form.get("grant_type") == JWT_BEARER:
                return self._service_account_grant(form.get("assertion", ""))
            if form.get("grant_type") == "refresh_token":
                return self._refresh_grant(form)
        return Response(
            400, {"error": "unsupported_grant_type", "error_description": "Invalid grant_type"}
        )

    def _service_account_grant(self, assertion: str) -> Response:
        try:
            # google-auth addresses every assertion to Google's token endpoint, whatever
            # token_uri it posts to, and that is the audience Google checks.
            claims = jwt.decode(
                assertion, certs=self.public_key_pem, audience=GOOGLE_TOKEN_AUDIENCE
            )
        except ValueError as error:
            return Response(
                400, {"error": "invalid_grant", "error_description": f"Invalid JWT: {error}"}
            )
        if self.revoked or claims.get("iss") != self.client_email:
            # What Google says once the key is deleted or the service account disabled.
            return Response(
                400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            )
        scopes = frozenset(str(claims.get("scope", "")).split())
        subject = str(claims.get("sub") or self.client_email)
        if claims.get("sub") and subject not in self.workspace.people:
            return Response(
                400, {"error": "invalid_grant", "error_description": "Invalid email or User ID"}
            )
        if not scopes or not scopes <= self.delegated_scopes:
            return Response(
                401,
                {
                    "error": "unauthorized_client",
                    "error_description": "Client is unauthorized to retrieve access tokens using "
                    "this method, or client not authorized for any of the scopes requested.",
                },
            )
        return self._issue(Grant(subject, scopes))

    def _refresh_grant(self, form: dict[str, str]) -> Response:
        if (
            form.get("client_id") != self.oauth_client_id
            or form.get("client_secret") != self.oauth_client_secret
        ):
            return Response(
                401,
                {"error": "invalid_client", "error_description": "The OAuth client was not found."},
            )
        if self.revoked or form.get("refresh_token") != self.oauth_refresh_token:
            return Response(
                400,
                {
                    "error": "invalid_grant",
                    "error_description": "Token has been expired or revoked.",
                },
            )
        return self._issue(Grant(ADMIN_EMAIL, frozenset(self.oauth_scopes)))

    def _issue(self, grant: Grant) -> Response:
        token = "ya29.fake-" + secrets.token_urlsafe(24)
        self.tokens[token] = grant
        return Response(
            200,
            {
                "access_token": token,
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": " ".join(sorted(grant.scopes)),
            },
        )

    # --- Drive v3 ---------------------------------------------------------------------------

    def _drive(self, request: Request, route: str, grant: Grant) -> Response:
        if DRIVE_SCOPE not in grant.scopes:
            return _json_error(
                403, "insufficientPermissions", "Request had insufficient authentication scopes."
            )
        query = request.query
        parts = route.split("/")
        routes: dict[tuple[str, ...], Callable[[], Response]] = {
            ("about",): lambda: self._about(query),
            ("files",): lambda: self._files_list(query),
            ("drives",): lambda: self._drives_list(query),
            ("changes", "startPageToken"): lambda: self._ok(
                {
                    "kind": "drive#startPageToken",
                    "startPageToken": str(self.workspace.next_change_id),
                },
                query,
            ),
            ("changes",): lambda: self._changes_list(query),
        }
        if tuple(parts) in routes:
            return routes[tuple(parts)]()
        if parts[0] == "files" and len(parts) == 2:
            return self._files_get(parts[1], query)
        if parts[0] == "files" and len(parts) == 3 and parts[2] == "export":
            return self._files_export(parts[1], query)
        if parts[0] == "files" and len(parts) == 3 and parts[2] == "permissions":
            return self._permissions_list(parts[1], query)
        if parts[0] == "drives" and len(parts) == 2:
            drive = self.workspace.drives.get(parts[1])
            if drive is None:
                return _json_error(
                    404, "notFound", f"Shared drive not found: {parts[1]}", location="driveId"
                )
            return self._ok(resources.drive_resource(drive), query)
        return _json_error(404, "notFound", f"Not Found: /drive/v3/{route}")

    def _ok(
        self, body: dict[str, Any], query: dict[str, str], default_mask: FieldMask | None = None
    ) -> Response:
        mask = parse_fields(query["fields"]) if "fields" in query else default_mask
        return Response(200, apply_fields(body, mask))

    def _about(self, query: dict[str, str]) -> Response:
        if "fields" not in query:
            # about.get is the one method whose `fields` is required.
            return _json_error(
                400,
                "required",
                "The 'fields' parameter is required for this method.",
                location="fields",
            )
        body = {
            "kind": "drive#about",
            "user": resources.user_resource(self.workspace, self.workspace.admin.email),
            "storageQuota": {"limit": "16106127360", "usage": "5321654"},
        }
        return self._ok(body, query)

    def _lookup(self, file_id: str, query: dict[str, str]) -> Item | Response:
        item = self.workspace.items.get(self.workspace.root_id if file_id == "root" else file_id)
        if item is None or (item.drive_id and query.get("supportsAllDrives") != "true"):
            return _json_error(404, "notFound", f"File not found: {file_id}.", location="fileId")
        return item

    def _files_get(self, file_id: str, query: dict[str, str]) -> Response:
        default: dict[str, Any] = {"kind": {}, "id": {}, "name": {}, "mimeType": {}}
        if file_id in ("root", self.workspace.root_id):
            return self._ok(resources.root_folder_resource(self.workspace), query, default)
        if file_id in self.workspace.drives:
            if query.get("supportsAllDrives") != "true":
                return _json_error(
                    404, "notFound", f"File not found: {file_id}.", location="fileId"
                )
            return self._ok(
                resources.drive_root_folder_resource(self.workspace.drives[file_id]), query, default
            )
        item = self._lookup(file_id, query)
        if isinstance(item, Response):
            return item
        if query.get("alt") == "media":
            if item.is_google_file:
                return _json_error(
                    403,
                    "fileNotDownloadable",
                    "Only files with binary content can be downloaded. Use Export with Docs "
                    "Editors files.",
                    location="alt",
                )
            content = resources.content_of(item)
            return Response(200, content, content_type=item.mime_type)
        return self._ok(resources.file_resource(self.workspace, item), query, default)

    def _files_export(self, file_id: str, query: dict[str, str]) -> Response:
        # files.export takes no supportsAllDrives: it reaches shared drive files regardless.
        item = self._lookup(file_id, {**query, "supportsAllDrives": "true"})
        if isinstance(item, Response):
            return item
        mime_type = query.get("mimeType", "")
        if item.kind not in GOOGLE_KINDS:
            return _json_error(
                403,
                "fileNotExportable",
                "Export only supports Docs Editors files.",
                location="fileId",
            )
        content = export_bytes(item.kind, item.body, mime_type)
        if content is None or (mime_type == "text/markdown" and not self.markdown_export):
            return _json_error(
                400,
                "badRequest",
                "The requested conversion is not supported.",
                location="convertTo",
            )
        return Response(200, content, content_type=f"{mime_type}; charset=utf-8")

    def _files_list(self, query: dict[str, str]) -> Response:
        corpora = query.get("corpora", "user")
        all_drives = query.get("includeItemsFromAllDrives") == "true"
        if all_drives and query.get("supportsAllDrives") != "true":
            return _json_error(
                400,
                "badRequest",
                "The includeItemsFromAllDrives parameter is only supported when "
                "supportsAllDrives is set to true.",
                location="supportsAllDrives",
            )
        if corpora not in ("user", "drive", "allDrives", "domain"):
            raise QueryError("Invalid Value", "corpora")
        drive_id = query.get("driveId")
        if (corpora == "drive") != bool(drive_id):
            return _json_error(
                400,
                "badRequest",
                "The driveId parameter must be specified if and only if corpora is set to drive.",
                location="driveId",
            )
        if corpora in ("drive", "allDrives") and not all_drives:
            return _json_error(
                403,
                "teamDriveIncludeItemsRequired",
                "The includeItemsFromAllDrives parameter must be set to true when corpora is "
                f"set to {corpora}.",
                location="includeItemsFromAllDrives",
            )
        if drive_id and drive_id not in self.workspace.drives:
            return _json_error(
                404, "notFound", f"Shared drive not found: {drive_id}", location="driveId"
            )
        page_size = self._page_size(query, default=100, maximum=1000)
        matches = parse_query(query.get("q", ""), root_id=self.workspace.root_id)
        fingerprint = f"{corpora}|{drive_id}|{all_drives}|{query.get('q', '')}"
        after = ""
        if query.get("pageToken"):
            token = _decode_token(query["pageToken"])
            if token.get("q") != fingerprint:
                raise QueryError("Invalid Value", "pageToken")
            after = str(token["after"])

        candidates = self._candidates(query.get("q", ""))
        page: list[Item] = []
        more = False
        for item_id in candidates:
            if item_id <= after:
                continue
            item = self.workspace.items[item_id]
            if drive_id and item.drive_id != drive_id:
                continue
            if corpora == "user" and item.drive_id and not all_drives:
                continue
            if not matches(_Searchable(item, self.workspace)):
                continue
            if len(page) == page_size:
                more = True
                break
            page.append(item)
        body: dict[str, Any] = {
            "kind": "drive#fileList",
            "incompleteSearch": False,
            "files": [resources.file_resource(self.workspace, item) for item in page],
        }
        if more:
            body["nextPageToken"] = _encode_token({"after": page[-1].id, "q": fingerprint})
        default: FieldMask = {
            "kind": {},
            "incompleteSearch": {},
            "nextPageToken": {},
            "files": {"kind": {}, "id": {}, "name": {}, "mimeType": {}},
        }
        return self._ok(body, query, default)

    def _candidates(self, q: str) -> list[str]:
        """Ids to test against q, in id order: the children index when q names one parent."""
        parents = re.findall(r"'([^'\\]+)' in parents", q)
        if len(parents) == 1 and " or " not in q.lower():
            parent = self.workspace.root_id if parents[0] == "root" else parents[0]
            return sorted(self.workspace.children.get(parent, []))
        return self.workspace.sorted_ids

    def _page_size(
        self, query: dict[str, str], *, default: int, maximum: int, name: str = "pageSize"
    ) -> int:
        try:
            size = int(query.get(name, default))
        except ValueError as error:
            raise QueryError("Invalid Value", name) from error
        if not 1 <= size <= maximum:
            raise QueryError(f"Invalid value for {name}: {size}", name)
        return size

    def _permissions_list(self, file_id: str, query: dict[str, str]) -> Response:
        item = self._lookup(file_id, query)
        if isinstance(item, Response):
            return item
        if item.sharing_hidden:
            return _json_error(
                403,
                "insufficientFilePermissions",
                "The user does not have sufficient permissions for this file.",
            )
        listed = (
            [
                resources.permission_resource(p, inherited_from=item.drive_id, in_shared_drive=True)
                for p in self.workspace.drives[item.drive_id].members
            ]
            if item.drive_id
            else []
        )
        listed += [
            resources.permission_resource(p, in_shared_drive=bool(item.drive_id))
            for p in item.permissions
        ]
        page_size = self._page_size(query, default=100, maximum=100)
        start = int(_decode_token(query["pageToken"])["index"]) if query.get("pageToken") else 0
        body: dict[str, Any] = {
            "kind": "drive#permissionList",
            "permissions": listed[start : start + page_size],
        }
        if start + page_size < len(listed):
            body["nextPageToken"] = _encode_token({"index": start + page_size})
        return self._ok(body, query)

    def _drives_list(self, query: dict[str, str]) -> Response:
        drives = sorted(self.workspace.drives.values(), key=lambda drive: drive.id)
        page_size = self._page_size(query, default=10, maximum=100)
        start = int(_decode_token(query["pageToken"])["index"]) if query.get("pageToken") else 0
        body: dict[str, Any] = {
            "kind": "drive#driveList",
            "drives": [
                resources.drive_resource(drive) for drive in drives[start : start + page_size]
            ],
        }
        if start + page_size < len(drives):
            body["nextPageToken"] = _encode_token({"index": start + page_size})
        return self._ok(body, query)

    def _changes_list(self, query: dict[str, str]) -> Response:
        token = query.get("pageToken", "")
        if not token.isdigit() or int(token) < self.workspace.oldest_valid_change_id:
            raise QueryError("Invalid Value", "pageToken")
        page_size = self._page_size(query, default=100, maximum=1000)
        include_removed = query.get("includeRemoved", "true") == "true"
        all_drives = query.get("includeItemsFromAllDrives") == "true"
        # Drive reports each file once, at its latest change since the token.
        latest: dict[str, Any] = {}
        for change in self.workspace.changes:
            if change.id >= int(token):
                latest[change.file_id or f"drive:{change.drive_id}"] = change
        pending = sorted(latest.values(), key=lambda change: change.id)
        entries: list[dict[str, Any]] = []
        next_token: str | None = None
        for change in pending:
            if len(entries) == page_size:
                next_token = str(change.id)
                break
            entry = self._change_resource(change, all_drives)
            if entry is None or (entry["removed"] and not include_removed):
                continue
            entries.append(entry)
        body: dict[str, Any] = {"kind": "drive#changeList", "changes": entries}
        if next_token is not None:
            body["nextPageToken"] = next_token
        else:
            body["newStartPageToken"] = str(self.workspace.next_change_id)
        return self._ok(body, query)

    def _change_resource(self, change: Any, all_drives: bool) -> dict[str, Any] | None:
        if change.drive_id:
            drive = self.workspace.drives.get(change.drive_id)
            entry: dict[str, Any] = {
                "kind": "drive#change",
                "changeType": "drive",
                "time": change.time,
                "driveId": change.drive_id,
                "removed": drive is None,
            }
            if drive is not None:
                entry["drive"] = resources.drive_resource(drive)
            return entry
        item = self.workspace.items.get(change.file_id)
        if item is not None and item.drive_id and not all_drives:
            return None
        entry = {
            "kind": "drive#change",
            "changeType": "file",
            "time": change.time,
            "fileId": change.file_id,
            "removed": item is None,
        }
        if item is not None:
            entry["file"] = resources.file_resource(self.workspace, item)
            if item.drive_id:
                entry["driveId"] = item.drive_id
        return entry

    # --- Admin SDK Directory v1 ---------------------------------------------------------

    def _directory(self, request: Request, route: str, grant: Grant) -> Response:
        if GROUP_SCOPE not in grant.scopes or not self.directory_readable:
            return _json_error(403, "forbidden", "Not Authorized to access this resource/api")
        query = request.query
        parts = route.strip("/").split("/")
        groups = sorted(self.workspace.groups.values(), key=lambda group: group.email)
        if parts == ["groups"]:
            if (
                query.get("customer") != "my_customer"
                and query.get("domain") != self.workspace.domain
            ):
                return _json_error(400, "badRequest", "Bad Request")
            page_size = self._page_size(query, default=200, maximum=200, name="maxResults")
            start = int(_decode_token(query["pageToken"])["index"]) if query.get("pageToken") else 0
            body: dict[str, Any] = {
                "kind": "admin#directory#groups",
                "etag": '"groups-etag"',
                "groups": [
                    resources.group_resource(group) for group in groups[start : start + page_size]
                ],
            }
            if start + page_size < len(groups):
                body["nextPageToken"] = _encode_token({"index": start + page_size})
            return self._ok(body, query)
        if len(parts) == 3 and parts[0] == "groups" and parts[2] == "members":
            group = next((g for g in groups if parts[1] in (g.email, g.id)), None)
            if group is None:
                return _json_error(404, "notFound", "Resource Not Found: groupKey")
            members = self._members(
                group.email, derived=query.get("includeDerivedMembership") == "true"
            )
            page_size = self._page_size(query, default=200, maximum=200, name="maxResults")
            start = int(_decode_token(query["pageToken"])["index"]) if query.get("pageToken") else 0
            body = {
                "kind": "admin#directory#members",
                "etag": '"members-etag"',
                "members": members[start : start + page_size],
            }
            if start + page_size < len(members):
                body["nextPageToken"] = _encode_token({"index": start + page_size})
            return self._ok(body, query)
        return _json_error(404, "notFound", f"Not Found: /admin/directory/v1/{route}")

    def _members(self, group_email: str, *, derived: bool) -> list[dict[str, Any]]:
        group = self.workspace.groups[group_email]
        listed = [
            resources.member_resource(self.workspace, m.email, m.type, m.role)
            for m in group.members
        ]
        if derived:
            seen = {entry["email"] for entry in listed}
            for member in group.members:
                if member.type == "GROUP":
                    for nested in self._members(member.email, derived=True):
                        if nested["email"] not in seen:
                            seen.add(nested["email"])
                            listed.append(nested)
        return listed


class _Searchable:
    """An item as the q language sees it: trashed includes a trashed folder above it."""

    def __init__(self, item: Item, workspace: Workspace) -> None:
        self.id = item.id
        self.name = item.name
        self.mime_type = item.mime_type
        self.parent_id = item.parent_id
        self.created_time = item.created_time
        self.modified_time = item.modified_time
        self._item = item
        self._workspace = workspace

    @property
    def trashed(self) -> bool:
        return self._workspace.is_trashed(self._item)
