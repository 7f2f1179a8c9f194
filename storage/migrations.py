"""The schema, as an ordered list of migrations; the database records how many it has seen.

A migration is a function of the database, run once in its own transaction. Append, never edit a
released one: a user's database at version N gets N+1… on its next open.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils


def _m1_core(db: sqlite_utils.Database) -> None:
    """Feeds with their health, feed entries, and extracted articles."""
    db["feeds"].create(
        {
            "id": str,  # hash of the feed URL
            "name": str,
            "url": str,
            "tags": str,  # JSON list
            "interval": int,  # minutes, null = the default
            "etag": str,
            "last_modified": str,
            "last_polled": str,
            "last_success": str,
            "last_error": str,  # one line
            "last_error_kind": str,
            "last_error_at": str,
            "consecutive_failures": int,
            "retry_after_until": str,  # a 429/503 asked us to wait until then
            "entries_seen": int,
            "created_at": str,
        },
        pk="id",
        not_null={"name", "url"},
        defaults={"consecutive_failures": 0, "entries_seen": 0},
    )
    db["entries"].create(
        {
            "id": str,  # hash of (feed id, entry key)
            "feed_id": str,
            "key": str,  # GUID, else canonical URL, else hash of title+date
            "guid": str,
            "url": str,
            "canonical_url": str,
            "title": str,
            "summary": str,
            "published": str,
            "first_seen": str,
            "archive": int,  # 1 when seen on the feed's first poll: recorded, never alerted
            "state": str,  # new | done | failed
            "attempts": int,
            "last_error": str,
            "article_id": str,
        },
        pk="id",
        foreign_keys=[("feed_id", "feeds", "id")],
        defaults={"state": "new", "attempts": 0, "archive": 0},
    )
    db["entries"].create_index(["feed_id"])
    db["entries"].create_index(["state"])
    db["entries"].create_index(["canonical_url"])
    db["articles"].create(
        {
            "id": str,  # hash of the canonical URL
            "url": str,
            "canonical_url": str,
            "feed_id": str,
            "title": str,
            "text": str,
            "text_hash": str,
            "published": str,
            "published_is_fetch_date": int,
            "author": str,
            "site": str,
            "language": str,
            "extracted": int,  # 0 when only the feed's title and summary were kept
            "note": str,
            "fetched_at": str,
            "relevant": int,
            "detected_at": str,
            "story_id": str,
            "archive": int,
        },
        pk="id",
        defaults={"archive": 0},
    )
    db["articles"].create_index(["text_hash"])
    db["articles"].create_index(["published"])


def _m2_timeline(db: sqlite_utils.Database) -> None:
    from .timeline import create_timeline_tables

    create_timeline_tables(db)


def _m3_outbox(db: sqlite_utils.Database) -> None:
    from .outbox import create_outbox_tables

    create_outbox_tables(db)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_m1_core, _m2_timeline, _m3_outbox]
