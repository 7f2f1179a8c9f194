"""The fetcher against a real local server: every fault of issue 3 is a FetchError kind.

Nothing here reaches beyond 127.0.0.1: the SSRF tests run under ``no_outside_connections``,
which fails the test if any socket tries to connect elsewhere, and DNS is faked with a
monkeypatched getaddrinfo where a test needs a name.
"""

# ruff: noqa: F811 - fixtures imported from tests.support are, by design, shadowed by test
# parameters of the same name (pytest injects them by name).

from __future__ import annotations

import gzip
import itertools
import socket
import threading
import time
import zlib
from collections.abc import Callable

import httpx
import pytest

from tasks.errors import FetchError
from tasks.fetch import Fetcher, FetchOptions, FetchResult, parse_retry_after
from tasks.netguard import GuardedBackend, HostBlocked, ip_literal, is_public_ip
from tests.support.fixtures_http import (  # noqa: F401 - pytest fixtures
    TEST_FETCH_OPTIONS,
    http_server,
    local_fetcher,
    make_fetcher,
    no_outside_connections,
    silent_server,
)
from tests.support.http_server import LocalHTTPServer, RequestHandler, closed_port_url

MakeFetcher = Callable[..., Fetcher]
FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


def fetch_error(fetcher: Fetcher, url: str, **kwargs: str) -> FetchError:
    """Fetch ``url`` expecting a FetchError; check the message is one clean line."""
    with pytest.raises(FetchError) as info:
        fetcher.fetch(url, **kwargs)
    err = info.value
    text = str(err)
    assert "\n" not in text and "Traceback" not in text and len(text) < 400, text
    assert err.message and err.kind
    return err


# --- the happy path and conditional GET --------------------------------------------------


