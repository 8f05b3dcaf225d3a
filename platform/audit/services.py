from __future__ import annotations

import re
from typing import Any

from django.db import models, transaction

from accounts.models import User
from audit.models import AuditEvent
from workspaces.models import Membership, Workspace


def record_audit_event(
    *,
    workspace: Workspace,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: object,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a change of access or configuration. Must run inside the change's transaction."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("record_audit_event must be called inside the change's transaction")
    return AuditEvent.objects.create(
        workspace=workspace,
        actor=actor,
        actor_email=actor.email if actor else "",
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        data=data or {},
    )


def _snake_case(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def audit_change(
    *,
    actor: Membership,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """record_audit_event for a member's change to one object (target type from its class)."""
    return record_audit_event(
        workspace=actor.workspace,
        actor=actor.user,
        action=action,
        target_type=_snake_case(type(target).__name__),
        target_id=target.pk,
        data=data,
    )
