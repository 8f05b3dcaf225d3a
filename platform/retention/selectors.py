"""Reads for retention: a workspace's policy (unsaved defaults when none was set) and holds."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from retention.models import LegalHold, RetentionPolicy


def policy_for(*, workspace_id: int) -> RetentionPolicy:
    """The stored policy, or an unsaved one that keeps everything forever."""
    return RetentionPolicy.objects.filter(workspace_id=workspace_id).first() or RetentionPolicy(
        workspace_id=workspace_id
    )


def list_legal_holds(*, workspace_id: int) -> QuerySet[LegalHold]:
    """Active holds first, then released ones, newest first."""
    return (
        LegalHold.objects.filter(workspace_id=workspace_id)
        .select_related("membership__user", "created_by__user", "released_by__user")
        .order_by("-released_at", "-created_at", "-id")
    )


@dataclass(frozen=True)
class ActiveHolds:
    workspace: bool
    membership_ids: frozenset[int]
    user_ids: frozenset[int]


def active_holds(*, workspace_id: int) -> ActiveHolds:
    holds = list(
        LegalHold.objects.filter(workspace_id=workspace_id, released_at__isnull=True).values_list(
            "membership_id", "membership__user_id"
        )
    )
    return ActiveHolds(
        workspace=any(membership_id is None for membership_id, _ in holds),
        membership_ids=frozenset(m for m, _ in holds if m is not None),
        user_ids=frozenset(u for _, u in holds if u is not None),
    )
