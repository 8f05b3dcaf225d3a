"""From a Drive file to text: which files are documents, how each is fetched (Google files
are exported, uploads downloaded) and how the bytes become text.

Parsing is `common.parsing`'s sandbox (Django-free): a file from Drive is read in a limited
child process under the same limits as an upload to the platform, so a hostile file in a
shared drive costs a child process, never the sync worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from common.parsing import DocumentParseError, detect_kind
from common.parsing.sandbox import parse_in_sandbox
from connectors.errors import ItemUnavailable

FOLDER = "application/vnd.google-apps.folder"
GOOGLE_DOC = "application/vnd.google-apps.document"
GOOGLE_SHEET = "application/vnd.google-apps.spreadsheet"
GOOGLE_SLIDES = "application/vnd.google-apps.presentation"
GOOGLE_APPS_PREFIX = "application/vnd.google-apps."

# Export formats to try, best first. Markdown keeps a Doc's headings and lists; Drive added it
# in 2024, so plain text stays as the fallback. Sheets export their first sheet only.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    GOOGLE_DOC: ("text/markdown", "text/plain"),
    GOOGLE_SHEET: ("text/csv",),
    GOOGLE_SLIDES: ("text/plain",),
}
_EXPORT_SUFFIXES = {"text/markdown": ".md", "text/plain": ".txt", "text/csv": ".csv"}
# Media the parser has nothing to read in; skipped silently rather than reported.
_MEDIA_PREFIXES = ("image/", "video/", "audio/")

# Uploads above this are not downloaded (Drive's own export limit is 10 MB).
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


class Unreadable(Exception):
    """The file is a document but its text cannot be had; becomes an ItemFailure."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Extracted:
    text: str
    size_bytes: int


def is_document(file: Mapping[str, Any]) -> bool:
    """Whether the connector reads this file at all. Folders, shortcuts, forms, drawings,
    sites and media are not documents and are skipped without a failure."""
    mime_type = str(file.get("mimeType", ""))
    if mime_type in EXPORT_FORMATS:
        return True
    if mime_type.startswith(GOOGLE_APPS_PREFIX):
        return False
    return not mime_type.startswith(_MEDIA_PREFIXES)


def read_text(
    file: Mapping[str, Any],
    *,
    export: Callable[[str], bytes],
    download: Callable[[], bytes],
) -> Extracted:
    """The file's text. `export(mime_type)` and `download()` make the requests (and raise
    ItemUnavailable for this item); anything else they raise propagates."""
    name = str(file.get("name") or file.get("id"))
    mime_type = str(file.get("mimeType", ""))
    formats = EXPORT_FORMATS.get(mime_type)
    if formats:
        export_type, content = _export_first(formats, export)
        return _parse(name + _EXPORT_SUFFIXES[export_type], content, export_type)

    size = int(file.get("size") or 0)
    if size > MAX_DOWNLOAD_BYTES:
        raise Unreadable(
            "file_too_large",
            f"{name} is {size // (1024 * 1024)} MB; files over "
            f"{MAX_DOWNLOAD_BYTES // (1024 * 1024)} MB are not synced.",
        )
    try:
        detect_kind(name, mime_type)  # before downloading something we cannot read
    except DocumentParseError as error:
        raise Unreadable(error.code, error.message) from error
    try:
        content = download()
    except ItemUnavailable as error:
        raise Unreadable("download_failed", f"{name} could not be downloaded: {error}") from error
    return _parse(name, content, mime_type)


def _export_first(formats: tuple[str, ...], export: Callable[[str], bytes]) -> tuple[str, bytes]:
    first_error: ItemUnavailable | None = None
    for export_type in formats:
        try:
            return export_type, export(export_type)
        except ItemUnavailable as error:
            # Most often "the requested conversion is not supported": try the next format.
            first_error = first_error or error
    raise Unreadable("export_failed", f"Drive could not export this file: {first_error}")


def _parse(filename: str, content: bytes, content_type: str) -> Extracted:
    try:
        parsed = parse_in_sandbox(
            filename=filename,
            content=content,
            content_type=content_type,
            max_bytes=MAX_DOWNLOAD_BYTES,
        )
    except DocumentParseError as error:
        raise Unreadable(error.code, error.message) from error
    return Extracted(text=parsed.text, size_bytes=len(content))
