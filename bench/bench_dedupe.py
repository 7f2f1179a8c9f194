"""Story dedupe and timeline figures: quality, lookup cost at a million articles, events/s.

    .venv/bin/python bench/bench_dedupe.py                  # everything (1M: a few minutes)
    .venv/bin/python bench/bench_dedupe.py --docs 200000    # a smaller index
    .venv/bin/python bench/bench_dedupe.py --skip-scale     # quality and events/s only

1. Near-duplicate recall and precision on generated reprints (bench/dedupe_variants.py): base
   stories are recorded, then each reprint and each distinct story on the same retailers is
   looked up. Recall: reprints found in their own story. Precision: right story / all matches.
2. Lookup time and RSS with N synthetic signatures (random MinHash values, 64 band rows each) in a
   temporary SQLite file, plus the real base stories; measured in a fresh subprocess so its RSS is
   the lookup's, not the generator's. Reference: a bare SELECT by primary key, same run.
3. Events written per second with their articles: article row + story + mentions + events in one
   transaction each, on a file database (WAL, synchronous=NORMAL).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedupe_variants import VARIANTS, corpus

from storage import timeline as tl
from storage.db import open_db, transaction
from tasks import dedupe
from tasks.storyline import assign_story, find_story, record_story_and_events

PUB = "2017-10-04T08:00:00+00:00"


def rss_mb() -> tuple[float, float]:
    """(current RSS, peak RSS) of this process in MB, from /proc."""
    fields = dict(
        line.split(":", 1)
        for line in Path("/proc/self/status").read_text().splitlines()
        if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(values: list[float], q: float) -> float:
    """The q-th percentile, in milliseconds."""
    return float(np.percentile(values, q)) * 1000


def record_bases(db, bases) -> None:
    """Record each base story as its own story (its id is the story id)."""
    with transaction(db):
        for b in bases:
            assign_story(db, article_id=b.ident, title=b.title, text=b.text, published=PUB)


def quality(db, bases, reprints, distinct) -> dict:
    """Recall per variant kind and overall; precision over every match made."""
    hits: dict[str, list[bool]] = {kind: [] for kind in VARIANTS}
    wrong = false_pos = 0
    for r in reprints:
        base_id, kind, _outlet = r.ident.split("~")
        story, _ = find_story(db, dedupe.signature(r.text), dedupe.text_hash(r.text))
        hits[kind].append(story == base_id)
        wrong += story is not None and story != base_id
    for d in distinct:
        story, _ = find_story(db, dedupe.signature(d.text), dedupe.text_hash(d.text))
        false_pos += story is not None
    tp = sum(sum(v) for v in hits.values())
    return {
        "recall": tp / len(reprints),
        "precision": tp / max(1, tp + wrong + false_pos),
        "per_variant": {k: round(sum(v) / len(v), 4) for k, v in hits.items()},
        "wrong_story": wrong,
        "distinct_merged": false_pos,
        "reprints": len(reprints),
        "distinct": len(distinct),
    }


def build_index(path: Path, n: int, bases) -> float:
    """N synthetic signatures plus the real bases, bulk loaded; returns seconds taken."""
    t0 = time.perf_counter()
    db = open_db(path)
    db.execute("PRAGMA cache_size = -262144")  # 256 MB while loading only
    rng = np.random.default_rng(42)
    chunk = 50_000

    def band_chunks():
        for start in range(0, n, chunk):
            count = min(chunk, n - start)
            values = rng.integers(0, 2**32, size=(count, dedupe.NUM_PERM), dtype=np.uint64)
            values = values.astype(np.uint32)
            sizes = rng.integers(150, 900, size=count)
            ids = np.arange(start + 1, start + count + 1)
            tl.bulk_insert_signatures(
                db,
                (
                    (int(i), f"syn{i:07d}", f"syn{i:07d}", f"h{i:07d}", int(s), v.tobytes())
                    for i, s, v in zip(ids, sizes, values.astype("<u4"), strict=True)
                ),
            )
            keys = dedupe.band_keys_matrix(values)
            sig_ids = np.repeat(ids, keys.shape[1])
            yield zip(keys.ravel().tolist(), sig_ids.tolist(), strict=True)
            print(f"  generated {start + count:>9,} signatures", file=sys.stderr, end="\r")

    with transaction(db):
        tl.bulk_load_bands(db, band_chunks())
    print(file=sys.stderr)
    record_bases(db, bases)
    db.conn.close()
    return time.perf_counter() - t0


def measure_lookups(path: Path, n_queries: int, seed: int, stories: int) -> dict:
    """In a fresh process: lookup p50/p95 of reprints and distinct stories, vs a PK select."""
    db = open_db(path)
    _, reprints, distinct = corpus(stories, seed=seed)
    queries = [(r, r.ident.split("~")[0]) for r in reprints] + [(d, None) for d in distinct]
    random.Random(5).shuffle(queries)
    queries = queries[:n_queries]
    prepared = []
    t_sig = []
    for story, expected in queries:
        t0 = time.perf_counter()
        sig = dedupe.signature(story.text)
        t_sig.append(time.perf_counter() - t0)
        prepared.append((sig, dedupe.text_hash(story.text), expected))
    times, correct, hits = [], 0, 0
    for sig, thash, expected in prepared:
        t0 = time.perf_counter()
        story_id, _ = find_story(db, sig, thash)
        times.append(time.perf_counter() - t0)
        correct += story_id == expected
        hits += expected is not None and story_id == expected
    total = db.execute("SELECT MAX(id) FROM signatures").fetchone()[0]
    ref = []
    rng = random.Random(1)
    for _ in range(len(prepared)):
        sig_id = rng.randint(1, total)
        t0 = time.perf_counter()
        tl.signature_by_id(db, sig_id)
        ref.append(time.perf_counter() - t0)
    rss, peak = rss_mb()
    return {
        "queries": len(prepared),
        "lookup_p50_ms": pct(times, 50),
        "lookup_p95_ms": pct(times, 95),
        "pk_select_p50_ms": pct(ref, 50),
        "signature_p50_ms": pct(t_sig, 50),
        "answers_correct": correct / len(prepared),
        "reprints_found": hits / max(1, sum(1 for *_, e in prepared if e is not None)),
        "rss_mb": rss,
        "peak_rss_mb": peak,
        "signatures": total,
    }


@dataclass(frozen=True)
class _M:
    retailer: str
    status: str
    reported: bool
    sentence: str
    discovered: bool = False


@dataclass(frozen=True)
class _D:
    relevant: bool
    mentions: list


def events_per_second(n: int) -> dict:
    """Articles recorded with their mentions and events, one transaction each, on a file db."""
    statuses = ["rumored", "approached", "in_talks", "declined", "partnership"]
    retailers = ["leclerc", "carrefour", "casino", "intermarche", "systeme-u", "auchan"]
    _, reprints, distinct = corpus(n // 6 + 1, seed=23)
    stories = (distinct + reprints)[:n]
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "events.db")
        ref_db = open_db(Path(tmp) / "ref.db")
        t0 = time.perf_counter()
        for i, s in enumerate(stories):
            with transaction(ref_db):
                ref_db["articles"].insert({"id": f"a{i}", "title": s.title, "text": s.text})
        ref = time.perf_counter() - t0
        written = 0
        t0 = time.perf_counter()
        for i, s in enumerate(stories):
            picks = rng.sample(retailers, rng.randint(1, 3))
            detection = _D(
                True, [_M(r, rng.choice(statuses), rng.random() < 0.4, "…") for r in picks]
            )
            published = f"2017-{1 + i // 2000 % 12:02d}-{1 + i // 80 % 28:02d}T{i % 24:02d}:00:00"
            with transaction(db):
                db["articles"].insert(
                    {"id": f"a{i}", "title": s.title, "text": s.text, "published": published}
                )
                out = record_story_and_events(
                    db,
                    article_id=f"a{i}",
                    title=s.title,
                    text=s.text,
                    published=published,
                    published_is_fetch_date=False,
                    url=f"https://example.org/{i}",
                    source="example.org",
                    detection=detection,
                )
            written += len(out.new_event_keys)
        elapsed = time.perf_counter() - t0
    return {
        "articles": n,
        "events": written,
        "articles_per_s": n / elapsed,
        "events_per_s": written / elapsed,
        "ref_bare_article_tx_per_s": n / ref,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000, help="synthetic signatures")
    parser.add_argument("--stories", type=int, default=300, help="base stories for quality")
    parser.add_argument("--events", type=int, default=2000, help="articles for events/s")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=29, help="generator seed (tuned on 11)")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--keep", type=Path, help="keep the scale database at this path")
    parser.add_argument("--lookup", type=Path, help=argparse.SUPPRESS)  # the subprocess
    args = parser.parse_args()
    if args.lookup:
        print(json.dumps(measure_lookups(args.lookup, args.queries, args.seed, args.stories)))
        return

    print(
        f"dedupe: {dedupe.SHINGLE_WORDS}-word shingles, {dedupe.NUM_PERM} permutations, "
        f"{dedupe.BANDS} bands x {dedupe.ROWS} rows, J >= {dedupe.JACCARD_THRESHOLD} or "
        f"containment >= {dedupe.CONTAINMENT_THRESHOLD} (J >= {dedupe.CONTAINMENT_FLOOR})"
    )
    bases, reprints, distinct = corpus(args.stories, seed=args.seed)
    db = open_db(":memory:")
    record_bases(db, bases)
    q = quality(db, bases, reprints, distinct)
    print(
        f"\n[quality] {q['reprints']} reprints of {len(bases)} stories, "
        f"{q['distinct']} distinct stories on the same retailers"
    )
    print(f"  recall    {q['recall']:.4f}  (goal >= 0.95)   per variant: {q['per_variant']}")
    print(
        f"  precision {q['precision']:.4f}  (goal >= 0.99)   reprints put in the wrong story: "
        f"{q['wrong_story']}, distinct stories merged: {q['distinct_merged']}"
    )

    if not args.skip_scale:
        tmpdir = tempfile.TemporaryDirectory()
        path = args.keep or Path(tmpdir.name) / "scale.db"
        print(f"\n[scale] building {args.docs:,} synthetic signatures in {path} …")
        built = build_index(path, args.docs, bases)
        size = sum(p.stat().st_size for p in path.parent.glob(path.name + "*")) / 2**20
        print(f"  built in {built:.0f} s, {size:,.0f} MB on disk")
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--lookup",
                str(path),
                "--queries",
                str(args.queries),
                "--seed",
                str(args.seed),
                "--stories",
                str(args.stories),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        s = json.loads(out.stdout)
        print(f"  {s['queries']} lookups over {s['signatures']:,} signatures (warm OS cache):")
        print(
            f"  lookup p50 {s['lookup_p50_ms']:.3f} ms  p95 {s['lookup_p95_ms']:.3f} ms "
            f"(goal p50 < 2 ms); bare PK select p50 {s['pk_select_p50_ms']:.3f} ms "
            f"-> ratio {s['lookup_p50_ms'] / s['pk_select_p50_ms']:.1f}x"
        )
        print(f"  MinHash of the query text p50 {s['signature_p50_ms']:.3f} ms (not in lookup)")
        print(
            f"  answers correct {s['answers_correct']:.4f}, reprints found "
            f"{s['reprints_found']:.4f}"
        )
        print(
            f"  lookup process RSS {s['rss_mb']:.0f} MB (peak {s['peak_rss_mb']:.0f} MB; "
            f"goal < 600 MB)"
        )
        if not args.keep:
            tmpdir.cleanup()

    e = events_per_second(args.events)
    print(f"\n[events] {e['articles']} articles, {e['events']} events written")
    print(
        f"  {e['articles_per_s']:.0f} articles/s, {e['events_per_s']:.0f} events/s "
        f"(article + story + mentions + events, one transaction each); "
        f"bare article-insert transaction {e['ref_bare_article_tx_per_s']:.0f}/s -> "
        f"{e['ref_bare_article_tx_per_s'] / e['articles_per_s']:.1f}x slower"
    )


if __name__ == "__main__":
    main()
