"""Record an article in the storyline: its story, its mentions and the events they cause.

Edge step: it takes the database. The poll flow calls :func:`record_story_and_events` inside the
transaction that inserted the article, then turns ``new_event_keys`` into outbox rows in that same
transaction, so a crash leaves either all of it or none (DESIGN.md, "Events and alerts").
``veille reprocess`` calls :func:`rebuild_timeline`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import sqlite_utils

from storage import timeline as tl
from storage.db import transaction, utcnow
from tasks import dedupe
from tasks.errors import VeilleError
from tasks.events import (
    BoardRow,
    Event,
    MentionRecord,
    board,
    collapse_mentions,
    derive_events,
)


@dataclass(frozen=True)
class StoryOutcome:
    """What recording one article did: its story, and the events it derived and wrote."""

    story_id: str
    is_new_story: bool
    sources: int
    events: list[Event] = field(default_factory=list)  # derived, including already known keys
    new_event_keys: list[str] = field(default_factory=list)  # written now: make outbox rows
    already_recorded: bool = False


def iso_utc(when: datetime | str) -> str:
    """The sortable ISO 8601 UTC text the timeline compares (naive datetimes are UTC)."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def default_retailer_name(slug: str) -> str:
    """A display name from a slug ("systeme-u" → "Systeme U") when no watchlist is at hand."""
    return " ".join(part.capitalize() for part in slug.split("-"))


def source_of(url: str, site: str | None = None) -> str:
    """The outlet's name: the site name the extractor found, else the URL's host."""
    if site:
        return site
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _signature_text(title: str, text: str) -> str:
    """Text only: reprints rewrite headlines. A bare feed summary falls back on the title too."""
    return text if len(text.split()) >= 40 else f"{title}\n{text}"


def find_story(
    db: sqlite_utils.Database, sig: dedupe.Signature, thash: str, keys: list[int] | None = None
) -> tuple[str | None, float]:
    """The stored story this text repeats, and the Jaccard estimate; (None, 0) if none.

    Exact text first (one indexed read), then LSH candidates verified on their signatures.
    """
    story_id = tl.story_by_text_hash(db, thash)
    if story_id is not None:
        return story_id, 1.0
    if keys is None:
        keys = [k for _, k in dedupe.band_keys(sig)]
    best = 0.0
    for candidate_story, candidate_sig, _shared in tl.lsh_candidates(db, keys):
        same, j = dedupe.is_near_duplicate(sig, candidate_sig)
        if same and j > best:
            story_id, best = candidate_story, j
    return story_id, best


def assign_story(
    db: sqlite_utils.Database, *, article_id: str, title: str, text: str, published: str
) -> tuple[str, bool, bool]:
    """Find or create the article's story and index its signature.

    Returns (story_id, is_new_story, changed): ``changed`` is False when the article was already
    recorded with this very text, which makes recording idempotent.
    """
    body = _signature_text(title, text)
    thash, sig = dedupe.fingerprint(body)
    known = tl.signature_of(db, article_id)
    if known is not None:
        if known["text_hash"] == thash:
            return known["story_id"], False, False
        # The outlet edited the article: keep its story, re-index the new text.
        old_keys = [k for _, k in dedupe.band_keys(known["signature"])]
        tl.delete_signature(db, known["id"], old_keys)
        tl.insert_signature(
            db, article_id, known["story_id"], thash, sig, [k for _, k in dedupe.band_keys(sig)]
        )
        return known["story_id"], False, True

    keys = [k for _, k in dedupe.band_keys(sig)]
    story_id, _j = find_story(db, sig, thash, keys)
    is_new = story_id is None
    if story_id is None:
        story_id = article_id
        tl.create_story(db, story_id, article_id, title, published, utcnow())
    else:
        tl.move_story_earlier(db, story_id, published)
    tl.insert_signature(db, article_id, story_id, thash, sig, keys)
    return story_id, is_new, True


def _records(
    detection: Any,
    *,
    article_id: str,
    published: str,
    published_is_fetch_date: bool,
    story_id: str,
    story_published: str,
    url: str,
    source: str,
    names: Callable[[str], str],
) -> list[MentionRecord]:
    """The article's one mention per retailer, as timeline records."""
    if detection is None or not getattr(detection, "relevant", False):
        return []
    return [
        MentionRecord(
            retailer=m.retailer,
            status=m.status,
            reported=bool(m.reported),
            sentence=m.sentence,
            article_id=article_id,
            published=published,
            story_id=story_id,
            story_published=story_published,
            discovered=bool(getattr(m, "discovered", False)),
            published_is_fetch_date=published_is_fetch_date,
            retailer_name=names(m.retailer),
            source=source,
            url=url,
        )
        for m in collapse_mentions(detection.mentions)
    ]


def _store_mentions_and_derive(
    db: sqlite_utils.Database, article_id: str, records: list[MentionRecord]
) -> list[Event]:
    """Derive events against each retailer's state without this article, then store mentions."""
    states = {
        r.retailer: tl.retailer_state(db, r.retailer, exclude_article=article_id) for r in records
    }
    derived = derive_events(states, records)
    tl.replace_mentions(db, article_id, records)
    return derived


