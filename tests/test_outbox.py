"""The outbox's queries on a real SQLite database: enqueue, due, attempts, backoff, dead."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from storage import outbox
from storage.db import open_db, transaction
from tests.support.events import store_events

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db():
    database = open_db(":memory:")
    yield database
    database.close()


def _fail(db, channel: str, keys: list[str], now: datetime, max_attempts: int = 8) -> int:
    attempt = outbox.begin_attempt(db, channel, keys[0], keys, digest=False, now=now)
    return outbox.record_attempt(
        db,
        attempt,
        channel,
        keys,
        ok=False,
        error="503\nService Unavailable",
        duration=0.01,
        now=now,
        max_attempts=max_attempts,
        base_delay=60.0,
    )


def test_migration_creates_the_outbox_tables(db) -> None:
    assert {"deliveries", "delivery_attempts", "channels"} <= set(db.table_names())
    columns = set(db["deliveries"].columns_dict)
    assert {
        "event_key",
        "channel",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_error",
        "sent_at",
        "digest",
    } <= columns
    assert db["deliveries"].pks == ["event_key", "channel"]


def test_enqueue_is_idempotent_and_atomic_with_the_events(db) -> None:
    with transaction(db):
        keys = store_events(db, 3)
        assert outbox.enqueue_deliveries(db, keys, ["json-a", "mmost-b"]) == 6
    assert outbox.enqueue_deliveries(db, keys, ["json-a", "mmost-b"]) == 0
    assert db["deliveries"].count == 6

    # A crash before COMMIT loses the event and its deliveries together, never one of them.
    with pytest.raises(RuntimeError), transaction(db):
        more = store_events(db, 1, start=4)
        outbox.enqueue_deliveries(db, more, ["json-a"])
        raise RuntimeError("crash")
    assert db["events"].count == 3
    assert db["deliveries"].count == 6


def test_due_rows_are_in_seq_order_with_the_story_outlet_count(db) -> None:
    keys = store_events(db, 3)
    db["articles"].insert_all(
        [
            {"id": "a1", "story_id": "story-2", "site": "lsa"},
            {"id": "a2", "story_id": "story-2", "site": "lemonde"},
            {"id": "a3", "story_id": "story-2", "site": "lemonde"},
            {"id": "a4", "story_id": "story-2", "site": "bfm"},
        ]
    )
    outbox.enqueue_deliveries(db, list(reversed(keys)), ["json-a"])
    rows = outbox.due_deliveries(db, T0)
    assert [r["seq"] for r in rows] == [1, 2, 3]
    assert [r["also_reported"] for r in rows] == [0, 2, 0]
    assert rows[0]["key"] == rows[0]["event_key"] == keys[0]


def test_a_channel_waiting_for_its_backoff_holds_its_whole_queue(db) -> None:
    keys = store_events(db, 3)
    outbox.enqueue_deliveries(db, keys, ["json-a", "mmost-b"])
    _fail(db, "json-a", keys[:1], T0)

    row = db["deliveries"].get((keys[0], "json-a"))
    assert row["attempts"] == 1
    assert row["status"] == "pending"
    assert row["last_error"] == "503 Service Unavailable"  # one line
    assert row["next_attempt_at"] == (T0 + timedelta(seconds=60)).isoformat()

    due = outbox.due_deliveries(db, T0 + timedelta(seconds=30))
    assert {r["channel"] for r in due} == {"mmost-b"}  # nothing of json-a jumps the queue
    due = outbox.due_deliveries(db, T0 + timedelta(seconds=60))
    assert [(r["channel"], r["seq"]) for r in due if r["channel"] == "json-a"] == [
        ("json-a", 1),
        ("json-a", 2),
        ("json-a", 3),
    ]


def test_backoff_doubles_then_the_row_is_dead(db) -> None:
    keys = store_events(db, 2)
    outbox.enqueue_deliveries(db, keys, ["json-a"])
    now, nexts = T0, []
    for _ in range(3):
        dead = _fail(db, "json-a", keys[:1], now, max_attempts=4)
        assert dead == 0
        nexts.append(db["deliveries"].get((keys[0], "json-a"))["next_attempt_at"])
        now = datetime.fromisoformat(nexts[-1])
    gaps = [
        (datetime.fromisoformat(b) - datetime.fromisoformat(a)).total_seconds()
        for a, b in zip([T0.isoformat(), *nexts], nexts, strict=False)
    ]
    assert gaps == [60, 120, 240]
    assert _fail(db, "json-a", keys[:1], now, max_attempts=4) == 1
    row = db["deliveries"].get((keys[0], "json-a"))
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("dead", 4, None)
    # The dead head no longer holds the queue; dead rows come first in the outbox display.
    assert [r["seq"] for r in outbox.due_deliveries(db, now)] == [2]
    assert [r["status"] for r in outbox.outbox_rows(db)] == ["dead", "pending"]
    assert outbox.backoff_delay(30, 60.0) == outbox.MAX_BACKOFF
    assert outbox.requeue_dead(db) == 1
    assert db["deliveries"].get((keys[0], "json-a"))["attempts"] == 0


def test_a_recorded_success_marks_sent_and_an_open_attempt_shows_as_interrupted(db) -> None:
    keys = store_events(db, 2)
    outbox.enqueue_deliveries(db, keys, ["json-a"])
    ok = outbox.begin_attempt(db, "json-a", keys[0], keys[:1], digest=False, now=T0)
    outbox.record_attempt(
        db,
        ok,
        "json-a",
        keys[:1],
        ok=True,
        error=None,
        duration=0.2,
        now=T0,
        max_attempts=8,
        base_delay=60,
    )
    outbox.begin_attempt(db, "json-a", keys[1], keys[1:], digest=False, now=T0)  # never closed

    sent = db["deliveries"].get((keys[0], "json-a"))
    assert (sent["status"], sent["sent_at"]) == ("sent", T0.isoformat())
    rows = outbox.outbox_rows(db)
    assert [(r["event_key"], r["status"], r["interrupted"]) for r in rows] == [
        (keys[1], "pending", 1)
    ]
    attempts = outbox.attempts_for(db, channel="json-a")
    assert [(a["ok"], a["duration_ms"]) for a in attempts] == [(1, 200), (None, None)]
    assert outbox.delivery_counts(db) == {"pending": 1, "sent": 1, "dead": 0, "suppressed": 0}


def test_a_digest_is_pinned_at_its_first_attempt(db) -> None:
    keys = store_events(db, 3)
    outbox.enqueue_deliveries(db, keys, ["json-a"], digest="backfill-1")
    key = outbox.digest_id("json-a", keys)
    assert key == outbox.digest_id("json-a", list(reversed(keys)))
    assert key != outbox.digest_id("mmost-b", keys)
    outbox.begin_attempt(db, "json-a", key, keys, digest=True, pin=True, now=T0)
    assert {r["digest"] for r in db["deliveries"].rows} == {key}
    attempt = outbox.attempts_for(db, message_key=key)[0]
    assert json.loads(attempt["event_keys"]) == keys
    assert attempt["digest"] == 1


def test_suppressed_rows_are_never_due(db) -> None:
    keys = store_events(db, 3)
    outbox.enqueue_deliveries(db, keys, ["json-a", "mmost-b"])
    assert outbox.suppress_deliveries(db, event_keys=keys[:2], channel="json-a") == 2
    assert outbox.suppress_deliveries(db, channel="mmost-b") == 3
    assert [(r["channel"], r["seq"]) for r in outbox.due_deliveries(db, T0)] == [("json-a", 3)]
    assert outbox.pending_channels(db) == ["json-a"]


def test_requeue_dead_takes_all_one_channel_or_one_event(db) -> None:
    keys = store_events(db, 2)
    outbox.enqueue_deliveries(db, keys, ["json-a", "mmost-b"])
    outbox.suppress_deliveries(db, event_keys=keys[1:], channel="mmost-b")  # stays suppressed
    for channel in ("json-a", "mmost-b"):
        for key in keys:
            _fail(db, channel, [key], T0, max_attempts=1)
    assert outbox.delivery_counts(db)["dead"] == 3

    assert outbox.requeue_dead(db, channel="json-a", event_key=keys[1]) == 1
    assert outbox.requeue_dead(db, event_key=keys[1]) == 0  # mmost-b's is suppressed, not dead
    assert outbox.requeue_dead(db, channel="json-a") == 1
    row = db["deliveries"].get((keys[0], "json-a"))
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 0, None)
    assert row["last_error"] == "503 Service Unavailable"  # why it died, until the next attempt
    assert outbox.requeue_dead(db) == 1  # the last one: mmost-b's first event
    assert outbox.delivery_counts(db) == {"pending": 3, "sent": 0, "dead": 0, "suppressed": 1}
