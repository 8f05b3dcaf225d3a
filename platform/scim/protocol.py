"""The SCIM 2.0 wire format (RFC 7643/7644): schema URNs, errors, filters and pagination.

Plain dicts, no model library: the platform stores a handful of attributes, and the quirks
real identity providers send (Entra's "Replace", booleans as strings, a PATCH value object
without a path) are easier to accept here than to teach a strict model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SCIM_MEDIA_TYPE = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"

DEFAULT_COUNT = 100
MAX_COUNT = 200
MAX_FILTER_LENGTH = 1000


class ScimError(Exception):
    """An error answered as a SCIM Error body (RFC 7644 3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.scim_type = scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def invalid_value(detail: str) -> ScimError:
    return ScimError(400, detail, "invalidValue")


def not_found(kind: str, resource_id: str) -> ScimError:
    return ScimError(404, f"{kind} {resource_id[:100]} does not exist in this workspace.")


@dataclass(frozen=True)
class Filter:
    """`attribute eq "value"`, the one filter form the platform answers."""

    attribute: str  # as listed in FILTERABLE, in its canonical spelling
    value: str


_FILTER = re.compile(
    r'^\s*(?P<attr>[A-Za-z][\w.:]*)\s+(?P<op>[A-Za-z]{2})\s+"(?P<value>(?:[^"\\]|\\.)*)"\s*$'
)


def parse_filter(text: str | None, filterable: tuple[str, ...]) -> Filter | None:
    """The filter of a list request, or ScimError 400 invalidFilter saying what is supported."""
    if text is None or not text.strip():
        return None
    supported = ", ".join(f'{name} eq "..."' for name in filterable)
    if len(text) > MAX_FILTER_LENGTH:
        raise ScimError(400, "The filter is too long.", "invalidFilter")
    match = _FILTER.match(text)
    if match is None:
        raise ScimError(
            400, f"The filter {text[:100]!r} is not understood; use {supported}.", "invalidFilter"
        )
    names = {name.lower(): name for name in filterable}
    attribute = names.get(match["attr"].lower())
    if attribute is None or match["op"].lower() != "eq":
        raise ScimError(
            400,
            f"Filtering with {match['attr'][:60]} {match['op']} is not supported; use {supported}.",
            "invalidFilter",
        )
    value = re.sub(r"\\(.)", r"\1", match["value"])
    return Filter(attribute=attribute, value=value)


def page_bounds(start_index: str | None, count: str | None) -> tuple[int, int]:
    """(startIndex, count) per RFC 7644 3.4.2.4: 1-based; values below 1 (0) are taken as 1 (0)."""
    try:
        start = max(int(start_index or 1), 1)
        size = min(max(int(count if count is not None else DEFAULT_COUNT), 0), MAX_COUNT)
    except ValueError as error:
        raise invalid_value("startIndex and count must be whole numbers.") from error
    return start, size


def list_response(resources: list[dict[str, Any]], *, total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_RESPONSE_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


def as_bool(value: Any, *, attribute: str) -> bool:
    """A SCIM boolean, also as Entra sends it ("True", "False")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    raise invalid_value(f"{attribute} must be true or false, not {str(value)[:40]!r}.")


def as_text(value: Any, *, attribute: str, max_length: int = 255) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise invalid_value(f"{attribute} must be a string.")
    if len(value) > max_length:
        raise invalid_value(f"{attribute} is longer than {max_length} characters.")
    return value.strip()


def operation_name(operation: Any) -> str:
    """add, replace or remove; Entra capitalises them ("Replace")."""
    if not isinstance(operation, dict):
        raise invalid_value("Each PATCH operation must be an object with op, path and value.")
    op = str(operation.get("op", "")).strip().lower()
    if op not in {"add", "replace", "remove"}:
        raise invalid_value(
            f"PATCH op {str(operation.get('op'))[:20]!r} is not one of add, replace, remove."
        )
    return op


def patch_operations(body: dict[str, Any]) -> list[dict[str, Any]]:
    operations = body.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(
            400, "A PATCH body needs an Operations list (RFC 7644 3.5.2).", "invalidSyntax"
        )
    if len(operations) > 1000:
        raise ScimError(400, "At most 1000 operations per PATCH.", "tooMany")
    return operations


_MEMBER_PATH = re.compile(r'^members\[\s*value\s+eq\s+"(?P<value>[^"]*)"\s*\]$', re.IGNORECASE)


def member_in_path(path: str) -> str | None:
    """The member id of a `members[value eq "id"]` path, else None."""
    match = _MEMBER_PATH.match(path.strip())
    return match["value"] if match else None


def member_ids(value: Any) -> list[str]:
    """The ids of a members value: [{"value": id}, ...] (one object is taken as a list)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    ids = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("value"), str):
            raise invalid_value('members must be a list of {"value": "<user id>"} objects.')
        ids.append(item["value"])
    return ids
