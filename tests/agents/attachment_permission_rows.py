"""The attachment routes in the shape of tests/api/test_permissions.py's endpoint table:
every role may attach to their own conversation; anyone else (another workspace) is 404."""

from __future__ import annotations

import io
from typing import Any

from agents import services
from agents.services.attachments import upload_attachments
from knowledge.services import UploadedFile
from tests.factories import Multipart, Tenant
from workspaces.models import Membership


def attachments_endpoints(
    t: Tenant, base: str, caller: Membership
) -> list[tuple[str, str, Any, str, int]]:
    # Conversations are their owner's alone; a caller from elsewhere aims at the admin's.
    owner = caller if caller.workspace_id == t.workspace.id else t.admin
    conversation = services.create_conversation(actor=owner)
    content = b"# Notes\n\nSome notes."
    (attachment,) = upload_attachments(
        actor=owner,
        conversation_id=conversation.id,
        files=[UploadedFile("notes.md", "text/markdown", len(content), io.BytesIO(content))],
    )
    files = f"{base}/conversations/{conversation.id}/attachments"
    return [
        ("POST", files, Multipart({"more.md": b"# More"}), "member", 201),
        ("GET", files, None, "member", 200),
        ("GET", f"{files}/{attachment.id}", None, "member", 200),
        ("DELETE", f"{files}/{attachment.id}", None, "member", 204),
    ]
