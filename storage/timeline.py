"""Stories, the on-disk LSH index, mentions and events: every query of the storyline's state.

The near-duplicate index is two tables: ``signatures`` (one MinHash per article, a blob) and
``lsh_bands`` (one row per (band key, signature), WITHOUT ROWID so the key is the b-tree). A lookup
reads a few dozen index entries and a handful of signatures, so memory stays bounded by SQLite's
page cache at any number of articles. Functions never commit: callers wrap them in
:func:`storage.db.transaction` with the article they belong to.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from tasks.dedupe import Signature
from tasks.events import Event, MentionRecord, RetailerState, status_rank

_SCHEMA = [
    """CREATE TABLE stories (
        id TEXT PRIMARY KEY,          -- the id of its first recorded article
        first_article_id TEXT NOT NULL,
        title TEXT,
        first_published TEXT,         -- earliest publication among its articles
        first_seen TEXT NOT NULL
    )""",
    """CREATE TABLE story_sources (
        story_id TEXT NOT NULL REFERENCES stories(id),
        article_id TEXT NOT NULL,
        source TEXT,
        url TEXT,
        published TEXT,
        added_at TEXT,
        PRIMARY KEY (story_id, article_id)
    )""",
    """CREATE TABLE signatures (
        id INTEGER PRIMARY KEY,       -- also the arrival order of articles
        article_id TEXT NOT NULL UNIQUE,
        story_id TEXT NOT NULL,
        text_hash TEXT,
        size INTEGER NOT NULL,        -- number of shingles
        minhash BLOB NOT NULL         -- uint32 little-endian, tasks.dedupe.NUM_PERM values
    )""",
    "CREATE INDEX signatures_text_hash ON signatures(text_hash)",
    """CREATE TABLE lsh_bands (
        key INTEGER NOT NULL,         -- tasks.dedupe.band_keys: the band number is mixed in
        sig_id INTEGER NOT NULL,
        PRIMARY KEY (key, sig_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE mentions (
        article_id TEXT NOT NULL,
        retailer TEXT NOT NULL,
        retailer_name TEXT,
        status TEXT NOT NULL,
        rank INTEGER NOT NULL,        -- tasks.events.status_rank(status)
        reported INTEGER NOT NULL,
        confirmed INTEGER NOT NULL,   -- 1 - reported, so ORDER BY matches tasks.events.order_key
        sentence TEXT,
        discovered INTEGER NOT NULL DEFAULT 0,
        published TEXT NOT NULL,
        published_is_fetch_date INTEGER NOT NULL DEFAULT 0,
        story_id TEXT NOT NULL,
        story_published TEXT NOT NULL,
        source TEXT,
        url TEXT,
        PRIMARY KEY (article_id, retailer)
    )""",
    # The timeline order, so a retailer's latest mention is one index seek.
    "CREATE INDEX mentions_timeline ON mentions"
    "(retailer, story_published, confirmed, rank, article_id)",
    "CREATE INDEX mentions_story ON mentions(story_id)",
]

_MENTION_COLUMNS = (
    "retailer, status, reported, sentence, article_id, published, story_id, story_published, "
    "discovered, published_is_fetch_date, retailer_name, source, url"
)
_TIMELINE_ORDER = "story_published, confirmed, rank, article_id"  # = tasks.events.order_key


def create_timeline_tables(db: sqlite_utils.Database) -> None:
    """Create the stories, signatures, LSH bands, mentions and events tables."""
    for statement in _SCHEMA:
        db.execute(statement)
    # The events table is a contract with the outbox (storage/outbox.py): keep these columns.
    db["events"].create(
        {
            "key": str,  # deterministic: hash of (kind, retailer, new status, story)
            "seq": int,  # insertion order, for delivering in order
            "kind": str,  # new_retailer | status_change | confirmed
            "retailer": str,  # slug
            "retailer_name": str,  # display name, e.g. "Système U"
            "old_status": str,  # null for new_retailer
            "new_status": str,
            "reported": int,  # 1 = unconfirmed (conditional, rumour, "selon")
            "sentence": str,
            "article_id": str,
            "url": str,
            "source": str,  # the outlet (site name or host)
            "story_id": str,
            "published": str,
            "created_at": str,
            "backfill": int,  # 1 = from a backfill or a big batch: delivered as a digest
            "retracted_at": str,  # set by `veille reprocess` when today's rules no longer see it
        },
        pk="key",
        defaults={"backfill": 0, "reported": 0},
    )
    db["events"].create_index(["seq"], unique=True)
    db["events"].create_index(["retailer"])


# --- the near-duplicate index ---------------------------------------------------------------


def signature_of(db: sqlite_utils.Database, article_id: str) -> dict[str, Any] | None:
    """The stored signature row of an article (id, story_id, text_hash, signature), or None."""
    row = db.execute(
        "SELECT id, story_id, text_hash, size, minhash FROM signatures WHERE article_id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return None
    return {
        "id": row[0],
        "story_id": row[1],
        "text_hash": row[2],
        "signature": Signature.from_bytes(row[4], row[3]),
    }


def story_by_text_hash(db: sqlite_utils.Database, text_hash: str) -> str | None:
    """The story of an already stored article with exactly this normalised text."""
    row = db.execute(
        "SELECT story_id FROM signatures WHERE text_hash = ? ORDER BY id LIMIT 1", [text_hash]
    ).fetchone()
    return row[0] if row else None


def lsh_candidates(
    db: sqlite_utils.Database, keys: Sequence[int], *, per_key: int = 64, limit: int = 32
) -> list[tuple[str, Signature, int]]:
    """Stored (story_id, signature, shared bands) sharing band keys, most shared first.

    Each key reads at most ``per_key`` postings, so a key shared by thousands of articles (a
    site's boilerplate) costs the same as any other: the lookup stays bounded.
    """
    if not keys:
        return []
    sub = " UNION ALL ".join(
        "SELECT * FROM (SELECT sig_id FROM lsh_bands WHERE key = ? LIMIT ?)" for _ in keys
    )
    params: list[int] = []
    for key in keys:
        params += [key, per_key]
    rows = db.execute(
        f"SELECT s.story_id, s.size, s.minhash, c.n FROM "
        f"(SELECT sig_id, COUNT(*) AS n FROM ({sub}) GROUP BY sig_id ORDER BY n DESC LIMIT ?) c "
        f"JOIN signatures s ON s.id = c.sig_id ORDER BY c.n DESC, s.id",
        [*params, limit],
    ).fetchall()
    return [(r[0], Signature.from_bytes(r[2], r[1]), r[3]) for r in rows]


def insert_signature(
    db: sqlite_utils.Database,
    article_id: str,
    story_id: str,
    text_hash: str,
    sig: Signature,
    keys: Iterable[int],
) -> int:
    """Store an article's signature and its band keys; returns the signature id."""
    cur = db.execute(
        "INSERT INTO signatures (article_id, story_id, text_hash, size, minhash) "
        "VALUES (?, ?, ?, ?, ?)",
        [article_id, story_id, text_hash, sig.size, sig.to_bytes()],
    )
    sig_id = int(cur.lastrowid or 0)
    db.conn.executemany(
        "INSERT OR IGNORE INTO lsh_bands (key, sig_id) VALUES (?, ?)",
        [(key, sig_id) for key in keys],
    )
    return sig_id


def delete_signature(db: sqlite_utils.Database, sig_id: int, keys: Iterable[int]) -> None:
    """Remove a signature and its band rows (the keys come from the stored signature)."""
    db.conn.executemany(
        "DELETE FROM lsh_bands WHERE key = ? AND sig_id = ?", [(k, sig_id) for k in keys]
    )
    db.execute("DELETE FROM signatures WHERE id = ?", [sig_id])


def bulk_insert_signatures(
    db: sqlite_utils.Database, rows: Iterable[tuple[int, str, str, str, int, bytes]]
) -> None:
    """Bulk load (id, article_id, story_id, text_hash, size, minhash) rows (benchmarks, imports);
    their band keys go through :func:`bulk_load_bands`."""
    db.conn.executemany(
        "INSERT INTO signatures (id, article_id, story_id, text_hash, size, minhash) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )


def bulk_load_bands(db: sqlite_utils.Database, chunks: Iterable[Iterable[tuple[int, int]]]) -> None:
    """Load many (key, sig_id) rows: appended to a staging table, then copied in key order.

    Inserting random keys straight into the b-tree slows down once it outgrows the page cache;
    SQLite's own sorter (temp files, bounded memory) turns the copy into an append.
    """
    db.execute("CREATE TEMP TABLE IF NOT EXISTS lsh_bands_staging (key INTEGER, sig_id INTEGER)")
    for chunk in chunks:
        db.conn.executemany("INSERT INTO lsh_bands_staging (key, sig_id) VALUES (?, ?)", chunk)
    db.execute(
        "INSERT OR IGNORE INTO lsh_bands (key, sig_id) "
        "SELECT key, sig_id FROM lsh_bands_staging ORDER BY key, sig_id"
    )
    db.execute("DROP TABLE lsh_bands_staging")


def signature_by_id(db: sqlite_utils.Database, sig_id: int) -> tuple[str, Signature] | None:
    """A stored signature by its id: the reference point lookup of the benchmark."""
    row = db.execute(
        "SELECT story_id, size, minhash FROM signatures WHERE id = ?", [sig_id]
    ).fetchone()
    return (row[0], Signature.from_bytes(row[2], row[1])) if row else None


# --- stories ----------------------------------------------------------------------------------


def create_story(
    db: sqlite_utils.Database, story_id: str, article_id: str, title: str, published: str, now: str
) -> None:
    """A new story, named after its first article."""
    db.execute(
        "INSERT OR IGNORE INTO stories (id, first_article_id, title, first_published, first_seen) "
        "VALUES (?, ?, ?, ?, ?)",
        [story_id, article_id, title, published, now],
    )


def story_first_published(db: sqlite_utils.Database, story_id: str) -> str | None:
    """The earliest publication date among a story's articles."""
    row = db.execute("SELECT first_published FROM stories WHERE id = ?", [story_id]).fetchone()
    return row[0] if row else None


def move_story_earlier(db: sqlite_utils.Database, story_id: str, published: str) -> None:
    """An older article joined the story: the story, and its mentions, move to its date."""
    db.execute(
        "UPDATE stories SET first_published = ? WHERE id = ? AND first_published > ?",
        [published, story_id, published],
    )
    db.execute(
        "UPDATE mentions SET story_published = ? WHERE story_id = ? AND story_published > ?",
        [published, story_id, published],
    )


def add_story_source(
    db: sqlite_utils.Database,
    story_id: str,
    article_id: str,
    source: str,
    url: str,
    published: str,
    now: str,
) -> None:
    """Record an article as one source of a story (once)."""
    db.execute(
        "INSERT OR IGNORE INTO story_sources "
        "(story_id, article_id, source, url, published, added_at) VALUES (?, ?, ?, ?, ?, ?)",
        [story_id, article_id, source, url, published, now],
    )


def story_source_count(db: sqlite_utils.Database, story_id: str) -> int:
    """How many articles tell this story."""
    return int(
        db.execute("SELECT COUNT(*) FROM story_sources WHERE story_id = ?", [story_id]).fetchone()[
            0
        ]
    )


def story_source_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Articles per story, for the stories that have mentions (the board's "sources")."""
    rows = db.execute(
        "SELECT story_id, COUNT(*) FROM story_sources WHERE story_id IN "
        "(SELECT DISTINCT story_id FROM mentions) GROUP BY story_id"
    ).fetchall()
    return {r[0]: int(r[1]) for r in rows}


def set_article_story(db: sqlite_utils.Database, article_id: str, story_id: str) -> None:
    """Point the article row (written by the poll flow) at its story."""
    db.execute("UPDATE articles SET story_id = ? WHERE id = ?", [story_id, article_id])


def stories(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """All stories with their number of sources, oldest first."""
    rows = db.execute(
        "SELECT s.id, s.first_article_id, s.title, s.first_published, s.first_seen, "
        "(SELECT COUNT(*) FROM story_sources x WHERE x.story_id = s.id) "
        "FROM stories s ORDER BY s.first_published, s.id"
    ).fetchall()
    keys = ("id", "first_article_id", "title", "first_published", "first_seen", "sources")
    return [dict(zip(keys, r, strict=True)) for r in rows]


# --- mentions ---------------------------------------------------------------------------------


def _mention(row: Sequence[Any]) -> MentionRecord:
    return MentionRecord(
        retailer=row[0],
        status=row[1],
        reported=bool(row[2]),
        sentence=row[3] or "",
        article_id=row[4],
        published=row[5],
        story_id=row[6],
        story_published=row[7],
        discovered=bool(row[8]),
        published_is_fetch_date=bool(row[9]),
        retailer_name=row[10] or "",
        source=row[11] or "",
        url=row[12] or "",
    )


def replace_mentions(
    db: sqlite_utils.Database, article_id: str, mentions: Iterable[MentionRecord]
) -> None:
    """Store an article's mentions, replacing what an earlier run stored for it."""
    db.execute("DELETE FROM mentions WHERE article_id = ?", [article_id])
    db.conn.executemany(
        "INSERT INTO mentions (retailer, status, rank, reported, confirmed, sentence, article_id, "
        "published, story_id, story_published, discovered, published_is_fetch_date, "
        "retailer_name, source, url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                m.retailer,
                m.status,
                status_rank(m.status),
                int(m.reported),
                int(not m.reported),
                m.sentence,
                m.article_id,
                m.published,
                m.story_id,
                m.story_published,
                int(m.discovered),
                int(m.published_is_fetch_date),
                m.retailer_name,
                m.source,
                m.url,
            )
            for m in mentions
        ],
    )


def retailer_mentions(
    db: sqlite_utils.Database, retailer: str, *, exclude_article: str | None = None
) -> list[MentionRecord]:
    """A retailer's mentions in timeline order (optionally without one article's)."""
    rows = db.execute(
        f"SELECT {_MENTION_COLUMNS} FROM mentions WHERE retailer = ? AND article_id IS NOT ? "
        f"ORDER BY {_TIMELINE_ORDER}",
        [retailer, exclude_article],
    ).fetchall()
    return [_mention(r) for r in rows]


def retailer_state(
    db: sqlite_utils.Database, retailer: str, *, exclude_article: str | None = None
) -> RetailerState | None:
    """The retailer's state without one article: three index reads, however long its timeline.

    Same answer as ``tasks.events.retailer_state`` folding every mention: the latest mention,
    the last one with another status, and the run of equal statuses between them.
    """
    base = "FROM mentions WHERE retailer = ? AND article_id IS NOT ? AND status != 'none'"
    desc = "story_published DESC, confirmed DESC, rank DESC, article_id DESC"
    latest = db.execute(
        f"SELECT {_MENTION_COLUMNS} {base} ORDER BY {desc} LIMIT 1", [retailer, exclude_article]
    ).fetchone()
    if latest is None:
        return None
    status = latest[1]
    other = db.execute(
        f"SELECT story_published, confirmed, rank, article_id {base} AND status != ? "
        f"ORDER BY {desc} LIMIT 1",
        [retailer, exclude_article, status],
    ).fetchone()
    run = f"{base} AND status = ?" + (
        " AND (story_published, confirmed, rank, article_id) > (?, ?, ?, ?)" if other else ""
    )
    params = [retailer, exclude_article, status, *(other or ())]
    since = db.execute(
        f"SELECT {_MENTION_COLUMNS} {run} ORDER BY {_TIMELINE_ORDER} LIMIT 1", params
    ).fetchone()
    confirmed = db.execute(f"SELECT MAX(confirmed) {run}", params).fetchone()[0]
    return RetailerState(latest=_mention(latest), since=_mention(since), confirmed=bool(confirmed))


def all_mentions(db: sqlite_utils.Database) -> list[MentionRecord]:
    """Every stored mention in timeline order (the board folds them per retailer)."""
    rows = db.execute(
        f"SELECT {_MENTION_COLUMNS} FROM mentions ORDER BY retailer, {_TIMELINE_ORDER}"
    ).fetchall()
    return [_mention(r) for r in rows]


def report_rows(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every mention with a status, with its article's title, for the HTML report."""
    cur = db.execute(
        "SELECT m.retailer, COALESCE(m.retailer_name, m.retailer) AS name, m.published, m.status, "
        "m.reported, m.sentence, m.url, m.source, a.title, m.story_id, m.article_id "
        "FROM mentions m LEFT JOIN articles a ON a.id = m.article_id "
        f"WHERE m.status != 'none' ORDER BY m.retailer, {_TIMELINE_ORDER}"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def retailers(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every (slug, display name) with a stored mention."""
    rows = db.execute(
        "SELECT retailer, MAX(COALESCE(retailer_name, retailer)) FROM mentions "
        "GROUP BY retailer ORDER BY retailer"
    ).fetchall()
    return [(r[0], r[1]) for r in rows]


def delete_all_mentions(db: sqlite_utils.Database) -> None:
    """Forget every mention (reprocessing rebuilds them from the articles)."""
    db.execute("DELETE FROM mentions")


# --- events -----------------------------------------------------------------------------------


_EVENT_COLUMNS = (
    "key, kind, retailer, retailer_name, old_status, new_status, reported, sentence, "
    "article_id, url, source, story_id, published"
)


def insert_event(db: sqlite_utils.Database, event: Event, *, now: str, backfill: bool) -> bool:
    """Write an event once: True if new, False if its key was already there."""
    cur = db.execute(
        f"INSERT OR IGNORE INTO events ({_EVENT_COLUMNS}, seq, created_at, backfill) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "(SELECT COALESCE(MAX(seq), 0) + 1 FROM events), ?, ?)",
        [
            event.key,
            event.kind,
            event.retailer,
            event.retailer_name,
            event.old_status,
            event.new_status,
            int(event.reported),
            event.sentence,
            event.article_id,
            event.url,
            event.source,
            event.story_id,
            event.published,
            now,
            int(backfill),
        ],
    )
    return cur.rowcount == 1


def _event_row(row: Sequence[Any]) -> Event:
    return Event(
        key=row[0],
        kind=row[1],
        retailer=row[2],
        retailer_name=row[3] or row[2],
        old_status=row[4],
        new_status=row[5],
        reported=bool(row[6]),
        sentence=row[7] or "",
        article_id=row[8],
        url=row[9] or "",
        source=row[10] or "",
        story_id=row[11],
        published=row[12] or "",
    )


def events(
    db: sqlite_utils.Database, *, retailer: str | None = None, include_retracted: bool = False
) -> list[Event]:
    """Events in the order they were written (optionally one retailer's)."""
    where = ["1 = 1"]
    params: list[Any] = []
    if retailer is not None:
        where.append("retailer = ?")
        params.append(retailer)
    if not include_retracted:
        where.append("retracted_at IS NULL")
    rows = db.execute(
        f"SELECT {_EVENT_COLUMNS} FROM events WHERE {' AND '.join(where)} ORDER BY seq", params
    ).fetchall()
    return [_event_row(r) for r in rows]


def max_event_seq(db: sqlite_utils.Database) -> int:
    """The highest event seq so far (0 when there is none): a mark for :func:`event_rows_since`."""
    return int(db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])


def event_rows_since(db: sqlite_utils.Database, seq: int) -> list[dict[str, Any]]:
    """The events written after ``seq``, as plain rows, in order (a backfill's summary)."""
    cur = db.execute("SELECT * FROM events WHERE seq > ? ORDER BY seq", [seq])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def event_seqs(db: sqlite_utils.Database) -> list[int]:
    """Every event's seq, in order (a crash must leave neither gap nor duplicate)."""
    return [r[0] for r in db.execute("SELECT seq FROM events ORDER BY seq").fetchall()]


def retract_events(db: sqlite_utils.Database, keys: Iterable[str], *, now: str) -> None:
    """Mark events today's rules no longer produce; kept, since they may have been delivered."""
    db.conn.executemany(
        "UPDATE events SET retracted_at = ? WHERE key = ? AND retracted_at IS NULL",
        [(now, key) for key in keys],
    )


def restore_events(db: sqlite_utils.Database, keys: Iterable[str]) -> None:
    """Clear the retraction of events today's rules produce again."""
    db.conn.executemany(
        "UPDATE events SET retracted_at = NULL WHERE key = ?", [(key,) for key in keys]
    )


# --- articles, read for reprocessing ----------------------------------------------------------


def articles_in_arrival_order(db: sqlite_utils.Database) -> list[str]:
    """Article ids in the order they were first recorded, then never-recorded ones by date."""
    rows = db.execute(
        "SELECT a.id FROM articles a LEFT JOIN signatures s ON s.article_id = a.id "
        "ORDER BY s.id IS NULL, s.id, a.published, a.id"
    ).fetchall()
    return [r[0] for r in rows]


def articles_in_publication_order(db: sqlite_utils.Database) -> list[str]:
    """Article ids by publication date (the fetch date where the article has none)."""
    rows = db.execute("SELECT id FROM articles ORDER BY published, id").fetchall()
    return [r[0] for r in rows]


def article(db: sqlite_utils.Database, article_id: str) -> dict[str, Any] | None:
    """The fields of a stored article that the storyline needs."""
    row = db.execute(
        "SELECT id, title, text, published, published_is_fetch_date, url, site, language, "
        "story_id FROM articles WHERE id = ?",
        [article_id],
    ).fetchone()
    if row is None:
        return None
    keys = ("id", "title", "text", "published", "published_is_fetch_date", "url", "site", "lang")
    return dict(zip((*keys, "story_id"), row, strict=True))


@contextmanager
def savepoint(db: sqlite_utils.Database, name: str, *, rollback: bool) -> Iterator[None]:
    """A nested unit inside a transaction; ``rollback=True`` undoes it even on success."""
    db.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        db.execute(f"ROLLBACK TO {name}")
        db.execute(f"RELEASE {name}")
        raise
    if rollback:
        db.execute(f"ROLLBACK TO {name}")
    db.execute(f"RELEASE {name}")
