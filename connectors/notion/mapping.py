"""Notion objects (pages, databases, data sources, property values) as titles and text.

Written against Notion-Version 2025-09-03, the version notion-client 3.x sends: a database is
a container of one or more data sources, database rows are pages whose parent is
`{"type": "data_source_id", "data_source_id": ..., "database_id": ...}`, and search returns
`page` and `data_source` objects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from connectors.notion.blocks import plain_text

UNTITLED = "Untitled"


def parse_time(value: Any) -> datetime | None:
    """Notion's ISO 8601 timestamps ("2024-03-05T10:21:00.000Z") as aware datetimes."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_time(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def is_trashed(item: Mapping[str, Any]) -> bool:
    """Deleted in Notion means moved to the trash; `archived` is the older name of the flag."""
    return bool(item.get("in_trash") or item.get("archived") or item.get("is_archived"))


def is_database_row(page: Mapping[str, Any]) -> bool:
    parent_type = (page.get("parent") or {}).get("type")
    return parent_type in ("data_source_id", "database_id")


def page_title(page: Mapping[str, Any]) -> str:
    for value in (page.get("properties") or {}).values():
        if isinstance(value, Mapping) and value.get("type") == "title":
            title = plain_text(value.get("title")).strip()
            if title:
                return title
    return UNTITLED


def object_title(item: Mapping[str, Any]) -> str:
    """Title of a database or data source (a rich text array), or of a page."""
    if item.get("object") == "page":
        return page_title(item)
    title = item.get("title")
    text = plain_text(title).strip() if isinstance(title, list) else str(title or "").strip()
    return text or UNTITLED


def render_properties(properties: Mapping[str, Any]) -> str:
    """A database row's properties as "Name: value" lines, the title property first."""
    lines: list[tuple[bool, str]] = []
    for name, value in properties.items():
        if not isinstance(value, Mapping):
            continue
        rendered = render_property_value(value).strip()
        if rendered:
            lines.append((value.get("type") != "title", f"{name}: {rendered}"))
    # sorted() is stable: the title first, the others in the order Notion returns them.
    return "\n".join(line for _, line in sorted(lines, key=lambda entry: entry[0]))


def render_property_value(value: Mapping[str, Any]) -> str:
    kind = str(value.get("type", ""))
    content = value.get(kind)
    if content is None:
        return ""
    if kind in ("title", "rich_text"):
        return plain_text(content)
    if kind in ("select", "status"):
        return str(content.get("name", ""))
    if kind == "multi_select":
        return ", ".join(str(option.get("name", "")) for option in content)
    if kind == "number":
        return _number(content)
    if kind == "checkbox":
        return "Yes" if content else "No"
    if kind == "date":
        return _date_range(content)
    if kind == "people":
        return ", ".join(user_name(person) for person in content)
    if kind in ("created_by", "last_edited_by"):
        return user_name(content)
    if kind in ("url", "email", "phone_number", "created_time", "last_edited_time"):
        return str(content)
    if kind == "files":
        return ", ".join(str(file.get("name", "")) for file in content)
    if kind == "unique_id":
        prefix, number = content.get("prefix"), content.get("number")
        return f"{prefix}-{number}" if prefix else str(number if number is not None else "")
    if kind in ("formula", "rollup"):
        return _computed(content)
    if kind == "verification":
        return str(content.get("state", ""))
    # relation (ids only), button and types added later: nothing a reader could use.
    return ""


def user_name(user: Mapping[str, Any]) -> str:
    name = user.get("name")
    if name:
        return str(name)
    person = user.get("person") or {}
    return str(person.get("email", "")) if isinstance(person, Mapping) else ""


def render_schema(properties: Mapping[str, Any]) -> str:
    """A data source's columns, with the options of its select-like columns."""
    lines = []
    for name, schema in properties.items():
        if not isinstance(schema, Mapping):
            continue
        kind = str(schema.get("type", ""))
        options = (schema.get(kind) or {}).get("options") if kind else None
        names = [str(option.get("name", "")) for option in options or () if option.get("name")]
        detail = f"{kind}: {', '.join(names)}" if names else kind
        lines.append(f"- {name} ({detail})")
    return "\n".join(lines)


def data_source_text(
    *, title: str, description: Sequence[Mapping[str, Any]], properties: Mapping[str, Any]
) -> str:
    schema = render_schema(properties)
    parts = [title, plain_text(description).strip(), f"Columns:\n{schema}" if schema else ""]
    return "\n\n".join(part for part in parts if part)


def _number(content: Any) -> str:
    if isinstance(content, float) and content.is_integer():
        return str(int(content))
    return str(content)


def _date_range(content: Mapping[str, Any]) -> str:
    start, end = content.get("start"), content.get("end")
    if not start:
        return ""
    return f"{start} → {end}" if end else str(start)


def _computed(content: Mapping[str, Any]) -> str:
    """A formula or rollup result: a value of one of the simple types, or an array."""
    kind = str(content.get("type", ""))
    result = content.get(kind)
    if result is None:
        return ""
    if kind == "array":
        parts = (render_property_value(item) for item in result if isinstance(item, Mapping))
        return ", ".join(part for part in parts if part)
    if kind == "date":
        return _date_range(result)
    if kind == "boolean":
        return "Yes" if result else "No"
    if kind == "number":
        return _number(result)
    return str(result)
