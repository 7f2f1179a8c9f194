"""The HTML report: one self-contained page, safe with hostile text, and a real picture.

The structure tests read the HTML; the screenshot test renders it in headless Chromium
(when installed) and checks that the PNG holds a drawing with the status colours, not a
blank page.
"""

from __future__ import annotations

import re
import struct
import subprocess
import xml.etree.ElementTree as ET
import zlib
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

import pytest

from demo.server import load_corpus
from tasks.report import (
    STATUS_COLORS,
    STATUS_LABELS_FR,
    ReportPoint,
    RetailerTimeline,
    render_report,
)

NAMES = {
    "auchan": "Auchan",
    "carrefour": "Carrefour",
    "casino": "Casino",
    "halles-delvaux": "Halles Delvaux",
    "intermarche": "Intermarché",
    "leclerc": "E.Leclerc",
    "monoprix": "Monoprix",
    "morrisons": "Morrisons",
    "systeme-u": "Système U",
    "whole-foods": "Whole Foods",
}
GENERATED = datetime(2025, 6, 12, 8, 0, tzinfo=UTC)


def corpus_timelines() -> list[RetailerTimeline]:
    """Timelines from the demo corpus' labels, as storage would hand them to the report."""
    points: dict[str, list[ReportPoint]] = {}
    for article in load_corpus():
        sentences = re.split(r"(?<=[.!?»])\s+", article.text)
        for mention in article.expected["mentions"]:
            name = NAMES[mention["retailer"]]
            key = name.removeprefix("E.").split()[-1]
            sentence = next((s for s in sentences if key in s), sentences[0])
            points.setdefault(mention["retailer"], []).append(
                ReportPoint(
                    published=article.published,
                    status=mention["status"],
                    reported=mention["reported"],
                    sentence=sentence,
                    url=f"http://127.0.0.1:8123{article.path}",
                    source=article.outlet,
                    title=article.title,
                )
            )
    return [RetailerTimeline(slug, NAMES[slug], pts) for slug, pts in points.items()]


def point(day: int, status: str, *, reported: bool = False, **extra: str) -> ReportPoint:
    fields = {
        "sentence": f"Phrase du jour {day}.",
        "url": f"https://news.example/{day}.html",
        "source": "Distri Hebdo",
        "title": f"Article {day}",
    }
    fields.update(extra)
    return ReportPoint(
        published=datetime(2024, 1, 1, 9, tzinfo=UTC) + timedelta(days=day),
        status=status,
        reported=reported,
        **fields,
    )


def svg_of(page: str) -> ET.Element:
    """The inline SVG, parsed as XML: a malformed drawing would not render."""
    match = re.search(r"<svg .*?</svg>", page, re.S)
    assert match, "no inline SVG"
    return ET.fromstring(match.group(0))


# --------------------------------------------------------------------------- structure


def test_french_labels_cover_every_status() -> None:
    assert (
        set(STATUS_LABELS_FR)
        == set(STATUS_COLORS)
        == {
            "rumored",
            "approached",
            "in_talks",
            "declined",
            "denied",
            "partnership",
            "acquired",
            "ended",
        }
    )
    assert STATUS_LABELS_FR["in_talks"] == "en discussions"
    assert STATUS_LABELS_FR["ended"] == "fin du partenariat"


def test_page_is_self_contained() -> None:
    timelines = corpus_timelines()
    page = render_report(timelines, generated_at=GENERATED)
    article_urls = {p.url for t in timelines for p in t.points}
    for attr, url in re.findall(r'\b(src|href)\s*=\s*"([^"]*)"', page):
        if re.match(r"(?i)https?:|//", url):
            assert attr == "href" and url in article_urls, url
    assert "<link" not in page and "@import" not in page and "@font-face" not in page
    assert not re.search(r"url\((?!#)", page), "only local url(#pattern) references"
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert page.count("<script>") == 1
    svg_of(page)


def test_text_is_escaped() -> None:
    hostile = ReportPoint(
        published=datetime(2024, 3, 1, tzinfo=UTC),
        status="rumored",
        reported=True,
        sentence='Amazon <script>alert("x")</script> & « Carrefour »',
        url='https://news.example/a?b=1&c="2"',
        source="<b>Éco</b> Matin",
        title="Titre </title><img src=x onerror=alert(1)>",
    )
    page = render_report(
        [RetailerTimeline("carrefour", "Carrefour <i>&</i>", [hostile])],
        title="<Rapport>",
    )
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "<b>Éco</b>" not in page and "<i>&</i>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "&lt;Rapport&gt;" in page
    assert page.count("<script>") == 1  # ours only
    svg_of(page)


