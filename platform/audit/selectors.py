from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from audit.models import AuditEvent


def list_audit_events(
    *,
    workspace_id: int,
    action: str | None = None,
    actor_email: str | None = None,
    target_type: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(workspace_id=workspace_id)
    if action:
        # "space." matches every space action; "space.created" matches only that one.
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action=action)
        )
    if actor_email:
        events = events.filter(actor_email__iexact=actor_email)
    if target_type:
        events = events.filter(target_type=target_type)
    if since:
        events = events.filter(created_at__gte=since)
    if until:
        events = events.filter(created_at__lt=until)
    return events.order_by("-created_at", "-id")
