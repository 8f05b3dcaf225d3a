"""Run the whole platform on one machine: web (uvicorn), a Celery worker and Celery beat.

Starts the embedded Postgres and Redis when DATABASE_URL / REDIS_URL are unset, migrates,
seeds the demo workspace, then supervises the three processes. Ctrl-C stops them all, then
the embedded servers; data stays under DATA_DIR for the next run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from common import embedded

STOP_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Start web, worker and beat (and the embedded Postgres/Redis if no URLs are set)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="Skip the demo workspace.")

    def handle(self, *args: Any, **options: Any) -> None:
        env = settings.ENV
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("seed_demo")

        child_env = {
            **os.environ,
            "DATABASE_URL": settings.DATABASE_URL,
            "REDIS_URL": settings.REDIS_URL,
            "DATA_DIR": str(env.data_dir),
            "PYTHONPATH": os.pathsep.join(
                [str(settings.BASE_DIR / "platform"), str(settings.BASE_DIR)]
            ),
        }
        python = sys.executable
        beat_schedule = Path(env.data_dir) / "celerybeat-schedule"
        commands = {
            "web": [
                python,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                env.host,
                "--port",
                str(env.port),
                "--workers",
                str(env.web_concurrency),
                "--no-access-log",
                # h11 bounds the request line and headers (16 KiB buffered per event);
                # httptools, uvicorn's default when installed, buffers any size.
                "--http",
                "h11",
            ],
            "worker": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                "default,sync,embed,agent",
                "--concurrency",
                str(env.worker_concurrency),
                "--loglevel",
                env.log_level,
                "-n",
                "worker@%h",
            ],
            "beat": [
                python,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "--loglevel",
                env.log_level,
                "--schedule",
                str(beat_schedule),
            ],
        }
        processes = {
            name: subprocess.Popen(command, env=child_env, cwd=settings.BASE_DIR)
            for name, command in commands.items()
        }
        url = (
            f"http://{'localhost' if env.host in {'127.0.0.1', '0.0.0.0'} else env.host}:{env.port}"
        )
        self.stdout.write(self.style.SUCCESS(f"\nThe platform is starting at {url}"))
        self.stdout.write(f"  API docs: {url}/api/v1/docs    health: {url}/healthz")
        self.stdout.write("  Press Ctrl-C to stop web, worker and beat.\n")

        stopping = False

        def request_stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, request_stop)
        signal.signal(signal.SIGTERM, request_stop)
        exit_code = 0
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(
                            f"{name} exited with code {process.returncode}; stopping."
                        )
                        exit_code = 1
                        stopping = True
                time.sleep(0.5)
        finally:
            self._stop(processes)
            if not env.redis_url:
                embedded.stop_redis(env.data_dir)
            if not env.database_url:
                embedded.stop_postgres(env.data_dir)
            self.stdout.write("Stopped. Data is kept under " + str(env.data_dir))
        if exit_code:
            raise SystemExit(exit_code)

    def _stop(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for name, process in processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"{name} did not stop in {STOP_GRACE_SECONDS}s; killing it.")
                process.kill()
