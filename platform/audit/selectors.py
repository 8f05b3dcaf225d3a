from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

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


def events_about_person(
    *, workspace_id: int, user_id: int | None, membership_ids: Sequence[int], email: str
) -> QuerySet[AuditEvent]:
    """A workspace's events made by a person or about them: theirs as actor, those whose
    target is their membership or account, and those whose data names their email (an
    invitation to them, a role change). What a data-subject export holds and an erasure
    pseudonymises. (Their privacy requests name them only through the request row.)"""
    about = Q(actor_email__iexact=email) | Q(
        target_type__in=["membership", "member"],
        target_id__in=[str(membership_id) for membership_id in membership_ids],
    )
    for membership_id in membership_ids:
        # A grant to them, a group they joined: events that name the member by id.
        about |= Q(data__membership_id=membership_id) | Q(data__admin_membership_id=membership_id)
    if user_id is not None:
        about |= Q(actor_id=user_id) | Q(target_type="user", target_id=str(user_id))
    if email:
        about |= Q(data_text__icontains=email)
    return (
        AuditEvent.objects.filter(workspace_id=workspace_id)
        .annotate(data_text=Cast("data", TextField()))
        .filter(about)
        .order_by("created_at", "id")
    )
