"""The limits a file is read under, in one value that travels to the sandboxed child.

Django-free so connectors may use it. The platform sets the process-wide limits from its
settings at start-up (`common.apps`); everything else reads `current_limits()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class ParseLimits:
    # The child process: address space, processor time, and the parent's wall clock.
    memory_mb: int = 1024
    cpu_seconds: int = 60
    wall_seconds: int = 120
    # Office files are zips: what they may expand to, how densely, and how many parts.
    max_unpacked_bytes: int = 200 * MB
    max_compression_ratio: int = 100
    max_zip_entries: int = 10_000
    # Archives inside the zip (embedded workbooks of charts are legitimate, zips of zips not).
    max_zip_depth: int = 2
    max_pdf_pages: int = 2000
    # HTML and Markdown nesting the renderer follows; deeper documents are refused.
    max_nesting_depth: int = 200
    # Extracted text beyond this is cut off, with a note saying so.
    max_characters: int = 5_000_000

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> ParseLimits:
        known = {name: int(value) for name, value in values.items() if name in cls.__annotations__}
        return cls(**known)

    def with_changes(self, **changes: int) -> ParseLimits:
        return replace(self, **changes)


_current = ParseLimits()


def configure(limits: ParseLimits) -> None:
    """Set the limits every later parse in this process uses (called once at start-up)."""
    global _current
    _current = limits


def current_limits() -> ParseLimits:
    return _current


def format_size(size: int) -> str:
    if size >= MB:
        return f"{size / MB:.1f} MB".replace(".0 MB", " MB")
    if size >= 1024:
        return f"{size / 1024:.1f} KB".replace(".0 KB", " KB")
    return f"{size} bytes"
