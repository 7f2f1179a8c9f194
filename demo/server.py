"""A local newsroom: RSS feeds and article pages served from the demo corpus.

``make demo`` and the tests point veille at this server instead of the Internet. Each
outlet of ``demo/corpus/articles.jsonl`` gets an RSS 2.0 feed at ``/feeds/{outlet}.xml``
and each article an HTML page at ``/{outlet}/{id}.html``. Articles are released in
batches (the corpus' ``step`` field) so that successive polls see the storyline move:

    with DemoFeedServer() as news:            # step 1 released, port chosen by the OS
        Path("feeds.toml").write_text(news.feeds_toml())
        ...                                   # veille polls
        news.release_next()                   # step 2 appears in the feeds
        ...

Feeds answer conditional requests (ETag / Last-Modified → 304) like a well-behaved
server, so the fetcher's caching is exercised too. Pages carry navigation, a cookie
banner, a "most read" box and a footer so that text extraction has something to remove.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from demo.background import BackgroundServer

__all__ = ["CORPUS_PATH", "DemoArticle", "DemoFeedServer", "load_corpus", "slugify"]

CORPUS_PATH = Path(__file__).parent / "corpus" / "articles.jsonl"

_MONTHS_FR = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip

_BYLINES = (
    "Camille Perrot", "Julien Aubert", "Sophie Lemaire", "Nicolas Ferrand",
    "Anaïs Roussel", "Thomas Giraud", "Léa Marchand", "Pierre Vidal",
)  # fmt: skip

_SECTIONS = ("Économie", "Distribution", "Consommation", "Entreprises", "Tech", "Marchés")

_MOST_READ = (
    "Immobilier : les taux des crédits repartent à la baisse",
    "Carburants : les prix à la pompe reculent pour la troisième semaine",
    "Emploi : les intentions d'embauche des PME au plus haut",
    "Retraites complémentaires : ce qui change au 1er novembre",
)


def slugify(text: str) -> str:
    """``"Rayons & Marchés"`` → ``"rayons-marches"``: ASCII, lowercase, dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


@dataclass(frozen=True)
class DemoArticle:
    """One line of the demo corpus."""

    id: str
    outlet: str
    url: str
    published: datetime
    title: str
    summary: str
    text: str
    step: int
    story: str
    expected: dict[str, Any]

    @property
    def outlet_slug(self) -> str:
        return slugify(self.outlet)

    @property
    def path(self) -> str:
        """Where the page lives on the demo server (same path as in ``url``)."""
        return f"/{self.outlet_slug}/{self.id}.html"

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.text.split("\n\n") if p.strip()]


def load_corpus(path: Path = CORPUS_PATH) -> list[DemoArticle]:
    """Read the JSONL corpus, oldest article first."""
    articles = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            row = json.loads(line)
            row["published"] = datetime.fromisoformat(row["published"].replace("Z", "+00:00"))
            articles.append(DemoArticle(**row))
    return sorted(articles, key=lambda a: (a.published, a.id))


def _french_date(moment: datetime) -> str:
    return (
        f"{moment.day} {_MONTHS_FR[moment.month - 1]} {moment.year} "
        f"à {moment.hour} h {moment.minute:02d}"
    )


def _byline(article: DemoArticle) -> str:
    if article.outlet_slug == "depeches-eco-presse":
        return "La rédaction (DEP)"
    digest = hashlib.sha1(article.id.encode()).digest()
    return _BYLINES[digest[0] % len(_BYLINES)]


def local_settings_toml(database: Path, *, digest_threshold: int | None = None) -> str:
    """The [settings] of a veille run against local servers only: 127.0.0.1 allowed past the
    SSRF guard, no politeness delay or retries, short timeouts."""
    text = f"""[settings]
database = "{Path(database).as_posix()}"

[settings.fetch]
allowed_hosts = ["127.0.0.1"]
politeness_delay = 0
retries = 0
connect_timeout = 2
read_timeout = 5
total_timeout = 10
per_host_concurrency = 8
"""
    if digest_threshold is not None:
        text += f"\n[settings.notify]\ndigest_threshold = {digest_threshold}\n"
    return text


