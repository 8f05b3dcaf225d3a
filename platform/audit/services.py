"""The one way to write an audit event: `audit_change`, inside the change's transaction."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from django.db import models, transaction

from accounts.models import User
from audit.models import AuditEvent
from audit.selectors import events_about_person
from workspaces.models import Membership, Workspace


class AuditTarget(NamedTuple):
    """A target named by hand: for a row already gone (deleted by a filter) or one whose
    audit name differs from its model's, so the stored rows keep the names they always had."""

    type: str
    id: object


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def audit_change(
    *,
    actor: Membership | User | None,
    action: str,
    target: models.Model | AuditTarget,
    data: dict[str, Any] | None = None,
    workspace: Workspace | None = None,
) -> AuditEvent:
    """Record who did what to which object. Must run inside the change's transaction, so the
    event exists exactly when the change does.

    `actor` is normally the acting member, whose workspace the event belongs to. A person
    acting outside a membership (creating a workspace, answering an invitation) is given as a
    User, and the system (a command, a sync) as None; both then name the `workspace`.
    The target's type is its model's name in snake case unless an AuditTarget names it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_change must be called inside the change's transaction")
    if isinstance(actor, Membership):
        if workspace is not None and workspace.pk != actor.workspace_id:
            raise ValueError("a member's change is audited in the member's own workspace")
        workspace = actor.workspace
        user: User | None = actor.user
    else:
        user = actor
    if workspace is None:
        raise ValueError("audit_change needs the workspace when the actor is not a member")
    if isinstance(target, AuditTarget):
        target_type, target_id = target.type, target.id
    else:
        target_type, target_id = _snake_case(type(target).__name__), target.pk
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=user,
        actor_email=user.email if user else "",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        data=data or {},
    )


@transaction.atomic
def purge_audit_events(
    *,
    workspace_id: int,
    created_before: datetime,
    keep_actor_ids: Collection[int] = (),
    limit: int,
) -> int:
    """Delete up to `limit` of the workspace's audit events recorded before `created_before`,
    except those whose actor is in `keep_actor_ids` (user ids under a legal hold). For
    retention only, which records the counts in a new event of its own; returns how many
    events were deleted."""
    events = AuditEvent.objects.filter(workspace_id=workspace_id, created_at__lt=created_before)
    if keep_actor_ids:
        events = events.exclude(actor_id__in=list(keep_actor_ids))
    ids = list(events.order_by("id").values_list("id", flat=True)[:limit])
    if not ids:
        return 0
    deleted, _ = AuditEvent.objects.filter(id__in=ids).delete()
    return deleted


def _scrub(value: Any, *, secrets: Sequence[str], pseudonym: str) -> Any:
    if isinstance(value, str):
        for secret in secrets:
            value = re.sub(re.escape(secret), pseudonym, value, flags=re.IGNORECASE)
        return value
    if isinstance(value, list):
        return [_scrub(item, secrets=secrets, pseudonym=pseudonym) for item in value]
    if isinstance(value, dict):
        return {
            _scrub(key, secrets=secrets, pseudonym=pseudonym): _scrub(
                item, secrets=secrets, pseudonym=pseudonym
            )
            for key, item in value.items()
        }
    return value


@transaction.atomic
def pseudonymise_person(
    *,
    workspace: Workspace,
    user_id: int | None,
    membership_ids: Sequence[int],
    email: str,
    name: str,
    pseudonym: str,
) -> int:
    """Keep a workspace's audit trail of an erased person, without the person: events they
    made lose their actor (their email becomes `pseudonym`), and their email and name are
    replaced by it wherever they appear in those events' data (the name alone finds no
    events: a first name is too common to be theirs). Events about their membership or
    account keep their target id (a number that names nobody once the rows are gone).
    The one write to audit rows besides audit_change. Returns how many events changed."""
    secrets = [text for text in (email, name) if len(text) >= 3]
    events = events_about_person(
        workspace_id=workspace.pk, user_id=user_id, membership_ids=membership_ids, email=email
    )
    changed = 0
    for event in events.select_for_update(of=("self",)):
        if event.actor_email.lower() == email.lower() or (
            user_id is not None and event.actor_id == user_id
        ):
            event.actor = None
            event.actor_email = pseudonym
        event.data = _scrub(event.data, secrets=secrets, pseudonym=pseudonym)
        event.save(update_fields=["actor", "actor_email", "data"])
        changed += 1
    return changed
