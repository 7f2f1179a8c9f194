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
