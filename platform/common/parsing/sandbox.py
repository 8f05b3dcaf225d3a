"""Parse a file in a child process that has a memory, processor-time and output limit and
is killed at a wall-clock limit. Whatever the file does to its reader, the caller gets a
`ParsedDocument` or a `DocumentParseError` whose message a person understands, and carries on.

Each process keeps one zygote (`common.parsing.child`) with the parser libraries loaded and
forks a fresh child from it per file (see that module for why).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, Any

from common.parsing.child import EXIT_MEMORY, EXIT_OK, output_limit_bytes
from common.parsing.formats import MAX_UPLOAD_BYTES, DocumentParseError, ParsedDocument
from common.parsing.limits import ParseLimits, current_limits

logger = logging.getLogger(__name__)

# Starting the zygote imports the parser libraries; a loaded machine may take a while.
ZYGOTE_START_SECONDS = 60
# The zygote answers a fork within milliseconds; this only catches a wedged zygote.
FORK_ANSWER_SECONDS = 10
# The zygote kills a child at the wall-clock limit and reports at once; past this much more,
# the zygote itself is wedged and is killed with its children.
REPORT_GRACE_SECONDS = 15


class _Zygote:
    """The long-lived zygote process and a line reader over its stdout with timeouts."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "common.parsing.child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            # Its own session: a Ctrl-C meant for the worker does not kill a child mid-file
            # (the worker's shutdown closes the zygote's stdin, and it ends).
            start_new_session=True,
        )
        self._buffer = b""
        self.read_line(ZYGOTE_START_SECONDS)  # {"ready": true}

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, message: dict[str, Any]) -> None:
        stdin: IO[bytes] | None = self.process.stdin
        assert stdin is not None
        stdin.write(json.dumps(message).encode() + b"\n")
        stdin.flush()

    def read_line(self, timeout: float) -> dict[str, Any] | None:
        """The next message, or None when none came within `timeout` seconds."""
        stdout = self.process.stdout
        assert stdout is not None
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([stdout], [], [], remaining)
            if not ready:
                return None
            data = os.read(stdout.fileno(), 65536)
            if not data:
                raise _ZygoteGone
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message

    def close(self) -> None:
        try:
            if self.process.stdin is not None:
                self.process.stdin.close()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


class _ZygoteGone(Exception):
    pass


_lock = threading.Lock()
_zygote: _Zygote | None = None
_zygote_owner: int | None = None


def _get_zygote() -> _Zygote:
    global _zygote, _zygote_owner
    # A forked worker (Celery prefork) must not share its parent's zygote pipes.
    if _zygote is not None and (_zygote_owner != os.getpid() or not _zygote.alive):
        if _zygote_owner == os.getpid():
            _zygote.close()
        _zygote = None
    if _zygote is None:
        _zygote = _Zygote()
        _zygote_owner = os.getpid()
    return _zygote


def _discard_zygote(*, kill: bool = False) -> None:
    global _zygote
    if _zygote is not None and _zygote_owner == os.getpid():
        if kill:
            # The zygote leads its own session: this ends it and any child it forked.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(_zygote.process.pid, signal.SIGKILL)
        _zygote.close()
    _zygote = None


def zygote_address_space_bytes() -> int:
    """The zygote's address space (VmSize): what every child starts with, before the file.
    PARSE_MEMORY_MB must leave room above it; tests and the benchmark read it."""
    with _lock:
        zygote = _get_zygote()
        for line in Path(f"/proc/{zygote.process.pid}/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmSize in /proc")


def zygote_pid() -> int:
    with _lock:
        return _get_zygote().process.pid


def shutdown() -> None:
    """Stop this process's zygote (tests and benchmarks; workers just exit)."""
    with _lock:
        _discard_zygote()


