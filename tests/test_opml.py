"""OPML import: nesting to tags, hostile XML refused, rendering that TOML reads back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tasks.errors import ConfigError
from tasks.opml import parse_opml, render_feeds_toml

OPML = Path(__file__).parent / "fixtures" / "opml" / "lecteur.opml"


def test_outlines_become_feeds_with_folder_tags() -> None:
    feeds = parse_opml(OPML.read_bytes(), str(OPML))
    assert feeds == [
        {
            "name": "Le Monde — Économie",
            "url": "https://www.lemonde.fr/economie/rss_full.xml",
            "tags": ["economie"],
        },
        {
            "name": "LSA",
            "url": "https://www.lsa-conso.fr/rss",
            "tags": ["economie", "distribution-commerce", "retail", "grande-conso"],
        },
        {"name": "Sans dossier", "url": "https://www.lineaires.com/rss.xml", "tags": []},
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<opml><body><outline text='x'", "malformed OPML"),
        (b"", "malformed OPML"),
        (b"<html><body/></html>", "not an OPML file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><opml><body>'
            b'<outline text="&lol2;" xmlUrl="https://x.fr/"/></body></opml>',
            "refused",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE o [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            b'<opml><body><outline text="&xxe;" xmlUrl="https://x.fr/"/></body></opml>',
            "refused",
        ),
    ],
)
def test_bad_opml_is_one_config_error_naming_the_file(content: bytes, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_opml(content, "abonnements.opml")
    message = str(info.value)
    assert message.startswith("abonnements.opml: ") and words in message and "\n" not in message


def test_rendered_toml_reads_back() -> None:
    feeds = [
        {"name": 'Le "Fil" \\ éco', "url": "https://x.fr/rss?a=1&b=2", "tags": ["a", "b"]},
        {"name": "Sans tags", "url": "https://y.fr/feed", "tags": [], "interval": 30},
    ]
    text = render_feeds_toml(feeds)
    assert text.startswith("[[feeds]]") and text.endswith("\n")
    loaded = tomllib.loads(text)["feeds"]
    assert loaded[0] == feeds[0]
    assert loaded[1] == {"name": "Sans tags", "url": "https://y.fr/feed", "interval": 30}
    assert render_feeds_toml([]) == ""


def test_import_appends_only_new_feeds_to_the_shipped_file(tmp_path: Path) -> None:
    existing = (Path(__file__).parents[1] / "config" / "feeds.toml").read_text(encoding="utf-8")
    known = [feed["url"] for feed in tomllib.loads(existing)["feeds"]]
    imported = parse_opml(OPML.read_bytes(), "x")  # all three are shipped already
    assert render_feeds_toml(imported, skip_urls=known) == ""
    new = {"name": "Nouveau flux", "url": "https://nouveau.example/rss", "tags": ["test"]}
    target = tmp_path / "feeds.toml"
    target.write_text(existing + "\n" + render_feeds_toml([*imported, new], skip_urls=known))
    urls = [feed["url"] for feed in tomllib.loads(target.read_text())["feeds"]]
    assert len(urls) == len(set(urls)) == len(known) + 1 and urls[-1] == new["url"]
