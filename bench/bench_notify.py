"""Alert delivery figures on loopback: latency, throughput, time to give up on a silent endpoint.

    .venv/bin/python bench/bench_notify.py [--quick]

Everything is real and local: a SQLite file, apprise, a local HTTP webhook (``json://``) and
an aiosmtpd server (``mailto://``, throttling off), a socket that accepts and never answers.
Latency is measured from the commit of an event and its deliveries (what the poll flow does
right after storing an article) to the message's arrival at the receiver.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from demo.receivers import SilentServer, SmtpReceiver, WebhookReceiver
from flows.deliver import deliver_pending
from storage import outbox
from storage.db import open_db, transaction
from tasks.notify import load_channels
from tests.support.events import store_events


def _channel(url: str):  # type: ignore[no-untyped-def]
    (channel,) = load_channels({"VEILLE_NOTIFY": url}, throttle=False)
    return channel


def latency(rounds: int) -> None:
    with WebhookReceiver() as hook, SmtpReceiver() as smtp, tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "veille.db")
        channels = [_channel(f"json://127.0.0.1:{hook.port}/x"), _channel(smtp.apprise_url())]
        hook_ms, mail_ms = [], []
        for n in range(1, rounds + 1):
            started = time.monotonic()
            with transaction(db):
                keys = store_events(db, 1, start=n)
                outbox.enqueue_deliveries(db, keys, channels)
            deliver_pending(db, channels, timeout=5)
            hook.wait_for(n)
            smtp.wait_for(n)
            hook_ms.append((hook.requests[-1].received_at - started) * 1000)
            mail_ms.append((smtp.messages[-1].received_at - started) * 1000)
        db.close()
    for name, values in (("webhook (json://)", hook_ms), ("email (mailto://)", mail_ms)):
        q = statistics.quantiles(values, n=20)
        print(
            f"latency stored event → received, {name}: median {statistics.median(values):.1f} ms, "
            f"p95 {q[18]:.1f} ms, max {max(values):.1f} ms ({rounds} events; goal < 2000 ms)"
        )


def throughput(count: int, emails: int) -> None:
    with WebhookReceiver() as hook, SmtpReceiver() as smtp, tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "veille.db")
        for label, channel, n, receiver in (
            ("webhook", _channel(f"json://127.0.0.1:{hook.port}/x"), count, hook),
            ("email", _channel(smtp.apprise_url()), emails, smtp),
        ):
            start = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM events").fetchone()[0]
            with transaction(db):
                keys = store_events(db, n, start=start)
                outbox.enqueue_deliveries(db, keys, [channel])
            started = time.monotonic()
            summary = deliver_pending(db, [channel], digest_threshold=n + 1, timeout=5)
            receiver.wait_for(n, timeout=60)
            elapsed = time.monotonic() - started
            print(
                f"throughput, {label}: {summary.sent} deliveries in {elapsed:.2f} s = "
                f"{summary.sent / elapsed:.0f}/s (one channel, one message each, "
                "each attempt recorded)"
            )
        start = db.execute("SELECT MAX(seq) + 1 FROM events").fetchone()[0]
        channel = _channel(f"json://127.0.0.1:{hook.port}/digest")
        with transaction(db):
            keys = store_events(db, 1000, start=start)
            outbox.enqueue_deliveries(db, keys, [channel], digest="backfill")
        started = time.monotonic()
        summary = deliver_pending(db, [channel], timeout=5)
        print(
            f"digest: 1000 backfilled events → {summary.messages} message in "
            f"{time.monotonic() - started:.2f} s"
        )
        db.close()


def give_up(timeouts: list[float]) -> None:
    with SilentServer() as silent, tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "veille.db")
        seq = 1
        for timeout in timeouts:
            url_email = (
                f"mailto://localhost:{silent.port}?smtp=127.0.0.1&mode=insecure"
                f"&from=v@example.com&to=a{seq}@example.com"
            )
            for label, url in (
                ("webhook", f"json://127.0.0.1:{silent.port}/x{seq}"),
                ("email", url_email),
            ):
                channel = _channel(url)
                with transaction(db):
                    keys = store_events(db, 1, start=seq)
                    outbox.enqueue_deliveries(db, keys, [channel])
                seq += 1
                started = time.monotonic()
                summary = deliver_pending(db, [channel], timeout=timeout)
                elapsed = time.monotonic() - started
                attempt = outbox.attempts_for(db, channel=channel.label)[-1]
                print(
                    f"give up on a silent {label} endpoint, timeout={timeout:g} s: "
                    f"{elapsed:.2f} s (failed={summary.failed}, recorded: {attempt['error']})"
                )
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    latency(10 if args.quick else 50)
    throughput(100 if args.quick else 500, 20 if args.quick else 100)
    give_up([1.0] if args.quick else [1.0, 10.0])


if __name__ == "__main__":
    main()
