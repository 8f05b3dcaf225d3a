"""The platform's processes: the stdlib `platform` module, a real Celery worker, /healthz."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from config.celery import app
from tests.processes import REPOSITORY_ROOT, celery_worker, child_environment


def test_stdlib_platform_is_not_shadowed_under_pytest() -> None:
    import platform

    assert platform.system() in {"Linux", "Darwin", "Windows"}
    assert not hasattr(platform, "__path__"), "platform/ must stay a source folder, not a package"


@pytest.mark.django_db
def test_stdlib_platform_is_not_shadowed_under_manage_py() -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", "import platform; print(platform.system())"],
        cwd=REPOSITORY_ROOT,
        env=child_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] in {"Linux", "Darwin", "Windows"}


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_starts_and_reports_the_stdlib_platform() -> None:
    with celery_worker() as worker:
        replies = app.control.inspect(timeout=5).report() or {}
        assert replies, "the worker did not answer inspect().report()"
        report = next(iter(replies.values()))["ok"]
        # Celery builds this report with the stdlib platform module (platform.system() etc.).
        import platform

        assert f"platform -> system:{platform.system()}" in report
        assert worker.poll() is None


@pytest.mark.django_db(transaction=True)
def test_healthz_is_green_with_a_worker_and_says_what_is_missing_without(db: Any) -> None:
    client = Client()
    without = client.get("/healthz")
    assert without.status_code == 200  # web can serve; workers are reported, not required
    body = without.json()
    assert body["checks"]["database"]["ok"] and body["checks"]["redis"]["ok"]
    assert body["checks"]["database"]["pgvector"].startswith("0.8")
    assert body["status"] == "degraded"
    assert "no Celery worker answered" in body["checks"]["worker"]["error"]

    with celery_worker():
        green = client.get("/healthz").json()
    assert green["status"] == "ok", green
    assert green["checks"]["worker"]["workers"]
