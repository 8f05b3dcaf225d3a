"""/healthz: the database, Redis and a Celery worker ping, each with its own status.

The HTTP status follows what the web process itself needs (database and Redis), so a load
balancer does not take web replicas out because workers are briefly away.
"""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse

WORKER_PING_TIMEOUT_SECONDS = 1.0


def _timed(check: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        detail = check()
        result: dict[str, Any] = {"ok": True, **(detail or {})}
    except Exception as error:  # noqa: BLE001 - a health check reports every failure
        result = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _check_database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    return {"pgvector": row[0] if row else None}


def _check_redis() -> None:
    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1).ping()


def _check_worker() -> dict[str, Any]:
    # The Celery app the composition root (config.celery) made current: health sits below it
    # and does not import it.
    from celery import current_app

    replies = current_app.control.ping(timeout=WORKER_PING_TIMEOUT_SECONDS) or []
    if not replies:
        raise RuntimeError("no Celery worker answered; start one (see README, 'Run')")
    return {"workers": sorted(name for reply in replies for name in reply)}


def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": _timed(_check_database),
        "redis": _timed(_check_redis),
        "worker": _timed(_check_worker),
    }
    serving = checks["database"]["ok"] and checks["redis"]["ok"]
    status = "ok" if all(c["ok"] for c in checks.values()) else "degraded" if serving else "down"
    return JsonResponse({"status": status, "checks": checks}, status=200 if serving else 503)
