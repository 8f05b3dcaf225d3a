"""Every limit the instance enforces, in words, with the setting behind it and what a refused
caller gets, for the admin console's Limits page (so an admin can say why a request failed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from common.body_limit import upload_limit_bytes

# Limits fixed in code rather than read from the environment (accounts.services reads these).
FIXED = "fixed (not configurable)"


@dataclass(frozen=True)
class LimitEntry:
    group: str
    name: str
    value: str
    setting: str
    refusal: str


def human_bytes(count: int) -> str:
    """1048576 -> "1 MiB"; a size that is not a whole unit keeps its exact byte count too."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if count >= size:
            whole = count / size
            if count % size == 0:
                return f"{count // size} {unit}"
            return f"{whole:.1f} {unit} ({count:,} bytes)"
    return f"{count:,} bytes"


def human_seconds(seconds: float) -> str:
    """900 -> "15 minutes"; 3600 -> "1 hour"; 45 -> "45 seconds"."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    shown = int(seconds) if float(seconds).is_integer() else seconds
    return f"{shown} second{'' if shown == 1 else 's'}"


def _per_minute(count: int, who: str) -> str:
    return f"{count} per minute {who}"


def instance_limits() -> list[LimitEntry]:
    """Read from django.conf.settings each time, so the page shows what this process enforces."""
    s = settings
    per_person = "per person and per API token"
    rate_limited = "429 rate_limited, with Retry-After"
    allowed_hosts = list(s.OUTBOUND_ALLOWED_HOSTS)
    return [
        # Requests: common.body_limit (ASGI) and Django's DATA_UPLOAD_* limits.
        LimitEntry(
            "Requests",
            "Request body, every route but uploads (webhooks included)",
            human_bytes(s.MAX_REQUEST_BYTES),
            "MAX_REQUEST_BYTES",
            "413 request_too_large",
        ),
        LimitEntry(
            "Requests",
            "Upload request body (files per upload × file size + 1 MiB)",
            human_bytes(upload_limit_bytes()),
            "MAX_UPLOAD_FILES, MAX_UPLOAD_BYTES",
            "413 request_too_large",
        ),
        LimitEntry(
            "Requests",
            "Form fields or query parameters in one request",
            str(s.DATA_UPLOAD_MAX_NUMBER_FIELDS),  # MAX_REQUEST_FIELDS in settings.py
            "MAX_REQUEST_FIELDS",
            "400 too_many_fields",
        ),
        # Rate limits: api.route_limits and accounts.services, counted in Redis.
        LimitEntry(
            "Rate limits",
            "Questions to agents",
            _per_minute(s.RATE_LIMIT_ANSWERS_PER_MINUTE, per_person),
            "RATE_LIMIT_ANSWERS_PER_MINUTE",
            rate_limited,
        ),
        LimitEntry(
            "Rate limits",
            "Uploads",
            _per_minute(s.RATE_LIMIT_UPLOADS_PER_MINUTE, per_person),
            "RATE_LIMIT_UPLOADS_PER_MINUTE",
            rate_limited,
        ),
        LimitEntry(
            "Rate limits",
            "Searches",
            _per_minute(s.RATE_LIMIT_SEARCHES_PER_MINUTE, per_person),
            "RATE_LIMIT_SEARCHES_PER_MINUTE",
            rate_limited,
        ),
        LimitEntry(
            "Rate limits",
            "Login attempts, right or wrong",
            _per_minute(s.RATE_LIMIT_LOGINS_PER_MINUTE, "per client address"),
            "RATE_LIMIT_LOGINS_PER_MINUTE",
            rate_limited,
        ),
        LimitEntry(
            "Rate limits",
            "Failed logins for one email from one address",
            f"{s.LOGIN_FAILURES_PER_EMAIL} per window",
            "LOGIN_FAILURES_PER_EMAIL",
            "429 too_many_login_attempts, with Retry-After (the password is not checked)",
        ),
        LimitEntry(
            "Rate limits",
            "Failed logins from one address, over all emails",
            f"{s.LOGIN_FAILURES_PER_IP} per window",
            "LOGIN_FAILURES_PER_IP",
            "429 too_many_login_attempts, with Retry-After",
        ),
        LimitEntry(
            "Rate limits",
            "Window of the failed-login limits",
            human_seconds(s.LOGIN_FAILURE_WINDOW_SECONDS),
            "LOGIN_FAILURE_WINDOW_SECONDS",
            "the failed-login counts start again after it",
        ),
        LimitEntry(
            "Rate limits",
            "Password reset requests",
            f"{s.PASSWORD_RESETS_PER_EMAIL} per email and {s.PASSWORD_RESETS_PER_IP} per "
            f"client address per {human_seconds(s.PASSWORD_RESET_WINDOW_SECONDS)}",
            FIXED,
            "429 too_many_password_resets, with Retry-After",
        ),
        # Files: the upload handler (knowledge.uploads) and the parse sandbox (common.parsing).
        LimitEntry(
            "Files",
            "Files in one upload",
            str(s.MAX_UPLOAD_FILES),
            "MAX_UPLOAD_FILES",
            "413 too_many_files",
        ),
        LimitEntry(
            "Files",
            "Size of one uploaded file",
            human_bytes(s.MAX_UPLOAD_BYTES),
            "MAX_UPLOAD_BYTES",
            "that file is reported failed: file_too_large",
        ),
        LimitEntry(
            "Files",
            "Files attached to one conversation",
            str(s.MAX_ATTACHMENTS_PER_CONVERSATION),
            "MAX_ATTACHMENTS_PER_CONVERSATION",
            "400 too_many_attachments (an attached file past the size limit: 413 file_too_large)",
        ),
        LimitEntry(
            "Files",
            "Memory of the process that reads one file",
            human_bytes(s.PARSE_MEMORY_MB * 1024 * 1024),
            "PARSE_MEMORY_MB",
            "the file fails: needs_too_much_memory",
        ),
        LimitEntry(
            "Files",
            "Processor time to read one file",
            human_seconds(s.PARSE_CPU_SECONDS),
            "PARSE_CPU_SECONDS",
            "the file fails: took_too_long",
        ),
        LimitEntry(
            "Files",
            "Wall-clock time to read one file",
            human_seconds(s.PARSE_WALL_SECONDS),
            "PARSE_WALL_SECONDS",
            "the file fails: took_too_long",
        ),
        LimitEntry(
            "Files",
            "Unpacked size of an Office file",
            human_bytes(s.PARSE_MAX_UNPACKED_BYTES),
            "PARSE_MAX_UNPACKED_BYTES",
            "the file fails: unpacked_too_large",
        ),
        LimitEntry(
            "Files",
            "Compression ratio of an Office file (or a part of it over 1 MiB)",
            f"{s.PARSE_MAX_COMPRESSION_RATIO}×",
            "PARSE_MAX_COMPRESSION_RATIO",
            "the file fails: compression_ratio_too_high",
        ),
        LimitEntry(
            "Files",
            "Parts in an Office file",
            f"{s.PARSE_MAX_ZIP_ENTRIES:,}",
            "PARSE_MAX_ZIP_ENTRIES",
            "the file fails: too_many_parts",
        ),
        LimitEntry(
            "Files",
            "Pages in a PDF",
            f"{s.PARSE_MAX_PDF_PAGES:,}",
            "PARSE_MAX_PDF_PAGES",
            "the file fails: too_many_pages",
        ),
        LimitEntry(
            "Files",
            "Characters of text kept from one file",
            f"{s.PARSE_MAX_CHARACTERS:,}",
            "PARSE_MAX_CHARACTERS",
            "not refused: the rest is cut off, with a note at the end",
        ),
        # Outbound: common.outbound, for every URL a person typed or a source returned.
        LimitEntry(
            "Outbound",
            "Internal or plain-http hosts that may be reached",
            ", ".join(allowed_hosts) if allowed_hosts else "none",
            "OUTBOUND_ALLOWED_HOSTS",
            "a base URL is refused with 422 base_url_refused; a sync or answer fails with "
            "outbound_refused",
        ),
        LimitEntry(
            "Outbound",
            "Time one outbound request may take, answer included",
            human_seconds(s.OUTBOUND_TIMEOUT_SECONDS),
            "OUTBOUND_TIMEOUT_SECONDS",
            "the request fails: response_too_slow",
        ),
        LimitEntry(
            "Outbound",
            "Size of one outbound answer",
            human_bytes(s.OUTBOUND_MAX_RESPONSE_BYTES),
            "OUTBOUND_MAX_RESPONSE_BYTES",
            "the answer is cut off and the request fails: response_too_large",
        ),
        # Accounts: invitations, password reset, workspace creation.
        LimitEntry(
            "Accounts",
            "How long an invitation link works",
            human_seconds(s.INVITATION_TTL_HOURS * 3600),
            "INVITATION_TTL_HOURS",
            "410 invitation_invalid (an admin can issue a fresh link)",
        ),
        LimitEntry(
            "Accounts",
            "How long a password reset link works",
            human_seconds(s.PASSWORD_RESET_TIMEOUT),
            "PASSWORD_RESET_TIMEOUT_SECONDS",
            "410 reset_link_invalid",
        ),
        LimitEntry(
            "Accounts",
            "Who may create workspaces",
            "instance operators only"
            if s.WORKSPACE_CREATION == "operators"
            else "anyone logged in",
            "WORKSPACE_CREATION",
            "403 workspace_creation_restricted",
        ),
    ]
