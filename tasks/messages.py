"""The French alert messages: one event, a digest of many, a test message (pure, no I/O).

Each message comes in three shapes, and the notify step picks one per channel: Markdown for chat
channels (Slack, Mattermost: a Slack-shaped message), HTML for email (apprise derives the plain
text part from it) and plain text for everything else (the generic JSON webhook). Every shape
ends with the message's dedupe key ("Réf. veille : …") so a receiver can drop a repeat: the
outbox delivers at least once, and a repeat carries the same key.

An event is any mapping with the ``events`` columns (``kind``, ``retailer_name``,
``old_status``, ``new_status``, ``reported``, ``sentence``, ``url``, ``source``, ``published``,
``key``) plus ``also_reported``: the other outlets that carried the same story.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from tasks.events import STATUS_LABELS_FR

STATUS_LABELS: dict[str, str] = STATUS_LABELS_FR  # one vocabulary: tasks/events.py
PREFIX = "[veille]"
CHAT_DIGEST_MAX_CHARS = 3500  # Mattermost and Slack cut long posts; the email digest is complete
CHAT_DIGEST_LINES_PER_RETAILER = 3


@dataclass(frozen=True)
class Message:
    """One message to send, in every shape; ``key`` is its dedupe key."""

    key: str
    subject: str
    markdown: str
    text: str
    html: str
    digest: bool = False
    event_count: int = 1


def status_label(status: str | None) -> str:
    """The French label of a status ("declined" → "a décliné"); unknown ones pass through."""
    if not status:
        return "?"
    return STATUS_LABELS.get(status, status)


def _name(event: Mapping[str, Any]) -> str:
    return " ".join(str(event.get("retailer_name") or event.get("retailer") or "?").split())


def _oneline(text: Any) -> str:
    return " ".join(str(text or "").split())


def _safe_url(url: Any) -> str | None:
    """Only http(s) links are linked: a feed cannot smuggle ``javascript:`` into an email."""
    text = _oneline(url)
    return text if urlsplit(text).scheme in {"http", "https"} else None


def _source(event: Mapping[str, Any]) -> str:
    source = _oneline(event.get("source"))
    if source:
        return source
    url = _safe_url(event.get("url"))
    return urlsplit(url).hostname or "source" if url else "source"


def _reported_note(event: Mapping[str, Any]) -> str:
    return "non confirmé" if event.get("reported") else "confirmé"


def _also(event: Mapping[str, Any]) -> str:
    count = int(event.get("also_reported") or 0)
    if count <= 0:
        return ""
    return f"également repris par {count} média{'s' if count > 1 else ''}"


def _date(event: Mapping[str, Any]) -> str:
    return _oneline(event.get("published"))[:10]


def headline(event: Mapping[str, Any]) -> str:
    """What moved, in one line: "Système U : approché → a décliné", "Nouveau : Lidl — approché"."""
    name, new = _name(event), status_label(event.get("new_status"))
    kind = event.get("kind")
    if kind == "new_retailer" or not event.get("old_status"):
        return f"Nouveau : {name} — {new}"
    if kind == "confirmed":
        return f"Confirmé : {name} — {new}"
    return f"{name} : {status_label(event.get('old_status'))} → {new}"


def event_subject(event: Mapping[str, Any]) -> str:
    """The email subject (and chat title): ``[veille] Système U : approché → a décliné``."""
    suffix = " (non confirmé)" if event.get("reported") else ""
    return f"{PREFIX} {headline(event)}{suffix}"


def _transition_md(event: Mapping[str, Any]) -> str:
    name, new = _name(event), status_label(event.get("new_status"))
    kind = event.get("kind")
    if kind == "new_retailer" or not event.get("old_status"):
        return f"Nouveau : **{name}** — {new}"
    if kind == "confirmed":
        return f"**{name}** — {new}"
    return f"**{name}** : {status_label(event.get('old_status'))} → **{new}**"


def event_message(event: Mapping[str, Any]) -> Message:
    """The alert for one event: retailer, old → new status, confirmed or not, quote, link."""
    key = str(event["key"])
    sentence, url, source = (
        _oneline(event.get("sentence")),
        _safe_url(event.get("url")),
        _source(event),
    )
    also, date, note = _also(event), _date(event), _reported_note(event)

    md = [f"{_transition_md(event)} _({note})_"]
    if sentence:
        md.append(f"> {sentence}")
    source_md = f"[{source}]({url})" if url else source
    md.append("Source : " + " · ".join(p for p in (source_md, date, also) if p))
    md.append(f"Réf. veille : `{key}`")

    text = [f"{headline(event)} ({note})"]
    if sentence:
        text.append(f"« {sentence} »")
    text.append("Source : " + " — ".join(p for p in (source, url, date) if p))
    if also:
        text.append(also[0].upper() + also[1:] + ".")
    text.append(f"Réf. veille : {key}")

    esc = html.escape
    body = [f"<p><b>{esc(headline(event))}</b> <i>({esc(note)})</i></p>"]
    if sentence:
        body.append(f"<blockquote>« {esc(sentence)} »</blockquote>")
    link = f'<a href="{esc(url)}">{esc(source)}</a>' if url else esc(source)
    details = " — ".join(p for p in (link, esc(date), esc(also)) if p)
    body.append(f"<p>Source : {details}</p>")
    if url:
        body.append(f"<p>{esc(url)}</p>")
    body.append(f'<p style="color:#888">Réf. veille : {esc(key)}</p>')

    return Message(
        key=key,
        subject=event_subject(event),
        markdown="\n".join(md),
        text="\n".join(text),
        html="\n".join(body),
    )


def _grouped(events: Sequence[Mapping[str, Any]]) -> list[tuple[str, list[Mapping[str, Any]]]]:
    """Events by retailer (alphabetical, accents ignored), each group in publication order."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for event in events:
        groups.setdefault(_name(event), []).append(event)
    for group in groups.values():
        group.sort(key=lambda e: (_oneline(e.get("published")), e.get("seq") or 0))
    return sorted(groups.items(), key=lambda item: _fold(item[0]))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _digest_line(event: Mapping[str, Any]) -> str:
    old, new = event.get("old_status"), status_label(event.get("new_status"))
    move = f"{status_label(old)} → {new}" if old and event.get("kind") != "confirmed" else new
    if event.get("kind") == "confirmed":
        move += " (confirmé)"
    elif event.get("reported"):
        move += " (non confirmé)"
    return move


