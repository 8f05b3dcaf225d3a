"""Writes for retention: the policy, legal holds, and enforcement (what the beat task runs).

Enforcement deletes through each owning app's purge verb (one write path per verb), in
batches of `batch_size` rows, each batch its own short transaction so a big backlog never
holds long locks; it loops until nothing older is left or the time budget is spent (the next
run goes on). It is idempotent: a second run on the same clock finds nothing to delete and
records nothing. One audit event per workspace per run carries the counts, only when
something was deleted.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from agents.services.conversations import purge_conversations
from audit.services import AuditTarget, audit_change, purge_audit_events
from common.errors import Conflict, InvalidInput, NotFound
from connections.services import purge_sync_runs
from knowledge.services import purge_uploaded_documents
from retention.models import LegalHold, RetentionPolicy
from retention.selectors import active_holds, policy_for
from workspaces.access import access_member, access_role
from workspaces.models import Membership, Role, Workspace

# The kinds of data a policy covers, in the order enforcement deletes them.
KINDS = ("conversations", "uploads", "audit_events", "sync_logs")
MAX_DAYS = 36_500  # a hundred years: longer is "forever", which is None


def _check_days(kind: str, days: int | None) -> int | None:
    if days is None:
        return None
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(
            f"Keep {kind.replace('_', ' ')} between 1 and {MAX_DAYS} days, or leave it empty "
            "to keep them forever."
        )
    return days


@transaction.atomic
def update_retention_policy(
    *,
    actor: Membership,
    conversations_days: int | None,
    uploads_days: int | None,
    audit_events_days: int | None,
    sync_logs_days: int | None,
) -> RetentionPolicy:
    """Set how many days each kind of data is kept (None: forever). Admins only; audited
    with the periods before and after, since a shorter period deletes data at the next run."""
    access_role(actor, Role.ADMIN)
    wanted = {
        "conversations": _check_days("conversations", conversations_days),
        "uploads": _check_days("uploads", uploads_days),
        "audit_events": _check_days("audit_events", audit_events_days),
        "sync_logs": _check_days("sync_logs", sync_logs_days),
    }
    policy, _ = RetentionPolicy.objects.select_for_update().get_or_create(
        workspace_id=actor.workspace_id
    )
    before = {kind: getattr(policy, f"{kind}_days") for kind in KINDS}
    for kind, days in wanted.items():
        setattr(policy, f"{kind}_days", days)
    policy.updated_by = actor
    policy.save()
    audit_change(
        actor=actor,
        action="retention_policy.updated",
        target=AuditTarget("retention_policy", policy.id),
        data={"before": before, "after": wanted},
    )
    return policy


@transaction.atomic
def place_legal_hold(
    *, actor: Membership, reason: str, membership_id: int | None = None
) -> LegalHold:
    """Hold the whole workspace (no membership) or one person: while it is active nothing
    it covers is deleted by retention. Admins only; audited."""
    access_role(actor, Role.ADMIN)
    reason = reason.strip()
    if not reason:
        raise InvalidInput("Say why the hold is placed (a matter or case reference).")
    held = access_member(actor=actor, membership_id=membership_id) if membership_id else None
    active = LegalHold.objects.filter(
        workspace_id=actor.workspace_id, membership=held, released_at__isnull=True
    )
    if active.exists():
        who = held.user.email if held else "the workspace"
        raise Conflict(f"An active legal hold already covers {who}; release it first.")
    hold = LegalHold.objects.create(
        workspace_id=actor.workspace_id, membership=held, reason=reason[:2000], created_by=actor
    )
    audit_change(
        actor=actor,
        action="legal_hold.placed",
        target=hold,
        data={
            "membership_id": held.id if held else None,
            "email": held.user.email if held else None,
            "reason": hold.reason,
        },
    )
    return hold


@transaction.atomic
def release_legal_hold(*, actor: Membership, hold_id: int) -> LegalHold:
    """End a hold; what it kept becomes subject to the policy again at the next run."""
    access_role(actor, Role.ADMIN)
    hold = (
        LegalHold.objects.select_for_update()
        .filter(id=hold_id, workspace_id=actor.workspace_id)
        .first()
    )
    if hold is None:
        raise NotFound(f"Legal hold {hold_id} does not exist in this workspace.")
    if hold.released_at is not None:
        raise Conflict(f"Legal hold {hold_id} was already released.")
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    audit_change(
        actor=actor,
        action="legal_hold.released",
        target=hold,
        data={"membership_id": hold.membership_id},
    )
    return hold


def _drain(purge: Callable[[int], int], *, batch_size: int, deadline: float) -> int:
    """Call `purge(limit)` until a batch comes back short or, after a batch, the time budget
    is spent."""
    total = 0
    while True:
        deleted = purge(batch_size)
        total += deleted
        if deleted < batch_size or time.monotonic() >= deadline:
            return total


def enforce_retention(
    *,
    workspace_id: int,
    now: datetime | None = None,
    batch_size: int | None = None,
    deadline: float | None = None,
) -> dict[str, int]:
    """Delete what the workspace's policy no longer keeps, as of `now`, sparing what an
    active legal hold covers. Returns the counts per kind (all zero when held or nothing was
    due). `deadline` is a time.monotonic() value after which it stops between batches."""
    now = now or timezone.now()
    batch_size = batch_size or int(settings.RETENTION_BATCH_SIZE)
    if deadline is None:
        deadline = time.monotonic() + float(settings.RETENTION_RUN_SECONDS)
    policy = policy_for(workspace_id=workspace_id)
    holds = active_holds(workspace_id=workspace_id)
    counts = dict.fromkeys(KINDS, 0)
    if not holds.workspace:

        def cutoff(days: int) -> datetime:
            return now - timedelta(days=days)

        purges: dict[str, tuple[int | None, Callable[[datetime, int], int]]] = {
            "conversations": (
                policy.conversations_days,
                lambda before, limit: purge_conversations(
                    workspace_id=workspace_id,
                    inactive_since=before,
                    keep_owner_ids=holds.membership_ids,
                    limit=limit,
                ),
            ),
            "uploads": (
                policy.uploads_days,
                lambda before, limit: purge_uploaded_documents(
                    workspace_id=workspace_id,
                    updated_before=before,
                    keep_uploaded_by_ids=holds.membership_ids,
                    limit=limit,
                ),
            ),
            "audit_events": (
                policy.audit_events_days,
                lambda before, limit: purge_audit_events(
                    workspace_id=workspace_id,
                    created_before=before,
                    keep_actor_ids=holds.user_ids,
                    limit=limit,
                ),
            ),
            "sync_logs": (
                policy.sync_logs_days,
                lambda before, limit: purge_sync_runs(
                    workspace_id=workspace_id, finished_before=before, limit=limit
                ),
            ),
        }
        for kind, (days, purge) in purges.items():
            # Past the deadline each kind still gets one batch: every run makes progress.
            if days is None:
                continue
            counts[kind] = _drain(
                partial(purge, cutoff(days)), batch_size=batch_size, deadline=deadline
            )
    _record_run(workspace_id=workspace_id, now=now, counts=counts, held=holds.workspace)
    return counts


@transaction.atomic
def _record_run(*, workspace_id: int, now: datetime, counts: dict[str, int], held: bool) -> None:
    """Note the run on the policy (for the console) and, when anything was deleted, audit the
    counts. Deletion and this event cannot share one transaction (the batches are short
    transactions on purpose), so a run killed between them leaves the deleted rows without
    an event; the next run's counts cover only what it deletes itself."""
    policy = RetentionPolicy.objects.filter(workspace_id=workspace_id).first()
    if policy is not None:
        policy.last_enforced_at = now
        policy.last_enforcement_counts = {**counts, "workspace_held": held}
        policy.save(update_fields=["last_enforced_at", "last_enforcement_counts"])
    if any(counts.values()):
        audit_change(
            actor=None,
            workspace=Workspace.objects.get(id=workspace_id),
            action="retention.enforced",
            target=AuditTarget("retention_policy", policy.id if policy else ""),
            data={"deleted": counts, "as_of": now.isoformat()},
        )


def enforce_all_retention(*, now: datetime | None = None) -> dict[int, dict[str, int]]:
    """Beat's job: enforce every workspace that set a period, within one time budget."""
    now = now or timezone.now()
    deadline = time.monotonic() + float(settings.RETENTION_RUN_SECONDS)
    results: dict[int, dict[str, int]] = {}
    # The least recently enforced first, so a budget spent early never starves the same ones.
    workspace_ids = RetentionPolicy.objects.order_by(
        F("last_enforced_at").asc(nulls_first=True), "workspace_id"
    ).values_list("workspace_id", flat=True)
    for workspace_id in workspace_ids:
        if time.monotonic() >= deadline:
            break
        results[workspace_id] = enforce_retention(
            workspace_id=workspace_id, now=now, deadline=deadline
        )
    return results
