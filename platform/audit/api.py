from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

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


@router.get("/workspaces/{workspace_id}/audit-events", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def audit_events(
    request: HttpRequest, workspace_id: int, filters: Query[AuditFilters]
) -> QuerySet[AuditEvent]:
    """The workspace's audit log, newest first. Admins only."""
    actor = access_role(request_actor(request, workspace_id), Role.ADMIN)
    return list_audit_events(workspace_id=actor.workspace_id, **filters.dict())
