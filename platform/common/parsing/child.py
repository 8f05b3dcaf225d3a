"""The parse zygote: a small process with the parser libraries loaded that forks one limited
child per file. Started by `common.parsing.sandbox` as `python -m common.parsing.child`.

Why a zygote: a fresh interpreter per file pays for Python and the parser imports (about a
second) on every file; a fork of this already-loaded process costs a few milliseconds and is
still a fresh process with its own limits, that dies alone. It is started with Popen, not
multiprocessing, because Celery's prefork children are daemonic and multiprocessing refuses
to start children from them.

Protocol, one JSON object a line. Parent -> zygote: a request (input and output paths, the
file's name, type and limits). Zygote -> parent: {"pid": N} once the child runs, then
{"pid": N, "exit": code} or {"pid": N, "signal": number} when it has ended, with
"wall_clock": true when the zygote killed it at the wall-clock limit (the zygote, which reaps
the child, kills it: no other process could be sure the pid is still that child's). The child
writes its result as JSON to the output path.
"""

from __future__ import annotations

import json
import os
import resource
import select
import signal
import sys
import time
from typing import Any

MB = 1024 * 1024
EXIT_OK = 0
EXIT_MEMORY = 3
EXIT_CRASHED = 4
# Room for the JSON around the text and its escapes (a newline is two bytes).
OUTPUT_OVERHEAD_BYTES = 1 * MB


def preload() -> None:
    """Entity expansion off for every stdlib XML parser (openpyxl reads through them; the
    docx and pptx readers use lxml with resolve_entities=False), then import the parser
    libraries once so each forked child starts with them loaded."""
    import defusedxml

    defusedxml.defuse_stdlib()
    import bs4  # noqa: F401
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import lxml.etree  # noqa: F401
    import markdown_it  # noqa: F401
    import openpyxl  # noqa: F401
    import pptx  # noqa: F401
    import pypdf
    import pypdf.filters  # noqa: F401

    import common.parsing.formats  # noqa: F401


def output_limit_bytes(max_characters: int) -> int:
    return max_characters * 4 + OUTPUT_OVERHEAD_BYTES


def _limit_child(limits: dict[str, int]) -> None:
    memory = int(limits["memory_mb"]) * MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits["cpu_seconds"])
    # SIGXCPU at the soft limit, SIGKILL at the hard one should the first be caught.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
    output = output_limit_bytes(int(limits["max_characters"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Should the container run out of memory before RLIMIT_AS bites (a pod limit below
    # PARSE_MEMORY_MB times the worker's concurrency), the kernel kills this child first,
    # never the worker. Raising one's own score needs no privilege.
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass


def _run_child(request: dict[str, Any]) -> int:
    from common.parsing.formats import DocumentParseError, check_upload, parse_document
    from common.parsing.limits import ParseLimits

    limits = ParseLimits.from_dict(request["limits"])
    try:
        try:
            size = os.stat(request["input"]).st_size
            # Refuse by size before reading: the bytes only enter memory once they fit.
            check_upload(
                filename=request["filename"],
                content_type=request.get("content_type"),
                size=size,
                max_bytes=int(request["max_bytes"]),
            )
            with open(request["input"], "rb") as handle:
                content = handle.read()
            parsed = parse_document(
                filename=request["filename"],
                content=content,
                content_type=request.get("content_type"),
                max_bytes=int(request["max_bytes"]),
                limits=limits,
            )
            result: dict[str, Any] = {"ok": True, "title": parsed.title, "text": parsed.text}
        except DocumentParseError as error:
            result = {"ok": False, "code": error.code, "message": error.message}
        with open(request["output"], "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False)
    except MemoryError:
        return EXIT_MEMORY
    return EXIT_OK


def _fork_child(request: dict[str, Any]) -> int:
    pid = os.fork()
    if pid == 0:  # the child: never returns into the zygote's loop
        code = EXIT_CRASHED
        try:
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.dup2(devnull, 1)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            _limit_child(request["limits"])
            code = _run_child(request)
        except MemoryError:
            code = EXIT_MEMORY
        except BaseException:  # noqa: BLE001 - reported to the parent as a crash
            code = EXIT_CRASHED
        finally:
            os._exit(code)
    return pid


def _wait_for_exit(pid: int, timeout: float) -> bool:
    """Whether the child ended within `timeout` seconds (it stays unreaped either way)."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    if pidfd is not None:
        try:
            ready, _, _ = select.select([pidfd], [], [], timeout)
            return bool(ready)
        finally:
            os.close(pidfd)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None:
            return True
        time.sleep(0.01)
    return False


def main() -> None:
    preload()
    # The parent's Ctrl-C or SIGTERM reaches the whole process group; the zygote ends when
    # its stdin closes, so it never outlives the worker that started it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        pid = _fork_child(request)
        out.write(json.dumps({"pid": pid}) + "\n")
        out.flush()
        timed_out = not _wait_for_exit(pid, float(request["limits"]["wall_seconds"]))
        if timed_out:
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        reply: dict[str, Any] = {"pid": pid, "wall_clock": timed_out}
        if os.WIFSIGNALED(status):
            reply["signal"] = os.WTERMSIG(status)
        else:
            reply["exit"] = os.WEXITSTATUS(status)
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
