"""Open-world discovery reads a retailer's name, never the words of a rule's title or an
adjective of place that happen to stand where a name would ("the Takeover Code", "the EU
Market Abuse Regulation"; the demonym is a case in cases.toml)."""

from __future__ import annotations

import pytest

from tasks.detect import load_default_watchlist
from tasks.detect.lexicon import lexicon_for, normalize_text
from tasks.detect.reader import prepare

LEX = lexicon_for(load_default_watchlist())


def _retailers(text: str, lang: str = "en") -> set[str]:
    article = prepare(LEX, normalize_text(text), lang)
    return {e.id for e in article.ents if e.kind == "retailer"}


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        (
            "Ocado sells its groceries alongside Amazon's. Under Rule 2.4 of the Takeover "
            "Code, an announcement is then required.",
            "code",
        ),
        (
            "Amazon and Tesco both sell groceries online. Lawyers cited the EU Market Abuse "
            "Regulation, which governs what a listed grocer must disclose.",
            "eu-market",
        ),
    ],
)
def test_titles_are_not_retailers(text: str, unwanted: str) -> None:
    assert unwanted not in _retailers(text)


def test_a_shop_name_carrying_its_trade_is_still_found() -> None:
    # the guard against titles must leave "X Supermarkets" alone, a company suffix included
    found = _retailers("Amazon bought Harbour Supermarkets Ltd, a grocer in Cornwall.")
    assert any(r.startswith("harbour") for r in found)


def test_a_headline_in_title_case_names_no_shop() -> None:
    # an English headline capitalises every word: "Supermarket Takeovers" is no chain
    found = _retailers(
        "Supermarket Takeovers\n\nThe board of Morrisons backed a bid from a fund. Amazon "
        "could also table an offer, press reports said."
    )
    assert found == {"morrisons"}


def _actors(text: str) -> int:
    article = prepare(LEX, normalize_text(text), "en")
    return sum(e.kind == "actor" for e in article.ents)


def test_once_the_article_means_the_forest_a_bare_the_amazon_means_it_too() -> None:
    forest = (
        "Fires in the Brazilian Amazon rose sharply this year. Tesco and Sainsbury's say "
        "they will help protect the Amazon and other forests, and audit deforestation in "
        "the Amazon."
    )
    assert _actors(forest) == 0
    # the company keeps its name where nothing says forest, "the Amazon deal" included
    company = "Morrisons signed the Amazon deal in 2016. Amazon and Morrisons then widened it."
    assert _actors(company) == 2
