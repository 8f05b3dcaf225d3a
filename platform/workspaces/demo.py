"""The demo workspace a fresh install starts with: one admin, one builder, one member."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
from accounts.services import create_user
from workspaces import services
from workspaces.models import Membership, Role, Workspace

DEMO_SLUG = "demo"
DEMO_PEOPLE = [
    ("admin@demo.local", "Ada Admin", Role.ADMIN),
    ("builder@demo.local", "Bo Builder", Role.BUILDER),
    ("member@demo.local", "Mo Member", Role.MEMBER),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str


def _demo_user(*, email: str, full_name: str, password: str) -> User:
    """An existing account keeps its own password and name."""
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        return existing
    return create_user(email=email, password=password, full_name=full_name, email_verified=True)


@transaction.atomic
def create_demo_workspace(*, password: str) -> tuple[Workspace, list[DemoLogin], bool]:
    """Idempotent: a second run finds the workspace and changes nothing."""
    existing = Workspace.objects.filter(slug=DEMO_SLUG).first()
    logins = [DemoLogin(email=email, role=role.value) for email, _, role in DEMO_PEOPLE]
    if existing is not None:
        return existing, logins, False
    admin_email, admin_name, _ = DEMO_PEOPLE[0]
    admin = _demo_user(email=admin_email, full_name=admin_name, password=password)
    workspace = services.create_workspace(name="Demo Company", creator=admin, slug=DEMO_SLUG)
    actor = Membership.objects.get(workspace=workspace, user=admin)
    for email, full_name, role in DEMO_PEOPLE[1:]:
        # Seeding is the operator acting on made-up people, not an invitation: the accounts
        # and memberships are made directly (no API route can do this).
        person = _demo_user(email=email, full_name=full_name, password=password)
        services.add_member_directly(workspace=workspace, user=person, role=role)
    leadership = services.create_space(
        actor=actor, name="Leadership", description="Board notes and plans; admins only."
    )
    services.grant_space_access(actor=actor, space_id=leadership.id, membership_id=actor.id)
    return workspace, logins, True
