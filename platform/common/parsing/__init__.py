"""Reading files from outside: formats (what text a file holds), limits (what reading it may
cost) and the sandbox (a limited child process per file). Django-free, so the platform and
the connectors read files the same way."""

from common.parsing.formats import (
    MAX_UPLOAD_BYTES,
    DocumentParseError,
    ParsedDocument,
    check_upload,
    detect_kind,
    file_too_large_error,
    normalise_text,
    parse_document,
)
from common.parsing.limits import ParseLimits, configure, current_limits

__all__ = [
    "MAX_UPLOAD_BYTES",
    "DocumentParseError",
    "ParseLimits",
    "ParsedDocument",
    "check_upload",
    "configure",
    "current_limits",
    "detect_kind",
    "file_too_large_error",
    "normalise_text",
    "parse_document",
]
