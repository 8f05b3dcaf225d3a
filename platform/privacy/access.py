"""Who may see a data-subject request: the admins of its workspace, nobody else."""

from __future__ import annotations

from common.errors import NotFound
from privacy.models import DataSubjectRequest
from workspaces.access import access_role
from workspaces.models import Membership, Role


def access_request(*, actor: Membership, request_id: int) -> DataSubjectRequest:
    """The request, for an admin of its workspace. Another workspace's request is NotFound,
    so its existence does not leak."""
    access_role(actor, Role.ADMIN)
    request = (
        DataSubjectRequest.objects.select_related("subject_user")
        .filter(id=request_id, workspace_id=actor.workspace_id)
        .first()
    )
    if request is None:
        raise NotFound(f"Privacy request {request_id} does not exist.")
    return request
