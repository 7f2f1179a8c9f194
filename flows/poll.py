"""The ``poll`` flow: feeds → new entries → articles → detection → storyline → outbox.

Prefect runs a task per feed (fetch + parse) and a task per feed's batch of new articles (fetch),
grouping feeds beyond ``MAX_TASK_RUNS``: a task per article would cost more in Prefect's
bookkeeping than the work itself (DESIGN.md). Extraction, detection and every write to SQLite
happen here, in the flow's own thread, one transaction per article, so an article, its
mentions, its events and their deliveries land together or not at all; a crash at any point is
caught up by the next poll.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from config.settings import Config, FeedConfig, load_config
from storage import feeds as feed_store
from storage.db import open_db, transaction, utcnow
from tasks.errors import FetchError
from tasks.extract import ExtractedArticle, extract_article
from tasks.feeds import parse_feed
from tasks.fetch import Fetcher, FetchOptions

from .pipeline import ArticleProcessor


@dataclass(frozen=True)
class FeedJob:
    """What a feed task needs: the feed and its validators for a conditional GET."""

    id: str
    name: str
    url: str
    etag: str | None
    last_modified: str | None


@dataclass
class FeedOutcome:
    """What a feed task found: entries, 304, or one line of failure."""

    job: FeedJob
    state: str  # ok | not_modified | failed
    entries: list[dict[str, Any]] = field(default_factory=list)
    etag: str | None = None
    last_modified: str | None = None
    kind: str | None = None
    message: str | None = None
    retry_after: float | None = None
    warning: str | None = None


@dataclass
class ArticleOutcome:
    """One entry's page: fetched (or given up, keeping the feed's text), or to retry later."""

    entry: dict[str, Any]
    fetched: bool  # False: a transient failure, the entry is retried on a later poll
    html: bytes | None = None
    note: str | None = None
    kind: str | None = None
    message: str | None = None

    def extract(self) -> ExtractedArticle:
        """The article: trafilatura on the page, or the feed's title and summary."""
        entry = self.entry
        article = extract_article(
            self.html,
            url=entry.get("url") or "",
            feed_title=entry.get("title") or "",
            feed_summary=entry.get("summary") or "",
            feed_published=_parse_dt(entry.get("published")),
        )
        if self.note and article.note is None:
            article = ExtractedArticle(**{**article.__dict__, "note": self.note})
        return article


@dataclass
class PollSummary:
    """What one poll did, for the command line and the Prefect UI."""

    feeds_total: int = 0
    feeds_ok: int = 0
    feeds_not_modified: int = 0
    feeds_failed: int = 0
    feeds_deferred: int = 0
    new_entries: int = 0
    new_articles: int = 0
    relevant_articles: int = 0
    articles_failed: int = 0
    events: int = 0
    alerts_queued: int = 0
    delivery: dict[str, Any] | None = None
    failures_by_kind: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def fetch_options(config: Config) -> FetchOptions:
    """The fetcher's options from the [settings.fetch] table."""
    fields = config.settings.fetch.model_dump()
    fields["allowed_hosts"] = tuple(fields["allowed_hosts"])
    return FetchOptions(**fields)


def _entry_dict(entry: Any) -> dict[str, Any]:
    published = entry.published.isoformat() if entry.published else None
    return {
        "key": entry.key,
        "guid": entry.guid,
        "url": entry.url,
        "canonical_url": entry.canonical_url,
        "title": entry.title,
        "summary": entry.summary,
        "published": published,
    }


# Prefect's cost per task run grows with the number of runs in a flow (measured: ~10 ms each
# at 100 runs, ~70 ms at 1,000). Up to this many feeds, each gets its own task run (visible in
# Prefect's UI); beyond, feeds are grouped so that a poll never makes more task runs than this.
MAX_TASK_RUNS = 64


def group(items: list[Any], parts: int = MAX_TASK_RUNS) -> list[list[Any]]:
    """``items`` in at most ``parts`` contiguous groups of near-equal size, order kept."""
    if not items:
        return []
    parts = min(parts, len(items))
    size, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


@task(name="poll-feeds", cache_policy=NO_CACHE)
def poll_feeds(jobs: list[FeedJob], fetcher: Fetcher) -> list[FeedOutcome]:
    """Poll a group of feeds (one feed when there are few), one after the other."""
    return [poll_feed(job, fetcher) for job in jobs]


