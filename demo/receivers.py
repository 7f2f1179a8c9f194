"""Local stand-ins for the alert channels: a Slack-like webhook, an SMTP server, a dead end.

All listen on 127.0.0.1 on a free port, run in a background thread, and keep what they
receive in memory so that ``make demo``, the alert tests and ``bench/bench_notify.py`` check
what veille actually sent, through apprise, without any network or account:

    with WebhookReceiver() as hook, SmtpReceiver() as smtp:
        apprise_urls = [hook.apprise_url(), smtp.apprise_url()]
        ...                                   # veille sends its alerts
        hook.wait_for(1, timeout=5)           # waits on a condition, never sleeps blindly
        smtp.wait_for(1, timeout=5)

``WebhookReceiver`` can also play a broken channel (``fail_next``, ``set_down``) so that the
outbox's retries are tested against a real HTTP 503, not a mock; ``SilentServer`` accepts
connections and never answers, so timeouts are tested against a real silent socket.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from demo.background import BackgroundServer

__all__ = ["ReceivedEmail", "ReceivedRequest", "SilentServer", "SmtpReceiver", "WebhookReceiver"]


def _wait(
    cond: threading.Condition, ready: Callable[[], bool], timeout: float, what: Callable[[], str]
) -> None:
    """Block on ``cond`` until ``ready()``; raise TimeoutError saying ``what()`` otherwise."""
    with cond:
        if not cond.wait_for(ready, timeout=timeout):
            raise TimeoutError(f"{what()} after {timeout:g} s")


# --------------------------------------------------------------------------- webhook


@dataclass(frozen=True)
class ReceivedRequest:
    """One POST the webhook accepted (or refused, in ``WebhookReceiver.rejected``)."""

    method: str
    path: str
    headers: dict[str, str]  # names lower-cased: HTTP header names ignore case
    body: bytes
    json: Any  # the parsed body, or None when it is not JSON
    status: int  # what the receiver answered
    received_at: float = field(default_factory=time.monotonic)  # for latency figures


class _WebhookHandler(BaseHTTPRequestHandler):
    server: _WebhookHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle and delayed ACK
    # add 40 ms to every response, which no real server does.
    disable_nagle_algorithm = True

    def _receive(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            parsed = json.loads(body.decode("utf-8")) if body else None
        except (UnicodeDecodeError, ValueError):
            parsed = None
        status = self.server.owner._decide_status()
        request = ReceivedRequest(
            method=self.command,
            path=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
            json=parsed,
            status=status,
        )
        # Record (and call back) before answering: a sender that got its 200 finds its
        # request stored and printed.
        self.server.owner._record(request)
        payload = b"ok" if status < 400 else b"service unavailable"
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_POST = _receive
    do_PUT = _receive

    def do_GET(self) -> None:
        """Health check, so a human can point a browser at the receiver."""
        payload = b"veille demo webhook receiver: POST JSON here\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: the callback, not stderr, is how requests are shown."""


class _WebhookHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: WebhookReceiver) -> None:
        self.owner = owner
        super().__init__(address, _WebhookHandler)


