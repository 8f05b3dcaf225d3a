"""Notion blocks and rich text as Markdown-like text.

The ingestion pipeline chunks on structure, so headings, lists, code and tables keep their
Markdown shape. Blocks that carry nothing readable (table of contents, breadcrumbs, blocks
the API reports as `unsupported`) are left out; an unknown type that has rich text keeps it.
Child pages and child databases are separate documents: they appear as one reference line.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

INDENT = "  "

LIST_ITEM_TYPES = frozenset({"bulleted_list_item", "numbered_list_item", "to_do", "toggle"})
# Blocks whose children the API returns but which are documents of their own.
SEPARATE_DOCUMENT_TYPES = frozenset({"child_page", "child_database"})
# Layout containers: their children read as if they stood in the container's place.
TRANSPARENT_TYPES = frozenset({"column_list", "column", "synced_block", "template"})
SILENT_TYPES = frozenset({"table_of_contents", "breadcrumb", "unsupported", "link_to_page"})
MEDIA_TYPES = {
    "image": "Image",
    "video": "Video",
    "audio": "Audio",
    "file": "File",
    "pdf": "PDF",
}
LINK_TYPES = frozenset({"bookmark", "embed", "link_preview"})


@dataclass
class BlockNode:
    """One block with the children the connector read for it (an empty list when none)."""

    block: Mapping[str, Any]
    children: list[BlockNode] = field(default_factory=list)

    @property
    def type(self) -> str:
        return str(self.block.get("type", ""))

    @property
    def payload(self) -> Mapping[str, Any]:
        value = self.block.get(self.type)
        return value if isinstance(value, Mapping) else {}


def plain_text(rich_text: Sequence[Mapping[str, Any]] | None) -> str:
    """The characters of a rich text array, without links or formatting."""
    return "".join(str(item.get("plain_text", "")) for item in rich_text or ())


def render_rich_text(rich_text: Sequence[Mapping[str, Any]] | None) -> str:
    """Rich text with links kept as [text](url) and inline code in backticks."""
    parts: list[str] = []
    for item in rich_text or ():
        text = str(item.get("plain_text", ""))
        if not text:
            continue
        annotations = item.get("annotations") or {}
        if annotations.get("code"):
            text = f"`{text}`"
        href = item.get("href")
        if href and text.strip() and text != href:
            text = f"[{text}]({href})"
        parts.append(text)
    return "".join(parts)


def render_blocks(nodes: Sequence[BlockNode]) -> str:
    """Sibling blocks as text: list items one per line, other blocks separated by a blank."""
    rendered: list[tuple[str, bool]] = []
    number = 0
    for node in nodes:
        number = number + 1 if node.type == "numbered_list_item" else 0
        text = render_block(node, number=number)
        if text.strip():
            rendered.append((text, node.type in LIST_ITEM_TYPES))
    output = ""
    previous_is_list_item = False
    for index, (text, is_list_item) in enumerate(rendered):
        if index:
            output += "\n" if is_list_item and previous_is_list_item else "\n\n"
        output += text
        previous_is_list_item = is_list_item
    return output


def render_block(node: BlockNode, *, number: int = 1) -> str:
    kind = node.type
    payload = node.payload
    text = render_rich_text(payload.get("rich_text"))
    children = render_blocks(node.children)

    if kind in SEPARATE_DOCUMENT_TYPES:
        label = "Page" if kind == "child_page" else "Database"
        title = str(payload.get("title", "")).strip()
        return f"{label}: {title}" if title else ""
    if kind in TRANSPARENT_TYPES or kind in SILENT_TYPES:
        # An unsupported block may still hold readable children; keep those.
        return children if kind != "table_of_contents" else ""
    if kind.startswith("heading_") and kind[-1].isdigit():
        heading = f"{'#' * int(kind[-1])} {text}" if text else ""
        return _join_blank(heading, children)  # a toggleable heading's children follow it
    if kind == "bulleted_list_item":
        return _with_nested(f"- {text}", children)
    if kind == "numbered_list_item":
        return _with_nested(f"{number}. {text}", children)
    if kind == "to_do":
        mark = "x" if payload.get("checked") else " "
        return _with_nested(f"- [{mark}] {text}", children)
    if kind == "toggle":
        return _with_nested(text, children)
    if kind == "quote":
        return _quoted(_join_blank(text, children))
    if kind == "callout":
        icon = payload.get("icon") or {}
        emoji = icon.get("emoji", "") if isinstance(icon, Mapping) else ""
        first = f"{emoji} {text}".strip()
        return _quoted(_join_blank(first, children))
    if kind == "code":
        language = str(payload.get("language") or "").replace("plain text", "").strip()
        caption = render_rich_text(payload.get("caption"))
        fence = f"```{language}\n{plain_text(payload.get('rich_text'))}\n```"
        return _join_blank(fence, caption)
    if kind == "equation":
        expression = str(payload.get("expression", "")).strip()
        return f"$$ {expression} $$" if expression else ""
    if kind == "divider":
        return "---"
    if kind == "table":
        return render_table(node)
    if kind in LINK_TYPES:
        return _render_link(payload)
    if kind in MEDIA_TYPES:
        return _render_media(MEDIA_TYPES[kind], payload)
    # paragraph, and any type this module does not know that still carries rich text
    return _with_nested(text, children)


def render_table(node: BlockNode) -> str:
    rows = [
        [_table_cell(cell) for cell in child.payload.get("cells", ())]
        for child in node.children
        if child.type == "table_row"
    ]
    if not rows:
        return ""
    width = max(int(node.payload.get("table_width") or 0), *(len(row) for row in rows))
    rows = [row + [""] * (width - len(row)) for row in rows]
    if node.payload.get("has_column_header"):
        header, body = rows[0], rows[1:]
    else:
        header, body = [""] * width, rows
    lines = [_table_line(header), _table_line(["---"] * width)]
    lines.extend(_table_line(row) for row in body)
    return "\n".join(lines)


def _table_cell(cell: Sequence[Mapping[str, Any]]) -> str:
    return render_rich_text(cell).replace("|", "\\|").replace("\n", " ").strip()


def _table_line(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _render_link(payload: Mapping[str, Any]) -> str:
    url = str(payload.get("url") or "")
    caption = render_rich_text(payload.get("caption"))
    if not url:
        return caption
    return f"[{caption or url}]({url})"


def _render_media(label: str, payload: Mapping[str, Any]) -> str:
    caption = render_rich_text(payload.get("caption"))
    name = str(payload.get("name") or "")
    description = caption or name
    # Files Notion hosts come with signed URLs that expire within the hour: not worth keeping.
    external = payload.get("external") if payload.get("type") == "external" else None
    url = str(external.get("url", "")) if isinstance(external, Mapping) else ""
    if url:
        return f"[{label}: {description or url}]({url})"
    return f"{label}: {description}" if description else ""


def _with_nested(first: str, children: str) -> str:
    if not children:
        return first
    nested = textwrap.indent(children, INDENT)
    return f"{first}\n{nested}" if first.strip() else nested


def _join_blank(first: str, second: str) -> str:
    return "\n\n".join(part for part in (first, second) if part)


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.split("\n"))
