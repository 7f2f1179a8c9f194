"""kill -9 between the send and its record: nothing is lost, the repeat carries the same key.

A child process runs the real ``deliver_pending`` against a real SQLite file and a local webhook,
with ``send_message`` wrapped so that the process SIGKILLs itself right after the first send
returns, before the outbox records it. The guarantee under test (flows/deliver.py): at least
once per (event, channel), in order, and a message sent twice carries the same dedupe key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from demo.receivers import WebhookReceiver
from flows.deliver import deliver_pending
from storage import outbox
from storage.db import open_db, transaction
from tasks.notify import HEADER, PAYLOAD_FIELD, load_channels
from tests.support.events import store_events

REPO = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import flows.deliver as deliver
    from storage.db import open_db
    from tasks.notify import load_channels

    real_send = deliver.send_message

    def send_then_die(channel, message, *, timeout):
        real_send(channel, message, timeout=timeout)
        os.kill(os.getpid(), signal.SIGKILL)  # after the send, before the record

    deliver.send_message = send_then_die
    deliver.deliver_pending(open_db(sys.argv[1]), load_channels(throttle=False), timeout=5)
    """
)


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver() as receiver:
        yield receiver


def run_and_kill(db_path: Path, notify: str) -> int:
    env = {**os.environ, "VEILLE_NOTIFY": notify, "PYTHONPATH": str(REPO)}
    env.pop("VEILLE_NOTIFY_CONFIG", None)
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(db_path)],
        env=env,
        cwd=REPO,
        capture_output=True,
        timeout=60,
    )
    return child.returncode


def test_kill_9_after_sending_an_alert_loses_nothing(tmp_path: Path, hook) -> None:
    notify = f"json://127.0.0.1:{hook.port}/x"
    (channel,) = load_channels({"VEILLE_NOTIFY": notify}, throttle=False)
    db_path = tmp_path / "veille.db"
    db = open_db(db_path)
    with transaction(db):
        keys = store_events(db, 3)
        outbox.enqueue_deliveries(db, keys, [channel])
    db.close()

    assert run_and_kill(db_path, notify) == -signal.SIGKILL
    (first,) = hook.wait_for(1)
    assert first.json[PAYLOAD_FIELD] == keys[0]

    db = open_db(db_path)
    assert outbox.delivery_counts(db)["pending"] == 3  # sent, but never recorded as sent
    (attempt,) = outbox.attempts_for(db)
    assert attempt["ok"] is None and attempt["message_key"] == keys[0]
    assert [r["interrupted"] for r in outbox.outbox_rows(db)] == [1, 0, 0]

    summary = deliver_pending(db, [channel])
    assert summary.sent == 3
    received = hook.wait_for(4)
    assert [r.json[PAYLOAD_FIELD] for r in received] == [keys[0], keys[0], keys[1], keys[2]]
    # The repeat is recognisable: same dedupe key in the payload, the header and the text.
    assert received[1].headers[HEADER.lower()] == received[0].headers[HEADER.lower()] == keys[0]
    assert received[1].json["message"] == received[0].json["message"]
    assert len({r.json[PAYLOAD_FIELD] for r in received}) == 3  # none lost
    assert outbox.delivery_counts(db) == {"pending": 0, "sent": 3, "dead": 0, "suppressed": 0}
    db.close()


@pytest.mark.slow  # a second child process (~6 s, mostly importing Prefect)
def test_kill_9_after_sending_a_digest_resends_the_same_digest(tmp_path: Path, hook) -> None:
    notify = f"json://127.0.0.1:{hook.port}/x"
    (channel,) = load_channels({"VEILLE_NOTIFY": notify}, throttle=False)
    db_path = tmp_path / "veille.db"
    db = open_db(db_path)
    with transaction(db):
        keys = store_events(db, 20)
        outbox.enqueue_deliveries(db, keys, [channel], digest="backfill-1")
    db.close()

    assert run_and_kill(db_path, notify) == -signal.SIGKILL
    (first,) = hook.wait_for(1)

    db = open_db(db_path)
    with transaction(db):  # new alerts arrive before the retry
        more = store_events(db, 2, start=21)
        outbox.enqueue_deliveries(db, more, [channel])
    deliver_pending(db, [channel])
    received = hook.wait_for(4)
    assert received[1].json[PAYLOAD_FIELD] == first.json[PAYLOAD_FIELD]
    assert received[1].json["title"] == first.json["title"] == "[veille] Digest : 20 évolutions"
    assert [r.json[PAYLOAD_FIELD] for r in received[2:]] == more
    assert outbox.delivery_counts(db)["sent"] == 22
    db.close()
