"""The Google Drive connector.

One Drive file is one document (Docs exported as Markdown, Sheets as CSV, Slides as text,
uploads downloaded and parsed); its id is Drive's file id. Shared drives and folders are the
hierarchy. A full sync lists files page by page, one listing per shared drive and one for My
Drive (or per picked drive and folder); an incremental sync pages through Drive's change log
from the start page token the previous full or incremental sync returned. Access lists come
from each file's permissions; groups and their members from the Admin SDK Directory API when
the credentials may read it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httplib2
from google.auth import exceptions as google_auth_exceptions
from googleapiclient.errors import HttpError

from connectors.base import Connector, CredentialHelp, Cursor, SyncGenerator, retry_after_seconds
from connectors.documents import (
    AccessList,
    Checkpoint,
    Deletion,
    DocumentInput,
    HierarchyNode,
    ItemFailure,
    SourceAccount,
    SourceGroup,
    SyncItem,
)
from connectors.errors import (
    ConnectorError,
    CursorExpired,
    InvalidCredentials,
    ItemUnavailable,
    RateLimited,
    TransientError,
    api_code,
)
from connectors.google_drive import auth, export, mapping
from connectors.google_drive.export import FOLDER
from connectors.google_drive.mapping import Folder, FolderTree, Selection

logger = logging.getLogger(__name__)

_PERMISSION_FIELDS = "id, type, role, emailAddress, domain, deleted"
FILE_FIELDS = (
    "id, name, mimeType, parents, driveId, webViewLink, createdTime, modifiedTime, size, "
    f"trashed, owners(emailAddress), permissions({_PERMISSION_FIELDS})"
)
_FOLDER_FIELDS = "id, name, parents, driveId"
_SUPPORTS = {"supportsAllDrives": True}
_ALL_DRIVES = {**_SUPPORTS, "includeItemsFromAllDrives": True}
_EVERY_CORPUS = {"corpora": "allDrives", **_ALL_DRIVES}
_NOT_FOLDERS = f"trashed = false and mimeType != '{FOLDER}'"
_ONLY_FOLDERS = f"trashed = false and mimeType = '{FOLDER}'"
# Reasons Drive gives with a 403 that mean "slow down", not "forbidden".
_RATE_LIMIT_REASONS = frozenset({"userRateLimitExceeded", "rateLimitExceeded"})
# How many "'<id>' in parents" terms one query may hold (Drive caps query length).
_PARENTS_PER_QUERY = 30


def _corpus(drive_id: str | None) -> dict[str, Any]:
    """files.list parameters for one shared drive, or for My Drive (and files shared with
    the user outside shared drives) when `drive_id` is None."""
    if drive_id is None:
        return {"corpora": "user", **_SUPPORTS}
    return {"corpora": "drive", "driveId": drive_id, **_ALL_DRIVES}


def _quoted(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class _ListingScope:
    """One files.list query of a full sync. Scopes run in `key` order, so a checkpoint can
    name the scope it stopped in and a resumed sync skips those before it."""

    key: str
    params: Mapping[str, Any]
    folder_id: str | None = None


@dataclass
class _Account:
    email: str
    name: str
    permission_id: str
    domains: frozenset[str] = field(default_factory=frozenset)


class GoogleDriveConnector(Connector):
    kind = "google_drive"
    display_name = "Google Drive"
    credential_fields = (
        "service_account_json",
        "delegated_user",
        "oauth_client_id",
        "oauth_client_secret",
        "oauth_refresh_token",
    )
    secret_fields = ("service_account_json", "oauth_client_secret", "oauth_refresh_token")
    credential_help = {
        "service_account_json": CredentialHelp(
            "Service account key (JSON)",
            "Google Cloud console → IAM & Admin → Service accounts → your account → Keys → Add "
            "key → JSON; paste the whole file. Or leave empty and use an OAuth client below.",
            "https://cloud.google.com/iam/docs/keys-create-delete",
        ),
        "delegated_user": CredentialHelp(
            "User to act as (domain-wide delegation)",
            "An admin's email; in the Admin console → Security → API controls → Domain-wide "
            "delegation, allow the service account's client id the Drive and Directory "
            "read-only scopes.",
            "https://support.google.com/a/answer/162106",
        ),
        "oauth_client_id": CredentialHelp(
            "OAuth client id",
            "Google Cloud console → APIs & Services → Credentials → OAuth client ID.",
            "https://developers.google.com/identity/protocols/oauth2",
        ),
        "oauth_client_secret": CredentialHelp(
            "OAuth client secret",
            "Shown with the OAuth client id in APIs & Services → Credentials.",
            "https://developers.google.com/identity/protocols/oauth2",
        ),
        "oauth_refresh_token": CredentialHelp(
            "OAuth refresh token",
            "A refresh token for the client, issued with offline access to the Drive read-only "
            "scope (for example from the OAuth 2.0 Playground).",
            "https://developers.google.com/identity/protocols/oauth2/web-server#offline",
        ),
    }
    # Drive push notifications need a public HTTPS channel renewed daily; polling the change
    # log is cheap enough.
    handles_webhooks = False
    # Drive allows 12,000 queries a minute per user; a tenth leaves room for people's apps.
    requests_per_minute: ClassVar[int] = 1200

    files_page_size: ClassVar[int] = 100
    changes_page_size: ClassVar[int] = 100

    def __init__(self, credentials: Mapping[str, Any], **options: Any) -> None:
        super().__init__(credentials, **options)
        self._google: auth.GoogleCredentials | None = None
        self._drive_service: Any = None
        self._directory_service: Any = None
        self._collections: dict[str, Any] = {}
        self._account: _Account | None = None
        # Groups named by the access lists this connector produced; reported without members
        # when the directory cannot be read.
        self._seen_group_ids: set[str] = set()

    # --- clients ------------------------------------------------------------------------

    @property
    def google(self) -> auth.GoogleCredentials:
        if self._google is None:
            self._google = auth.load_credentials(self.credentials)
        return self._google

    def _drive(self) -> Any:
        if self._drive_service is None:
            self._drive_service = self.call(
                auth.build_service,
                "drive",
                "v3",
                self.google.drive,
                self.base_url,
                self.outbound,
            )
        return self._drive_service

    def _directory(self) -> Any:
        if self._directory_service is None:
            self._directory_service = self.call(
                auth.build_service,
                "admin",
                "directory_v1",
                self.google.directory,
                self.base_url,
                self.outbound,
            )
        return self._directory_service

    def _files(self) -> Any:
        return self._collection("files")

    def _collection(self, name: str) -> Any:
        # Each `service.files()` builds every method of the resource afresh: keep them.
        if name not in self._collections:
            self._collections[name] = getattr(self._drive(), name)()
        return self._collections[name]

    def _execute(self, request: Any) -> Any:
        # num_retries=0: Connector.call is the only retry policy.
        return self.call(request.execute, num_retries=0)

    def _about(self) -> _Account:
        if self._account is None:
            about = self._execute(
                self._collection("about").get(
                    fields="user(displayName, emailAddress, permissionId)"
                )
            )
            user = about.get("user") or {}
            email = str(user.get("emailAddress") or self.google.acting_user).lower()
            domain = email.rpartition("@")[2]
            self._account = _Account(
                email=email,
                name=str(user.get("displayName") or email),
                permission_id=str(user.get("permissionId") or ""),
                domains=frozenset({domain} if domain else ()),
            )
        return self._account

    # --- the contract -------------------------------------------------------------------

    def validate_credentials(self) -> SourceAccount:
        account = self._about()
        return SourceAccount(
            id=account.email or account.permission_id,
            name=account.name,
            details={
                "email": account.email,
                "credentials": self.google.kind,
                "group_membership": "readable" if self._directory_readable() else "unavailable",
            },
        )

    def list_hierarchy(self, parent_id: str | None = None) -> list[HierarchyNode]:
        if parent_id is None:
            drives = self._shared_drives()
            folders = self._child_folders("root", _corpus(None))
            with_children = self._parents_of_folders([*drives, *(f["id"] for f in folders)])
            nodes = [
                HierarchyNode(
                    id=drive_id,
                    title=name,
                    kind="shared_drive",
                    has_children=drive_id in with_children,
                    url=f"https://drive.google.com/drive/folders/{drive_id}",
                )
                for drive_id, name in drives.items()
            ]
        else:
            folders = self._child_folders(parent_id, _EVERY_CORPUS)
            with_children = self._parents_of_folders([folder["id"] for folder in folders])
            nodes = []
        nodes += [
            HierarchyNode(
                id=folder["id"],
                title=folder.get("name") or "Untitled folder",
                kind="folder",
                parent_id=parent_id,
                has_children=folder["id"] in with_children,
                url=folder.get("webViewLink") or "",
            )
            for folder in folders
        ]
        return nodes

    def full_sync(
        self, selected_ids: Sequence[str], resume: Mapping[str, Any] | None = None
    ) -> SyncGenerator:
        state = dict(resume or {})
        # Taken before the first listing, so changes made while we list are replayed by the
        # next incremental sync (a re-read, never a miss).
        start_page_token = str(state.get("start_page_token") or self._start_page_token())
        cursor = {"start_page_token": start_page_token}
        if state.get("finished"):
            return cursor

        tree = self._loaded_tree()
        selection = Selection(frozenset(selected_ids))
        scopes = self._listing_scopes(selection, tree)
        resume_key = state.get("scope")
        for index, scope in enumerate(scopes):
            if resume_key is not None and scope.key < resume_key:
                continue
            page_token = state.get("page_token") if scope.key == resume_key else None
            while True:
                page = self._execute(
                    self._files().list(
                        **scope.params,
                        pageSize=self.files_page_size,
                        pageToken=page_token,
                        fields=f"nextPageToken, incompleteSearch, files({FILE_FIELDS})",
                    )
                )
                if page.get("incompleteSearch"):
                    logger.warning("Drive says the listing %s may be incomplete", scope.key)
                for file in page.get("files", []):
                    if scope.folder_id and (file.get("parents") or [None])[0] != scope.folder_id:
                        continue  # a legacy second parent: listed under its first one
                    yield from self._file_items(file, tree, selection, removing=False)
                page_token = page.get("nextPageToken")
                if page_token:
                    yield Checkpoint({**cursor, "scope": scope.key, "page_token": page_token})
                    continue
                following = scopes[index + 1].key if index + 1 < len(scopes) else None
                yield Checkpoint(
                    {**cursor, "scope": following, "page_token": None, "finished": not following}
                )
                break
        return cursor

    def incremental_sync(
        self,
        selected_ids: Sequence[str],
        cursor: Cursor,
        resume: Mapping[str, Any] | None = None,
    ) -> SyncGenerator:
        state = dict(resume or {})
        if state.get("new_start_page_token"):
            return {"start_page_token": str(state["new_start_page_token"])}
        page_token = state.get("page_token") or cursor.get("start_page_token")
        if not page_token:
            # No full sync has recorded where the change log stood: start watching now.
            return {"start_page_token": self._start_page_token()}

        tree = self._lazy_tree()
        selection = Selection(frozenset(selected_ids))
        while True:
            page = self._changes_page(str(page_token))
            for change in page.get("changes", []):
                yield from self._change_items(change, tree, selection)
            if page.get("nextPageToken"):
                page_token = page["nextPageToken"]
                yield Checkpoint({"page_token": page_token})
                continue
            new_start = str(page["newStartPageToken"])
            yield Checkpoint({"new_start_page_token": new_start})
            return {"start_page_token": new_start}

    def _changes_page(self, page_token: str) -> Any:
        request = self._collection("changes").list(
            pageToken=page_token,
            pageSize=self.changes_page_size,
            includeRemoved=True,
            **_ALL_DRIVES,
            fields=(
                "nextPageToken, newStartPageToken, "
                f"changes(changeType, removed, fileId, file({FILE_FIELDS}))"
            ),
        )

        def execute() -> Any:
            try:
                return request.execute(num_retries=0)
            except HttpError as error:
                if _is_expired_page_token(error):
                    raise CursorExpired(
                        "Google Drive no longer accepts the saved change token "
                        f"(HTTP {error.resp.status} invalid pageToken: it expired or was "
                        "reset)."
                    ) from error
                raise

        return self.call(execute)

    def fetch_document(self, external_id: str) -> DocumentInput | Deletion:
        try:
            file = self._execute(
                self._files().get(fileId=external_id, fields=FILE_FIELDS, **_SUPPORTS)
            )
        except ItemUnavailable:
            return Deletion(external_id)  # deleted, or no longer shared with us
        if file.get("trashed"):
            return Deletion(external_id)
        if not export.is_document(file):
            raise ItemUnavailable(f"{file.get('name')} is not a document ({file.get('mimeType')}).")
        tree = self._lazy_tree()
        ancestors = tree.ancestors(file.get("parents") or [], file.get("driveId"))
        try:
            return self._document(file, ancestors)
        except export.Unreadable as error:
            raise ItemUnavailable(error.message) from error

    def list_groups(self) -> Iterator[SourceGroup]:
        try:
            groups = list(self._directory_pages("groups", customer="my_customer"))
        except (ItemUnavailable, InvalidCredentials) as error:
            if isinstance(error, InvalidCredentials) and not self.google.directory_has_own_token:
                raise  # the one OAuth token was refused: not a directory matter
            # Not an admin, or the group scope is not granted: file access through groups
            # cannot be resolved, so those files stay closed to everyone but named people.
            logger.warning("Google Directory unavailable, groups have no members: %s", error)
            for group_id in sorted(self._seen_group_ids):
                yield SourceGroup(external_id=group_id, name=group_id.removeprefix("group:"))
            return
        for group in groups:
            email = str(group.get("email", "")).lower()
            try:
                members = list(
                    self._directory_pages(
                        "members", groupKey=group["id"], includeDerivedMembership=True
                    )
                )
            except ItemUnavailable:
                members = []
            member_emails = sorted(
                {
                    str(member["email"]).lower()
                    for member in members
                    if member.get("type") == "USER"
                    and member.get("email")
                    and member.get("status", "ACTIVE") != "SUSPENDED"
                }
            )
            yield SourceGroup(
                external_id=mapping.group_external_id(email),
                name=str(group.get("name") or email),
                member_emails=tuple(member_emails),
            )

    def classify_error(self, error: Exception) -> ConnectorError | None:
        if isinstance(error, google_auth_exceptions.RefreshError):
            if getattr(error, "retryable", False):
                return TransientError(f"Google's token endpoint failed, will retry: {error}")
            return InvalidCredentials(
                "Google refused the credentials "
                f"({_refresh_error_text(error)}). Check that the key or refresh token is still "
                "valid and that domain-wide delegation grants the Drive read-only scope."
            )
        if isinstance(error, HttpError):
            return _classify_http_error(error)
        if isinstance(
            error, (google_auth_exceptions.TransportError, httplib2.HttpLib2Error, OSError)
        ):
            # Timeouts, refused or dropped connections (OSError covers socket errors).
            return TransientError(f"Could not reach Google Drive: {error}")
        return None

    # --- full sync helpers --------------------------------------------------------------

    def _start_page_token(self) -> str:
        answer = self._execute(
            self._collection("changes").getStartPageToken(supportsAllDrives=True)
        )
        return str(answer["startPageToken"])

    def _lazy_tree(self) -> FolderTree:
        return FolderTree(lookup_folder=self._lookup_folder, lookup_drive_name=self._drive_name)

    def _loaded_tree(self) -> FolderTree:
        """Every shared drive and folder, read before the files: a few requests that save
        one per folder when computing breadcrumbs and expanding a selection."""
        tree = self._lazy_tree()
        for drive_id, name in self._shared_drives().items():
            tree.remember_drive(drive_id, name)
        corpora: list[str | None] = [*sorted(tree.drive_names), None]  # None: My Drive
        for corpus_drive_id in corpora:
            page_token: str | None = None
            while True:
                page = self._execute(
                    self._files().list(
                        q=_ONLY_FOLDERS,
                        **_corpus(corpus_drive_id),
                        pageSize=1000,
                        pageToken=page_token,
                        fields=f"nextPageToken, incompleteSearch, files({_FOLDER_FIELDS})",
                    )
                )
                for resource in page.get("files", []):
                    tree.remember(mapping.folder_from_resource(resource))
                page_token = page.get("nextPageToken")
                if not page_token:
                    break
        return tree

    def _listing_scopes(self, selection: Selection, tree: FolderTree) -> list[_ListingScope]:
        """One listing per shared drive plus My Drive (Google warns that one listing over
        all drives may silently miss files), or per picked drive and folder."""
        if not selection.ids:
            # "drive:…" keys sort before "user", so My Drive is listed last.
            return [
                _ListingScope(f"drive:{drive_id}", {"q": _NOT_FOLDERS, **_corpus(drive_id)})
                for drive_id in sorted(tree.drive_names)
            ] + [_ListingScope("user", {"q": _NOT_FOLDERS, **_corpus(None)})]
        drives = sorted(selection.ids & tree.drive_names.keys())
        scopes = [
            _ListingScope(f"drive:{drive_id}", {"q": _NOT_FOLDERS, **_corpus(drive_id)})
            for drive_id in drives
        ]
        folder_ids: set[str] = set()
        for selected in selection.ids - set(drives):
            folder_ids.update(tree.descendants(selected))
        for folder_id in folder_ids:
            folder = tree.folder(folder_id)
            if folder is not None and folder.drive_id in drives:
                continue  # its whole shared drive is listed already
            query = f"{_quoted(folder_id)} in parents and {_NOT_FOLDERS}"
            corpus = _corpus(folder.drive_id) if folder is not None else _EVERY_CORPUS
            scopes.append(_ListingScope(f"folder:{folder_id}", {"q": query, **corpus}, folder_id))
        return sorted(scopes, key=lambda scope: scope.key)

    # --- one file -----------------------------------------------------------------------

    def _change_items(
        self, change: Mapping[str, Any], tree: FolderTree, selection: Selection
    ) -> Iterator[SyncItem]:
        if change.get("changeType", "file") != "file":
            return  # a shared drive renamed or its settings changed: no document
        file_id = str(change.get("fileId") or "")
        file = change.get("file")
        if change.get("removed") or file is None or file.get("trashed"):
            yield Deletion(file_id)
            return
        if file.get("mimeType") == FOLDER:
            # Remember the new name and place; documents below keep their old breadcrumbs
            # until they change or the next full sync.
            tree.remember(mapping.folder_from_resource(file))
            return
        yield from self._file_items(file, tree, selection, removing=True)

    def _file_items(
        self,
        file: Mapping[str, Any],
        tree: FolderTree,
        selection: Selection,
        *,
        removing: bool,
    ) -> Iterator[SyncItem]:
        """The document for one listed file, an ItemFailure if it cannot be read, or nothing
        for what is no document. With `removing`, a file outside the selection (moved out
        of it, perhaps) comes out as a Deletion."""
        if not export.is_document(file):
            return
        ancestors = tree.ancestors(file.get("parents") or [], file.get("driveId"))
        if not selection.includes(file["id"], (ancestor_id for ancestor_id, _ in ancestors)):
            if removing:
                yield Deletion(str(file["id"]))
            return
        try:
            yield self._document(file, ancestors)
        except export.Unreadable as error:
            yield ItemFailure(str(file["id"]), _title(file), error.code, error.message)
        except ItemUnavailable as error:
            yield ItemFailure(str(file["id"]), _title(file), error.code, error.message)

    def _document(
        self, file: Mapping[str, Any], ancestors: Sequence[tuple[str, str]]
    ) -> DocumentInput:
        file_id = str(file["id"])
        extracted = export.read_text(
            file,
            export=lambda mime_type: self._execute(
                self._files().export_media(fileId=file_id, mimeType=mime_type)
            ),
            download=lambda: self._execute(self._files().get_media(fileId=file_id, **_SUPPORTS)),
        )
        return mapping.document_input(
            file,
            text=extracted.text,
            ancestors=ancestors,
            access=self._access(file),
            size_bytes=int(file.get("size") or extracted.size_bytes),
        )

    def _access(self, file: Mapping[str, Any]) -> AccessList:
        permissions = file.get("permissions")
        if permissions is None:
            # Drive leaves permissions out of shared drive files and of files we may not
            # share; permissions.list has them (with shared drive membership inherited).
            try:
                permissions = self._list_permissions(str(file["id"]))
            except ItemUnavailable:
                return mapping.owners_only_access(file, self._about().email)
        access = mapping.access_list(permissions, own_domains=self._about().domains)
        self._seen_group_ids.update(access.group_ids)
        return access

    def _list_permissions(self, file_id: str) -> list[Mapping[str, Any]]:
        permissions: list[Mapping[str, Any]] = []
        page_token: str | None = None
        while True:
            page = self._execute(
                self._collection("permissions").list(
                    fileId=file_id,
                    pageSize=100,
                    pageToken=page_token,
                    fields=f"nextPageToken, permissions({_PERMISSION_FIELDS})",
                    **_SUPPORTS,
                )
            )
            permissions += page.get("permissions", [])
            page_token = page.get("nextPageToken")
            if not page_token:
                return permissions

    # --- folders, drives, directory -----------------------------------------------------

    def _lookup_folder(self, folder_id: str) -> Folder | None:
        try:
            resource = self._execute(
                self._files().get(
                    fileId=folder_id, fields=f"{_FOLDER_FIELDS}, mimeType", **_SUPPORTS
                )
            )
        except ItemUnavailable:
            return None  # not shared with us: the walk up stops here
        if resource.get("mimeType") != FOLDER:
            return None
        return mapping.folder_from_resource(resource)

    def _drive_name(self, drive_id: str) -> str | None:
        try:
            drive = self._execute(
                self._collection("drives").get(driveId=drive_id, fields="id, name")
            )
        except ItemUnavailable:
            return None
        return str(drive.get("name") or "") or None

    def _shared_drives(self) -> dict[str, str]:
        drives: dict[str, str] = {}
        page_token: str | None = None
        while True:
            page = self._execute(
                self._collection("drives").list(
                    pageSize=100, pageToken=page_token, fields="nextPageToken, drives(id, name)"
                )
            )
            drives.update(
                {
                    drive["id"]: drive.get("name") or "Shared drive"
                    for drive in page.get("drives", [])
                }
            )
            page_token = page.get("nextPageToken")
            if not page_token:
                return drives

    def _child_folders(self, parent_id: str, corpus: Mapping[str, Any]) -> list[dict[str, Any]]:
        folders: list[dict[str, Any]] = []
        page_token: str | None = None
        while True:
            page = self._execute(
                self._files().list(
                    q=f"{_quoted(parent_id)} in parents and {_ONLY_FOLDERS}",
                    **corpus,
                    pageSize=1000,
                    pageToken=page_token,
                    fields="nextPageToken, files(id, name, webViewLink)",
                )
            )
            folders += page.get("files", [])
            page_token = page.get("nextPageToken")
            if not page_token:
                return sorted(folders, key=lambda folder: str(folder.get("name", "")).lower())

    def _parents_of_folders(self, parent_ids: Sequence[str]) -> set[str]:
        """Which of these ids have at least one folder inside (so the picker can expand)."""
        found: set[str] = set()
        for start in range(0, len(parent_ids), _PARENTS_PER_QUERY):
            batch = parent_ids[start : start + _PARENTS_PER_QUERY]
            terms = " or ".join(f"{_quoted(parent_id)} in parents" for parent_id in batch)
            page_token: str | None = None
            while True:
                page = self._execute(
                    self._files().list(
                        q=f"({terms}) and {_ONLY_FOLDERS}",
                        **_EVERY_CORPUS,
                        pageSize=1000,
                        pageToken=page_token,
                        fields="nextPageToken, files(parents)",
                    )
                )
                for folder in page.get("files", []):
                    found.update(folder.get("parents") or [])
                page_token = page.get("nextPageToken")
                if not page_token:
                    break
        return found

    def _directory_pages(self, resource: str, **params: Any) -> Iterator[Mapping[str, Any]]:
        collection = (
            self._directory().groups() if resource == "groups" else self._directory().members()
        )
        fields = (
            "nextPageToken, groups(id, email, name)"
            if resource == "groups"
            else "nextPageToken, members(email, type, status)"
        )
        page_token: str | None = None
        while True:
            page = self._execute(
                collection.list(**params, maxResults=200, pageToken=page_token, fields=fields)
            )
            yield from page.get(resource, [])
            page_token = page.get("nextPageToken")
            if not page_token:
                return

    def _directory_readable(self) -> bool:
        try:
            self._execute(
                self._directory()
                .groups()
                .list(customer="my_customer", maxResults=1, fields="groups(id)")
            )
        except ItemUnavailable:
            return False
        except InvalidCredentials:
            if not self.google.directory_has_own_token:
                raise
            return False
        return True


def _title(file: Mapping[str, Any]) -> str:
    return str(file.get("name") or file.get("id") or "Untitled")


OAUTH_ERRORS = {
    "invalid_grant": "invalid_grant: the key or refresh token is expired or revoked, or the "
    "delegated user does not exist",
    "invalid_client": "invalid_client: the OAuth client id or secret is wrong",
    "unauthorized_client": "unauthorized_client: the client may not ask for these scopes",
}


def _refresh_error_text(error: google_auth_exceptions.RefreshError) -> str:
    # google-auth puts ("invalid_grant: Token has been expired or revoked.", {...}) in args.
    # Only the OAuth error code, said in our words: the token URI is the admin's to type,
    # and its server's own words are not repeated.
    code = api_code(str(error.args[0]).split(":")[0].strip() if error.args else "")
    return OAUTH_ERRORS.get(code, code or "refused")


def _error_reason(error: HttpError) -> tuple[str, str]:
    """Google's first error `reason` and the message, from the JSON error envelope."""
    try:
        body = json.loads(error.content or b"{}")
    except ValueError:
        return "", error.reason or ""
    detail = body.get("error") if isinstance(body, dict) else None
    if not isinstance(detail, dict):
        return "", error.reason or ""
    errors = detail.get("errors") or [{}]
    return str(errors[0].get("reason", "")), str(detail.get("message") or error.reason or "")


