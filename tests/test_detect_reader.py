"""The French pipeline's speed settings (numpy's BLAS, one thread, set-backed lemma lists)
change nothing it says: the same tags, dependencies, moods and lemmas as spaCy's defaults."""

from __future__ import annotations

import json
from pathlib import Path

from thinc.api import NumpyOps

from tasks.detect import load_default_watchlist
from tasks.detect.lexicon import lexicon_for, normalize_text
from tasks.detect.reader import get_nlp, parse_french, prepare

DEMO = Path(__file__).resolve().parents[1] / "demo" / "corpus" / "articles.jsonl"


def _set_ops(nlp, ops) -> None:  # type: ignore[no-untyped-def]
    for _, pipe in nlp.pipeline:
        model = getattr(pipe, "model", None)
        if model is not None and hasattr(model, "walk"):
            for node in model.walk():
                node.ops = ops


def _read_all() -> list[tuple]:
    lex = lexicon_for(load_default_watchlist())
    out = []
    for line in DEMO.read_text(encoding="utf-8").splitlines():
        item = json.loads(line) if line.strip() else None
        if not item or (item.get("lang") or "fr") != "fr":
            continue
        article = prepare(lex, normalize_text(item["text"]), "fr")
        for toks in parse_french(lex, article, article.sentences):
            out += [(t.text, t.lemma, t.pos, t.dep, t.head, t.cnd, t.plup) for t in toks]
    return out


def test_loaded_once() -> None:
    assert get_nlp() is get_nlp()


def test_numpy_blas_parses_as_blis_does() -> None:
    nlp = get_nlp()
    fast = nlp.get_pipe("tok2vec").model.ops
    assert isinstance(fast, NumpyOps) and not fast.use_blis
    tokens = _read_all()
    try:
        _set_ops(nlp, NumpyOps(use_blis=True))  # spaCy's default
        reference = _read_all()
    finally:
        _set_ops(nlp, fast)
    assert len(tokens) > 5000
    assert tokens == reference
