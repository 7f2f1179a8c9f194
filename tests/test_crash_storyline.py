"""kill -9 while recording articles: the events afterwards equal those of an uninterrupted run.

A subprocess (this file run as a script) records a fixed sequence of articles, one transaction
each (article row + story + mentions + events), the way the poll flow does, skipping articles
already stored. The test kills it with SIGKILL at random points, many times, then lets a last run
finish. Detection is faked (hand-built, deterministic), so only the storage path is under test.
The poll-flow version of this test comes with the flow.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
STATUSES = ["rumored", "approached", "in_talks", "declined", "denied", "partnership", "acquired"]
RETAILERS = ["leclerc", "carrefour", "casino", "intermarche", "systeme-u", "auchan"]


@dataclass(frozen=True)
class _Mention:
    retailer: str
    status: str
    reported: bool
    sentence: str
    discovered: bool = False


@dataclass(frozen=True)
class _Detection:
    relevant: bool
    mentions: list


def articles() -> list[dict]:
    """A fixed sequence: stories, their reprints, out-of-order dates, several retailers each."""
    sys.path.insert(0, str(REPO / "bench"))
    from dedupe_variants import corpus

    bases, reprints, distinct = corpus(8, seed=77)
    stories = bases + reprints[::3] + distinct
    rng = random.Random(99)
    rng.shuffle(stories)
    out = []
    for i, s in enumerate(stories):
        picks = rng.sample(RETAILERS, rng.randint(1, 3))
        mentions = [
            _Mention(r, rng.choice(STATUSES), rng.random() < 0.4, f"{s.ident} {r}") for r in picks
        ]
        day = rng.randint(1, 28)
        out.append(
            {
                "id": f"art{i:03d}",
                "title": s.title,
                "text": s.text,
                "published": f"2017-10-{day:02d}T{rng.randint(0, 23):02d}:00:00+00:00",
                "detection": _Detection(True, mentions),
            }
        )
    return out


def drive(path: str, pause_ms: float, seed: int) -> None:
    """Record every article not yet stored; pause inside transactions so kills land there."""
    sys.path.insert(0, str(REPO))
    from storage.db import open_db, transaction
    from tasks.storyline import record_story_and_events

    db = open_db(path)
    rng = random.Random(seed)
    todo = articles()
    print("ready", flush=True)
    for a in todo:
        with transaction(db):
            if db["articles"].count_where("id = ?", [a["id"]]):
                continue  # committed by an earlier run, as the poll flow's insert would tell
            db["articles"].insert({k: a[k] for k in ("id", "title", "text", "published")})
            time.sleep(rng.random() * pause_ms / 1000)
            record_story_and_events(
                db, article_id=a["id"], title=a["title"], text=a["text"],
                published=a["published"], published_is_fetch_date=False,
                url=f"https://example.org/{a['id']}", source="example.org",
                detection=a["detection"],
            )  # fmt: skip
            time.sleep(rng.random() * pause_ms / 1000)
        print("ok", a["id"], flush=True)
    print("done", flush=True)


def _run(path: Path, *, pause_ms: float, seed: int, kill_after: float | None) -> bool:
    """One driver run; SIGKILL it ``kill_after`` seconds after it is ready. True if it finished."""
    proc = subprocess.Popen(
        [sys.executable, __file__, str(path), str(pause_ms), str(seed)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    if kill_after is None:
        out = proc.stdout.read()
        assert proc.wait(timeout=120) == 0
        return out.rstrip().endswith("done")
    time.sleep(kill_after)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    return False


def _events(path: Path) -> tuple[list[tuple], list[int], str]:
    sys.path.insert(0, str(REPO))
    from storage import timeline as tl
    from storage.db import open_db

    db = open_db(path)
    rows = [
        (
            e.key,
            e.kind,
            e.retailer,
            e.old_status,
            e.new_status,
            e.reported,
            e.story_id,
            e.article_id,
        )
        for e in tl.events(db)
    ]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    seqs = tl.event_seqs(db)
    db.conn.close()
    return rows, seqs, integrity


@pytest.mark.soak
def test_kill_9_at_random_points_loses_and_duplicates_no_event(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    assert _run(reference, pause_ms=0, seed=0, kill_after=None)
    expected, expected_seqs, _ = _events(reference)
    assert len(expected) >= 10 and expected_seqs == list(range(1, len(expected) + 1))

    rng = random.Random(2024)
    deadline = time.monotonic() + 300
    kills = 0
    for trial in range(10):
        path = tmp_path / f"crash{trial}.db"
        for _ in range(6):
            _run(path, pause_ms=6, seed=rng.randrange(10**6), kill_after=rng.uniform(0, 0.35))
            kills += 1
        assert _run(path, pause_ms=0, seed=trial, kill_after=None)
        got, seqs, integrity = _events(path)
        assert integrity == "ok"
        assert got == expected, f"trial {trial}"  # same events, same order
        assert seqs == list(range(1, len(got) + 1))  # no gap, no duplicate
        assert len({row[0] for row in got}) == len(got)
        assert time.monotonic() < deadline, f"soak took too long after {kills} kills"
    assert kills >= 50


if __name__ == "__main__":
    drive(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))
