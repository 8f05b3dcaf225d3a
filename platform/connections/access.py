"""Who may manage a connection: the admins of its workspace."""

from __future__ import annotations

from common.errors import NotFound
from connections.models import Connection
from workspaces.access import access_role
from workspaces.models import Membership, Role


def access_connection(
    *, actor: Membership, connection_id: int, for_update: bool = False
) -> Connection:
    access_role(actor, Role.ADMIN)
    connections = Connection.objects.select_related("data_source")
    if for_update:
        connections = connections.select_for_update(of=("self",))
    connection = connections.filter(id=connection_id, workspace_id=actor.workspace_id).first()
    if connection is None:
        raise NotFound("No such connection in this workspace.")
    return connection
