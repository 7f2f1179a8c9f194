"""Feed parsing and URL canonicalisation: saved French feeds plus property tests."""

# ruff: noqa: F811 - fixtures imported from tests.support are, by design, shadowed by test
# parameters of the same name (pytest injects them by name).

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.feeds import canonical_url, entry_key, html_to_text, parse_feed
from tasks.fetch import Fetcher
from tests.support.fixtures_http import http_server, local_fetcher, make_fetcher  # noqa: F401
from tests.support.http_server import LocalHTTPServer

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
BASE = "https://exemple-distribution.fr/rss.xml"

# file: (entries, error expected, feed title, content-type header)
EXPECTED: dict[str, tuple[int, bool, str | None, str]] = {
    "rss_distribution.xml": (3, False, "Le Fil Distribution", "application/rss+xml"),
    "atom_commerce.xml": (1, False, "Commerce & Consommation", "application/atom+xml"),
    "broken_but_useful.xml": (2, True, "Flux mal formé", "application/rss+xml"),
    "truncated.xml": (0, True, None, "text/xml"),
    "cp1252_declared_utf8.xml": (1, True, "Café et épicerie", "text/xml; charset=utf-8"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_feeds(name: str) -> None:
    count, has_error, title, content_type = EXPECTED[name]
    parsed = parse_feed(
        (FEEDS / name).read_bytes(), url=BASE, headers={"Content-Type": content_type}
    )
    assert len(parsed.entries) == count
    assert (parsed.error is not None) is has_error
    if parsed.error:
        assert "\n" not in parsed.error and len(parsed.error) <= 200
    if title is not None:
        assert parsed.title == title


def test_rss_entries_are_keyed_cleaned_and_dated() -> None:
    parsed = parse_feed((FEEDS / "rss_distribution.xml").read_bytes(), url=BASE)
    first, second, third = parsed.entries
    assert first.key == "guid:fil-distribution-0001"
    assert (
        first.canonical_url == "https://exemple-distribution.fr/articles/casiers-retrait-2025.html"
    )
    assert "utm_source" in (first.url or "")
    assert first.summary.startswith("Une chaîne de supermarchés") and "alert" not in first.summary
    assert "<" not in first.summary and "casiers" in first.summary
    assert first.published == datetime(2025, 3, 3, 6, 30, tzinfo=UTC)
    assert first.author == "Claire Martin"
    # a GUID that is the site's root is a placeholder: the canonical URL keys the entry
    assert second.key == "url:https://exemple-distribution.fr/articles/prix-frais-fevrier.html"
    # neither link nor GUID: a hash of title and date
    assert third.url is None and third.key.startswith("hash:")


def test_atom_relative_link_and_html_title() -> None:
    feed_url = "https://commerce.exemple.fr/feed.atom"
    (entry,) = parse_feed((FEEDS / "atom_commerce.xml").read_bytes(), url=feed_url).entries
    assert entry.url == "https://commerce.exemple.fr/2025/03/drive-pieton"
    assert entry.title == "Le drive piéton progresse en centre-ville"
    assert (
        entry.summary
        == "Les enseignes multiplient les points de retrait à pied.\nDeuxième paragraphe."
    )
    assert entry.published == datetime(2025, 3, 4, 8, 45, tzinfo=UTC)


def test_wrong_declared_charset_still_reads_the_text() -> None:
    content = (FEEDS / "cp1252_declared_utf8.xml").read_bytes()
    parsed = parse_feed(content, url=BASE, headers={"content-type": "text/xml; charset=utf-8"})
    (entry,) = parsed.entries
    assert "picier" in entry.title and entry.summary.endswith("accepté.")
    assert entry.key == "guid:charset-1"  # a relative GUID is not resolved against the feed URL


@pytest.mark.parametrize(
    "content",
    [b"", b"not a feed at all", b"<html><body><p>Bonjour</p></body></html>", b"\x00\xff" * 50],
)
def test_non_feeds_give_one_error_line_and_no_entries(content: bytes) -> None:
    parsed = parse_feed(content, url=BASE)
    assert parsed.entries == [] and parsed.error and "\n" not in parsed.error


def test_a_body_naming_a_local_file_is_not_opened(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text('<rss version="2.0"><channel><title>SECRET</title></channel></rss>')
    parsed = parse_feed(str(secret).encode(), url=BASE)
    assert parsed.title != "SECRET"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_feeds_served_and_fetched(
    http_server: LocalHTTPServer, local_fetcher: Fetcher, name: str
) -> None:
    """Malformed XML and a wrong declared charset, over real HTTP: entries and/or one line."""
    count, has_error, _title, content_type = EXPECTED[name]
    body = (FEEDS / name).read_bytes()
    url = http_server.add_static(http_server.unique(name), body, {"Content-Type": content_type})
    result = local_fetcher.fetch(url)
    parsed = parse_feed(result.content, url=result.url, headers=result.headers)
    assert len(parsed.entries) == count and (parsed.error is not None) is has_error


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2000))
def test_parse_feed_never_raises(content: bytes) -> None:
    parsed = parse_feed(content, url=BASE)
    assert parsed.error is None or "\n" not in parsed.error


def test_html_to_text() -> None:
    assert html_to_text("<p>Un&nbsp;<b>deux</b></p><p>trois &amp; quatre</p>") == (
        "Un deux\ntrois & quatre"
    )
    assert html_to_text(None) == "" and html_to_text("<style>p{}</style>ok") == "ok"


# --- keys -----------------------------------------------------------------------------------

WHEN = datetime(2025, 3, 3, tzinfo=UTC)


@pytest.mark.parametrize(
    ("guid", "url", "expected"),
    [
        ("abc-123", "https://x.fr/a", "guid:abc-123"),
        ("  abc-123 ", None, "guid:abc-123"),
        ("", "https://x.fr/a", "url:https://x.fr/a"),
        ("#", "https://x.fr/a", "url:https://x.fr/a"),
        ("https://x.fr/", "https://x.fr/a", "url:https://x.fr/a"),
        ("https://x.fr/a?id=1", None, "guid:https://x.fr/a?id=1"),
        (None, None, None),
    ],
)
def test_entry_key_precedence(guid: str | None, url: str | None, expected: str | None) -> None:
    key = entry_key(guid, url, "Titre", WHEN)
    if expected is None:
        assert key.startswith("hash:") and key == entry_key(None, None, "Titre", WHEN)
        assert key != entry_key(None, None, "Titre", None)
    else:
        assert key == expected


def test_long_guid_is_hashed() -> None:
    assert len(entry_key("x" * 1000, None, "", None)) < 60


# --- canonical URLs -------------------------------------------------------------------------

ARTICLE = "https://www.lemonde.fr/economie/article/2025/03/03/amazon-et-la-distribution_123.html"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE + "?utm_source=rss&utm_medium=feed&utm_campaign=x",
        ARTICLE + "?xtor=RSS-3208",
        ARTICLE + "#xtor=RSS-3208",
        ARTICLE + "?at_medium=rss&at_campaign=flux&fbclid=IwAR0abc",
        ARTICLE + "?gclid=1&mc_cid=2&mc_eid=3&_ga=4&ref=twitter&ocid=msn",
        ARTICLE.replace("https://www.", "https://m.") + "?amp",
        ARTICLE.replace("https://www.", "https://mobile."),
        ARTICLE.replace("https://www.", "https://amp."),
        ARTICLE.replace("https://www.", "https://WWW.LEMONDE.FR:443/").replace(
            "lemonde.fr/", "", 1
        ),
        ARTICLE + "/amp",
        ARTICLE + "/amp/",
        ARTICLE.replace(".html", ".amp.html"),
        "https://www-lemonde-fr.cdn.ampproject.org/c/s/"
        + ARTICLE.removeprefix("https://")
        + "?amp=1",
    ],
)
def test_tracking_and_variants_collapse(variant: str) -> None:
    assert canonical_url(variant) == canonical_url(ARTICLE)


