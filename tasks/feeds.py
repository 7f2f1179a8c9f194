"""Feed parsing: fetched bytes in, entries with stable keys out. No network here.

feedparser does the parsing; this module decides what an entry *is* for veille: its key (the
GUID, else the canonical URL, else a hash of title and date), its canonical URL (tracking
parameters, fragments, AMP and mobile variants folded so one article has one URL), plain-text
title and summary, and a UTC publication time. A broken feed never raises: it yields whatever
entries feedparser recovered plus one error line.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
from courlan import normalize_url


def one_line(text: object, limit: int = 200) -> str:
    """Collapse an exception text to one short line (kept here: no httpx in a pure module)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as veille keys and stores it."""

    key: str
    guid: str | None
    url: str | None
    canonical_url: str | None
    title: str
    summary: str
    published: datetime | None
    author: str | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed; ``error`` is one line when the feed was broken (entries may remain)."""

    title: str | None
    entries: list[FeedEntry]
    error: str | None


# --- canonical URLs ----------------------------------------------------------------------

# Beyond courlan's own tracker list (utm_*, fbclid, gclid, mc_*, *ref*, xtor…): names seen on
# French news sites and newsletters. Matched on the lower-cased parameter name.
_TRACKING_NAMES = frozenset(
    {
        "xtor", "xtref", "xts", "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid",
        "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "ref", "ref_src", "ref_url",
        "ocid", "cmpid", "cmp", "sr_share", "smid", "spm", "amp", "amp_js_v", "usqp",
        "outputtype", "mkt_tok", "wt.mc_id", "ito", "ns_mchannel", "ns_source", "ns_campaign",
        "ns_linkname", "ns_fee", "s_cid", "at_xtor", "from", "origin", "share",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "at_", "pk_", "mtm_", "hsa_", "oly_", "vero_", "ga_", "__")
# www., m., mobile., amp. (and www.m.) all name the desktop site: fold them to the bare domain.
_HOST_VARIANT = re.compile(r"^(?:www\.)?(?:(?:mobile|amp|m)\.)?(?=[^.]+\.[^.]+)", re.I)
_AMP_CACHE = re.compile(r"\.cdn\.ampproject\.org$", re.I)
_AMP_SUFFIX = re.compile(r"(?:/amp/?|\.amp)$", re.I)
_AMP_BEFORE_EXT = re.compile(r"\.amp(\.html?)$", re.I)


def _is_tracking(name: str) -> bool:
    low = name.lower()
    return low in _TRACKING_NAMES or low.startswith(_TRACKING_PREFIXES)


def _fold_once(url: str) -> str:
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    path = parts.path
    # Google's AMP cache: https://www-x-fr.cdn.ampproject.org/c/s/www.x.fr/path → the origin
    if _AMP_CACHE.search(host):
        match = re.match(r"^/[cv]/(?:s/)?([^/]+)(/.*)?$", path)
        if match:
            secure = path.startswith(("/c/s/", "/v/s/"))
            query = f"?{parts.query}" if parts.query else ""
            return f"{'https' if secure else 'http'}://{match[1]}{match[2] or '/'}{query}"
    host = _HOST_VARIANT.sub("", host)
    netloc = host
    if parts.port is not None and (scheme, parts.port) not in (("http", 80), ("https", 443)):
        netloc = f"{host}:{parts.port}"
    if re.match(r"^/amp/", path, re.I):  # /amp/section/article → /section/article
        path = path[4:]
    path = _AMP_BEFORE_EXT.sub(r"\1", path)
    path = _AMP_SUFFIX.sub("", path).rstrip("/") or "/"  # /a/ and /a are one article
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    if host == "news.google.com":
        query = [(k, v) for k, v in query if k != "oc"]
    rebuilt = urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
    return normalize_url(rebuilt, trailing_slash=False)


def canonical_url(url: str) -> str:
    """One URL per article: trackers, fragment, AMP and mobile variants and default ports gone,
    host lower-cased, parameters sorted. Non-http(s) input comes back stripped, unchanged."""
    url = url.strip()
    if not re.match(r"^https?://", url, re.I):
        return url
    current = url
    for _ in range(4):  # fold to a fixed point, so canonical(canonical(u)) == canonical(u)
        try:
            folded = _fold_once(current)
        except ValueError:  # unparsable port or netloc: keep what we have
            return current
        if folded == current:
            break
        current = folded
    return current


# --- keys ----------------------------------------------------------------------------------

_PLACEHOLDER_GUIDS = frozenset({"", "#", "/", "-", "0", "null", "none", "undefined", "guid"})


def _usable_guid(guid: str | None) -> str | None:
    """The GUID if it identifies an item: not empty, not a placeholder, not a bare site root."""
    if guid is None:
        return None
    guid = guid.strip()
    if guid.lower() in _PLACEHOLDER_GUIDS:
        return None
    if re.match(r"^https?://", guid, re.I):
        parts = urlsplit(guid)
        if parts.path in ("", "/") and not parts.query:
            return None
    return guid


def entry_key(
    guid: str | None, canonical_url: str | None, title: str | None, published: datetime | None
) -> str:
    """Stable key of an entry: ``guid:…``, else ``url:…``, else ``hash:…`` of title and date."""
    usable = _usable_guid(guid)
    if usable:
        if len(usable) > 200:
            return "guid:sha1:" + hashlib.sha1(usable.encode()).hexdigest()
        return "guid:" + usable
    if canonical_url:
        return "url:" + canonical_url
    stamp = published.isoformat() if published else ""
    digest = hashlib.sha1(f"{(title or '').strip()}\x1f{stamp}".encode()).hexdigest()
    return "hash:" + digest[:32]


# --- text -----------------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {"p", "br", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}
)


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(fragment: str | None) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, blank space tidied."""
    if not fragment:
        return ""
    parser = _TextOnly()
    try:
        parser.feed(fragment)
        parser.close()
    except (AssertionError, ValueError):  # pathological markup: fall back to a regex strip
        return " ".join(re.sub(r"<[^>]*>", " ", fragment).split())
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


# --- parsing --------------------------------------------------------------------------------


def _utc(parsed: Any) -> datetime | None:
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def _entry_url(entry: Any, base: str) -> str | None:
    candidates = [entry.get("link")]
    candidates += [
        link.get("href") for link in entry.get("links", []) if link.get("rel") == "alternate"
    ]
    for link in candidates:
        if not isinstance(link, str) or not link.strip():
            continue
        absolute = urljoin(base, link.strip())
        if re.match(r"^https?://[^/\s]+", absolute, re.I):
            return absolute
    return None


def _entry(entry: Any, base: str) -> FeedEntry:
    guid = entry.get("id") or None
    url = _entry_url(entry, base)
    canonical = canonical_url(url) if url else None
    title = html_to_text(entry.get("title"))
    summary = entry.get("summary") or ""
    if not summary and entry.get("content"):
        summary = entry["content"][0].get("value", "")
    published = _utc(entry.get("published_parsed") or entry.get("updated_parsed"))
    author = html_to_text(entry.get("author")) or None
    return FeedEntry(
        key=entry_key(guid, canonical, title, published),
        guid=guid.strip() if isinstance(guid, str) else None,
        url=url,
        canonical_url=canonical,
        title=title,
        summary=html_to_text(summary),
        published=published,
        author=author,
    )


def parse_feed(content: bytes, *, url: str, headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse fetched feed bytes; never raises on bad input, reports it in ``error``."""
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    # No content-location: feedparser would "resolve" a relative GUID against the feed URL,
    # so a feed that moves would re-key every entry. Links are resolved in _entry_url instead.
    response_headers.pop("content-location", None)
    try:
        # A BytesIO, never raw bytes: feedparser would open a body like b"/etc/passwd" as a path.
        parsed = feedparser.parse(io.BytesIO(content), response_headers=response_headers)
    except Exception as exc:  # feedparser is meant not to raise; a bug there must not stop a poll
        return ParsedFeed(None, [], f"feedparser failed: {type(exc).__name__}: {one_line(exc)}")
    entries: list[FeedEntry] = []
    seen: set[str] = set()
    for raw in parsed.get("entries", []):
        try:
            entry = _entry(raw, url)
        except Exception:  # one odd entry must not lose the others
            continue
        if not (entry.guid or entry.url or entry.title or entry.summary):
            continue  # an empty shell (e.g. an item cut by truncation) says nothing
        if entry.key not in seen:
            seen.add(entry.key)
            entries.append(entry)
    error = None
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        detail = one_line(exc).replace("<unknown>:", "line ") if exc else ""
        error = f"{type(exc).__name__}: {detail}" if exc else "malformed feed"
    elif not entries and not parsed.get("version"):
        error = "not an RSS or Atom feed (no entries found)"
    title = html_to_text(parsed.get("feed", {}).get("title")) or None
    return ParsedFeed(title=title, entries=entries, error=error)
