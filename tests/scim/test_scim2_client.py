"""A round trip with a SCIM client library (scim2-client, validating every payload with
scim2-models) against the platform's WSGI application, in process: discovery, create, search
by userName, PATCH active false, replace, group with members, delete."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_models import (
    Email,
    Group,
    GroupMember,
    ListResponse,
    Name,
    PatchOp,
    PatchOperation,
    ScimProvider,
    SearchRequest,
    User,
)

from tests.factories import Tenant
from tests.scim.conftest import ScimClient
from workspaces.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def connection_kept() -> Iterator[None]:
    """A WSGI request closes the database connection when it finishes; the test's transaction
    lives on it, so keep it open, as Django's own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_a_scim_client_library_round_trip(
    scim: ScimClient, tenant: Tenant, connection_kept: None
) -> None:
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {scim.secret}"},
        provider=ScimProvider(models=[User, Group]),
    )
    client.discover()

    created = client.create(
        User(
            user_name="bjensen@example.com",
            name=Name(given_name="Barbara", family_name="Jensen"),
            emails=[Email(value="bjensen@example.com", primary=True)],
            active=True,
        )
    )
    assert isinstance(created, User) and created.id and created.active is True

    found = client.query(
        User, query_parameters=SearchRequest(filter='userName eq "BJensen@example.com"')
    )
    assert isinstance(found, ListResponse) and found.total_results == 1
    assert found.resources[0].id == created.id

    patch = PatchOp[User](
        operations=[PatchOperation(op=PatchOperation.Op.replace_, path="active", value=False)]
    )
    deactivated = client.modify(User, created.id, patch)
    assert isinstance(deactivated, User) and deactivated.active is False
    membership = Membership.objects.get(
        workspace=tenant.workspace, user__email="bjensen@example.com"
    )
    assert membership.deactivated_at is not None

    created.active = True
    created.display_name = "Babs"
    replaced = client.replace(created)
    assert isinstance(replaced, User) and replaced.display_name == "Babs" and replaced.active

    group = client.create(
        Group(display_name="Tour guides", members=[GroupMember(value=created.id)])
    )
    assert isinstance(group, Group) and [m.value for m in group.members or []] == [created.id]

    client.delete(group)
    client.delete(replaced)
    assert client.query(User).total_results == 0