class WebhookReceiver(BackgroundServer):
    """A Slack/Mattermost/JSON-webhook stand-in: stores every POSTed JSON body.

    ``requests`` holds the accepted requests (answered 200), ``rejected`` those answered
    503 while the receiver was told to fail. ``on_request`` is called (in the server
    thread) for each accepted request, e.g. to print it during the demo.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_request: Callable[[ReceivedRequest], None] | None = None,
    ) -> None:
        super().__init__(host, port)
        self._on_request = on_request
        self._cond = threading.Condition()
        self._requests: list[ReceivedRequest] = []
        self._rejected: list[ReceivedRequest] = []
        self._fail_next = 0
        self._down = False
        self._fail_status = 503

    def _make_server(self) -> _WebhookHTTPServer:
        return _WebhookHTTPServer(self._address, self)

    # addresses -------------------------------------------------------------
    thread_name = "webhook-receiver"

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``."""
        return self.base_url

    def apprise_url(self, path: str = "hook", scheme: str = "json") -> str:
        """An apprise URL that posts here: ``json://127.0.0.1:PORT/hook`` by default.

        ``scheme="mmost"`` gives a Mattermost URL (Slack-shaped payload on any host):
        ``mmost://127.0.0.1:PORT/TOKEN``, apprise then posts to ``/hooks/TOKEN``.
        """
        return f"{scheme}://127.0.0.1:{self.port}/{path.lstrip('/')}"

    # outage simulation -----------------------------------------------------
    def fail_next(self, n: int = 1, status: int = 503) -> None:
        """Answer the next ``n`` requests with ``status`` (503 by default), then recover."""
        with self._cond:
            self._fail_next = n
            self._fail_status = status

    def set_down(self, down: bool = True, status: int = 503) -> None:
        """While down, answer every request with ``status``: a channel outage."""
        with self._cond:
            self._down = down
            self._fail_status = status

    def _decide_status(self) -> int:
        with self._cond:
            if self._down:
                return self._fail_status
            if self._fail_next > 0:
                self._fail_next -= 1
                return self._fail_status
            return 200

    def _record(self, request: ReceivedRequest) -> None:
        with self._cond:
            (self._requests if request.status < 400 else self._rejected).append(request)
            self._cond.notify_all()
        if self._on_request is not None and request.status < 400:
            self._on_request(request)

    # what was received -----------------------------------------------------
    @property
    def requests(self) -> list[ReceivedRequest]:
        """A copy of the accepted requests, oldest first."""
        with self._cond:
            return list(self._requests)

    @property
    def rejected(self) -> list[ReceivedRequest]:
        """A copy of the requests answered with an error status."""
        with self._cond:
            return list(self._rejected)

    @property
    def attempts(self) -> int:
        """Requests received so far, accepted or refused: did a run try this channel at all?"""
        with self._cond:
            return len(self._requests) + len(self._rejected)

    def clear(self) -> None:
        """Forget what was received (and refused) so far."""
        with self._cond:
            self._requests.clear()
            self._rejected.clear()

    def wait_for(
        self, n: int, timeout: float = 5.0, path: str | None = None
    ) -> list[ReceivedRequest]:
        """Wait until at least ``n`` requests were accepted (on ``path`` if given); return them.

        One receiver can stand for several channels, one path each. Raises TimeoutError if
        they did not arrive in time.
        """

        def accepted() -> list[ReceivedRequest]:
            return [r for r in self._requests if path is None or r.path == path]

        where = f" on {path}" if path else ""
        _wait(
            self._cond,
            lambda: len(accepted()) >= n,
            timeout,
            lambda: f"webhook: expected {n} request(s){where}, got {len(accepted())}",
        )
        with self._cond:
            return accepted()

    def wait_for_attempts(self, n: int, timeout: float = 5.0) -> None:
        """Wait until ``n`` requests arrived, accepted or refused (for retry tests)."""
        _wait(
            self._cond,
            lambda: len(self._requests) + len(self._rejected) >= n,
            timeout,
            lambda: (
                f"webhook: expected {n} attempt(s), got {len(self._requests) + len(self._rejected)}"
            ),
        )


# --------------------------------------------------------------------------- SMTP


@dataclass(frozen=True)
class ReceivedEmail:
    """One message the SMTP receiver accepted, parsed with the ``email`` package."""

    mail_from: str  # SMTP envelope sender
    rcpt_tos: list[str]  # SMTP envelope recipients
    subject: str
    from_: str  # the From: header
    to: str  # the To: header
    text: str | None  # the text/plain body, if any
    html: str | None  # the text/html body, if any
    message: EmailMessage
    raw: bytes
    login: str | None  # the AUTH user name, if the client logged in
    received_at: float = field(default_factory=time.monotonic)  # for latency figures


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    content = part.get_content()
    return content if isinstance(content, str) else None


class _SmtpHandler:
    def __init__(self, owner: SmtpReceiver) -> None:
        self.owner = owner

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        raw = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        message = message_from_bytes(raw, policy=default_policy)
        assert isinstance(message, EmailMessage)
        login = session.auth_data if isinstance(session.auth_data, str) else None
        email = ReceivedEmail(
            mail_from=envelope.mail_from or "",
            rcpt_tos=list(envelope.rcpt_tos),
            subject=str(message.get("Subject", "")),
            from_=str(message.get("From", "")),
            to=str(message.get("To", "")),
            text=_body(message, "plain"),
            html=_body(message, "html"),
            message=message,
            raw=raw,
            login=login,
        )
        self.owner._record(email)
        return "250 Message accepted for delivery"


def _accept_any_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    """Accept every AUTH: the demo checks what is sent, not who sends it."""
    login = getattr(data, "login", None)
    user = login.decode("utf-8", "replace") if isinstance(login, bytes) else None
    return AuthResult(success=True, auth_data=user)


