"""The demo corpus, its feed server and the local alert receivers.

The demo must tell the whole storyline offline, so these tests check the corpus covers it
(every status, reprints, hard negatives, several release steps) and that the servers behave
like real ones: RSS that feedparser reads, 304 on unchanged feeds, pages to extract, and
receivers that get what apprise sends.
"""

from __future__ import annotations

import itertools
import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime

import apprise
import feedparser
import httpx
import pytest

from demo.receivers import SmtpReceiver, WebhookReceiver
from demo.server import CORPUS_PATH, DemoFeedServer, load_corpus, slugify

STATUSES = {
    "rumored",
    "approached",
    "in_talks",
    "declined",
    "denied",
    "partnership",
    "acquired",
    "ended",
}
FIELDS = {
    "id",
    "outlet",
    "url",
    "published",
    "title",
    "summary",
    "text",
    "step",
    "story",
    "expected",
}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    lines = CORPUS_PATH.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


# --------------------------------------------------------------------------- corpus


def test_corpus_rows_are_well_formed(rows: list[dict]) -> None:
    assert len(rows) >= 48
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["url"] for r in rows}) == len(rows)
    for r in rows:
        assert set(r) == FIELDS, r["id"]
        slug = slugify(r["outlet"])
        assert r["url"] == f"http://{slug}.demo/{slug}/{r['id']}.html"
        published = datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
        assert published.utcoffset() is not None and published.utcoffset().total_seconds() == 0
        assert "T" in r["published"]
        assert 150 <= len(r["text"].split()) <= 400, r["id"]
        assert len(r["text"].split("\n\n")) >= 3, r["id"]
        assert r["title"].strip() and r["summary"].strip()
        assert isinstance(r["step"], int) and r["step"] >= 1
        assert SLUG.match(r["story"])
        expected = r["expected"]
        assert set(expected) == {"relevant", "mentions"}
        if not expected["relevant"]:
            assert expected["mentions"] == [], r["id"]
        seen = set()
        for m in expected["mentions"]:
            assert set(m) == {"retailer", "status", "reported"}
            assert SLUG.match(m["retailer"]) and m["status"] in STATUSES
            assert isinstance(m["reported"], bool)
            assert m["retailer"] not in seen, f"{r['id']}: one status per retailer"
            seen.add(m["retailer"])


def test_corpus_covers_the_storyline(rows: list[dict]) -> None:
    negatives = [r for r in rows if not r["expected"]["relevant"]]
    assert len(negatives) >= 12
    statuses = {m["status"] for r in rows for m in r["expected"]["mentions"]}
    assert statuses == STATUSES
    assert {m["reported"] for r in rows for m in r["expected"]["mentions"]} == {True, False}
    assert 4 <= len({r["step"] for r in rows}) <= 6
    assert {r["step"] for r in rows} == set(range(1, max(r["step"] for r in rows) + 1))
    outlets = {r["outlet"] for r in rows}
    assert len(outlets) >= 5
    # A retailer that enters the story only in the last steps.
    first_step: dict[str, int] = {}
    for r in sorted(rows, key=lambda r: r["published"]):
        for m in r["expected"]["mentions"]:
            first_step.setdefault(m["retailer"], r["step"])
    assert max(first_step.values()) >= 4
    # Amazon named only by a periphrasis somewhere in a relevant article.
    assert any(
        r["expected"]["mentions"] and "amazon" not in (r["title"] + r["text"]).lower() for r in rows
    )


def test_reprints_share_facts_across_outlets(rows: list[dict]) -> None:
    stories: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        stories[r["story"]].append(r)
    groups = [g for g in stories.values() if len(g) >= 3]
    assert len(groups) >= 4
    assert max(len(g) for g in stories.values()) <= 5
    for group in (g for g in stories.values() if len(g) > 1):
        assert len({r["outlet"] for r in group}) == len(group), "one item per outlet"
        assert len({r["title"] for r in group}) == len(group), "headlines rewritten"
        assert len({r["text"] for r in group}) == len(group)
        assert len({json.dumps(r["expected"], sort_keys=True) for r in group}) == 1
        assert len({r["step"] for r in group}) == 1


def test_steps_follow_publication_dates(rows: list[dict]) -> None:
    """Release batches are chronological, so a poll never discovers an older story later."""
    by_step: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        by_step[r["step"]].append(r["published"])
    steps = sorted(by_step)
    for earlier, later in itertools.pairwise(steps):
        assert max(by_step[earlier]) < min(by_step[later])


def test_load_corpus_matches_the_file(rows: list[dict]) -> None:
    articles = load_corpus()
    assert len(articles) == len(rows)
    assert [a.published for a in articles] == sorted(a.published for a in articles)
    assert Counter(a.step for a in articles) == Counter(r["step"] for r in rows)


# --------------------------------------------------------------------------- feed server


@pytest.fixture()
def news() -> Iterator[DemoFeedServer]:
    with DemoFeedServer(step=1) as server:
        yield server


def test_feeds_toml_lists_every_outlet(news: DemoFeedServer) -> None:
    config = tomllib.loads(news.feeds_toml(interval=15))
    feeds = config["feeds"]
    assert {f["name"] for f in feeds} == set(news.outlets.values())
    for feed in feeds:
        assert feed["url"].startswith(f"http://127.0.0.1:{news.port}/feeds/")
        assert feed["interval"] == 15 and feed["tags"] == ["demo"]
    assert "interval" not in tomllib.loads(news.feeds_toml())["feeds"][0]