def test_fetch_ok_returns_body_headers_and_validators(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    path = http_server.unique("feed.xml")
    url = http_server.add_conditional(path, FEED)
    result = local_fetcher.fetch(url, accept="application/rss+xml")
    assert isinstance(result, FetchResult)
    assert (result.status, result.content, result.not_modified) == (200, FEED, False)
    assert result.etag == '"v1"' and result.last_modified.endswith("GMT")
    assert result.headers["content-type"].startswith("application/rss+xml")
    assert all(key == key.lower() for key in result.headers)
    sent = http_server.headers_seen(path)[0]
    assert sent["user-agent"].startswith("veille/")
    assert sent["accept"] == "application/rss+xml"


def test_second_poll_is_conditional_and_costs_a_304(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    path = http_server.unique("feed.xml")
    url = http_server.add_conditional(path, FEED)
    first = local_fetcher.fetch(url)
    second = local_fetcher.fetch(url, etag=first.etag, last_modified=first.last_modified)
    assert second.not_modified and second.status == 304 and second.content == b""
    seen = http_server.headers_seen(path)
    assert len(seen) == 2
    assert seen[1]["if-none-match"] == '"v1"'
    assert seen[1]["if-modified-since"] == first.last_modified


def test_last_modified_alone_is_enough(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    url = http_server.add_conditional(http_server.unique("lm.xml"), FEED, etag=None)
    first = local_fetcher.fetch(url)
    assert first.etag is None
    assert local_fetcher.fetch(url, last_modified=first.last_modified).not_modified


def test_redirect_is_followed_and_final_url_reported(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    target = http_server.unique("moved.xml")
    http_server.add_static(target, FEED)
    url = http_server.add_redirect(http_server.unique("old.xml"), target, status=301)
    result = local_fetcher.fetch(url)
    assert result.url == http_server.url(target) and result.content == FEED


def test_gzip_and_raw_deflate_bodies_are_decoded(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    gz = http_server.add_static(
        http_server.unique("gz"), gzip.compress(FEED), {"Content-Encoding": "gzip"}
    )
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    body = raw.compress(FEED) + raw.flush()
    df = http_server.add_static(http_server.unique("df"), body, {"Content-Encoding": "deflate"})
    assert local_fetcher.fetch(gz).content == FEED
    assert local_fetcher.fetch(df).content == FEED


# --- HTTP status faults ---------------------------------------------------------------------


@pytest.mark.parametrize(("status", "kind"), [(404, "http_404"), (410, "http_410")])
def test_client_errors_are_not_retried(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, status: int, kind: str
) -> None:
    path = http_server.unique("gone")
    url = http_server.add_status(path, status)
    err = fetch_error(make_fetcher(retries=2), url)
    assert (err.kind, err.status) == (kind, status)
    assert http_server.count(path) == 1


def test_500_is_retried_with_backoff_then_reported(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    path = http_server.unique("boom")
    url = http_server.add_status(path, 500)
    err = fetch_error(make_fetcher(retries=2, backoff=0.01), url)
    assert (err.kind, err.status) == ("http_500", 500)
    assert "500" in err.message
    assert http_server.count(path) == 3


def test_501_is_not_retried(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    path = http_server.unique("nope")
    err = fetch_error(make_fetcher(retries=2), http_server.add_status(path, 501))
    assert err.kind == "http_501" and http_server.count(path) == 1


def flaky(status: int, failures: int, headers: dict[str, str] | None = None) -> object:
    """A route failing ``failures`` times with ``status``, then serving the feed."""
    calls = {"n": 0}

    def route(h: RequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] <= failures:
            h.reply(status, b"busy", headers)
        else:
            h.reply(200, FEED, {"Content-Type": "application/rss+xml"})

    return route


def test_transient_503_recovers(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    path = http_server.unique("flaky")
    url = http_server.add(path, flaky(503, 1))  # type: ignore[arg-type]
    assert make_fetcher(retries=2, backoff=0.01).fetch(url).content == FEED
    assert http_server.count(path) == 2


def test_429_with_short_retry_after_is_waited_then_succeeds(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    path = http_server.unique("limited")
    url = http_server.add(path, flaky(429, 1, {"Retry-After": "0"}))  # type: ignore[arg-type]
    assert make_fetcher(retries=1).fetch(url).content == FEED
    assert http_server.count(path) == 2


@pytest.mark.parametrize("status", [429, 503])
def test_long_retry_after_defers_the_feed(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, status: int
) -> None:
    path = http_server.unique("later")
    url = http_server.add_status(path, status, {"Retry-After": "120"})
    started = time.monotonic()
    err = fetch_error(make_fetcher(retries=2, max_retry_after=1.0), url)
    assert (err.kind, err.status, err.retry_after) == ("rate_limited", status, 120.0)
    assert time.monotonic() - started < 1.0 and http_server.count(path) == 1


def test_retry_after_parsing() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


# --- time faults ---------------------------------------------------------------------------


def test_server_that_never_answers_times_out(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    started = time.monotonic()
    err = fetch_error(local_fetcher, http_server.add_hang(http_server.unique("hang")))
    assert err.kind == "timeout" and time.monotonic() - started < 2.5


def test_socket_that_accepts_and_stays_silent_times_out(
    silent_server: object, local_fetcher: Fetcher
) -> None:
    started = time.monotonic()
    err = fetch_error(local_fetcher, silent_server.url)  # type: ignore[attr-defined]
    assert err.kind == "timeout" and time.monotonic() - started < 2.5


def test_slow_drip_body_is_cut_by_the_total_deadline(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    url = http_server.add_slow_drip(http_server.unique("drip"), interval=0.05)
    started = time.monotonic()
    err = fetch_error(make_fetcher(total_timeout=1.0, read_timeout=0.5), url)
    assert err.kind == "timeout" and "total" in err.message
    assert time.monotonic() - started < 2.0


def test_slow_drip_headers_are_cut_by_the_total_deadline(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    def drip_headers(h: RequestHandler) -> None:
        h.wfile.write(b"HTTP/1.1 200 OK\r\n")
        for i in range(100):
            if http_server.stopping.wait(0.05):
                return
            h.wfile.write(f"X-Pad-{i}: x\r\n".encode())
            h.wfile.flush()

    url = http_server.add(http_server.unique("slowhead"), drip_headers)
    started = time.monotonic()
    err = fetch_error(make_fetcher(total_timeout=1.0, read_timeout=0.5), url)
    assert err.kind == "timeout" and time.monotonic() - started < 2.0


# --- size faults ---------------------------------------------------------------------------


@pytest.mark.parametrize("declare_length", [True, False])
def test_50mb_body_is_refused_early(
    http_server: LocalHTTPServer, local_fetcher: Fetcher, declare_length: bool
) -> None:
    url = http_server.add_large(http_server.unique("big"), 50_000_000, declare_length)
    started = time.monotonic()
    err = fetch_error(local_fetcher, url)
    assert err.kind == "too_large" and time.monotonic() - started < 2.0
    assert ("Content-Length" in err.message) is declare_length


def test_gzip_bomb_is_capped_on_decompressed_size(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    url = http_server.add_gzip_bomb(http_server.unique("bomb"), 10_000_000)
    err = fetch_error(make_fetcher(max_bytes=5_000_000), url)
    assert err.kind == "too_large" and "gzip" in err.message


def test_unknown_content_encoding_is_a_protocol_error(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    url = http_server.add_static(http_server.unique("br"), b"xx", {"Content-Encoding": "br"})
    assert fetch_error(local_fetcher, url).kind == "protocol"


def test_garbage_instead_of_http_is_a_protocol_error(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    def garbage(h: RequestHandler) -> None:
        h.close_connection = True
        h.wfile.write(b"SSH-2.0-OpenSSH_9.0\r\n\r\n")

    assert fetch_error(
        local_fetcher, http_server.add(http_server.unique("junk"), garbage)
    ).kind in (
        "protocol",
        "connect",
    )


# --- redirects and the SSRF guard ----------------------------------------------------------


def test_redirect_loop(http_server: LocalHTTPServer, local_fetcher: Fetcher) -> None:
    a, b = http_server.unique("a"), http_server.unique("b")
    http_server.add_redirect(a, b)
    http_server.add_redirect(b, a)
    err = fetch_error(local_fetcher, http_server.url(a))
    assert err.kind == "redirect_loop"


def test_too_many_redirects(http_server: LocalHTTPServer, make_fetcher: MakeFetcher) -> None:
    paths = [http_server.unique(f"hop{i}") for i in range(8)]
    for here, there in itertools.pairwise(paths):
        http_server.add_redirect(here, there)
    http_server.add_static(paths[-1], FEED)
    err = fetch_error(make_fetcher(max_redirects=5), http_server.url(paths[0]))
    assert err.kind == "too_many_redirects"
    assert http_server.count(paths[6]) == 0  # stopped before the seventh hop


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        ("http://10.0.0.1/", "blocked_host"),
        ("http://169.254.169.254/latest/meta-data", "blocked_host"),
        ("http://[::1]:80/", "blocked_host"),
        ("http://2130706433/", "blocked_host"),
        ("file:///etc/passwd", "bad_scheme"),
        ("ftp://example.org/feed", "bad_scheme"),
        ("gopher://127.0.0.1:70/_", "bad_scheme"),
    ],
)
def test_redirects_to_forbidden_targets_are_refused_before_connecting(
    http_server: LocalHTTPServer,
    local_fetcher: Fetcher,
    no_outside_connections: list[object],
    location: str,
    kind: str,
) -> None:
    path = http_server.unique("evil")
    url = http_server.add_redirect(path, location)
    err = fetch_error(local_fetcher, url)
    assert err.kind == kind and err.url == url and "redirected to" in err.message
    assert http_server.count(path) == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://[::ffff:10.0.0.1]/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://0177.0.0.1/",
        "http://127.1/",
        "http://0xa9fea9fe/",
    ],
)
def test_private_addresses_are_blocked_by_default(
    make_fetcher: MakeFetcher, no_outside_connections: list[object], url: str
) -> None:
    err = fetch_error(make_fetcher(allowed_hosts=()), url)
    # httpx itself rejects some spellings (octal 0177.0.0.1) as invalid URLs: refused either way.
    assert err.kind in ("blocked_host", "bad_url") and err.status is None
    assert err.kind == "blocked_host" or "0177" in url


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x.org/", "gopher://x.org/", "x"])
def test_bad_schemes_are_refused_even_when_private_hosts_are_allowed(
    make_fetcher: MakeFetcher, no_outside_connections: list[object], url: str
) -> None:
    err = fetch_error(make_fetcher(allow_private_hosts=True), url)
    assert err.kind in ("bad_scheme", "bad_url")


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Answer getaddrinfo from ``answers`` (successive lists per call); others: NXDOMAIN."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def getaddrinfo(host: str, port: object, *args: object, **kwargs: object) -> list[tuple]:
        if host in ("127.0.0.1", "localhost"):
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        asked.append(host)
        queue = answers.get(host)
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        addr = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (addr, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_unknown_host_is_a_dns_error(
    monkeypatch: pytest.MonkeyPatch, make_fetcher: MakeFetcher
) -> None:
    fake_dns(monkeypatch, {})
    err = fetch_error(make_fetcher(allowed_hosts=()), "https://flux.inconnu.example/rss")
    assert err.kind == "dns"


def test_a_hanging_resolver_is_bounded_by_the_connect_timeout(
    monkeypatch: pytest.MonkeyPatch, make_fetcher: MakeFetcher
) -> None:
    release = threading.Event()
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: release.wait(5) and [])
    started = time.monotonic()
    try:
        err = fetch_error(
            make_fetcher(allowed_hosts=(), connect_timeout=0.3), "http://lent.example/"
        )
    finally:
        release.set()
    assert err.kind == "dns" and "took over" in err.message
    assert time.monotonic() - started < 1.5


def test_name_resolving_to_a_private_address_is_blocked(
    monkeypatch: pytest.MonkeyPatch,
    make_fetcher: MakeFetcher,
    no_outside_connections: list[object],
) -> None:
    fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    err = fetch_error(make_fetcher(allowed_hosts=()), "http://intranet.example/feed")
    assert err.kind == "blocked_host" and "10.1.2.3" in err.message


def test_dns_rebinding_is_caught_at_connect_time(
    monkeypatch: pytest.MonkeyPatch,
    make_fetcher: MakeFetcher,
    no_outside_connections: list[object],
) -> None:
    # First answer (the pre-check) is public, the second (the actual dial) is loopback.
    asked = fake_dns(monkeypatch, {"rebind.example": ["93.184.216.34", "127.0.0.1"]})
    err = fetch_error(make_fetcher(allowed_hosts=()), "http://rebind.example/feed")
    assert err.kind == "blocked_host" and "127.0.0.1" in err.message
    assert asked == ["rebind.example", "rebind.example"]


def test_guarded_backend_refuses_before_dialling(no_outside_connections: list[object]) -> None:
    with pytest.raises(HostBlocked) as info:
        GuardedBackend(allow_private=False).connect_tcp("169.254.169.254", 80)
    assert info.value.kind == "blocked_host"


def test_ip_helpers() -> None:
    assert str(ip_literal("0x7f.1")) == "127.0.0.1"
    assert str(ip_literal("[::1]")) == "::1"
    assert ip_literal("lemonde.fr") is None and ip_literal("cafe") is None
    assert is_public_ip(ip_literal("93.184.216.34"))  # type: ignore[arg-type]
    assert not is_public_ip(ip_literal("::ffff:192.168.0.1"))  # type: ignore[arg-type]


def test_connection_refused(local_fetcher: Fetcher) -> None:
    assert fetch_error(local_fetcher, closed_port_url()).kind == "connect"


@pytest.mark.parametrize("url", ["http://host:port/", "http:///nohost", "http://a\x00b/", ""])
def test_invalid_url(local_fetcher: Fetcher, url: str) -> None:
    assert fetch_error(local_fetcher, url).kind in ("bad_url", "bad_scheme")


# --- politeness and concurrency ------------------------------------------------------------


def tracking_route(delay: float) -> tuple[Callable[[RequestHandler], None], dict[str, object]]:
    """A route that records how many requests overlap and when each arrived."""
    state: dict[str, object] = {"now": 0, "max": 0, "arrivals": []}
    lock = threading.Lock()

    def route(h: RequestHandler) -> None:
        with lock:
            state["now"] = int(state["now"]) + 1  # type: ignore[call-overload]
            state["max"] = max(int(state["max"]), int(state["now"]))  # type: ignore[call-overload]
            state["arrivals"].append(time.monotonic())  # type: ignore[attr-defined]
        time.sleep(delay)
        with lock:
            state["now"] = int(state["now"]) - 1  # type: ignore[call-overload]
        h.reply(200, FEED)

    return route, state


@pytest.mark.parametrize("limit", [1, 2])
def test_per_host_concurrency_limit(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher, limit: int
) -> None:
    route, state = tracking_route(0.1)
    url = http_server.add(http_server.unique("busy"), route)
    fetcher = make_fetcher(per_host_concurrency=limit)
    threads = [threading.Thread(target=fetcher.fetch, args=(url,)) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert state["max"] == limit


def test_politeness_delay_spaces_requests_to_one_host(
    http_server: LocalHTTPServer, make_fetcher: MakeFetcher
) -> None:
    route, state = tracking_route(0.0)
    url = http_server.add(http_server.unique("polite"), route)
    fetcher = make_fetcher(politeness_delay=0.2, per_host_concurrency=4)
    threads = [threading.Thread(target=fetcher.fetch, args=(url,)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    arrivals = sorted(state["arrivals"])  # type: ignore[call-overload]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(arrivals) == 3 and min(gaps) >= 0.18


def test_one_fetcher_serves_many_threads(
    http_server: LocalHTTPServer, local_fetcher: Fetcher
) -> None:
    urls = [http_server.add_static(http_server.unique(f"f{i}.xml"), FEED) for i in range(40)]
    results: list[bytes] = []
    lock = threading.Lock()

    def work(chunk: list[str]) -> None:
        for url in chunk:
            content = local_fetcher.fetch(url).content
            with lock:
                results.append(content)

    threads = [threading.Thread(target=work, args=(urls[i::8],)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert results == [FEED] * 40


def test_default_options_and_custom_transport() -> None:
    assert FetchOptions().max_bytes == 5_000_000 and FetchOptions().max_redirects == 5
    assert TEST_FETCH_OPTIONS.allowed_hosts == ("127.0.0.1",)
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"ok"))
    with Fetcher(FetchOptions(allow_private_hosts=True), transport=transport) as fetcher:
        assert fetcher.fetch("http://mock.local/x").content == b"ok"
