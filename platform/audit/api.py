from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from pydantic import field_validator

from api.auth import request_actor
from audit.models import AuditEvent
from audit.selectors import list_audit_events
from workspaces.access import access_role
from workspaces.models import Role

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    action: str
    actor_email: str
    target_type: str
    target_id: str
    data: dict[str, Any]
    created_at: datetime


class AuditFilters(Schema):
    action: str | None = None
    actor_email: str | None = None
    target_type: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    @field_validator("since", "until")
    @classmethod
    def in_utc(cls, value: datetime | None) -> datetime | None:
        """The same instant in UTC: Postgres refuses offsets past +-15:59 that ISO 8601 allows."""
        if value is None or value.tzinfo is None:
            return value
        try:
            return value.astimezone(UTC)
        except OverflowError as error:
            raise ValueError("the date is out of range") from error


@router.get("/workspaces/{workspace_id}/audit-events", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def audit_events(
    request: HttpRequest, workspace_id: int, filters: Query[AuditFilters]
) -> QuerySet[AuditEvent]:
    """The workspace's audit log, newest first. Admins only."""
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    return list_audit_events(workspace_id=actor.workspace_id, **filters.dict())
