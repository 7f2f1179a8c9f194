"""Fetching: the one place veille talks HTTP to the outside world.

One shared sync ``httpx.Client`` serves every thread (the poll flow runs one task per feed).
Everything a hostile or broken server can do is bounded here: time (connect, read and a total
deadline enforced on every socket read), size (Content-Length and the *decompressed* body),
redirects (followed by hand so every hop passes the SSRF guard), and politeness (a semaphore
and a minimum delay per host). Failures are ``FetchError`` with a short stable ``kind``.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
import zlib
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

from tasks.errors import FetchError
from tasks.netguard import GuardedBackend, HostBlocked, check_url_target, deadline_scope, one_line

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
_RETRYABLE_KINDS = frozenset({"timeout", "connect"})


@dataclass(frozen=True)
class FetchOptions:
    """Limits of one Fetcher; built from the settings by the flow."""

    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # one attempt, all hops and the body: guards slow-drip bodies
    max_bytes: int = 5_000_000  # on the decompressed body too (gzip bomb)
    max_redirects: int = 5
    per_host_concurrency: int = 2
    politeness_delay: float = 1.0  # seconds between two request starts to one host
    retries: int = 2
    backoff: float = 0.5
    max_retry_after: float = 30.0
    user_agent: str = "veille/0.1 (+https://github.com/veille/veille; news monitoring)"
    allow_private_hosts: bool = False
    # Exact host names or IPs exempt from the private-address check (tests: ("127.0.0.1",)),
    # narrower than allow_private_hosts: a redirect from there to 10.0.0.1 is still refused.
    allowed_hosts: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch (2xx body or 304)."""

    url: str
    status: int
    content: bytes
    headers: dict[str, str]
    etag: str | None
    last_modified: str | None
    not_modified: bool
    elapsed: float


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date), None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class _Decoder:
    """Bounded Content-Encoding decoder: stops as soon as output would pass the cap."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._fallback_raw = encoding == "deflate"
        if encoding in ("gzip", "x-gzip"):
            self._z: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._z = zlib.decompressobj()
        else:
            self._z = None

    def decode(self, data: bytes, room: int) -> bytes:
        """Decode ``data``, returning at most ``room + 1`` bytes (one more means: too large)."""
        if self._z is None:
            return data
        try:
            return self._z.decompress(data, room + 1)
        except zlib.error:
            if not self._fallback_raw:
                raise
            # Some servers send raw deflate without the zlib header.
            self._fallback_raw = False
            self._z = zlib.decompressobj(-zlib.MAX_WBITS)
            return self._z.decompress(data, room + 1)

    def flush(self) -> bytes:
        return self._z.flush() if self._z is not None else b""


class Fetcher:
    """Thread-safe fetcher; share one instance across the poll's threads."""

    def __init__(
        self, options: FetchOptions | None = None, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.options = options = options or FetchOptions()
        if transport is None:
            transport = httpx.HTTPTransport(
                limits=httpx.Limits(max_connections=100, max_keepalive_connections=20)
            )
            _install_guard(transport, options)
        self._client = httpx.Client(
            transport=transport,
            follow_redirects=False,
            trust_env=False,  # no proxy from the environment: the guard must see the real host
            timeout=httpx.Timeout(
                connect=options.connect_timeout,
                read=options.read_timeout,
                write=options.read_timeout,
                pool=options.total_timeout,
            ),
            headers={
                "User-Agent": options.user_agent,
                "Accept-Encoding": "gzip, deflate",  # only what _Decoder can bound
            },
        )
        self._lock = threading.Lock()
        self._host_sems: dict[str, threading.BoundedSemaphore] = {}
        self._host_next: dict[str, float] = {}

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
    ) -> FetchResult:
        """GET ``url`` within every limit; raise FetchError, retrying transient failures."""
        headers = {"Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        attempt = 0
        while True:
            try:
                return self._attempt(url, headers)
            except FetchError as err:
                attempt += 1
                wait = self._retry_wait(err, attempt)
                if wait is None:
                    raise
                time.sleep(wait)

    def _retry_wait(self, err: FetchError, attempt: int) -> float | None:
        """Seconds to wait before the next attempt, or None to give up with ``err``."""
        opts = self.options
        if attempt > opts.retries:
            return None
        if err.status in (429, 503) and err.retry_after is not None:
            return err.retry_after if err.retry_after <= opts.max_retry_after else None
        transient = err.kind in _RETRYABLE_KINDS or (
            err.status is not None and (err.status >= 500 and err.status != 501)
        )
        if not transient and err.status != 429:
            return None
        return opts.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)

    def _attempt(self, url: str, headers: dict[str, str]) -> FetchResult:
        """One attempt: follow redirects by hand, each hop guarded, under one deadline."""
        opts = self.options
        start = time.monotonic()
        deadline = start + opts.total_timeout
        seen: set[str] = set()
        current = url
        with deadline_scope(deadline):
            for _hop in range(opts.max_redirects + 1):
                seen.add(current)
                try:
                    target = self._check(current)
                    with self._host_slot(target.host):
                        result = self._request(current, target, headers, start, deadline)
                except FetchError as err:
                    if current == url:
                        raise
                    # Report against the URL the caller asked for, naming the hop that failed.
                    raise FetchError(
                        err.kind,
                        url,
                        f"{err.message} (redirected to {current})",
                        status=err.status,
                        retry_after=err.retry_after,
                    ) from None
                if isinstance(result, FetchResult):
                    return result
                nxt = result
                if nxt in seen:
                    raise FetchError("redirect_loop", url, f"redirect loop back to {nxt}")
                current = nxt
        raise FetchError(
            "too_many_redirects", url, f"more than {opts.max_redirects} redirects (last {current})"
        )

    def _check(self, url: str) -> httpx.URL:
        try:
            target = httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError("bad_url", url, f"invalid URL: {one_line(exc)}") from None
        opts = self.options
        try:
            check_url_target(
                target, opts.allow_private_hosts, opts.allowed_hosts, opts.connect_timeout
            )
        except HostBlocked as exc:
            raise FetchError(exc.kind, url, exc.reason) from None
        return target

    def _request(
        self,
        url: str,
        target: httpx.URL,
        headers: dict[str, str],
        start: float,
        deadline: float,
    ) -> FetchResult | str:
        """Send one request; return the result, or the next URL when redirected."""
        opts = self.options
        try:
            request = self._client.build_request("GET", target, headers=headers)
            response = self._client.send(request, stream=True)
        except HostBlocked as exc:
            raise FetchError(exc.kind, url, exc.reason) from None
        except httpx.HTTPError as exc:
            raise _map_httpx_error(exc, url, opts) from None
        try:
            status = response.status_code
            if status in REDIRECT_CODES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(
                        "protocol", url, f"HTTP {status} redirect without Location", status=status
                    )
                try:
                    return str(target.join(location.strip()))
                except (httpx.InvalidURL, ValueError) as exc:
                    raise FetchError("bad_url", url, f"bad redirect: {one_line(exc)}") from None
            lower = {k.lower(): v for k, v in response.headers.items()}
            if status == 304:
                # A 304 has no body; reading it ends the exchange, so the connection goes back to
                # the pool instead of being dropped (a new connection per unchanged feed).
                response.read()
                return _result(response, lower, b"", start, not_modified=True)
            if not 200 <= status < 300:
                raise _status_error(url, status, lower, opts)
            content = self._read_body(url, response, lower, deadline)
            return _result(response, lower, content, start, not_modified=False)
        except HostBlocked as exc:
            raise FetchError(exc.kind, url, exc.reason) from None
        except httpx.HTTPError as exc:
            raise _map_httpx_error(exc, url, opts) from None
        finally:
            response.close()

    def _read_body(
        self, url: str, response: httpx.Response, headers: dict[str, str], deadline: float
    ) -> bytes:
        cap = self.options.max_bytes
        declared = headers.get("content-length", "").strip()
        # Compressed bytes over the cap decompress to at least as many: refuse before reading.
        if declared.isdigit() and int(declared) > cap:
            raise FetchError("too_large", url, f"Content-Length {declared} over the {cap}-byte cap")
        encoding = headers.get("content-encoding", "identity").strip().lower() or "identity"
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise FetchError("protocol", url, f"unsupported Content-Encoding {encoding!r}")
        decoder = _Decoder(encoding)
        parts: list[bytes] = []
        size = 0
        try:
            # A transport that returns a fully read response (tests' MockTransport) has no stream.
            stream = [response.content] if response.is_stream_consumed else response.iter_raw()
            for raw in stream:
                chunk = decoder.decode(raw, cap - size)
                size += len(chunk)
                if size > cap:
                    raise FetchError("too_large", url, f"body over the {cap}-byte cap ({encoding})")
                parts.append(chunk)
                if time.monotonic() > deadline:
                    raise _total_timeout(url, self.options)
            tail = decoder.flush()
        except zlib.error as exc:
            raise FetchError("protocol", url, f"bad {encoding} body: {one_line(exc)}") from None
        if size + len(tail) > cap:
            raise FetchError("too_large", url, f"body over the {cap}-byte cap ({encoding})")
        parts.append(tail)
        return b"".join(parts)

    def _host_slot(self, host: str) -> _HostSlot:
        with self._lock:
            sem = self._host_sems.get(host)
            if sem is None:
                sem = threading.BoundedSemaphore(max(1, self.options.per_host_concurrency))
                self._host_sems[host] = sem
        return _HostSlot(self, host, sem)

    def _reserve_start(self, host: str) -> float:
        """Book the next start time for ``host``; return how long to sleep first."""
        delay = self.options.politeness_delay
        with self._lock:
            now = time.monotonic()
            start = max(now, self._host_next.get(host, 0.0))
            self._host_next[host] = start + delay
        return start - now


