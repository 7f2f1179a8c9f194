"""OPML import: the feed list every feed reader exports, turned into ``[[feeds]]`` TOML.

Parsed with the stdlib expat parser, refusing any entity declaration and any external entity
(billion laughs, XXE): OPML never needs them, and defusedxml is not a dependency. Folders
(outlines without ``xmlUrl``) become tags of the feeds inside them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from typing import Any
from xml.parsers import expat

from tasks.errors import ConfigError

_HTTP = re.compile(r"^https?://[^/\s]+", re.I)


class _Refused(Exception):
    """An entity declaration or external reference: refused outright."""


def _tag(title: str) -> str:
    """A folder title as a tag: lower-case ASCII words joined by hyphens ("Économie" → economie)."""
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")


def parse_opml(content: bytes, source: str) -> list[dict[str, Any]]:
    """Feeds of an OPML file as ``{"name", "url", "tags"}`` dicts, in document order.

    Outlines whose xmlUrl is not http(s) are skipped; a URL listed twice is kept once.
    Malformed XML or a document that is not OPML raises ConfigError naming ``source``.
    """
    feeds: list[dict[str, Any]] = []
    seen: set[str] = set()
    stack: list[str | None] = []  # per open element: folder tag, or None
    root: list[str] = []

    def refuse(*_args: Any) -> None:
        raise _Refused("entity declarations are not allowed in OPML")

    def start(name: str, attrs: dict[str, str]) -> None:
        if not root:
            root.append(name)
        if name.lower() != "outline":
            stack.append(None)
            return
        lowered = {k.lower(): v for k, v in attrs.items()}
        url = (lowered.get("xmlurl") or "").strip()
        title = (lowered.get("title") or lowered.get("text") or "").strip()
        if not url:
            stack.append(_tag(title) or None)
            return
        stack.append(None)
        if not _HTTP.match(url) or url in seen:
            return
        seen.add(url)
        tags = [t for t in stack if t]
        for category in re.split(r"[,/]", lowered.get("category", "")):
            if _tag(category) and _tag(category) not in tags:
                tags.append(_tag(category))
        feeds.append({"name": " ".join(title.split()) or url, "url": url, "tags": tags})

    def end(_name: str) -> None:
        stack.pop()

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(content, True)
    except expat.ExpatError as exc:
        raise ConfigError(f"{source}: malformed OPML: {expat.errors.messages[exc.code]} "
                          f"at line {exc.lineno}, column {exc.offset}") from None  # fmt: skip
    except _Refused as exc:
        raise ConfigError(f"{source}: refused OPML: {exc}") from None
    if not root or root[0].lower() != "opml":
        found = root[0] if root else "nothing"
        raise ConfigError(f"{source}: not an OPML file: root element is <{found}>, not <opml>")
    return feeds


def _toml_string(value: str) -> str:
    # A JSON string is a valid TOML basic string (same escapes; \uXXXX for control chars).
    return json.dumps(value, ensure_ascii=False)


def render_feeds_toml(feeds: list[dict[str, Any]], *, skip_urls: Iterable[str] = ()) -> str:
    """``[[feeds]]`` blocks for ``feeds`` (name, url, optional interval and tags), to append.

    ``skip_urls``: URLs already in the target file, so a re-import adds nothing twice.
    """
    known = {url.strip() for url in skip_urls}
    blocks: list[str] = []
    for feed in feeds:
        if str(feed["url"]).strip() in known:
            continue
        lines = ["[[feeds]]", f"name = {_toml_string(str(feed['name']))}"]
        lines.append(f"url = {_toml_string(str(feed['url']))}")
        if feed.get("interval") is not None:
            lines.append(f"interval = {int(feed['interval'])}")
        if feed.get("tags"):
            lines.append("tags = [" + ", ".join(_toml_string(t) for t in feed["tags"]) + "]")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else "")
