"""The JSON the Drive v3 and Admin Directory v1 APIs answer with, built from the fake's
workspace (https://developers.google.com/drive/api/reference/rest/v3 and
https://developers.google.com/admin-sdk/directory/reference/rest/v1)."""

from __future__ import annotations

import hashlib
from typing import Any

from tests.fakes.google_drive.rendering import upload_bytes
from tests.fakes.google_drive.workspace import (
    EXTENSIONS,
    FOLDER,
    Group,
    Item,
    Permission,
    SharedDrive,
    Workspace,
)

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def error_body(
    code: int,
    reason: str,
    message: str,
    *,
    domain: str = "global",
    location: str | None = None,
    location_type: str | None = None,
) -> dict[str, Any]:
    """Google's error envelope: the message, the legacy `errors` list with its `reason`, and
    the canonical `status`."""
    detail: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location:
        detail["location"] = location
        detail["locationType"] = location_type or "parameter"
    return {
        "error": {
            "code": code,
            "message": message,
            "errors": [detail],
            "status": _STATUS_NAMES.get(code, "UNKNOWN"),
        }
    }


def web_view_link(item: Item) -> str:
    if item.kind == "doc":
        return f"https://docs.google.com/document/d/{item.id}/edit?usp=drivesdk"
    if item.kind == "sheet":
        return f"https://docs.google.com/spreadsheets/d/{item.id}/edit?usp=drivesdk"
    if item.kind == "slides":
        return f"https://docs.google.com/presentation/d/{item.id}/edit?usp=drivesdk"
    if item.kind == "form":
        return f"https://docs.google.com/forms/d/{item.id}/edit?usp=drivesdk"
    if item.is_folder:
        return f"https://drive.google.com/drive/folders/{item.id}"
    return f"https://drive.google.com/file/d/{item.id}/view?usp=drivesdk"


def content_of(item: Item) -> bytes:
    return upload_bytes(item.kind, item.name.rsplit(".", 1)[0], item.body)


def size_of(item: Item) -> int:
    return item.reported_size if item.reported_size is not None else len(content_of(item))


def user_resource(workspace: Workspace, email: str) -> dict[str, Any]:
    person = workspace.people.get(email)
    return {
        "kind": "drive#user",
        "displayName": person.name if person else email,
        "emailAddress": email,
        "permissionId": person.permission_id if person else "",
        "me": email == workspace.admin.email,
        "photoLink": "https://lh3.googleusercontent.com/a/default-user=s64",
    }


def permission_resource(
    permission: Permission, *, inherited_from: str | None = None, in_shared_drive: bool = False
) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "kind": "drive#permission",
        "id": permission.id,
        "type": permission.type,
        "role": permission.role,
        "deleted": False,
        "pendingOwner": False,
    }
    if permission.email_address:
        resource["emailAddress"] = permission.email_address
    if permission.domain:
        resource["domain"] = permission.domain
    if permission.display_name:
        resource["displayName"] = permission.display_name
    if permission.allow_file_discovery is not None:
        resource["allowFileDiscovery"] = permission.allow_file_discovery
    if in_shared_drive:
        resource["permissionDetails"] = [
            {
                "permissionType": "member" if inherited_from else "file",
                "role": permission.role,
                "inherited": inherited_from is not None,
                **({"inheritedFrom": inherited_from} if inherited_from else {}),
            }
        ]
    return resource


def file_resource(workspace: Workspace, item: Item) -> dict[str, Any]:
    """Every field of a file the fake knows; `fields` masks it down."""
    trashed = workspace.is_trashed(item)
    resource: dict[str, Any] = {
        "kind": "drive#file",
        "id": item.id,
        "name": item.name,
        "mimeType": item.mime_type,
        "starred": False,
        "trashed": trashed,
        "explicitlyTrashed": item.trashed,
        "parents": [item.parent_id] if item.parent_id else [],
        "spaces": ["drive"],
        "version": str(item.version),
        "webViewLink": web_view_link(item),
        "iconLink": f"https://drive-thirdparty.googleusercontent.com/16/type/{item.mime_type}",
        "hasThumbnail": False,
        "viewedByMe": True,
        "createdTime": item.created_time,
        "modifiedTime": item.modified_time,
        "shared": len(workspace.effective_permissions(item)) > 1,
        "capabilities": {
            "canDownload": True,
            "canShare": not item.sharing_hidden,
            "canListChildren": item.is_folder,
        },
    }
    if item.drive_id:
        resource["driveId"] = item.drive_id
        resource["teamDriveId"] = item.drive_id
    else:
        resource["owners"] = [user_resource(workspace, item.owner_email)]
        resource["ownedByMe"] = item.owner_email == workspace.admin.email
        if not item.sharing_hidden:
            # Only for My Drive items the caller can share; never for shared drive items.
            resource["permissions"] = [permission_resource(p) for p in item.permissions]
            resource["permissionIds"] = [p.id for p in item.permissions]
    if not item.is_google_file:
        content = content_of(item)
        extension = EXTENSIONS.get(item.kind, "").lstrip(".")
        resource.update(
            {
                "size": str(size_of(item)),
                "originalFilename": item.name,
                "fullFileExtension": extension,
                "fileExtension": extension,
                "md5Checksum": hashlib.md5(content, usedforsecurity=False).hexdigest(),
                "headRevisionId": f"0B{item.id[1:12]}{item.version}",
            }
        )
    return resource


def root_folder_resource(workspace: Workspace) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": workspace.root_id,
        "name": "My Drive",
        "mimeType": FOLDER,
        "trashed": False,
        "createdTime": "2019-04-01T08:00:00.000Z",
        "modifiedTime": "2019-04-01T08:00:00.000Z",
        "webViewLink": "https://drive.google.com/drive/my-drive",
        "owners": [user_resource(workspace, workspace.admin.email)],
    }


def drive_root_folder_resource(drive: SharedDrive) -> dict[str, Any]:
    return {
        "kind": "drive#file",
        "id": drive.id,
        "name": drive.name,
        "mimeType": FOLDER,
        "driveId": drive.id,
        "teamDriveId": drive.id,
        "trashed": False,
        "createdTime": drive.created_time,
        "modifiedTime": drive.created_time,
        "webViewLink": f"https://drive.google.com/drive/folders/{drive.id}",
    }


def drive_resource(drive: SharedDrive) -> dict[str, Any]:
    return {
        "kind": "drive#drive",
        "id": drive.id,
        "name": drive.name,
        "createdTime": drive.created_time,
        "hidden": False,
        "colorRgb": "#4986e7",
        "capabilities": {"canListChildren": True, "canDownload": True, "canShare": True},
        "restrictions": {
            "adminManagedRestrictions": False,
            "copyRequiresWriterPermission": False,
            "domainUsersOnly": False,
            "driveMembersOnly": False,
        },
    }


def group_resource(group: Group) -> dict[str, Any]:
    return {
        "kind": "admin#directory#group",
        "id": group.id,
        "etag": f'"{group.id}/etag"',
        "email": group.email,
        "name": group.name,
        "directMembersCount": str(len(group.members)),
        "description": group.description,
        "adminCreated": True,
    }


def member_resource(
    workspace: Workspace, email: str, member_type: str, role: str
) -> dict[str, Any]:
    if member_type == "GROUP":
        member_id = workspace.groups[email].id
    else:
        person = workspace.people.get(email)
        member_id = person.permission_id if person else email
    return {
        "kind": "admin#directory#member",
        "etag": f'"{member_id}/etag"',
        "id": member_id,
        "email": email,
        "role": role,
        "type": member_type,
        "status": "ACTIVE",
    }