def poll_feed(job: FeedJob, fetcher: Fetcher) -> FeedOutcome:
    """Fetch one feed (conditional GET) and parse it; failures come back as data, not raised."""
    try:
        result = fetcher.fetch(job.url, etag=job.etag, last_modified=job.last_modified)
    except FetchError as exc:
        return FeedOutcome(
            job, "failed", kind=exc.kind, message=exc.message, retry_after=exc.retry_after
        )
    if result.not_modified:
        return FeedOutcome(
            job, "not_modified", etag=result.etag, last_modified=result.last_modified
        )
    parsed = parse_feed(result.content, url=result.url, headers=result.headers)
    if not parsed.entries and parsed.error:
        return FeedOutcome(job, "failed", kind="parse", message=parsed.error)
    return FeedOutcome(
        job,
        "ok",
        entries=[_entry_dict(e) for e in parsed.entries],
        etag=result.etag,
        last_modified=result.last_modified,
        warning=parsed.error,
    )


_PERMANENT = {"http_404", "http_410", "http_401", "http_403", "bad_scheme", "blocked_host"}


@task(name="fetch-articles", cache_policy=NO_CACHE)
def fetch_articles(
    entries: list[dict[str, Any]], fetcher: Fetcher, retries: int
) -> list[ArticleOutcome]:
    """Fetch one feed's new pages. Network only: extraction is CPU work and runs in the flow's
    thread, so these threads spend their time waiting on sockets, not fighting for the GIL with
    Prefect's own bookkeeping (measured: it halved Prefect's share of a poll)."""
    outcomes: list[ArticleOutcome] = []
    for entry in entries:
        url = entry.get("url") or ""
        try:
            if not url:
                raise FetchError("no_link", "", "the entry has no link")
            outcomes.append(ArticleOutcome(entry, True, html=fetcher.fetch(url).content))
        except FetchError as exc:
            last_try = entry.get("attempts", 0) + 1 >= retries
            if exc.kind not in _PERMANENT and exc.kind != "no_link" and not last_try:
                outcomes.append(ArticleOutcome(entry, False, kind=exc.kind, message=exc.message))
                continue
            note = f"page not fetched ({exc.kind}): kept the feed's title and summary"
            outcomes.append(ArticleOutcome(entry, True, note=note))
    return outcomes


def _parse_dt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _due(
    feed: FeedConfig, row: feed_store.FeedRow | None, now: datetime, force: bool
) -> str | None:
    """None when the feed is to be polled now, else why not (one word)."""
    if row is None:
        return None
    if row.retry_after_until and (until := _parse_dt(row.retry_after_until)) and until > now:
        return "retry_after"
    if force or feed.interval is None or not row.last_polled:
        return None
    last = _parse_dt(row.last_polled)
    if last and now - last < timedelta(minutes=feed.interval) - timedelta(seconds=30):
        return "interval"
    return None


def _failure_line(name: str, url: str, kind: str, message: str) -> str:
    return f"{name} ({url}): {kind}: {message}"


# Threads wait on the network, not the CPU; the fetcher's per-host limit keeps each site polite.
WORKERS = 16


@flow(name="poll", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=WORKERS))
def poll(
    config_path: str | None = None,
    force: bool = False,
    alerts: bool = True,
    deliver: bool = True,
    database: str | None = None,
) -> dict[str, Any]:
    """Poll every due feed once, store what is new, and send the alerts it causes."""
    config = load_config(config_path)
    summary = run_poll(config, force=force, alerts=alerts, deliver=deliver, database=database)
    return summary.as_dict()


Mapper = Callable[..., list[Any]]


def in_story_order(batches: list[list[ArticleOutcome]]) -> list[ArticleOutcome]:
    """A poll's new articles, oldest first (then by URL): events then follow the story's
    chronology (an approach before the refusal it led to, the first reprint of a story
    before the others) and the same news gives the same alerts whatever order the fetches
    came back in. Articles without a date come last."""
    items = [item for batch in batches for item in batch]
    return sorted(
        items,
        key=lambda item: (
            str(item.entry.get("published") or "~"),
            str(item.entry.get("canonical_url") or item.entry.get("url") or ""),
        ),
    )


def prefect_map(task_: Any, items: list[Any], *args: Any) -> list[Any]:
    """Fan out over Prefect's task runner: one task run per item."""
    return task_.map(items, *(unmapped(a) for a in args)).result() if items else []


def plain_map(workers: int) -> Mapper:
    """The same fan-out without Prefect (threads calling ``task.fn``): the benchmark's reference
    for Prefect's share of a poll."""

    def run(task_: Any, items: list[Any], *args: Any) -> list[Any]:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda item: task_.fn(item, *args), items))

    return run


