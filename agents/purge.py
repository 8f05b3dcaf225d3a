"""Deleted and tightened sources leave old answers (DESIGN.md, Agents: "deleting a source or
tightening its access takes its passages out of old answers").

- Deletion: `Citation.document`'s on_delete calls `on_documents_deleted`, so the copies are
  cleared in the very transaction that deletes the document, whoever deletes it (a sync, an
  upload folder, a whole connection), with no import of agents from below.
- Tightening (an access list, a view, a grant, a group): the lower layer queues the task
  `agents.purge_revoked_citations` by name on commit (common.tasks); it re-checks each stored
  citation against its readers' access now and purges the ones they lost. Until it has run,
  reads hide them anyway: every read re-checks (agents.selectors.check_answers).

Either way the answers are marked (`Message.sources_changed_at`) and the Slack posts among
them are re-rendered by `agents.refresh_slack_answers`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from agents.models import Citation, Message
from common.tasks import send_task_on_commit
from knowledge.access import reader_scope
from knowledge.models import Document
from knowledge.selectors import scope_filter
from workspaces.models import Membership

SLACK_REFRESH_TASK = "agents.refresh_slack_answers"
# What a purged citation keeps: its number, its answer, when it was purged. Nothing of the source.
PURGED_COPIES = {"title": "", "url": "", "passage": ""}


def on_documents_deleted(*, collector: Any, field: Any, citations: Any, using: str) -> None:
    """Schedule, on the deleting collector, the purge of these citations and the marking of
    their answers; the updates run in the deletion's transaction, before the rows go."""
    citation_ids = [citation.pk for citation in citations]
    now = timezone.now()
    for name, value in PURGED_COPIES.items():
        collector.add_field_update(Citation._meta.get_field(name), value, citations)
    collector.add_field_update(Citation._meta.get_field("purged_at"), now, citations)
    answers = Message.objects.using(using).filter(citations__id__in=citation_ids)
    collector.add_field_update(Message._meta.get_field("sources_changed_at"), now, answers)
    collector.add_field_update(field, None, citations)
    _refresh_slack_posts(answers)


def _refresh_slack_posts(answers: Any) -> None:
    posted = sorted(set(answers.exclude(slack_ts="").values_list("id", flat=True)))
    if posted:
        send_task_on_commit(SLACK_REFRESH_TASK, message_ids=posted)


def _openable(
    *, owner: Membership, audience: Sequence[Membership], document_ids: Iterable[int]
) -> set[int]:
    scope = reader_scope(membership=owner, audience=audience)
    return set(
        Document.objects.filter(scope_filter(scope), id__in=list(document_ids)).values_list(
            "id", flat=True
        )
    )


@transaction.atomic
def purge_revoked_citations(*, workspace_id: int, document_ids: Sequence[int] | None = None) -> int:
    """Clear the stored copies of every citation (of these documents, or of all) whose
    readers may no longer open its source: the conversation's owner, and for a Slack answer
    everyone in the channel it was posted to. Idempotent; returns how many were purged."""
    # An attachment's citations are not a source's: only its owner reads them, and they go
    # when it does (Citation.attachment's on_delete).
    citations = Citation.objects.filter(
        workspace_id=workspace_id, purged_at__isnull=True, attachment__isnull=True
    )
    if document_ids is not None:
        citations = citations.filter(document_id__in=list(document_ids))
    rows = list(
        citations.values_list("id", "message_id", "document_id", "message__conversation__owner")
    )
    if not rows:
        return 0
    message_ids = {message_id for _, message_id, _, _ in rows}
    audience_of: dict[int, set[int]] = defaultdict(set)
    for message_id, member_id in Message.audience.through.objects.filter(
        message_id__in=message_ids
    ).values_list("message_id", "membership_id"):
        audience_of[message_id].add(member_id)
    people = {
        member.id: member
        for member in Membership.objects.filter(
            workspace_id=workspace_id,
            id__in={owner for *_, owner in rows} | set().union(*audience_of.values()),
        ).select_related("user")
    }
    # One access check per distinct set of readers, over all the documents they cite.
    readers: dict[tuple[int, tuple[int, ...]], list[tuple[int, int, int | None]]] = defaultdict(
        list
    )
    for citation_id, message_id, document_id, owner_id in rows:
        key = (owner_id, tuple(sorted(audience_of[message_id])))
        readers[key].append((citation_id, message_id, document_id))
    lost: list[int] = []
    touched: set[int] = set()
    for (owner_id, audience_ids), cited in readers.items():
        owner = people.get(owner_id)
        openable: set[int] = set()
        if owner is not None and all(member in people for member in audience_ids):
            openable = _openable(
                owner=owner,
                audience=[people[member] for member in audience_ids],
                document_ids={document for _, _, document in cited if document is not None},
            )
        for citation_id, message_id, cited_document in cited:
            if cited_document is None or cited_document not in openable:
                lost.append(citation_id)
                touched.add(message_id)
    if not lost:
        return 0
    now = timezone.now()
    Citation.objects.filter(id__in=lost).update(**PURGED_COPIES, purged_at=now)
    answers = Message.objects.filter(id__in=touched)
    answers.update(sources_changed_at=now)
    _refresh_slack_posts(answers)
    return len(lost)
