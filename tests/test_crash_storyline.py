"""kill -9 while recording articles: the events afterwards equal those of an uninterrupted run.

A driver subprocess (this file run as a script) records a fixed sequence of articles, one
transaction each (article row + story + mentions + events), the way the poll flow does, skipping
articles already stored. To make many crashes affordable, the driver imports everything once and
forks one child per run (a fork server): the child opens the database and records; the driver
SIGKILLs it after a random delay (its own unreaped child, so the pid cannot be reused), then a
last run finishes the sequence. Detection is faked (hand-built, deterministic), so only the
storage path is under test. The poll-flow version of this test comes with the flow.
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


def drive(path: str, pause_ms: float, seed: int, todo: list[dict]) -> None:
    """Record every article not yet stored; pause inside transactions so kills land there."""
    from storage.db import open_db, transaction
    from tasks.storyline import record_story_and_events

    db = open_db(path)
    rng = random.Random(seed)
    for a in todo:
        with transaction(db):
            if db["articles"].count_where("id = ?", [a["id"]]):
                continue  # committed by an earlier run, as the poll flow's insert would tell
            db["articles"].insert({k: a[k] for k in ("id", "title", "text", "published")})
            time.sleep(rng.random() * pause_ms / 1000)
            record_story_and_events(
                db,
                article_id=a["id"],
                title=a["title"],
                text=a["text"],
                published=a["published"],
                published_is_fetch_date=False,
                url=f"https://example.org/{a['id']}",
                source="example.org",
                detection=a["detection"],
            )
            time.sleep(rng.random() * pause_ms / 1000)


def serve() -> None:
    """The fork server: one line in ("PATH PAUSE_MS SEED KILL_AFTER_S"), one line out."""
    sys.path.insert(0, str(REPO))
    import storage.db
    import tasks.storyline
    from tasks import dedupe

    dedupe.signature("warm up: import datasketch before forking")
    todo = articles()
    print("ready", flush=True)
    for line in sys.stdin:
        path, pause_ms, seed, kill_after = line.split()
        pid = os.fork()
        if pid == 0:  # the child: record, then leave without any cleanup
            code = 0
            try:
                drive(path, float(pause_ms), int(seed), todo)
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            os._exit(code)
        killed, status = False, None
        if float(kill_after) >= 0:
            time.sleep(float(kill_after))
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == 0:  # still running: crash it
                os.kill(pid, signal.SIGKILL)
                killed, status = True, None
        if status is None:
            _, status = os.waitpid(pid, 0)
        print("killed" if killed else f"exit {os.waitstatus_to_exitcode(status)}", flush=True)
    del storage.db, tasks.storyline


class Driver:
    """The fork-server subprocess, seen from the test."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert self._read() == "ready"

    def _read(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline().strip()

    def run(self, path: Path, *, pause_ms: float, seed: int, kill_after: float = -1) -> str:
        """One run: "killed", or "exit CODE" when it ended on its own."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{path} {pause_ms} {seed} {kill_after}\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def _events(path: Path) -> tuple[list[tuple], list[int], str, int]:
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
    stored = db["articles"].count
    db.conn.close()
    return rows, seqs, integrity, stored


@pytest.mark.soak
def test_kill_9_at_random_points_loses_and_duplicates_no_event(tmp_path: Path) -> None:
    driver = Driver()
    try:
        reference = tmp_path / "reference.db"
        assert driver.run(reference, pause_ms=0, seed=0) == "exit 0"
        expected, expected_seqs, _, total = _events(reference)
        assert len(expected) >= 10 and expected_seqs == list(range(1, len(expected) + 1))

        started = time.monotonic()
        assert driver.run(tmp_path / "timing.db", pause_ms=4, seed=1) == "exit 0"
        full_run = time.monotonic() - started  # kill within a quarter of it: most runs crash

        rng = random.Random(2024)
        deadline = time.monotonic() + 240
        kills = mid_sequence = 0
        for trial in range(20):
            path = tmp_path / f"crash{trial}.db"
            for _ in range(6):
                outcome = driver.run(
                    path,
                    pause_ms=4,
                    seed=rng.randrange(10**6),
                    kill_after=rng.uniform(0, full_run / 4),
                )
                kills += outcome == "killed"
                mid_sequence += outcome == "killed" and 0 < _events(path)[3] < total
            assert driver.run(path, pause_ms=0, seed=trial) == "exit 0"
            got, seqs, integrity, stored = _events(path)
            assert integrity == "ok" and stored == total
            assert got == expected, f"trial {trial}"  # same events, same order
            assert seqs == list(range(1, len(got) + 1))  # no gap, no duplicate
            assert time.monotonic() < deadline, f"soak took too long after {kills} kills"
    finally:
        driver.close()
    print(f"{kills} kills, {mid_sequence} in the middle of the sequence")
    assert kills >= 50 and mid_sequence >= 25


if __name__ == "__main__":
    serve()
