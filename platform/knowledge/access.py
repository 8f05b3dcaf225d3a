"""Who may read what in the knowledge base (DESIGN.md access rules 2-4).

`ReaderScope` is computed once per request from the member; retrieval turns it into SQL so
the permission filter is part of the query that ranks (rule 3), never applied afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet

from common.errors import NotFound, PermissionDenied
from knowledge.models import DataSource, DataSourceView
from workspaces.models import Group, Membership, Role, Space, SpaceAccess, SpaceKind
from workspaces.selectors import member_space_access, space_ids_for


@dataclass(frozen=True)
class ViewFilter:
    data_source_id: int
    parent_ids: tuple[str, ...]  # empty: the whole data source


@dataclass(frozen=True)
class ReaderScope:
    workspace_id: int
    views: tuple[ViewFilter, ...]
    emails: tuple[str, ...]
    group_ids: tuple[str, ...]
    # Everyone else who will see what is read (the people of a Slack channel), as
    # (emails, group ids) each: a row with an access list must be open to every one of them.
    co_readers: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.views


def reader_identities(membership: Membership) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The emails and source group ids that source access lists are matched against.

    Only a verified email counts: an unverified one could be typed in to claim someone
    else's documents.
    """
    user = membership.user
    emails = (user.email.lower(),) if user.email_verified else ()
    group_ids = tuple(
        sorted(
            external_id
            for external_id in Group.objects.filter(
                workspace_id=membership.workspace_id, members=membership
            )
            .exclude(external_id="")
            .values_list("external_id", flat=True)
        )
    )
    return emails, group_ids


def readable_views(
    *, membership: Membership, views: Iterable[DataSourceView] | None = None
) -> list[DataSourceView]:
    """Of the given views (all of the workspace when None), those in the member's spaces."""
    spaces = space_ids_for(membership=membership)
    candidates = DataSourceView.objects.filter(
        workspace_id=membership.workspace_id, space_id__in=spaces
    )
    if views is not None:
        candidates = candidates.filter(id__in=[view.id for view in views])
    return list(candidates.select_related("data_source", "space"))


def reader_scope(
    *,
    membership: Membership,
    views: Iterable[DataSourceView] | None = None,
    audience: Sequence[Membership] = (),
) -> ReaderScope:
    """What `membership` may read; with an `audience`, only what every one of them may read
    as well (views in spaces they all belong to, access lists open to each)."""
    emails, group_ids = reader_identities(membership)
    readable = readable_views(membership=membership, views=views)
    others = [member for member in audience if member.id != membership.id]
    for other in others:
        if other.workspace_id != membership.workspace_id:
            readable = []  # a person of another workspace may read nothing of this one
            break
        theirs = {view.id for view in readable_views(membership=other, views=readable)}
        readable = [view for view in readable if view.id in theirs]
    return ReaderScope(
        workspace_id=membership.workspace_id,
        views=tuple(ViewFilter(view.data_source_id, tuple(view.parent_ids)) for view in readable),
        emails=emails,
        group_ids=group_ids,
        co_readers=tuple(reader_identities(other) for other in others),
    )


def access_data_source(
    *, actor: Membership, data_source_id: int, write: bool = False
) -> DataSource:
    """A data source the actor reaches through a view in one of their spaces.

    Writing (uploading) needs read-write access to such a space, or the admin role.
    """
    data_source = DataSource.objects.filter(
        id=data_source_id, workspace_id=actor.workspace_id
    ).first()
    if data_source is None:
        raise NotFound(f"Data source {data_source_id} does not exist in this workspace.")
    if actor.has_role(Role.ADMIN):
        return data_source
    reachable = [
        (space, access)
        for space in Space.objects.filter(views__data_source=data_source)
        if (access := member_space_access(membership=actor, space=space)) is not None
    ]
    if not reachable:
        raise NotFound(f"Data source {data_source_id} does not exist in this workspace.")
    if write:
        can_write = actor.has_role(Role.BUILDER) and any(
            access == SpaceAccess.READ_WRITE or space.kind == SpaceKind.COMPANY
            for space, access in reachable
        )
        if not can_write:
            raise PermissionDenied(
                f"Adding data to '{data_source.name}' needs the builder role and read-write "
                "access to a space that holds it. Ask an admin."
            )
    return data_source


def visible_data_sources(*, actor: Membership) -> QuerySet[DataSource]:
    """The data sources the actor may list: an admin, every one of the workspace; anyone
    else, those with a view in one of their spaces."""
    sources = DataSource.objects.filter(workspace_id=actor.workspace_id)
    if actor.has_role(Role.ADMIN):
        return sources
    in_their_spaces = DataSourceView.objects.filter(
        workspace_id=actor.workspace_id, space_id__in=space_ids_for(membership=actor)
    )
    return sources.filter(id__in=in_their_spaces.values("data_source_id"))
