"""The deliver flow: send what the outbox holds, record every attempt, retry across runs.

Delivery guarantee
    **At least once per (event, channel), in order per channel, with a dedupe key.** A delivery
    row is written in the same transaction as its event, so an event cannot exist without its
    deliveries. A row becomes ``sent`` only after its channel accepted the message; an attempt is
    opened (committed) before the send and closed after, so if the process dies between the send
    and the record (kill -9, power loss) the row is still pending, its attempt shows as
    interrupted, and the next run sends it again **with the same dedupe key**: the event key for
    one alert, ``dg-<hash of channel and event keys>`` for a digest (pinned before its first
    send, so a re-sent digest carries the same events and key). The key is in every message
    ("Réf. veille : …"), in an ``X-Veille-Key`` header (webhooks, email) and in the JSON
    payload (``veille_key``), so a receiver can drop the repeat. Exactly-once is not possible
    without the receiver's help: no channel lets us ask "did you already get this?".

    Failures are retried on later runs with exponential backoff (``base_delay × 2^(n-1)``, capped
    at 6 h, per row in ``next_attempt_at``); after ``max_attempts`` a row is ``dead`` and shown by
    ``veille outbox``. A channel's queue moves in ``events.seq`` order: its first failure stops
    that channel for the run and nothing behind a waiting row is sent before it. Channels are
    sent concurrently, each within a bounded timeout, so a channel that is down or slow never
    delays another.

Prefect: one task per channel per run (``send-<label>``) wraps the network sends of that channel;
no Prefect retries (the outbox's backoff spans runs) and no cache (``NO_CACHE``).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from config.settings import Config, load_config
from storage import outbox
from storage.db import open_db
from tasks.errors import VeilleError
from tasks.messages import Message, digest_message, event_message
from tasks.notify import DEFAULT_TIMEOUT, Channel, load_channels, send_message

log = logging.getLogger("veille.deliver")


@dataclass
class DeliverySummary:
    """What a run did, counted in deliveries (event × channel) except ``digests``/``messages``."""

    sent: int = 0  # deliveries accepted by their channel
    failed: int = 0  # deliveries whose attempt failed: still pending, retried on a later run
    dead: int = 0  # deliveries given up in this run (max_attempts reached)
    digests: int = 0  # digest messages sent
    messages: int = 0  # messages sent (one alert or one digest each)
    unknown_channels: list[str] = field(default_factory=list)  # due rows, channel not configured

    def add(self, other: DeliverySummary) -> None:
        for name in ("sent", "failed", "dead", "digests", "messages"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Outgoing:
    """One message of a channel's queue and the delivery rows it carries."""

    message: Message
    event_keys: tuple[str, ...]
    pin: bool = False  # a new digest: store its id on its rows before the first send


