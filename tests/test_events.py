"""The pure status machine: one status per article, the retailer's state, and the events."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tasks.events import (
    STATUS_ORDER,
    MentionRecord,
    board,
    collapse_mentions,
    derive_event,
    event_key,
    order_key,
    retailer_state,
)


@dataclass(frozen=True)
class Mention:
    """Shaped like tasks.detect.Mention; built by hand so these tests don't need the detector."""

    retailer: str
    status: str
    reported: bool
    sentence: str = "…"
    discovered: bool = False


def rec(
    retailer: str = "leclerc",
    status: str = "approached",
    *,
    reported: bool = False,
    day: int = 1,
    article: str | None = None,
    story: str | None = None,
    story_day: int | None = None,
) -> MentionRecord:
    article = article or f"a{day:02d}{status}"
    date = f"2017-10-{day:02d}T08:00:00+00:00"
    story_date = f"2017-10-{(story_day or day):02d}T08:00:00+00:00"
    return MentionRecord(
        retailer=retailer,
        status=status,
        reported=reported,
        sentence=f"{retailer} {status}",
        article_id=article,
        published=date,
        story_id=story or article,
        story_published=story_date,
    )


def test_the_article_keeps_its_most_definite_mention_confirmed_first() -> None:
    mentions = [
        Mention("leclerc", "approached", False),  # « nous sommes approchés »
        Mention("leclerc", "partnership", True),  # « pourrait devenir notre logisticien »
        Mention("casino", "approached", True),
        Mention("casino", "declined", False),  # « n'a pas l'intention de vendre »
        Mention("carrefour", "rumored", True),
        Mention("carrefour", "acquired", True),
    ]
    best = {m.retailer: (m.status, m.reported) for m in collapse_mentions(mentions)}
    assert best == {
        "leclerc": ("approached", False),
        "casino": ("declined", False),
        "carrefour": ("acquired", True),
    }


def test_status_order_is_documented_and_complete() -> None:
    assert STATUS_ORDER[0] == "rumored" and STATUS_ORDER[-1] == "acquired"
    assert len(set(STATUS_ORDER)) == 8


def test_first_mention_is_a_new_retailer() -> None:
    event = derive_event(None, rec(status="approached", reported=True))
    assert event is not None
    assert (event.kind, event.old_status, event.new_status, event.reported) == (
        "new_retailer",
        None,
        "approached",
        True,
    )


def test_a_none_status_never_makes_an_event() -> None:
    assert derive_event(None, rec(status="none")) is None
    assert retailer_state([rec(status="none")]) is None


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (("approached", True), ("approached", False), "confirmed"),
        (("approached", False), ("approached", False), None),
        (("approached", False), ("approached", True), None),  # a rumour repeating a fact
        (("approached", True), ("approached", True), None),
        (("approached", False), ("declined", False), "status_change"),
        (("rumored", True), ("acquired", True), "status_change"),
        (("declined", False), ("partnership", False), "status_change"),
    ],
)
def test_events_of_a_later_mention(before, after, kind) -> None:
    state = retailer_state([rec(status=before[0], reported=before[1], day=1)])
    event = derive_event(state, rec(status=after[0], reported=after[1], day=2))
    assert (event.kind if event else None) == kind
    if kind == "status_change":
        assert event is not None and event.old_status == before[0]


def test_an_older_mention_enters_the_timeline_and_emits_nothing() -> None:
    state = retailer_state([rec(status="partnership", day=20)])
    assert derive_event(state, rec(status="approached", day=3)) is None


def test_a_reprint_dated_later_sits_at_its_story_date() -> None:
    # The partnership story (day 10) is newer than the approach story (day 3), whose reprint
    # appears on day 15: it restates day 3, so the status stays "partnership".
    state = retailer_state(
        [rec(status="approached", day=3, story="s1"), rec(status="partnership", day=10)]
    )
    reprint = rec(status="approached", day=15, story="s1", story_day=3, article="reprint")
    assert derive_event(state, reprint) is None


