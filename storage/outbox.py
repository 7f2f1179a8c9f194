"""The outbox: one delivery row per (event, channel), every attempt, and the known channels.

A delivery row is created with its event, in the same transaction (:func:`enqueue_deliveries`),
so an event that exists always has its deliveries: nothing can be stored and forgotten. The
deliver flow then reads what is due (:func:`due_deliveries`), opens an attempt before the network
send (:func:`begin_attempt`) and closes it after (:func:`record_attempt`). An attempt left open
(``ok`` NULL) is a send whose outcome was never recorded (the process died): its rows are still
pending and are sent again, with the same dedupe key.

Channels are stored by label only (a tag-free ``schema-hash``) with apprise's privacy form of the
URL for display: no secret ever reaches this file. Row states:

    pending ──send ok──► sent
       │ └──failure──► pending (attempts+1, next_attempt_at = now + backoff)
       └──attempts ≥ max──► dead          suppressed: never to be sent (operator, --no-alerts)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import sqlite_utils

from .db import transaction

PENDING, SENT, DEAD, SUPPRESSED = "pending", "sent", "dead", "suppressed"
STATUSES = (PENDING, SENT, DEAD, SUPPRESSED)
MAX_BACKOFF = 6 * 3600.0  # seconds: a channel down for a day is still tried every 6 h
DIGEST_PREFIX = "dg-"  # a digest id pinned at its first attempt (see begin_attempt)


class ChannelLike(Protocol):
    """What the outbox needs to know of a channel; ``tasks.notify.Channel`` is one."""

    label: str
    display: str
    tags: tuple[str, ...]


def create_outbox_tables(db: sqlite_utils.Database) -> None:
    """Create the deliveries, delivery_attempts and channels tables (migration 3)."""
    db["deliveries"].create(
        {
            "event_key": str,
            "channel": str,  # the channel's label, never its URL
            "status": str,  # pending | sent | dead | suppressed
            "attempts": int,
            "next_attempt_at": str,  # null = due now
            "last_attempt_at": str,
            "last_error": str,  # one line, no secret
            "sent_at": str,
            "digest": str,  # group id: a backfill's, or the pinned id of a digest message
            "created_at": str,
        },
        pk=("event_key", "channel"),
        not_null={"status"},
        defaults={"status": PENDING, "attempts": 0},
        foreign_keys=[("event_key", "events", "key")],
    )
    db["deliveries"].create_index(["channel", "status"])
    db["deliveries"].create_index(["status"])
    db["delivery_attempts"].create(
        {
            "id": int,
            "channel": str,
            "message_key": str,  # the dedupe key carried by the message
            "event_keys": str,  # JSON list: the rows this message carries
            "digest": int,  # 1 = a digest message
            "started_at": str,
            "finished_at": str,  # null with ok null: interrupted, outcome unknown
            "ok": int,  # 1 sent, 0 failed, null = never recorded (crash during the send)
            "error": str,  # one line, no secret
            "duration_ms": int,
        },
        pk="id",
    )
    db["delivery_attempts"].create_index(["channel", "id"])
    db["delivery_attempts"].create_index(["message_key"])
    db["channels"].create(
        {
            "label": str,
            "display": str,  # apprise's url(privacy=True)
            "tags": str,  # JSON list
            "first_seen": str,
            "last_seen": str,
        },
        pk="label",
    )


def _iso(moment: datetime) -> str:
    """The ISO text of a moment, in the same shape as ``storage.db.utcnow()``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _label(channel: str | ChannelLike) -> str:
    return channel if isinstance(channel, str) else channel.label


def register_channels(
    db: sqlite_utils.Database, channels: Iterable[ChannelLike], *, now: datetime | None = None
) -> None:
    """Upsert channels (label, privacy-safe display, tags) so ``veille outbox`` can show them."""
    stamp = _iso(now or datetime.now(UTC))
    with transaction(db):
        for channel in channels:
            db.execute(
                "INSERT INTO channels (label, display, tags, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(label) DO UPDATE SET "
                "display = excluded.display, tags = excluded.tags, last_seen = excluded.last_seen",
                [channel.label, channel.display, json.dumps(list(channel.tags)), stamp, stamp],
            )


def enqueue_deliveries(
    db: sqlite_utils.Database,
    event_keys: Iterable[str],
    channels: Iterable[str | ChannelLike],
    *,
    digest: str | None = None,
    now: datetime | None = None,
) -> int:
    """Create one pending delivery per (event, channel); existing rows are left alone.

    Call it inside the transaction that writes the events: an event then never exists without
    its deliveries. ``digest`` (a backfill's id) makes these rows go out as one digest message
    per channel. Returns the number of rows created.
    """
    stamp = _iso(now or datetime.now(UTC))
    labels = [_label(channel) for channel in channels]
    created = 0
    with transaction(db):
        for key in event_keys:
            for label in labels:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO deliveries "
                    "(event_key, channel, status, attempts, digest, created_at) "
                    "VALUES (?, ?, ?, 0, ?, ?)",
                    [key, label, PENDING, digest, stamp],
                )
                created += cursor.rowcount
    return created