class Recorder:
    """Serialises the workers' writes on the one database connection."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        clock: Callable[[], datetime],
        max_attempts: int,
        base_delay: float,
    ) -> None:
        self.db, self.clock = db, clock
        self.max_attempts, self.base_delay = max_attempts, base_delay
        self.lock = threading.Lock()

    def begin(self, channel: str, out: Outgoing) -> int:
        with self.lock:
            return outbox.begin_attempt(
                self.db,
                channel,
                out.message.key,
                out.event_keys,
                digest=out.message.digest,
                pin=out.pin,
                now=self.clock(),
            )

    def finish(
        self, attempt: int, channel: str, out: Outgoing, *, error: str | None, duration: float
    ) -> int:
        with self.lock:
            return outbox.record_attempt(
                self.db,
                attempt,
                channel,
                out.event_keys,
                ok=error is None,
                error=error,
                duration=duration,
                now=self.clock(),
                max_attempts=self.max_attempts,
                base_delay=self.base_delay,
            )


def plan_channel(
    channel: Channel, rows: Sequence[Mapping[str, Any]], *, digest_threshold: int
) -> list[Outgoing]:
    """A channel's due rows as messages, in queue order (by the first event's seq).

    Rows already pinned to a digest go together again (same key). Other rows go as one digest
    when they are flagged (a backfill's group, ``events.backfill``), when the channel is tagged
    ``digest``, or all of them when more than ``digest_threshold`` unflagged rows are due (a
    burst); the rest go one message per event.
    """
    plain = sum(1 for row in rows if not (row.get("digest") or row.get("backfill")))
    everything = channel.digest_only or plain > digest_threshold
    pinned: dict[str, list[Mapping[str, Any]]] = {}
    fresh: list[Mapping[str, Any]] = []
    planned: list[tuple[int, Outgoing]] = []
    for row in rows:
        group = row.get("digest") or ""
        if group.startswith(outbox.DIGEST_PREFIX):
            pinned.setdefault(group, []).append(row)
        elif everything or group or row.get("backfill"):
            fresh.append(row)
        else:
            out = Outgoing(event_message(row), (row["event_key"],))
            planned.append((row["seq"], out))
    for key, group_rows in pinned.items():
        keys = tuple(r["event_key"] for r in group_rows)
        planned.append((group_rows[0]["seq"], Outgoing(digest_message(group_rows, key=key), keys)))
    if fresh:
        keys = tuple(r["event_key"] for r in fresh)
        key = outbox.digest_id(channel.label, keys)
        planned.append((fresh[0]["seq"], Outgoing(digest_message(fresh, key=key), keys, pin=True)))
    planned.sort(key=lambda item: item[0])
    return [out for _, out in planned]


def send_queue(
    channel: Channel, queue: Sequence[Outgoing], recorder: Recorder, timeout: float
) -> DeliverySummary:
    """Send a channel's messages in order, recording each; stop at the first failure."""
    result = DeliverySummary()
    for out in queue:
        attempt = recorder.begin(channel.label, out)
        started = time.monotonic()
        error: str | None = None
        try:
            send_message(channel, out.message, timeout=timeout)
        except VeilleError as exc:
            error = str(exc)
        except Exception as exc:  # a bug in a plugin: record it, keep the other channels going
            log.exception("%s: unexpected error while sending", channel.label)
            error = f"{channel.label}: unexpected {type(exc).__name__}"
        dead = recorder.finish(
            attempt, channel.label, out, error=error, duration=time.monotonic() - started
        )
        if error is not None:
            log.warning("%s", error)
            result.dead += dead
            result.failed += len(out.event_keys) - dead
            break
        result.sent += len(out.event_keys)
        result.messages += 1
        result.digests += int(out.message.digest)
    return result


QueueRunner = Callable[[Channel, Sequence[Outgoing], Recorder, float], DeliverySummary]


def deliver_pending(
    db: sqlite_utils.Database,
    channels: Sequence[Channel],
    *,
    now: datetime | None = None,
    max_attempts: int = 8,
    base_delay: float = 60.0,
    digest_threshold: int = 10,
    timeout: float = DEFAULT_TIMEOUT,
    run_queue: QueueRunner = send_queue,
) -> DeliverySummary:
    """Send every due delivery, one concurrent queue per channel; see the module's guarantee.

    ``now`` fixes the run's clock (tests simulate later runs with it); ``run_queue`` is how a
    channel's queue is sent (the flow passes its Prefect task).
    """
    clock = (lambda: now) if now is not None else (lambda: datetime.now(UTC))
    summary = DeliverySummary()
    if channels:
        outbox.register_channels(db, channels, now=clock())
    by_label = {channel.label: channel for channel in channels}
    rows_by_channel: dict[str, list[dict[str, Any]]] = {}
    for row in outbox.due_deliveries(db, clock()):
        rows_by_channel.setdefault(row["channel"], []).append(row)
    jobs: list[tuple[Channel, list[Outgoing]]] = []
    for label, rows in rows_by_channel.items():
        channel = by_label.get(label)
        if channel is None:
            summary.unknown_channels.append(label)
            continue
        jobs.append((channel, plan_channel(channel, rows, digest_threshold=digest_threshold)))
    if summary.unknown_channels:
        log.warning(
            "deliveries pending for channels no longer configured: %s",
            ", ".join(summary.unknown_channels),
        )
    if not jobs:
        return summary
    recorder = Recorder(db, clock=clock, max_attempts=max_attempts, base_delay=base_delay)
    with ThreadPoolExecutor(max_workers=min(len(jobs), 16), thread_name_prefix="deliver") as pool:
        futures = [
            pool.submit(
                contextvars.copy_context().run, run_queue, channel, queue, recorder, timeout
            )
            for channel, queue in jobs
        ]
        for future in futures:
            summary.add(future.result())
    return summary


@task(name="send-channel", task_run_name="send-{channel.label}", cache_policy=NO_CACHE)
def send_channel_task(
    channel: Channel, queue: Sequence[Outgoing], recorder: Recorder, timeout: float
) -> DeliverySummary:
    """The network sends of one channel in one run: one Prefect task run, not one per message."""
    return send_queue(channel, queue, recorder, timeout)


def deliver_configured(
    db: sqlite_utils.Database,
    config: Config,
    *,
    throttle: bool = True,
    timeout: float | None = None,
    run_queue: Callable[..., DeliverySummary] = send_queue,
) -> DeliverySummary:
    """Deliver with the channels and retry policy of the configuration ([settings.notify])."""
    notify = config.settings.notify
    channels = load_channels(config_path=notify.config_file, throttle=throttle)
    if not channels:
        log.warning("no notification channel configured (VEILLE_NOTIFY, VEILLE_NOTIFY_CONFIG)")
    return deliver_pending(
        db,
        channels,
        max_attempts=notify.max_attempts,
        base_delay=notify.base_delay,
        digest_threshold=notify.digest_threshold,
        timeout=timeout or notify.timeout,
        run_queue=run_queue,
    )


@flow(name="deliver")
def deliver_flow(
    config_path: str | None = None,
    db_path: str | None = None,
    timeout: float | None = None,
    throttle: bool = True,
) -> dict[str, Any]:
    """Send what the outbox holds to the configured channels; retry policy from [settings.notify].

    ``throttle=False`` turns apprise's per-channel pacing off (email waits 5.5 s between two
    messages otherwise): for tests and local receivers.
    """
    config = load_config(config_path)
    db = open_db(Path(db_path) if db_path else config.settings.database)
    try:
        summary = deliver_configured(
            db, config, throttle=throttle, timeout=timeout, run_queue=send_channel_task
        )
    finally:
        db.close()
    return asdict(summary)