def _is_expired_page_token(error: HttpError) -> bool:
    """changes.list answers a page token it no longer accepts (expired, or from before the
    change log was reset) with 400 "Invalid Value", reason `invalid`, located at the
    `pageToken` parameter. The token cannot be used again."""
    if int(error.resp.status) != 400:
        return False
    try:
        body = json.loads(error.content or b"{}")
        detail = body["error"]["errors"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return False
    if not isinstance(detail, dict):
        return False
    return detail.get("reason") == "invalid" and detail.get("location") == "pageToken"


def _classify_http_error(error: HttpError) -> ConnectorError | None:
    status = int(error.resp.status)
    reason, _ = _error_reason(error)
    # Google's reason code is shown when it is one; its message, the body's words, is not.
    shown = f"HTTP {status} {api_code(reason)}".strip()
    if status == 401:
        return InvalidCredentials(f"Google Drive rejected the access token ({shown}).")
    if status == 429 or (status == 403 and reason in _RATE_LIMIT_REASONS):
        return RateLimited(
            f"Google Drive rate limit ({shown}).",
            retry_after=retry_after_seconds(error.resp.get("retry-after")),
        )
    if status >= 500:
        return TransientError(f"Google Drive is unavailable ({shown}).")
    if status in (400, 403, 404, 410):
        return ItemUnavailable(f"Google Drive answered {shown}.")
    return None
