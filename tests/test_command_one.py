"""Command 1's launcher, for real: embedded Postgres and Redis, migrate, demo workspace, web,
worker and beat; Ctrl-C stops everything; a second run keeps the data."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.processes import free_port, start_platform, stop_with_ctrl_c, wait_until_healthy

pytestmark = pytest.mark.slow


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
        from common import embedded

        embedded.remove_data(data_dir)