def record_story_and_events(
    db: sqlite_utils.Database,
    *,
    article_id: str,
    title: str,
    text: str,
    published: datetime | str,
    published_is_fetch_date: bool,
    url: str,
    source: str,
    detection: Any,
    backfill: bool = False,
    retailer_name: Callable[[str], str] | None = None,
) -> StoryOutcome:
    """Assign the story, store the mentions, derive and write the events; all in one transaction.

    Call it after inserting the article row, inside the same :func:`storage.db.transaction`.
    Recording an article again with the same text changes nothing and returns no new keys.
    """
    pub = iso_utc(published)
    now = utcnow()
    with transaction(db):
        story_id, is_new, changed = assign_story(
            db, article_id=article_id, title=title, text=text, published=pub
        )
        if not changed:
            sources = tl.story_source_count(db, story_id)
            return StoryOutcome(story_id, False, sources, already_recorded=True)
        tl.add_story_source(db, story_id, article_id, source, url, pub, now)
        tl.set_article_story(db, article_id, story_id)
        records = _records(
            detection,
            article_id=article_id,
            published=pub,
            published_is_fetch_date=published_is_fetch_date,
            story_id=story_id,
            story_published=tl.story_first_published(db, story_id) or pub,
            url=url,
            source=source,
            names=retailer_name or default_retailer_name,
        )
        derived = _store_mentions_and_derive(db, article_id, records)
        new_keys = [e.key for e in derived if tl.insert_event(db, e, now=now, backfill=backfill)]
        return StoryOutcome(
            story_id=story_id,
            is_new_story=is_new,
            sources=tl.story_source_count(db, story_id),
            events=derived,
            new_event_keys=new_keys,
        )


def rebuild_timeline(
    db: sqlite_utils.Database,
    detect: Callable[[str, str, str | None], Any],
    *,
    dry_run: bool,
    order: str = "arrival",
    retailer_name: Callable[[str], str] | None = None,
) -> tuple[list[Event], list[Event]]:
    """Re-run detection on every stored article and rebuild mentions and events.

    ``detect(title, text, lang)`` returns a Detection (``tasks.detect.detect_article`` with the
    watchlist bound).
    Returns (appeared, disappeared): events today's rules produce that are not stored, and stored
    events they no longer produce. Articles are replayed in ``order``: "arrival" (the order they
    were first recorded, so unchanged rules give an empty diff) or "publication". Without
    ``dry_run``, appeared events are written as a backfill (one digest) and disappeared ones are
    marked retracted, not deleted: they may have been delivered. With ``dry_run`` everything
    happens inside a savepoint that is rolled back: nothing is written.
    """
    names = retailer_name or default_retailer_name
    now = utcnow()
    with transaction(db), tl.savepoint(db, "rebuild_timeline", rollback=dry_run):
        before = {e.key: e for e in tl.events(db)}
        tl.delete_all_mentions(db)
        ids = (
            tl.articles_in_arrival_order(db)
            if order == "arrival"
            else tl.articles_in_publication_order(db)
        )
        derived: dict[str, Event] = {}
        for article_id in ids:
            row = tl.article(db, article_id)
            if row is None or not row["published"]:
                continue
            title, text, pub = row["title"] or "", row["text"] or "", iso_utc(row["published"])
            detection = detect(title, text, row["lang"])
            if not getattr(detection, "relevant", False):
                continue  # as in the poll flow: only relevant articles enter stories
            source = source_of(row["url"] or "", row["site"])
            story_id, _new, changed = assign_story(
                db, article_id=article_id, title=title, text=text, published=pub
            )
            if changed:
                tl.add_story_source(db, story_id, article_id, source, row["url"] or "", pub, now)
                tl.set_article_story(db, article_id, story_id)
            records = _records(
                detection,
                article_id=article_id,
                published=pub,
                published_is_fetch_date=bool(row["published_is_fetch_date"]),
                story_id=story_id,
                story_published=tl.story_first_published(db, story_id) or pub,
                url=row["url"] or "",
                source=source,
                names=names,
            )
            for event in _store_mentions_and_derive(db, article_id, records):
                derived.setdefault(event.key, event)
        appeared = [e for k, e in derived.items() if k not in before]
        disappeared = [e for k, e in before.items() if k not in derived]
        if not dry_run:
            for event in appeared:
                tl.insert_event(db, event, now=now, backfill=True)
            tl.restore_events(db, [e.key for e in appeared])
            tl.retract_events(db, [e.key for e in disappeared], now=now)
    return appeared, disappeared


def current_board(db: sqlite_utils.Database) -> list[BoardRow]:
    """Each retailer's current status (``veille status``)."""
    return board(tl.all_mentions(db), tl.story_source_counts(db))


def retailer_timeline(
    db: sqlite_utils.Database, retailer: str
) -> tuple[str, list[MentionRecord], list[Event]]:
    """A retailer's mentions in timeline order and its events; ``retailer`` is a slug or name."""
    wanted = dedupe.normalise_text(retailer)
    for slug, name in tl.retailers(db):
        if retailer == slug or wanted in (
            dedupe.normalise_text(slug.replace("-", " ")),
            dedupe.normalise_text(name),
        ):
            return slug, tl.retailer_mentions(db, slug), tl.events(db, retailer=slug)
    known = ", ".join(slug for slug, _ in tl.retailers(db)) or "none yet"
    raise VeilleError(f"timeline: no retailer {retailer!r} in the timeline (known: {known})")