class DemoFeedServer(BackgroundServer):
    """RSS feeds and article pages of the demo corpus on 127.0.0.1, released step by step.

    ``step`` is the number of batches visible at start (1 by default, 0 for none).
    """

    def __init__(
        self,
        corpus: Path | Iterable[DemoArticle] = CORPUS_PATH,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        step: int = 1,
    ) -> None:
        self.articles: list[DemoArticle] = (
            load_corpus(corpus) if isinstance(corpus, Path) else list(corpus)
        )
        self._by_path = {a.path: a for a in self.articles}
        self.outlets: dict[str, str] = {}  # slug → display name, in order of first article
        for article in self.articles:
            self.outlets.setdefault(article.outlet_slug, article.outlet)
        self.max_step = max((a.step for a in self.articles), default=0)
        super().__init__(host, port)
        self._lock = threading.Lock()
        self._step = step
        self.hits: list[tuple[str, str, int]] = []  # (method, path, status), for tests

    thread_name = "demo-feed-server"

    def _make_server(self) -> _DemoHTTPServer:
        return _DemoHTTPServer(self._address, self)

    def feed_url(self, outlet_slug: str) -> str:
        return f"{self.base_url}/feeds/{outlet_slug}.xml"

    def article_url(self, article: DemoArticle) -> str:
        """The article's link on this server (what the feeds point to)."""
        return f"{self.base_url}{article.path}"

    # releases --------------------------------------------------------------
    @property
    def step(self) -> int:
        """The last released batch."""
        with self._lock:
            return self._step

    def release(self, step: int) -> None:
        """Make every article with ``step <= step`` visible (it never hides any)."""
        with self._lock:
            self._step = max(self._step, min(step, self.max_step))

    def release_next(self) -> int:
        """Release one more batch; return the step now visible (stays at the last one)."""
        with self._lock:
            self._step = min(self._step + 1, self.max_step)
            return self._step

    @property
    def done(self) -> bool:
        """True once every batch is released."""
        return self.step >= self.max_step

    def visible(self, outlet_slug: str | None = None) -> list[DemoArticle]:
        """The released articles (of one outlet, if given), oldest first."""
        step = self.step
        return [
            a
            for a in self.articles
            if a.step <= step and (outlet_slug is None or a.outlet_slug == outlet_slug)
        ]

    # configuration ---------------------------------------------------------
    def feeds_toml(self, *, interval: int | None = None, tags: Iterable[str] = ("demo",)) -> str:
        """A ``feeds.toml`` listing every outlet's feed on this server."""
        tag_list = ", ".join(json.dumps(t, ensure_ascii=False) for t in tags)
        blocks = ["# Demo feeds served by demo/server.py on 127.0.0.1 (no network needed)."]
        for slug, name in self.outlets.items():
            lines = [
                "[[feeds]]",
                f"name = {json.dumps(name, ensure_ascii=False)}",
                f"url = {json.dumps(self.feed_url(slug))}",
            ]
            if interval is not None:
                lines.append(f"interval = {int(interval)}")
            lines.append(f"tags = [{tag_list}]")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    # rendering -------------------------------------------------------------
    def render_feed(self, outlet_slug: str) -> tuple[bytes, str, datetime]:
        """The RSS document of one outlet, its ETag and its Last-Modified date."""
        items = sorted(self.visible(outlet_slug), key=lambda a: a.published, reverse=True)
        name = self.outlets[outlet_slug]
        last = items[0].published if items else datetime(2023, 1, 1, tzinfo=UTC)
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
            "<channel>",
            f"<title>{xml_escape(name)}</title>",
            f"<link>{self.base_url}/{outlet_slug}/</link>",
            f"<description>{xml_escape(name)} : les dernières actualités</description>",
            "<language>fr-fr</language>",
            f"<lastBuildDate>{format_datetime(last, usegmt=True)}</lastBuildDate>",
        ]
        for a in items:
            parts += [
                "<item>",
                f"<title>{xml_escape(a.title)}</title>",
                f"<link>{self.article_url(a)}</link>",
                f'<guid isPermaLink="false">urn:veille-demo:{a.id}</guid>',
                f"<pubDate>{format_datetime(a.published, usegmt=True)}</pubDate>",
                f"<dc:creator>{xml_escape(_byline(a))}</dc:creator>",
                f"<description>{xml_escape(a.summary)}</description>",
                "</item>",
            ]
        parts += ["</channel>", "</rss>", ""]
        body = "\n".join(parts).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        return body, etag, last

    def render_article(self, article: DemoArticle) -> bytes:
        """A realistic article page: the text inside ``<article>``, clutter around it."""
        e = html.escape
        outlet = e(article.outlet)
        nav = "".join(
            f'<li><a href="/{article.outlet_slug}/rubrique/{slugify(s)}">{e(s)}</a></li>'
            for s in _SECTIONS
        )
        most_read = "".join(f'<li><a href="#">{e(t)}</a></li>' for t in _MOST_READ)
        body = "\n".join(f"<p>{e(p)}</p>" for p in article.paragraphs)
        iso = article.published.isoformat().replace("+00:00", "Z")
        page = f"""<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<title>{e(article.title)} | {outlet}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="{e(article.summary)}">
<meta property="og:type" content="article">
<meta property="og:title" content="{e(article.title)}">
<meta property="og:site_name" content="{outlet}">
<meta property="article:published_time" content="{iso}">
<link rel="canonical" href="{e(self.article_url(article))}">
</head>
<body>
<div class="cookie-banner" role="dialog">Nous utilisons des cookies pour mesurer
l'audience et personnaliser les contenus. <button>Tout accepter</button>
<button>Paramétrer</button></div>
<header class="site-header"><a class="logo" href="/{article.outlet_slug}/">{outlet}</a>
<nav><ul>{nav}<li><a href="/abonnement">S'abonner</a></li></ul></nav></header>
<main>
<article>
<p class="kicker">Distribution</p>
<h1>{e(article.title)}</h1>
<p class="chapo"><strong>{e(article.summary)}</strong></p>
<p class="byline">Par <span class="author">{e(_byline(article))}</span>, publié le
<time datetime="{iso}">{_french_date(article.published)}</time></p>
{body}
</article>
<aside class="most-read"><h2>Les plus lus</h2><ol>{most_read}</ol></aside>
<section class="newsletter"><h2>Newsletter</h2><p>Recevez chaque matin notre sélection
d'articles. <a href="/newsletter">Je m'inscris</a></p></section>
</main>
<footer class="site-footer"><p>© {article.published.year} {outlet}. Tous droits
réservés.</p><ul><li><a href="/mentions-legales">Mentions légales</a></li>
<li><a href="/contact">Contact</a></li><li><a href="/cgu">CGU</a></li></ul></footer>
</body>
</html>
"""
        return page.encode("utf-8")

    def render_index(self) -> bytes:
        e = html.escape
        rows = "".join(
            f'<li><a href="/feeds/{slug}.xml">{e(name)}</a> '
            f"({len(self.visible(slug))} articles)</li>"
            for slug, name in self.outlets.items()
        )
        return (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">'
            "<title>veille — serveur de démonstration</title></head><body>"
            f"<h1>Flux de démonstration</h1><p>Étape {self.step} sur {self.max_step}.</p>"
            f"<ul>{rows}</ul></body></html>"
        ).encode()


