"""Access preview: what a change of who-reads-what would do, before it is made.

"This makes N documents visible to M more people" is computed with the very permission SQL
search uses (`reader_scope` -> `scope_filter`): each affected person's scope is taken before
the change and, inside a savepoint that applies the change through its real service verb,
after it; the savepoint is rolled back, so nothing persists (audit events and on-commit
tasks of the verb go with it). The (person, document) pairs of the two sides are then
compared in one set query per direction (EXCEPT). People who read alike (same spaces and
source groups, an email no access list names) are one branch of that query, so its size
follows the kinds of readers, not the head count, and no Python loop walks the documents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from knowledge.access import ReaderScope, reader_scope
from knowledge.models import DataSourceView, Document
from knowledge.selectors import scope_filter
from knowledge.services import create_data_source_view, delete_data_source_view
from workspaces import services as workspace_services
from workspaces.access import access_group, access_member, access_role, access_space
from workspaces.models import Membership, Role, SpaceAccess, SpaceGrant
from workspaces.selectors import space_member_ids

EXAMPLES = 5


@dataclass(frozen=True)
class AccessPreview:
    documents_gained: int
    people_gained: int
    documents_lost: int
    people_lost: int
    example_documents_gained: list[str] = field(default_factory=list)
    example_people_gained: list[str] = field(default_factory=list)
    example_documents_lost: list[str] = field(default_factory=list)
    example_people_lost: list[str] = field(default_factory=list)
    # A widened connection selection adds documents only when the next sync lists them:
    # those cannot be counted before, only the documents the narrowing drops.
    additions_known_after_sync: bool = False


class _RollBack(Exception):
    """Raised inside the savepoint to undo the previewed change."""


def _pairs_sql(scopes: dict[int, ReaderScope], documents: Q | None) -> tuple[str, list[Any]]:
    """(reader_id, document_id) of every document each reader's scope opens."""
    parts: list[str] = []
    params: list[Any] = []
    for reader_id, scope in scopes.items():
        if scope.is_empty:
            continue
        readable = Document.objects.filter(scope_filter(scope))
        if documents is not None:
            readable = readable.filter(documents)
        sql, query_params = readable.values("id").query.sql_with_params()
        parts.append(f"SELECT {int(reader_id)} AS reader_id, id AS document_id FROM ({sql}) s")
        params.extend(query_params)
    if not parts:
        return "SELECT NULL::bigint AS reader_id, NULL::bigint AS document_id WHERE false", []
    return " UNION ".join(parts), params


@dataclass(frozen=True)
class _Difference:
    documents: int
    reader_ids: list[int]  # the readers (see _readers) with at least one pair
    example_document_ids: list[int]


def _difference(more: tuple[str, list[Any]], less: tuple[str, list[Any]]) -> _Difference:
    """The pairs in `more` that `less` lacks: their documents, readers and a few examples."""
    difference = f"(({more[0]}) EXCEPT ({less[0]}))"
    params = [*more[1], *less[1]]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(DISTINCT document_id) FROM {difference} AS pairs", params)
        (documents,) = cursor.fetchone()
        if not documents:
            return _Difference(0, [], [])
        cursor.execute(
            f"SELECT DISTINCT document_id FROM {difference} AS pairs "
            f"ORDER BY document_id LIMIT {EXAMPLES}",
            params,
        )
        example_ids = [row[0] for row in cursor.fetchall()]
        # One row per reader class or named person: few, however many people there are.
        cursor.execute(f"SELECT DISTINCT reader_id FROM {difference} AS pairs", params)
        reader_ids = sorted(row[0] for row in cursor.fetchall())
    return _Difference(int(documents), reader_ids, example_ids)


def _scopes(people: Iterable[Membership]) -> dict[int, ReaderScope]:
    return {person.id: reader_scope(membership=person) for person in people}


