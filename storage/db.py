"""Opening the database: WAL, a busy timeout, the schema version and migrations.

Every SQL statement of veille lives in this package (``storage/``): ``db.py`` opens and migrates,
and one module a concept holds its queries (``feeds.py``, ``articles.py``, ``timeline.py``,
``outbox.py``). Functions take the database as their first argument and never commit on their
own inside :func:`transaction`, so a caller can make several writes atomic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from tasks.errors import StorageError

from .migrations import MIGRATIONS

SCHEMA_VERSION = len(MIGRATIONS)


def utcnow() -> str:
    """The current time as the ISO 8601 UTC text every timestamp column holds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Connection(sqlite3.Connection):
    """A connection whose commits wait for the outermost :func:`transaction`.

    sqlite-utils wraps each write in ``with conn:``, which would commit half of a unit of work
    (an article without its events). Inside :func:`transaction` those inner commits are no-ops.
    """

    depth = 0

    def commit(self) -> None:
        if self.depth == 0:
            super().commit()

    def __exit__(self, exc_type, exc, tb):  # type: ignore[no-untyped-def]
        if self.depth:
            return False
        return super().__exit__(exc_type, exc, tb)


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path`` (":memory:" for tests)."""
    try:
        target = str(path)
        if target != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(
            target,
            timeout=30,
            isolation_level=None,  # autocommit; transaction() issues BEGIN IMMEDIATE itself
            check_same_thread=False,
            factory=_Connection,
        )
        db = sqlite_utils.Database(conn)
        if target != ":memory:":
            db.enable_wal()
        db.execute("PRAGMA busy_timeout = 30000")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            migrate_db(db)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path}: cannot open the database: {exc}") from exc
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    """The schema version stored in the database (``PRAGMA user_version``)."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate_db(db: sqlite_utils.Database) -> int:
    """Apply the migrations the database has not seen yet; each one in its own transaction."""
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StorageError(
            f"database schema version {current} is newer than this veille ({SCHEMA_VERSION}): "
            "upgrade veille"
        )
    for version, migration in enumerate(MIGRATIONS[current:], start=current + 1):
        with transaction(db):
            migration(db)
            db.execute(f"PRAGMA user_version = {version}")
    return SCHEMA_VERSION


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One atomic unit of writes (BEGIN IMMEDIATE … COMMIT, ROLLBACK on error); nestable."""
    conn = db.conn
    if isinstance(conn, _Connection) and conn.depth:
        conn.depth += 1
        try:
            yield db
        finally:
            conn.depth -= 1
        return
    conn.execute("BEGIN IMMEDIATE")
    if isinstance(conn, _Connection):
        conn.depth = 1
    try:
        yield db
    except BaseException:
        if isinstance(conn, _Connection):
            conn.depth = 0
        conn.execute("ROLLBACK")
        raise
    else:
        if isinstance(conn, _Connection):
            conn.depth = 0
        conn.execute("COMMIT")
