"""Production security settings: headers on every answer, HTTPS settings from the environment,
and the built web app rendering under the Content-Security-Policy in a real browser."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from common.security import build_policy
from tests.factories import PASSWORD, ApiClient, Tenant
from tests.processes import child_environment

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def test_pages_and_api_answers_carry_the_security_headers(db: None, settings: Any) -> None:
    for path in ["/", "/api/v1/me", "/healthz"]:
        response = Client().get(path)
        assert response["Content-Security-Policy"] == build_policy(settings.SECURE_CSP), path
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = build_policy(settings.SECURE_CSP)
    assert "script-src 'self';" in policy  # no inline or eval'd script
    assert "frame-ancestors 'none'" in policy


def test_the_session_cookie_is_http_only(tenant: Tenant) -> None:
    client = Client()
    response = ApiClient(client).post(
        "auth/login", {"email": "member@acme.test", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert client.cookies["sessionid"]["httponly"] is True
    # The web app reads the CSRF cookie to send it back in X-CSRFToken.
    assert not client.cookies["csrftoken"]["httponly"]


def settings_under(environment: dict[str, str], tmp_path: Path) -> dict[str, Any]:
    """The security settings a fresh process computes from this environment."""
    script = """
import json
from django.conf import settings
import django
django.setup()
print(json.dumps({name: getattr(settings, name, None) for name in [
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SECURE_CROSS_ORIGIN_OPENER_POLICY", "SECURE_REDIRECT_EXEMPT",
]}))
"""
    base = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": f"{REPOSITORY_ROOT / 'platform'}{os.pathsep}{REPOSITORY_ROOT}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATA_DIR": str(tmp_path),
        # Set, so the settings start no embedded servers; nothing connects to them.
        "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=base | environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=REPOSITORY_ROOT,
    )
    values: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return values


def test_the_embedded_localhost_mode_keeps_https_settings_off(tmp_path: Path) -> None:
    values = settings_under({}, tmp_path)
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["SESSION_COOKIE_SECURE"] is False
    # These hold in every mode.
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"


def test_https_settings_follow_the_environment(tmp_path: Path) -> None:
    production = {
        "SECURE_COOKIES": "true",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_HSTS_SECONDS": "31536000",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    }
    values = settings_under(production, tmp_path)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]

    # Only over HTTPS: redirect and HSTS stay off with DEBUG, or without SECURE_COOKIES.
    for off in ({"DEBUG": "true"}, {"SECURE_COOKIES": "false"}):
        values = settings_under(production | off, tmp_path)
        assert values["SECURE_SSL_REDIRECT"] is False, off
        assert values["SECURE_HSTS_SECONDS"] == 0, off

    other_header = settings_under(production | {"PROXY_SSL_HEADER": "X-Scheme"}, tmp_path)
    assert other_header["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_SCHEME", "https"]
    untrusted = settings_under(production | {"PROXY_SSL_HEADER": "none"}, tmp_path)
    assert untrusted["SECURE_PROXY_SSL_HEADER"] is None


def test_behind_the_proxy_http_redirects_and_https_gets_hsts(db: None, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    redirected = client.get("/data")
    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/data"
    # Health probes call over plain HTTP inside the network.
    assert client.get("/healthz").status_code in {200, 503}
    secure = client.get("/data", headers={"X-Forwarded-Proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600"


def test_static_files_serve_the_api_docs_assets(db: None) -> None:
    client = Client()
    css = client.get("/static/ninja/swagger-ui.css")
    assert css.status_code == 200
    assert css["Content-Type"].startswith("text/css")
    assert client.get("/static/ninja/missing.js").status_code == 404
    assert client.get("/static/../config/settings.py").status_code in {400, 404}
    docs = client.get("/api/v1/docs")
    assert b'src="/static/ninja/swagger-ui-bundle.js"' in docs.content


def inline_scripts(html: str) -> list[str]:
    """<script> elements with a body and no src: what script-src 'self' would block."""
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.DOTALL | re.I)
    return [
        body
        for attributes, body in scripts
        if "src=" not in attributes and "application/json" not in attributes and body.strip()
    ]


def test_the_web_app_has_no_inline_scripts() -> None:
    """Vite turns the source page's module script into an external one; checked on the
    source always, and on the build when there is one."""
    pages = [REPOSITORY_ROOT / "frontend" / "index.html"]
    built = REPOSITORY_ROOT / "frontend" / "dist" / "index.html"
    if built.exists():
        pages.append(built)
    for page in pages:
        html = page.read_text()
        assert "<script" in html
        assert not inline_scripts(html), page


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _browser_check_missing() -> str | None:
    if not (REPOSITORY_ROOT / "frontend" / "dist" / "index.html").exists():
        return "frontend/dist is not built (npm --prefix frontend run build)"
    if not (REPOSITORY_ROOT / "frontend" / "node_modules" / "playwright-core").exists():
        return "frontend/node_modules has no playwright-core (npm --prefix frontend ci)"
    if not shutil.which("node"):
        return "node is not installed"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM)"
    return None


@pytest.fixture
def live_web(transactional_db: None, settings: Any) -> Iterator[str]:
    """uvicorn serving config.asgi on the test database, with the demo workspace."""
    from workspaces.demo import create_demo_workspace

    # Hashed the way the server process (production settings) checks passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    create_demo_workspace(password="demo-password")
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-access-log",
        ],
        env=child_environment(),
        cwd=REPOSITORY_ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                # The first request loads the URL conf and every app's routes: give it time.
                urllib.request.urlopen(f"{base}/api/v1/auth/csrf", timeout=15)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not start") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def browser_tools() -> None:
    # The test command builds the web app and installs Chromium, so a gap is a broken setup,
    # not a reason to pass quietly.
    missing = _browser_check_missing()
    if missing:
        pytest.fail(f"the browser check cannot run: {missing}")


@pytest.mark.slow
def test_the_app_renders_under_the_policy_in_chromium(browser_tools: None, live_web: str) -> None:
    base = live_web
    result = subprocess.run(
        ["node", str(REPOSITORY_ROOT / "tests" / "deploy" / "csp_check.mjs")],
        env={**os.environ, "BASE_URL": base, "CHROMIUM": CHROMIUM},
        capture_output=True,
        text=True,
        check=False,
        cwd=REPOSITORY_ROOT,
        timeout=180,
    )
    assert result.stdout.strip(), result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["policy"], report
    assert not report["problems"], report
    assert "/api/v1/docs" in report["visited"] and len(report["visited"]) >= 4, report
    assert result.returncode == 0, result.stderr