def test_canonical_url_examples() -> None:
    assert (
        canonical_url("HTTP://Example.COM:80/a/b/?b=2&a=1#top") == "http://example.com/a/b?a=1&b=2"
    )
    assert canonical_url("https://x.fr:8443/p") == "https://x.fr:8443/p"
    assert canonical_url("https://x.fr/article?id=7&page=2") == "https://x.fr/article?id=7&page=2"
    assert canonical_url("mailto:a@b.fr") == "mailto:a@b.fr"
    assert canonical_url("https://news.google.com/rss/articles/CBMiAB?oc=5") == (
        "https://news.google.com/rss/articles/CBMiAB"
    )


HOSTS = st.sampled_from(
    ["www.lemonde.fr", "m.lefigaro.fr", "amp.bfmtv.com", "lsa-conso.fr", "news.google.com"]
)
SEGMENT = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_é", min_size=1, max_size=12
).filter(lambda s: s != "amp" and not s.endswith(".amp"))
PATHS = st.lists(SEGMENT, min_size=1, max_size=4).map(lambda parts: "/" + "/".join(parts))
MEANINGFUL = st.dictionaries(
    st.sampled_from(["id", "page", "article", "q", "p"]),
    st.text(alphabet="abcxyz0123456789", min_size=1, max_size=6),
    max_size=3,
)
TRACKING = st.dictionaries(
    st.sampled_from(["utm_source", "utm_medium", "xtor", "at_medium", "fbclid", "gclid", "_ga"]),
    st.text(alphabet="abcxyz0123456789-", min_size=0, max_size=6),
    max_size=3,
)


