"""Command 1's launcher, for real: embedded Postgres and Redis, migrate, demo workspace, web,
worker and beat; Ctrl-C stops everything; a second run keeps the data."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.processes import REPOSITORY_ROOT

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_platform(data_dir: Path, port: int, log_path: Path) -> subprocess.Popen[bytes]:
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


def test_command_one_runs_the_platform_and_keeps_data_across_restarts(tmp_path: Path) -> None:
    data_dir = Path("/tmp") / f"platform-up-{os.getpid()}"  # short: unix socket path limit
    log = tmp_path / "up.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    try:
        process = start_platform(data_dir, port, log)
        health = wait_until_healthy(base_url, process, log)
        assert health["checks"]["database"]["pgvector"].startswith("0.8")
        assert "admin@demo.local" in log.read_text()

        with httpx.Client(base_url=base_url) as browser:
            csrf = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
            login = browser.post(
                "/api/v1/auth/login",
                json={"email": "admin@demo.local", "password": "demo-password"},
                headers={"X-CSRFToken": csrf},
            )
            assert login.status_code == 200, login.text
            workspace_id = login.json()["workspaces"][0]["workspace_id"]
            csrf = browser.cookies["csrftoken"]
            made = browser.post(
                f"/api/v1/workspaces/{workspace_id}/groups",
                json={"name": "Made before restart"},
                headers={"X-CSRFToken": csrf},
            )
            assert made.status_code == 201, made.text
            assert browser.get("/").status_code == 200
        stop_with_ctrl_c(process, log)
        assert not (data_dir / "postgres" / "postmaster.pid").exists(), "postgres still running"
        assert not (data_dir / "redis" / "redis.sock").exists(), "redis still running"

        process = start_platform(data_dir, port, log)
        wait_until_healthy(base_url, process, log)
        with httpx.Client(base_url=base_url) as browser:
            csrf = browser.get("/api/v1/auth/csrf").json()["csrf_token"]
            browser.post(
                "/api/v1/auth/login",
                json={"email": "admin@demo.local", "password": "demo-password"},
                headers={"X-CSRFToken": csrf},
            )
            groups = browser.get(f"/api/v1/workspaces/{workspace_id}/groups").json()
            assert [g["name"] for g in groups] == ["Made before restart"]
        stop_with_ctrl_c(process, log)
    finally:
        from config import embedded

        embedded.remove_data(data_dir)
