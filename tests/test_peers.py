"""The peers' corpora through our fetch → parse → extract path (``pytest -m peers``).

(a) every feedparser test feed (~1,700, well- and ill-formed) served by a local server, fetched
    by ``Fetcher`` from several threads and parsed: entries or one error line, nothing escapes,
    the whole run bounded in time;
(b) trafilatura's 100 saved pages served as the articles of a local feed: ≥ 95 % give text.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from tasks.errors import FetchError
from tasks.extract import extract_article
from tasks.feeds import parse_feed
from tasks.fetch import Fetcher, FetchOptions
from tests.support.fixtures_http import TEST_FETCH_OPTIONS
from tests.support.http_server import LocalHTTPServer

SHARED = Path(__file__).resolve().parents[2] / "shared"
FEEDS = SHARED / "peers" / "feedparser-feeds"
PAGES = SHARED / "peers" / "trafilatura-pages"

PEER_OPTIONS = FetchOptions(
    **{
        **TEST_FETCH_OPTIONS.__dict__,
        "read_timeout": 5.0,
        "total_timeout": 10.0,
        "max_bytes": 5_000_000,
        "per_host_concurrency": 8,
    }
)

pytestmark = pytest.mark.peers


def corpus(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent (../shared is only beside the development clone)")
    files = sorted(p for p in folder.rglob(pattern) if p.is_file())
    if not files:
        pytest.skip(f"no {pattern} under {folder}")
    return files


def test_every_feedparser_feed_gives_entries_or_one_error_line() -> None:
    files = [p for p in corpus(FEEDS, "*") if p.suffix in (".xml", ".rdf", ".atom", ".rss")]
    started = time.monotonic()
    outcome: dict[str, list[str]] = {"entries": [], "error": [], "empty": [], "fetch": []}
    error_lines: list[str] = []  # any feed with an error line, with or without entries
    with LocalHTTPServer() as server, Fetcher(PEER_OPTIONS) as fetcher:
        urls = {}
        for path in files:
            route = "/" + path.relative_to(FEEDS).as_posix()
            urls[route] = server.add_static(
                route, path.read_bytes(), {"Content-Type": "application/xml"}
            )

        def one(route: str) -> tuple[str, str]:
            try:
                result = fetcher.fetch(urls[route], accept="application/rss+xml, */*")
            except FetchError as err:
                return "fetch", f"{route}: {err.kind}"
            parsed = parse_feed(result.content, url=result.url, headers=result.headers)
            if parsed.error is not None:
                error_lines.append(route)
                assert "\n" not in parsed.error, (route, parsed.error)
                assert len(parsed.error) <= 260, (route, parsed.error)
            if parsed.entries:
                return "entries", route
            return ("error" if parsed.error else "empty"), route

        with ThreadPoolExecutor(max_workers=8) as pool:
            for kind, route in pool.map(one, list(urls), timeout=240):
                outcome[kind].append(route)
    elapsed = time.monotonic() - started
    print(
        f"\nfeedparser corpus: {len(files)} feeds in {elapsed:.1f}s — "
        f"{len(outcome['entries'])} with entries, {len(error_lines)} with an error line "
        f"({len(outcome['error'])} of them without entries), "
        f"{len(outcome['empty'])} valid but empty, {len(outcome['fetch'])} fetch failures"
    )
    assert not outcome["fetch"], outcome["fetch"][:5]
    assert sum(len(v) for v in outcome.values()) == len(files)
    assert elapsed < 240


def test_trafilatura_pages_extract_as_articles_of_a_local_feed() -> None:
    pages = corpus(PAGES, "*.html")
    started = time.monotonic()
    with LocalHTTPServer() as server, Fetcher(PEER_OPTIONS) as fetcher:
        items = []
        for page in pages:
            url = server.add_static(
                f"/pages/{page.name}", page.read_bytes(), {"Content-Type": "text/html"}
            )
            items.append(
                f"<item><title>{escape(page.stem)}</title><link>{escape(url)}</link>"
                f"<guid isPermaLink='false'>{escape(page.name)}</guid>"
                "<description>Résumé du flux.</description></item>"
            )
        feed = (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Pages</title>{''.join(items)}</channel></rss>"
        ).encode()
        feed_url = server.add_static("/pages/feed.xml", feed, {"Content-Type": "application/xml"})
        fetched = fetcher.fetch(feed_url)
        parsed = parse_feed(fetched.content, url=fetched.url, headers=fetched.headers)
        assert parsed.error is None and len(parsed.entries) == len(pages)

        def one(entry: object) -> bool:
            result = fetcher.fetch(entry.url)  # type: ignore[attr-defined]
            article = extract_article(
                result.content,
                url=result.url,
                feed_title=entry.title,  # type: ignore[attr-defined]
                feed_summary=entry.summary,  # type: ignore[attr-defined]
            )
            return article.extracted and bool(article.text.strip())

        with ThreadPoolExecutor(max_workers=4) as pool:
            ok = sum(pool.map(one, parsed.entries, timeout=240))
    elapsed = time.monotonic() - started
    share = ok / len(pages)
    print(f"\ntrafilatura pages: {ok}/{len(pages)} extracted ({share:.0%}) in {elapsed:.1f}s")
    assert share >= 0.95