def digest_subject(count: int) -> str:
    """``[veille] Digest : 200 évolutions``."""
    return f"{PREFIX} Digest : {count} évolution{'s' if count != 1 else ''}"


def digest_message(events: Sequence[Mapping[str, Any]], *, key: str) -> Message:
    """Many events as one message, grouped by retailer (a backfill, or a burst).

    The email and text shapes list every event; the chat shape is cut at about 3,500 characters
    with a count of what was left out, as chat services truncate long posts.
    """
    groups = _grouped(events)
    count = len(events)
    intro = f"{count} évolution{'s' if count != 1 else ''} pour {len(groups)} enseigne" + (
        "s" if len(groups) != 1 else ""
    )

    md = [f"**Digest veille** — {intro}"]
    left_out = 0
    for name, group in groups:
        block = [f"**{name}**"]
        for event in group[:CHAT_DIGEST_LINES_PER_RETAILER]:
            url, source = _safe_url(event.get("url")), _source(event)
            link = f"[{source}]({url})" if url else source
            block.append(f"• {_digest_line(event)} — {link} {_date(event)}".rstrip())
        hidden = len(group) - CHAT_DIGEST_LINES_PER_RETAILER
        if hidden > 0:
            block.append(f"• … et {hidden} autre{'s' if hidden > 1 else ''}")
        if sum(len(line) + 1 for line in md + block) > CHAT_DIGEST_MAX_CHARS:
            left_out += len(group)
            continue
        md.extend(block)
    if left_out:
        md.append(f"… et {left_out} autres évolutions (le digest complet part par e-mail).")
    md.append(f"Réf. veille : `{key}`")

    text = [intro]
    esc = html.escape
    body = [f"<p><b>{esc(intro)}</b></p>"]
    for name, group in groups:
        text.append("")
        text.append(name)
        items = []
        for event in group:
            url, source, sentence = (
                _safe_url(event.get("url")),
                _source(event),
                _oneline(event.get("sentence")),
            )
            text.append(f"  - {_digest_line(event)} — {source} {_date(event)}".rstrip())
            if sentence:
                text.append(f"    « {sentence} »")
            if url:
                text.append(f"    {url}")
            link = f'<a href="{esc(url)}">{esc(source)}</a>' if url else esc(source)
            quote = f"<br><i>« {esc(sentence)} »</i>" if sentence else ""
            shown = f"<br><small>{esc(url)}</small>" if url else ""  # kept in the text part
            items.append(
                f"<li>{esc(_digest_line(event))} — {link} {esc(_date(event))}{quote}{shown}</li>"
            )
        body.append(f"<h3>{esc(name)}</h3>")
        body.append("<ul>" + "".join(items) + "</ul>")
    text.append("")
    text.append(f"Réf. veille : {key}")
    body.append(f'<p style="color:#888">Réf. veille : {esc(key)}</p>')

    return Message(
        key=key,
        subject=digest_subject(count),
        markdown="\n".join(md),
        text="\n".join(text),
        html="\n".join(body),
        digest=True,
        event_count=count,
    )


def test_message(now: datetime) -> Message:
    """The ``veille test-notify`` message: proves a channel works, says when it was sent."""
    stamp = now.isoformat(timespec="seconds")
    key = f"test-{now.strftime('%Y%m%dT%H%M%S')}"
    line = f"Message de test de veille, envoyé le {stamp}. Si vous le lisez, ce canal fonctionne."
    return Message(
        key=key,
        subject=f"{PREFIX} Test de notification",
        markdown=f"{line}\nRéf. veille : `{key}`",
        text=f"{line}\nRéf. veille : {key}",
        html=f"<p>{html.escape(line)}</p><p>Réf. veille : {html.escape(key)}</p>",
    )
