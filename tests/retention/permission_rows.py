"""The retention API in the shape of tests/api/test_permissions.py's endpoint table:
(method, path, body, lowest role allowed, success status). All of it is for admins."""

from __future__ import annotations

from typing import Any

from retention.services import place_legal_hold
from tests.factories import Tenant


def retention_endpoints(t: Tenant, base: str) -> list[tuple[str, str, Any, str, int]]:
    hold = place_legal_hold(actor=t.admin, reason="Case 1", membership_id=t.outsider.id)
    return [
        ("GET", f"{base}/retention", None, "admin", 200),
        ("PUT", f"{base}/retention", {"conversations_days": 30}, "admin", 200),
        ("GET", f"{base}/legal-holds", None, "admin", 200),
        ("POST", f"{base}/legal-holds", {"reason": "Litigation"}, "admin", 201),
        ("POST", f"{base}/legal-holds/{hold.id}/release", None, "admin", 200),
    ]
