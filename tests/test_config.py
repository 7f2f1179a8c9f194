"""feeds.toml: what loads, and the one-line errors an operator gets for what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import DEFAULT_FEEDS_FILE, load_config
from tasks.errors import ConfigError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_feeds_file_loads_with_enough_real_feeds() -> None:
    config = load_config(DEFAULT_FEEDS_FILE)
    assert len(config.feeds) >= 15
    assert all(f.url.startswith(("http://", "https://")) for f in config.feeds)
    assert len({f.id for f in config.feeds}) == len(config.feeds)


def test_user_file_overrides_only_what_it_sets(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[settings.fetch]\nread_timeout = 3.5\n\n[[feeds]]\n"
        'name = "Un flux"\nurl = "https://example.org/rss"\ninterval = 30\n',
    )
    config = load_config(path)
    assert config.settings.fetch.read_timeout == 3.5
    assert config.settings.fetch.max_bytes == 5_000_000
    assert config.feeds[0].interval == 30


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[settings]\npoll_intervall = 3\n", "settings.poll_intervall: unknown key"),
        ('[[feeds]]\nname = "x"\nurl = "ftp://example.org/f"\n', "feeds.0.url: expected an http"),
        ('[[feeds]]\nurl = "https://example.org/f"\n', "feeds.0.name: missing"),
        ("[settings.fetch]\nread_timeout = -1\n", "settings.fetch.read_timeout"),
        ("[settings\n", "not valid TOML"),
        (
            '[[feeds]]\nname="a"\nurl="https://e.org/f"\n[[feeds]]\nname="b"\nurl="https://e.org/f"\n',
            "appears twice",
        ),
    ],
)
def test_mistakes_are_one_line_naming_file_and_key(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    assert expected in message


def test_missing_file_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"file not found .*VEILLE_CONFIG"):
        load_config(tmp_path / "nope.toml")


def test_database_path_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VEILLE_DB", str(tmp_path / "x.db"))
    assert load_config(write(tmp_path, "")).settings.database == tmp_path / "x.db"