class _HostSlot:
    """Context manager: one of the host's concurrency slots plus its politeness delay."""

    def __init__(self, fetcher: Fetcher, host: str, sem: threading.BoundedSemaphore) -> None:
        self._fetcher, self._host, self._sem = fetcher, host, sem

    def __enter__(self) -> None:
        self._sem.acquire()
        wait = self._fetcher._reserve_start(self._host)
        if wait > 0:
            time.sleep(wait)

    def __exit__(self, *exc: object) -> None:
        self._sem.release()


def _result(
    response: httpx.Response,
    headers: dict[str, str],
    content: bytes,
    start: float,
    *,
    not_modified: bool,
) -> FetchResult:
    return FetchResult(
        url=str(response.request.url),
        status=response.status_code,
        content=content,
        headers=headers,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        not_modified=not_modified,
        elapsed=time.monotonic() - start,
    )


def _install_guard(transport: httpx.HTTPTransport, options: FetchOptions) -> None:
    """Swap in the guarded network backend: re-checks the address actually dialled (DNS
    rebinding) and enforces the total deadline on every read. Relies on httpx's ``_pool``."""
    pool = getattr(transport, "_pool", None)
    if isinstance(pool, httpcore.ConnectionPool):
        pool._network_backend = GuardedBackend(options.allow_private_hosts, options.allowed_hosts)


