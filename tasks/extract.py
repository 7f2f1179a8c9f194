"""Extraction: article HTML in, title, text and metadata out. Pure: no network, no disk.

trafilatura finds the main text and the metadata. When it cannot (no page, an error, a page
that is not an article), the feed's own title and summary stand in, ``extracted`` is False and
``note`` says why in one line, so a bad page costs the article its body, never its existence.
Language is the page's declaration when it has one, else a small stopword-profile guess.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from trafilatura import bare_extraction
from trafilatura.utils import load_html


def one_line(text: object, limit: int = 200) -> str:
    """Collapse an exception text to one short line (kept here: no httpx in a pure module)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# Shorter than this, "text" is a caption, a paywall teaser or a cookie banner, not an article.
MIN_ARTICLE_CHARS = 80

# trafilatura logs every discarded page at WARNING; the note carries that information instead.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


@dataclass(frozen=True)
class ExtractedArticle:
    """What veille keeps of a page; ``extracted`` is False when the feed's text stood in."""

    url: str
    title: str | None
    text: str
    published: datetime | None
    author: str | None
    site: str | None
    language: str | None
    extracted: bool
    note: str | None


# --- language ---------------------------------------------------------------------------

# Frequent function words per language. A word shared by several languages counts for each
# in proportion (1/n), so "de" or "la" barely tip the balance and "the", "und", "het" do.
_STOPWORDS: dict[str, str] = {
    "fr": "le la les des du un une et est que qui dans pour pas sur au aux avec ce cette ces "
    "il elle ils nous vous sont été ont mais ou où par plus leur se sa son ses selon aussi "
    "d l qu n s c j être fait très entre",
    "en": "the and of to in is that for it with as was on be by are this from at or have an "
    "which has but not were their they its been would will who said more also than",
    "de": "der die das und ist nicht mit von zu den dem ein eine sich auf für im des auch "
    "wird sind bei als nach wie aus noch werden oder hat über einen dass er sie es",
    "it": "il di che è la e per un una del della non sono con gli le si da al dei delle nel "
    "alla più anche come ma ha questo questa essere stato degli sul tra",
    "es": "el la de que y en los las del se por un una con no para es al lo como más pero "
    "sus su ha este esta son también fue entre hasta desde muy sobre",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er maar om ook als bij "
    "door uit wordt naar dan nog wel zou geen worden heeft deze dit",
    "pt": "o a os as de do da dos das que e em no na um uma para com não por mais se como "
    "foi ao pelo pela são também mas seu sua entre está até quando",
}
_WEIGHTS: dict[str, dict[str, float]] = {}
for _lang, _words in _STOPWORDS.items():
    for _word in set(_words.split()):
        _WEIGHTS.setdefault(_word, {})[_lang] = 1.0
for _langs in _WEIGHTS.values():
    for _lang in _langs:
        _langs[_lang] = 1.0 / len(_langs)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def identify_language(text: str) -> str | None:
    """Guess fr/en/de/it/es/nl/pt from function words; None when the evidence is thin."""
    scores: Counter[str] = Counter()
    hits = 0
    for word in _WORD.findall(text[:20_000].lower()):
        weights = _WEIGHTS.get(word)
        if weights:
            hits += 1
            for lang, weight in weights.items():
                scores[lang] += weight
    if hits < 3:
        return None
    ranked = [*scores.most_common(2), ("", 0.0)]
    (best, top), runner_up = ranked[0], ranked[1][1]
    return best if top >= 2.0 and top >= 1.25 * runner_up else None


def _declared_language(tree: Any) -> str | None:
    """The page's own statement: <html lang>, Content-Language meta, or og:locale."""
    candidates = [tree.get("lang"), tree.get("{http://www.w3.org/XML/1998/namespace}lang")]
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        if value:
            code = re.split(r"[-_,;\s]", value.strip().lower(), maxsplit=1)[0]
            if re.fullmatch(r"[a-z]{2,3}", code):
                return code
    return None


def _page_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


# --- extraction -------------------------------------------------------------------------


def _fallback(
    url: str,
    why: str,
    feed_title: str,
    feed_summary: str,
    feed_published: datetime | None,
    *,
    language: str | None = None,
    meta: Any = None,
) -> ExtractedArticle:
    text = feed_summary.strip()
    return ExtractedArticle(
        url=url,
        title=(feed_title.strip() or getattr(meta, "title", None)) or None,
        text=text,
        published=feed_published or _page_date(getattr(meta, "date", None)),
        author=getattr(meta, "author", None),
        site=getattr(meta, "sitename", None),
        language=language or identify_language(f"{feed_title}\n{text}"),
        extracted=False,
        note=f"kept the feed's title and summary: {why}",
    )


def extract_article(
    html: bytes | str | None,
    *,
    url: str,
    feed_title: str = "",
    feed_summary: str = "",
    feed_published: datetime | None = None,
) -> ExtractedArticle:
    """Main text and metadata of a page; falls back to the feed's text, never raises on input."""
    feed = (feed_title, feed_summary, feed_published)
    if html is None or not (html.strip() if isinstance(html, bytes | str) else html):
        return _fallback(url, "the page was empty", *feed)
    try:
        tree = load_html(html)  # decodes bytes itself (declared charset, then detection)
    except (TypeError, ValueError) as exc:
        return _fallback(url, f"unreadable HTML ({one_line(exc, 80)})", *feed)
    if tree is None:
        return _fallback(url, "not an HTML document", *feed)
    declared = _declared_language(tree)
    try:
        doc = bare_extraction(
            tree,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
        )
    except Exception as exc:  # trafilatura on hostile HTML: the article survives with feed text
        why = f"extraction failed ({type(exc).__name__}: {one_line(exc, 80)})"
        return _fallback(url, why, *feed, language=declared)
    if doc is None or isinstance(doc, dict):
        return _fallback(url, "no main text found", *feed, language=declared)
    text = (doc.text or "").strip()
    if len(text) < MIN_ARTICLE_CHARS:
        why = f"page text too short to be an article ({len(text)} chars)"
        return _fallback(url, why, *feed, language=declared, meta=doc)
    return ExtractedArticle(
        url=url,
        title=doc.title or feed_title.strip() or None,
        text=text,
        published=feed_published or _page_date(doc.date),
        author=doc.author,
        site=doc.sitename or doc.hostname,
        language=declared or identify_language(text),
        extracted=True,
        note=None,
    )
