"""``veille status``, ``veille timeline RETAILER`` and ``veille reprocess [--dry-run]``.

Typer-compatible command functions; ``flows/cli.py`` registers them. Each parses its options and
calls the functions the flows use (``tasks.storyline``). Results go to stdout (a rich table, or
JSON with ``--json``); an expected failure is one ``Error: …`` line on stderr and exit code 1.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from tasks.errors import VeilleError
from tasks.events import STATUS_LABELS_FR, BoardRow, Event, MentionRecord

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DB_OPTION = typer.Option(None, "--db", help="SQLite database (default: [settings].database).")
JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")

STATUS_COLOURS = {
    "rumored": "magenta",
    "approached": "cyan",
    "in_talks": "blue",
    "declined": "yellow",
    "denied": "yellow",
    "partnership": "green",
    "ended": "red",
    "acquired": "bold green",
}


def _label(status: str | None) -> str:
    if status is None:
        return "—"
    colour = STATUS_COLOURS.get(status, "white")
    return f"[{colour}]{STATUS_LABELS_FR.get(status, status)}[/{colour}]"


def _day(iso: str) -> str:
    return iso[:10] if iso else "?"


def _open(db: Path | None) -> Any:
    from config.settings import database_path
    from storage.db import open_db

    db = database_path(None, db)
    if not db.exists():
        raise VeilleError(f"{db}: no such database: run `veille poll` first or pass --db PATH")
    return open_db(db)


def _fail(exc: VeilleError) -> typer.Exit:
    err.print(f"Error: {exc}", markup=False)
    return typer.Exit(1)


def _phrase_width(others: int) -> int:
    """What the terminal leaves for the sentence once the short columns have their width."""
    return max(24, Console().width - others)


def board_table(rows: list[BoardRow]) -> Table:
    """The board as a rich table."""
    table = Table(title="veille — état du feuilleton", title_justify="left")
    # Short columns keep their width; the sentence takes what is left, cut with an ellipsis.
    table.add_column("enseigne", no_wrap=True, min_width=9, max_width=18, overflow="ellipsis")
    table.add_column("statut", no_wrap=True, min_width=11)
    table.add_column("", no_wrap=True, min_width=8)
    table.add_column("depuis", no_wrap=True, min_width=10)
    table.add_column("source", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("n", no_wrap=True, justify="right", min_width=2)
    table.add_column("phrase", no_wrap=True, overflow="ellipsis", width=_phrase_width(90))
    for r in rows:
        table.add_row(
            r.retailer_name,
            _label(r.status),
            "[dim]rapporté[/dim]" if r.reported else "confirmé",
            _day(r.since),
            f"[link={r.url}]{r.source or r.url}[/link]" if r.url else r.source,
            str(r.sources),
            r.sentence[:160],
        )
    return table


def status_command(db: Path | None = DB_OPTION, json_out: bool = JSON_OPTION) -> None:
    """The board: each retailer, its current status, since when, from which source."""
    from tasks.storyline import current_board

    try:
        rows = current_board(_open(db))
    except VeilleError as exc:
        raise _fail(exc) from exc
    if json_out:
        out.print_json(json.dumps([asdict(r) for r in rows], ensure_ascii=False))
        return
    if not rows:
        out.print("No retailer linked to the storyline yet.")
        return
    out.print(board_table(rows))


def timeline_command(
    retailer: str = typer.Argument(
        ..., help="Retailer slug or name, e.g. systeme-u or 'Système U'."
    ),
    db: Path | None = DB_OPTION,
    json_out: bool = JSON_OPTION,
) -> None:
    """One retailer's timeline: every mention in publication order, and the events it made."""
    from tasks.storyline import retailer_timeline

    try:
        slug, mentions, events = retailer_timeline(_open(db), retailer)
    except VeilleError as exc:
        raise _fail(exc) from exc
    if json_out:
        payload = {
            "retailer": slug,
            "mentions": [asdict(m) for m in mentions],
            "events": [asdict(e) for e in events],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    out.print(_timeline_table(slug, mentions, events))


def _timeline_table(slug: str, mentions: list[MentionRecord], events: list[Event]) -> Table:
    by_article = {(e.article_id, e.retailer): e for e in events}
    name = mentions[0].retailer_name if mentions else slug
    table = Table(title=f"{name} — chronologie", title_justify="left")
    for col, width in (("date", 10), ("statut", 18), ("", 8), ("événement", 13)):
        table.add_column(col, no_wrap=True, min_width=width)
    table.add_column("source", no_wrap=True, max_width=18, overflow="ellipsis")
    table.add_column("phrase", no_wrap=True, overflow="ellipsis", width=_phrase_width(85))
    for m in mentions:
        event = by_article.get((m.article_id, m.retailer))
        date = _day(m.published) + (
            " [dim](date de collecte)[/dim]" if m.published_is_fetch_date else ""
        )
        table.add_row(
            date,
            _label(m.status),
            "[dim]rapporté[/dim]" if m.reported else "confirmé",
            event.kind if event else "",
            m.source,
            m.sentence[:160],
        )
    return table


def _default_detect() -> tuple[Callable[[str, str, str | None], Any], Callable[[str], str]]:
    """Today's detector with the configured watchlist, and the watchlist's display names."""
    from config.watchlist import load_watchlist
    from tasks.detect import detect_article

    watchlist = load_watchlist()

    def detect(title: str, text: str, lang: str | None) -> Any:
        return detect_article(title, text, lang, watchlist=watchlist)

    return detect, watchlist.retailer_name


def reprocess_command(
    db: Path | None = DB_OPTION,
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the changes, write nothing."),
    json_out: bool = JSON_OPTION,
) -> None:
    """Re-run detection on stored articles with today's rules; show events that appear/disappear."""
    from tasks.storyline import rebuild_timeline

    try:
        database = _open(db)
        detect, names = _default_detect()
        appeared, disappeared = rebuild_timeline(
            database, detect, dry_run=dry_run, retailer_name=names
        )
    except VeilleError as exc:
        raise _fail(exc) from exc
    if json_out:
        payload = {
            "dry_run": dry_run,
            "appeared": [asdict(e) for e in appeared],
            "disappeared": [asdict(e) for e in disappeared],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    verb = "would" if dry_run else "did"
    out.print(f"{len(appeared)} events {verb} appear, {len(disappeared)} {verb} disappear")
    for sign, colour, rows in (("+", "green", appeared), ("-", "red", disappeared)):
        for e in rows:
            out.print(
                f"[{colour}]{sign}[/{colour}] {_day(e.published)} {e.retailer_name}: {e.kind} "
                f"{_label(e.old_status)} → {_label(e.new_status)}"
                f"{' (rapporté)' if e.reported else ''} — {e.source} {e.url}"
            )
