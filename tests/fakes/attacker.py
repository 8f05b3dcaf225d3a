"""An "attacker" HTTP server for the outbound tests: it stands for an internal service that
holds a secret (a metadata endpoint, an admin console) or for a hostile server at a base URL.
Whatever the path, it answers as `mode` says; `requests` records every request it got, so a
test can prove a refused URL was never reached.

It listens on any loopback address (127.0.0.2 too: Linux routes all of 127/8 to lo), so one
test can allow-list 127.0.0.1 and still have a loopback address that is not allowed.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SECRET = "s3cr3t-internal-token-7f1e"


class AttackerServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.mode = "html"
        self.redirect_to = ""
        self.requests: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def __enter__(self) -> AttackerServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # bodies without a length end with the connection

            def _serve(self) -> None:
                fake.requests.append(f"{self.command} {self.path}")
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                getattr(fake, f"_answer_{fake.mode.replace('-', '_')}")(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer((self.host, 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- answers ---------------------------------------------------------------------------

    @staticmethod
    def _send(handler: Any, status: int, content_type: str, body: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _answer_html(self, handler: Any) -> None:
        body = f"<html><body>internal admin console {SECRET}</body></html>".encode()
        self._send(handler, 200, "text/html; charset=utf-8", body)

    def _answer_json(self, handler: Any) -> None:
        # 200, JSON, but not the shape of any source's API; the secret in every field.
        body = f'{{"message": "{SECRET}", "error": "{SECRET}", "detail": "{SECRET}"}}'
        self._send(handler, 200, "application/json", body.encode())

    def _answer_error(self, handler: Any) -> None:
        body = f'{{"message": "{SECRET}", "error": "{SECRET}", "ok": false}}'
        self._send(handler, 500, "application/json", body.encode())

    def _answer_redirect(self, handler: Any) -> None:
        handler.send_response(302)
        handler.send_header("Location", self.redirect_to)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _answer_huge(self, handler: Any) -> None:
        # No Content-Length: only counting the bytes stops it.
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        chunk = b"[" + b"0," * 32 * 1024
        try:
            for _ in range(256):  # 16 MiB
                handler.wfile.write(chunk)
        except OSError:
            return

    def _answer_huge_declared(self, handler: Any) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(10**10))
        handler.end_headers()
        try:
            handler.wfile.write(b"[" + b"0," * 1024)
        except OSError:
            return

    def _answer_slow(self, handler: Any) -> None:
        # One byte every 50 ms: each read is quick, the whole answer would take a minute.
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.end_headers()
        try:
            for _ in range(1200):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.05)
        except OSError:
            return
