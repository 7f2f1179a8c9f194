"""The watchlist as data: loading, validation, folding, ambiguous names, the prefilter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from config.watchlist import load_watchlist, slugify
from tasks.detect import load_default_watchlist, prefilter
from tasks.detect.entities import find_entities
from tasks.detect.lexicon import fold, lexicon_for, normalize_text
from tasks.errors import ConfigError


def _ids(text: str) -> set[str]:
    lex = lexicon_for(load_default_watchlist())
    norm = normalize_text(text)
    return {e.id for e in find_entities(lex, norm, fold(norm)) if e.kind == "retailer"}


def test_watchlist_has_sixty_grocers_with_slug_ids() -> None:
    watchlist = load_default_watchlist()
    assert len(watchlist.retailers) >= 60
    for retailer in watchlist.retailers:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", retailer.id)
    for slug in ("leclerc", "systeme-u", "whole-foods", "sainsburys", "co-op", "intermarche"):
        assert watchlist.retailer(slug) is not None


def test_display_names() -> None:
    watchlist = load_default_watchlist()
    assert watchlist.retailer_name("systeme-u") == "Système U"
    watchlist.remember_discovered("primeur-express", "Primeur Express")
    assert watchlist.retailer_name("primeur-express") == "Primeur Express"
    assert watchlist.retailer_name("la-ruche-verte") == "La Ruche Verte"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Système U", "systeme-u"),
        ("Sainsbury's", "sainsburys"),
        ("Whole Foods", "whole-foods"),
        ("E.Leclerc", "e-leclerc"),
        ("Verdier & Fils", "verdier-fils"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ("[actor]\nid='a'\nname='A'\nnames=['A']\ncolour='red'\n", "actor.colour: unknown key"),
        ("[actor]\nid='a'\nname='A'\nnames=['A']\n", "context: missing"),
        ("this is = not toml [", "not valid TOML"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path: Path, toml: str, needle: str) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_watchlist(path)
    message = str(info.value)
    assert str(path) in message and needle in message and "\n" not in message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_watchlist(tmp_path / "nope.toml")


def test_bad_slug_is_reported(tmp_path: Path) -> None:
    text = (
        Path("config/watchlist.toml")
        .read_text(encoding="utf-8")
        .replace('id = "leclerc"', 'id = "Leclerc SA"', 1)
    )
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"retailers\.0\.id: expected a slug"):
        load_watchlist(path)


# Ambiguous names: (text, retailer id, expected to fire)
AMBIGUOUS = [
    ("Une soirée au casino de Cabourg avec des jetons offerts.", "casino", False),
    ("Le Casino Barrière de Bordeaux rouvre ses tables de jeu.", "casino", False),
    ("Le groupe Casino cède des hypermarchés à Intermarché.", "casino", True),
    ("Je prends le métro tous les matins. Métro, boulot, dodo.", "metro", False),
    ("Metro Cash & Carry ouvre un entrepôt pour les restaurateurs.", "metro", True),
    ("Le match de rugby a été reporté. Paris Match publie un numéro spécial.", "match", False),
    ("Les supermarchés Match rénovent leurs rayons.", "match", True),
    ("Cora, Match et Auchan baissent leurs prix.", "match", True),
    ("Le leader du marché reste prudent.", "leader-price", False),
    ("Leader Price ferme des magasins discount.", "leader-price", True),
    ("Un virage en U sur la route des vacances.", "systeme-u", False),
    ("Les magasins U et Super U recrutent.", "systeme-u", True),
    ("Cora Vaucaire chantait à Saint-Germain-des-Prés.", "cora", False),
    ("Carrefour finalise le rachat de Cora en France.", "cora", True),
    ("We target younger shoppers. Target the basics first.", "target", False),
    ("Shares in Target fell after the results.", "target", True),
    ("Flights to Iceland were cancelled by the volcano.", "iceland", False),
    ("Iceland, the frozen food chain, cut prices.", "iceland", True),
    ("The local co-op sells organic vegetables.", "co-op", False),
    ("The Co-op grocer and Tesco raised wages.", "co-op", True),
    ("Le G20 s'est réuni à Rio de Janeiro.", "g20", False),
    ("L'enseigne G20 ouvre une supérette à Paris.", "g20", True),
    ("Le général Leclerc entre dans Paris en 1944.", "leclerc", False),
    ("Jean Picard, chercheur, présente ses travaux.", "picard", False),
    ("Picard lance une gamme de surgelés bio.", "picard", True),
]


@pytest.mark.parametrize(("text", "slug", "fires"), AMBIGUOUS)
def test_ambiguous_names(text: str, slug: str, fires: bool) -> None:
    assert (slug in _ids(text)) is fires


@pytest.mark.parametrize(
    ("text", "candidate"),
    [
        ("Amazon ouvre un entrepôt; les supermarchés Carrefour s'inquiètent.", True),
        ("La firme de Jeff Bezos vise les courses en ligne.", True),
        ("Carrefour et Auchan se disputent les hypermarchés du Nord.", False),
        ("Amazon annonce un nouveau modèle de liseuse électronique.", False),
        ("AMAZON\u00a0ET L’ÉPICERIE\u202fFINE", True),
        ("", False),
    ],
)
def test_prefilter(text: str, candidate: bool) -> None:
    assert prefilter(text) is candidate


def test_normalize_odd_unicode() -> None:
    text = "l’oﬀre\u00a0d’Amazon\u202fà Cœur\u200b"
    assert normalize_text(text) == "l'offre d'Amazon à Coeur"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_fold_keeps_offsets(text: str) -> None:
    assert len(fold(text)) == len(text)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["Intermarché", "Système U", "Sainsbury's", "Whole Foods"]), st.booleans())
def test_accents_do_not_change_a_match(name: str, strip: bool) -> None:
    shown = fold(name).title().replace("'S", "'s") if strip else name
    slug = slugify(name)
    assert slug in _ids(f"Hier, {shown} a publié ses ventes de supermarchés.")
