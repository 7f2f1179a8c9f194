"""The detector on cases written for veille (tests/fixtures/detect/cases.toml), one test each."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from tasks.detect import detect_article

CASES = tomllib.loads(
    (Path(__file__).parent / "fixtures" / "detect" / "cases.toml").read_text(encoding="utf-8")
)["case"]


def _key(retailer: str, status: str, reported: bool) -> str:
    return f"{retailer}:{status}:{'r' if reported else 'c'}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    detection = detect_article(case.get("title"), case["text"], case.get("lang"))
    got = {_key(m.retailer, m.status, m.reported) for m in detection.mentions}
    if "expect" in case:
        assert got == set(case["expect"]), [m.to_json(explain=True) for m in detection.mentions]
    for retailer in case.get("absent", []):
        assert retailer not in {m.retailer for m in detection.mentions}
    if "relevant" in case:
        assert detection.relevant is case["relevant"]
