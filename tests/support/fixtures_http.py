"""Pytest fixtures around the local servers; import them in a test module or conftest.

from tests.support.fixtures_http import http_server, local_fetcher  # noqa: F401
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from demo.receivers import SilentServer
from tasks.fetch import Fetcher, FetchOptions
from tests.support.http_server import LocalHTTPServer

# Fast, local-only limits: tests stay well under a second per fault.
TEST_FETCH_OPTIONS = FetchOptions(
    connect_timeout=1.0,
    read_timeout=1.0,
    total_timeout=2.0,
    max_bytes=1_000_000,
    retries=0,
    backoff=0.05,
    max_retry_after=1.0,
    politeness_delay=0.0,
    per_host_concurrency=8,
    allowed_hosts=("127.0.0.1",),
)

_LOCAL = ("127.0.0.1", "::1", "localhost")


@pytest.fixture(scope="session")
def http_server() -> Iterator[LocalHTTPServer]:
    """One real HTTP server on 127.0.0.1 for the session; register routes per test."""
    with LocalHTTPServer() as server:
        yield server


@pytest.fixture(scope="session")
def silent_server() -> Iterator[SilentServer]:
    """A socket that accepts and never answers."""
    with SilentServer() as server:
        yield server


@pytest.fixture
def no_outside_connections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Record (and refuse) any socket connect beyond 127.0.0.1; fail the test if one happened."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if host not in _LOCAL:
            attempts.append(address)
            raise ConnectionRefusedError(f"test guard: refused connect to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    yield attempts
    assert not attempts, f"connections beyond 127.0.0.1 were attempted: {attempts}"


@pytest.fixture
def make_fetcher() -> Iterator[Callable[..., Fetcher]]:
    """Build Fetchers with the fast local options, overriding fields per test; all closed."""
    made: list[Fetcher] = []

    def make(**overrides: Any) -> Fetcher:
        fields = {**TEST_FETCH_OPTIONS.__dict__, **overrides}
        fetcher = Fetcher(FetchOptions(**fields))
        made.append(fetcher)
        return fetcher

    yield make
    for fetcher in made:
        fetcher.close()


@pytest.fixture
def local_fetcher(make_fetcher: Callable[..., Fetcher]) -> Fetcher:
    """A Fetcher with the fast local options."""
    return make_fetcher()
