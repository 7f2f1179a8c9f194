"""The deliver step end to end on real parts: SQLite file, apprise, local webhook and SMTP servers.

Runs are simulated with ``now=``: each call of ``deliver_pending`` is one scheduled run, and the
backoff's ``next_attempt_at`` decides which run retries what. Only one test goes through the
Prefect flow (a session harness); the rest call the plain function the flow calls.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from demo.receivers import SilentServer, SmtpReceiver, WebhookReceiver
from flows import notify_cli
from flows.cli import app
from flows.deliver import deliver_flow, deliver_pending
from storage import outbox
from storage.db import open_db, transaction
from tasks.notify import PAYLOAD_FIELD, Channel, load_channels
from tests.support.events import store_events

T0 = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path):
    database = open_db(tmp_path / "veille.db")
    yield database
    database.close()


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def other() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with SmtpReceiver() as receiver:
        yield receiver


def channels_for(text: str) -> list[Channel]:
    return load_channels({"VEILLE_NOTIFY": text}, throttle=False)


def enqueue(db, count: int, channels: list[Channel], *, start: int = 1, **kw) -> list[str]:
    """Events and their deliveries in one transaction, as the poll flow writes them."""
    with transaction(db):
        keys = store_events(db, count, start=start)
        outbox.enqueue_deliveries(db, keys, channels, **kw)
    return keys


def keys_of(received) -> list[str]:
    return [r.json[PAYLOAD_FIELD] for r in received]


def test_a_receiver_down_for_three_runs_gets_each_alert_once_in_order(db, hook, other) -> None:
    down = channels_for(f"json://127.0.0.1:{hook.port}/down")[0]
    up = channels_for(f"json://127.0.0.1:{other.port}/up")[0]
    channels = [down, up]
    keys = enqueue(db, 3, channels)
    hook.set_down()

    first = deliver_pending(db, channels, now=T0)
    # The other channel got every alert in the first run, in order.
    assert keys_of(other.wait_for(3)) == keys
    assert (first.sent, first.failed, first.dead) == (3, 1, 0)

    # A run before the backoff is over does not touch the waiting channel.
    attempts = hook.attempts
    deliver_pending(db, channels, now=T0 + timedelta(seconds=30))
    assert hook.attempts == attempts

    runs = [T0 + timedelta(seconds=60), T0 + timedelta(seconds=180)]
    for number, now in enumerate(runs, start=2):
        if number == 3:
            enqueue(db, 1, channels, start=4)  # a new alert while the channel is down
            keys.append("evt-0004")
        summary = deliver_pending(db, channels, now=now)
        assert summary.failed == 1
    assert len(hook.requests) == 0
    assert keys_of(other.wait_for(4)) == keys  # the new one went out at once on the other

    head = db["deliveries"].get((keys[0], down.label))
    assert head["attempts"] == 3
    assert head["next_attempt_at"] == (T0 + timedelta(seconds=420)).isoformat()
    assert "503" in head["last_error"] or "Unavailable" in head["last_error"]

    hook.set_down(False)
    summary = deliver_pending(db, channels, now=T0 + timedelta(seconds=420))
    assert summary.sent == 4
    assert keys_of(hook.wait_for(4)) == keys  # once each, in order

    deliver_pending(db, channels, now=T0 + timedelta(hours=1))
    assert len(hook.requests) == 4 and len(other.requests) == 4
    attempts = outbox.attempts_for(db, channel=down.label)
    assert [a["ok"] for a in attempts] == [0, 0, 0, 1, 1, 1, 1]
    assert all(a["duration_ms"] is not None for a in attempts)
    assert outbox.delivery_counts(db)["sent"] == 8


def test_a_row_is_dead_after_max_attempts_and_the_queue_moves_on(db, hook) -> None:
    channels = channels_for(f"json://127.0.0.1:{hook.port}/x")
    keys = enqueue(db, 2, channels)
    hook.set_down()
    now = T0
    for _ in range(3):
        summary = deliver_pending(db, channels, now=now, max_attempts=3, base_delay=1)
        now += timedelta(hours=1)
    assert summary.dead == 1
    rows = notify_cli.outbox.outbox_rows(db)
    assert [(r["event_key"], r["status"]) for r in rows] == [
        (keys[0], "dead"),
        (keys[1], "pending"),
    ]

    hook.set_down(False)
    deliver_pending(db, channels, now=now, max_attempts=3, base_delay=1)
    assert keys_of(hook.wait_for(1)) == [keys[1]]


def test_dead_deliveries_requeued_from_the_cli_go_out_once(tmp_path, hook, monkeypatch) -> None:
    """Down until its rows die, the channel comes back: `veille outbox requeue`, then deliver."""
    db_path = tmp_path / "veille.db"
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[settings]\ndatabase = "{db_path.as_posix()}"\n\n'
        "[settings.notify]\nmax_attempts = 2\nbase_delay = 0\n",  # dead at the 2nd failure
        encoding="utf-8",
    )
    monkeypatch.setenv("VEILLE_NOTIFY", f"json://127.0.0.1:{hook.port}/x")
    monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
    monkeypatch.delenv("VEILLE_DB", raising=False)
    (channel,) = load_channels(throttle=False)
    database = open_db(db_path)
    keys = enqueue(database, 2, [channel])
    runner = CliRunner()

    def veille(*args: str) -> str:
        result = runner.invoke(app, [*args, "--config", str(config)])
        assert result.exit_code == 0, result.output
        return result.output

    hook.set_down()
    for _ in range(4):  # one failure a run (the queue stops there): two for each row
        veille("deliver")
    assert hook.attempts == 4 and not hook.requests
    assert outbox.delivery_counts(database)["dead"] == 2
    assert '"dead": 2' in veille("outbox", "--json")  # the group still lists by default

    hook.set_down(False)
    out = veille("outbox", "requeue", "--channel", channel.label, "--event", keys[0])
    assert (
        out.strip() == "1 dead delivery requeued (attempts reset); `veille deliver` sends them now"
    )
    row = database["deliveries"].get((keys[0], channel.label))
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == ("pending", 0, None)

    assert veille("deliver").startswith("1 sent")
    assert keys_of(hook.wait_for(1)) == [keys[0]]
    assert veille("deliver").startswith("0 sent")
    assert keys_of(hook.requests) == [keys[0]]  # exactly once; the other row is still dead
    counts = outbox.delivery_counts(database)
    assert (counts["sent"], counts["dead"], counts["pending"]) == (1, 1, 0)
    assert veille("outbox", "requeue").startswith("1 dead delivery requeued")
    assert veille("outbox", "requeue").startswith("0 dead deliveries requeued")
    database.close()


def test_a_backfill_of_200_events_is_one_digest_per_channel(db, hook, smtp) -> None:
    email = smtp.apprise_url()
    channels = channels_for(
        f"json://127.0.0.1:{hook.port}/generic mmost://127.0.0.1:{hook.port}/tok email={email}"
    )
    enqueue(db, 200, channels, digest="backfill-2024-05")

    summary = deliver_pending(db, channels, now=T0)
    assert (summary.sent, summary.messages, summary.digests) == (600, 3, 3)
    generic = hook.wait_for(1, path="/generic")
    chat = hook.wait_for(1, path="/hooks/tok")
    (mail,) = smtp.wait_for(1)
    assert len(hook.requests) == 2 and len(smtp.messages) == 1
    assert generic[0].json["title"] == "[veille] Digest : 200 évolutions"
    assert generic[0].json[PAYLOAD_FIELD].startswith("dg-")
    assert mail.subject == "[veille] Digest : 200 évolutions"
    text, html = mail.text or "", mail.html or ""
    assert text.count("https://www.example.fr/articles/") == 200
    assert html.count("<h3>") == 5  # five retailers
    assert len(chat[0].json["text"]) < 4000

    deliver_pending(db, channels, now=T0 + timedelta(hours=1))
    assert len(hook.requests) == 2 and len(smtp.messages) == 1


def test_a_burst_above_the_threshold_is_a_digest_below_it_one_message_each(db, hook) -> None:
    channels = channels_for(f"json://127.0.0.1:{hook.port}/x")
    enqueue(db, 5, channels)
    assert deliver_pending(db, channels, now=T0, digest_threshold=10).messages == 5
    enqueue(db, 11, channels, start=6)
    summary = deliver_pending(db, channels, now=T0, digest_threshold=10)
    assert (summary.messages, summary.digests, summary.sent) == (1, 1, 11)
    assert hook.wait_for(6)[-1].json["title"] == "[veille] Digest : 11 évolutions"


def test_a_channel_tagged_digest_gets_one_digest_per_run(db, hook) -> None:
    channels = channels_for(
        f"json://127.0.0.1:{hook.port}/each digest=json://127.0.0.1:{hook.port}/digest"
    )
    enqueue(db, 3, channels)
    deliver_pending(db, channels, now=T0)
    assert len(hook.wait_for(3, path="/each")) == 3
    (digest,) = hook.wait_for(1, path="/digest")
    assert digest.json["title"] == "[veille] Digest : 3 évolutions"


def test_a_failed_digest_is_retried_with_the_same_key_and_events(db, hook) -> None:
    channels = channels_for(f"json://127.0.0.1:{hook.port}/x")
    enqueue(db, 20, channels, digest="backfill-1")
    hook.set_down()
    deliver_pending(db, channels, now=T0)
    enqueue(db, 2, channels, start=21)  # new alerts queue up behind the digest
    hook.set_down(False)
    deliver_pending(db, channels, now=T0 + timedelta(minutes=5))
    received = hook.wait_for(3)
    (failed,) = outbox.attempts_for(db, channel=channels[0].label)[:1]
    assert received[0].json[PAYLOAD_FIELD] == failed["message_key"]
    assert received[0].json["title"] == "[veille] Digest : 20 évolutions"
    assert keys_of(received[1:]) == ["evt-0021", "evt-0022"]


def test_a_channel_that_never_answers_does_not_delay_the_others(db, hook, smtp) -> None:
    with SilentServer() as silent:
        channels = channels_for(
            f"json://127.0.0.1:{silent.port}/x json://127.0.0.1:{hook.port}/ok "
            f"email={smtp.apprise_url()}"
        )
        enqueue(db, 2, channels)
        started = time.monotonic()
        summary = deliver_pending(db, channels, now=T0, timeout=1.0)
        elapsed = time.monotonic() - started
    assert (summary.sent, summary.failed) == (4, 1)
    assert 0.9 <= elapsed < 3.5
    # Delivered before the silent one gave up.
    assert hook.wait_for(2)[-1].received_at - started < 0.9
    assert smtp.messages[-1].received_at - started < 0.9
    (attempt,) = outbox.attempts_for(db, channel=channels[0].label)
    assert attempt["ok"] == 0 and 900 <= attempt["duration_ms"] < 3500
    assert attempt["error"].startswith(channels[0].label + ": ")


def test_no_secret_reaches_the_database_logs_or_output(
    db, tmp_path, hook, other, monkeypatch, capsys, caplog
) -> None:
    secrets = ("S3cretPassw0rdXYZ", "TokenQ9w8e7r6t5y4")
    text = (
        f"json://alice:{secrets[0]}@127.0.0.1:{hook.port}/ok "
        f"slack=mmost://127.0.0.1:{other.port}/{secrets[1]}"
    )
    monkeypatch.setenv("VEILLE_NOTIFY", text)
    monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
    caplog.set_level(logging.DEBUG)
    channels = load_channels(throttle=False)
    enqueue(db, 3, channels)
    other.fail_next(1)  # one failure, so an error is recorded too
    deliver_pending(db, channels, now=T0)
    deliver_pending(db, channels, now=T0 + timedelta(minutes=2))
    shown = ""
    for args in (["--json", "--all"], ["--all"]):
        result = CliRunner().invoke(app, ["outbox", "--db", str(tmp_path / "veille.db"), *args])
        assert result.exit_code == 0, result.output
        shown += result.output
    assert "mmost-" in shown
    notify_cli.deliver_command(db=tmp_path / "veille.db", config=None, json_out=False, timeout=5)
    with contextlib.suppress(BaseException):
        notify_cli.test_notify_command(timeout=5, json_out=False)
    assert len(other.requests) == 4  # 3 alerts (one retried) + the test message
    db.close()

    captured = capsys.readouterr()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("veille.db*"))
    with contextlib.closing(sqlite3.connect(tmp_path / "veille.db")) as raw:
        dump = "\n".join(raw.iterdump())
    assert "mmost-" in dump and ("Service Unavailable" in dump or "503" in dump)
    for secret in secrets:
        assert secret.encode() not in stored
        assert secret not in dump
        assert secret not in caplog.text
        assert secret not in captured.out + captured.err + shown


def test_the_deliver_flow_runs_one_task_per_channel(
    prefect_harness, tmp_path, hook, smtp, monkeypatch
) -> None:
    import prefect.settings
    from prefect.client.orchestration import get_client

    secret = "FlowSecretPw1234"
    monkeypatch.setenv(
        "VEILLE_NOTIFY", f"json://u:{secret}@127.0.0.1:{hook.port}/x email={smtp.apprise_url()}"
    )
    monkeypatch.delenv("VEILLE_NOTIFY_CONFIG", raising=False)
    db = open_db(tmp_path / "veille.db")
    enqueue(db, 3, load_channels())
    db.close()

    state = deliver_flow(
        db_path=str(tmp_path / "veille.db"), timeout=5, throttle=False, return_state=True
    )
    result = state.result()
    assert result["sent"] == 6 and result["messages"] == 6
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs()
    names = [r.name for r in runs if r.flow_run_id == state.state_details.flow_run_id]
    assert sorted(names) == sorted(f"send-{c.label}" for c in load_channels())
    assert keys_of(hook.wait_for(3)) == ["evt-0001", "evt-0002", "evt-0003"]
    assert len(smtp.wait_for(3)) == 3

    # The channel (and its URL) is a task parameter: Prefect must not have stored it.
    url = prefect.settings.PREFECT_SERVER_DATABASE_CONNECTION_URL.value()
    prefect_db = Path(url.split("///", 1)[1]) if url and "sqlite" in url else None
    if prefect_db and prefect_db.exists():
        stored = b"".join(p.read_bytes() for p in prefect_db.parent.glob(prefect_db.name + "*"))
        assert secret.encode() not in stored
