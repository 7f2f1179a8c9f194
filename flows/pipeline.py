"""From an extracted article to stored rows: dedupe, detection, storyline, outbox.

Shared by the poll flow, backfills and re-processing, so that an article is recorded the same
way whichever door it came in by. One article = one transaction: the article, its mentions, its
events and their delivery rows commit together, so a crash can neither lose an event nor make
two (the next run finds the entry still pending and does it again).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from config.settings import Config
from storage import articles as article_store
from storage import feeds as feed_store
from storage.db import transaction, utcnow
from tasks.dedupe import text_hash
from tasks.extract import ExtractedArticle
from tasks.feeds import canonical_url


@dataclass(frozen=True)
class ProcessResult:
    """What recording one article changed."""

    new: bool
    relevant: bool = False
    events: int = 0
    deliveries: int = 0


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            dt = datetime.fromisoformat(value)
        except ValueError:
            return None
        return dt if dt.tzinfo else dt.replace(tzinfo=UTC)
    return None


class ArticleProcessor:
    """Records articles one transaction each; holds what is loaded once per run."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        config: Config,
        *,
        alerts: bool = True,
        backfill: bool = False,
    ) -> None:
        from config.watchlist import load_watchlist

        self.db = db
        self.config = config
        self.alerts = alerts
        self.backfill = backfill
        self.watchlist = load_watchlist(config.settings.watchlist)
        self.channels: list[Any] = []
        if alerts:
            from tasks.notify import load_channels

            self.channels = load_channels(config_path=config.settings.notify.config_file)
        self.digest = f"backfill-{uuid.uuid4().hex[:12]}" if backfill else None

    def process(self, entry: dict[str, Any], article: ExtractedArticle) -> ProcessResult:
        """Store the article behind ``entry``; detect, place in a story, emit events."""
        from tasks.detect import detect_article
        from tasks.storyline import record_story_and_events

        url = article.url or entry.get("url") or ""
        canonical = entry.get("canonical_url") or (canonical_url(url) if url else entry["key"])
        aid = article_store.article_id(canonical)
        published = _as_datetime(entry.get("published")) or article.published
        fetch_dated = published is None
        now = utcnow()
        if published is None:
            published = datetime.now(UTC)
        archive = bool(entry.get("archive")) or self.backfill
        source = article.site or entry.get("feed_name") or ""
        with transaction(self.db):
            inserted = article_store.insert_article(
                self.db,
                {
                    "id": aid,
                    "url": url,
                    "canonical_url": canonical,
                    "feed_id": entry.get("feed_id"),
                    "title": article.title or entry.get("title"),
                    "text": article.text,
                    "text_hash": text_hash(article.text),
                    "published": published.isoformat(timespec="seconds"),
                    "published_is_fetch_date": int(fetch_dated),
                    "author": article.author,
                    "site": source,
                    "language": article.language,
                    "extracted": int(article.extracted),
                    "note": article.note,
                    "fetched_at": now,
                    "archive": int(archive),
                },
            )
            if "id" in entry:
                feed_store.mark_entry(self.db, entry["id"], state="done", article_id=aid)
            if not inserted:
                return ProcessResult(new=False)
            detection = detect_article(
                article.title or entry.get("title"),
                article.text,
                article.language,
                watchlist=self.watchlist,
            )
            article_store.set_detection(self.db, aid, relevant=detection.relevant, at=now)
            if not detection.relevant:
                return ProcessResult(new=True)
            outcome = record_story_and_events(
                self.db,
                article_id=aid,
                title=article.title or entry.get("title") or "",
                text=article.text,
                published=published,
                published_is_fetch_date=fetch_dated,
                url=url,
                source=source,
                detection=detection,
                backfill=archive,
                retailer_name=self.watchlist.retailer_name,
            )
            deliveries = 0
            keys = list(outcome.new_event_keys)
            # A feed's archive (its first poll) is recorded quietly; a backfill goes as a digest.
            if (
                keys
                and self.alerts
                and self.channels
                and (self.backfill or not entry.get("archive"))
            ):
                from storage.outbox import enqueue_deliveries

                deliveries = enqueue_deliveries(self.db, keys, self.channels, digest=self.digest)
            return ProcessResult(
                new=True, relevant=True, events=len(keys), deliveries=int(deliveries or 0)
            )
