"""Real HTTP servers on 127.0.0.1 for tests: a webhook receiver, and a stand-in for the card network's API."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    """What a local server has received, and the answers it gives next (then ``default``)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: list[tuple[int, dict[str, str], bytes]] = field(default_factory=list)
    default: tuple[int, dict[str, str], bytes] = (200, {}, b"ok")
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        with self.lock:
            self.answers.append((status, headers or {}, body))

    def requests(self, path: str | None = None) -> list[Received]:
        with self.lock:
            return [request for request in self.received if path is None or request.path == path]

    def handle(self, request: Received) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.received.append(request)
            return self.answers.pop(0) if self.answers else self.default


@contextmanager
def serving(server: Server) -> Iterator[Server]:
    """``server`` answering on a free port of 127.0.0.1 in a thread, until the block ends."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(
                self.command,
                self.path,
                {name.lower(): value for name, value in self.headers.items()},
                self.rfile.read(length),
            )
            status, headers, body = server.handle(request)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def json_body(request: Received) -> Any:
    return json.loads(request.body)
