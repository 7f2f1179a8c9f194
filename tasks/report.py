"""The storyline as a picture: one self-contained HTML page, a timeline per retailer.

A pure function of plain data (no database, no network), so the CLI, the demo and the tests
all draw the same page. Each retailer is a row; its relation with Amazon is a band that runs
from one mention to the next, coloured by status, hatched while it is only reported; each
article is a marker whose tooltip and click show the sentence, the source and the link.
Everything is inline (CSS, SVG, a few lines of JS) so the file can be mailed or opened
offline, and every piece of text is escaped since it comes from the outside world.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tasks.events import NO_STATUS
from tasks.events import STATUS_LABELS_FR as _LABELS

__all__ = [
    "STATUS_COLORS",
    "STATUS_LABELS_FR",
    "ReportPoint",
    "RetailerTimeline",
    "render_report",
]

# The statuses a timeline draws, with their French labels (one vocabulary: tasks/events.py).
STATUS_LABELS_FR: dict[str, str] = {k: v for k, v in _LABELS.items() if k != NO_STATUS}

STATUS_COLORS: dict[str, str] = {
    "rumored": "#9575cd",
    "approached": "#29b6f6",
    "in_talks": "#1565c0",
    "declined": "#f57c00",
    "denied": "#d32f2f",
    "partnership": "#2e7d32",
    "acquired": "#6a1b9a",
    "ended": "#78909c",
}
_OTHER_COLOR = "#bdbdbd"

_MONTHS_SHORT = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip

# Geometry of the SVG, in px of its viewBox.
_WIDTH = 1200
_LABEL_W = 290
_PLOT_X0 = _LABEL_W + 20
_PLOT_X1 = _WIDTH - 30
_AXIS_H = 44
_ROW_H = 46
_BAND_H = 18
_MIN_SPAN = timedelta(days=120)


@dataclass(frozen=True)
class ReportPoint:
    """One article's statement about a retailer and Amazon."""

    published: datetime
    status: str
    reported: bool
    sentence: str
    url: str
    source: str
    title: str


@dataclass(frozen=True)
class RetailerTimeline:
    """Every point known about one retailer (any order), with its display name."""

    retailer: str
    name: str
    points: list[ReportPoint]


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _label(status: str) -> str:
    return STATUS_LABELS_FR.get(status, status)


def _color(status: str) -> str:
    return STATUS_COLORS.get(status, _OTHER_COLOR)


def _day(moment: datetime) -> str:
    return f"{moment.day} {_MONTHS_SHORT[moment.month - 1]} {moment.year}"


def _safe_href(url: str) -> str | None:
    """Only http(s) links become links: a feed cannot smuggle ``javascript:`` in."""
    return url if url.lower().startswith(("http://", "https://")) else None


def _sorted_points(timeline: RetailerTimeline) -> list[ReportPoint]:
    return sorted(timeline.points, key=lambda p: (_utc(p.published), p.url))


