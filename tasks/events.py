"""From mentions to the storyline's state and its events. Pure: no database, no clock.

The state of a retailer is a fold over its mentions sorted by :func:`order_key`, so it depends on
which articles are known, never on the order they were fetched in. An event is emitted when a new
article's mention becomes the retailer's latest and says something new (DESIGN.md, "Events and
alerts"); its key is a hash of (kind, retailer, new status, story), so a reprint of a known story
or a replay after a crash produces the same key, which the events table ignores.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

STATUS_ORDER: tuple[str, ...] = (
    "rumored",
    "approached",
    "in_talks",
    "declined",
    "denied",
    "partnership",
    "ended",
    "acquired",
)
"""Least to most definite. Within one article a confirmed statement beats any reported one
("nous sommes approchés" + "Amazon pourrait devenir notre logisticien" → approached, confirmed),
then the more definite status wins (contacted, then "n'a pas donné suite" → declined)."""

STATUS_RANK: dict[str, int] = {status: i + 1 for i, status in enumerate(STATUS_ORDER)}
NO_STATUS = "none"  # named without a relation to Amazon: kept in the timeline, never an event

STATUS_LABELS_FR: dict[str, str] = {
    "rumored": "rumeur",
    "approached": "approché",
    "in_talks": "en discussions",
    "declined": "a décliné",
    "denied": "a démenti",
    "partnership": "partenariat",
    "ended": "fin du partenariat",
    "acquired": "racheté",
    NO_STATUS: "cité",
}

KINDS = ("new_retailer", "status_change", "confirmed")


@dataclass(frozen=True)
class MentionRecord:
    """One retailer in one article, as stored: the article's single status for that retailer.

    ``story_published`` is the earliest publication date of the article's story: a reprint
    published a week later restates the story, so it sits at the story's date in the timeline.
    Dates are ISO 8601 UTC text, which sorts like the dates it holds.
    """

    retailer: str
    status: str
    reported: bool
    sentence: str
    article_id: str
    published: str
    story_id: str
    story_published: str
    discovered: bool = False
    published_is_fetch_date: bool = False
    retailer_name: str = ""
    source: str = ""
    url: str = ""


@dataclass(frozen=True)
class Event:
    """A move of the storyline, as written to the events table and carried by alerts."""

    key: str
    kind: str
    retailer: str
    retailer_name: str
    old_status: str | None
    new_status: str
    reported: bool
    sentence: str
    article_id: str
    url: str
    source: str
    story_id: str
    published: str


@dataclass(frozen=True)
class RetailerState:
    """A retailer's current status: its latest mention, and the run of equal statuses before it.

    ``confirmed`` is true when any mention of the current run is confirmed, so a later rumour
    repeating a confirmed status neither downgrades the board nor earns a second "confirmed".
    """

    latest: MentionRecord
    since: MentionRecord
    confirmed: bool

    @property
    def status(self) -> str:
        """The current status."""
        return self.latest.status


def status_rank(status: str) -> int:
    """Definiteness of a status (0 for ``none`` or an unknown status)."""
    return STATUS_RANK.get(status, 0)


def order_key(m: MentionRecord) -> tuple[str, int, int, str]:
    """Timeline order: story date, then confirmed before reported, status rank, article id.

    storage/timeline.py sorts with the same columns (``ORDER BY story_published, confirmed,
    rank, article_id``); the two must stay in step.
    """
    return (m.story_published, 0 if m.reported else 1, status_rank(m.status), m.article_id)


def strength(mention: Any) -> tuple[int, int]:
    """How definite one detected mention is: confirmed first, then the status order."""
    return (0 if mention.reported else 1, status_rank(mention.status))


def collapse_mentions(mentions: Iterable[Any]) -> list[Any]:
    """The article's one mention per retailer: the strongest; the first of equals (stable)."""
    best: dict[str, Any] = {}
    for m in mentions:
        current = best.get(m.retailer)
        if current is None or strength(m) > strength(current):
            best[m.retailer] = m
    return [best[r] for r in sorted(best)]


def retailer_state(mentions: Iterable[MentionRecord]) -> RetailerState | None:
    """Fold a retailer's mentions (any order) into its state; None if it has no status yet."""
    ordered = sorted((m for m in mentions if m.status != NO_STATUS), key=order_key)
    if not ordered:
        return None
    latest = ordered[-1]
    since, confirmed = latest, False
    for m in reversed(ordered):
        if m.status != latest.status:
            break
        since, confirmed = m, confirmed or not m.reported
    return RetailerState(latest=latest, since=since, confirmed=confirmed)


def event_key(kind: str, retailer: str, new_status: str, story_id: str) -> str:
    """Deterministic key: the same move told by the same story is one event, however delivered."""
    raw = "\x1f".join((kind, retailer, new_status, story_id)).encode("utf-8")
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def _event(kind: str, m: MentionRecord, old_status: str | None) -> Event:
    return Event(
        key=event_key(kind, m.retailer, m.status, m.story_id),
        kind=kind,
        retailer=m.retailer,
        retailer_name=m.retailer_name or m.retailer,
        old_status=old_status,
        new_status=m.status,
        reported=m.reported,
        sentence=m.sentence,
        article_id=m.article_id,
        url=m.url,
        source=m.source,
        story_id=m.story_id,
        published=m.published,
    )


def derive_event(state: RetailerState | None, m: MentionRecord) -> Event | None:
    """The event a new mention causes, given the retailer's state without its article.

    An older mention (a backfill, a late fetch) enters the timeline and emits nothing.
    """
    if m.status == NO_STATUS:
        return None
    if state is None:
        return _event("new_retailer", m, None)
    if order_key(m) < order_key(state.latest):
        return None
    if m.status != state.status:
        return _event("status_change", m, state.status)
    if not m.reported and not state.confirmed:
        return _event("confirmed", m, state.status)
    return None


def derive_events(
    states: Mapping[str, RetailerState | None], mentions: Sequence[MentionRecord]
) -> list[Event]:
    """Events for one article's mentions (one per retailer), in retailer order."""
    events = []
    for m in sorted(mentions, key=lambda x: x.retailer):
        event = derive_event(states.get(m.retailer), m)
        if event is not None:
            events.append(event)
    return events


@dataclass(frozen=True)
class BoardRow:
    """One line of ``veille status``."""

    retailer: str
    retailer_name: str
    status: str
    reported: bool
    since: str
    sentence: str
    source: str
    url: str
    article_id: str
    story_id: str
    sources: int


def board(
    mentions: Iterable[MentionRecord], story_sources: Mapping[str, int] | None = None
) -> list[BoardRow]:
    """Each retailer's current status, from all stored mentions, sorted by retailer."""
    by_retailer: dict[str, list[MentionRecord]] = {}
    for m in mentions:
        by_retailer.setdefault(m.retailer, []).append(m)
    rows = []
    for retailer in sorted(by_retailer):
        state = retailer_state(by_retailer[retailer])
        if state is None:
            continue
        latest = state.latest
        rows.append(
            BoardRow(
                retailer=retailer,
                retailer_name=latest.retailer_name or retailer,
                status=state.status,
                reported=not state.confirmed,
                since=state.since.story_published,
                sentence=latest.sentence,
                source=latest.source,
                url=latest.url,
                article_id=latest.article_id,
                story_id=latest.story_id,
                sources=(story_sources or {}).get(latest.story_id, 1),
            )
        )
    return rows
