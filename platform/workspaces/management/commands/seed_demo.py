from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand

from workspaces.demo import create_demo_workspace


class Command(BaseCommand):
    help = "Create the demo workspace (admin, builder, member) if it does not exist."

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("DEMO_PASSWORD", "demo-password")
        workspace, logins, created = create_demo_workspace(password=password)
        verb = "Created" if created else "Found"
        self.stdout.write(f"{verb} demo workspace '{workspace.name}' (id {workspace.id}).")
        for login in logins:
            self.stdout.write(f"  {login.role:<8} {login.email}  password: {password}")
