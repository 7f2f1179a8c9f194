"""Backfills by hand: a list of article URLs, feeds or news queries bounded by dates, or a re-run
of detection over stored articles.

A backfill's events are written like any others but go out as one digest per channel (or not at
all with ``alerts=False``), never as a flood. ``dry_run`` does the whole work inside one
transaction and rolls it back: what it prints is exactly what a real run would write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote_plus

import sqlite_utils
from prefect import flow

from config.settings import Config, load_config
from storage.db import open_db, transaction
from tasks.errors import FetchError
from tasks.extract import extract_article
from tasks.feeds import canonical_url, parse_feed
from tasks.fetch import Fetcher

from .pipeline import ArticleProcessor
from .poll import fetch_options

Progress = Callable[[str, int, int], None]


@dataclass
class BackfillSummary:
    """What a backfill did (or, dry, would do)."""

    dry_run: bool
    articles_seen: int = 0
    new_articles: int = 0
    relevant: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    deliveries: int = 0
    delivery: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Rollback(Exception):
    """Raised to undo a dry run's writes."""


@contextmanager
def _maybe_dry(db: sqlite_utils.Database, dry_run: bool) -> Iterator[None]:
    if not dry_run:
        yield
        return
    try:
        with transaction(db):
            yield
            raise _Rollback
    except _Rollback:
        pass


def google_news_url(query: str) -> str:
    """A Google News RSS search in French for ``query``."""
    return f"https://news.google.com/rss/search?q={quote_plus(query)}&hl=fr&gl=FR&ceid=FR:fr"


def _in_range(published: datetime | None, since: datetime | None, until: datetime | None) -> bool:
    if published is None:
        return since is None and until is None
    return not ((since and published < since) or (until and published > until))


def collect_entries(
    fetcher: Fetcher,
    *,
    urls: list[str],
    feeds: list[str],
    since: datetime | None,
    until: datetime | None,
    failures: list[str],
) -> list[dict[str, Any]]:
    """The entries to backfill: given article URLs, plus feed items within the date range."""
    entries = [{"key": canonical_url(u), "url": u, "title": "", "summary": ""} for u in urls]
    for feed_url in feeds:
        try:
            result = fetcher.fetch(feed_url)
        except FetchError as exc:
            failures.append(f"{feed_url}: {exc.kind}: {exc.message}")
            continue
        parsed = parse_feed(result.content, url=result.url, headers=result.headers)
        if parsed.error and not parsed.entries:
            failures.append(f"{feed_url}: parse: {parsed.error}")
        for e in parsed.entries:
            if _in_range(e.published, since, until):
                entries.append(
                    {
                        "key": e.key,
                        "url": e.url,
                        "canonical_url": e.canonical_url,
                        "title": e.title,
                        "summary": e.summary,
                        "feed_name": parsed.title,
                        "published": e.published.isoformat() if e.published else None,
                    }
                )
    return entries


def run_backfill(
    config: Config,
    *,
    urls: list[str] | None = None,
    feeds: list[str] | None = None,
    queries: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    reprocess: bool = False,
    dry_run: bool = False,
    alerts: bool = True,
    database: str | None = None,
    fetcher: Fetcher | None = None,
    progress: Progress | None = None,
) -> BackfillSummary:
    """Backfill and return what changed; see the module docstring."""
    summary = BackfillSummary(dry_run=dry_run)
    db = open_db(database or config.settings.database)
    try:
        if reprocess:
            return _reprocess(db, config, summary, dry_run=dry_run, alerts=alerts)
        own = fetcher is None
        fetcher = fetcher or Fetcher(fetch_options(config))
        try:
            feed_urls = list(feeds or []) + [google_news_url(q) for q in queries or []]
            entries = collect_entries(
                fetcher,
                urls=list(urls or []),
                feeds=feed_urls,
                since=since,
                until=until,
                failures=summary.failures,
            )
            from storage.timeline import event_rows_since, max_event_seq

            before = max_event_seq(db)
            with _maybe_dry(db, dry_run):
                processor = ArticleProcessor(
                    db, config, alerts=alerts and not dry_run, backfill=True
                )
                for i, entry in enumerate(entries, 1):
                    if progress:
                        progress(entry.get("url") or entry["key"], i, len(entries))
                    _backfill_one(fetcher, processor, entry, summary)
                summary.events = event_rows_since(db, before)
            if summary.deliveries and alerts and not dry_run:
                from dataclasses import asdict

                from .deliver import deliver_configured

                summary.delivery = asdict(deliver_configured(db, config))
        finally:
            if own:
                fetcher.close()
    finally:
        db.close()
    return summary


def _backfill_one(
    fetcher: Fetcher, processor: ArticleProcessor, entry: dict[str, Any], summary: BackfillSummary
) -> None:
    summary.articles_seen += 1
    html = None
    try:
        html = fetcher.fetch(entry["url"]).content if entry.get("url") else None
    except FetchError as exc:
        summary.failures.append(f"{entry['url']}: {exc.kind}: {exc.message}")
        if not (entry.get("title") or entry.get("summary")):
            return
    article = extract_article(
        html,
        url=entry.get("url") or "",
        feed_title=entry.get("title") or "",
        feed_summary=entry.get("summary") or "",
    )
    result = processor.process(entry, article)
    summary.new_articles += int(result.new)
    summary.relevant += int(result.relevant)
    summary.deliveries += result.deliveries


def _reprocess(
    db: sqlite_utils.Database,
    config: Config,
    summary: BackfillSummary,
    *,
    dry_run: bool,
    alerts: bool,
) -> BackfillSummary:
    from config.watchlist import load_watchlist
    from tasks.detect import detect_article
    from tasks.storyline import rebuild_timeline

    watchlist = load_watchlist(config.settings.watchlist)

    def detect(title: str | None, text: str, lang: str | None) -> Any:
        return detect_article(title, text, lang, watchlist=watchlist)

    appeared, disappeared = rebuild_timeline(db, detect, dry_run=dry_run)
    summary.events = [{"change": "+", **_plain(e)} for e in appeared]
    summary.events += [{"change": "-", **_plain(e)} for e in disappeared]
    return summary


def _plain(event: Any) -> dict[str, Any]:
    return dict(event) if isinstance(event, dict) else dict(event.__dict__)


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@flow(name="backfill")
def backfill(
    config_path: str | None = None,
    urls: list[str] | None = None,
    feeds: list[str] | None = None,
    queries: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    reprocess: bool = False,
    dry_run: bool = False,
    alerts: bool = True,
    database: str | None = None,
) -> dict[str, Any]:
    """Backfill by hand (``prefect deployment run 'backfill/manual' -p urls='[…]'``)."""
    config = load_config(config_path)
    summary = run_backfill(
        config,
        urls=urls,
        feeds=feeds,
        queries=queries,
        since=_parse_date(since),
        until=_parse_date(until),
        reprocess=reprocess,
        dry_run=dry_run,
        alerts=alerts,
        database=database,
    )
    return summary.as_dict()
