"""Article extraction on saved pages, with the feed's text as the fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.extract import ExtractedArticle, extract_article, identify_language

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
URL = "https://exemple-distribution.fr/articles/x.html"
FEED_TITLE = "Titre venu du flux"
FEED_SUMMARY = "Résumé venu du flux, à garder quand la page ne donne rien."

# file: (extracted, language, words expected in the text, title fragment)
EXPECTED: dict[str, tuple[bool, str | None, list[str], str]] = {
    "article_fr.html": (
        True,
        "fr",
        ["casiers automatiques", "premier bilan"],
        "Casiers de retrait",
    ),
    "article_latin1_no_lang.html": (
        True,
        "fr",
        ["épiceries de proximité", "élus locaux"],
        "Épiceries",
    ),
    "article_en.html": (True, "en", ["home delivery", "click and collect"], "Grocers"),
    "homepage_not_article.html": (False, "fr", [FEED_SUMMARY], FEED_TITLE),
}


def run(name: str, **kwargs: object) -> ExtractedArticle:
    return extract_article(
        (ARTICLES / name).read_bytes(),
        url=URL,
        feed_title=FEED_TITLE,
        feed_summary=FEED_SUMMARY,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_saved_articles(name: str) -> None:
    extracted, language, words, title = EXPECTED[name]
    article = run(name)
    assert article.extracted is extracted
    assert article.language == language
    assert article.title and title in article.title
    for word in words:
        assert word in article.text
    assert (article.note is None) is extracted
    if article.note:
        assert "\n" not in article.note and "feed" in article.note


def test_metadata_of_a_real_article() -> None:
    article = run("article_fr.html")
    assert article.author == "Claire Martin"
    assert article.site == "Le Fil Distribution"
    assert article.published == datetime(2025, 3, 3, tzinfo=UTC)  # page date: a day
    assert "Accueil" not in article.text and "mentions légales" not in article.text


def test_feed_time_wins_over_the_page_day() -> None:
    when = datetime(2025, 3, 3, 6, 30, tzinfo=UTC)
    assert run("article_fr.html", feed_published=when).published == when


def test_text_input_is_accepted() -> None:
    html = (ARTICLES / "article_fr.html").read_text(encoding="utf-8")
    assert extract_article(html, url=URL).extracted


@pytest.mark.parametrize(
    "html",
    [None, b"", "   ", b"\x00\x01\x02" * 100, b"<html>", "<<<>>>", b"%PDF-1.4 binary junk"],
)
def test_bad_pages_fall_back_to_the_feed(html: bytes | str | None) -> None:
    article = extract_article(html, url=URL, feed_title=FEED_TITLE, feed_summary=FEED_SUMMARY)
    assert not article.extracted
    assert (article.title, article.text) == (FEED_TITLE, FEED_SUMMARY)
    assert article.note and "\n" not in article.note


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=3000))
def test_extract_never_raises(html: str) -> None:
    article = extract_article(html, url=URL, feed_summary="x")
    assert article.extracted or article.text == "x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le distributeur a refusé les avances du géant américain, selon nos informations.", "fr"),
        ("The grocer said it had not been approached by the company at all.", "en"),
        ("Die Supermarktkette hat das Angebot nicht angenommen, wie sie mitteilte.", "de"),
        ("La catena di supermercati non ha accettato l'offerta, secondo il giornale.", "it"),
        ("La cadena de supermercados no ha aceptado la oferta, según el diario.", "es"),
        ("De supermarktketen heeft het bod niet aanvaard, zo meldt de krant.", "nl"),
        ("A rede de supermercados não aceitou a oferta, segundo o jornal.", "pt"),
        ("Amazon", None),
        ("", None),
        ("12 345 678", None),
    ],
)
def test_identify_language(text: str, expected: str | None) -> None:
    assert identify_language(text) == expected
