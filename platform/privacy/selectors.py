"""Reads for data-subject requests: the requests themselves, and everything one workspace
holds about one person, area by area, as JSON-ready dicts (what an export writes)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from accounts.models import User
from agents.models import Conversation, Feedback
from audit.selectors import events_about_person
from knowledge.models import Document, StoredUploadPart
from privacy.models import DataSubjectRequest
from workspaces.models import ApiToken, GroupMember, Invitation, Membership, SpaceGrant


def list_requests(*, workspace_id: int) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(workspace_id=workspace_id).select_related(
        "subject_user", "requested_by__user"
    )


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Subject:
    """The person a request is about, as this workspace knows them."""

    workspace_id: int
    user: User
    membership: Membership

    @property
    def email(self) -> str:
        return self.user.email


def account(subject: Subject) -> dict[str, Any]:
    user = subject.user
    # No password hash: it is a credential, not data about the person.
    return {
        "id": user.id,
        "email": user.email,
        "full_name": user.full_name,
        "is_active": user.is_active,
        "email_verified": user.email_verified,
        "date_joined": _when(user.date_joined),
    }


def memberships(subject: Subject) -> list[dict[str, Any]]:
    membership = subject.membership
    return [
        {
            "id": membership.id,
            "workspace_id": membership.workspace_id,
            "workspace": membership.workspace.name,
            "role": membership.role,
            "joined_at": _when(membership.created_at),
        }
    ]


def groups(subject: Subject) -> list[dict[str, Any]]:
    rows = GroupMember.objects.filter(membership=subject.membership).select_related("group")
    return [
        {"id": row.group.id, "name": row.group.name, "source": row.group.source}
        for row in rows.order_by("group__name")
    ]


def space_grants(subject: Subject) -> list[dict[str, Any]]:
    rows = SpaceGrant.objects.filter(membership=subject.membership).select_related("space")
    return [
        {"space_id": row.space_id, "space": row.space.name, "access": row.access}
        for row in rows.order_by("space__name")
    ]


def invitations(subject: Subject) -> list[dict[str, Any]]:
    rows = Invitation.objects.filter(
        workspace_id=subject.workspace_id, email__iexact=subject.email
    ).order_by("created_at")
    return [
        {
            "id": row.id,
            "email": row.email,
            "role": row.role,
            "created_at": _when(row.created_at),
            "accepted_at": _when(row.accepted_at),
            "revoked_at": _when(row.revoked_at),
        }
        for row in rows
    ]


def conversations(subject: Subject) -> list[dict[str, Any]]:
    rows = (
        Conversation.objects.filter(workspace_id=subject.workspace_id, owner=subject.membership)
        .prefetch_related("messages__citations", "messages__agent")
        .order_by("created_at", "id")
    )
    return [
        {
            "id": conversation.id,
            "title": conversation.title,
            "created_at": _when(conversation.created_at),
            "messages": [
                {
                    "id": message.id,
                    "role": message.role,
                    "agent": message.agent.handle if message.agent else None,
                    "content": message.content,
                    "status": message.status,
                    "created_at": _when(message.created_at),
                    "citations": [
                        {
                            "number": citation.number,
                            "title": citation.title,
                            "url": citation.url,
                            "passage": citation.passage,
                        }
                        for citation in sorted(message.citations.all(), key=lambda c: c.number)
                    ],
                }
                for message in sorted(conversation.messages.all(), key=lambda m: m.id)
            ],
        }
        for conversation in rows
    ]


def feedback(subject: Subject) -> list[dict[str, Any]]:
    rows = Feedback.objects.filter(
        workspace_id=subject.workspace_id, membership=subject.membership
    ).select_related("message")
    return [
        {
            "message_id": row.message_id,
            "conversation_id": row.message.conversation_id,
            "rating": row.rating,
            "comment": row.comment,
            "created_at": _when(row.created_at),
        }
        for row in rows.order_by("created_at", "id")
    ]


def uploaded_documents(subject: Subject) -> QuerySet[Document]:
    return Document.objects.filter(
        workspace_id=subject.workspace_id, uploaded_by=subject.membership
    ).select_related("data_source")


def upload_file_parts(document: Document) -> Iterator[bytes] | None:
    """The uploaded bytes while the upload is still stored (until it is parsed), else None."""
    upload = document.uploads.order_by("-id").first()
    if upload is None:
        return None
    parts = StoredUploadPart.objects.filter(upload=upload).order_by("position")
    return (bytes(data) for data in parts.values_list("data", flat=True).iterator(chunk_size=1))


def api_tokens(subject: Subject) -> list[dict[str, Any]]:
    # Metadata only: never the hash (the secret itself is never stored).
    rows = ApiToken.objects.filter(membership=subject.membership).order_by("created_at")
    return [
        {
            "id": row.id,
            "name": row.name,
            "prefix": row.prefix,
            "created_at": _when(row.created_at),
            "last_used_at": _when(row.last_used_at),
            "revoked_at": _when(row.revoked_at),
        }
        for row in rows
    ]


def audit_events(subject: Subject) -> list[dict[str, Any]]:
    rows = events_about_person(
        workspace_id=subject.workspace_id,
        user_id=subject.user.id,
        membership_ids=[subject.membership.id],
        email=subject.email,
    )
    return [
        {
            "id": row.id,
            "action": row.action,
            "actor_email": row.actor_email,
            "target_type": row.target_type,
            "target_id": row.target_id,
            "data": row.data,
            "created_at": _when(row.created_at),
        }
        for row in rows
    ]


def documents_naming(*, workspace_id: int, email: str) -> list[dict[str, Any]]:
    """Synced documents whose source names the person. Connectors carry no author field, so
    the name a source gives is its access list: documents shared with the person by address
    (for Drive, the owner is on that list). An erasure lists these for the admin to exclude
    at the source: a platform copy deleted here would come back with the next sync."""
    rows = (
        Document.objects.filter(workspace_id=workspace_id, access_emails__contains=[email])
        .exclude(data_source__kind="folder")
        .select_related("data_source")
        .order_by("data_source_id", "id")
    )
    return [
        {
            "id": row.id,
            "data_source_id": row.data_source_id,
            "data_source": row.data_source.name,
            "kind": row.data_source.kind,
            "external_id": row.external_id,
            "title": row.title,
            "url": row.url,
        }
        for row in rows
    ]
