"""Real local receivers for the alert tests: a webhook, an SMTP server, a socket that never answers.

All bind 127.0.0.1 on a free port. Tests wait on conditions (``wait_for``), never on sleeps.
``demo/receivers.py`` offers the same for the demo; these stay small and test-only.
"""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    """One POST the webhook accepted."""

    path: str
    headers: dict[str, str]
    body: Any  # parsed JSON, or the raw text if it was not JSON
    at: float  # time.monotonic() at receipt


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle and delayed ACK
    # add 40 ms to every response, which no real server does.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8", "replace")
        with owner.cond:
            owner.requests += 1
            refuse = owner.down or owner.fail_count > 0
            if owner.fail_count > 0:
                owner.fail_count -= 1
            if not refuse:
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw
                headers = {k.lower(): v for k, v in self.headers.items()}
                owner.received.append(Received(self.path, headers, body, time.monotonic()))
            owner.cond.notify_all()
        status = 503 if refuse else 200
        payload = b"down" if refuse else b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: WebhookReceiver


class WebhookReceiver:
    """A local HTTP server keeping every JSON POST; ``down`` makes it answer 503."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.requests = 0
        self.down = False
        self.fail_count = 0
        self.cond = threading.Condition()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def set_down(self, down: bool = True) -> None:
        with self.cond:
            self.down = down

    def fail_next(self, count: int = 1) -> None:
        with self.cond:
            self.fail_count = count

    def on(self, path: str) -> list[Received]:
        with self.cond:
            return [r for r in self.received if r.path == path]

    def wait_for(self, count: int, timeout: float = 5.0, path: str | None = None) -> list[Received]:
        """Block until ``count`` messages arrived (on ``path`` if given); raise on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                got = [r for r in self.received if path is None or r.path == path]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(got)}/{count} webhook messages after {timeout} s")
                self.cond.wait(left)


class _SmtpHandler:
    """Parses each message; keeps it with its arrival time."""

    def __init__(self, owner: SmtpReceiver) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.owner.cond:
            self.owner.messages.append(message)  # type: ignore[arg-type]
            self.owner.arrivals.append(time.monotonic())
            self.owner.cond.notify_all()
        return "250 Message accepted for delivery"


class SmtpReceiver:
    """A real aiosmtpd server on 127.0.0.1 keeping every parsed message."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.arrivals: list[float] = []
        self.cond = threading.Condition()
        self.port = free_port()
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpReceiver:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()

    def url(self, *, to: str = "alerts@example.com", user: str = "", password: str = "") -> str:
        """An apprise mailto:// URL to this server: plain SMTP, no TLS."""
        auth = f"{user}:{password}@" if user else ""
        return (
            f"mailto://{auth}localhost:{self.port}?smtp=127.0.0.1&mode=insecure"
            f"&from=veille@example.com&to={to}"
        )

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.messages)}/{count} emails after {timeout} s")
                self.cond.wait(left)
            return list(self.messages)


class SilentServer:
    """Accepts connections and never sends a byte: an endpoint that never answers."""

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(64)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.accepted = 0
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                continue
            self.accepted += 1
            self._conns.append(conn)

    def __enter__(self) -> SilentServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for conn in self._conns:
            conn.close()
        self._sock.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and HTML parts of a received email."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return (
        text.get_content() if text is not None else "",  # type: ignore[union-attr]
        html.get_content() if html is not None else "",  # type: ignore[union-attr]
    )


def store_events(
    db: Any,
    count: int,
    *,
    start: int = 1,
    retailers: tuple[str, ...] = ("Système U", "Leclerc", "Lidl", "Casino", "Monoprix"),
    backfill: int = 0,
) -> list[str]:
    """Insert ``count`` events with seq ``start``… the way the timeline writes them; their keys."""
    keys = []
    for seq in range(start, start + count):
        name = retailers[(seq - 1) % len(retailers)]
        key = f"evt-{seq:04d}"
        db["events"].insert(
            {
                "key": key,
                "seq": seq,
                "kind": "status_change",
                "retailer": name.lower().replace(" ", "-").replace("è", "e"),
                "retailer_name": name,
                "old_status": "approached",
                "new_status": "declined",
                "reported": seq % 2,
                "sentence": f"{name} a décliné les avances d'Amazon (article {seq}).",
                "article_id": f"art-{seq}",
                "url": f"https://www.example.fr/articles/{seq}",
                "source": "Exemple",
                "story_id": f"story-{seq}",
                "published": f"2024-05-{1 + seq % 28:02d}T10:00:00+00:00",
                "created_at": "2024-06-01T00:00:00+00:00",
                "backfill": backfill,
            }
        )
        keys.append(key)
    return keys