_DUE_SQL = """
WITH pending AS (
    SELECT d.*, e.key, e.seq, e.kind, e.retailer, e.retailer_name, e.old_status, e.new_status,
           e.reported, e.sentence, e.article_id, e.url, e.source, e.story_id, e.published,
           e.backfill,
           FIRST_VALUE(d.next_attempt_at) OVER (
               PARTITION BY d.channel ORDER BY e.seq
           ) AS head_next_attempt_at
    FROM deliveries d JOIN events e ON e.key = d.event_key
    WHERE d.status = 'pending'
)
SELECT p.*,
       CASE WHEN p.story_id IS NULL THEN 0 ELSE MAX(0, (
           SELECT COUNT(DISTINCT a.site) FROM articles a
           WHERE a.story_id = p.story_id AND a.site IS NOT NULL
       ) - 1) END AS also_reported
FROM pending p
WHERE p.head_next_attempt_at IS NULL OR p.head_next_attempt_at <= :now
ORDER BY p.channel, p.seq
"""


def due_deliveries(db: sqlite_utils.Database, now: datetime) -> list[dict[str, Any]]:
    """Pending rows joined with their event, for channels whose oldest pending row is due.

    A channel's queue moves as one, oldest first (by ``events.seq``): if its head is waiting for
    its backoff, nothing behind it is due either, so a channel never delivers out of order.
    Each row carries ``also_reported``: the distinct outlets of the event's story, minus one.
    """
    cursor = db.execute(_DUE_SQL, {"now": _iso(now)})
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def pending_channels(db: sqlite_utils.Database) -> list[str]:
    """Labels that still have pending rows (including channels no longer configured)."""
    return [
        row[0]
        for row in db.execute(
            "SELECT DISTINCT channel FROM deliveries WHERE status = 'pending' ORDER BY channel"
        )
    ]


def digest_id(channel: str, event_keys: Iterable[str]) -> str:
    """A digest's id and dedupe key: a hash of the channel and its sorted event keys."""
    text = "\n".join([channel, *sorted(event_keys)])
    return DIGEST_PREFIX + hashlib.sha256(text.encode()).hexdigest()[:16]


def begin_attempt(
    db: sqlite_utils.Database,
    channel: str,
    message_key: str,
    event_keys: Sequence[str],
    *,
    digest: bool,
    pin: bool = False,
    now: datetime,
) -> int:
    """Open an attempt before the network send (committed); returns its id.

    If the process dies during the send, this row stays with ``ok`` NULL: the outbox then knows
    the message may have left, and ``veille outbox`` says so. ``pin`` stores ``message_key``
    as the rows' digest id first, so a retry groups the same rows under the same dedupe key
    even if new events queue up meanwhile.
    """
    with transaction(db):
        if pin:
            db.conn.executemany(
                "UPDATE deliveries SET digest = ? WHERE event_key = ? AND channel = ?",
                [(message_key, key, channel) for key in event_keys],
            )
        cursor = db.execute(
            "INSERT INTO delivery_attempts "
            "(channel, message_key, event_keys, digest, started_at) VALUES (?, ?, ?, ?, ?)",
            [channel, message_key, json.dumps(list(event_keys)), int(digest), _iso(now)],
        )
        return int(cursor.lastrowid or 0)


def backoff_delay(attempts: int, base_delay: float) -> float:
    """Seconds to wait after the ``attempts``-th failure: base × 2^(n-1), capped at 6 h."""
    return min(base_delay * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def record_attempt(
    db: sqlite_utils.Database,
    attempt_id: int,
    channel: str,
    event_keys: Sequence[str],
    *,
    ok: bool,
    error: str | None,
    duration: float,
    now: datetime,
    max_attempts: int,
    base_delay: float,
) -> int:
    """Close an attempt and move its rows: sent, or pending with backoff, or dead.

    One transaction, so an attempt and its rows' states never disagree. Returns how many rows
    became dead (0 on success).
    """
    stamp = _iso(now)
    line = _one_line(error) if error else None
    dead = 0
    with transaction(db):
        db.execute(
            "UPDATE delivery_attempts SET finished_at = ?, ok = ?, error = ?, duration_ms = ? "
            "WHERE id = ?",
            [stamp, int(ok), line, round(duration * 1000), attempt_id],
        )
        for key in event_keys:
            if ok:
                db.execute(
                    "UPDATE deliveries SET status = 'sent', sent_at = ?, last_attempt_at = ?, "
                    "attempts = attempts + 1, last_error = NULL, next_attempt_at = NULL "
                    "WHERE event_key = ? AND channel = ? AND status = 'pending'",
                    [stamp, stamp, key, channel],
                )
                continue
            row = db.execute(
                "SELECT attempts FROM deliveries WHERE event_key = ? AND channel = ? "
                "AND status = 'pending'",
                [key, channel],
            ).fetchone()
            if row is None:
                continue
            attempts = int(row[0]) + 1
            if attempts >= max_attempts:
                status, next_at = DEAD, None
                dead += 1
            else:
                status = PENDING
                next_at = _iso(now + timedelta(seconds=backoff_delay(attempts, base_delay)))
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, last_attempt_at = ?, "
                "last_error = ?, next_attempt_at = ? WHERE event_key = ? AND channel = ?",
                [status, attempts, stamp, line, next_at, key, channel],
            )
    return dead


