"""Text and story dedupe: a hash of the normalised text, MinHash signatures and LSH band keys.

Pure: strings in, values out. The index those band keys feed lives on disk, in SQLite
(``storage/timeline.py``), because datasketch's in-memory LSH costs ~3.5 KB a document (DESIGN.md).

Three layers, cheapest first: the entry (URL, handled by the poll flow), the text (``text_hash``:
the same article under two URLs), and the story (near-duplicate text: one wire story reprinted by
several outlets, with its headline rewritten, boilerplate added, paragraphs moved, truncated by a
paywall or lightly edited). The figures behind the constants below come from
``bench/bench_dedupe.py`` over the variants of ``bench/dedupe_variants.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SHINGLE_WORDS = 4
"""Word 4-grams. On the generated variants, two distinct stories about the same retailers built
from the same phrase banks share up to J = 0.18 of their 3-grams but 0.11 of their 4-grams, while
a 10 %-edited reprint keeps J ≥ 0.34; 5-grams make that edit cost too much (J 0.28)."""

NUM_PERM = 128
BANDS = 64
ROWS = 2
"""64 bands of 2 rows: a pair becomes a candidate with p = 0.93 at J = 0.20, 0.998 at J = 0.30.
Narrower bands (3 rows) lose paywall-truncated reprints (J ≈ 0.25: p = 0.48 with 42×3). The cost
is 64 index rows per stored article, on disk: ~1.8 GB of SQLite at a million articles."""

JACCARD_THRESHOLD = 0.25
"""Verified on the stored signatures: same story when the estimated Jaccard is at least this.
Tuned on seed 11 of the generator (300 stories, 45k distinct pairs): distinct stories reach an
estimated J of 0.19 (true J ≤ 0.11 plus MinHash noise, σ ≈ 0.03 at 128 permutations), reprints
never fall below 0.30 except paywall truncations, which the containment rule catches."""

CONTAINMENT_THRESHOLD = 0.60
CONTAINMENT_FLOOR = 0.15
"""…or when one text is mostly inside the other (a truncated reprint: estimated J ≥ 0.21,
containment ≥ 0.75), as long as the Jaccard estimate is above the floor: with few shingles, one
chance collision inflates containment. Distinct stories stay under 0.45 containment."""

SEED = 1
SCHEME = "affine32"  # datasketch 2.0's default, pinned: stored signatures depend on it

_WORD_SPLIT = re.compile(r"[\W_]+", re.UNICODE)


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def normalise_text(text: str) -> str:
    """NFKC, casefolded, accents folded, punctuation and whitespace collapsed to one space.

    So typographic quotes, non-breaking spaces, "é"/"e" and case never make two copies differ.
    Accents are the combining-mark blocks after NFD (a regex: 5x faster than a per-char loop).
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    stripped = _COMBINING.sub("", unicodedata.normalize("NFD", folded))
    return " ".join(_WORD_SPLIT.sub(" ", stripped).split())


def text_hash(text: str) -> str:
    """A 128-bit hex digest of the normalised text: equal for copies that differ only in form."""
    return _hash_normalised(normalise_text(text))


def _hash_normalised(normalised: str) -> str:
    return hashlib.blake2b(normalised.encode("utf-8"), digest_size=16).hexdigest()


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The set of k-word shingles of the normalised text (the whole text when shorter than k)."""
    return _shingles(normalise_text(text).split(), k)


def _shingles(words: list[str], k: int) -> set[str]:
    if not words:
        return set()
    if len(words) < k:
        return {" ".join(words)}
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@dataclass(frozen=True)
class Signature:
    """A MinHash signature (uint32 values) and the number of shingles it summarises."""

    values: np.ndarray
    size: int

    def to_bytes(self) -> bytes:
        """Little-endian uint32 bytes, as stored in the signatures table."""
        return self.values.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, blob: bytes, size: int) -> Signature:
        """The inverse of :meth:`to_bytes`."""
        return cls(np.frombuffer(blob, dtype="<u4").astype(np.uint32), size)


@lru_cache(maxsize=4)
def _permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Built once: datasketch draws them from the seed on every MinHash() otherwise.

    datasketch is imported here, not at the top: its package imports scipy (2 s on a busy
    machine), which ``veille status`` and other commands that never hash should not pay.
    """
    from datasketch import MinHash

    probe = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME)
    a, b = probe.permutations
    return a, b


