"""Text normalisation, hashes, MinHash signatures, band keys and the on-disk LSH lookup."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.db import open_db, transaction
from tasks import dedupe
from tasks.storyline import assign_story, find_story

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from dedupe_variants import VARIANTS, corpus, make_story, variant


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Système U", "systeme u"),
        ("L’Américain   a\u00a0racheté\nWhole Foods !", "l americain a rachete whole foods"),
        ("« Nous sommes approchés », a-t-il dit.", "nous sommes approches a t il dit"),
        ("ŒUVRE ﬁnale ①", "œuvre finale 1"),
        ("", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert dedupe.normalise_text(raw) == expected


@given(st.text())
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = dedupe.normalise_text(text)
    assert dedupe.normalise_text(once) == once


@given(st.text(alphabet="abcdeéèêàçôAÉÈ .,'’«»\n", max_size=60))
def test_case_and_accents_do_not_change_the_text_hash(text: str) -> None:
    variant_text = text.upper().replace("é", "e").replace("’", "'")
    assert dedupe.text_hash(text) == dedupe.text_hash(variant_text)


def test_text_hash_tells_different_texts_apart() -> None:
    assert dedupe.text_hash("Leclerc approché") != dedupe.text_hash("Leclerc décliné")
    assert len(dedupe.text_hash("x")) == 32


def test_shingles_of_short_and_empty_texts() -> None:
    assert dedupe.shingles("") == set()
    assert dedupe.shingles("Amazon rachète") == {"amazon rachete"}
    assert len(dedupe.shingles("un deux trois quatre cinq")) == 2


def test_signature_roundtrip_and_similarity() -> None:
    text = make_story("x", random.Random(1)).text
    sig = dedupe.signature(text)
    assert sig.values.dtype == np.uint32 and len(sig.values) == dedupe.NUM_PERM
    back = dedupe.Signature.from_bytes(sig.to_bytes(), sig.size)
    assert np.array_equal(back.values, sig.values) and back.size == sig.size
    assert dedupe.jaccard(sig, dedupe.signature(text)) == 1.0
    assert dedupe.jaccard(sig, dedupe.signature("")) == 0.0


def test_band_keys_are_stable_63_bit_and_per_band() -> None:
    sig = dedupe.signature("Amazon aurait approché Leclerc pour un partenariat logistique")
    keys = dedupe.band_keys(sig)
    assert [b for b, _ in keys] == list(range(dedupe.BANDS))
    assert all(0 <= k < 2**63 for _, k in keys)
    assert len({k for _, k in keys}) == dedupe.BANDS
    assert keys == dedupe.band_keys(dedupe.Signature(sig.values.copy(), sig.size))
    matrix = dedupe.band_keys_matrix(np.stack([sig.values, sig.values]))
    assert matrix.shape == (2, dedupe.BANDS) and matrix[1].tolist() == [k for _, k in keys]
    # The same values in another band give another key.
    same = np.full(dedupe.NUM_PERM, 7, dtype=np.uint32)
    assert len(set(dedupe.band_keys_matrix(same)[0].tolist())) == dedupe.BANDS


@pytest.mark.parametrize("kind", sorted(VARIANTS))
def test_each_reprint_variant_is_a_near_duplicate(kind: str) -> None:
    rng = random.Random(kind)
    for i in range(20):
        base = make_story(f"b{i}", rng)
        same, j = dedupe.is_near_duplicate(
            dedupe.signature(base.text), dedupe.signature(variant(base, kind, rng).text)
        )
        assert same, (kind, i, j)


def test_distinct_stories_on_the_same_retailers_do_not_merge() -> None:
    bases, _, distinct = corpus(40, seed=2)
    for base, other in zip(bases, distinct, strict=True):
        same, j = dedupe.is_near_duplicate(
            dedupe.signature(base.text), dedupe.signature(other.text)
        )
        assert not same, (base.ident, other.ident, j)


def test_the_sqlite_index_finds_reprints_and_only_them() -> None:
    db = open_db(":memory:")
    bases, reprints, distinct = corpus(30, seed=4)
    with transaction(db):
        for b in bases:
            assign_story(db, article_id=b.ident, title=b.title, text=b.text, published="2017")
    found = [
        find_story(db, dedupe.signature(r.text), dedupe.text_hash(r.text))[0] for r in reprints
    ]
    assert found == [r.ident.split("~")[0] for r in reprints]
    for d in distinct:
        assert find_story(db, dedupe.signature(d.text), dedupe.text_hash(d.text)) == (None, 0.0)


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gets_a_signature_and_keys(text: str) -> None:
    sig = dedupe.signature(text)
    assert len(dedupe.band_keys(sig)) == dedupe.BANDS
    assert dedupe.is_near_duplicate(sig, sig)[0] == (sig.size > 0)
