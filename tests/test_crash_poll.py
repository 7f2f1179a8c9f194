"""kill -9 of the poll at random points, then a fresh poll: the same events as an uninterrupted
run, none twice (issue 5). Real parts: the demo feed server on 127.0.0.1, real SQLite files, the
real poll code in forked processes killed with SIGKILL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from demo.server import DemoFeedServer, local_settings_toml
from storage.db import open_db

REPO = Path(__file__).resolve().parents[1]


def write_config(path: Path, news: DemoFeedServer, db: Path) -> Path:
    path.write_text(local_settings_toml(db) + "\n" + news.feeds_toml(), encoding="utf-8")
    return path


def drive(config: Path, runs: int, max_delay: float, seed: int = 7) -> list[str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.crash_poll_driver",
            str(config),
            str(runs),
            str(max_delay),
            str(seed),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    return proc.stdout.splitlines()


def events(db: Path) -> list[tuple[str, str, str, str]]:
    conn = open_db(db)
    try:
        return sorted(
            (r["kind"], r["retailer"], r["new_status"], r["story_id"]) for r in conn["events"].rows
        )
    finally:
        conn.close()


@pytest.mark.soak
def test_kill_9_at_random_points_then_a_fresh_poll_gives_the_same_events(tmp_path: Path) -> None:
    with DemoFeedServer(step=1) as news:
        while not news.done:
            news.release_next()
        baseline_db = tmp_path / "baseline.db"
        baseline_cfg = write_config(tmp_path / "baseline.toml", news, baseline_db)

        # The uninterrupted poll's own duration (imports and model load excluded).
        duration = float(drive(baseline_cfg, runs=0, max_delay=0)[-1].split()[2])
        expected = events(baseline_db)
        assert expected, "the demo corpus must produce events"

        # Ten crash sequences of five kills each, every one in a fresh database, with kill
        # points spread over the first part of a poll (where the writes are).
        killed = 0
        for seed in range(10):
            crash_db = tmp_path / f"crash{seed}.db"
            crash_cfg = write_config(tmp_path / f"crash{seed}.toml", news, crash_db)
            lines = drive(crash_cfg, runs=5, max_delay=duration * 0.4, seed=seed)
            killed += sum(ln.startswith("killed") for ln in lines)
            assert lines[-1].startswith("final 0 "), lines
            got = events(crash_db)
            assert got == expected, f"seed {seed}: {lines}"  # a list: none twice either
    assert killed >= 40  # most of the 50 runs really died mid-poll