def _total_timeout(url: str, opts: FetchOptions) -> FetchError:
    return FetchError("timeout", url, f"no complete answer within {opts.total_timeout:g}s (total)")


def _status_error(url: str, status: int, headers: dict[str, str], opts: FetchOptions) -> FetchError:
    retry_after = parse_retry_after(headers.get("retry-after"))
    if status in (429, 503) and retry_after is not None and retry_after > opts.max_retry_after:
        return FetchError(
            "rate_limited",
            url,
            f"HTTP {status}, Retry-After {retry_after:.0f}s: deferred",
            status=status,
            retry_after=retry_after,
        )
    if status == 429:
        return FetchError(
            "rate_limited",
            url,
            "HTTP 429 Too Many Requests",
            status=status,
            retry_after=retry_after,
        )
    phrase = httpx.codes.get_reason_phrase(status)
    return FetchError(
        f"http_{status}",
        url,
        f"HTTP {status} {phrase}".rstrip(),
        status=status,
        retry_after=retry_after,
    )


def _map_httpx_error(exc: httpx.HTTPError, url: str, opts: FetchOptions) -> FetchError:
    text = one_line(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchError("timeout", url, f"connect timed out after {opts.connect_timeout:g}s")
    if isinstance(exc, httpx.TimeoutException):
        if "total" in text:
            return _total_timeout(url, opts)
        return FetchError("timeout", url, f"no data for {opts.read_timeout:g}s ({text})")
    if isinstance(exc, httpx.ConnectError):
        low = text.lower()
        if any(s in low for s in ("name or service", "name resolution", "nodename", "getaddrinfo")):
            return FetchError("dns", url, f"DNS lookup failed: {text}")
        return FetchError("connect", url, f"connection failed: {text}")
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError("too_many_redirects", url, text)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchError("bad_scheme", url, text)
    if isinstance(exc, httpx.NetworkError):
        return FetchError("connect", url, f"connection lost: {text}")
    return FetchError("protocol", url, f"{type(exc).__name__}: {text}")
