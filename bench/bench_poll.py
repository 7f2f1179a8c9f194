"""Poll benchmark: 1,000 feeds on a local server, unchanged (304), then with new items.

Prints, for the issue notes:
- wall time of a poll of N feeds that all answer 304 (goal < 20 s at 1,000 feeds);
- articles/s with M new items per feed, and the per-article cost of the poll divided by bare
  ``trafilatura.bare_extraction`` on the same pages, measured in the same run (goal ≤ 1.5×);
- peak memory (max RSS) and Prefect's share of the run time (the same poll with the tasks called
  as plain functions in threads is the reference).

Everything is served from 127.0.0.1. Pages are ../shared/peers/trafilatura-pages when present
(real pages), else the demo corpus rendered as HTML.

    python bench/bench_poll.py [--feeds 1000] [--items 20]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "ERROR")

from prefect import flow  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

import flows  # noqa: E402,F401  (Prefect defaults first)
from config.settings import Config, parse_config  # noqa: E402
from flows.poll import WORKERS, plain_map, run_poll  # noqa: E402
from tests.support.http_server import LocalHTTPServer  # noqa: E402

SHARED_PAGES = REPO.parent / "shared" / "peers" / "trafilatura-pages"


def load_pages() -> list[bytes]:
    if SHARED_PAGES.is_dir():
        return [p.read_bytes() for p in sorted(SHARED_PAGES.glob("*.html"))]
    from demo.server import load_corpus

    pages = []
    for a in load_corpus():
        body = "".join(f"<p>{p}</p>" for p in a.paragraphs)
        html = f'<html lang="fr"><body><article><h1>{a.title}</h1>{body}</article></body></html>'
        pages.append(html.encode())
    return pages


def rss(items: list[tuple[str, str, datetime]]) -> bytes:
    rows = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
        f"<pubDate>{format_datetime(d)}</pubDate></item>"
        for t, u, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>b</title>'
        f"{rows}</channel></rss>"
    ).encode()


def make_config(db: Path, urls: list[str]) -> Config:
    return parse_config(
        {
            "settings": {
                "database": str(db),
                "max_new_articles_per_feed": 1000,
                "fetch": {
                    "allowed_hosts": ["127.0.0.1"],
                    "politeness_delay": 0,
                    "per_host_concurrency": 64,
                    "retries": 0,
                    "max_bytes": 20_000_000,
                },
            },
            "feeds": [{"name": f"bench {i}", "url": u} for i, u in enumerate(urls)],
        },
        "bench",
    )


@flow(name="bench-poll", task_runner=ThreadPoolTaskRunner(max_workers=WORKERS))
def prefect_poll(config: Config) -> dict:
    return run_poll(config, alerts=False).as_dict()


def plain_poll(config: Config) -> dict:
    return run_poll(config, alerts=False, mapper=plain_map(WORKERS)).as_dict()


def serve_in_child(feeds: int, items: int, pages: list[bytes], phase: Any, port_out: Any) -> None:
    """The feed server in its own process, so it does not share the poller's GIL."""
    now = datetime.now(UTC)
    with LocalHTTPServer() as server:
        base = f"http://127.0.0.1:{server.port}"
        empty = rss([])
        full: list[bytes] = []
        for i in range(feeds):
            rows = []
            for j in range(items):
                path = f"/a/{i}/{j}.html"
                page = pages[(i * items + j) % len(pages)]
                server.add_static(path, page, {"Content-Type": "text/html; charset=utf-8"})
                rows.append((f"article {i}-{j}", base + path, now - timedelta(minutes=j)))
            full.append(rss(rows))

        def feed_route(i: int) -> Any:
            def route(h: Any) -> None:
                tag = f'"n{i}"' if phase.value else f'"e{i}"'
                if h.headers.get("If-None-Match") == tag:
                    h.reply(304, b"", {"ETag": tag})
                else:
                    body = full[i] if phase.value else empty
                    h.reply(200, body, {"ETag": tag, "Content-Type": "application/rss+xml"})

            return route

        for i in range(feeds):
            server.add(f"/f{i}.xml", feed_route(i))
        port_out.send(server.port)
        while True:
            time.sleep(3600)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--items", type=int, default=20)
    args = ap.parse_args()
    pages = load_pages()
    tmp = Path(tempfile.mkdtemp(prefix="veille-bench-"))
    ctx = multiprocessing.get_context("fork")
    phase = ctx.Value("i", 0)
    parent_end, child_end = ctx.Pipe()
    server = ctx.Process(
        target=serve_in_child, args=(args.feeds, args.items, pages, phase, child_end), daemon=True
    )
    server.start()
    try:
        port = parent_end.recv()
        urls = [f"http://127.0.0.1:{port}/f{i}.xml" for i in range(args.feeds)]
        configs = {k: make_config(tmp / f"{k}.db", urls) for k in ("prefect", "plain")}

        t = time.perf_counter()
        prefect_poll(configs["prefect"])  # first poll: 200s, validators stored, server started
        first = time.perf_counter() - t
        plain_poll(configs["plain"])

        t = time.perf_counter()
        s304 = prefect_poll(configs["prefect"])
        t304 = time.perf_counter() - t
        t = time.perf_counter()
        p304 = plain_poll(configs["plain"])
        t304_plain = time.perf_counter() - t
        assert s304["feeds_not_modified"] == args.feeds, s304
        assert p304["feeds_not_modified"] == args.feeds, p304

        phase.value = 1  # every feed now has M new items
        t = time.perf_counter()
        snew = prefect_poll(configs["prefect"])
        tnew = time.perf_counter() - t
        t = time.perf_counter()
        pnew = plain_poll(configs["plain"])
        tnew_plain = time.perf_counter() - t
        n_articles = snew["new_articles"]
    finally:
        server.kill()

    # Reference: bare trafilatura on the same pages, in the same process.
    import trafilatura

    served = [pages[k % len(pages)] for k in range(args.feeds * args.items)]
    sample = served[: min(len(served), 2000)]
    t = time.perf_counter()
    for page in sample:
        trafilatura.bare_extraction(page, with_metadata=True)
    bare = (time.perf_counter() - t) / len(sample)
    per_article = tnew / max(1, n_articles)
    per_article_plain = tnew_plain / max(1, pnew["new_articles"])
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"feeds: {args.feeds}, new items per feed: {args.items}, pages: {len(pages)} distinct")
    print(f"first poll (200s, incl. Prefect's temporary server start): {first:.2f} s")
    print(
        f"poll, all 304: {t304:.2f} s  (goal < 20 s)  plain-threads reference {t304_plain:.2f} s"
        f"  → Prefect share {max(0.0, 1 - t304_plain / t304):.0%}"
    )
    print(
        f"poll with new items: {n_articles} articles in {tnew:.1f} s = {n_articles / tnew:.1f}"
        f" articles/s; plain reference {tnew_plain:.1f} s → Prefect share "
        f"{max(0.0, 1 - tnew_plain / tnew):.0%}"
    )
    print(
        f"per-article cost {per_article * 1000:.1f} ms (plain {per_article_plain * 1000:.1f} ms)"
        f" vs bare_extraction {bare * 1000:.1f} ms → ratio {per_article / bare:.2f}×"
        f" (plain {per_article_plain / bare:.2f}×; goal ≤ 1.5×)"
    )
    print(
        f"relevant: {snew['relevant_articles']}; failures: {snew['failures_by_kind']}"
        f" / plain {pnew['failures_by_kind']}"
    )
    print(f"peak memory (max RSS of this process): {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
