"""Reported speech: what makes a relation "reported" rather than confirmed.

The conditional mood and modals are read on the cue itself (:mod:`.cues`). Here: the press as
the speaker of a sentence ("rapporte Le Monde", "claims report"), and markers such as "selon",
"d'après", "according to", "rumeur", which report only the clause they stand in and the clauses
under it, so "un système qui, selon lui, devrait se généraliser" leaves its main clause alone.
"""

from __future__ import annotations

import re

from .cues import words_of
from .lexicon import Lexicon, fold_phrase
from .syntax import verb_after
from .tokens import CLAUSE_DEPS, Cue, Tok

_PHRASES_CACHE: dict[tuple[str, ...], dict[str, list[list[str]]]] = {}


def reported_markers(lex: Lexicon, lang: str, toks: list[Tok]) -> tuple[bool, list[int]]:
    """What makes a sentence or a clause reported: (the press is the speaker of the sentence —
    "rapporte Le Monde", "claims report" — unless it only speaks in a relative clause;
    positions of "selon"-like markers, which report only their own clause)."""
    markers = lex.watchlist.markers.get(lang)
    if markers is None:
        return False, []
    positions = _find_phrases(toks, markers.reported)
    press = _find_phrases(toks, markers.media)
    verbs = words_of(lex, lang).reporting
    for i, tok in enumerate(toks):
        if tok.lemma not in verbs and tok.low not in verbs:
            continue
        if toks[_clause_head(toks, i)].dep == "acl:relcl":
            continue
        for j in press:
            if toks[j].head == i and toks[j].dep.startswith("nsubj"):
                return True, positions  # "Une publication partagée … affirme que"
            if abs(j - i) <= 5 and toks[j].dep not in ("obl", "obl:arg", "iobj", "nmod"):
                return True, positions
    return False, positions


def _phrase_index(phrases: list[str]) -> dict[str, list[list[str]]]:
    key = tuple(phrases)
    if key not in _PHRASES_CACHE:
        index: dict[str, list[list[str]]] = {}
        for phrase in phrases:
            words = [w.rstrip("'") for w in re.findall(r"\w+'?", fold_phrase(phrase))]
            if words:
                index.setdefault(words[0], []).append(words)
        _PHRASES_CACHE[key] = index
    return _PHRASES_CACHE[key]


def _find_phrases(toks: list[Tok], phrases: list[str]) -> list[int]:
    """Start positions of lexicon phrases in the tokens (surface form or lemma)."""
    index = _phrase_index(phrases)
    found: list[int] = []
    for i, tok in enumerate(toks):
        for first in {tok.low.rstrip("'"), tok.lemma}:
            for words in index.get(first, []):
                if i + len(words) <= len(toks) and all(
                    words[k] in (toks[i + k].low.rstrip("'"), toks[i + k].lemma)
                    for k in range(1, len(words))
                ):
                    found.append(i)
    return found


def _clause_head(toks: list[Tok], i: int) -> int:
    while toks[i].head >= 0 and toks[i].dep not in CLAUSE_DEPS:
        i = toks[i].head
    return i


def cue_reported(toks: list[Tok], cue: Cue, markers: list[int]) -> bool:
    """A marker reports the cue when it stands in the cue's clause or a clause above it."""
    if cue.status == "denied":
        markers = [m for m in markers if m < cue.first]  # "denied reports that…": the object
    markers = [m for m in markers if not _past_rumours(toks, m)]
    if not markers:
        return False
    if all(t.head < 0 for t in toks):
        return True
    # "Si Monoprix a signé…, Leclerc a fermé la porte… et U serait en discussions, selon des
    # sources": a marker after another named subject's clause reports that clause only
    markers = [
        m
        for m in markers
        if not (m > cue.last and any(_new_subject(toks, k) for k in range(cue.last + 1, m)))
    ]
    chain: set[int] = set()
    i = cue.last
    for _ in range(12):
        head = _clause_head(toks, i)
        chain.add(head)
        if toks[head].head < 0:
            break
        i = toks[head].head
    for m in markers:
        head = _clause_head(toks, m)
        if head in chain:
            return True
        if toks[head].dep == "parataxis" and _clause_head(toks, toks[head].head) in chain:
            return True  # an incise: « … », indique le quotidien
    return False


# Prepositions that make rumours the time or the background of a fact ("Après des semaines de
# rumeurs, Amazon a finalisé l'acquisition", "au terme de mois de rumeurs", "despite rumours").
_BACKGROUND_OF = {"apres", "terme", "issue", "bout", "after", "following", "malgre", "despite"}
_RUMOUR_NOUNS = ("rumeur", "rumour", "rumor", "specula")


def _past_rumours(toks: list[Tok], m: int) -> bool:
    """The marker is a rumour noun, object of a preposition of time or concession a few words
    back (not "after a weekly reported that…": that report is the sentence's)."""
    if not toks[m].low.startswith(_RUMOUR_NOUNS):
        return False
    for tok in reversed(toks[max(0, m - 6) : m]):
        if tok.low in (",", ";", ":"):
            return False
        if tok.low in _BACKGROUND_OF:
            return True
    return False


def _new_subject(toks: list[Tok], k: int) -> bool:
    """A name that opens a clause of its own: a subject, or a name joined by "et" that a verb
    follows, however the parser hung it ("…, et Cora serait en pourparlers")."""
    if toks[k].ent < 0:
        return False
    if toks[k].dep.startswith("nsubj"):
        return True
    return toks[k].dep == "conj" and verb_after(toks, k) is not None
