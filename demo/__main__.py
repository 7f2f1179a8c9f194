"""``make demo`` (``python -m demo``): the storyline replayed offline, alerts, board and report.

Everything runs on 127.0.0.1 and in one process, so Prefect's temporary server and spaCy's model
are paid for once: a local newsroom (``demo.server``) releases the corpus step by step, veille
polls it with the real poll flow, and the outbox delivers to a local Slack-shaped webhook and a
local SMTP server (``demo.receivers``) that print what they receive. The first poll is the feeds'
archive (recorded, no alert, as for any new feed); each later step shows alerts arriving.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from demo.receivers import ReceivedEmail, ReceivedRequest, SmtpReceiver, WebhookReceiver
from demo.server import DemoFeedServer, local_settings_toml

DEFAULT_OUT = Path("demo-out")

_print_lock = threading.Lock()


def say(text: str = "") -> None:
    """Print from any thread (the receivers print from theirs) without interleaving lines."""
    with _print_lock:
        print(text, flush=True)


def _shorten(text: str, width: int = 110) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _plain_markdown(line: str) -> str:
    """``**E.Leclerc** [Éco Matin](http://…)`` → ``E.Leclerc Éco Matin``: readable in a terminal."""
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
    return line.replace("**", "").replace("`", "")


def slack_block(request: ReceivedRequest) -> str:
    """A received Slack-shaped (Mattermost) or JSON webhook post as a few readable lines:
    the title, the quoted sentence and the source."""
    payload: Any = request.json if isinstance(request.json, dict) else {}
    raw = request.body.decode("utf-8", "replace")
    body = str(payload.get("text") or payload.get("message") or raw)
    lines = [_plain_markdown(ln.strip()) for ln in body.splitlines() if ln.strip()]
    head = lines[0] if lines else "(empty)"
    rest = [ln for ln in lines[1:] if ln.startswith((">", "Source"))][:2]
    return "\n".join(
        [f"  📣 Slack ← {_shorten(head)}", *(f"      {_shorten(ln, 100)}" for ln in rest)]
    )


def email_line(email: ReceivedEmail) -> str:
    return f"  ✉  email ← {_shorten(email.subject)}"


def write_config(news: DemoFeedServer, out: Path) -> Path:
    """The demo's feeds.toml: settings for a local newsroom, then one [[feeds]] per outlet."""
    path = out / "feeds.toml"
    database = (out / "veille.db").resolve()
    settings = (
        "# Written by `python -m demo`: the demo's feeds, all on 127.0.0.1 (no network needed).\n"
        # digest_threshold is high so that each event arrives as its own alert, which is what a
        # newcomer should see.
        + local_settings_toml(database, digest_threshold=50)
    )
    path.write_text(settings + news.feeds_toml(tags=("demo",)), encoding="utf-8")
    return path


def _quiet_prefect() -> None:
    """Prefect's INFO lines and its temporary server's shutdown noise say nothing about veille."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_TO_API_ENABLED", "false")
    import flows  # noqa: F401  (sets veille's Prefect defaults before Prefect is imported)
    from flows.cli import quiet_prefect_shutdown

    quiet_prefect_shutdown()


def _warm_detector() -> None:
    """Load spaCy's French model (seconds) by detecting one sentence: the first poll then
    finds it loaded. Runs in a thread while Prefect's temporary server starts."""
    from config.watchlist import load_watchlist
    from tasks.detect import detect_article

    text = "Amazon a approché l'enseigne Leclerc, selon le distributeur de supermarchés."
    detect_article("Amazon et Leclerc", text, "fr", watchlist=load_watchlist())


def _start_prefect() -> None:
    """Start the temporary Prefect server now (what the first flow run would do), so that its
    start overlaps the model's load; with PREFECT_API_URL set, there is nothing to start."""
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return
    from prefect.server.api.server import SubprocessASGIServer

    SubprocessASGIServer().start()


class Demo:
    """One run of the demo: the local servers, the config, and the counts printed at the end."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.slack = 0
        self.emails = 0

    def on_slack(self, request: ReceivedRequest) -> None:
        self.slack += 1
        say(slack_block(request))

    def on_email(self, email: ReceivedEmail) -> None:
        self.emails += 1
        say(email_line(email))

    def run(self) -> int:
        started = time.monotonic()
        if self.out.exists():
            shutil.rmtree(self.out)
        self.out.mkdir(parents=True)
        _quiet_prefect()
        with (
            DemoFeedServer(step=1) as news,
            WebhookReceiver(on_request=self.on_slack) as hook,
            SmtpReceiver(on_message=self.on_email) as smtp,
        ):
            config_path = write_config(news, self.out)
            os.environ["VEILLE_CONFIG"] = str(config_path)
            os.environ.pop("VEILLE_DB", None)
            os.environ.pop("VEILLE_NOTIFY_CONFIG", None)
            # Mattermost's plugin posts Slack's payload to any host: our local "Slack".
            os.environ["VEILLE_NOTIFY"] = (
                f"slack={hook.apprise_url('demo-token', scheme='mmost')} email={smtp.apprise_url()}"
            )
            say(f"veille demo — {len(news.articles)} articles from {len(news.outlets)} outlets")
            say(f"  newsroom {news.base_url}, Slack-like webhook {hook.url}, SMTP {smtp.port}")
            say(f"  config {config_path}")
            say("  starting Prefect's temporary server and loading the French model…")
            warm = threading.Thread(target=_warm_detector, name="warm-detector", daemon=True)
            warm.start()
            _start_prefect()
            warm.join()
            say()
            self.poll(config_path)
            say("step 1: the feeds' archive, recorded without alerts")
            while not news.done:
                step = news.release_next()
                fresh = [a for a in news.visible() if a.step == step]
                say()
                say(f"step {step}: {len(fresh)} new articles in the feeds")
                queued = self.poll(config_path)
                self.deliver(config_path, queued)
            say()
            self.board(config_path)
            report = self.report(config_path)
        seconds = time.monotonic() - started
        say()
        say(f"took {seconds:.0f} s. Next: `veille status --db {self.out / 'veille.db'}`.")
        say(f"demo: {self.slack} Slack messages, {self.emails} emails, report {report}")
        return 0

    def poll(self, config_path: Path) -> int:
        """One run of the real poll flow; returns the deliveries it queued.

        The flow would send them itself, right after storing (``deliver=True``), with apprise's
        per-channel pacing on; :meth:`deliver` sends them with it off instead.
        """
        from flows.poll import poll

        summary = poll(config_path=str(config_path), deliver=False)
        for line in summary["failures"]:
            say(f"  ✗ {line}")
        return int(summary["alerts_queued"])

    def deliver(self, config_path: Path, queued: int) -> None:
        """Send what the poll queued; the receivers print each message as it arrives.

        ``deliver_configured`` is the deliver flow's body, called here with apprise's
        per-channel pacing off (``throttle=False``), or each email would wait 5.5 s. Both
        receivers print before they answer, so everything is printed when this returns.
        """
        from config.settings import load_config
        from flows.deliver import deliver_configured
        from storage.db import open_db

        if not queued:
            say("  (nothing new for the storyline: no alert)")
            return
        config = load_config(config_path)
        db = open_db(config.settings.database)
        try:
            result = deliver_configured(db, config, throttle=False)
        finally:
            db.close()
        if result.failed or result.dead:
            say(f"  ! {result.failed} deliveries failed (retried on the next run)")

    def board(self, config_path: Path) -> None:
        """The board, as ``veille status`` prints it."""
        from rich.console import Console

        from config.settings import load_config
        from flows.timeline_cli import board_table
        from storage.db import open_db
        from tasks.storyline import current_board

        db = open_db(load_config(config_path).settings.database)
        try:
            rows = current_board(db)
        finally:
            db.close()
        # The same table as `veille status`, its sentences cut to fit a terminal.
        rows = [replace(r, sentence=_shorten(r.sentence, 90)) for r in rows]
        Console(highlight=False, width=max(140, shutil.get_terminal_size().columns)).print(
            board_table(rows)
        )

    def report(self, config_path: Path) -> Path:
        """The HTML timeline, as ``veille report --html`` writes it."""
        from flows.cli import report_command

        path = self.out / "report.html"
        report_command(html=path, config=str(config_path), db=None)
        say(f"report: open {path.resolve().as_uri()} in a browser")
        return path


def main(argv: list[str] | None = None) -> int:
    """Parse the options and run the demo; the exit code is 0 when it went through."""
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="where to write (default ./demo-out)"
    )
    args = parser.parse_args(argv)
    return Demo(args.out).run()


if __name__ == "__main__":
    sys.exit(main())
