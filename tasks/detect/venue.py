"""Selling through the actor, read from the sentence's shape.

A trade word (vendre, proposer, livrer, boutique…; sell, offer, list…) whose place is the actor
("vend une sélection de ses produits sur Amazon", "sur la place de marché d'Amazon", "through
Amazon's marketplace"), or whose customers are the actor's ("livre ses surgelés aux abonnés
d'Amazon"), or the actor chosen as the channel ("a choisi Amazon pour…"): a partnership cue,
found beside the watchlist's lemma cues (:mod:`.cues`).
"""

from __future__ import annotations

from .lexicon import VenueWords
from .tokens import CLAUSE_BREAK, DETERMINERS, FoundCue, Tok, as_verb, phrase_key

_VENUE = (("venue",), "partnership", False)
GOODS = (("goods",), "partnership", False)


_LINKS = {"de", "d'", "du", "des", "of", "'s", "en", "ligne", "marche", "online"} | DETERMINERS


_BEFORE_CHOSEN = DETERMINERS | {"pour", "for"}  # "a opté pour Amazon", "chose the US group"


def _product(toks: list[Tok], k: int) -> bool:
    """One of the actor's products at ``k``: a name of several words ("Just Walk Out", "Amazon
    One"), or the actor's own ("Amazon's Just Walk Out"), not the actor's ways ("Amazon's
    approach to pricing")."""
    if not toks[k].actor:
        return False
    if " " in toks[k].text:
        return True
    m = _skip(toks, k + 1, {"'s", "’s", "de", "d'"})
    return m < len(toks) and toks[m].actor


def venue_cues(toks: list[Tok], words: VenueWords, taken: set[int]) -> list[FoundCue]:
    """Selling through the actor, read from the sentence's shape: a trade word, then the actor
    as its place ("vend ses produits sur Amazon Prime Now", "sur la place de marché d'Amazon")
    or as whose customers are served ("aux abonnés d'Amazon"); or the actor chosen."""
    out: list[FoundCue] = []
    platforms = words.platforms | words.audience
    for j, tok in enumerate(toks):
        if j in taken:
            continue
        if word_in(tok, words.goods):
            if _carried(toks, j, words):
                out.append((j, [j], [GOODS]))
            continue
        chosen = tok.lemma in words.chosen or tok.low in words.chosen
        if chosen or tok.lemma in words.adopted or tok.low in words.adopted:
            k = _skip(toks, j + 1, _BEFORE_CHOSEN)
            if k < len(toks) and (toks[k].actor if chosen else _product(toks, k)):
                out.append((j, [j], [_VENUE]))
            continue
        place = tok.low in words.places
        served = tok.low in _SERVED_DET and any(
            word_in(toks[m], _SERVE) for m in range(max(0, j - 6), j)
        )
        if not place and tok.low not in words.to and not served:
            continue  # "livre les abonnés d'Amazon Prime Now": whose customers are served
        k = _skip(toks, j + 1, DETERMINERS)
        if k < len(toks) and word_in(toks[k], platforms):
            if not place and not word_in(toks[k], words.audience):
                continue
            k = _skip(toks, k + 1, _LINKS, 4)
            if (
                k < len(toks)
                and not toks[k].actor
                and (toks[k].pos == "ADJ" or toks[k].dep == "amod")
            ):
                k = _skip(toks, k + 1, _LINKS, 3)  # "le service express d'Amazon"
        elif not place:
            continue
        if k >= len(toks) or not toks[k].actor:
            continue

        def is_trade(m: int) -> bool:
            if m in taken or toks[m].ent >= 0 or not word_in(toks[m], words.trade):
                return False
            # "ils nous ont proposé d'être sur Prime Now": an offer to join, not a sale
            nxt = toks[m + 1 : m + 3]
            return not (len(nxt) == 2 and nxt[0].low in ("de", "d'") and nxt[1].pos in _VERBS)

        trade = None
        for m in range(j - 1, max(-1, j - 10), -1):
            if toks[m].low in CLAUSE_BREAK and toks[m].low != ",":
                break
            if is_trade(m):
                trade = m
                break
        # further back, where the parse hangs the place on the trade word ("commercialise
        # depuis le printemps une sélection de ses plats surgelés sur Amazon")
        m, steps = toks[k].head, 0
        while m >= j and steps < 3:  # out of the place's own words ("la place de marché")
            m, steps = toks[m].head, steps + 1
        while trade is None and 0 <= m < j and steps < 7:
            trade = m if is_trade(m) else None
            m, steps = toks[m].head, steps + 1
        if trade is not None:
            out.append((trade, [trade, j], [_VENUE]))
            taken.update((trade, j))
    return out


def _carried(toks: list[Tok], g: int, words: VenueWords) -> bool:
    """A retailer's goods (``g``) that the actor sells, delivers or lets its customers order:
    "Amazon y livre les produits de Monoprix", "order groceries from Dia through Amazon's app",
    "des références Monoprix"; the actor must be named in the sentence, the retailer must own
    them, and a verb of carrying or ordering them come before."""
    if not toks[g].text[:1].islower():
        return False  # "the Grocery Gateway service": a name's word
    if not any(t.actor and t.pos == "PROPN" for t in toks):
        return False  # "la plateforme livre les courses de Carrefour": any platform may
    k = _skip(toks, g + 1, _OWNER_LINKS, 3)
    owner = k < len(toks) and toks[k].ent >= 0 and not toks[k].actor
    before = g - 2 >= 0 and toks[g - 1].low in ("'s", "’s") and toks[g - 2].ent >= 0
    if not (owner or before) or (before and toks[g - 2].actor):
        return False
    for m in range(g - 1, max(-1, g - 9), -1):
        if toks[m].low in CLAUSE_BREAK and toks[m].low != ",":
            return False
        if word_in(toks[m], words.carrying):
            # "a proposé de livrer les courses d'Intermarché": an offer, not the deal
            offer = toks[max(0, m - 3) : m]
            return not (
                any(t.low in ("de", "d'", "to") for t in offer[-1:])
                and any(t.lemma in _OFFERED for t in offer)
            )
    return False


_OWNER_LINKS = frozenset({"de", "d'", "du", "des", "from", "of"} | DETERMINERS)
_OFFERED = frozenset(
    {"proposer", "offrir", "suggerer", "vouloir", "envisager", "chercher", "tenter"}
    | {"offer", "propose", "suggest", "want", "plan", "seek", "try"}
)


_SERVE = frozenset({"livrer", "servir", "deliver", "serve"})
_VERBS = {"VERB", "AUX"}
_SERVED_DET = {"les", "ses", "leurs", "the", "its", "their"}


def _skip(toks: list[Tok], k: int, words: set[str], most: int = 2) -> int:
    """The first token from ``k`` on that is not one of ``words`` (at most ``most`` skipped)."""
    end = min(len(toks), k + most)
    while k < end and toks[k].low in words:
        k += 1
    return k


def word_in(tok: Tok, words: frozenset[str]) -> bool:
    """The token is one of ``words``, as itself or as a verb the tagger missed or took for the
    noun ("livre": livrer)."""
    forms = (tok.lemma, tok.low, as_verb(tok), phrase_key(tok), tok.lemma + "r")
    return any(form in words for form in forms)
