"""The alert commands of ``veille``: ``outbox``, ``outbox requeue``, ``deliver``, ``test-notify``.

Plain typer command functions; ``flows/cli.py`` registers them::

    outbox_app.callback()(outbox_command)        # `veille outbox` lists,
    outbox_app.command("requeue")(requeue_command)  # `veille outbox requeue` acts
    app.command("deliver")(deliver_command)
    app.command("test-notify")(test_notify_command)

Results go to stdout (``--json`` for machines), errors to stderr as one ``Error: …`` line with a
non-zero exit. Channels are only ever printed as their label and apprise's privacy form.
"""

from __future__ import annotations

import json
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from config.settings import database_path, load_config
from flows.deliver import deliver_configured
from storage import outbox
from storage.db import open_db
from tasks.errors import ConfigError, VeilleError
from tasks.messages import status_label, test_message
from tasks.notify import DEFAULT_TIMEOUT, ENV_CONFIG, ENV_URLS, Channel, load_channels, send_message

NO_CHANNEL = (
    f"no notification channel configured: set {ENV_URLS} (apprise URLs, e.g. "
    f"'slack=slack://…') or {ENV_CONFIG} (an apprise YAML/TEXT file outside the repository)"
)


def _fail(message: str) -> typer.Exit:
    print(f"Error: {message}", file=sys.stderr)
    return typer.Exit(code=1)


def _check_db(db: Path | None, config: str | None = None) -> Path:
    db = database_path(config, db)
    if not db.exists():
        raise _fail(f"{db}: no such database (run `veille poll` first, or pass --db)")
    return db


def outbox_command(
    ctx: typer.Context,
    db: Path | None = typer.Option(None, "--db", help="The SQLite database (default: settings)."),
    config: str | None = typer.Option(None, "--config", "-c", help="feeds.toml"),
    json_out: bool = typer.Option(False, "--json", help="Print rows as JSON."),
    all_rows: bool = typer.Option(False, "--all", help="Include deliveries already sent."),
) -> None:
    """Show the deliveries not yet sent: status, attempts, last error, next attempt (dead first)."""
    if ctx.invoked_subcommand:  # `veille outbox requeue`: the subcommand speaks
        return
    db = _check_db(db, config)
    try:
        database = open_db(db)
        rows = outbox.outbox_rows(database, include_sent=all_rows)
        counts = outbox.delivery_counts(database)
    except VeilleError as exc:
        raise _fail(str(exc)) from exc
    if json_out:
        print(json.dumps({"counts": counts, "rows": rows}, ensure_ascii=False, indent=2))
        return
    console = Console()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    if not rows:
        console.print(f"Outbox empty ({summary}).", highlight=False)
        return
    table = Table(title=f"Outbox — {summary}", title_justify="left")
    for column in ("status", "channel", "event", "attempts", "last attempt", "next", "last error"):
        table.add_column(column, overflow="fold")
    for row in rows:
        event = (
            f"#{row['seq']} {row['retailer_name']}: "
            + (f"{status_label(row['old_status'])} → " if row["old_status"] else "")
            + status_label(row["new_status"])
        )
        status = row["status"] + (" (interrupted)" if row["interrupted"] else "")
        style = {"dead": "bold red", "pending": "yellow", "suppressed": "dim"}.get(row["status"])
        table.add_row(
            status,
            row["channel"],
            event,
            str(row["attempts"]),
            row["last_attempt_at"] or "",
            row["next_attempt_at"] or ("now" if row["status"] == "pending" else ""),
            row["last_error"] or "",
            style=style,
        )
    console.print(table)


def requeue_command(
    db: Path | None = typer.Option(None, "--db", help="The SQLite database (default: settings)."),
    config: str | None = typer.Option(None, "--config", "-c", help="feeds.toml"),
    channel: str | None = typer.Option(
        None, "--channel", help="Only this channel's (its label, as `veille outbox` shows it)."
    ),
    event: str | None = typer.Option(
        None, "--event", help="Only this event's (its event_key, in `veille outbox --json`)."
    ),
) -> None:
    """Put dead deliveries back in the queue, attempts reset: once their channel works again."""
    db = _check_db(db, config)
    try:
        database = open_db(db)
        try:
            count = outbox.requeue_dead(database, channel=channel, event_key=event)
        finally:
            database.close()
    except VeilleError as exc:
        raise _fail(str(exc)) from exc
    noun = "delivery" if count == 1 else "deliveries"
    print(f"{count} dead {noun} requeued (attempts reset); `veille deliver` sends them now")


def deliver_command(
    db: Path | None = typer.Option(None, "--db", help="The SQLite database (default: settings)."),
    config: str | None = typer.Option(None, "--config", "-c", help="feeds.toml"),
    json_out: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds per channel."),
) -> None:
    """Send what the outbox holds now: pending alerts whose retry time has come."""
    db = _check_db(db, config)
    try:
        cfg = load_config(config)
        channels = load_channels(config_path=cfg.settings.notify.config_file)
        if not channels:
            raise ConfigError(NO_CHANNEL)
        summary = deliver_configured(open_db(db), cfg, timeout=timeout)
    except VeilleError as exc:
        raise _fail(str(exc)) from exc
    if json_out:
        print(json.dumps(asdict(summary), ensure_ascii=False))
    else:
        print(
            f"{summary.sent} sent ({summary.messages} messages, {summary.digests} digests), "
            f"{summary.failed} failed (retried later), {summary.dead} dead"
        )
        if summary.unknown_channels:
            print(
                "pending for channels no longer configured: " + ", ".join(summary.unknown_channels)
            )


def _try(channel: Channel, timeout: float) -> dict[str, Any]:
    try:
        send_message(channel, test_message(datetime.now(UTC)), timeout=timeout)
    except VeilleError as exc:
        return {"label": channel.label, "display": channel.display, "ok": False, "error": str(exc)}
    return {"label": channel.label, "display": channel.display, "ok": True, "error": None}


def test_notify_command(
    timeout: float = typer.Option(DEFAULT_TIMEOUT, "--timeout", help="Seconds per channel."),
    json_out: bool = typer.Option(False, "--json", help="Print results as JSON."),
) -> None:
    """Send one test message to every configured channel and print each channel's result."""
    try:
        channels = load_channels()
    except VeilleError as exc:
        raise _fail(str(exc)) from exc
    if not channels:
        raise _fail(NO_CHANNEL)
    with ThreadPoolExecutor(max_workers=min(len(channels), 16)) as pool:
        results = list(pool.map(lambda c: _try(c, timeout), channels))
    if json_out:
        print(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for result in results:
            verdict = "ok" if result["ok"] else f"FAILED: {result['error']}"
            print(f"{result['label']}  {result['display']}  {verdict}")
    if not all(result["ok"] for result in results):
        raise typer.Exit(code=1)
