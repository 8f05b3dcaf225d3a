"""Start real platform processes (a Celery worker, `manage.py up`) for tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from django.conf import settings
from django.db import connection

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """The URL of the database pytest-django created, for child processes."""
    db = connection.settings_dict
    host = quote(str(db["HOST"]), safe="")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgresql://{db['USER']}{password}@{host}{port}/{db['NAME']}"


def child_environment(**overrides: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPOSITORY_ROOT / "platform"), str(REPOSITORY_ROOT)]),
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": settings.REDIS_URL,
    }
    env.update(overrides)
    return env


@contextmanager
def celery_worker(
    queues: str = "default,sync,embed,agent", name: str = "test", **environment: str
) -> Iterator[subprocess.Popen[bytes]]:
    """A real worker process on the test database and the test Redis."""
    from config.celery import app

    node = f"{name}-{os.getpid()}@localhost"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queues,
            "--pool",
            "solo",
            "-n",
            node,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
        ],
        env=child_environment(**environment),
        cwd=REPOSITORY_ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the worker exited with code {process.returncode}")
            if app.control.ping(destination=[node], timeout=0.5):
                break
        else:
            raise TimeoutError("the Celery worker did not answer a ping within 60 s")
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_platform(
    data_dir: Path, port: int, log_path: Path, extra_env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """`manage.py up` (command 1) as a user runs it: its own embedded Postgres and Redis under
    `data_dir`, the demo workspace (password demo-password), web on `port`; `extra_env` is the
    operator's configuration on top (for example the settings that point at a fake)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DATA_DIR=str(data_dir),
        PORT=str(port),
        DEMO_PASSWORD="demo-password",
        PYTHONPATH=os.pathsep.join([str(REPOSITORY_ROOT / "platform"), str(REPOSITORY_ROOT)]),
        WORKER_CONCURRENCY="1",
    )
    env.update(extra_env or {})
    log = log_path.open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "up"],
        cwd=REPOSITORY_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> dict:
    deadline = time.monotonic() + 180
    last: object = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"manage.py up exited early:\n{log.read_text()[-4000:]}")
        try:
            last = httpx.get(f"{base_url}/healthz", timeout=5).json()
            if isinstance(last, dict) and last.get("status") == "ok":
                return last
        except httpx.HTTPError as error:
            last = error
        time.sleep(1)
    pytest.fail(f"never healthy; last answer {last!r}\n{log.read_text()[-4000:]}")


def stop_with_ctrl_c(process: subprocess.Popen[bytes], log: Path) -> None:
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C
    try:
        assert process.wait(timeout=60) == 0, log.read_text()[-4000:]
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail(f"manage.py up did not stop on Ctrl-C:\n{log.read_text()[-4000:]}")