class _DemoHandler(BaseHTTPRequestHandler):
    server: _DemoHTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out as separate writes: without TCP_NODELAY, Nagle and delayed ACK
    # add 40 ms to every response, which no real server does.
    disable_nagle_algorithm = True

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        news = self.server.owner
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        status = 200
        headers: dict[str, str] = {}
        body = b""
        feed = re.fullmatch(r"/feeds/([a-z0-9-]+)\.xml", path)
        if feed and feed.group(1) in news.outlets:
            body, etag, last = news.render_feed(feed.group(1))
            headers = {
                "Content-Type": "application/rss+xml; charset=utf-8",
                "ETag": etag,
                "Last-Modified": format_datetime(last, usegmt=True),
                "Cache-Control": "no-cache",
            }
            if _not_modified(
                self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, last
            ):
                status, body = 304, b""
        elif path in ("/", "/index.html"):
            body, headers = news.render_index(), {"Content-Type": "text/html; charset=utf-8"}
        else:
            article = news._by_path.get(path)
            if article is not None and article.step <= news.step:
                body = news.render_article(article)
                headers = {
                    "Content-Type": "text/html; charset=utf-8",
                    "Last-Modified": format_datetime(article.published, usegmt=True),
                }
            else:
                status = 404
                body = (
                    b'<!DOCTYPE html><html lang="fr"><body><h1>Page introuvable</h1></body></html>'
                )
                headers = {"Content-Type": "text/html; charset=utf-8"}
        with news._lock:
            news.hits.append((self.command, path, status))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: ``DemoFeedServer.hits`` records the requests."""


def _not_modified(
    if_none_match: str | None, if_modified_since: str | None, etag: str, last: datetime
) -> bool:
    """RFC 9110: If-None-Match wins when present; else compare If-Modified-Since."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return last <= since
    return False


class _DemoHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], owner: DemoFeedServer) -> None:
        self.owner = owner
        super().__init__(address, _DemoHandler)


def main(argv: list[str] | None = None) -> None:
    """``python -m demo.server``: serve the demo feeds; Enter releases the next step."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--port", type=int, default=8123)
    parser.add_argument("--step", type=int, default=1, help="batches visible at start")
    args = parser.parse_args(argv)
    with DemoFeedServer(port=args.port, step=args.step) as news:
        print(news.feeds_toml())
        print(f"Serving {len(news.articles)} articles on {news.base_url} (step {news.step}).")
        try:
            while not news.done:
                input("Enter to release the next step, Ctrl-C to stop… ")
                print(f"step {news.release_next()}: {len(news.visible())} articles visible")
            input("All steps released. Enter to stop. ")
        except (KeyboardInterrupt, EOFError):
            pass


if __name__ == "__main__":
    main()
