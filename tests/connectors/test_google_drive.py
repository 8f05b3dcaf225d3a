"""The Google Drive connector against a fake Drive speaking Google's wire format, through the
real google-api-python-client and google-auth (a real RSA-signed service account assertion,
a real OAuth refresh)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from connectors.documents import Deletion, DocumentInput
from connectors.errors import (
    CursorExpired,
    InvalidConfiguration,
    InvalidCredentials,
    ItemUnavailable,
)
from connectors.google_drive.connector import GoogleDriveConnector
from tests.connectors.contract import ConnectorContract, FakeSource, drain
from tests.fakes.google_drive.resources import content_of, error_body
from tests.fakes.google_drive.seed import DOMAIN, PARTNER_DOMAIN
from tests.fakes.google_drive.server import DRIVE_SCOPE, FakeGoogleDrive
from tests.fakes.google_drive.workspace import Item, Workspace
from tests.fakes.http import Response


class TestGoogleDriveContract(ConnectorContract):
    kind = "google_drive"

    @pytest.fixture
    def fake(self) -> Iterator[FakeSource]:
        with FakeGoogleDrive() as server:
            yield server


@pytest.fixture
def drive() -> Iterator[FakeGoogleDrive]:
    with FakeGoogleDrive() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


def connect(
    drive: FakeGoogleDrive, sleeps: list[float], credentials: dict[str, Any] | None = None
) -> GoogleDriveConnector:
    if credentials is None:
        credentials = drive.credentials()
    return GoogleDriveConnector(credentials, base_url=drive.url, sleep=sleeps.append)


def first(workspace: Workspace, where: Callable[[Item], bool] = lambda item: True) -> Item:
    """The first readable document (in id order) that `where` accepts: stable picks."""
    return next(item for item in workspace.documents() if where(item))


def shared(item: Item, kind: str, **attributes: str) -> bool:
    return any(
        permission.type == kind
        and all(getattr(permission, name) == value for name, value in attributes.items())
        for permission in item.permissions
    )


def fetch(connector: GoogleDriveConnector, item: Item) -> DocumentInput:
    document = connector.fetch_document(item.id)
    assert isinstance(document, DocumentInput)
    return document


def in_my_drive(item: Item) -> bool:
    return item.drive_id is None and not item.sharing_hidden


def kind_is(kind: str) -> Callable[[Item], bool]:
    return lambda item: item.kind == kind


# --- content ----------------------------------------------------------------------------


def test_google_files_are_exported(drive: FakeGoogleDrive, sleeps: list[float]) -> None:
    connector = connect(drive, sleeps)
    doc = first(drive.workspace, kind_is("doc"))
    sheet = first(drive.workspace, kind_is("sheet"))
    slides = first(drive.workspace, kind_is("slides"))

    exported = fetch(connector, doc)
    assert exported.title == doc.name
    assert exported.text.startswith("# ") and "\n## " in exported.text  # Markdown kept
    assert exported.mime_type == "application/vnd.google-apps.document"
    assert exported.url == f"https://docs.google.com/document/d/{doc.id}/edit?usp=drivesdk"
    assert exported.source_updated_at is not None and exported.source_updated_at.tzinfo

    table = fetch(connector, sheet)
    assert table.text.splitlines()[0] == "Item,Owner,Status,Amount (EUR)"
    deck = fetch(connector, slides)
    assert "#" not in deck.text and slides.body.splitlines()[2].strip("# ") in deck.text

    exports = [r.query.get("mimeType") for r in drive.requests if r.path.endswith("/export")]
    assert exports == ["text/markdown", "text/csv", "text/plain"]


def test_docs_fall_back_to_plain_text_without_markdown_export(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    drive.markdown_export = False
    doc = first(drive.workspace, kind_is("doc"))
    exported = fetch(connect(drive, sleeps), doc)
    assert "## " not in exported.text
    assert doc.body.splitlines()[4].removeprefix("- ") in exported.text  # unmarked
    exports = [r.query.get("mimeType") for r in drive.requests if r.path.endswith("/export")]
    assert exports == ["text/markdown", "text/plain"]


@pytest.mark.parametrize("kind", ["pdf", "docx", "pptx", "xlsx", "text", "markdown", "csv"])
def test_uploaded_files_are_downloaded_and_parsed(
    drive: FakeGoogleDrive, sleeps: list[float], kind: str
) -> None:
    item = first(drive.workspace, kind_is(kind))
    document = fetch(connect(drive, sleeps), item)
    assert document.title == item.name
    assert document.size_bytes == len(content_of(item))
    # A sentence or cell of the source survives the round trip through the file format.
    sample = item.body.splitlines()[-2] if kind in ("xlsx", "csv") else item.body.splitlines()[4]
    for word in sample.replace(",", " ").split()[:5]:
        assert word.strip("|-") in document.text
    if kind == "docx":
        assert document.text.startswith("# ")  # headings come through as Markdown
    downloads = [r for r in drive.requests if r.query.get("alt") == "media"]
    assert [r.path for r in downloads] == [f"/drive/v3/files/{item.id}"]


def test_unreadable_files_fail_alone_and_media_is_skipped(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    drained = drain(connect(drive, sleeps).full_sync(()))
    failures = {failure.external_id: failure.code for failure in drained.failures}
    by_kind = {item.kind: item for item in drive.workspace.items.values()}
    assert failures[by_kind["zip"].id] == "unsupported_type"
    assert failures[by_kind["legacy_doc"].id] == "unsupported_type"
    huge = next(i for i in drive.workspace.items.values() if i.reported_size)
    assert failures[huge.id] == "file_too_large"
    assert len(failures) == 3
    skipped = {
        i.id for i in drive.workspace.items.values() if i.kind in ("image", "form", "shortcut")
    }
    assert not skipped & set(drained.ids)
    # The huge file was never downloaded, nor were the unsupported ones.
    downloaded = {
        r.path.rsplit("/", 1)[-1] for r in drive.requests if r.query.get("alt") == "media"
    }
    assert not downloaded & set(failures)


# --- hierarchy --------------------------------------------------------------------------


def test_parents_and_breadcrumbs_follow_the_folders(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    workspace = drive.workspace
    nested = first(workspace, lambda i: bool(i.drive_id) and len(workspace.ancestors(i)) >= 3)
    document = fetch(connect(drive, sleeps), nested)
    assert list(document.parents) == workspace.ancestors(nested)
    assert nested.drive_id and document.parents[-1] == nested.drive_id
    names = [workspace.items[i].name for i in workspace.ancestors(nested)[:-1]]
    assert list(document.breadcrumb) == [workspace.drives[nested.drive_id].name, *reversed(names)]

    loose = first(workspace, lambda item: item.parent_id == workspace.root_id)
    document = fetch(connect(drive, sleeps), loose)
    assert list(document.parents) == [workspace.root_id]
    assert list(document.breadcrumb) == ["My Drive"]


def test_selecting_a_folder_syncs_its_subtree_and_resumes(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    workspace = drive.workspace
    top = connect(drive, sleeps).list_hierarchy()
    folders = [node for node in top if node.kind == "folder"]
    assert all(node.parent_id is None for node in folders)
    # The My Drive folder with the most folders inside: a selection of several listings.
    projects = max(folders, key=lambda node: len(workspace.descendant_folder_ids(node.id)))
    expected = drive.expected_external_ids([projects.id])
    assert expected and len(workspace.descendant_folder_ids(projects.id)) > 1

    first_part = drain(connect(drive, sleeps).full_sync([projects.id]), stop_after_checkpoints=1)
    assert first_part.checkpoints[0].state["scope"].startswith("folder:")
    rest = drain(
        connect(drive, sleeps).full_sync([projects.id], resume=first_part.checkpoints[0].state)
    )
    assert not set(first_part.ids) & set(rest.ids)
    assert set(first_part.ids) | set(rest.ids) == expected
    assert all(projects.id in document.parents for document in rest.documents)


def test_shared_drives_list_their_folders(drive: FakeGoogleDrive, sleeps: list[float]) -> None:
    connector = connect(drive, sleeps)
    top = connector.list_hierarchy()
    assert {node.title for node in top if node.kind == "shared_drive"} == {
        d.name for d in drive.workspace.drives.values()
    }
    engineering = next(node for node in top if node.title == "Engineering")
    children = connector.list_hierarchy(engineering.id)
    assert {child.title for child in children} == {
        "Architecture", "RFCs", "Runbooks", "Postmortems", "Onboarding"
    }  # fmt: skip
    assert all(child.parent_id == engineering.id for child in children)


# --- access -----------------------------------------------------------------------------


def test_permissions_become_access_lists(drive: FakeGoogleDrive, sleeps: list[float]) -> None:
    workspace = drive.workspace
    connector = connect(drive, sleeps)

    anyone = first(workspace, lambda item: in_my_drive(item) and shared(item, "anyone"))
    assert fetch(connector, anyone).access.public

    company = first(workspace, lambda i: in_my_drive(i) and shared(i, "domain", domain=DOMAIN))
    assert fetch(connector, company).access.public

    partner = first(
        workspace, lambda i: in_my_drive(i) and shared(i, "domain", domain=PARTNER_DOMAIN)
    )
    access = fetch(connector, partner).access
    assert not access.public and workspace.admin.email in access.emails

    grouped = first(
        workspace,
        lambda item: (
            in_my_drive(item)
            and shared(item, "group")
            and not shared(item, "anyone")
            and not shared(item, "domain")
        ),
    )
    access = fetch(connector, grouped).access
    group_emails = sorted(p.email_address for p in grouped.permissions if p.type == "group")
    assert not access.public
    assert list(access.group_ids) == [f"group:{email}" for email in group_emails]
    users = {p.email_address for p in grouped.permissions if p.type == "user"}
    assert set(access.emails) == users and all(e == e.lower() for e in access.emails)


def test_shared_drive_members_reach_every_file_in_it(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    workspace = drive.workspace
    people_ops = next(d for d in workspace.drives.values() if d.name == "People Ops")
    item = first(workspace, lambda i: i.drive_id == people_ops.id and not i.permissions)
    access = fetch(connect(drive, sleeps), item).access
    assert not access.public
    assert access.group_ids == (f"group:people@{DOMAIN}",)
    members = {p.email_address for p in people_ops.members if p.type == "user"}
    assert set(access.emails) == members and workspace.admin.email in members
    wiki = next(d for d in workspace.drives.values() if d.name == "Company Wiki")
    in_wiki = first(workspace, lambda i: i.drive_id == wiki.id)
    assert fetch(connect(drive, sleeps), in_wiki).access.public


def test_files_we_may_not_share_get_their_owners_only(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    hidden = next(i for i in drive.workspace.items.values() if i.sharing_hidden)
    access = fetch(connect(drive, sleeps), hidden).access
    assert not access.public
    assert set(access.emails) == {hidden.owner_email, drive.workspace.admin.email}


def test_groups_come_with_members_including_nested_groups(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    groups = {group.external_id: group for group in connect(drive, sleeps).list_groups()}
    workspace = drive.workspace
    assert set(groups) == {f"group:{email}" for email in workspace.groups}
    engineering = groups[f"group:engineering@{DOMAIN}"]
    assert set(engineering.member_emails) == {
        m.email for m in workspace.groups[f"engineering@{DOMAIN}"].members
    }
    everyone = set(groups[f"group:all-staff@{DOMAIN}"].member_emails)
    assert set(engineering.member_emails) <= everyone  # through the nested group
    assert not any(email.startswith(("engineering@", "sales@")) for email in everyone)


def test_groups_without_directory_access_have_no_members(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    drive.directory_readable = False
    connector = connect(drive, sleeps)
    assert connector.validate_credentials().details["group_membership"] == "unavailable"
    drained = drain(connector.full_sync([drive.selectable_id()]))
    named = {group for document in drained.documents for group in document.access.group_ids}
    groups = list(connector.list_groups())
    assert named and {group.external_id for group in groups} == named
    assert all(not group.member_emails for group in groups)


def test_group_scope_not_delegated_costs_only_the_groups(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    drive.delegated_scopes = {DRIVE_SCOPE}
    connector = connect(drive, sleeps)
    assert connector.validate_credentials().details["group_membership"] == "unavailable"
    assert isinstance(connector.fetch_document(first(drive.workspace).id), DocumentInput)
    assert all(not group.member_emails for group in connector.list_groups())


# --- credentials and errors -------------------------------------------------------------


def test_oauth_refresh_token_credentials(drive: FakeGoogleDrive, sleeps: list[float]) -> None:
    connector = connect(drive, sleeps, drive.oauth_credentials())
    account = connector.validate_credentials()
    assert account.id == drive.workspace.admin.email
    assert account.details["credentials"] == "oauth"
    folder = next(
        node
        for node in connector.list_hierarchy()
        if node.kind == "folder" and drive.expected_external_ids([node.id])
    )
    drained = drain(connector.full_sync([folder.id]))
    assert set(drained.ids) == drive.expected_external_ids([folder.id])
    assert any(group.member_emails for group in connector.list_groups())

    drive.revoke_credentials()
    with pytest.raises(InvalidCredentials) as raised:
        connect(drive, sleeps, drive.oauth_credentials()).validate_credentials()
    assert "expired or revoked" in raised.value.message


def test_service_account_signs_a_real_assertion(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    connect(drive, sleeps).validate_credentials()
    grants = [r.form() for r in drive.requests if r.path == "/token"]
    assert grants and grants[0]["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert grants[0]["assertion"].count(".") == 2


def test_user_rate_limit_403_is_retried(drive: FakeGoogleDrive, sleeps: list[float]) -> None:
    def user_rate_limited() -> Response:
        body = error_body(
            403,
            "userRateLimitExceeded",
            "User Rate Limit Exceeded. Rate of requests for user exceed configured project quota.",
            domain="usageLimits",
        )
        return Response(403, body)

    drive.inject_faults(0.25, user_rate_limited)
    selected = drive.selectable_id()
    drained = drain(connect(drive, sleeps).full_sync([selected]))
    drive.clear_faults()
    assert drive.faults_served > 5
    assert set(drained.ids) == drive.expected_external_ids([selected])
    assert not drained.failures
    assert len(sleeps) == drive.faults_served  # each one waited out, none given up on


@pytest.mark.parametrize(
    "credentials",
    [
        {"service_account_json": "{not json"},
        {"service_account_json": json.dumps({"type": "service_account"})},
        {"oauth_refresh_token": "1//x"},
        {},
    ],
)
def test_malformed_credentials_are_a_configuration_error(
    drive: FakeGoogleDrive, sleeps: list[float], credentials: dict[str, Any]
) -> None:
    with pytest.raises(InvalidConfiguration):
        connect(drive, sleeps, credentials).validate_credentials()


# --- changes ----------------------------------------------------------------------------


def test_trashed_and_deleted_files_become_deletions(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    cursor = drain(connect(drive, sleeps).full_sync([drive.selectable_id()])).cursor
    assert cursor is not None
    result = drive.mutate()
    drained = drain(connect(drive, sleeps).incremental_sync((), cursor))
    assert result.deleted <= {deletion.external_id for deletion in drained.deletions}
    trashed = next(i for i in drive.workspace.items.values() if i.trashed)
    assert connect(drive, sleeps).fetch_document(trashed.id) == Deletion(trashed.id)
    assert drained.checkpoints[-1].state == {
        "new_start_page_token": drained.cursor["start_page_token"]
    }


def test_incremental_sync_with_a_selection_drops_what_left_it(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    workspace = drive.workspace
    selected = drive.selectable_id()
    cursor = {"start_page_token": str(workspace.next_change_id)}
    inside = first(workspace, lambda item: item.drive_id == selected)
    outside = first(workspace, lambda item: item.drive_id not in (None, selected))
    for item in (inside, outside):
        item.body += "\nEdited.\n"
        workspace.record_change(file_id=item.id)
    # Moved out of the selection: to the root of another shared drive.
    moved = sorted(workspace.documents(), key=lambda i: i.id)
    leaving = next(i for i in moved if i.drive_id == selected and i.id != inside.id)
    workspace.children[leaving.parent_id or ""].remove(leaving.id)
    leaving.parent_id = leaving.drive_id = outside.drive_id
    workspace.children.setdefault(leaving.parent_id or "", []).append(leaving.id)
    workspace.record_change(file_id=leaving.id)

    drained = drain(connect(drive, sleeps).incremental_sync([selected], cursor))
    assert drained.ids == [inside.id]
    assert {d.external_id for d in drained.deletions} == {outside.id, leaving.id}


def test_fetch_document_of_a_folder_is_unavailable(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    folder = next(i for i in drive.workspace.items.values() if i.is_folder)
    with pytest.raises(ItemUnavailable):
        connect(drive, sleeps).fetch_document(folder.id)
    assert connect(drive, sleeps).fetch_document("1doesNotExist") == Deletion("1doesNotExist")


def test_a_big_workspace_for_benchmarks() -> None:
    big = FakeGoogleDrive(big=True)
    assert len(big.expected_external_ids()) >= 2000


# --- hostile files ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "build", "code"),
    [
        ("bomb.docx", "huge_entry", "unpacked_too_large"),
        ("pages.pdf", "pdf_many_pages", "too_many_pages"),
        ("laughs.docx", "billion_laughs_docx", "unsafe_xml"),
    ],
)
def test_hostile_files_in_a_drive_fail_alone_through_the_same_sandbox(
    name: str, build: str, code: str
) -> None:
    from common.parsing import sandbox
    from connectors.google_drive.export import Unreadable, read_text
    from tests import hostile_files

    builder = getattr(hostile_files, build)
    content = builder("docx") if build == "huge_entry" else builder()
    file = {"id": "f1", "name": name, "mimeType": "application/octet-stream", "size": "1"}
    try:
        with pytest.raises(Unreadable) as info:
            read_text(file, export=lambda _type: b"", download=lambda: content)
        assert info.value.code == code
        # The sync goes on: the next file of the drive reads as ever.
        readable = {"id": "f2", "name": "notes.md", "mimeType": "text/markdown", "size": "9"}
        assert read_text(readable, export=lambda _type: b"", download=lambda: b"# Notes\n\nok")
    finally:
        sandbox.shutdown()


def test_an_expired_change_token_asks_for_a_full_resync(
    drive: FakeGoogleDrive, sleeps: list[float]
) -> None:
    cursor = drain(connect(drive, sleeps).full_sync(())).cursor
    assert cursor is not None
    drive.mutate()
    drive.workspace.expire_change_tokens()
    with pytest.raises(CursorExpired) as raised:
        drain(connect(drive, sleeps).incremental_sync((), cursor))
    assert "change token" in raised.value.message and not sleeps  # not retried
