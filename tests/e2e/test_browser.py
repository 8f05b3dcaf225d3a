"""The web app in a real browser against the real platform (`manage.py up`). The flows live in
frontend/e2e/flows/ (playwright-core driving the system Chromium, run by frontend/e2e/run.mjs);
the fakes they run against are started by tests/e2e/environments.py. This test starts the fakes
and the platform, builds the web app when its sources changed, and runs every flow. Screenshots
of the pages land in E2E_ARTIFACTS (default frontend/e2e/artifacts)."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest

from tests.e2e.environments import FAKE_ENVIRONMENTS
from tests.processes import (
    REPOSITORY_ROOT,
    free_port,
    start_platform,
    stop_with_ctrl_c,
    wait_until_healthy,
)

pytestmark = pytest.mark.slow

FRONTEND = REPOSITORY_ROOT / "frontend"
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# What the build reads; a change to any of them makes dist stale.
BUILD_INPUTS = [
    "src",
    "index.html",
    "package-lock.json",
    "vite.config.ts",
    "tsconfig.json",
    "public",
]
FLOWS_TIMEOUT_SECONDS = 420


def _text(output: str | bytes | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else (output or "")


def _newest_mtime(path: Path) -> float:
    if not path.exists():
        return 0.0
    if path.is_file():
        return path.stat().st_mtime
    return max((item.stat().st_mtime for item in path.rglob("*") if item.is_file()), default=0.0)


def ensure_built_frontend() -> None:
    """Build frontend/dist unless it is newer than everything it is built from."""
    if not (FRONTEND / "node_modules" / "playwright-core").is_dir():
        pytest.fail(
            "The web app's dependencies are not installed (frontend/node_modules). Run "
            "scripts/setup, or `npm --prefix frontend ci`, then run the tests again."
        )
    index = FRONTEND / "dist" / "index.html"
    newest_input = max(_newest_mtime(FRONTEND / name) for name in BUILD_INPUTS)
    if index.exists() and index.stat().st_mtime >= newest_input:
        return
    build = subprocess.run(
        ["npm", "run", "--silent", "build"],
        cwd=FRONTEND,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if build.returncode != 0:
        pytest.fail(f"building the web app failed:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}")


def test_browser_flows_against_the_running_platform(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is not installed at {CHROMIUM}; the browser tests need it. Run "
            "scripts/setup (it installs Debian's chromium package), or `sudo apt-get install -y "
            "chromium`, or set CHROMIUM=/path/to/chromium."
        )
    if shutil.which("node") is None:
        pytest.fail("Node.js is not installed; the browser tests need Node 20 or newer.")
    ensure_built_frontend()

    data_dir = Path("/tmp") / f"platform-e2e-{os.getpid()}"  # short: unix socket path limit
    log = tmp_path / "up.log"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    artifacts = Path(os.environ.get("E2E_ARTIFACTS", FRONTEND / "e2e" / "artifacts"))
    fakes = ExitStack()
    fake_env: dict[str, str] = {}
    try:
        for environment in FAKE_ENVIRONMENTS:
            fake_env.update(fakes.enter_context(environment()))
    except BaseException:
        fakes.close()
        raise
    process = start_platform(data_dir, port, log, fake_env)
    try:
        wait_until_healthy(base_url, process, log)
        try:
            flows = subprocess.run(
                ["node", "e2e/run.mjs"],
                cwd=FRONTEND,
                env={
                    **os.environ,
                    "E2E_BASE_URL": base_url,
                    "E2E_ARTIFACTS": str(artifacts),
                    "CHROMIUM": str(CHROMIUM),
                    "E2E_PASSWORD": "demo-password",
                    **fake_env,
                },
                capture_output=True,
                text=True,
                timeout=FLOWS_TIMEOUT_SECONDS,
                check=False,
            )
            returncode, stdout, stderr = flows.returncode, flows.stdout, flows.stderr
        except subprocess.TimeoutExpired as timeout:
            returncode = -1
            stdout = _text(timeout.stdout) + f"\n(stopped after {FLOWS_TIMEOUT_SECONDS} s)"
            stderr = _text(timeout.stderr)
        if returncode != 0:
            pytest.fail(
                f"the browser flows failed (screenshots in {artifacts}):\n"
                f"{stdout[-6000:]}\n{stderr[-6000:]}\n"
                f"--- manage.py up, last lines ---\n{log.read_text()[-3000:]}"
            )
        print(stdout)
    finally:
        try:
            stop_with_ctrl_c(process, log)
        finally:
            fakes.close()
            from common import embedded

            embedded.remove_data(data_dir)
