"""Groups synced from a source (Google groups, GitHub teams), so an access list naming a
group reaches its members. Members are matched by verified email, like access lists."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from connections.models import Connection
from connectors.documents import SourceGroup
from workspaces.models import Group, GroupMember, Membership


@transaction.atomic
def apply_source_groups(*, connection: Connection, groups: Sequence[SourceGroup]) -> int:
    """Mirror the source's groups; groups the source no longer has are removed."""
    source = f"{connection.kind}:{connection.id}"
    kept: list[int] = []
    for source_group in groups:
        group, _ = Group.objects.update_or_create(
            workspace_id=connection.workspace_id,
            source=source,
            external_id=source_group.external_id,
            defaults={"name": f"{source_group.name} ({connection.data_source.name})"[:200]},
        )
        kept.append(group.id)
        emails = {email.strip().lower() for email in source_group.member_emails}
        members = Membership.objects.filter(
            workspace_id=connection.workspace_id,
            user__email__in=emails,
            user__email_verified=True,
        )
        GroupMember.objects.filter(group=group).exclude(membership__in=members).delete()
        GroupMember.objects.bulk_create(
            [GroupMember(group=group, membership=member) for member in members],
            ignore_conflicts=True,
        )
    Group.objects.filter(workspace_id=connection.workspace_id, source=source).exclude(
        id__in=kept
    ).delete()
    return len(kept)
