"""Scoring detections against labelled items, as corpus/FORMAT.md defines it.

- relevance precision/recall/F1 over items;
- mention P/R/F1 over (id, retailer, status) triples, and retailer P/R/F1 over (id, retailer);
- reported accuracy over the matched triples;
- a confusion table of statuses over (id, retailer) pairs ("none" where one side has nothing);
- the misses, to read.

Two label layouts are read: the corpus's (``relevant`` and ``mentions`` at the top of the item,
corpus/FORMAT.md) and the demo corpus's (the same two under ``expected``, demo/corpus), so one
scorer measures the detector on the dev set and on an independent held-out set.

Pure: the caller reads the file and passes the items.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .model import Detection


@dataclass(frozen=True)
class PRF:
    """Precision, recall and F1 with the counts behind them."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_json(self) -> dict[str, float | int]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class Scores:
    """Everything ``veille eval`` prints."""

    items: int
    relevance: PRF
    mentions: PRF
    retailers: PRF
    reported_accuracy: float
    reported_matched: int
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "relevance": self.relevance.to_json(),
            "mentions": self.mentions.to_json(),
            "retailers": self.retailers.to_json(),
            "reported_accuracy": round(self.reported_accuracy, 4),
            "reported_matched": self.reported_matched,
            "confusion": [
                {"gold": g, "predicted": p, "count": n}
                for (g, p), n in sorted(self.confusion.items())
            ],
            "misses": self.misses,
        }


def labels(item: dict[str, Any]) -> dict[str, Any]:
    """The item with its labels at the top: a demo item's ``expected`` block lifted up."""
    expected = item.get("expected")
    if not isinstance(expected, dict):
        return item
    return {
        **item,
        "relevant": bool(expected.get("relevant")),
        "mentions": list(expected.get("mentions") or []),
    }


def _prf(gold: set[Any], predicted: set[Any]) -> PRF:
    return PRF(len(gold & predicted), len(predicted - gold), len(gold - predicted))


def score(gold_items: Iterable[dict[str, Any]], predictions: dict[str, dict[str, Any]]) -> Scores:
    """Compare labelled items with predictions (the detector's JSON, keyed by id)."""
    rel_tp = rel_fp = rel_fn = 0
    gold_triples: set[tuple[str, str, str]] = set()
    pred_triples: set[tuple[str, str, str]] = set()
    gold_reported: dict[tuple[str, str, str], bool] = {}
    pred_reported: dict[tuple[str, str, str], bool] = {}
    confusion: Counter[tuple[str, str]] = Counter()
    misses: list[dict[str, Any]] = []
    count = 0
    for item in map(labels, gold_items):
        count += 1
        item_id = str(item["id"])
        pred = predictions.get(item_id, {"relevant": False, "mentions": []})
        g_rel, p_rel = bool(item.get("relevant")), bool(pred.get("relevant"))
        rel_tp += g_rel and p_rel
        rel_fp += p_rel and not g_rel
        rel_fn += g_rel and not p_rel
        g_set = {(item_id, m["retailer"], m["status"]) for m in item.get("mentions", [])}
        p_set = {(item_id, m["retailer"], m["status"]) for m in pred.get("mentions", [])}
        for m in item.get("mentions", []):
            gold_reported[(item_id, m["retailer"], m["status"])] = bool(m.get("reported"))
        for m in pred.get("mentions", []):
            pred_reported[(item_id, m["retailer"], m["status"])] = bool(m.get("reported"))
        gold_triples |= g_set
        pred_triples |= p_set
        _confuse(confusion, g_set, p_set)
        if g_rel != p_rel or g_set != p_set:
            misses.append(
                {
                    "id": item_id,
                    "relevant": [g_rel, p_rel],
                    "missed": sorted(f"{r}:{s}" for _, r, s in g_set - p_set),
                    "extra": sorted(f"{r}:{s}" for _, r, s in p_set - g_set),
                }
            )
    matched = gold_triples & pred_triples
    agree = sum(gold_reported[t] == pred_reported[t] for t in matched)
    return Scores(
        items=count,
        relevance=PRF(rel_tp, rel_fp, rel_fn),
        mentions=_prf(gold_triples, pred_triples),
        retailers=_prf({t[:2] for t in gold_triples}, {t[:2] for t in pred_triples}),
        reported_accuracy=agree / len(matched) if matched else 1.0,
        reported_matched=len(matched),
        confusion=confusion,
        misses=misses,
    )


def _confuse(table: Counter[tuple[str, str]], gold: set[Any], pred: set[Any]) -> None:
    retailers = sorted({t[1] for t in gold | pred})
    for retailer in retailers:
        g = sorted(t[2] for t in gold if t[1] == retailer)
        p = sorted(t[2] for t in pred if t[1] == retailer)
        for status in set(g) & set(p):
            table[(status, status)] += 1
            g.remove(status)
            p.remove(status)
        while g or p:
            table[(g.pop(0) if g else "none", p.pop(0) if p else "none")] += 1


def evaluate(
    items: list[dict[str, Any]],
    detect: Callable[[str | None, str, str | None], Detection],
) -> Scores:
    """Run ``detect`` on every labelled item and score the result."""
    predictions = {
        str(item["id"]): detect(
            item.get("title"), item.get("text") or "", item.get("lang")
        ).to_json(item["id"])
        for item in items
    }
    return score(items, predictions)
