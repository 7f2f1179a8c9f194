"""A real local HTTP server for tests: routes registered per test, faults on demand.

Binds 127.0.0.1 on port 0 (stdlib ``ThreadingHTTPServer`` in a daemon thread). Each route is a
function that writes its own answer through the request handler, so a test can express any
fault: a 304 with validators, a status, a Retry-After, a slow drip, a body generated lazily, a
gzip bomb, redirects (including to addresses the fetcher must refuse), a wrong charset. Every
request is counted and its headers kept per path, so tests can assert conditional requests.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import socket
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Handler = Callable[["RequestHandler"], None]


class Headers(dict[str, str]):
    """Request headers with case-insensitive lookup (stored under lower-case keys)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)


@dataclass
class Seen:
    """Requests a route received: count and each request's headers (any-case lookup)."""

    count: int = 0
    headers: list[Headers] = field(default_factory=list)


@lru_cache(maxsize=4)
def gzip_bomb(size: int = 10_000_000) -> bytes:
    """``size`` zero bytes gzip-compressed (~10 KB for 10 MB), built once."""
    return gzip.compress(bytes(size), compresslevel=9)


class RequestHandler(BaseHTTPRequestHandler):
    """Dispatches GET to the server's routes; keeps quiet and survives client aborts."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle and delayed ACK
    # add 40 ms to every response, which no real server does.
    disable_nagle_algorithm = True
    server: LocalHTTPServer._Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def handle(self) -> None:
        # The fetcher gives up on purpose (cap, timeout): a broken pipe is not a server error.
        with contextlib.suppress(OSError):
            super().handle()

    def do_GET(self) -> None:
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        route = owner.routes.get(self.path) or owner.routes.get(path)
        with owner.lock:
            seen = owner.seen[path]
            seen.count += 1
            seen.headers.append(Headers((k.lower(), v) for k, v in self.headers.items()))
        if route is None:
            self.reply(404, b"not found", {"Content-Type": "text/plain"})
            return
        route(self)

    # helpers used by routes
    def reply(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        """Answer with a known-length body."""
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def stream(self, status: int, chunks: Iterable[bytes], headers: dict[str, str]) -> None:
        """Answer with a close-delimited body written chunk by chunk (no Content-Length)."""
        self.close_connection = True
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        for chunk in chunks:
            self.wfile.write(chunk)
            self.wfile.flush()


class LocalHTTPServer:
    """Context manager owning the server thread; ``url(path)`` gives an absolute URL."""

    class _Server(ThreadingHTTPServer):
        daemon_threads = True
        owner: LocalHTTPServer

    def __init__(self) -> None:
        self.routes: dict[str, Handler] = {}
        self.seen: defaultdict[str, Seen] = defaultdict(Seen)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._ids = itertools.count(1)
        self._server: LocalHTTPServer._Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> LocalHTTPServer:
        self._server = self._Server(("127.0.0.1", 0), RequestHandler)
        self._server.owner = self
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def unique(self, name: str) -> str:
        """A fresh path prefix, so tests sharing the session server never collide."""
        return f"/t{next(self._ids)}/{name}"

    def count(self, path: str) -> int:
        with self.lock:
            return self.seen[path.split("?", 1)[0]].count

    def headers_seen(self, path: str) -> list[Headers]:
        with self.lock:
            return list(self.seen[path.split("?", 1)[0]].headers)

    # --- route builders ------------------------------------------------------------------
    def add(self, path: str, handler: Handler) -> str:
        self.routes[path] = handler
        return self.url(path)

    def add_static(
        self, path: str, body: bytes, headers: dict[str, str] | None = None, status: int = 200
    ) -> str:
        return self.add(path, lambda h: h.reply(status, body, headers))

    def add_conditional(
        self,
        path: str,
        body: bytes,
        *,
        etag: str | None = '"v1"',
        last_modified: str | None = "Mon, 03 Mar 2025 08:00:00 GMT",
        content_type: str = "application/rss+xml; charset=utf-8",
    ) -> str:
        """200 with validators, 304 when the request carries a matching one."""

        def route(h: RequestHandler) -> None:
            validators = {"Content-Type": content_type}
            if etag:
                validators["ETag"] = etag
            if last_modified:
                validators["Last-Modified"] = last_modified
            inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
            if (etag and inm == etag) or (not inm and last_modified and ims == last_modified):
                h.reply(304, b"", {k: v for k, v in validators.items() if k != "Content-Type"})
            else:
                h.reply(200, body, validators)

        return self.add(path, route)

    def add_status(
        self, path: str, status: int, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> str:
        return self.add_static(path, body or f"status {status}".encode(), headers, status)

    def add_redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.add_static(path, b"", {"Location": location}, status)

    def add_hang(self, path: str, seconds: float = 30.0) -> str:
        """Read the request, then say nothing (until the server stops)."""
        return self.add(path, lambda h: self.stopping.wait(seconds))

    def add_slow_drip(
        self, path: str, *, interval: float = 0.1, count: int = 600, chunk: bytes = b"<!-- -->"
    ) -> str:
        """A body trickling ``chunk`` every ``interval`` s: each read succeeds, it never ends."""

        def chunks() -> Iterable[bytes]:
            for _ in range(count):
                if self.stopping.wait(interval):
                    return
                yield chunk

        return self.add(path, lambda h: h.stream(200, chunks(), {"Content-Type": "text/xml"}))

    def add_large(self, path: str, size: int = 50_000_000, declare_length: bool = True) -> str:
        """``size`` bytes generated lazily in 64 KB blocks, never held in memory."""
        block = b"a" * 65536

        def chunks() -> Iterable[bytes]:
            left = size
            while left > 0 and not self.stopping.is_set():
                yield block[: min(left, len(block))]
                left -= len(block)

        def route(h: RequestHandler) -> None:
            headers = {"Content-Type": "application/octet-stream"}
            if declare_length:
                h.send_response(200)
                h.send_header("Content-Type", headers["Content-Type"])
                h.send_header("Content-Length", str(size))
                h.end_headers()
                for chunk in chunks():
                    h.wfile.write(chunk)
            else:
                h.stream(200, chunks(), headers)

        return self.add(path, route)

    def add_gzip_bomb(self, path: str, size: int = 10_000_000) -> str:
        body = gzip_bomb(size)
        headers = {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}
        return self.add_static(path, body, headers)


def closed_port_url() -> str:
    """A URL on a port nobody listens on (bound then released): connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