def test_feeds_serve_released_items_only(news: DemoFeedServer) -> None:
    seen_ids: set[str] = set()
    with httpx.Client(timeout=5) as client:
        for slug in news.outlets:
            response = client.get(news.feed_url(slug))
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("application/rss+xml")
            parsed = feedparser.parse(response.content)
            assert not parsed.bozo, parsed.get("bozo_exception")
            assert parsed.feed.title == news.outlets[slug]
            for entry in parsed.entries:
                assert entry.link.startswith(f"http://127.0.0.1:{news.port}/{slug}/")
                assert entry.published_parsed is not None and entry.summary
                seen_ids.add(entry.id.rsplit(":", 1)[1])
    step1 = {a.id for a in news.articles if a.step == 1}
    assert seen_ids == step1

    news.release_next()
    with httpx.Client(timeout=5) as client:
        total = sum(
            len(feedparser.parse(client.get(news.feed_url(slug)).content).entries)
            for slug in news.outlets
        )
    assert total == len([a for a in news.articles if a.step <= 2])


def test_feed_answers_304_when_unchanged(news: DemoFeedServer) -> None:
    url = news.feed_url("distri-hebdo")
    with httpx.Client(timeout=5) as client:
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
        # feedparser's own conditional GET, as the fetcher may use it.
        assert feedparser.parse(url, etag=etag).status == 304

        news.release(news.max_step)
        changed = client.get(url, headers={"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["etag"] != etag
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 200


def test_article_pages_are_real_pages(news: DemoFeedServer) -> None:
    released = news.visible()[0]
    hidden = next(a for a in news.articles if a.step > news.step)
    with httpx.Client(timeout=5) as client:
        page = client.get(news.article_url(released))
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        text = page.text
        assert '<html lang="fr">' in text and "<article>" in text and "<nav>" in text
        assert "<footer" in text and 'class="byline"' in text
        assert f'<time datetime="{released.published.isoformat()[:19]}' in text
        assert released.paragraphs[1].replace("'", "&#x27;")[:60] in text
        assert client.get(news.article_url(hidden)).status_code == 404
        assert client.get(f"{news.base_url}/nowhere.html").status_code == 404
        news.release(hidden.step)
        assert client.get(news.article_url(hidden)).status_code == 200


def test_release_never_goes_past_the_last_step(news: DemoFeedServer) -> None:
    while not news.done:
        news.release_next()
    assert news.release_next() == news.max_step
    assert len(news.visible()) == len(news.articles)


# --------------------------------------------------------------------------- receivers


def _apprise(*urls: str) -> apprise.Apprise:
    """An Apprise object with per-send throttling off (email waits 5.5 s by default)."""
    notifier = apprise.Apprise()
    for url in urls:
        assert notifier.add(url), url
    for plugin in notifier:
        plugin.request_rate_per_sec = 0
    return notifier


def test_webhook_receives_apprise_json() -> None:
    printed = []
    with WebhookReceiver(on_request=printed.append) as hook:
        notifier = _apprise(hook.apprise_url("hook"))
        assert notifier.notify(title="Leclerc : partenariat", body="Casiers signés « oui »")
        [request] = hook.wait_for(1, timeout=5)
        assert request.path == "/hook" and request.method == "POST"
        assert request.json["title"] == "Leclerc : partenariat"
        assert request.json["message"] == "Casiers signés « oui »"
        assert request.headers["content-type"].startswith("application/json")
        assert printed == [request]


def test_webhook_simulates_outages() -> None:
    with WebhookReceiver() as hook:
        notifier = _apprise(hook.apprise_url())
        hook.fail_next(2)
        assert notifier.notify(body="un") is False
        assert notifier.notify(body="deux") is False
        assert notifier.notify(body="trois") is True
        assert [r.status for r in hook.rejected] == [503, 503]
        assert [r.json["message"] for r in hook.wait_for(1)] == ["trois"]

        hook.set_down(True)
        assert notifier.notify(body="quatre") is False
        hook.set_down(False)
        assert notifier.notify(body="cinq") is True
        hook.wait_for_attempts(5, timeout=5)
        assert [r.json["message"] for r in hook.requests] == ["trois", "cinq"]
        with pytest.raises(TimeoutError):
            hook.wait_for(3, timeout=0.2)


def test_webhook_takes_mattermost_payloads() -> None:
    """mmost:// speaks Slack's payload to any host: the closest we get to Slack offline."""
    with WebhookReceiver() as hook:
        assert _apprise(hook.apprise_url("token123", scheme="mmost")).notify(body="Auchan")
        [request] = hook.wait_for(1)
        assert request.path == "/hooks/token123" and request.json["text"] == "Auchan"


def test_smtp_receives_apprise_mail() -> None:
    printed = []
    with SmtpReceiver(on_message=printed.append) as smtp:
        url = (
            f"mailto://user:pass@127.0.0.1:{smtp.port}?from=veille@example.org"
            "&to=ops@example.org&smtp=127.0.0.1&mode=insecure"
        )
        notifier = _apprise(url)
        assert notifier.notify(title="Système U : a décliné", body="Première alerte")
        assert notifier.notify(title="Auchan : partenariat", body="Seconde alerte")
        first, second = smtp.wait_for(2, timeout=10)
        assert first.subject == "Système U : a décliné"
        assert "veille@example.org" in first.from_ and "ops@example.org" in first.to
        assert first.rcpt_tos == ["ops@example.org"] and first.login == "user"
        assert "Première alerte" in (first.text or first.html or "")
        assert second.subject == "Auchan : partenariat"
        assert printed == [first, second]
        assert smtp.apprise_url().startswith(f"mailto://veille:demo@127.0.0.1:{smtp.port}?")