def run_poll(
    config: Config,
    *,
    force: bool = False,
    alerts: bool = True,
    deliver: bool = True,
    database: str | Path | None = None,
    fetcher: Fetcher | None = None,
    mapper: Mapper = prefect_map,
) -> PollSummary:
    """The body of the poll flow (inside a flow run with the default ``mapper``)."""
    started = time.monotonic()
    logger = get_run_logger() if mapper is prefect_map else logging.getLogger("veille.poll")
    settings = config.settings
    db = open_db(database or settings.database)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(fetch_options(config))
    summary = PollSummary(feeds_total=len(config.feeds))
    kinds: Counter[str] = Counter()
    try:
        # Loaded first: a broken watchlist or channel file fails before any fetching.
        processor = ArticleProcessor(db, config, alerts=alerts)
        with transaction(db):
            feed_store.sync_feeds(db, config.feeds)
        rows = feed_store.get_feeds(db)
        now = datetime.now(UTC)
        jobs: list[FeedJob] = []
        first_poll: set[str] = set()
        for feed in config.feeds:
            row = rows.get(feed.id)
            if _due(feed, row, now, force):
                summary.feeds_deferred += 1
                continue
            if row is None or not row.last_success:
                first_poll.add(feed.id)
            jobs.append(
                FeedJob(feed.id, feed.name, feed.url, row and row.etag, row and row.last_modified)
            )

        outcomes = [o for part in mapper(poll_feeds, group(jobs), fetcher) for o in part]
        for outcome in outcomes:
            job = outcome.job
            with transaction(db):
                if outcome.state == "failed":
                    until = None
                    if outcome.retry_after:
                        until = (now + timedelta(seconds=outcome.retry_after)).isoformat(
                            timespec="seconds"
                        )
                    feed_store.record_feed_failure(
                        db,
                        job.id,
                        kind=outcome.kind or "error",
                        message=outcome.message or "",
                        retry_after_until=until,
                    )
                    summary.feeds_failed += 1
                    kinds[outcome.kind or "error"] += 1
                    line = _failure_line(
                        job.name, job.url, outcome.kind or "error", outcome.message or ""
                    )
                    summary.failures.append(line)
                    logger.info("feed failed: %s", line)
                    continue
                feed_store.record_feed_success(
                    db,
                    job.id,
                    etag=outcome.etag,
                    last_modified=outcome.last_modified,
                    warning=outcome.warning,
                )
                if outcome.state == "not_modified":
                    summary.feeds_not_modified += 1
                    continue
                summary.feeds_ok += 1
                new = feed_store.insert_entries(
                    db, job.id, outcome.entries, archive=job.id in first_poll
                )
                summary.new_entries += len(new)

        pending = feed_store.pending_entries(
            db,
            max_attempts=max(1, settings.article_retries),
            per_feed=settings.max_new_articles_per_feed,
        )
        by_feed: dict[str, list[dict[str, Any]]] = {}
        for entry in pending:
            by_feed.setdefault(entry["feed_id"], []).append(entry)
        # One task run per feed's new articles, grouped beyond MAX_TASK_RUNS feeds.
        batches = [
            [e for entries in part for e in entries] for part in group(list(by_feed.values()))
        ]
        article_outcomes: list[list[ArticleOutcome]] = mapper(
            fetch_articles, batches, fetcher, max(1, settings.article_retries)
        )
        for item in in_story_order(article_outcomes):
            entry = item.entry
            if not item.fetched:
                with transaction(db):
                    feed_store.mark_entry(
                        db, entry["id"], state="failed", error=f"{item.kind}: {item.message}"
                    )
                summary.articles_failed += 1
                kinds[f"article_{item.kind}"] += 1
                summary.failures.append(
                    _failure_line(
                        entry["feed_name"],
                        entry.get("url") or "",
                        item.kind or "error",
                        (item.message or "") + " (will retry)",
                    )
                )
                continue
            try:
                result = processor.process(entry, item.extract())
            except Exception as exc:  # a bug on one article must not stop the others
                logger.exception("article %s: unexpected error", entry.get("url"))
                with transaction(db):
                    feed_store.mark_entry(
                        db, entry["id"], state="failed", error=f"internal: {exc!r}"[:300]
                    )
                summary.articles_failed += 1
                kinds["article_internal"] += 1
                continue
            summary.new_articles += int(result.new)
            summary.relevant_articles += int(result.relevant)
            summary.events += result.events
            summary.alerts_queued += result.deliveries
        summary.failures_by_kind = dict(kinds)
        if alerts and deliver and processor.channels:
            # Right after storing: an alert's latency is this poll, not the next deliver run.
            from dataclasses import asdict

            from .deliver import deliver_configured, send_channel_task

            run_queue = send_channel_task if mapper is prefect_map else None
            kwargs = {"run_queue": run_queue} if run_queue else {}
            summary.delivery = asdict(deliver_configured(db, config, **kwargs))
    finally:
        if own_fetcher:
            fetcher.close()
        db.close()
    summary.seconds = round(time.monotonic() - started, 3)
    return summary


__all__ = ["PollSummary", "poll", "run_poll", "utcnow"]
