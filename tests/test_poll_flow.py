"""The poll flow end to end, on real parts: a local HTTP server serving feeds and pages, a real
SQLite file, Prefect's test harness running the flow, and a local webhook receiving the alert.

The articles are short French texts written for these tests.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from config.settings import parse_config
from demo.receivers import WebhookReceiver
from storage.db import open_db
from tests.support.fixtures_http import http_server  # noqa: F401
from tests.support.http_server import LocalHTTPServer, closed_port_url

PAGE = """<!doctype html><html lang="fr"><head><title>{title}</title></head><body>
<nav>Accueil | Économie | Distribution</nav><article><h1>{title}</h1>
<p class="byline">Par la rédaction</p>{paras}</article><footer>Mentions légales</footer>
</body></html>"""

RELEVANT = (
    "Amazon a approché l'enseigne Lidl pour un partenariat de livraison",
    [
        "Le géant américain du commerce en ligne a approché Lidl ces dernières semaines, "
        "a confirmé "
        "mardi la direction du discounter allemand, sans donner plus de détails sur la nature des "
        "échanges entre les deux groupes.",
        "Selon un porte-parole de Lidl, les discussions portent sur la livraison à domicile de "
        "produits alimentaires dans plusieurs grandes villes françaises. Aucun accord n'a encore "
        "été signé à ce stade, précise-t-on au siège.",
        "La grande distribution française observe de près les mouvements d'Amazon depuis le "
        "rachat de la chaîne de supermarchés Whole Foods aux États-Unis.",
    ],
)
UNRELATED = (
    "La production industrielle recule en octobre",
    [
        "La production industrielle a reculé de 0,4 % en octobre, selon les chiffres publiés "
        "vendredi par l'institut statistique national, pénalisée par l'automobile.",
        "Les économistes s'attendaient à une légère hausse après un été morose. La chimie et "
        "l'agroalimentaire résistent mieux que la métallurgie, notent les analystes.",
    ],
)


def page(title: str, paras: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return PAGE.format(title=title, paras=body).encode()


def rss(items: list[tuple[str, str, datetime]]) -> bytes:
    rows = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
        f"<pubDate>{format_datetime(d)}</pubDate><description>{t}.</description></item>"
        for t, u, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Test</title><link>http://127.0.0.1/</link>{rows}</channel></rss>"
    ).encode()


def make_config(tmp_path: Path, feeds: list[tuple[str, str]]) -> object:
    data = {
        "settings": {
            "database": str(tmp_path / "veille.db"),
            "fetch": {
                "allowed_hosts": ["127.0.0.1"],
                "politeness_delay": 0,
                "retries": 0,
                "connect_timeout": 1,
                "read_timeout": 2,
                "total_timeout": 4,
                "per_host_concurrency": 8,
            },
        },
        "feeds": [{"name": n, "url": u} for n, u in feeds],
    }
    return parse_config(data, "test")


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch):
    with WebhookReceiver() as rec:
        monkeypatch.setenv("VEILLE_NOTIFY", f"slack={rec.apprise_url('hook')}")
        yield rec


def test_poll_stores_detects_skips_unchanged_and_alerts_on_new(
    http_server: LocalHTTPServer,  # noqa: F811
    prefect_harness: None,
    receiver: WebhookReceiver,
    tmp_path: Path,
) -> None:
    from flows.deliver import deliver_pending
    from tasks.notify import load_channels

    base = http_server.unique("site")
    now = datetime.now(UTC)
    old_url = http_server.add_static(f"{base}/indus.html", page(*UNRELATED))
    feed_path = f"{base}/rss.xml"
    feed_url = http_server.add_conditional(
        feed_path, rss([(UNRELATED[0], old_url, now - timedelta(days=1))]), etag='"a"'
    )
    broken = http_server.add_static(f"{base}/broken.xml", b"<rss><channel><item><title>x")
    missing = http_server.add_status(f"{base}/gone.xml", 404)
    config = make_config(
        tmp_path,
        [
            ("Le Fil", feed_url),
            ("Cassé", broken),
            ("Disparu", missing),
            ("Éteint", closed_port_url()),
        ],
    )

    first = _run(config)
    assert first["feeds_ok"] == 1 and first["feeds_failed"] == 3
    assert first["new_entries"] == 1 and first["new_articles"] == 1
    assert first["relevant_articles"] == 0
    assert len(first["failures"]) == 3
    assert all("\n" not in line and "Traceback" not in line for line in first["failures"])
    kinds = first["failures_by_kind"]
    assert kinds.get("http_404") == 1 and kinds.get("connect") == 1

    second = _run(config)
    assert second["feeds_not_modified"] == 1 and second["new_entries"] == 0
    assert http_server.headers_seen(feed_path)[-1].get("If-None-Match") == '"a"'

    # The feed moves: a relevant article appears. The feed is no longer new: this one alerts.
    news_url = http_server.add_static(f"{base}/lidl.html", page(RELEVANT[0], RELEVANT[1]))
    http_server.add_conditional(
        feed_path,
        rss([(RELEVANT[0], news_url, now), (UNRELATED[0], old_url, now - timedelta(days=1))]),
        etag='"b"',
    )
    third = _run(config)
    assert third["new_articles"] == 1 and third["relevant_articles"] == 1
    assert third["events"] >= 1 and third["alerts_queued"] >= 1

    db = open_db(config.settings.database)
    events = {e["retailer"]: e for e in db["events"].rows}
    # Lidl approached; the background sentence on Whole Foods is Amazon's acquisition, also new.
    assert set(events) == {"lidl", "whole-foods"}
    assert events["lidl"]["kind"] == "new_retailer"
    assert events["lidl"]["new_status"] == "approached"
    # The poll delivered right after storing: both alerts reached the webhook.
    assert third["delivery"]["sent"] == 2 and third["delivery"]["failed"] == 0
    assert deliver_pending(db, load_channels(throttle=False)).sent == 0  # nothing left pending
    hits = receiver.wait_for(2, timeout=10)
    lidl = [h for h in hits if "Lidl" in json.dumps(h.json, ensure_ascii=False)]
    assert len(lidl) == 1 and news_url in json.dumps(lidl[0].json)

    health = {r["name"]: r for r in db["feeds"].rows}
    assert health["Disparu"]["consecutive_failures"] == 3
    assert health["Disparu"]["last_error_kind"] == "http_404"
    assert health["Le Fil"]["consecutive_failures"] == 0


def _run(config: object) -> dict:
    from prefect import flow as prefect_flow

    from flows.poll import run_poll

    # run_poll must run inside a flow run (it maps tasks); a wrapper flow passes the Config
    # object directly, so the test needs no feeds.toml on disk.

    @prefect_flow(name="poll-test")
    def wrapper() -> dict:
        return run_poll(config).as_dict()

    return wrapper()


def test_veille_poll_offline_reports_each_feed_in_one_line_and_exits_0(tmp_path: Path) -> None:
    """What `make run` shows on a machine with no network: one line per unreachable feed."""
    dead = [closed_port_url() for _ in range(3)]
    lines = [
        '[settings]\ndatabase = "{}"\n[settings.fetch]\nallowed_hosts = ["127.0.0.1"]\n'
        "retries = 0\n".format(tmp_path / "v.db")
    ]
    for i, url in enumerate(dead):
        lines.append(f'[[feeds]]\nname = "Flux {i}"\nurl = "{url}"\n')
    cfg = tmp_path / "feeds.toml"
    cfg.write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "poll", "--config", str(cfg)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    failed = [ln for ln in proc.stderr.splitlines() if ln.startswith("✗")]
    assert len(failed) == 3
    for i, url in enumerate(dead):
        assert any(f"Flux {i}" in ln and url in ln and "connect" in ln for ln in failed)
    assert "3 failed" in proc.stdout


def test_bad_config_is_one_line_and_exit_2(tmp_path: Path) -> None:
    cfg = tmp_path / "feeds.toml"
    cfg.write_text('[[feeds]]\nname = "x"\nurl = "file:///etc/passwd"\n', encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "flows.cli", "poll", "--config", str(cfg)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert str(cfg) in proc.stderr and "feeds.0.url" in proc.stderr


APPROACH = (
    "Amazon a approché Biocoop",
    [
        "Amazon a approché Biocoop au printemps pour vendre ses produits bio en ligne, a confirmé "
        "mardi la direction du réseau de magasins, qui compte plus de 700 points de vente.",
        "Les épiceries bio du réseau vendent surtout des fruits, des légumes et des produits "
        "frais.",
    ],
)
REFUSAL = (
    "Biocoop refuse l'offre d'Amazon",
    [
        "Biocoop a refusé l'offre d'Amazon, a annoncé jeudi le réseau de magasins bio, qui préfère "
        "développer sa propre livraison de courses.",
        "Les épiceries du réseau vendent surtout des fruits, des légumes et des produits frais.",
    ],
)


def test_a_poll_tells_the_story_in_date_order_whatever_the_feed_order(
    http_server: LocalHTTPServer,  # noqa: F811
    prefect_harness: None,
    tmp_path: Path,
) -> None:
    """The refusal sits in the first feed, the approach it answers (two days older) in the
    second: processed in feed order, the approach would arrive after the refusal and be only
    history. In date order the board moves twice: approached, then declined."""
    base = http_server.unique("order")
    now = datetime.now(UTC)
    quiet = http_server.add_static(f"{base}/indus.html", page(*UNRELATED))
    first_feed, second_feed = f"{base}/a.xml", f"{base}/b.xml"
    for path in (first_feed, second_feed):  # the first poll is the archive: no alerts
        http_server.add_conditional(path, rss([(UNRELATED[0], quiet, now)]), etag='"0"')
    config = make_config(
        tmp_path,
        [("A", http_server.url(first_feed)), ("B", http_server.url(second_feed))],
    )
    _run(config)
    refusal = http_server.add_static(f"{base}/refus.html", page(*REFUSAL))
    approach = http_server.add_static(f"{base}/approche.html", page(*APPROACH))
    http_server.add_conditional(
        first_feed, rss([(REFUSAL[0], refusal, now - timedelta(days=1))]), etag='"1"'
    )
    http_server.add_conditional(
        second_feed, rss([(APPROACH[0], approach, now - timedelta(days=3))]), etag='"1"'
    )
    summary = _run(config)
    assert summary["relevant_articles"] == 2

    db = open_db(config.settings.database)
    events = [
        (e["kind"], e["old_status"], e["new_status"])
        for e in db.query("SELECT * FROM events WHERE retailer = 'biocoop' ORDER BY seq")
    ]
    assert events == [
        ("new_retailer", None, "approached"),
        ("status_change", "approached", "declined"),
    ]
