"""A small threaded HTTP/1.1 server on 127.0.0.1, and the faults a test can make it commit."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None  # sent with chunked encoding (no Content-Length)


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]
    headers: dict[str, str]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.params}"


@dataclass
class Fault:
    match: Callable[[Request], bool]
    times: int
    status: int = 0
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    truncate: bool = False
    reply: Callable[[Request], Reply] | None = None  # a platform-specific wrong answer


class FakePortal:
    """Subclasses answer `handle(request)`; tests add faults and hooks that run between requests."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.hooks: list[Callable[[Request], None]] = []
        self.lock = threading.RLock()
        self.server: ThreadingHTTPServer | None = None

    # -- life cycle
    def __enter__(self) -> FakePortal:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> FakePortal:
        portal = self

        class Handler(_Handler):
            pass

        Handler.portal = portal
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    # -- what tests use
    def fail(
        self,
        *,
        status: int = 0,
        times: int = 1,
        match: str | Callable[[Request], bool] = "",
        body: bytes | str = b"",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        truncate: bool = False,
        reply: Callable[[Request], Reply] | None = None,
    ) -> None:
        """The next `times` requests matching `match` (a text found in the path or a parameter) go wrong."""
        if isinstance(match, str):
            text = match
            matcher = lambda r: text in r.path or any(text in f"{k}={v}" for k, v in r.params.items())  # noqa: E731
        else:
            matcher = match
        data = body.encode() if isinstance(body, str) else body
        self.faults.append(Fault(matcher, times, status, data, headers or {}, delay, truncate, reply))

    def on_request(self, hook: Callable[[Request], None]) -> None:
        """Run `hook` before each request is answered (e.g. to add a row between two pages)."""
        self.hooks.append(hook)

    def count(self, text: str = "") -> int:
        return sum(1 for r in self.requests if text in r.path or any(text in f"{k}={v}" for k, v in r.params.items()))

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    # -- answering
    def _answer(self, request: Request) -> tuple[Reply, Fault | None]:
        with self.lock:
            self.requests.append(request)
            for hook in list(self.hooks):
                hook(request)
            fault = next((f for f in self.faults if f.times > 0 and f.match(request)), None)
            if fault:
                fault.times -= 1
                if fault.reply:
                    return fault.reply(request), fault
                if fault.status:
                    headers = {"Content-Type": "application/json; charset=utf-8", **fault.headers}
                    return Reply(fault.status, fault.body, headers), fault
            return self.handle(request), fault


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as separate writes: no 40 ms wait between them
    portal: FakePortal

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        return None

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (TimeoutError, BrokenPipeError, ConnectionResetError, OSError):
            self.close_connection = True  # the client gave up (a timeout test): nothing to do

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        parts = urlsplit(self.path)
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            params.update(parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
        request = Request(method, parts.path, params, {k.lower(): v for k, v in self.headers.items()})
        reply, fault = self.portal._answer(request)
        if fault and fault.delay:
            time.sleep(fault.delay)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.chunks is not None:
            self._send_chunks(reply, truncate=bool(fault and fault.truncate))
            return
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if method == "HEAD":
            return
        if fault and fault.truncate:  # promise the whole body, send half of it, hang up
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(reply.body)

    def _send_chunks(self, reply: Reply, truncate: bool) -> None:
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        chunks = list(reply.chunks or [])
        if truncate:
            chunks = chunks[: max(1, len(chunks) // 2)]
        for chunk in chunks:
            if chunk:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if truncate:
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(b"0\r\n\r\n")


def json_reply(body: bytes, status: int = 200, **headers: str) -> Reply:
    return Reply(status, body, {"Content-Type": "application/json; charset=utf-8", **headers})
