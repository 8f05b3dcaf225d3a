"""Every setting the platform reads from the environment, with its default, in one place.

The README's configuration table lists the same variables; keep the two in step.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


@dataclass(frozen=True)
class Environment:
    debug: bool
    data_dir: Path
    database_url: str
    redis_url: str
    secret_key: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    host: str
    port: int
    log_level: str
    log_format: str
    secure_cookies: bool
    worker_concurrency: int
    web_concurrency: int
    max_upload_bytes: int
    database_replica_url: str
    secure_ssl_redirect: bool
    secure_hsts_seconds: int
    secure_hsts_include_subdomains: bool
    proxy_ssl_header: str
    login_failures_per_email: int
    login_failures_per_ip: int
    login_failure_window_seconds: int
    sync_lock_seconds: float
    public_url: str
    # Request limits and route rate limits (common.body_limit, api.route_limits).
    max_request_bytes: int
    max_request_fields: int
    max_upload_files: int
    max_attachments_per_conversation: int
    rate_limit_answers_per_minute: int
    rate_limit_uploads_per_minute: int
    rate_limit_searches_per_minute: int
    rate_limit_logins_per_minute: int
    # files: limits of the parse sandbox (common.parsing)
    parse_memory_mb: int
    parse_cpu_seconds: int
    parse_wall_seconds: int
    parse_max_unpacked_bytes: int
    parse_max_compression_ratio: int
    parse_max_zip_entries: int
    parse_max_pdf_pages: int
    parse_max_characters: int
    # identity: invitations, password reset, email, who may create workspaces
    email_url: str
    default_from_email: str
    invitation_ttl_hours: int
    password_reset_timeout_seconds: int
    workspace_creation: str
    # outbound policy (common.outbound)
    outbound_allowed_hosts: list[str]
    outbound_timeout_seconds: float
    outbound_max_response_bytes: int
    # wiring: Celery delivery (config.settings CELERY_TASK_TIME_LIMIT, visibility timeout)
    task_time_limit_seconds: int
    # privacy: data-subject export archives (privacy.exports)
    privacy_export_max_bytes: int


def _secret_key(data_dir: Path) -> str:
    configured = os.environ.get("SECRET_KEY")
    if configured:
        return configured
    # An embedded install keeps a generated key beside its data, so sessions survive restarts
    # without the operator having to invent one.
    key_path = data_dir / "secret_key"
    if not key_path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_path.write_text(secrets.token_urlsafe(50))
        key_path.chmod(0o600)
    return key_path.read_text().strip()


def read_environment() -> Environment:
    data_dir = Path(os.environ.get("DATA_DIR", REPOSITORY_ROOT / ".data")).resolve()
    port = int(os.environ.get("PORT", "8000"))
    host = os.environ.get("HOST", "127.0.0.1")
    return Environment(
        debug=_flag("DEBUG", False),
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL", ""),
        redis_url=os.environ.get("REDIS_URL", ""),
        secret_key=_secret_key(data_dir),
        allowed_hosts=_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver"),
        csrf_trusted_origins=_list(
            "CSRF_TRUSTED_ORIGINS", f"http://localhost:{port},http://127.0.0.1:{port}"
        ),
        host=host,
        port=port,
        log_level=os.environ.get("LOG_LEVEL", "INFO").upper(),
        log_format=os.environ.get("LOG_FORMAT", "text"),
        secure_cookies=_flag("SECURE_COOKIES", False),
        worker_concurrency=int(os.environ.get("WORKER_CONCURRENCY", "2")),
        web_concurrency=int(os.environ.get("WEB_CONCURRENCY", "1")),
        max_upload_bytes=int(os.environ.get("MAX_UPLOAD_BYTES", str(25 * 1024 * 1024))),
        database_replica_url=os.environ.get("DATABASE_REPLICA_URL", ""),
        secure_ssl_redirect=_flag("SECURE_SSL_REDIRECT", False),
        secure_hsts_seconds=int(os.environ.get("SECURE_HSTS_SECONDS", "0")),
        secure_hsts_include_subdomains=_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", False),
        proxy_ssl_header=os.environ.get("PROXY_SSL_HEADER", "X-Forwarded-Proto").strip(),
        login_failures_per_email=int(os.environ.get("LOGIN_FAILURES_PER_EMAIL", "5")),
        login_failures_per_ip=int(os.environ.get("LOGIN_FAILURES_PER_IP", "50")),
        login_failure_window_seconds=int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900")),
        sync_lock_seconds=float(os.environ.get("SYNC_LOCK_SECONDS", "120")),
        public_url=os.environ.get("PUBLIC_URL", f"http://localhost:{port}").rstrip("/"),
        # Request limits and route rate limits.
        max_request_bytes=int(os.environ.get("MAX_REQUEST_BYTES", str(1024 * 1024))),
        max_request_fields=int(os.environ.get("MAX_REQUEST_FIELDS", "200")),
        max_upload_files=int(os.environ.get("MAX_UPLOAD_FILES", "50")),
        max_attachments_per_conversation=int(
            os.environ.get("MAX_ATTACHMENTS_PER_CONVERSATION", "10")
        ),
        rate_limit_answers_per_minute=int(os.environ.get("RATE_LIMIT_ANSWERS_PER_MINUTE", "20")),
        rate_limit_uploads_per_minute=int(os.environ.get("RATE_LIMIT_UPLOADS_PER_MINUTE", "10")),
        rate_limit_searches_per_minute=int(os.environ.get("RATE_LIMIT_SEARCHES_PER_MINUTE", "120")),
        rate_limit_logins_per_minute=int(os.environ.get("RATE_LIMIT_LOGINS_PER_MINUTE", "30")),
        # files: limits of the parse sandbox (common.parsing)
        parse_memory_mb=int(os.environ.get("PARSE_MEMORY_MB", "1024")),
        parse_cpu_seconds=int(os.environ.get("PARSE_CPU_SECONDS", "60")),
        parse_wall_seconds=int(os.environ.get("PARSE_WALL_SECONDS", "120")),
        parse_max_unpacked_bytes=int(
            os.environ.get("PARSE_MAX_UNPACKED_BYTES", str(200 * 1024 * 1024))
        ),
        parse_max_compression_ratio=int(os.environ.get("PARSE_MAX_COMPRESSION_RATIO", "100")),
        parse_max_zip_entries=int(os.environ.get("PARSE_MAX_ZIP_ENTRIES", "10000")),
        parse_max_pdf_pages=int(os.environ.get("PARSE_MAX_PDF_PAGES", "2000")),
        parse_max_characters=int(os.environ.get("PARSE_MAX_CHARACTERS", "5000000")),
        # identity: invitations, password reset, email, who may create workspaces
        email_url=os.environ.get("EMAIL_URL", "").strip(),
        default_from_email=os.environ.get("DEFAULT_FROM_EMAIL", "agents@localhost"),
        invitation_ttl_hours=int(os.environ.get("INVITATION_TTL_HOURS", "168")),
        password_reset_timeout_seconds=int(
            os.environ.get("PASSWORD_RESET_TIMEOUT_SECONDS", "3600")
        ),
        workspace_creation=os.environ.get("WORKSPACE_CREATION", "operators").strip().lower(),
        # outbound policy (common.outbound)
        outbound_allowed_hosts=_list("OUTBOUND_ALLOWED_HOSTS", ""),
        outbound_timeout_seconds=float(os.environ.get("OUTBOUND_TIMEOUT_SECONDS", "30")),
        outbound_max_response_bytes=int(
            os.environ.get("OUTBOUND_MAX_RESPONSE_BYTES", str(64 * 1024 * 1024))
        ),
        # wiring: Celery delivery
        task_time_limit_seconds=int(os.environ.get("TASK_TIME_LIMIT_SECONDS", "3600")),
        # privacy: data-subject export archives
        privacy_export_max_bytes=int(
            os.environ.get("PRIVACY_EXPORT_MAX_BYTES", str(2 * 1024 * 1024 * 1024))
        ),
    )


@dataclass(frozen=True)
class EmailSettings:
    """Django's EMAIL_* settings, from one EMAIL_URL."""

    backend: str
    host: str = ""
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    file_path: str = ""


