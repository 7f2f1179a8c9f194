"""``veille detect`` and ``veille eval`` as the command line runs them."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from flows.detect_cli import detect_command, eval_command

app = typer.Typer()
app.command("detect")(detect_command)
app.command("eval")(eval_command)
runner = CliRunner()

ARTICLE = {
    "id": "x1",
    "title": "Amazon et Franprix",
    "text": "Amazon a signé un partenariat avec Franprix pour livrer les courses à Paris.",
    "url": "https://example.org/a",
    "published": "2024-01-02",
    "lang": "fr",
}


def test_detect_jsonl_stdin_to_stdout() -> None:
    other = {"id": "x2", "title": None, "text": "Le temps sera doux demain.", "lang": "fr"}
    stdin = json.dumps(ARTICLE) + "\n\n" + json.dumps(other) + "\n"
    result = runner.invoke(app, ["detect", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert lines[0]["id"] == "x1" and lines[0]["relevant"] is True
    assert lines[0]["mentions"][0] == {
        "retailer": "franprix",
        "status": "partnership",
        "reported": False,
        "sentence": ARTICLE["text"],
    }
    assert lines[1] == {"id": "x2", "relevant": False, "mentions": []}


def test_detect_explain_adds_cue_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["detect", str(path), "--explain"])
    mention = json.loads(result.stdout)["mentions"][0]
    assert mention["cue"] and mention["rule"]


def test_invalid_json_line_exits_2_naming_the_line() -> None:
    result = runner.invoke(app, ["detect", "-"], input=json.dumps(ARTICLE) + "\n{oops\n")
    assert result.exit_code == 2
    assert "<stdin>:2:" in result.stderr and "\n" not in result.stderr.strip()


def test_eval_prints_tables_and_json(tmp_path: Path) -> None:
    labelled = dict(
        ARTICLE,
        relevant=True,
        mentions=[
            {"retailer": "franprix", "status": "partnership", "reported": False, "evidence": "x"}
        ],
    )
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(labelled) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 0 and "relevance" in result.stdout
    result = runner.invoke(app, ["eval", str(path), "--json"])
    assert json.loads(result.stdout)["mentions"]["f1"] == 1.0


def test_missing_file_is_one_line() -> None:
    result = runner.invoke(app, ["eval", "/nonexistent/gold.jsonl"])
    assert result.exit_code == 1 and result.stderr.startswith("Error:")
