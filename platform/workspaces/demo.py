"""The demo workspace a fresh install starts with: one admin, one builder, one member."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from accounts.models import User
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


@transaction.atomic
def create_demo_workspace(*, password: str) -> tuple[Workspace, list[DemoLogin], bool]:
    """Idempotent: a second run finds the workspace and changes nothing."""
    existing = Workspace.objects.filter(slug=DEMO_SLUG).first()
    logins = [DemoLogin(email=email, role=role.value) for email, _, role in DEMO_PEOPLE]
    if existing is not None:
        return existing, logins, False
    admin_email, admin_name, _ = DEMO_PEOPLE[0]
    admin = User.objects.filter(email=admin_email).first() or User.objects.create_user(
        email=admin_email, password=password, full_name=admin_name
    )
    workspace = services.create_workspace(name="Demo Company", creator=admin, slug=DEMO_SLUG)
    actor = Membership.objects.get(workspace=workspace, user=admin)
    for email, full_name, role in DEMO_PEOPLE[1:]:
        services.invite_member(
            actor=actor, email=email, role=role, full_name=full_name, password=password
        )
    leadership = services.create_space(
        actor=actor, name="Leadership", description="Board notes and plans; admins only."
    )
    services.grant_space_access(actor=actor, space_id=leadership.id, membership_id=actor.id)
    return workspace, logins, True
