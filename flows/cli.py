"""The ``veille`` command line: each command parses its options and calls what the flows call.

Results go to stdout (``--json`` where a script may read them); progress and errors to stderr.
An expected failure (:class:`tasks.errors.VeilleError`) is one ``Error: …`` line and a non-zero
exit: 2 for configuration mistakes, 1 otherwise. Anything else keeps its traceback.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from tasks.errors import ConfigError, VeilleError

app = typer.Typer(
    name="veille",
    help="Watch French business news for Amazon and grocery retail; alert when the story moves.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
feeds_app = typer.Typer(
    help="The feeds: their health, and OPML import.", invoke_without_command=True
)
app.add_typer(feeds_app, name="feeds")
outbox_app = typer.Typer(
    help="The alert outbox: deliveries not yet sent, and dead ones requeued.",
    invoke_without_command=True,
)
app.add_typer(outbox_app, name="outbox")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def say(line: str, *, error: bool = False) -> None:
    """One plain line, never wrapped: operators grep these (failures, errors)."""
    print(line, file=sys.stderr if error else sys.stdout, flush=True)


F = TypeVar("F", bound=Callable[..., Any])

ConfigOpt = typer.Option(
    None, "--config", "-c", help="feeds.toml (default: $VEILLE_CONFIG or config/feeds.toml)"
)
DbOpt = typer.Option(
    None, "--db", help="SQLite database (default: [settings].database or $VEILLE_DB)"
)


def handle_errors(fn: F) -> F:
    """Turn an expected failure into one line on stderr and an exit code."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            say(f"Error: {exc}", error=True)
            raise typer.Exit(2) from None
        except VeilleError as exc:
            say(f"Error: {exc}", error=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def quiet_prefect_shutdown() -> None:
    """Hide the temporary server's own shutdown noise (cancelled background flushes).

    With no PREFECT_API_URL, Prefect starts a server for the run and stops it at exit; its
    event recorder is cancelled mid-flush and logs tracebacks that say nothing about veille.
    """
    logging.getLogger("prefect.server").setLevel(logging.CRITICAL)
    logging.getLogger("docket").setLevel(logging.CRITICAL)


def resolve_db(config_path: str | None, db: Path | None) -> Path:
    """The database path: --db, else $VEILLE_DB / [settings].database."""
    from config.settings import database_path

    return database_path(config_path, db)


@app.command("poll")
@handle_errors
def poll_command(
    config: str | None = ConfigOpt,
    db: Path | None = DbOpt,
    all_feeds: bool = typer.Option(False, "--all", help="Poll every feed, even if not due."),
    no_alerts: bool = typer.Option(False, "--no-alerts", help="Store events, queue no alerts."),
    no_deliver: bool = typer.Option(False, "--no-deliver", help="Queue alerts, send later."),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Poll the configured feeds once: fetch, extract, detect, store, alert."""
    from config.settings import load_config
    from config.watchlist import load_watchlist

    from .poll import poll

    # A bad config or watchlist is one line here, before Prefect starts.
    load_watchlist(load_config(config).settings.watchlist)
    quiet_prefect_shutdown()
    summary = poll(
        config_path=config,
        force=all_feeds,
        alerts=not no_alerts,
        deliver=not no_deliver,
        database=str(db) if db else None,
    )
    delivered = summary.get("delivery")
    if json_out:
        out.print_json(json.dumps(summary))
        return
    for line in summary["failures"]:
        say(f"✗ {line}", error=True)
    say(format_summary(summary))
    if delivered:
        say(format_delivery(delivered))


def format_delivery(d: dict[str, Any]) -> str:
    """The delivery run in one line."""
    line = (
        f"alerts: {d['sent']} sent ({d['messages']} messages, {d['digests']} digests), "
        f"{d['failed']} failed (retried later), {d['dead']} dead"
    )
    return line


def format_summary(s: dict[str, Any]) -> str:
    """One paragraph a person reads at a glance."""
    lines = [
        f"feeds: {s['feeds_ok']} ok, {s['feeds_not_modified']} not modified, "
        f"{s['feeds_failed']} failed, {s['feeds_deferred']} not due (of {s['feeds_total']})",
        f"entries: {s['new_entries']} new; articles: {s['new_articles']} new, "
        f"{s['relevant_articles']} about the storyline, {s['articles_failed']} to retry",
        f"events: {s['events']}; alerts queued: {s['alerts_queued']}",
    ]
    if s["failures_by_kind"]:
        kinds = ", ".join(f"{k} {v}" for k, v in sorted(s["failures_by_kind"].items()))
        lines.append(f"failures by kind: {kinds}")
    lines.append(f"took {s['seconds']:.1f} s")
    return "\n".join(lines)


@feeds_app.callback()
@handle_errors
def feeds_command(
    ctx: typer.Context,
    config: str | None = ConfigOpt,
    db: Path | None = DbOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Show each feed's health: last success, consecutive failures, last error."""
    if ctx.invoked_subcommand:
        return
    from config.settings import load_config
    from storage.db import open_db
    from storage.feeds import feed_health

    cfg = load_config(config)
    path = db or cfg.settings.database
    rows = feed_health(open_db(path)) if Path(path).exists() else []
    known = {r["url"] for r in rows}
    for feed in cfg.feeds:
        if feed.url not in known:
            rows.append(
                {
                    "name": feed.name,
                    "url": feed.url,
                    "last_success": None,
                    "consecutive_failures": 0,
                    "last_error": None,
                    "entries_seen": 0,
                    "last_error_kind": None,
                    "failed_articles": 0,
                    "retry_after_until": None,
                }
            )
    if json_out:
        out.print_json(json.dumps(rows))
        return
    table = Table(title=f"{len(rows)} feeds")
    for col in ("feed", "last success", "failures", "entries", "last error"):
        table.add_column(col)
    for r in rows:
        fails = r["consecutive_failures"] or 0
        style = "red" if fails >= 3 else "yellow" if fails else ""
        table.add_row(
            r["name"],
            r["last_success"] or "never",
            str(fails),
            str(r["entries_seen"] or 0),
            (f"{r['last_error_kind']}: {r['last_error']}" if fails and r["last_error"] else ""),
            style=style,
        )
    out.print(table)


@feeds_app.command("import")
@handle_errors
def feeds_import_command(
    opml: Path = typer.Argument(..., help="An OPML file exported from a feed reader."),
    config: str | None = ConfigOpt,
    dry_run: bool = typer.Option(False, "--dry-run", help="Print the TOML, change nothing."),
) -> None:
    """Add the feeds of an OPML file to feeds.toml (those not already there)."""
    from config.settings import config_path, load_config
    from tasks.opml import parse_opml, render_feeds_toml

    try:
        content = opml.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{opml}: cannot read: {exc.strerror}") from None
    found = parse_opml(content, str(opml))
    target = config_path(config)
    existing = {f.url for f in load_config(target).feeds} if target.exists() else set()
    new = [f for f in found if f["url"] not in existing]
    text = render_feeds_toml(new)
    if dry_run:
        say(text)
    elif new:
        with target.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text)
        load_config(target)  # what we wrote must load
    say(f"{len(new)} new feeds ({len(found) - len(new)} already there) → {target}", error=True)


@app.command("check-config")
@handle_errors
def check_config_command(config: str | None = ConfigOpt) -> None:
    """Validate feeds.toml and the watchlist; print what was loaded."""
    from config.settings import config_path, load_config
    from config.watchlist import load_watchlist

    cfg = load_config(config)
    wl = load_watchlist(cfg.settings.watchlist)
    say(f"{config_path(config)}: {len(cfg.feeds)} feeds, database {cfg.settings.database}")
    say(f"watchlist: {len(wl.retailers)} retailers")


@app.command("serve")
@handle_errors
def serve_command(
    config: str | None = ConfigOpt,
    poll_every: float | None = typer.Option(
        None, help="Minutes between polls (default: settings)."
    ),
    deliver_every: float | None = typer.Option(None, help="Minutes between deliveries."),
) -> None:
    """Serve the poll, deliver and backfill deployments on their schedules until Ctrl-C."""
    from datetime import timedelta

    from config.settings import load_config

    from .serve import serve_forever

    cfg = load_config(config)
    quiet_prefect_shutdown()
    try:
        serve_forever(
            cfg,
            config,
            poll_every=timedelta(minutes=poll_every) if poll_every else None,
            deliver_every=timedelta(minutes=deliver_every) if deliver_every else None,
        )
    except KeyboardInterrupt:
        err.print("stopped")


@app.command("backfill")
@handle_errors
def backfill_command(
    urls: list[str] = typer.Argument(None, help="Article URLs to read."),
    from_file: Path | None = typer.Option(None, "--file", "-f", help="A file of URLs, one a line."),
    feed: list[str] = typer.Option([], "--feed", help="A feed (or archive) URL; repeatable."),
    query: list[str] = typer.Option([], "--query", "-q", help="A Google News search, in French."),
    since: str | None = typer.Option(None, help="Only items published on or after (YYYY-MM-DD)."),
    until: str | None = typer.Option(None, help="Only items published on or before."),
    reprocess: bool = typer.Option(
        False, "--reprocess", help="Re-run detection on stored articles."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show what would change; write nothing."),
    no_alerts: bool = typer.Option(False, "--no-alerts", help="Write events, send no digest."),
    config: str | None = ConfigOpt,
    db: Path | None = DbOpt,
    json_out: bool = typer.Option(False, "--json"),
) -> None:
    """Backfill by hand; its events go out as one digest per channel (or not at all)."""
    from rich.progress import Progress

    from config.settings import load_config

    from .backfill import _parse_date, run_backfill

    cfg = load_config(config)
    all_urls = list(urls or [])
    if from_file:
        try:
            lines = from_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(f"{from_file}: cannot read: {exc.strerror}") from None
        all_urls += [u.strip() for u in lines if u.strip() and not u.startswith("#")]
    if not (all_urls or feed or query or reprocess):
        raise ConfigError("backfill: give URLs, --file, --feed, --query or --reprocess")
    try:
        start, end = _parse_date(since), _parse_date(until)
    except ValueError as exc:
        raise ConfigError(f"--since/--until: expected YYYY-MM-DD ({exc})") from None
    with Progress(console=err, transient=True) as bar:
        task_id = bar.add_task("backfill", total=None)

        def progress(label: str, i: int, n: int) -> None:
            bar.update(task_id, total=n, completed=i, description=label[-60:])

        summary = run_backfill(
            cfg,
            urls=all_urls,
            feeds=feed,
            queries=query,
            since=start,
            until=end,
            reprocess=reprocess,
            dry_run=dry_run,
            alerts=not no_alerts,
            database=str(db) if db else None,
            progress=progress,
        )
    delivered = summary.delivery
    if json_out:
        out.print_json(json.dumps(summary.as_dict(), default=str))
        return
    for line in summary.failures:
        say(f"✗ {line}", error=True)
    head = "dry run, nothing written: " if dry_run else ""
    say(
        f"{head}{summary.articles_seen} articles read, {summary.new_articles} new, "
        f"{summary.relevant} about the storyline, {len(summary.events)} events"
    )
    for e in summary.events:
        sign = e.get("change", "+")
        say(
            f"  {sign} {e.get('kind', '')} {e.get('retailer', '')}: "
            f"{e.get('old_status') or '∅'} → {e.get('new_status', '')}"
        )
    if delivered:
        say(format_delivery(delivered))


@app.command("report")
@handle_errors
def report_command(
    html: Path = typer.Option(Path("report.html"), "--html", help="Where to write the page."),
    config: str | None = ConfigOpt,
    db: Path | None = DbOpt,
) -> None:
    """Write one self-contained HTML page: the storyline's timeline per retailer."""
    from storage.db import open_db
    from storage.timeline import report_rows
    from tasks.report import ReportPoint, RetailerTimeline, render_report

    path = resolve_db(config, db)
    timelines: dict[str, RetailerTimeline] = {}
    for r in report_rows(open_db(path)):
        tl = timelines.setdefault(r["retailer"], RetailerTimeline(r["retailer"], r["name"], []))
        tl.points.append(
            ReportPoint(
                published=_dt(r["published"]),
                status=r["status"],
                reported=bool(r["reported"]),
                sentence=r["sentence"] or "",
                url=r["url"] or "",
                source=r["source"] or "",
                title=r["title"] or "",
            )
        )
    html.write_text(render_report(list(timelines.values())), encoding="utf-8")
    say(f"{html} ({len(timelines)} retailers)")


def _dt(value: str) -> Any:
    from datetime import UTC, datetime

    dt = datetime.fromisoformat(value)
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


@app.command("browse")
@handle_errors
def browse_command(config: str | None = ConfigOpt, db: Path | None = DbOpt) -> None:
    """Open the database in Datasette (install the optional 'browse' extra first)."""
    import shutil
    import subprocess

    path = resolve_db(config, db)
    exe = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    if not Path(exe).exists():
        raise ConfigError("datasette is not installed: pip install -e '.[browse]'")
    raise typer.Exit(subprocess.call([exe, str(path)]))


def _register() -> None:
    """The commands whose bodies live beside their work (alerts, storyline, detection)."""
    from .notify_cli import deliver_command, outbox_command, requeue_command, test_notify_command

    app.command("deliver")(handle_errors(deliver_command))
    outbox_app.callback()(handle_errors(outbox_command))
    outbox_app.command("requeue")(handle_errors(requeue_command))
    app.command("test-notify")(handle_errors(test_notify_command))

    from .timeline_cli import reprocess_command, status_command, timeline_command

    app.command("status")(handle_errors(status_command))
    app.command("timeline")(handle_errors(timeline_command))
    app.command("reprocess")(handle_errors(reprocess_command))

    from .detect_cli import detect_command, eval_command

    app.command("detect")(handle_errors(detect_command))
    app.command("eval")(handle_errors(eval_command))


_register()


def main() -> None:
    """Entry point of the ``veille`` command."""
    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