def signature(text: str, *, num_perm: int = NUM_PERM, k: int = SHINGLE_WORDS) -> Signature:
    """The MinHash signature of the text's shingles; an empty text has size 0."""
    return _signature(_shingles(normalise_text(text).split(), k), num_perm)


def fingerprint(text: str) -> tuple[str, Signature]:
    """(text_hash, signature) of one text, normalising it once."""
    normalised = normalise_text(text)
    return _hash_normalised(normalised), _signature(
        _shingles(normalised.split(), SHINGLE_WORDS), NUM_PERM
    )


def _signature(grams: set[str], num_perm: int) -> Signature:
    permutations = _permutations(num_perm, SEED)
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME, permutations=permutations)
    if grams:
        mh.update_batch([g.encode("utf-8") for g in sorted(grams)])
    return Signature(np.asarray(mh.hashvalues, dtype=np.uint32).copy(), len(grams))


def jaccard(a: Signature, b: Signature) -> float:
    """The MinHash estimate of the shingle sets' Jaccard similarity (share of equal minima)."""
    if a.size == 0 or b.size == 0:
        return 0.0
    return float(np.count_nonzero(a.values == b.values)) / len(a.values)


def containment(a: Signature, b: Signature, j: float | None = None) -> float:
    """|A ∩ B| / min(|A|, |B|), derived from the Jaccard estimate and the two set sizes."""
    if a.size == 0 or b.size == 0:
        return 0.0
    j = jaccard(a, b) if j is None else j
    inter = j * (a.size + b.size) / (1.0 + j)
    return min(1.0, inter / min(a.size, b.size))


def is_near_duplicate(a: Signature, b: Signature) -> tuple[bool, float]:
    """Whether two signatures tell the same story, and the Jaccard estimate that decided it."""
    j = jaccard(a, b)
    if j >= JACCARD_THRESHOLD:
        return True, j
    same = j >= CONTAINMENT_FLOOR and containment(a, b, j) >= CONTAINMENT_THRESHOLD
    return same, j


_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xBF58476D1CE4E5B9)
_MIX_C = np.uint64(0x94D049BB133111EB)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise on uint64 (wrapping multiplication is intended)."""
    h = (h ^ (h >> np.uint64(30))) * _MIX_B
    h = (h ^ (h >> np.uint64(27))) * _MIX_C
    return h ^ (h >> np.uint64(31))


def band_keys_matrix(values: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> np.ndarray:
    """Band keys of many signatures at once: (n, num_perm) uint32 → (n, bands) int64.

    Each key mixes the band number with the band's rows, so one integer column indexes all bands;
    keys are 63-bit non-negative so SQLite stores them as plain INTEGERs.
    """
    vals = np.atleast_2d(values).astype(np.uint64)
    n = vals.shape[0]
    band_ids = np.arange(bands, dtype=np.uint64) + np.uint64(1)
    with np.errstate(over="ignore"):
        h = np.broadcast_to(band_ids * _MIX_A, (n, bands)).copy()
        for r in range(rows):
            cols = vals[:, r : bands * rows : rows][:, :bands]
            h = _mix(h ^ cols)
    return (h >> np.uint64(1)).astype(np.int64)


def band_keys(sig: Signature, bands: int = BANDS, rows: int = ROWS) -> list[tuple[int, int]]:
    """The (band, key) pairs of one signature; the key already encodes its band."""
    keys = band_keys_matrix(sig.values, bands, rows)[0]
    return [(band, int(key)) for band, key in enumerate(keys)]
