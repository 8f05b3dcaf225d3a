"""GET /api/v1/limits: the request limits a client must respect, for the upload dialog."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router, Schema

# The parser's own table of extensions, so the dialog never offers a type it would refuse.
from common.parsing.formats import EXTENSION_KINDS

router = Router(tags=["limits"])


class LimitsOut(Schema):
    max_upload_bytes: int
    max_upload_files: int
    max_request_bytes: int
    accepted_extensions: list[str]


@router.get("/limits", response=LimitsOut)
def limits(request: HttpRequest) -> LimitsOut:
    """Any logged-in caller: the per-file and per-upload limits, the body limit of every other
    route, and the file extensions uploads accept."""
    return LimitsOut(
        max_upload_bytes=settings.MAX_UPLOAD_BYTES,
        max_upload_files=settings.MAX_UPLOAD_FILES,
        max_request_bytes=settings.MAX_REQUEST_BYTES,
        accepted_extensions=list(EXTENSION_KINDS),
    )