def _named_emails(workspace_id: int, emails: set[str]) -> set[str]:
    """Which of these emails some document's access list names."""
    if not emails:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT named FROM knowledge_document, unnest(access_emails) AS named "
            "WHERE workspace_id = %s AND access_emails && %s::varchar[] AND named = ANY(%s)",
            [workspace_id, sorted(emails), sorted(emails)],
        )
        return {row[0] for row in cursor.fetchall()}


def _readers(
    workspace_id: int, before: dict[int, ReaderScope], after: dict[int, ReaderScope]
) -> tuple[dict[int, ReaderScope], dict[int, ReaderScope], dict[int, list[int]]]:
    """People grouped into readers whose (person, document) pairs are the same.

    A scope differs from person to person only by the email that source access lists match;
    a person whose email no document names reads exactly what their email-less scope reads,
    so everyone with the same spaces and source groups, before and after, is one reader and
    one branch of the set query. A person some document names is a reader of their own.
    """
    emails = {email for scope in (*before.values(), *after.values()) for email in scope.emails}
    named = _named_emails(workspace_id, emails)
    classes: dict[tuple[ReaderScope, ReaderScope], int] = {}
    readers_before: dict[int, ReaderScope] = {}
    readers_after: dict[int, ReaderScope] = {}
    people: dict[int, list[int]] = {}
    for person_id in sorted(before):
        then, now = before[person_id], after[person_id]
        if named.intersection(then.emails) or named.intersection(now.emails):
            key = None
        else:
            then, now = replace(then, emails=()), replace(now, emails=())
            key = (then, now)
        reader_id = classes.get(key) if key is not None else None
        if reader_id is None:
            reader_id = len(people) + 1
            readers_before[reader_id], readers_after[reader_id] = then, now
            people[reader_id] = []
            if key is not None:
                classes[key] = reader_id
        people[reader_id].append(person_id)
    return readers_before, readers_after, people


def preview_access_change(
    *,
    actor: Membership,
    people_ids: Iterable[int],
    change: Callable[[], object] | None = None,
    documents_after: Q | None = None,
    additions_known_after_sync: bool = False,
) -> AccessPreview:
    """Compare what `people_ids` may read now with what they could read after `change` (run
    in a savepoint that is always rolled back) and, for documents a change would drop from
    the index, only those matching `documents_after`."""
    people = list(
        Membership.objects.filter(workspace_id=actor.workspace_id, id__in=set(people_ids))
        .select_related("user", "workspace")
        .order_by("id")
    )
    with transaction.atomic():
        before = _scopes(people)
        after = before
        if change is not None:
            try:
                with transaction.atomic():
                    change()
                    after = _scopes(people)
                    raise _RollBack
            except _RollBack:
                pass
        if documents_after is None:
            # A person whose scope did not move gains and loses nothing: leave them out.
            changed = {pid for pid in before if before[pid] != after[pid]}
            before = {pid: scope for pid, scope in before.items() if pid in changed}
            after = {pid: scope for pid, scope in after.items() if pid in changed}
        readers_before, readers_after, people_of = _readers(actor.workspace_id, before, after)
        before_pairs = _pairs_sql(readers_before, None)
        after_pairs = _pairs_sql(readers_after, documents_after)
        gained = _difference(after_pairs, before_pairs)
        lost = _difference(before_pairs, after_pairs)
    gained_people = sorted(p for reader in gained.reader_ids for p in people_of[reader])
    lost_people = sorted(p for reader in lost.reader_ids for p in people_of[reader])
    examples = _examples(
        actor.workspace_id,
        [*gained.example_document_ids, *lost.example_document_ids],
        [*gained_people[:EXAMPLES], *lost_people[:EXAMPLES]],
    )
    titles, emails = examples
    return AccessPreview(
        documents_gained=gained.documents,
        people_gained=len(gained_people),
        documents_lost=lost.documents,
        people_lost=len(lost_people),
        example_documents_gained=[titles[i] for i in gained.example_document_ids if i in titles],
        example_people_gained=[emails[i] for i in gained_people[:EXAMPLES] if i in emails],
        example_documents_lost=[titles[i] for i in lost.example_document_ids if i in titles],
        example_people_lost=[emails[i] for i in lost_people[:EXAMPLES] if i in emails],
        additions_known_after_sync=additions_known_after_sync,
    )


