"""The one way to write an audit event: `audit_change`, inside the change's transaction."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime
from typing import Any, NamedTuple

from django.db import models, transaction

from accounts.models import User
from audit.models import AuditEvent
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