def test_a_confirmed_run_is_not_confirmed_twice() -> None:
    state = retailer_state(
        [
            rec(status="declined", reported=False, day=1),
            rec(status="declined", reported=True, day=2),
        ]
    )
    assert state is not None and state.confirmed and state.since.published.startswith("2017-10-01")
    assert derive_event(state, rec(status="declined", reported=False, day=3)) is None


def test_event_keys_are_deterministic_and_per_story() -> None:
    a = event_key("status_change", "leclerc", "partnership", "s1")
    assert a == event_key("status_change", "leclerc", "partnership", "s1")
    assert a != event_key("status_change", "leclerc", "partnership", "s2")
    assert a != event_key("confirmed", "leclerc", "partnership", "s1")
    first = derive_event(None, rec(day=1, article="x", story="s"))
    again = derive_event(None, rec(day=5, article="y", story="s"))
    assert first is not None and again is not None and first.key == again.key


def test_ties_on_the_date_break_on_confirmation_then_status_then_article() -> None:
    a = rec(status="approached", reported=True, day=4, article="b")
    b = rec(status="approached", reported=False, day=4, article="a")
    c = rec(status="declined", reported=False, day=4, article="0")
    assert sorted([c, a, b], key=order_key) == [a, b, c]


def test_board_shows_status_since_and_confirmation() -> None:
    rows = board(
        [
            rec("casino", "approached", reported=True, day=2),
            rec("casino", "declined", day=3),
            rec("casino", "declined", reported=True, day=5),
            rec("leclerc", "approached", reported=True, day=4),
            rec("leclerc", "none", day=9),
        ],
        {"a03declined": 4},
    )
    assert [(r.retailer, r.status, r.reported, r.since[:10]) for r in rows] == [
        ("casino", "declined", False, "2017-10-03"),
        ("leclerc", "approached", True, "2017-10-04"),
    ]
    assert rows[0].sources == 1  # the latest mention's story (day 5) has one source


MENTIONS = [
    rec("leclerc", "approached", day=4),
    rec("leclerc", "partnership", reported=True, day=9),
    rec("leclerc", "partnership", day=12),
    rec("casino", "approached", reported=True, day=3),
    rec("casino", "declined", day=3, article="z"),
    rec("systeme-u", "declined", day=3),
    rec("carrefour", "rumored", reported=True, day=1),
    rec("carrefour", "denied", day=6),
]


@settings(max_examples=200, deadline=None)
@given(st.permutations(MENTIONS))
def test_any_arrival_order_gives_the_same_board(order: list[MentionRecord]) -> None:
    assert board(order) == board(MENTIONS)


@settings(max_examples=200, deadline=None)
@given(st.permutations(MENTIONS))
def test_replaying_in_any_order_emits_nothing_for_late_older_mentions(order) -> None:
    seen: list[MentionRecord] = []
    for m in order:
        mine = [x for x in seen if x.retailer == m.retailer]
        event = derive_event(retailer_state(mine), m)
        if mine and order_key(m) < max(order_key(x) for x in mine):
            assert event is None
        seen.append(m)
    assert board(seen) == board(MENTIONS)


def test_publication_order_replay_gives_the_story() -> None:
    ordered = sorted(MENTIONS, key=order_key)
    seen: list[MentionRecord] = []
    kinds = []
    for m in ordered:
        event = derive_event(retailer_state([x for x in seen if x.retailer == m.retailer]), m)
        if event:
            kinds.append((event.retailer, event.kind, event.new_status))
        seen.append(m)
    assert kinds == [
        ("carrefour", "new_retailer", "rumored"),
        ("casino", "new_retailer", "approached"),
        ("systeme-u", "new_retailer", "declined"),  # same day: article id "a03…" < "z"
        ("casino", "status_change", "declined"),
        ("leclerc", "new_retailer", "approached"),
        ("carrefour", "status_change", "denied"),
        ("leclerc", "status_change", "partnership"),
        ("leclerc", "confirmed", "partnership"),
    ]
