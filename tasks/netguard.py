"""Network guard of the fetcher: SSRF checks and a per-thread total deadline.

Kept apart from ``fetch.py`` because it is policy, not plumbing: which addresses veille may dial
(only globally routable unicast, unless the operator allows private hosts) and how long any
single attempt may keep a socket. The guard runs twice: on each URL before a request (clean
errors, works with any transport) and inside the connection itself (``GuardedBackend``), which
checks the address actually dialled, so a DNS answer that changes between the two cannot slip
a private address through.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import httpcore
import httpx


def one_line(text: object, limit: int = 200) -> str:
    """Collapse an exception text to one short line for summaries and logs."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


_ALLOWED_SCHEMES = frozenset({"http", "https"})
# Legacy IPv4 spellings that inet_aton accepts: 2130706433, 0x7f000001, 0177.0.0.1, 127.1
_LEGACY_IPV4 = re.compile(r"^(?:0x[0-9a-f]+|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)
_deadline = threading.local()


class HostBlocked(Exception):
    """Raised by the guard before any connection; mapped to FetchError(kind)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind, self.reason = kind, reason


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host spells directly, including decimal/hex/octal IPv4 forms."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def is_public_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped IPv6 unwrapped)."""
    if isinstance(ip, ipaddress.IPv6Address):
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            return is_public_ip(mapped)
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


# getaddrinfo has no timeout of its own: a black-holed resolver would hold a poll thread for
# tens of seconds. Lookups run here and are abandoned (not killed) after the connect timeout.
_DNS_POOL = ThreadPoolExecutor(max_workers=16, thread_name_prefix="veille-dns")


def _resolve(host: str, port: int, timeout: float | None = None) -> list[str]:
    future = _DNS_POOL.submit(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    try:
        infos = future.result(timeout)
    except FutureTimeout:
        raise HostBlocked("dns", f"DNS lookup for {host} took over {timeout:g}s") from None
    except (socket.gaierror, UnicodeError) as exc:
        raise HostBlocked("dns", f"DNS lookup failed for {host}: {one_line(exc)}") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _check_addresses(host: str, addresses: list[str]) -> None:
    for addr in addresses:
        ip = ipaddress.ip_address(addr.split("%", 1)[0])
        if not is_public_ip(ip):
            raise HostBlocked("blocked_host", f"refused: {host} resolves to non-public {ip}")


def check_url_target(
    url: httpx.URL,
    allow_private: bool,
    allowed_hosts: tuple[str, ...] = (),
    timeout: float | None = None,
) -> None:
    """Refuse non-http(s) schemes and hosts that are or resolve to non-public addresses."""
    if url.scheme not in _ALLOWED_SCHEMES:
        raise HostBlocked("bad_scheme", f"refused scheme {url.scheme or '(none)'}://")
    host = url.host
    if not host:
        raise HostBlocked("bad_url", "URL has no host")
    if allow_private or host.lower() in allowed_hosts:
        return
    literal = ip_literal(host)
    if literal is not None:
        if not is_public_ip(literal):
            raise HostBlocked("blocked_host", f"refused: {host} is non-public address {literal}")
        return
    port = url.port or (443 if url.scheme == "https" else 80)
    _check_addresses(host, _resolve(host, port, timeout))


@contextlib.contextmanager
def deadline_scope(deadline: float) -> Iterator[None]:
    """Make every socket read of this thread finish by ``deadline`` (time.monotonic)."""
    previous = getattr(_deadline, "value", None)
    _deadline.value = deadline
    try:
        yield
    finally:
        _deadline.value = previous


class _DeadlineStream(httpcore.NetworkStream):
    """Clip each read's timeout to the thread's deadline: slow-drip headers or bodies stop."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        deadline = getattr(_deadline, "value", None)
        if deadline is None:
            return self._inner.read(max_bytes, timeout)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise httpcore.ReadTimeout("total deadline passed")
        clipped = timeout is None or remaining < timeout
        try:
            return self._inner.read(max_bytes, remaining if clipped else timeout)
        except httpcore.ReadTimeout:
            if clipped:
                raise httpcore.ReadTimeout("total deadline passed") from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, timeout)

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Resolve once, check every address, dial the checked address: no DNS-rebinding gap."""

    def __init__(self, allow_private: bool, allowed_hosts: tuple[str, ...] = ()) -> None:
        self._allow_private = allow_private
        self._allowed = allowed_hosts

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        addresses = _resolve(host, port, timeout)
        if not (self._allow_private or host.lower() in self._allowed):
            _check_addresses(host, addresses)
        last: Exception | None = None
        for addr in addresses:
            try:
                stream = super().connect_tcp(addr, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
                continue
            return _DeadlineStream(stream)
        assert last is not None
        raise last
