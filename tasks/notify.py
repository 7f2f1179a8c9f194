"""Channels and the network send, through apprise (edge: the only module that talks to channels).

Configuring channels
    ``VEILLE_NOTIFY``: apprise URLs separated by spaces, commas or newlines, each optionally
    prefixed by tags in apprise's TEXT syntax::

        VEILLE_NOTIFY="slack=slack://T000/B000/XXXX  email,digest=mailtos://user:pass@host?to=a@b.fr"

    ``VEILLE_NOTIFY_CONFIG`` (or the ``config_path`` argument): an apprise YAML or TEXT config
    file, kept outside the repository. Both sources add up.

Routing (one rule)
    Every channel receives every event. A channel tagged ``digest`` receives them folded into
    one digest message per delivery run instead of one message per event. Backfills and bursts
    (more than ``digest_threshold`` events due at once) go to every channel as one digest. Other
    tags are free-form and only shown (``slack``, ``email``, ``équipe-achats``…).

Secrets
    A channel is known by its **label**, ``<schema>-<8 hex of sha256(url)>`` (``mmost-3fa2c1d0``),
    stable for as long as its URL is, and shown only in apprise's privacy form
    (``url(privacy=True)``). Labels go to the database and logs; the URL stays in memory
    (``Channel.url``, excluded from ``repr``). Error lines are scrubbed of the URL's secret parts.

Timeouts
    apprise's plugins take connect/read timeouts (``cto``/``rto`` URL parameters; email uses
    ``cto`` for every SMTP operation, 15 s by default). :func:`send` lowers both to ``timeout``
    and also runs the send in a thread it waits on for at most ``2 × timeout + 1`` seconds, so a
    server that accepts and then drips bytes cannot hold the channel longer than that.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import apprise

from tasks.errors import ConfigError, NotifyError
from tasks.messages import Message

ENV_URLS = "VEILLE_NOTIFY"
ENV_CONFIG = "VEILLE_NOTIFY_CONFIG"
DIGEST_TAG = "digest"
DEFAULT_TIMEOUT = 10.0
REPO_ROOT = Path(__file__).resolve().parents[1]
# Chat services whose apprise plugin declares plain text although the service renders Markdown.
MARKDOWN_SCHEMAS = frozenset({"mmost", "mmosts", "rocket", "rockets", "zulip"})
HEADER = "X-Veille-Key"
PAYLOAD_FIELD = "veille_key"

_ENTRY = re.compile(
    r"(?:(?P<tags>[\w-]+(?:\s*,\s*[\w-]+)*)\s*=\s*)?"
    r"(?P<url>[a-z][a-z0-9+.-]{0,31}://\S+?)"
    r"(?=[\s,]+(?:[\w-]+(?:\s*,\s*[\w-]+)*\s*=\s*)?[a-z][a-z0-9+.-]{0,31}://|[\s,]*$)",
    re.IGNORECASE,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channel:
    """One apprise URL with its label, tags and message shape; the URL never shows in repr."""

    label: str
    display: str  # apprise's url(privacy=True)
    tags: tuple[str, ...]
    schema: str
    shape: str  # markdown | html | text: which body of a Message this channel gets
    native_format: str  # the plugin's own notify_format (text, markdown, html)
    url: str = field(repr=False, compare=False)
    throttle: bool = field(default=True, repr=False, compare=False)

    @property
    def digest_only(self) -> bool:
        """Tagged ``digest``: receives one digest per run rather than one message per event."""
        return DIGEST_TAG in self.tags

    def __str__(self) -> str:
        return f"{self.label} ({self.display})"


def _asset() -> apprise.AppriseAsset:
    """An asset per send: sequential dispatch, no apprise-level retry (the outbox retries)."""
    return apprise.AppriseAsset(async_mode=False, default_service_retry=0, secure_logging=True)


def split_entries(text: str) -> list[tuple[tuple[str, ...], str]]:
    """``"a,b=json://x  mailto://y"`` → ``[(("a", "b"), "json://x"), ((), "mailto://y")]``.

    Entries are separated by spaces, commas or newlines; a comma inside a URL (``?to=a,b``) is
    kept because only a comma followed by another ``[tags=]scheme://`` starts a new entry.
    """
    entries = []
    text = text.strip()
    position = 0
    for match in _ENTRY.finditer(text):
        if text[position : match.start()].strip(" \t\r\n,"):
            raise ConfigError(
                f"{ENV_URLS}: cannot read {text[position : match.start()].strip()[:20]!r}: "
                "expected apprise URLs, each optionally prefixed by tags (tag1,tag2=url)"
            )
        tags = tuple(t.strip().lower() for t in (match.group("tags") or "").split(",") if t.strip())
        entries.append((tags, match.group("url")))
        position = match.end()
    if text[position:].strip(" \t\r\n,"):
        raise ConfigError(f"{ENV_URLS}: cannot read the text after entry {len(entries)}")
    return entries


def _shape(schema: str, native: str) -> str:
    if native == "html":
        return "html"
    if native == "markdown" or schema in MARKDOWN_SCHEMAS:
        return "markdown"
    return "text"


def channel_from_plugin(
    plugin: apprise.plugins.NotifyBase, tags: Iterable[str], *, throttle: bool = True
) -> Channel:
    """A Channel for an instantiated apprise plugin (its URL is read back from the plugin)."""
    url = plugin.url()
    schema = url.split("://", 1)[0].lower()
    digest = hashlib.sha256(url.encode()).hexdigest()[:8]
    native = str(getattr(plugin.notify_format, "value", plugin.notify_format) or "text")
    channel = Channel(
        label=f"{schema}-{digest}",
        display=plugin.url(privacy=True),
        tags=tuple(sorted({str(t).lower() for t in tags})),
        schema=schema,
        shape=_shape(schema, native),
        native_format=native,
        url=url,
        throttle=throttle,
    )
    _remember(channel)
    return channel


def _from_text(text: str, *, throttle: bool) -> list[Channel]:
    channels = []
    for number, (tags, url) in enumerate(split_entries(text), start=1):
        plugin = apprise.Apprise.instantiate(url, asset=_asset())
        if plugin is None:
            raise ConfigError(
                f"{ENV_URLS}: entry {number} ({url.split('://', 1)[0]}://…) is not a usable "
                "apprise URL: check it with `apprise --dry-run -vv URL`"
            )
        channels.append(channel_from_plugin(plugin, tags, throttle=throttle))
    return channels


def _from_file(path: Path, *, throttle: bool) -> list[Channel]:
    resolved = path.expanduser().resolve()
    if not resolved.is_file():
        raise ConfigError(f"{ENV_CONFIG}: {path}: no such file")
    if resolved.is_relative_to(REPO_ROOT):
        raise ConfigError(
            f"{ENV_CONFIG}: {path}: is inside the repository; keep apprise URLs (secrets) "
            "outside it, e.g. in ~/.config/veille/apprise.yml"
        )
    config = apprise.AppriseConfig(asset=_asset())
    if not config.add(str(resolved)):
        raise ConfigError(f"{ENV_CONFIG}: {path}: apprise cannot read this config file")
    plugins = config.servers()
    if not plugins:
        raise ConfigError(
            f"{ENV_CONFIG}: {path}: no usable apprise URL in it (YAML `urls:` or TEXT lines)"
        )
    return [
        channel_from_plugin(p, (str(t).split(":")[-1] for t in p.tags), throttle=throttle)
        for p in plugins
    ]


def load_channels(
    env: Mapping[str, str] | None = None,
    *,
    config_path: str | Path | None = None,
    throttle: bool = True,
) -> list[Channel]:
    """The configured channels: ``VEILLE_NOTIFY`` and the apprise config file, in that order.

    An empty list means nothing is configured (the caller decides whether that is an error).
    The same URL given twice is one channel (tags merged). ``throttle=False`` turns apprise's
    per-plugin pacing off (tests; email would otherwise wait 5.5 s between messages).
    """
    env = os.environ if env is None else env
    channels = _from_text(env.get(ENV_URLS, ""), throttle=throttle)
    path = config_path or env.get(ENV_CONFIG)
    if path:
        channels += _from_file(Path(path), throttle=throttle)
    merged: dict[str, Channel] = {}
    for channel in channels:
        if channel.label in merged:
            first = merged[channel.label]
            tags = tuple(sorted(set(first.tags) | set(channel.tags)))
            merged[channel.label] = Channel(
                **{**_fields(first), "tags": tags}, url=first.url, throttle=first.throttle
            )
        else:
            merged[channel.label] = channel
    return list(merged.values())


def _fields(channel: Channel) -> dict[str, object]:
    return {
        "label": channel.label,
        "display": channel.display,
        "tags": channel.tags,
        "schema": channel.schema,
        "shape": channel.shape,
        "native_format": channel.native_format,
    }


def _secrets(channel: Channel) -> list[str]:
    """Parts of the URL absent from its privacy form: tokens, passwords. Longest first."""
    parts = {p for p in re.split(r"[/:@?&=,#;+]", channel.url.split("://", 1)[-1]) if len(p) >= 4}
    return sorted((p for p in parts if p not in channel.display), key=len, reverse=True)


def scrub(channel: Channel, text: str) -> str:
    """``text`` on one line with every secret part of the channel's URL masked."""
    line = " ".join(str(text).split())
    for secret in _secrets(channel):
        line = line.replace(secret, "****")
    return line


