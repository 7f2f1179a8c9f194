"""``make demo`` as a newcomer runs it: ``python -m demo`` exits 0, prints alerts, writes the
report, and everything it talks to is on 127.0.0.1.

The demo is run once (about 35 s on 2 cores: Prefect's temporary server and spaCy's model are
paid once) in a throwaway PREFECT_HOME, and every test reads that run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]
FINAL = re.compile(r"^demo: (\d+) Slack messages, (\d+) emails, report (.+)$")


@dataclass(frozen=True)
class DemoRun:
    out: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    base = tmp_path_factory.mktemp("demo")
    out = base / "demo-out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VEILLE_", "PREFECT_"))}
    env["PREFECT_HOME"] = str(base / "prefect-home")
    env["COLUMNS"] = "160"
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "demo", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return DemoRun(out, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)


def test_demo_exits_0_and_prints_alerts(demo_run: DemoRun) -> None:
    assert demo_run.returncode == 0, demo_run.stderr[-3000:]
    lines = demo_run.stdout.splitlines()
    final = FINAL.match(lines[-1])
    assert final, lines[-5:]
    slack, emails = int(final[1]), int(final[2])
    # Steps 2–5 of the corpus move eight retailers at least; each move is one alert a channel.
    assert slack >= 5 and emails >= 5, lines[-1]
    assert demo_run.stdout.count("📣 Slack ←") == slack
    assert demo_run.stdout.count("✉  email ←") == emails


def test_the_archive_is_quiet_and_later_steps_alert(demo_run: DemoRun) -> None:
    out = demo_run.stdout
    archive = out.index("step 1: the feeds' archive, recorded without alerts")
    step2 = out.index("step 2:")
    assert "Slack ←" not in out[:step2] and "email ←" not in out[:step2]
    assert archive < step2
    assert "Slack ←" in out[step2:]
    assert "état du feuilleton" in out  # the board, after the steps
    assert out.index("état du feuilleton") > out.rindex("Slack ←")


def test_the_report_is_written(demo_run: DemoRun) -> None:
    final = FINAL.match(demo_run.stdout.splitlines()[-1])
    assert final
    report = Path(final[3])
    assert report == demo_run.out / "report.html" and report.is_file()
    html = report.read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "Leclerc" in html


def test_nothing_reaches_beyond_loopback(demo_run: DemoRun) -> None:
    config = tomllib.loads((demo_run.out / "feeds.toml").read_text(encoding="utf-8"))
    assert config["settings"]["fetch"]["allowed_hosts"] == ["127.0.0.1"]
    feeds = config["feeds"]
    assert feeds and {urlsplit(f["url"]).hostname for f in feeds} == {"127.0.0.1"}
    # Every URL the demo printed (newsroom, webhook, links in alerts) is on 127.0.0.1.
    urls = re.findall(r"https?://[^\s)\]>»,]+", demo_run.stdout)
    assert urls and {urlsplit(u).hostname for u in urls} == {"127.0.0.1"}
    # And so is every link of the report.
    html = (demo_run.out / "report.html").read_text(encoding="utf-8")
    hosts = {urlsplit(u).hostname for u in re.findall(r"""href=["'](https?://[^"']+)""", html)}
    assert hosts <= {"127.0.0.1"}
