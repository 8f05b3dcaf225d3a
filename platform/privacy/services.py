"""Writes for data-subject requests: asking for one, and running it (the worker's part).

An export writes a zip under PRIVACY_ARCHIVE_DIR: one JSON file per area plus the person's
uploaded files. An erasure deletes the person's rows in this workspace through each owning
app's verbs, in one transaction, and keeps the audit trail with the person pseudonymised.
Running is idempotent: a request already done is left alone, and a failed attempt's
partial archive is replaced by the next attempt's.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.services import delete_account_if_unused
from agents.services.conversations import delete_conversations_of
from agents.slack.users import forget_slack_people
from audit.services import audit_change, pseudonymise_person
from common.errors import Conflict, DomainError, InvalidInput, NotFound
from knowledge.services import delete_uploads_of
from privacy import selectors
from privacy.models import ACTIVE_STATES, DataSubjectRequest, RequestKind, RequestState
from retention.selectors import active_holds
from workspaces.access import access_role
from workspaces.models import Membership, Role
from workspaces.services import delete_invitations_for, remove_member

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


class ArchiveTooLarge(DomainError):
    status = 422
    code = "archive_too_large"


def pseudonym_for(*, user_id: int) -> str:
    """The name an erased person keeps in the audit log: stable for one account (the same
    person erased from two workspaces is one pseudonym), not reversible without SECRET_KEY."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"erased-user:{user_id}".encode(), hashlib.sha256
    ).hexdigest()
    return f"erased-user-{digest[:12]}"


def _subject_membership(
    *, actor: Membership, member_id: int | None, email: str | None
) -> Membership:
    members = Membership.objects.select_related("user", "workspace").filter(
        workspace_id=actor.workspace_id
    )
    if member_id is not None:
        membership = members.filter(id=member_id).first()
    elif email:
        membership = members.filter(user__email__iexact=email.strip()).first()
    else:
        raise InvalidInput("Name the person: member_id or email.")
    if membership is None:
        raise NotFound("No member of this workspace matches.")
    return membership


@transaction.atomic
def _refuse_erasure_under_hold(membership: Membership) -> None:
    """A legal hold stops every deletion it covers (retention), an erasure included: the
    admin releases the hold first, in Admin → Retention, with a reason on record."""
    holds = active_holds(workspace_id=membership.workspace_id)
    if holds.workspace or membership.id in holds.membership_ids:
        raise Conflict(
            "A legal hold covers this person's data, so it cannot be erased. Release the hold "
            "in Admin → Retention first, or export the data instead."
        )


@transaction.atomic
def request_data_subject_action(
    *, actor: Membership, kind: RequestKind, member_id: int | None = None, email: str | None = None
) -> DataSubjectRequest:
    """Queue an export or an erasure of one member of the actor's workspace. Admins only.
    While one of the same kind for the same person is queued or running, that one is
    returned instead of a second."""
    access_role(actor, Role.ADMIN)
    membership = _subject_membership(actor=actor, member_id=member_id, email=email)
    if kind == RequestKind.ERASE and membership.id == actor.id:
        raise Conflict("You cannot erase yourself; ask another admin.")
    if kind == RequestKind.ERASE:
        _refuse_erasure_under_hold(membership)
    running = DataSubjectRequest.objects.filter(
        workspace_id=actor.workspace_id,
        subject_membership=membership,
        kind=kind,
        state__in=ACTIVE_STATES,
    ).first()
    if running is not None:
        return running
    request = DataSubjectRequest.objects.create(
        workspace_id=actor.workspace_id,
        subject_user=membership.user,
        subject_membership=membership,
        kind=kind,
        requested_by=actor,
    )
    # Neither address nor member id: the request row names the person while they exist,
    # and an erased person must be named nowhere but in pseudonymised rows.
    audit_change(actor=actor, action=f"privacy.{kind}_requested", target=request, data={})
    request_id = request.id
    transaction.on_commit(lambda: _enqueue(request_id))
    return request


