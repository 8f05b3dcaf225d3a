"""Reads for SCIM: the token's workspace's users and groups, filtered and paged."""

from __future__ import annotations

import uuid
from collections import defaultdict

from django.db.models import QuerySet

from scim.models import ScimToken, ScimUser
from scim.protocol import Filter
from workspaces.models import Group, GroupMember

USER_FILTERS = ("userName", "externalId", "displayName", "id")
GROUP_FILTERS = ("displayName", "externalId", "id")


def list_scim_tokens(*, workspace_id: int) -> QuerySet[ScimToken]:
    return ScimToken.objects.filter(workspace_id=workspace_id).order_by("-created_at", "-id")


def users(*, workspace_id: int, where: Filter | None) -> QuerySet[ScimUser]:
    found = ScimUser.objects.filter(workspace_id=workspace_id).select_related("membership__user")
    if where is not None:
        if where.attribute == "userName":
            found = found.filter(user_name__iexact=where.value)  # RFC 7643: caseExact false
        elif where.attribute == "externalId":
            found = found.filter(external_id=where.value)
        elif where.attribute == "displayName":
            found = found.filter(display_name=where.value)
        else:
            key = _uuid_or_none(where.value)
            found = found.filter(scim_id=key) if key is not None else found.none()
    return found.order_by("id")


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def groups(*, workspace_id: int, where: Filter | None) -> QuerySet[Group]:
    found = Group.objects.filter(workspace_id=workspace_id, source="scim")
    if where is not None:
        if where.attribute == "displayName":
            found = found.filter(name=where.value)
        elif where.attribute == "externalId":
            found = found.filter(external_id=where.value)
        else:
            found = found.filter(id=int(where.value)) if where.value.isdigit() else found.none()
    return found.order_by("id")


def groups_of_users(scim_users: list[ScimUser]) -> dict[int, list[Group]]:
    """The SCIM groups of each listed user, by ScimUser id, in one query."""
    by_membership = {scim_user.membership_id: scim_user.id for scim_user in scim_users}
    result: dict[int, list[Group]] = defaultdict(list)
    links = GroupMember.objects.filter(
        membership_id__in=by_membership, group__source="scim"
    ).select_related("group")
    for link in links.order_by("group_id"):
        result[by_membership[link.membership_id]].append(link.group)
    return result


def members_of_groups(group_list: list[Group]) -> dict[int, list[ScimUser]]:
    """The provisioned members of each listed group, by group id, in one query."""
    result: dict[int, list[ScimUser]] = defaultdict(list)
    links = GroupMember.objects.filter(group_id__in=[group.id for group in group_list])
    by_membership: dict[int, list[int]] = defaultdict(list)
    for group_id, membership_id in links.values_list("group_id", "membership_id"):
        by_membership[membership_id].append(group_id)
    for scim_user in ScimUser.objects.filter(membership_id__in=by_membership).order_by("id"):
        for group_id in by_membership[scim_user.membership_id]:
            result[group_id].append(scim_user)
    return result
