"""The operator's configuration: ``feeds.toml`` read into pydantic models.

``feeds.toml`` holds an optional ``[settings]`` table and the ``[[feeds]]`` list. Every key has a
default here, so a user file sets only what it changes. A mistake is reported as one line naming
the file, the key and what was expected (:class:`tasks.errors.ConfigError`). Secrets never live in
this file: channels come from ``VEILLE_NOTIFY`` or an apprise config file outside the repository.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tasks.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_FEEDS_FILE = CONFIG_DIR / "feeds.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FetchSettings(_Strict):
    """HTTP limits; the defaults suit news sites polled every quarter of an hour."""

    connect_timeout: float = Field(5.0, gt=0, description="seconds to connect (and resolve)")
    read_timeout: float = Field(15.0, gt=0, description="seconds between two bytes")
    total_timeout: float = Field(30.0, gt=0, description="seconds for a whole fetch, body included")
    max_bytes: int = Field(5_000_000, gt=0, description="body cap, decompressed size included")
    max_redirects: int = Field(5, ge=0, le=20, description="redirects followed, each one checked")
    per_host_concurrency: int = Field(2, ge=1, description="requests at once to one host")
    politeness_delay: float = Field(1.0, ge=0, description="seconds between requests to one host")
    retries: int = Field(2, ge=0, le=10, description="retries of timeouts, 5xx and 429")
    backoff: float = Field(0.5, ge=0, description="first retry delay, doubled each time")
    max_retry_after: float = Field(
        30.0, ge=0, description="a longer Retry-After defers the feed to a later poll"
    )
    user_agent: str = Field(
        "veille/0.1 (news monitoring; +https://github.com/veille/veille)",
        description="identifies veille to the sites it reads",
    )
    allow_private_hosts: bool = Field(
        False, description="allow private, loopback and link-local addresses (SSRF guard off)"
    )
    allowed_hosts: list[str] = Field(
        [], description="exact hosts exempt from the private-address guard, e.g. 127.0.0.1"
    )


class NotifySettings(_Strict):
    """Where channels come from and how the outbox retries; never the secrets themselves."""

    # apprise URLs come from $VEILLE_NOTIFY; this names an apprise YAML/TEXT file (outside the repo)
    config_file: Path | None = Field(
        None, description="an apprise YAML/TEXT file of channels, outside the repository"
    )
    digest_threshold: int = Field(
        10, ge=1, description="more pending alerts than this for a channel go as one digest"
    )
    max_attempts: int = Field(8, ge=1, description="attempts before a delivery is marked dead")
    base_delay: float = Field(60.0, ge=0, description="seconds before the first retry, doubled")
    timeout: float = Field(10.0, gt=0, description="seconds a channel may take to answer")


class Settings(_Strict):
    """Everything but the feed list."""

    database: Path = Field(Path("veille.db"), description="the SQLite file ($VEILLE_DB wins)")
    poll_interval: int = Field(15, ge=1, description="minutes between polls")
    deliver_interval: int = Field(5, ge=1, description="minutes between delivery runs")
    max_new_articles_per_feed: int = Field(
        50, ge=1, description="articles fetched per feed and poll; the rest wait for the next"
    )
    article_retries: int = Field(3, ge=0, description="polls that retry a failed article")
    watchlist: Path | None = Field(None, description="the storyline; default config/watchlist.toml")
    fetch: FetchSettings = FetchSettings()
    notify: NotifySettings = NotifySettings()


class FeedConfig(_Strict):
    """One feed to poll."""

    name: str = Field(min_length=1, description="shown in failure lines and `veille feeds`")
    url: str = Field(description="the RSS/Atom URL, http or https")
    interval: int | None = Field(
        None, ge=1, description="minutes between polls of this feed; default: every poll"
    )
    tags: list[str] = Field([], description="free labels")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("an http:// or https:// URL")
        return value.strip()

    @property
    def id(self) -> str:
        """A stable id: the hash of the URL, so renaming a feed keeps its history."""
        return hashlib.sha1(self.url.encode()).hexdigest()[:16]


class Config(_Strict):
    """The whole of feeds.toml."""

    settings: Settings = Settings()
    feeds: list[FeedConfig] = []

    @field_validator("feeds")
    @classmethod
    def _unique(cls, feeds: list[FeedConfig]) -> list[FeedConfig]:
        seen: set[str] = set()
        for feed in feeds:
            if feed.url in seen:
                raise ValueError(f"a list of distinct URLs ({feed.url} appears twice)")
            seen.add(feed.url)
        return feeds


def config_path(path: str | Path | None = None) -> Path:
    """The feeds file: the argument, else ``VEILLE_CONFIG``, else the bundled config/feeds.toml."""
    if path is not None:
        return Path(path)
    env = os.environ.get("VEILLE_CONFIG")
    return Path(env) if env else DEFAULT_FEEDS_FILE


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key"
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = "expected " + msg.removeprefix("Value error, ")
    elif error["type"] == "missing":
        msg = "missing (required)"
    return f"{key}: {msg}"


def parse_config(data: dict[str, Any], source: str) -> Config:
    """Validate loaded TOML data; ``source`` names the file in the error."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        tail = f" (and {more} more)" if more else ""
        raise ConfigError(f"{source}: {_describe(first)}{tail}") from None


def load_config(path: str | Path | None = None) -> Config:
    """Read and validate feeds.toml; environment overrides: ``VEILLE_DB`` for the database."""
    p = config_path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: file not found (set VEILLE_CONFIG or pass --config)") from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    config = parse_config(data, str(p))
    db_env = os.environ.get("VEILLE_DB")
    if db_env:
        config = config.model_copy(
            update={"settings": config.settings.model_copy(update={"database": Path(db_env)})}
        )
    return config


def settings_reference() -> str:
    """The Markdown table of every setting, default and meaning (the README embeds it)."""
    rows = ["| key | default | meaning |", "|---|---|---|"]

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            key = f"{prefix}.{name}"
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                walk(annotation, key)
                continue
            default = info.default
            shown = "required" if info.is_required() else "none" if default is None else default
            rows.append(f"| `{key}` | `{shown}` | {info.description or ''} |")

    walk(Settings, "settings")
    walk(FeedConfig, "feeds[]")
    return "\n".join(rows)


def database_path(config: str | Path | None = None, db: str | Path | None = None) -> Path:
    """The database a command works on: ``--db``, else ``$VEILLE_DB``, else [settings].database."""
    if db is not None:
        return Path(db)
    if os.environ.get("VEILLE_DB"):
        return Path(os.environ["VEILLE_DB"])
    try:
        return load_config(config).settings.database
    except ConfigError:
        if config is not None:
            raise
        return Settings().database
