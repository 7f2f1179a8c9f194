"""``veille serve``: the poll, deliver and backfill flows as deployments served by one process.

With ``PREFECT_API_URL`` set, the deployments register with that server (runs show in its UI).
Without it, Prefect's temporary server would not do: it runs no scheduler, so nothing would ever
be scheduled. We then start a real local server (``prefect server start``) as a child process on
a free loopback port, serve against it, and stop it on exit — the UI is there too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from config.settings import Config
from tasks.errors import VeilleError


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def check_scheduler_works() -> None:
    """Refuse to start a local server whose scheduler would never schedule a run.

    prefect 3.8's scheduler inserts flow runs in bulk through a model with a hybrid property;
    SQLAlchemy 2.1 refuses that ("Can't evaluate bulk DML statement; please supply a bulk_dml
    decorated function"), so every scheduler loop fails inside the server and ``serve`` waits
    forever with nothing to run. pyproject.toml pins ``sqlalchemy<2.1`` for this reason.
    """
    from importlib.metadata import version

    from packaging.version import Version

    sqlalchemy, prefect = Version(version("sqlalchemy")), Version(version("prefect"))
    if sqlalchemy >= Version("2.1") and prefect < Version("3.9"):
        raise VeilleError(
            f"serve: prefect {prefect}'s scheduler cannot create runs with SQLAlchemy "
            f"{sqlalchemy} (nothing would ever run): pip install 'sqlalchemy>=2.0,<2.1', "
            "or point PREFECT_API_URL at a Prefect server that runs its own scheduler"
        )


def server_log_path() -> Path:
    """Where the local server's output goes: PREFECT_HOME, beside its database."""
    from prefect.settings import PREFECT_HOME

    return Path(PREFECT_HOME.value()) / "veille-serve-server.log"


@contextlib.contextmanager
def local_prefect_server(port: int | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Run ``prefect server start`` on loopback until the block ends; yield its API URL.

    Its output goes to :func:`server_log_path`, which an error at start names.
    """
    port = port or _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    }
    env.pop("PREFECT_API_URL", None)
    cmd = [
        sys.executable,
        "-m",
        "prefect",
        "server",
        "start",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    log_path = server_log_path()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches veille only; veille stops the server
        )
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise VeilleError(
                    f"prefect server exited with code {proc.returncode} at start (see {log_path})"
                )
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise VeilleError(
                    f"prefect server did not answer on {api} within {timeout:.0f} s "
                    f"(see {log_path})"
                )
            time.sleep(0.5)
        yield api
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def build_deployments(
    config: Config,
    config_path: str | None,
    *,
    poll_every: timedelta | None = None,
    deliver_every: timedelta | None = None,
) -> list[Any]:
    """One deployment per flow, schedules from [settings] (poll 15 min, deliver 5 by default).

    The flows get the config file by absolute path (a run may start in another directory).
    """
    from .backfill import backfill
    from .deliver import deliver_flow
    from .poll import poll

    params = {"config_path": str(Path(config_path).resolve())} if config_path else {}
    poll_every = poll_every or timedelta(minutes=config.settings.poll_interval)
    deliver_every = deliver_every or timedelta(minutes=config.settings.deliver_interval)
    return [
        poll.to_deployment(
            "scheduled",
            interval=poll_every,
            parameters=params,
            concurrency_limit=1,
            description="Poll the feeds, store articles and events, send the alerts.",
        ),
        deliver_flow.to_deployment(
            "scheduled",
            interval=deliver_every,
            parameters=params,
            concurrency_limit=1,
            description="Send the pending alerts; retry failed channels with backoff.",
        ),
        backfill.to_deployment(
            "manual",
            parameters=params,
            description="Backfill by hand: URLs, a date range of feed archives, or reprocess.",
        ),
    ]


def serve_forever(
    config: Config,
    config_path: str | None,
    *,
    poll_every: timedelta | None = None,
    deliver_every: timedelta | None = None,
) -> None:
    """Serve until SIGINT/SIGTERM; pause the schedules on the way out (Prefect's default)."""
    from prefect import serve

    def _serve() -> None:
        deployments = build_deployments(
            config, config_path, poll_every=poll_every, deliver_every=deliver_every
        )
        serve(*deployments, pause_on_shutdown=True, print_starting_message=True)

    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if os.environ.get("PREFECT_API_URL"):
        _serve()
        return
    check_scheduler_works()
    with local_prefect_server() as api:
        os.environ["PREFECT_API_URL"] = api
        print(f"Prefect server (UI and API) on {api.removesuffix('/api')}", flush=True)
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings({PREFECT_API_URL: api}):
            _serve()
