"""Retention policy and legal holds, admins only. Thin: parse, call a service, shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from api.auth import request_actor
from retention import services
from retention.models import LegalHold, RetentionPolicy
from retention.selectors import list_legal_holds, policy_for
from workspaces.access import access_role
from workspaces.models import Membership, Role

router = Router(tags=["retention"])


class RetentionPolicyIn(Schema):
    """Days to keep each kind of data; null keeps it forever."""

    conversations_days: int | None = None
    uploads_days: int | None = None
    audit_events_days: int | None = None
    sync_logs_days: int | None = None


class RetentionPolicyOut(RetentionPolicyIn):
    updated_at: datetime | None
    updated_by_email: str | None
    last_enforced_at: datetime | None
    last_enforcement_counts: dict[str, Any]

    @staticmethod
    def of(policy: RetentionPolicy) -> RetentionPolicyOut:
        return RetentionPolicyOut(
            conversations_days=policy.conversations_days,
            uploads_days=policy.uploads_days,
            audit_events_days=policy.audit_events_days,
            sync_logs_days=policy.sync_logs_days,
            updated_at=policy.updated_at if policy.pk else None,
            updated_by_email=policy.updated_by.user.email if policy.updated_by else None,
            last_enforced_at=policy.last_enforced_at,
            last_enforcement_counts=policy.last_enforcement_counts,
        )


class LegalHoldIn(Schema):
    reason: str
    # None holds the whole workspace.
    membership_id: int | None = None


class LegalHoldOut(Schema):
    id: int
    membership_id: int | None
    member_email: str | None
    reason: str
    active: bool
    created_at: datetime
    created_by_email: str | None
    released_at: datetime | None
    released_by_email: str | None

    @staticmethod
    def of(hold: LegalHold) -> LegalHoldOut:
        def email(membership: Membership | None) -> str | None:
            return membership.user.email if membership else None

        return LegalHoldOut(
            id=hold.id,
            membership_id=hold.membership_id,
            member_email=email(hold.membership),
            reason=hold.reason,
            active=hold.is_active,
            created_at=hold.created_at,
            created_by_email=email(hold.created_by),
            released_at=hold.released_at,
            released_by_email=email(hold.released_by),
        )


def _admin(request: HttpRequest, workspace_id: int) -> Membership:
    return access_role(request_actor(request, workspace_id), Role.ADMIN)


@router.get("/workspaces/{workspace_id}/retention", response=RetentionPolicyOut)
def get_retention_policy(request: HttpRequest, workspace_id: int) -> RetentionPolicyOut:
    actor = _admin(request, workspace_id)
    return RetentionPolicyOut.of(policy_for(workspace_id=actor.workspace_id))


@router.put("/workspaces/{workspace_id}/retention", response=RetentionPolicyOut)
def update_retention_policy(
    request: HttpRequest, workspace_id: int, payload: RetentionPolicyIn
) -> RetentionPolicyOut:
    policy = services.update_retention_policy(
        actor=request_actor(request, workspace_id), **payload.dict()
    )
    return RetentionPolicyOut.of(policy)


@router.get("/workspaces/{workspace_id}/legal-holds", response=list[LegalHoldOut])
def legal_holds(request: HttpRequest, workspace_id: int) -> list[LegalHoldOut]:
    actor = _admin(request, workspace_id)
    return [LegalHoldOut.of(hold) for hold in list_legal_holds(workspace_id=actor.workspace_id)]


@router.post("/workspaces/{workspace_id}/legal-holds", response={201: LegalHoldOut})
def place_legal_hold(request: HttpRequest, workspace_id: int, payload: LegalHoldIn) -> Status:
    hold = services.place_legal_hold(
        actor=request_actor(request, workspace_id),
        reason=payload.reason,
        membership_id=payload.membership_id,
    )
    return Status(201, LegalHoldOut.of(hold))


@router.post("/workspaces/{workspace_id}/legal-holds/{hold_id}/release", response=LegalHoldOut)
def release_legal_hold(request: HttpRequest, workspace_id: int, hold_id: int) -> LegalHoldOut:
    hold = services.release_legal_hold(actor=request_actor(request, workspace_id), hold_id=hold_id)
    return LegalHoldOut.of(hold)
