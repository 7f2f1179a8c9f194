"""Feeds, their health, and their entries: what was seen on which feed, and what became of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from .db import utcnow


def entry_id(feed_id: str, key: str) -> str:
    """The entry's primary key: one row per (feed, entry key), so a re-poll inserts nothing."""
    return hashlib.sha1(f"{feed_id}\x00{key}".encode()).hexdigest()[:20]


@dataclass(frozen=True)
class FeedRow:
    """What a poll needs to know of a feed before fetching it."""

    id: str
    name: str
    url: str
    etag: str | None
    last_modified: str | None
    last_polled: str | None
    last_success: str | None
    retry_after_until: str | None
    consecutive_failures: int


def sync_feeds(db: sqlite_utils.Database, feeds: Iterable[Any]) -> None:
    """Insert new feeds and refresh names, tags and intervals from the config; keep health."""
    now = utcnow()
    for feed in feeds:
        db.execute(
            """INSERT INTO feeds (id, name, url, tags, interval, created_at,
                                  consecutive_failures, entries_seen)
               VALUES (?, ?, ?, ?, ?, ?, 0, 0)
               ON CONFLICT(id) DO UPDATE SET name = excluded.name, tags = excluded.tags,
                                             interval = excluded.interval""",
            [feed.id, feed.name, feed.url, json.dumps(list(feed.tags)), feed.interval, now],
        )


def get_feeds(db: sqlite_utils.Database, ids: Sequence[str] | None = None) -> dict[str, FeedRow]:
    """The feeds' polling state, by id (all feeds when ``ids`` is None)."""
    sql = """SELECT id, name, url, etag, last_modified, last_polled, last_success,
                    retry_after_until, consecutive_failures FROM feeds"""
    rows = db.execute(sql).fetchall()
    feeds = {r[0]: FeedRow(*r[:8], consecutive_failures=r[8] or 0) for r in rows}
    if ids is not None:
        wanted = set(ids)
        feeds = {k: v for k, v in feeds.items() if k in wanted}
    return feeds


def record_feed_success(
    db: sqlite_utils.Database,
    feed_id: str,
    *,
    etag: str | None,
    last_modified: str | None,
    warning: str | None = None,
) -> None:
    """A fetch that answered (200 or 304): reset the failure count, keep the validators."""
    now = utcnow()
    db.execute(
        """UPDATE feeds SET last_polled = ?, last_success = ?, consecutive_failures = 0,
                  retry_after_until = NULL,
                  etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                  last_error = CASE WHEN ? IS NULL THEN last_error ELSE ? END
           WHERE id = ?""",
        [now, now, etag, last_modified, warning, warning, feed_id],
    )


def record_feed_failure(
    db: sqlite_utils.Database,
    feed_id: str,
    *,
    kind: str,
    message: str,
    retry_after_until: str | None = None,
) -> None:
    """A failed poll: one line of error, one more consecutive failure, maybe a wait."""
    now = utcnow()
    db.execute(
        """UPDATE feeds SET last_polled = ?, last_error = ?, last_error_kind = ?,
                  last_error_at = ?, consecutive_failures = consecutive_failures + 1,
                  retry_after_until = ?
           WHERE id = ?""",
        [now, message, kind, now, retry_after_until, feed_id],
    )


def insert_entries(
    db: sqlite_utils.Database, feed_id: str, entries: Sequence[dict[str, Any]], *, archive: bool
) -> list[dict[str, Any]]:
    """Store the entries not seen before on this feed; return those (with their ``id``)."""
    now = utcnow()
    new: list[dict[str, Any]] = []
    for entry in entries:
        row = {**entry, "id": entry_id(feed_id, entry["key"]), "feed_id": feed_id}
        cursor = db.execute(
            """INSERT OR IGNORE INTO entries (id, feed_id, key, guid, url, canonical_url, title,
                   summary, published, first_seen, archive, state, attempts)
               VALUES (:id, :feed_id, :key, :guid, :url, :canonical_url, :title, :summary,
                       :published, :first_seen, :archive, 'new', 0)""",
            {**row, "first_seen": now, "archive": int(archive)},
        )
        if cursor.rowcount:
            new.append(row)
    if new:
        db.execute(
            "UPDATE feeds SET entries_seen = entries_seen + ? WHERE id = ?", [len(new), feed_id]
        )
    return new


def pending_entries(
    db: sqlite_utils.Database, *, max_attempts: int, per_feed: int
) -> list[dict[str, Any]]:
    """Entries whose article is still to fetch: new ones, and failed ones with tries left."""
    rows = db.execute(
        """SELECT e.id, e.feed_id, e.key, e.url, e.canonical_url, e.title, e.summary,
                  e.published, e.archive, e.attempts, f.name
           FROM entries e JOIN feeds f ON f.id = e.feed_id
           WHERE e.state = 'new' OR (e.state = 'failed' AND e.attempts < ?)
           ORDER BY e.feed_id, e.first_seen, e.id""",
        [max_attempts],
    ).fetchall()
    keys = [
        "id",
        "feed_id",
        "key",
        "url",
        "canonical_url",
        "title",
        "summary",
        "published",
        "archive",
        "attempts",
        "feed_name",
    ]
    out: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for r in rows:
        if counts.get(r[1], 0) >= per_feed:
            continue
        counts[r[1]] = counts.get(r[1], 0) + 1
        out.append(dict(zip(keys, r, strict=True)))
    return out


def mark_entry(
    db: sqlite_utils.Database,
    entry_id_: str,
    *,
    state: str,
    article_id: str | None = None,
    error: str | None = None,
) -> None:
    """Record what became of an entry: done (with its article) or failed (with one line)."""
    db.execute(
        """UPDATE entries SET state = ?, article_id = COALESCE(?, article_id), last_error = ?,
                  attempts = attempts + CASE WHEN ? = 'failed' THEN 1 ELSE 0 END
           WHERE id = ?""",
        [state, article_id, error, state, entry_id_],
    )


def feed_health(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every feed with its health, worst first, for ``veille feeds``."""
    cursor = db.execute(
        """SELECT f.name, f.url, f.last_success, f.last_polled, f.consecutive_failures,
                  f.last_error_kind, f.last_error, f.last_error_at, f.entries_seen,
                  f.retry_after_until,
                  (SELECT COUNT(*) FROM entries e WHERE e.feed_id = f.id AND e.state = 'failed')
           FROM feeds f ORDER BY f.consecutive_failures DESC, f.name"""
    )
    keys = [
        "name",
        "url",
        "last_success",
        "last_polled",
        "consecutive_failures",
        "last_error_kind",
        "last_error",
        "last_error_at",
        "entries_seen",
        "retry_after_until",
        "failed_articles",
    ]
    return [dict(zip(keys, r, strict=True)) for r in cursor.fetchall()]


def feeds_not_in(db: sqlite_utils.Database, keep_ids: Sequence[str]) -> list[str]:
    """Names of stored feeds no longer in the config (kept, with their history, but not polled)."""
    rows = db.execute("SELECT id, name FROM feeds").fetchall()
    keep = set(keep_ids)
    return [name for fid, name in rows if fid not in keep]