_known_secrets: set[str] = set()
_secrets_lock = threading.Lock()


class _Redact(logging.Filter):
    """Masks every loaded channel's secrets in apprise's and urllib3's own log records.

    At DEBUG they print webhook URLs whose path is the token (Mattermost, Slack); veille's own
    lines only ever name labels. Installed on the loggers that emit those records.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        with _secrets_lock:
            secrets = sorted(_known_secrets, key=len, reverse=True)
        if not secrets:
            return True
        try:
            text = record.getMessage()
        except Exception:  # a malformed log call: leave it to logging's own error path
            return True
        if any(secret in text for secret in secrets):
            for secret in secrets:
                text = text.replace(secret, "****")
            record.msg, record.args = text, None
        if record.exc_info and not record.exc_text:
            trace = logging.Formatter().formatException(record.exc_info)
            for secret in secrets:
                trace = trace.replace(secret, "****")
            record.exc_text = trace
        return True


_REDACT = _Redact()
for _name in ("apprise", "urllib3.connectionpool", "requests"):
    logging.getLogger(_name).addFilter(_REDACT)


def _remember(channel: Channel) -> None:
    with _secrets_lock:
        _known_secrets.update(_secrets(channel))


class _Capture(logging.Handler):
    """Keeps the first apprise warning logged by one thread: the reason a send returned False."""

    def __init__(self, thread_id: int) -> None:
        super().__init__(logging.WARNING)
        self.thread_id = thread_id
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread_id and len(self.messages) < 3:
            try:
                self.messages.append(record.getMessage())
            except Exception:  # a malformed log call must not break the send
                self.messages.append(str(record.msg))


@dataclass
class _Outcome:
    result: bool | None = None
    error: str | None = None
    reason: str | None = None
    done: threading.Event = field(default_factory=threading.Event)


_pace_lock = threading.Lock()
_last_sent: dict[str, float] = {}


def _pace(channel: Channel, plugin: apprise.plugins.NotifyBase) -> None:
    """apprise's own per-plugin throttle, kept across our fresh plugin instances."""
    interval = float(getattr(plugin, "request_rate_per_sec", 0) or 0)
    plugin.request_rate_per_sec = 0
    if not channel.throttle or interval <= 0:
        return
    with _pace_lock:
        wait = _last_sent.get(channel.label, 0.0) + interval - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def send(
    channel: Channel,
    title: str,
    body: str,
    body_format: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    key: str | None = None,
) -> None:
    """Send one message to one channel, or raise NotifyError (one line, no secret).

    ``key`` (the dedupe key) also goes in an ``X-Veille-Key`` header where the plugin sends
    headers (webhooks, email) and in the JSON payload of ``json://``. apprise never raises: it
    returns False (a failure: we raise NotifyError with the reason it logged) or None (no
    service at all: a configuration error).
    """
    asset = _asset()
    plugin = apprise.Apprise.instantiate(channel.url, asset=asset)
    if plugin is None:
        raise ConfigError(f"{channel.label}: apprise cannot build this channel ({channel.display})")
    plugin.socket_connect_timeout = min(float(plugin.socket_connect_timeout), timeout)
    plugin.socket_read_timeout = min(float(plugin.socket_read_timeout), timeout)
    if key:
        if isinstance(getattr(plugin, "headers", None), dict):
            plugin.headers[HEADER] = key
        if isinstance(getattr(plugin, "payload_extras", None), dict):
            plugin.payload_extras[PAYLOAD_FIELD] = key
    _pace(channel, plugin)
    notifier = apprise.Apprise(asset=asset)
    notifier.add(plugin)
    outcome = _Outcome()

    def run() -> None:
        capture = _Capture(threading.get_ident())
        apprise_log = logging.getLogger("apprise")
        apprise_log.addHandler(capture)
        try:
            outcome.result = notifier.notify(body=body, title=title, body_format=body_format)
        except Exception as exc:  # apprise should not raise; a plugin bug still must be recorded
            outcome.error = f"{type(exc).__name__}: {exc}"
        finally:
            apprise_log.removeHandler(capture)
            outcome.reason = capture.messages[0] if capture.messages else None
            outcome.done.set()

    deadline = 2 * timeout + 1
    started = time.monotonic()
    threading.Thread(target=run, name=f"send-{channel.label}", daemon=True).start()
    finished = outcome.done.wait(deadline)
    with _pace_lock:
        _last_sent[channel.label] = time.monotonic()
    if not finished:
        raise NotifyError(f"{channel.label}: no answer within {deadline:.0f} s (gave up)")
    if outcome.error:
        raise NotifyError(scrub(channel, f"{channel.label}: {outcome.error}"))
    if outcome.result is None:
        raise ConfigError(f"{channel.label}: apprise found no service to notify")
    if not outcome.result:
        elapsed = time.monotonic() - started
        reason = outcome.reason or "apprise reported a failure"
        if elapsed >= 1.0 and "timeout" not in reason.lower():
            reason += f" (after {elapsed:.1f} s)"
        raise NotifyError(scrub(channel, f"{channel.label}: {reason}"))


def body_for(channel: Channel, message: Message) -> tuple[str, str]:
    """The body and apprise body format this channel gets for ``message``."""
    if channel.shape == "html":
        return message.html, apprise.NotifyFormat.HTML.value
    if channel.shape == "markdown":
        # A plugin that declares text would strip Markdown when converting: hand it over as is.
        fmt = apprise.NotifyFormat.MARKDOWN if channel.native_format == "markdown" else None
        return message.markdown, (fmt or apprise.NotifyFormat.TEXT).value
    return message.text, apprise.NotifyFormat.TEXT.value


def send_message(channel: Channel, message: Message, *, timeout: float = DEFAULT_TIMEOUT) -> None:
    """Send a :class:`~tasks.messages.Message` in the shape the channel takes."""
    body, body_format = body_for(channel, message)
    send(channel, message.subject, body, body_format, timeout=timeout, key=message.key)