def suppress_deliveries(
    db: sqlite_utils.Database,
    *,
    event_keys: Iterable[str] | None = None,
    channel: str | None = None,
) -> int:
    """Mark pending rows as never to be sent (all, some events, or one channel's)."""
    where, params = ["status = 'pending'"], []
    if channel is not None:
        where.append("channel = ?")
        params.append(channel)
    keys = list(event_keys) if event_keys is not None else None
    with transaction(db):
        if keys is None:
            return db.execute(
                f"UPDATE deliveries SET status = 'suppressed' WHERE {' AND '.join(where)}", params
            ).rowcount
        count = 0
        for key in keys:
            count += db.execute(
                "UPDATE deliveries SET status = 'suppressed' WHERE event_key = ? AND "
                + " AND ".join(where),
                [key, *params],
            ).rowcount
        return count


def _equal(**columns: str | None) -> tuple[list[str], list[str]]:
    """SQL conditions ``column = ?`` and their parameters, for the filters that are set."""
    where = [f"{name} = ?" for name, value in columns.items() if value is not None]
    return where, [value for value in columns.values() if value is not None]


def requeue_dead(
    db: sqlite_utils.Database, *, channel: str | None = None, event_key: str | None = None
) -> int:
    """Give dead rows a fresh start (attempts 0, due now): after fixing a channel's URL.

    All dead rows, or one channel's, or one event's. ``last_error`` stays until the next
    attempt, so ``veille outbox`` still says why they died. Returns the number requeued.
    """
    where, params = _equal(channel=channel, event_key=event_key)
    sql = "UPDATE deliveries SET status = 'pending', attempts = 0, next_attempt_at = NULL"
    with transaction(db):
        return db.execute(
            sql + " WHERE " + " AND ".join(["status = 'dead'", *where]), params
        ).rowcount


def outbox_rows(db: sqlite_utils.Database, *, include_sent: bool = False) -> list[dict[str, Any]]:
    """Rows for ``veille outbox``: not-yet-sent ones first (dead, pending), in queue order.

    Each carries the event's retailer and statuses, the channel's privacy-safe display, and
    ``interrupted``: 1 when the row's last attempt was never recorded (the process died).
    """
    where = "" if include_sent else "WHERE d.status != 'sent'"
    cursor = db.execute(
        f"""
        SELECT d.channel, c.display AS channel_display, d.event_key, e.seq, e.kind,
               e.retailer_name, e.old_status, e.new_status, d.status, d.attempts,
               d.last_attempt_at, d.next_attempt_at, d.last_error, d.sent_at, d.digest,
               EXISTS (
                   SELECT 1 FROM delivery_attempts a
                   WHERE a.channel = d.channel AND a.ok IS NULL
                     AND a.event_keys LIKE '%"' || d.event_key || '"%'
               ) AS interrupted
        FROM deliveries d
        JOIN events e ON e.key = d.event_key
        LEFT JOIN channels c ON c.label = d.channel
        {where}
        ORDER BY CASE d.status WHEN 'dead' THEN 0 WHEN 'pending' THEN 1 ELSE 2 END,
                 d.channel, e.seq
        """
    )
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def attempts_for(
    db: sqlite_utils.Database, *, channel: str | None = None, message_key: str | None = None
) -> list[dict[str, Any]]:
    """Recorded attempts, oldest first, optionally for one channel or one message."""
    where, params = _equal(channel=channel, message_key=message_key)
    sql = "SELECT * FROM delivery_attempts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = db.execute(sql + " ORDER BY id", params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def delivery_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many rows in each status (every status present, 0 if none)."""
    counts = dict.fromkeys(STATUSES, 0)
    for status, count in db.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status"):
        counts[status] = count
    return counts


def _one_line(text: str, limit: int = 300) -> str:
    """Errors are stored on one line, bounded."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