def parse_in_sandbox(
    *,
    filename: str,
    content: bytes | None = None,
    path: str | Path | None = None,
    content_type: str | None = None,
    max_bytes: int = MAX_UPLOAD_BYTES,
    limits: ParseLimits | None = None,
) -> ParsedDocument:
    """Read a file given as bytes or as a path, in a fresh limited child process."""
    limits = limits or current_limits()
    with tempfile.TemporaryDirectory(prefix="parse-") as workdir:
        if path is None:
            path = Path(workdir) / "input"
            Path(path).write_bytes(content or b"")
        output = Path(workdir) / "output.json"
        request = {
            "input": str(path),
            "output": str(output),
            "filename": filename,
            "content_type": content_type,
            "max_bytes": max_bytes,
            "limits": limits.as_dict(),
        }
        with _lock:
            outcome = _run(request, limits)
        return _read_result(outcome, output, limits)


def _run(request: dict[str, Any], limits: ParseLimits) -> dict[str, Any]:
    for attempt in range(2):
        try:
            zygote = _get_zygote()
            zygote.send(request)
            started = zygote.read_line(FORK_ANSWER_SECONDS)
            if started is None:
                raise _ZygoteGone
            finished = zygote.read_line(limits.wall_seconds + REPORT_GRACE_SECONDS)
            if finished is not None:
                return finished
            _discard_zygote(kill=True)
            return {"pid": started["pid"], "wall_clock": True}
        except (_ZygoteGone, OSError, ValueError) as error:
            # The zygote itself died (killed, or out of memory): start another, once.
            logger.warning("parse zygote lost (%r); restarting it", error)
            _discard_zygote()
            if attempt:
                raise DocumentParseError(
                    "parser_unavailable",
                    "The file reader could not be started; try again in a few minutes.",
                ) from error
    raise AssertionError("unreachable")


def _read_result(outcome: dict[str, Any], output: Path, limits: ParseLimits) -> ParsedDocument:
    if outcome.get("wall_clock"):
        raise DocumentParseError(
            "took_too_long",
            f"This file took longer than {limits.wall_seconds} s to read, so reading it was "
            "stopped. Split it into smaller files or simplify it, then upload it again.",
        )
    killed_by = outcome.get("signal")
    if killed_by == signal.SIGXCPU:
        raise DocumentParseError(
            "took_too_long",
            f"This file needs more than {limits.cpu_seconds} s of processor time to read, so "
            "reading it was stopped. Split it into smaller files or simplify it, then upload "
            "it again.",
        )
    if killed_by == signal.SIGXFSZ:
        raise _too_much_text(limits)
    if killed_by == signal.SIGKILL or outcome.get("exit") == EXIT_MEMORY:
        # SIGKILL we did not send: the hard CPU limit or the kernel's out-of-memory killer.
        raise DocumentParseError(
            "needs_too_much_memory",
            f"This file needs more than {limits.memory_mb} MB of memory to read, so reading "
            "it was stopped. Split it into smaller files or remove large embedded content, "
            "then upload it again.",
        )
    if killed_by is not None or outcome.get("exit") != EXIT_OK:
        raise DocumentParseError(
            "reader_crashed",
            "The file reader crashed on this file; it is damaged or built to break readers. "
            "Open it in the application that made it, save a new copy and upload that.",
        )
    try:
        size = output.stat().st_size
    except FileNotFoundError:
        size = -1
    if size < 0 or size > output_limit_bytes(limits.max_characters):
        raise _too_much_text(limits)
    result = json.loads(output.read_text(encoding="utf-8"))
    if not result["ok"]:
        raise DocumentParseError(str(result["code"]), str(result["message"]))
    return ParsedDocument(title=str(result["title"]), text=str(result["text"]))


def _too_much_text(limits: ParseLimits) -> DocumentParseError:
    return DocumentParseError(
        "too_much_text",
        f"This file holds more than {limits.max_characters:,} characters of text, more than "
        "one document may add. Split it into smaller files and upload those.",
    )