def parse_email_url(url: str, *, default_file_path: Path) -> EmailSettings:
    """smtp://user:pass@host:587 (STARTTLS), smtps://user:pass@host:465 (TLS from the start),
    file:///path (one file per message), console: (stdout); empty: files under
    default_file_path, so an embedded install keeps its invitation emails where the operator
    can read them."""
    from urllib.parse import unquote, urlsplit

    if not url:
        return EmailSettings(
            backend="django.core.mail.backends.filebased.EmailBackend",
            file_path=str(default_file_path),
        )
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "console":
        return EmailSettings(backend="django.core.mail.backends.console.EmailBackend")
    if scheme == "file":
        return EmailSettings(
            backend="django.core.mail.backends.filebased.EmailBackend",
            file_path=unquote(parts.path) or str(default_file_path),
        )
    if scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ValueError(f"EMAIL_URL '{scheme}://...' names no host")
        return EmailSettings(
            backend="django.core.mail.backends.smtp.EmailBackend",
            host=parts.hostname,
            port=parts.port or (465 if scheme == "smtps" else 587),
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            use_tls=scheme == "smtp",
            use_ssl=scheme == "smtps",
        )
    raise ValueError(
        f"EMAIL_URL has the unknown scheme '{scheme}': use smtp://, smtps://, file:// or console:"
    )
