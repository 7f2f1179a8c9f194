"""Backfills over the demo corpus: a dry run writes nothing, a real one sends one digest per
channel, ``--no-alerts`` writes events without deliveries, and the CLI says so.

Real parts only: the demo newsroom with every step released, a real SQLite file, apprise
delivering to a local Slack-shaped webhook (``mmost://``) and a local SMTP server.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from config.settings import Config, parse_config
from demo.receivers import SmtpReceiver, WebhookReceiver
from demo.server import DemoFeedServer, local_settings_toml
from flows.backfill import run_backfill
from storage.db import open_db

REPO = Path(__file__).resolve().parents[1]
TABLES = ("feeds", "entries", "articles", "mentions", "events", "deliveries", "delivery_attempts")


@pytest.fixture(scope="module")
def news() -> Iterator[DemoFeedServer]:
    """The whole demo storyline, every step released."""
    with DemoFeedServer(step=99) as server:
        yield server


@pytest.fixture
def receivers(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[WebhookReceiver, SmtpReceiver]]:
    with WebhookReceiver() as hook, SmtpReceiver() as smtp:
        monkeypatch.setenv(
            "VEILLE_NOTIFY",
            f"slack={hook.apprise_url('tok', scheme='mmost')} email={smtp.apprise_url()}",
        )
        monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
        yield hook, smtp


settings_toml = local_settings_toml


def make_config(database: Path) -> Config:
    import tomllib

    return parse_config(tomllib.loads(settings_toml(database)), "test")


def counts(database: Path) -> dict[str, int]:
    db = open_db(database)
    try:
        names = set(db.table_names())
        return {t: db[t].count for t in TABLES if t in names}
    finally:
        db.close()


def dump(database: Path) -> list[str]:
    db = open_db(database)
    try:
        return list(db.conn.iterdump())
    finally:
        db.close()


def moves(events: list[dict]) -> list[tuple[str, str, str | None, str]]:
    return [(e["kind"], e["retailer"], e.get("old_status"), e["new_status"]) for e in events]


def test_dry_run_writes_nothing_then_the_real_run_sends_one_digest_per_channel(
    news: DemoFeedServer, receivers: tuple[WebhookReceiver, SmtpReceiver], tmp_path: Path
) -> None:
    from flows.deliver import deliver_pending
    from tasks.notify import load_channels

    hook, smtp = receivers
    database = tmp_path / "veille.db"
    config = make_config(database)
    feeds = [news.feed_url(slug) for slug in news.outlets]
    open_db(database).close()  # the schema exists before, so "unchanged" means the rows
    before, dump_before = counts(database), dump(database)

    dry = run_backfill(config, feeds=feeds, dry_run=True)

    assert counts(database) == before and dump(database) == dump_before
    assert dry.dry_run and dry.articles_seen == len(news.articles)
    assert dry.relevant > 0 and len(dry.events) >= 5, dry.as_dict()
    assert dry.deliveries == 0 and dry.delivery is None and not dry.failures

    real = run_backfill(config, feeds=feeds)

    # What the dry run printed is what the real run wrote.
    assert moves(real.events) == moves(dry.events)
    after = counts(database)
    assert after["articles"] == len(news.articles) and after["events"] == len(real.events)
    assert real.deliveries == 2 * len(real.events) == after["deliveries"]

    # The backfill sent its events itself, right after writing them: one digest a channel.
    assert real.delivery is not None, real.as_dict()
    assert real.delivery["digests"] == real.delivery["messages"] == 2
    assert real.delivery["sent"] == real.deliveries
    db = open_db(database)
    try:
        again = deliver_pending(db, load_channels(throttle=False), timeout=5)
    finally:
        db.close()
    assert again.messages == 0  # nothing left behind
    # Sends are recorded by the receivers before they answer: the counts are final here.
    assert len(hook.requests) == 1 and len(smtp.messages) == 1
    n = len(real.events)
    assert smtp.messages[0].subject == f"[veille] Digest : {n} évolution{'s' if n != 1 else ''}"
    assert "Digest veille" in hook.requests[0].json["text"]


def test_no_alerts_writes_events_and_no_deliveries(
    news: DemoFeedServer, receivers: tuple[WebhookReceiver, SmtpReceiver], tmp_path: Path
) -> None:
    hook, smtp = receivers
    database = tmp_path / "veille.db"
    # The storyline's busiest outlets are enough to make events.
    feeds = [news.feed_url(slug) for slug in ("distri-hebdo", "eco-matin")]
    result = run_backfill(make_config(database), feeds=feeds, alerts=False)
    after = counts(database)
    assert result.events and after["events"] == len(result.events)
    assert result.deliveries == 0 and result.delivery is None
    assert after.get("deliveries", 0) == 0
    assert not hook.requests and not smtp.messages


def test_backfill_dry_run_through_the_cli(news: DemoFeedServer, tmp_path: Path) -> None:
    database = tmp_path / "veille.db"
    config = tmp_path / "feeds.toml"
    config.write_text(settings_toml(database), encoding="utf-8")
    urls = [news.article_url(a) for a in news.articles if a.story.startswith("leclerc-")]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "PREFECT_API"))}
    veille = Path(sys.executable).with_name("veille")
    proc = subprocess.run(
        [str(veille), "backfill", "--dry-run", "--config", str(config), *urls],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    head = proc.stdout.splitlines()[0]
    assert head.startswith(f"dry run, nothing written: {len(urls)} articles read, {len(urls)} new")
    assert "leclerc" in proc.stdout and " → " in proc.stdout
    assert counts(database).get("articles", 0) == 0 and counts(database).get("events", 0) == 0
