"""Real rows for tests, built through the services like production builds them."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

from django.test import Client

from accounts.models import User
from accounts.services import create_user
from workspaces import services
from workspaces.models import Membership, Role, Space, Workspace

PASSWORD = "correct-horse-battery"


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body of named files, for upload endpoints."""

    files: dict[str, bytes]


class ApiClient:
    """A JSON client for /api/v1 that talks through the whole Django stack."""

    def __init__(self, client: Client, headers: dict[str, str] | None = None) -> None:
        self.client = client
        self.headers = headers or {}

    def request(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        url = path if path.startswith("/") else f"/api/v1/{path}"
        if isinstance(body, Multipart):
            handles = []
            for name, content in body.files.items():
                handle = io.BytesIO(content)
                handle.name = name
                handles.append(handle)
            return self.client.post(url, {"files": handles}, headers={**self.headers, **headers})
        data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
        return self.client.generic(
            method,
            url,
            data=data or "",
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def get(self, path: str, **headers: str) -> Any:
        return self.request("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.request("POST", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.request("PATCH", path, body if body is not None else {}, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self.request("DELETE", path, **headers)


@dataclass
class Tenant:
    """One workspace with a person in each role, a restricted space and a group."""

    workspace: Workspace
    admin: Membership
    builder: Membership
    member: Membership
    outsider: Membership  # a member who is in no restricted space
    restricted_space: Space
    company_space: Space

    def by_role(self, role: str) -> Membership:
        return {"admin": self.admin, "builder": self.builder, "member": self.member}[role]


def make_user(email: str) -> User:
    return create_user(
        email=email, password=PASSWORD, full_name=email.split("@")[0], email_verified=True
    )


def make_member(workspace: Workspace, email: str, role: Role = Role.MEMBER) -> Membership:
    """A person (made if new, with PASSWORD) in the workspace, without the invitation flow:
    for tests that need members, not invitations."""
    user = User.objects.filter(email=email).first() or make_user(email)
    return services.add_member_directly(workspace=workspace, user=user, role=role)


def make_tenant(slug: str) -> Tenant:
    admin_user = make_user(f"admin@{slug}.test")
    workspace = services.create_workspace(name=slug.title(), creator=admin_user, slug=slug)
    admin = Membership.objects.get(workspace=workspace, user=admin_user)
    builder = make_member(workspace, f"builder@{slug}.test", Role.BUILDER)
    member = make_member(workspace, f"member@{slug}.test", Role.MEMBER)
    outsider = make_member(workspace, f"outsider@{slug}.test", Role.MEMBER)
    restricted = services.create_space(actor=admin, name="Finance")
    group = services.create_group(actor=admin, name="Finance team")
    services.add_group_member(actor=admin, group_id=group.id, membership_id=member.id)
    services.grant_space_access(actor=admin, space_id=restricted.id, group_id=group.id)
    services.grant_space_access(actor=admin, space_id=restricted.id, membership_id=builder.id)
    company = Space.objects.get(workspace=workspace, kind="company")
    return Tenant(workspace, admin, builder, member, outsider, restricted, company)
