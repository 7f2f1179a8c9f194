"""Articles: the extracted text of an entry's page, keyed by the hash of its canonical URL."""

from __future__ import annotations

import hashlib
from typing import Any

import sqlite_utils

ARTICLE_COLUMNS = (
    "id", "url", "canonical_url", "feed_id", "title", "text", "text_hash", "published",
    "published_is_fetch_date", "author", "site", "language", "extracted", "note", "fetched_at",
    "relevant", "detected_at", "story_id", "archive",
)  # fmt: skip


def article_id(canonical_url: str) -> str:
    """The article's primary key: the same page reached from two feeds is one article."""
    return hashlib.sha1(canonical_url.encode()).hexdigest()[:20]


def get_article(db: sqlite_utils.Database, id_: str) -> dict[str, Any] | None:
    """One stored article, or None."""
    cursor = db.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?", [id_])
    row = cursor.fetchone()
    return dict(zip(ARTICLE_COLUMNS, row, strict=True)) if row else None


def find_by_text_hash(db: sqlite_utils.Database, text_hash: str) -> str | None:
    """The id of an article with exactly this normalised text (a reprint at another URL)."""
    row = db.execute("SELECT id FROM articles WHERE text_hash = ? LIMIT 1", [text_hash]).fetchone()
    return row[0] if row else None


def insert_article(db: sqlite_utils.Database, row: dict[str, Any]) -> bool:
    """Store an article; False when it was already there (a retry or another feed's entry)."""
    values = {c: row.get(c) for c in ARTICLE_COLUMNS}
    cursor = db.execute(
        f"INSERT OR IGNORE INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
        f"VALUES ({', '.join(':' + c for c in ARTICLE_COLUMNS)})",
        values,
    )
    return bool(cursor.rowcount)


def set_detection(db: sqlite_utils.Database, id_: str, *, relevant: bool, at: str) -> None:
    """Remember whether the detector found the article relevant, and when."""
    db.execute(
        "UPDATE articles SET relevant = ?, detected_at = ? WHERE id = ?", [int(relevant), at, id_]
    )


def iter_articles(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every stored article in publication order (ties by id), for re-processing."""
    cursor = db.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles ORDER BY published, id")
    return [dict(zip(ARTICLE_COLUMNS, r, strict=True)) for r in cursor.fetchall()]


def count_articles(db: sqlite_utils.Database) -> dict[str, int]:
    """Totals for the summary and the board's footer."""
    row = db.execute(
        "SELECT COUNT(*), COALESCE(SUM(relevant), 0), COALESCE(SUM(extracted = 0), 0) FROM articles"
    ).fetchone()
    return {"articles": row[0], "relevant": row[1], "fallback": row[2]}