def _examples(
    workspace_id: int, document_ids: list[int], person_ids: list[int]
) -> tuple[dict[int, str], dict[int, str]]:
    titles = dict(
        Document.objects.filter(workspace_id=workspace_id, id__in=document_ids).values_list(
            "id", "title"
        )
    )
    emails = dict(
        Membership.objects.filter(workspace_id=workspace_id, id__in=person_ids).values_list(
            "id", "user__email"
        )
    )
    return titles, emails


# One entry per kind of change. Each checks what the change's own verb checks before naming
# the affected people (so another workspace's ids answer NotFound), then previews that verb.


def _group_member_ids(group_id: int) -> list[int]:
    return list(Membership.objects.filter(groups__id=group_id).values_list("id", flat=True))


def preview_grant(
    *,
    actor: Membership,
    space_id: int,
    membership_id: int | None = None,
    group_id: int | None = None,
    access: SpaceAccess = SpaceAccess.READ,
) -> AccessPreview:
    access_role(actor, Role.ADMIN)
    access_space(actor=actor, space_id=space_id)
    if membership_id is not None:
        people = [access_member(actor=actor, membership_id=membership_id).id]
    elif group_id is not None:
        people = _group_member_ids(access_group(actor=actor, group_id=group_id).id)
    else:
        people = []
    return preview_access_change(
        actor=actor,
        people_ids=people,
        change=lambda: workspace_services.grant_space_access(
            actor=actor,
            space_id=space_id,
            membership_id=membership_id,
            group_id=group_id,
            access=access,
        ),
    )


def preview_revoke(*, actor: Membership, space_id: int, grant_id: int) -> AccessPreview:
    access_role(actor, Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    grant = SpaceGrant.objects.filter(id=grant_id, space=space).first()
    people: list[int] = []
    if grant is not None:
        people = (
            [grant.membership_id]
            if grant.membership_id is not None
            else _group_member_ids(grant.group_id or 0)
        )
    return preview_access_change(
        actor=actor,
        people_ids=people,
        change=lambda: workspace_services.revoke_space_access(
            actor=actor, space_id=space_id, grant_id=grant_id
        ),
    )


def preview_group_membership(
    *, actor: Membership, group_id: int, membership_id: int, add: bool
) -> AccessPreview:
    access_role(actor, Role.ADMIN)
    group = access_group(actor=actor, group_id=group_id)
    member = access_member(actor=actor, membership_id=membership_id)
    verb = workspace_services.add_group_member if add else workspace_services.remove_group_member
    return preview_access_change(
        actor=actor,
        people_ids=[member.id],
        change=lambda: verb(actor=actor, group_id=group.id, membership_id=member.id),
    )


def preview_view_added(
    *, actor: Membership, data_source_id: int, space_id: int, parent_ids: list[str]
) -> AccessPreview:
    access_role(actor, Role.ADMIN)
    space = access_space(actor=actor, space_id=space_id)
    return preview_access_change(
        actor=actor,
        people_ids=space_member_ids(space=space),
        change=lambda: create_data_source_view(
            actor=actor, data_source_id=data_source_id, space_id=space.id, parent_ids=parent_ids
        ),
    )


def preview_view_removed(*, actor: Membership, view_id: int) -> AccessPreview:
    access_role(actor, Role.ADMIN)
    view = (
        DataSourceView.objects.filter(id=view_id, workspace_id=actor.workspace_id)
        .select_related("space")
        .first()
    )
    people = space_member_ids(space=view.space) if view is not None else []
    return preview_access_change(
        actor=actor,
        people_ids=people,
        change=lambda: delete_data_source_view(actor=actor, view_id=view_id),
    )