def build(scheme: str, host: str, path: str, query: dict[str, str], fragment: str = "") -> str:
    qs = "&".join(f"{k}={v}" for k, v in query.items())
    return (
        f"{scheme}://{host}{path}" + (f"?{qs}" if qs else "") + (f"#{fragment}" if fragment else "")
    )


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["http", "https"]), HOSTS, PATHS, MEANINGFUL, TRACKING, st.text(max_size=8))
def test_canonical_url_is_idempotent(
    scheme: str, host: str, path: str, query: dict[str, str], tracking: dict[str, str], frag: str
) -> None:
    url = build(scheme, host, path, {**query, **tracking}, frag)
    once = canonical_url(url)
    assert canonical_url(once) == once


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=60))
def test_canonical_url_is_idempotent_on_any_text(tail: str) -> None:
    once = canonical_url("https://exemple.fr/" + tail)
    assert canonical_url(once) == once


@settings(max_examples=150, deadline=None)
@given(HOSTS, PATHS, MEANINGFUL, TRACKING)
def test_tracking_never_matters(
    host: str, path: str, query: dict[str, str], tracking: dict[str, str]
) -> None:
    clean = build("https", host, path, query)
    assert canonical_url(build("https", host, path, {**query, **tracking}, "frag")) == (
        canonical_url(clean)
    )


@settings(max_examples=150, deadline=None)
@given(HOSTS, PATHS, PATHS, MEANINGFUL)
def test_distinct_paths_stay_distinct(host: str, a: str, b: str, query: dict[str, str]) -> None:
    if a == b:
        return
    assert canonical_url(build("https", host, a, query)) != canonical_url(
        build("https", host, b, query)
    )


@settings(max_examples=150, deadline=None)
@given(HOSTS, PATHS, MEANINGFUL, MEANINGFUL)
def test_distinct_meaningful_queries_stay_distinct(
    host: str, path: str, q1: dict[str, str], q2: dict[str, str]
) -> None:
    if q1 == q2:
        return
    assert canonical_url(build("https", host, path, q1)) != canonical_url(
        build("https", host, path, q2)
    )