class _Axis:
    """Maps dates to x on the shared time axis and draws its ticks."""

    def __init__(self, start: datetime, end: datetime) -> None:
        end = max(end, start + _MIN_SPAN)  # one article still gets a readable axis
        span = end - start
        pad = max(span * 0.03, timedelta(days=10))
        self.start, self.end = start - pad, end + pad
        self.seconds = (self.end - self.start).total_seconds()

    def x(self, moment: datetime) -> float:
        fraction = (_utc(moment) - self.start).total_seconds() / self.seconds
        return _PLOT_X0 + fraction * (_PLOT_X1 - _PLOT_X0)

    def months(self) -> list[datetime]:
        month = datetime(self.start.year, self.start.month, 1, tzinfo=UTC)
        found = []
        while month <= self.end:
            if month >= self.start:
                found.append(month)
            month = datetime(month.year + month.month // 12, month.month % 12 + 1, 1, tzinfo=UTC)
        return found

    def svg(self, y: float, height: float, *, labels_below: bool = False) -> str:
        """Grid lines and month/year labels; below the rows, only the labels."""
        months = self.months()
        px_per_month = (_PLOT_X1 - _PLOT_X0) / max(self.seconds / (30.44 * 86400), 1)
        step = next((s for s in (1, 2, 3, 6) if px_per_month * s >= 56), 12)
        parts = []
        label_y = y + height + 18 if labels_below else y - 10
        for month in months:
            x = self.x(month)
            is_year = month.month == 1
            if not is_year and (month.month - 1) % step:
                continue
            if not labels_below:
                parts.append(
                    f'<line class="{"grid-year" if is_year else "grid"}" x1="{x:.1f}" '
                    f'x2="{x:.1f}" y1="{y:.1f}" y2="{y + height:.1f}"/>'
                )
            text = str(month.year) if is_year else _MONTHS_SHORT[month.month - 1]
            cls = "tick-year" if is_year else "tick"
            parts.append(f'<text class="{cls}" x="{x + 3:.1f}" y="{label_y:.1f}">{text}</text>')
        first_january = next((m for m in months if m.month == 1), None)
        if not labels_below and (
            first_january is None or self.x(first_january) - _PLOT_X0 > 70
        ):  # name the first year once, top left, unless its January is already there
            parts.append(
                f'<text class="tick-year" x="{_PLOT_X0:.1f}" y="{label_y - 15:.1f}">'
                f"{self.start.year if not months else months[0].year}</text>"
            )
        return "\n".join(parts)


def _patterns() -> str:
    """One hatch per status: the unconfirmed version of its colour."""
    parts = []
    for status, color in STATUS_COLORS.items():
        parts.append(
            f'<pattern id="hatch-{status}" width="7" height="7" patternUnits="userSpaceOnUse"'
            f' patternTransform="rotate(45)"><rect width="7" height="7" fill="{color}"'
            f' fill-opacity="0.22"/><rect width="3" height="7" fill="{color}"'
            f' fill-opacity="0.85"/></pattern>'
        )
    parts.append(
        '<linearGradient id="fade" x1="0" x2="1" y1="0" y2="0">'
        '<stop offset="0" stop-color="#fff" stop-opacity="0"/>'
        '<stop offset="1" stop-color="#fff" stop-opacity="0.85"/></linearGradient>'
    )
    return "<defs>" + "".join(parts) + "</defs>"


def _fill(status: str, reported: bool) -> str:
    if reported and status in STATUS_COLORS:
        return f"url(#hatch-{status})"
    return _color(status)


def _tooltip(point: ReportPoint) -> str:
    state = " (non confirmé)" if point.reported else ""
    return (
        f"{_day(_utc(point.published))} · {_label(point.status)}{state}\n"
        f"« {point.sentence} »\n{point.source} — {point.title}"
    )


def _current_since(points: list[ReportPoint]) -> ReportPoint:
    """The first point of the last run of the current status: "declined since October",
    not since the latest article that repeated it."""
    first = points[-1]
    for point in reversed(points):
        if (point.status, point.reported) != (first.status, first.reported):
            break
        first = point
    return first


def _row(timeline: RetailerTimeline, axis: _Axis, y: float) -> str:
    points = _sorted_points(timeline)
    mid = y + _ROW_H / 2
    current = points[-1]
    since = _day(_utc(_current_since(points).published))
    chip = _label(current.status) + (" ?" if current.reported else "")
    chip_w = 14 + 6.6 * len(chip)
    parts = [
        f'<g class="row" data-retailer="{_esc(timeline.retailer)}">',
        f'<text class="name" x="14" y="{mid - 4:.1f}">{_esc(timeline.name)}</text>',
        f'<g class="current"><title>Statut actuel : {_esc(_label(current.status))}'
        f"{' (non confirmé)' if current.reported else ''}, depuis le {since}</title>"
        f'<rect x="14" y="{mid + 3:.1f}" width="{chip_w:.0f}" height="16" rx="8" '
        f'fill="{_fill(current.status, current.reported)}" '
        f'stroke="{_color(current.status)}"/>'
        f'<text class="chip{" chip-reported" if current.reported else ""}" '
        f'x="{14 + chip_w / 2:.1f}" y="{mid + 15:.1f}">{_esc(chip)}</text></g>',
        f'<text class="since" x="{20 + chip_w:.1f}" y="{mid + 15:.1f}">depuis le {since}</text>',
    ]
    # Bands: from each mention to the next one; the last runs to the end of the axis.
    ends = [_utc(p.published) for p in points[1:]] + [axis.end]
    for point, end in zip(points, ends, strict=True):
        x0, x1 = axis.x(point.published), axis.x(end)
        if x1 - x0 < 0.5:
            continue
        state = ", non confirmé" if point.reported else ""
        until = "aujourd'hui" if end == axis.end else _day(end)
        parts.append(
            f'<rect class="band" x="{x0:.1f}" y="{mid - _BAND_H / 2:.1f}" '
            f'width="{x1 - x0:.1f}" height="{_BAND_H}" '
            f'fill="{_fill(point.status, point.reported)}">'
            f"<title>{_esc(_label(point.status))}{state} : du "
            f"{_day(_utc(point.published))} à {until}</title></rect>"
        )
    last_x = axis.x(points[-1].published)
    if _PLOT_X1 - last_x > 40:
        parts.append(
            f'<rect x="{_PLOT_X1 - 40:.1f}" y="{mid - _BAND_H / 2:.1f}" width="40" '
            f'height="{_BAND_H}" fill="url(#fade)" pointer-events="none"/>'
        )
    # Markers: one per article; articles of the same day stack a little.
    previous_x, stack = -100.0, 0
    for point in points:
        x = axis.x(point.published)
        stack = stack + 1 if x - previous_x < 7 else 0
        previous_x = x
        dy = (-1) ** stack * 5 * ((stack + 1) // 2)
        href = _safe_href(point.url)
        href_attr = f' href="{_esc(href)}" target="_blank" rel="noopener"' if href else ""
        marker_cls = "marker reported" if point.reported else "marker"
        parts.append(
            f'<a class="pt"{href_attr} data-date="{_esc(_day(_utc(point.published)))}" '
            f'data-status="{_esc(_label(point.status))}" '
            f'data-reported="{"1" if point.reported else "0"}" '
            f'data-retailer="{_esc(timeline.name)}" data-sentence="{_esc(point.sentence)}" '
            f'data-source="{_esc(point.source)}" data-title="{_esc(point.title)}" '
            f'data-url="{_esc(href or "")}" tabindex="0">'
            f"<title>{_esc(_tooltip(point))}</title>"
            f'<circle class="{marker_cls}" cx="{x:.1f}" cy="{mid + dy:.1f}" r="5.5" '
            f'style="--c:{_color(point.status)}"/></a>'
        )
    parts.append("</g>")
    return "\n".join(parts)


def _legend() -> str:
    items = [
        f'<li><span class="swatch" style="background:{color}"></span>'
        f"{_esc(STATUS_LABELS_FR[status])}</li>"
        for status, color in STATUS_COLORS.items()
    ]
    items.append(
        '<li><span class="swatch hatched"></span>rayé : non confirmé (rumeur, conditionnel)</li>'
    )
    items.append(
        '<li><span class="dot"></span><span class="dot hollow"></span>un article '
        "(creux : non confirmé)</li>"
    )
    return '<ul class="legend">' + "".join(items) + "</ul>"


def _mention_list(timelines: list[RetailerTimeline]) -> str:
    rows = sorted(
        ((p, t) for t in timelines for p in t.points),
        key=lambda pt: (_utc(pt[0].published), pt[1].name),
    )
    items = []
    for point, timeline in rows:
        href = _safe_href(point.url)
        title = _esc(point.title)
        link = (
            f'<a href="{_esc(href)}" target="_blank" rel="noopener">{title}</a>' if href else title
        )
        items.append(
            f"<li><time>{_day(_utc(point.published))}</time> <b>{_esc(timeline.name)}</b> "
            f'<span class="tag" style="--c:{_color(point.status)}">'
            f"{_esc(_label(point.status))}{' ?' if point.reported else ''}</span> "
            f"« {_esc(point.sentence)} » — {_esc(point.source)}, {link}</li>"
        )
    return (
        f"<details><summary>Toutes les mentions ({len(rows)})</summary>"
        f'<ol class="mentions">{"".join(items)}</ol></details>'
    )


_CSS = """
:root { color-scheme: light; --ink: #1f2430; --muted: #667085; --line: #e4e7ec; }
* { box-sizing: border-box; }
body { margin: 0; background: #f6f7f9; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
header { padding: 22px 32px 8px; }
h1 { margin: 0 0 4px; font-size: 22px; letter-spacing: -0.01em; }
.meta { margin: 0; color: var(--muted); }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; margin: 10px 0 0;
  padding: 0; color: #344054; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.swatch { width: 26px; height: 12px; border-radius: 3px; display: inline-block; }
.swatch.hatched { background: repeating-linear-gradient(45deg, #667085 0 3px, #d0d5dd 3px 7px); }
.dot { width: 11px; height: 11px; border-radius: 50%; background: #2e7d32;
  border: 1.3px solid #1f2430; display: inline-block; }
.dot.hollow { background: #fff; border: 2.4px solid #f57c00; }
main { padding: 8px 32px 24px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 12px;
  box-shadow: 0 1px 2px rgba(16, 24, 40, .05); overflow-x: auto; }
svg { display: block; width: 100%; min-width: 980px; height: auto; }
.row-bg { fill: #fff; } .row-bg.odd { fill: #fafbfc; }
.name { font-weight: 650; font-size: 14px; fill: var(--ink); }
.chip { font-size: 11px; fill: #fff; text-anchor: middle; font-weight: 600; }
.chip-reported { fill: var(--ink); }
.since { font-size: 11px; fill: var(--muted); }
.grid { stroke: #eef0f3; stroke-width: 1; } .grid-year { stroke: #c9ced6; stroke-width: 1.2; }
.tick { font-size: 11px; fill: var(--muted); }
.tick-year { font-size: 12px; font-weight: 700; fill: #344054; }
.band { stroke: #fff; stroke-width: 1; }
.marker { fill: var(--c); stroke: #1f2430; stroke-width: 1.3; cursor: pointer;
  transition: r .12s; }
.marker.reported { fill: #fff; stroke: var(--c); stroke-width: 2.4; }
a.pt:hover .marker, a.pt:focus .marker, a.pt.selected .marker { r: 8.5px; }
a.pt.selected .marker { stroke: var(--ink); stroke-width: 2.4; }
a.pt:focus { outline: none; }
.details { margin: 14px 0 0; padding: 14px 18px; background: #fff;
  border: 1px solid var(--line); border-left: 5px solid var(--c, #98a2b3);
  border-radius: 10px; min-height: 64px; }
.details .hint { color: var(--muted); margin: 0; }
.details .d-head { margin: 0 0 4px; font-size: 13px; color: var(--muted); }
.details .d-head b { color: var(--ink); }
.details blockquote { margin: 4px 0 6px; font-size: 15px; }
.details a { color: #175cd3; }
details { margin-top: 18px; }
summary { cursor: pointer; color: #344054; font-weight: 600; }
.mentions { padding-left: 22px; color: #344054; }
.mentions li { margin: 4px 0; }
.mentions time { color: var(--muted); font-variant-numeric: tabular-nums; }
.tag { display: inline-block; padding: 0 7px; border-radius: 8px; font-size: 12px;
  color: #fff; background: var(--c); }
.empty { margin: 40px 32px; padding: 40px; text-align: center; background: #fff;
  border: 1px dashed #c9ced6; border-radius: 12px; color: var(--muted); font-size: 16px; }
footer { padding: 0 32px 28px; color: var(--muted); font-size: 12px; }
"""

_JS = """
(function () {
  var panel = document.getElementById("details");
  if (!panel) return;
  function field(cls) { return panel.querySelector("." + cls); }
  function show(a) {
    document.querySelectorAll("a.pt.selected").forEach(function (o) {
      o.classList.remove("selected");
    });
    a.classList.add("selected");
    var c = a.querySelector("circle");
    panel.style.setProperty("--c", c ? getComputedStyle(c).getPropertyValue("--c") : "");
    field("hint").hidden = true;
    field("d-body").hidden = false;
    field("d-retailer").textContent = a.getAttribute("data-retailer");
    field("d-status").textContent = a.getAttribute("data-status") +
      (a.getAttribute("data-reported") === "1" ? " (non confirmé)" : "");
    field("d-date").textContent = a.getAttribute("data-date");
    field("d-sentence").textContent = "« " + a.getAttribute("data-sentence") + " »";
    field("d-source").textContent = a.getAttribute("data-source");
    var link = field("d-link"), url = a.getAttribute("data-url");
    link.textContent = a.getAttribute("data-title");
    if (url) { link.setAttribute("href", url); } else { link.removeAttribute("href"); }
  }
  document.querySelectorAll("a.pt").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      ev.preventDefault();
      show(a);
    });
    a.addEventListener("keydown", function (ev) {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); show(a); }
    });
  });
})();
"""

_FOOTER = """<footer>Chaque bande court d'une mention à la suivante ; la dernière indique le
statut actuel. Un point creux ou une bande rayée : information rapportée, non confirmée.</footer>"""

_DETAILS = """<section id="details" class="details" aria-live="polite">
<p class="hint">Survolez un point pour lire la phrase ; cliquez dessus pour la garder ici avec
le lien vers l'article.</p>
<div class="d-body" hidden>
<p class="d-head"><b class="d-retailer"></b> · <span class="d-status"></span> ·
<span class="d-date"></span></p>
<blockquote class="d-sentence"></blockquote>
<p><span class="d-source"></span> — <a class="d-link" target="_blank" rel="noopener"></a></p>
</div>
</section>"""


def _svg(timelines: list[RetailerTimeline]) -> str:
    dates = [_utc(p.published) for t in timelines for p in t.points]
    axis = _Axis(min(dates), max(dates))
    rows_y0 = _AXIS_H
    height = rows_y0 + _ROW_H * len(timelines) + (_AXIS_H if len(timelines) > 12 else 12)
    rows_h = _ROW_H * len(timelines)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {height}" '
        f'role="img" aria-label="Chronologie des enseignes et d\'Amazon">',
        _patterns(),
    ]
    # Layers, bottom to top: row stripes, the time grid, then each row's bands and markers.
    for index in range(len(timelines)):
        parts.append(
            f'<rect class="row-bg{" odd" if index % 2 else ""}" x="0" '
            f'y="{rows_y0 + index * _ROW_H}" width="{_WIDTH}" height="{_ROW_H}"/>'
        )
    parts.append(axis.svg(rows_y0, rows_h))
    for index, timeline in enumerate(timelines):
        parts.append(_row(timeline, axis, rows_y0 + index * _ROW_H))
    if len(timelines) > 12:
        parts.append(axis.svg(rows_y0, rows_h, labels_below=True))
    parts.append(
        f'<line class="grid-year" x1="{_LABEL_W:.1f}" x2="{_LABEL_W:.1f}" y1="{rows_y0}" '
        f'y2="{rows_y0 + rows_h}"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def render_report(
    timelines: list[RetailerTimeline],
    *,
    title: str = "veille — Amazon et la grande distribution",
    generated_at: datetime | None = None,
) -> str:
    """The whole HTML page for these timelines (rows with no point are left out)."""
    generated = _utc(generated_at or datetime.now(UTC))
    kept = [t for t in timelines if t.points]
    kept.sort(key=lambda t: (_utc(_sorted_points(t)[0].published), t.name.casefold()))
    n_points = sum(len(t.points) for t in kept)
    stamp = f"{_day(generated)} à {generated:%H:%M} UTC"
    if kept:
        dates = [_utc(p.published) for t in kept for p in t.points]
        meta = (
            f"{len(kept)} enseigne{'s' if len(kept) > 1 else ''} · {n_points} mention"
            f"{'s' if n_points > 1 else ''} · du {_day(min(dates))} au {_day(max(dates))} · "
            f"généré le {stamp}"
        )
        body = f'<main><div class="card">{_svg(kept)}</div>{_DETAILS}{_mention_list(kept)}</main>'
        script = f"<script>{_JS}</script>"
    else:
        meta = f"généré le {stamp}"
        body = (
            "<main><p class=\"empty\">Rien à montrer pour l'instant : aucune enseigne n'a "
            "encore été associée à Amazon dans les articles lus.</p></main>"
        )
        script = ""
    return f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{_esc(title)}</h1>
<p class="meta">{meta}</p>
{_legend() if kept else ""}
</header>
{body}
{_FOOTER if kept else ""}
{script}
</body>
</html>
"""
