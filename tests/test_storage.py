"""The database: migrations, versions, and transactions that are all-or-nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.db import SCHEMA_VERSION, open_db, schema_version, transaction
from storage.feeds import get_feeds, insert_entries, record_feed_failure, sync_feeds
from tasks.errors import StorageError


class Feed:
    def __init__(self, name: str, url: str) -> None:
        self.name, self.url, self.tags, self.interval = name, url, ["t"], None
        self.id = "f-" + name


def test_fresh_database_is_at_the_latest_version_in_wal(tmp_path: Path) -> None:
    db = open_db(tmp_path / "v.db")
    assert schema_version(db) == SCHEMA_VERSION
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"feeds", "entries", "articles", "events"} <= set(db.table_names())


def test_reopening_does_not_migrate_twice(tmp_path: Path) -> None:
    open_db(tmp_path / "v.db").close()
    db = open_db(tmp_path / "v.db")
    assert schema_version(db) == SCHEMA_VERSION


def test_newer_database_is_refused_in_one_line(tmp_path: Path) -> None:
    raw = sqlite3.connect(tmp_path / "n.db")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    with pytest.raises(StorageError, match="newer than this veille"):
        open_db(tmp_path / "n.db")


def test_not_a_database_is_a_storage_error(tmp_path: Path) -> None:
    (tmp_path / "bad.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError, match=r"bad\.db"):
        open_db(tmp_path / "bad.db")


def test_transaction_is_all_or_nothing_even_through_sqlite_utils() -> None:
    db = open_db(":memory:")
    with pytest.raises(RuntimeError), transaction(db):
        db["feeds"].insert({"id": "a", "name": "A", "url": "https://a.example/"})  # commits inside
        raise RuntimeError("crash between two writes")
    assert db["feeds"].count == 0
    with transaction(db), transaction(db):
        db["feeds"].insert({"id": "b", "name": "B", "url": "https://b.example/"})
    assert db["feeds"].count == 1


def test_entries_are_inserted_once_per_feed() -> None:
    db = open_db(":memory:")
    feed = Feed("a", "https://a.example/rss")
    sync_feeds(db, [feed])
    entry = {
        "key": "k1",
        "guid": "g",
        "url": "u",
        "canonical_url": "u",
        "title": "t",
        "summary": "",
        "published": None,
    }
    assert len(insert_entries(db, feed.id, [entry], archive=True)) == 1
    assert insert_entries(db, feed.id, [entry], archive=False) == []
    record_feed_failure(db, feed.id, kind="timeout", message="no answer in 5 s")
    record_feed_failure(db, feed.id, kind="timeout", message="no answer in 5 s")
    assert get_feeds(db)[feed.id].consecutive_failures == 2


def test_feeds_are_grouped_into_a_bounded_number_of_task_runs() -> None:
    from flows.poll import group

    assert group([]) == []
    assert group([1, 2, 3], parts=8) == [[1], [2], [3]]  # few feeds: one task run each
    parts = group(list(range(1000)), parts=64)
    assert len(parts) == 64
    assert [x for p in parts for x in p] == list(range(1000))  # order kept, nothing lost
    assert max(map(len, parts)) - min(map(len, parts)) <= 1