class _QuietLegacyLogin(logging.Filter):
    """aiosmtpd 1.4 logs a deprecation warning at every successful AUTH, from its own
    code; it says nothing about ours, so it is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "login_data is deprecated" not in str(record.msg)


logging.getLogger("mail.log").addFilter(_QuietLegacyLogin())


class _FreePortController(Controller):
    """aiosmtpd's Controller, able to bind port 0 and report the port it got."""

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpReceiver:
    """An SMTP server on 127.0.0.1 (aiosmtpd) that keeps every message it receives.

    AUTH is offered without TLS and any user/password is accepted, so apprise's
    ``mailto://user:pass@…?mode=insecure`` works against it. ``on_message`` is called
    (in the server's thread) for each message, e.g. to print it during the demo.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        on_message: Callable[[ReceivedEmail], None] | None = None,
    ) -> None:
        self._host = host
        self._port = port
        self._on_message = on_message
        self._cond = threading.Condition()
        self._messages: list[ReceivedEmail] = []
        self._controller: _FreePortController | None = None

    def start(self) -> SmtpReceiver:
        """Start aiosmtpd in its own thread; returns once it answers."""
        if self._controller is not None:
            return self
        controller = _FreePortController(
            _SmtpHandler(self),
            hostname=self._host,
            port=self._port,
            auth_require_tls=False,
            authenticator=_accept_any_login,
            ready_timeout=10.0,
        )
        controller.start()
        self._controller = controller
        return self

    def stop(self) -> None:
        """Stop the server and release its port (idempotent)."""
        if self._controller is None:
            return
        self._controller.stop()
        self._controller = None

    def __enter__(self) -> SmtpReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._controller is None:
            raise RuntimeError("SmtpReceiver is not started")
        return int(self._controller.port)

    @property
    def host(self) -> str:
        return self._host

    def apprise_url(
        self,
        *,
        from_addr: str = "veille@example.org",
        to: str = "ops@example.org",
        user: str = "veille",
        password: str = "demo",
    ) -> str:
        """A ``mailto://`` URL that makes apprise deliver here in clear text."""
        return (
            f"mailto://{user}:{password}@{self._host}:{self.port}"
            f"?from={from_addr}&to={to}&smtp={self._host}&mode=insecure"
        )

    def _record(self, email: ReceivedEmail) -> None:
        with self._cond:
            self._messages.append(email)
            self._cond.notify_all()
        if self._on_message is not None:
            self._on_message(email)

    @property
    def messages(self) -> list[ReceivedEmail]:
        """A copy of the received messages, oldest first."""
        with self._cond:
            return list(self._messages)

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self._cond:
            self._messages.clear()

    def wait_for(self, n: int, timeout: float = 5.0) -> list[ReceivedEmail]:
        """Wait until at least ``n`` messages arrived; return them all.

        Raises TimeoutError if they did not arrive in time.
        """
        _wait(
            self._cond,
            lambda: len(self._messages) >= n,
            timeout,
            lambda: f"smtp: expected {n} message(s), got {len(self._messages)}",
        )
        return self.messages


# --------------------------------------------------------------------------- silence


class SilentServer:
    """A socket on 127.0.0.1 that accepts connections and never sends a byte.

    A channel (or feed) that hangs rather than refuses: what timeouts are tested against.
    ``accepted`` counts the connections taken.
    """

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._conns: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.accepted = 0

    def start(self) -> SilentServer:
        """Bind a free port and accept in a daemon thread (idempotent)."""
        if self._sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind(("127.0.0.1", 0))
            sock.listen(64)
            sock.settimeout(0.1)  # so that stop() is noticed at once
            self._sock = sock
            self._stop.clear()
            self._thread = threading.Thread(target=self._accept, name="silent-server", daemon=True)
            self._thread.start()
        return self

    def _accept(self) -> None:
        assert self._sock is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:  # the 0.1 s timeout, or the socket closed by stop()
                continue
            self.accepted += 1
            self._conns.append(conn)

    def stop(self) -> None:
        """Close every connection and release the port (idempotent)."""
        if self._sock is None:
            return
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        for conn in self._conns:
            conn.close()
        self._conns.clear()
        self._sock.close()
        self._sock = None
        self._thread = None

    def __enter__(self) -> SilentServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._sock is None:
            raise RuntimeError("SilentServer is not started")
        return int(self._sock.getsockname()[1])

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT/``: a URL whose server never answers."""
        return f"http://127.0.0.1:{self.port}/"
