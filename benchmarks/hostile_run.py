"""`python -m benchmarks hostile-files`: a real web process (uvicorn) and a real worker
(Celery prefork, so the sandbox runs from a daemonic child as in production); each generated
hostile file is uploaded over HTTP on its own, and the run prints how long each took to be
refused or to fail, with its reason, and the web process's peak RSS (VmHWM from /proc) beside
its idle RSS measured in the same run. Goal: the web process stays under 512 MB."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.conf import settings

from knowledge.models import DataSource, Document, DocumentStatus
from tests.hostile_files import HostileFile, good_markdown, suite

MB = 1024 * 1024
GOAL_MB = 512
START_SECONDS = 120
FILE_SECONDS = 300


@dataclass
class _Fixture:
    user_id: int
    workspace_id: int
    data_source_id: int
    token: str


@dataclass
class _Row:
    name: str
    size: int
    seconds: float
    outcome: str
    reason: str
    expected: bool


def _create_fixture() -> _Fixture:
    from accounts.models import User
    from knowledge.services import create_folder
    from workspaces.models import Membership, SpaceKind
    from workspaces.services import create_api_token, create_workspace

    slug = f"hostile-bench-{os.getpid()}-{int(time.time())}"
    user = User.objects.create_user(
        email=f"{slug}@bench.invalid", password=None, full_name="Hostile files benchmark"
    )
    workspace = create_workspace(name="Hostile files benchmark", creator=user, slug=slug)
    admin = Membership.objects.get(workspace=workspace, user=user)
    space = workspace.spaces.get(kind=SpaceKind.COMPANY)
    view = create_folder(actor=admin, space_id=space.id, name="Hostile files")
    _, secret = create_api_token(actor=admin, name="hostile-files benchmark")
    return _Fixture(user.id, workspace.id, view.data_source_id, secret)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


@contextmanager
def _processes(port: int, log_dir: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.DATABASE_URL,
        "REDIS_URL": settings.REDIS_URL,
        "PYTHONPATH": os.pathsep.join(
            [str(settings.BASE_DIR / "platform"), str(settings.BASE_DIR)]
        ),
    }
    node = f"hostile-bench-{os.getpid()}@localhost"
    web_command = [
        sys.executable, "-m", "uvicorn", "config.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", "1", "--no-access-log",
    ]  # fmt: skip
    worker_command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "embed",
        "--concurrency", "1", "-n", node, "--loglevel", "WARNING",
        "--without-gossip", "--without-mingle",
    ]  # fmt: skip
    started: list[subprocess.Popen[bytes]] = []
    try:
        for name, command in (("web", web_command), ("worker", worker_command)):
            log = (log_dir / f"{name}.log").open("ab")
            started.append(
                subprocess.Popen(
                    command,
                    env=env,
                    cwd=settings.BASE_DIR,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        yield started[0], node
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _wait_ready(base_url: str, node: str, web: subprocess.Popen[bytes]) -> None:
    from config.celery import app

    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if web.poll() is not None:
            raise RuntimeError("the web process exited; see its log")
        try:
            web_up = httpx.get(f"{base_url}/healthz", timeout=5).status_code < 500
        except httpx.HTTPError:
            web_up = False
        if web_up and app.control.ping(destination=[node], timeout=1):
            return
        time.sleep(1)
    raise TimeoutError("web or worker not ready within 120 s")


def _upload(client: httpx.Client, url: str, filename: str, content: bytes) -> dict[str, str]:
    response = client.post(url, files={"files": (filename, io.BytesIO(content))})
    response.raise_for_status()
    outcome: dict[str, str] = response.json()["files"][0]
    return outcome


def _settle(document_id: int) -> Document:
    deadline = time.monotonic() + FILE_SECONDS
    while True:
        document = Document.objects.get(id=document_id)
        if document.status != DocumentStatus.PENDING or time.monotonic() > deadline:
            return document
        time.sleep(0.1)


def _measure(client: httpx.Client, url: str, item: HostileFile) -> _Row:
    content = item.build()
    size = len(content)
    started = time.monotonic()
    outcome = _upload(client, url, item.filename, content)
    del content
    if outcome["status"] == "failed":
        code, message = outcome["error_code"], outcome["error_message"]
    else:
        document = _settle(int(outcome["document_id"]))
        code = document.error_code or document.status
        message = document.error_message
    seconds = time.monotonic() - started
    return _Row(item.name, size, seconds, code, message, code in item.expected)


def _sandbox_overhead() -> tuple[float, float]:
    """Milliseconds per file: a fork of the loaded zygote, and a fresh interpreter."""
    from common.parsing import sandbox

    content = good_markdown()
    sandbox.parse_in_sandbox(filename="warm.md", content=content)
    runs = 20
    started = time.monotonic()
    for _ in range(runs):
        sandbox.parse_in_sandbox(filename="policy.md", content=content)
    fork_ms = (time.monotonic() - started) / runs * 1000
    sandbox.shutdown()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-c", "import common.parsing.child as c; c.preload()"],
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
    )
    fresh_ms = (time.monotonic() - started) * 1000
    return fork_ms, fresh_ms


def run_hostile_files_benchmark(*, keep: bool, write: Callable[[str], None]) -> None:
    fixture = _create_fixture()
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    url = (
        f"{base_url}/api/v1/workspaces/{fixture.workspace_id}"
        f"/data-sources/{fixture.data_source_id}/files"
    )
    log_dir = Path(settings.ENV.data_dir) / "benchmark-hostile-files"
    log_dir.mkdir(parents=True, exist_ok=True)
    rows: list[_Row] = []
    try:
        with (
            _processes(port, log_dir) as (web, node),
            httpx.Client(
                headers={"Authorization": f"Bearer {fixture.token}"}, timeout=FILE_SECONDS
            ) as client,
        ):
            _wait_ready(base_url, node, web)
            # Warm: the first upload loads the upload path's modules; idle is measured after.
            warm = _upload(client, url, "warm-up.md", good_markdown())
            _settle(int(warm["document_id"]))
            idle_rss = _status_kb(web.pid, "VmRSS")
            idle_hwm = _status_kb(web.pid, "VmHWM")
            write(
                f"web process idle: RSS {idle_rss / 1024:.0f} MB "
                f"(peak so far {idle_hwm / 1024:.0f} MB)"
            )
            write(f"{'file':30} {'size':>9} {'seconds':>8}  outcome / reason")
            for item in suite():
                row = _measure(client, url, item)
                rows.append(row)
                mark = "" if row.expected else "  <-- UNEXPECTED"
                write(
                    f"{row.name:30} {row.size / MB:7.1f}MB {row.seconds:8.2f}  "
                    f"{row.outcome}: {row.reason[:90]}{mark}"
                )
            last = _upload(client, url, "after.md", good_markdown())
            after = _settle(int(last["document_id"]))
            peak = _status_kb(web.pid, "VmHWM")
            write(f"a good file after them all: {after.status}")
            write(
                f"web process peak RSS over the run (VmHWM): {peak / 1024:.0f} MB; idle "
                f"{idle_rss / 1024:.0f} MB; goal < {GOAL_MB} MB: "
                f"{'met' if peak / 1024 < GOAL_MB else 'NOT met'}"
            )
        fork_ms, fresh_ms = _sandbox_overhead()
        write(
            f"sandbox overhead per file: {fork_ms:.0f} ms (fork of the loaded zygote) vs "
            f"{fresh_ms:.0f} ms (a fresh interpreter importing the parsers)"
        )
        unexpected = [row.name for row in rows if not row.expected]
        write(f"unexpected outcomes: {', '.join(unexpected) if unexpected else 'none'}")
    finally:
        if not keep:
            DataSource.objects.filter(id=fixture.data_source_id).delete()
            from accounts.models import User
            from workspaces.models import Workspace

            Workspace.objects.filter(id=fixture.workspace_id).delete()
            User.objects.filter(id=fixture.user_id).delete()