def _enqueue(request_id: int) -> None:
    from kombu.exceptions import OperationalError

    from privacy.tasks import run_data_subject_request_task

    try:
        run_data_subject_request_task.delay(request_id)
    except OperationalError:
        logger.warning("broker unreachable; privacy request %d stays queued", request_id)


# A queued request older than this lost its task (the broker was down when it was asked,
# or the task gave up retrying while the request still waited): the sweep queues it again.
STALE_QUEUED_AFTER = timedelta(minutes=10)


def stale_request_ids(*, older_than: timedelta = STALE_QUEUED_AFTER) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        DataSubjectRequest.objects.filter(state=RequestState.QUEUED, created_at__lt=cutoff)
        .order_by("id")
        .values_list("id", flat=True)[:100]
    )


def requeue_stale_requests() -> int:
    ids = stale_request_ids()
    for request_id in ids:
        _enqueue(request_id)
    return len(ids)


def _set_progress(request: DataSubjectRequest, progress: int) -> None:
    request.progress = progress
    DataSubjectRequest.objects.filter(id=request.id).update(progress=progress)


def run_data_subject_request(*, request_id: int) -> None:
    """The worker's part: run a queued (or interrupted) request to done or failed.

    A redelivered task finds its request done or failed and does nothing. An unexpected
    error is recorded and raised, so the task retries with backoff; after MAX_ATTEMPTS, or
    on an error that another attempt cannot fix (a DomainError), the request fails."""
    with transaction.atomic():
        request = (
            DataSubjectRequest.objects.select_for_update(skip_locked=True)
            .filter(id=request_id, state__in=ACTIVE_STATES)
            .first()
        )
        if request is None:
            return
        request.state = RequestState.RUNNING
        request.attempts += 1
        request.started_at = request.started_at or timezone.now()
        request.progress = 0
        request.error = ""
        request.save(update_fields=["state", "attempts", "started_at", "progress", "error"])
    try:
        if request.kind == RequestKind.EXPORT:
            _run_export(request)
        else:
            _run_erase(request)
    except DomainError as error:
        _finish(request, state=RequestState.FAILED, error=error.args[0] if error.args else "")
        return
    except Exception as error:
        final = request.attempts >= MAX_ATTEMPTS
        _finish(
            request,
            state=RequestState.FAILED if final else RequestState.QUEUED,
            error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise


@transaction.atomic
def _finish(request: DataSubjectRequest, *, state: RequestState, error: str = "") -> None:
    request.state = state
    request.error = error
    if state in (RequestState.DONE, RequestState.FAILED):
        request.finished_at = timezone.now()
    request.save(update_fields=["state", "error", "finished_at"])
    if state == RequestState.FAILED:
        audit_change(
            actor=None,
            workspace=request.workspace,
            action=f"privacy.{request.kind}_failed",
            target=request,
            data={"error": error[:500]},
        )


def _actor(request: DataSubjectRequest) -> Membership:
    """The admin who asked: the run acts as them, so their role is checked again now."""
    if request.requested_by_id is None:
        raise NotFound("The admin who asked for this request is no longer a member.")
    actor = (
        Membership.objects.select_related("workspace", "user")
        .filter(id=request.requested_by_id, workspace_id=request.workspace_id)
        .first()
    )
    if actor is None:
        raise NotFound("The admin who asked for this request is no longer a member.")
    return access_role(actor, Role.ADMIN)


def _subject(request: DataSubjectRequest) -> selectors.Subject:
    if request.subject_membership_id is None:
        raise NotFound("The person is no longer a member of this workspace.")
    membership = (
        Membership.objects.select_related("user", "workspace")
        .filter(id=request.subject_membership_id, workspace_id=request.workspace_id)
        .first()
    )
    if membership is None:
        raise NotFound("The person is no longer a member of this workspace.")
    return selectors.Subject(
        workspace_id=request.workspace_id, user=membership.user, membership=membership
    )


# ---- export ----------------------------------------------------------------------------


def archive_path(request: DataSubjectRequest) -> Path:
    return Path(settings.PRIVACY_ARCHIVE_DIR) / request.archive_name


class _BoundedZip:
    """A zip that refuses to grow past the configured size (counted as written)."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.limit = limit
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)

    def _check(self) -> None:
        if self.path.stat().st_size > self.limit:
            raise ArchiveTooLarge(
                f"The archive would exceed PRIVACY_EXPORT_MAX_BYTES ({self.limit} bytes)."
            )

    def write_json(self, name: str, value: Any) -> None:
        self.zip.writestr(name, json.dumps(value, indent=2, ensure_ascii=False, default=str))
        self._check()

    def write_parts(self, name: str, parts: Any) -> None:
        with self.zip.open(name, "w", force_zip64=True) as handle:
            for part in parts:
                handle.write(part)
                self._check()

    def close(self) -> None:
        self.zip.close()
        self._check()


def _safe_name(text: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "-_." else "_" for c in text).strip("._")
    return cleaned[:100] or "file"


def _run_export(request: DataSubjectRequest) -> None:
    subject = _subject(request)
    directory = Path(settings.PRIVACY_ARCHIVE_DIR) / str(request.workspace_id)
    directory.mkdir(parents=True, exist_ok=True)
    # An unguessable name: the archive is served only through the API, never by path.
    name = f"{request.workspace_id}/{request.id}-{secrets.token_hex(8)}.zip"
    path = Path(settings.PRIVACY_ARCHIVE_DIR) / name
    areas: list[tuple[str, Callable[[selectors.Subject], Any]]] = [
        ("account", selectors.account),
        ("memberships", selectors.memberships),
        ("groups", selectors.groups),
        ("space_grants", selectors.space_grants),
        ("invitations", selectors.invitations),
        ("conversations", selectors.conversations),
        ("feedback", selectors.feedback),
        ("api_tokens", selectors.api_tokens),
        ("audit_events", selectors.audit_events),
    ]
    steps = len(areas) + 2
    counts: dict[str, int] = {}
    archive = _BoundedZip(path, int(settings.PRIVACY_EXPORT_MAX_BYTES))
    try:
        for step, (area, read) in enumerate(areas):
            value = read(subject)
            counts[area] = len(value) if isinstance(value, list) else 1
            archive.write_json(f"{area}.json", value)
            _set_progress(request, int(100 * (step + 1) / steps) - 1)
        uploads = []
        for document in selectors.uploaded_documents(subject):
            parts = selectors.upload_file_parts(document)
            base = f"files/{document.id}-{_safe_name(document.external_id.removeprefix('file:'))}"
            if parts is not None:
                file_name = base
                archive.write_parts(file_name, parts)
            else:
                # Parsed uploads keep their text, not their bytes (knowledge.uploads).
                file_name = f"{base}.txt"
                archive.write_parts(file_name, [document.text.encode()])
            uploads.append(
                {
                    "document_id": document.id,
                    "folder": document.data_source.name,
                    "title": document.title,
                    "mime_type": document.mime_type,
                    "size_bytes": document.size_bytes,
                    "status": document.status,
                    "uploaded_at": document.created_at.isoformat(),
                    "file": file_name,
                    "file_is_extracted_text": parts is None,
                }
            )
        counts["uploads"] = len(uploads)
        archive.write_json("uploads.json", uploads)
        _set_progress(request, int(100 * (steps - 1) / steps))
        documents = selectors.documents_naming(
            workspace_id=request.workspace_id, email=subject.email
        )
        counts["documents_naming_them"] = len(documents)
        archive.write_json("documents_naming_them.json", documents)
        archive.write_json(
            "manifest.json",
            {
                "workspace_id": request.workspace_id,
                "request_id": request.id,
                "generated_at": timezone.now().isoformat(),
                "areas": counts,
            },
        )
        archive.close()
    except BaseException:
        archive.zip.close()
        path.unlink(missing_ok=True)
        raise
    with transaction.atomic():
        previous = request.archive_name
        request.archive_name = name
        request.archive_size_bytes = path.stat().st_size
        request.result = {"areas": counts}
        request.progress = 100
        request.state = RequestState.DONE
        request.finished_at = timezone.now()
        request.save(
            update_fields=[
                "archive_name",
                "archive_size_bytes",
                "result",
                "progress",
                "state",
                "finished_at",
            ]
        )
        audit_change(
            actor=None,
            workspace=request.workspace,
            action="privacy.export_completed",
            target=request,
            data={"areas": counts},
        )
    if previous and previous != name:
        (Path(settings.PRIVACY_ARCHIVE_DIR) / previous).unlink(missing_ok=True)


def record_archive_download(*, actor: Membership, request: DataSubjectRequest) -> Path:
    """The archive's path for the admin downloading it; the download is audited (it hands
    a person's data out of the platform)."""
    if request.kind != RequestKind.EXPORT or request.state != RequestState.DONE:
        raise Conflict("This request has no archive (yet).")
    path = archive_path(request)
    if not request.archive_name or not path.is_file():
        raise NotFound("The archive is gone (the person was erased since).")
    with transaction.atomic():
        audit_change(
            actor=actor,
            action="privacy.archive_downloaded",
            target=request,
            data={},
        )
    return path


# ---- erase -----------------------------------------------------------------------------


def _run_erase(request: DataSubjectRequest) -> None:
    actor = _actor(request)
    subject = _subject(request)
    user, membership = subject.user, subject.membership
    email, name, user_id = user.email, user.full_name, user.id
    pseudonym = pseudonym_for(user_id=user_id)
    # Again at run time: a hold placed while the request waited wins.
    _refuse_erasure_under_hold(membership)
    _set_progress(request, 10)
    with transaction.atomic():
        documents = selectors.documents_naming(workspace_id=request.workspace_id, email=email)
        uploads = delete_uploads_of(actor=actor, membership_id=membership.id)
        conversations = delete_conversations_of(actor=actor, membership_id=membership.id)
        invitations = delete_invitations_for(actor=actor, email=email)
        slack_people = forget_slack_people(workspace_id=request.workspace_id, email=email)
        archives = _forget_subject_requests(request=request, pseudonym=pseudonym)
        remove_member(actor=actor, membership_id=membership.id)
        account_deleted = delete_account_if_unused(user_id=user_id)
        events = pseudonymise_person(
            workspace=request.workspace,
            user_id=user_id,
            membership_ids=[membership.id],
            email=email,
            name=name,
            pseudonym=pseudonym,
        )
        result = {
            "pseudonym": pseudonym,
            "account_deleted": account_deleted,
            "deleted": {
                "uploads": uploads,
                **conversations,
                "invitations": invitations,
                "slack_people": slack_people,
                "export_archives": len(archives),
            },
            "audit_events_pseudonymised": events,
            # Synced copies come back with the next sync: exclude them at the source.
            "documents_to_exclude_at_source": documents,
        }
        request.result = result
        request.progress = 100
        request.state = RequestState.DONE
        request.finished_at = timezone.now()
        request.subject_pseudonym = pseudonym
        request.save(
            update_fields=["result", "progress", "state", "finished_at", "subject_pseudonym"]
        )
        audit_change(
            actor=actor,
            action="privacy.erase_completed",
            target=request,
            data={
                "subject": pseudonym,
                "account_deleted": account_deleted,
                "documents_to_exclude_at_source": len(documents),
            },
        )
        transaction.on_commit(lambda: _delete_archives(archives))


def _forget_subject_requests(*, request: DataSubjectRequest, pseudonym: str) -> list[str]:
    """The person's earlier requests in this workspace keep their history under the
    pseudonym; their export archives are deleted (after commit). Returns those archives."""
    others = DataSubjectRequest.objects.select_for_update().filter(
        workspace_id=request.workspace_id, subject_membership_id=request.subject_membership_id
    )
    archives = [name for name in others.values_list("archive_name", flat=True) if name]
    others.update(subject_pseudonym=pseudonym, archive_name="", archive_size_bytes=0)
    return archives


def _delete_archives(names: list[str]) -> None:
    for name in names:
        (Path(settings.PRIVACY_ARCHIVE_DIR) / name).unlink(missing_ok=True)
