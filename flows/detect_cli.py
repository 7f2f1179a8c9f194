"""``veille detect`` and ``veille eval``: the detector on JSONL, and its scores on a labelled file.

Register them on the main typer app::

    app.command("detect")(detect_command)
    app.command("eval")(eval_command)

Both only parse options, read the input and call the same functions as the flows
(:func:`tasks.detect.detect_article`, :func:`tasks.detect.evaluate.evaluate`). Results go to
stdout; errors are one ``Error: …`` line on stderr. A line that is not JSON exits with code 2.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from config.watchlist import STATUSES, Watchlist, load_watchlist
from tasks.detect import detect_article, load_default_watchlist
from tasks.detect.evaluate import Scores, evaluate
from tasks.errors import VeilleError

_BAD_INPUT = 2
_SHORT = {
    "rumored": "rum",
    "approached": "appr",
    "in_talks": "talks",
    "declined": "decl",
    "denied": "deny",
    "partnership": "partn",
    "acquired": "acq",
    "ended": "end",
}


def _fail(message: str, code: int = 1) -> typer.Exit:
    print(f"Error: {message}", file=sys.stderr)
    return typer.Exit(code)


def read_jsonl(stream: TextIO, name: str) -> Iterator[dict[str, Any]]:
    """Objects of a JSONL stream; a bad line raises ValueError naming the file and line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{name}:{number}: not valid JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise ValueError(f"{name}:{number}: expected a JSON object")
        yield item


WatchlistOption = Annotated[
    Path | None, typer.Option("--watchlist", help="Watchlist TOML (default: bundled).")
]


def _watchlist(path: Path | None) -> Watchlist:
    return load_watchlist(path) if path is not None else load_default_watchlist()


def detect_lines(
    stream: TextIO, name: str, out: TextIO, explain: bool, watchlist: Watchlist
) -> int:
    """Detect every article of a JSONL stream into ``out``; the number of articles read."""
    count = 0
    for item in read_jsonl(stream, name):
        detection = detect_article(
            item.get("title"), item.get("text") or "", item.get("lang"), watchlist=watchlist
        )
        out.write(json.dumps(detection.to_json(item.get("id"), explain), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def detect_command(
    file: Annotated[
        str, typer.Argument(help="JSONL articles (id, title, text, lang…); - for stdin")
    ] = "-",
    explain: Annotated[
        bool, typer.Option("--explain", help="Add the cue and the rule behind each mention.")
    ] = False,
    watchlist: WatchlistOption = None,
) -> None:
    """Read articles as JSONL and write one detection per line: relevance and mentions."""
    try:
        wl = _watchlist(watchlist)
        if file == "-":
            detect_lines(sys.stdin, "<stdin>", sys.stdout, explain, wl)
        else:
            with open(file, encoding="utf-8") as stream:
                detect_lines(stream, file, sys.stdout, explain, wl)
    except FileNotFoundError:
        raise _fail(f"{file}: file not found") from None
    except ValueError as exc:
        raise _fail(str(exc), _BAD_INPUT) from None
    except VeilleError as exc:
        raise _fail(str(exc)) from None


def eval_command(
    file: Annotated[Path, typer.Argument(help="Labelled JSONL (corpus/FORMAT.md).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
    watchlist: WatchlistOption = None,
) -> None:
    """Score the detector on a labelled file: relevance, mentions, retailers, reported, misses."""
    try:
        wl = _watchlist(watchlist)
        with open(file, encoding="utf-8") as stream:
            items = list(read_jsonl(stream, str(file)))
    except FileNotFoundError:
        raise _fail(f"{file}: file not found") from None
    except ValueError as exc:
        raise _fail(str(exc), _BAD_INPUT) from None
    except VeilleError as exc:
        raise _fail(str(exc)) from None
    scores = evaluate(items, lambda t, x, lang: detect_article(t, x, lang, watchlist=wl))
    if json_out:
        print(json.dumps(scores.to_json(), ensure_ascii=False, indent=2))
    else:
        print_scores(scores, Console())


def print_scores(scores: Scores, console: Console) -> None:
    """The scores as rich tables: figures, status confusion, misses."""
    figures = Table(title=f"Detection on {scores.items} items")
    for column in ("measure", "precision", "recall", "F1", "tp", "fp", "fn"):
        figures.add_column(column, justify="right" if column != "measure" else "left")
    for label, prf in (
        ("relevance", scores.relevance),
        ("mention (retailer, status)", scores.mentions),
        ("retailer", scores.retailers),
    ):
        figures.add_row(
            label,
            f"{prf.precision:.3f}",
            f"{prf.recall:.3f}",
            f"{prf.f1:.3f}",
            str(prf.tp),
            str(prf.fp),
            str(prf.fn),
        )
    figures.add_row(
        f"reported accuracy ({scores.reported_matched} matched)",
        "",
        "",
        f"{scores.reported_accuracy:.3f}",
        "",
        "",
        "",
    )
    console.print(figures)
    labels = [*STATUSES, "none"]
    confusion = Table(title="Status confusion (rows: labelled, columns: detected)")
    confusion.add_column("labelled")
    for status in labels:
        confusion.add_column(_SHORT.get(status, status), justify="right")
    for gold in labels:
        row = [str(scores.confusion.get((gold, p), "") or "") for p in labels]
        if any(row):
            confusion.add_row(gold, *row)
    console.print(confusion)
    if scores.misses:
        misses = Table(title="Misses")
        for column in ("id", "relevant (label/detected)", "missed", "extra"):
            misses.add_column(column)
        for miss in scores.misses:
            rel = "/".join("yes" if v else "no" for v in miss["relevant"])
            misses.add_row(miss["id"], rel, " ".join(miss["missed"]), " ".join(miss["extra"]))
        console.print(misses)