def test_every_point_has_a_marker_with_its_sentence() -> None:
    timelines = corpus_timelines()
    page = render_report(timelines, generated_at=GENERATED)
    svg = svg_of(page)
    ns = "{http://www.w3.org/2000/svg}"
    markers = svg.findall(f".//{ns}a[@class='pt']")
    expected = sorted((t.name, p.sentence, p.url, p.source) for t in timelines for p in t.points)
    found = sorted(
        (a.get("data-retailer"), a.get("data-sentence"), a.get("href"), a.get("data-source"))
        for a in markers
    )
    assert found == expected
    for a in markers:
        title = a.find(f"{ns}title")
        assert title is not None and a.get("data-sentence") in (title.text or "")
        assert a.find(f"{ns}circle") is not None
    # The mention list repeats each sentence as text, for readers without JS or SVG.
    for t in timelines:
        for p in t.points:
            assert escape(p.sentence, quote=True) in page


def test_bands_current_status_and_legend() -> None:
    timeline = RetailerTimeline(
        "systeme-u",
        "Système U",
        # deliberately out of order: the report sorts by publication date
        [point(200, "partnership"), point(0, "approached", reported=True), point(30, "declined")],
    )
    page = render_report([timeline], generated_at=GENERATED)
    svg = svg_of(page)
    ns = "{http://www.w3.org/2000/svg}"
    bands = svg.findall(f".//{ns}rect[@class='band']")
    assert [b.get("fill") for b in bands] == [
        "url(#hatch-approached)",  # reported: hatched
        STATUS_COLORS["declined"],
        STATUS_COLORS["partnership"],
    ]
    widths = [float(b.get("width") or 0) for b in bands]
    assert widths[1] > widths[0] * 4  # 170 days against 30
    assert re.search(r'class="chip"[^>]*>partenariat<', page)
    assert "depuis le 19 juil. 2024" in page
    for label in STATUS_LABELS_FR.values():
        assert f"{escape(label)}</li>" in page


def test_unsafe_links_are_not_links() -> None:
    page = render_report(
        [RetailerTimeline("auchan", "Auchan", [point(1, "approached", url="javascript:alert(1)")])]
    )
    assert "javascript:" not in page


def test_empty_input_says_so() -> None:
    page = render_report([], generated_at=GENERATED)
    assert "Rien à montrer" in page and "<svg" not in page
    assert render_report([RetailerTimeline("x", "X", [])]).count("<svg") == 0


def test_one_and_forty_retailers() -> None:
    one = render_report([RetailerTimeline("leclerc", "E.Leclerc", [point(0, "approached")])])
    assert len(svg_of(one).findall(".//{http://www.w3.org/2000/svg}g[@class='row']")) == 1
    statuses = list(STATUS_LABELS_FR)
    many = [
        RetailerTimeline(
            f"r{i}",
            f"Enseigne {i}",
            [point(i * 9 + k * 40, statuses[(i + k) % 8], reported=k == 1) for k in range(3)],
        )
        for i in range(40)
    ]
    page = render_report(many, generated_at=GENERATED)
    svg = svg_of(page)
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}g[@class='row']")) == 40
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}a[@class='pt']")) == 120
    assert "40 enseignes" in page


# --------------------------------------------------------------------------- screenshot

CHROMIUM = Path("/usr/bin/chromium")


def decode_png(data: bytes) -> tuple[int, int, list[bytes], int]:
    """Width, height, unfiltered rows and bytes per pixel of an 8-bit RGB(A) PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat.append(chunk)
        pos += 12 + length
    assert header is not None
    width, height, depth, color_type, _, _, interlace = header
    assert depth == 8 and color_type in (2, 6) and interlace == 0, header
    bpp = 3 if color_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 255
        elif kind == 2:  # Up
            line = bytearray((x + u) & 255 for x, u in zip(line, prev, strict=True))
        elif kind in (3, 4):  # Average, Paeth
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
                if kind == 3:
                    line[i] = (line[i] + (a + b) // 2) & 255
                    continue
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows, bpp


def test_screenshot_in_headless_chromium(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    report = tmp_path / "report.html"
    report.write_text(render_report(corpus_timelines(), generated_at=GENERATED), "utf-8")
    shot = tmp_path / "r.png"
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}",
        "--window-size=1400,900",
        report.as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=90, check=False)
    assert shot.exists(), "Chromium wrote no screenshot"
    data = shot.read_bytes()
    assert len(data) > 20_000, "suspiciously small screenshot"
    width, height, rows, bpp = decode_png(data)
    assert (width, height) == (1400, 900)
    pixels = {row[i : i + 3] for row in rows[::3] for i in range(0, width * bpp, bpp * 3)}
    assert len(pixels) > 50, "the page is (nearly) a single colour"

    def present(hex_color: str) -> bool:
        target = bytes.fromhex(hex_color.removeprefix("#"))
        return any(all(abs(p[k] - target[k]) <= 10 for k in range(3)) for p in pixels)

    for status in ("partnership", "declined", "acquired", "denied"):
        assert present(STATUS_COLORS[status]), f"no {status} band drawn"
