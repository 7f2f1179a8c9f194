"""The README stays true: the settings reference matches the models, every command is there."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from config.settings import settings_reference
from flows.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
BEGIN = (
    "<!-- settings-reference: generated from config/settings.py; "
    "tests/test_readme.py keeps it in step -->"
)
END = "<!-- end settings-reference -->"


def readme_reference() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def test_settings_reference_matches_the_models() -> None:
    assert readme_reference() == settings_reference().strip(), (
        "README's settings reference is stale: run "
        "`python -c 'from tests.test_readme import refresh; refresh()'`"
    )


def refresh() -> None:
    """Rewrite the README's reference block from the models."""
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{settings_reference()}\n{END}{tail}", encoding="utf-8")


def command_names() -> list[str]:
    import typer.main

    click_app = typer.main.get_command(app)
    names = []
    for name, cmd in click_app.commands.items():  # type: ignore[attr-defined]
        names.append(name)
        for sub in getattr(cmd, "commands", {}):
            names.append(f"{name} {sub}")
    return names


def test_every_command_has_help_and_is_documented() -> None:
    readme = README.read_text(encoding="utf-8")
    runner = CliRunner()
    for name in command_names():
        result = runner.invoke(app, [*name.split(), "--help"])
        assert result.exit_code == 0, (name, result.output)
        assert "Usage" in result.output
        assert re.search(rf"`veille {re.escape(name)}\b", readme), f"{name} not in README"


def test_every_documented_command_exists() -> None:
    documented = re.findall(r"^\| `veille ([a-z-]+(?: [a-z][a-z-]*)?)", README.read_text(), re.M)
    assert len(documented) >= 15
    assert set(documented) <= set(command_names())
