"""Where words stand in a sentence: clauses, comma segments, lists, subjects and the verb a
cue hangs on. Pure functions over :class:`Tok` lists (a parse when ``head`` is set), shared by
the rules of :mod:`.relations`.
"""

from __future__ import annotations

from .cues import LIST_GLUE
from .tokens import CLAUSE_DEPS, PARTICIPLE_END, Cue, Tok

# Words that head a clause of their own; a path up the parse stops at them.
PREDICATES = {"VERB", "AUX", "ADJ"}
# Words that end a clause without a comma ("alors" only as "alors que": see clause_end).
CLAUSE_ENDS = {";", "tandis", "whereas", "while", "alors"}


def ancestor_distance(toks: list[Tok], start: int, targets: set[int]) -> int | None:
    """Steps from ``start`` up to one of ``targets``, not leaving the clause on the way."""
    i, steps = start, 0
    while i >= 0 and steps < 10:
        if i in targets and steps > 0:
            return steps
        if steps > 0 and toks[i].pos in PREDICATES and toks[i].dep in CLAUSE_DEPS:
            return None
        i = toks[i].head
        steps += 1
    return None


def verb_of(toks: list[Tok], cue: Cue) -> int:
    """The verb a cue hangs on: the cue itself when verbal, else its nearest verbal ancestor."""
    for k in cue.tokens:
        if toks[k].pos in ("VERB", "AUX"):
            return k
    i, steps = cue.tokens[-1], 0
    while i >= 0 and steps < 4:
        if toks[i].pos in ("VERB", "AUX"):
            return i
        if toks[i].ent >= 0:
            break  # a misread verb hung on its subject ("Aldi dément, Lidl se tait")
        i = toks[i].head
        steps += 1
    return cue.tokens[-1]


def subject_of(toks: list[Tok], verb: int, cue: Cue | None = None) -> tuple[int, str] | None:
    heads = {verb} | set(cue.tokens if cue else [])
    for j, tok in enumerate(toks):
        if tok.head in heads and tok.dep in ("nsubj", "nsubj:pass"):
            return j, tok.dep
    return None


def subjects_of(toks: list[Tok], verb: int, cue: Cue | None = None) -> list[int]:
    heads = {verb} | set(cue.tokens if cue else [])
    return [j for j, t in enumerate(toks) if t.head in heads and t.dep in ("nsubj", "nsubj:pass")]


def same_clause(toks: list[Tok], a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(clause_end(toks, k) for k in range(lo + 1, hi))


def clause_end(toks: list[Tok], k: int) -> bool:
    """ ";", "tandis que", "whereas"; "alors" only as "alors que" ("alors propriété de…")."""
    low = toks[k].low
    if low == "alors":
        return k + 1 < len(toks) and toks[k + 1].low in ("que", "qu'")
    return low in CLAUSE_ENDS


def time_clause(toks: list[Tok], k: int) -> bool:
    """Token ``k`` heads a clause of time ("avant de retenir l'offre", "après y avoir mis
    fin"); a parse only, so the French marks are enough."""
    return toks[k].dep == "advcl" and any(
        t.head == k and t.dep == "mark" and t.low in ("avant", "apres") for t in toks
    )


def is_passive(toks: list[Tok], cue: Cue) -> bool:
    """The cue's verb is passive ("avoir été approché")."""
    verb = verb_of(toks, cue)
    return any(t.head == verb and t.dep == "aux:pass" for t in toks)


def under(toks: list[Tok], k: int, r: int) -> bool:
    """Token ``k`` lies in the subtree of ``r`` (a relative clause or an apposition of it)."""
    steps = 0
    while k >= 0 and steps < 12:
        if k == r:
            return True
        k = toks[k].head
        steps += 1
    return False


def after_incise(toks: list[Tok], r: int, cues: list[Cue]) -> Cue | None:
    """Without a parse: the cue that opens the predicate after an incise set off by commas
    ("Sainsbury's, long whispered to be a target, has repeatedly denied…")."""
    k = r + 1
    while k < len(toks) and (toks[k].ent >= 0 or toks[k].low in ("et", "and", "&")):
        k += 1  # "Auchan et Picard, cités comme des cibles, ont démenti"
    if k >= len(toks) or toks[k].low != ",":
        return None
    close = next((j for j in range(k + 1, min(len(toks), k + 16)) if toks[j].low == ","), None)
    if close is None:
        return None
    for width in (1, 2):  # "based in Columbus, Ohio, said…": the place's own comma
        place = toks[close + 1 : close + 1 + width]
        after = close + 1 + width
        if (
            len(place) == width
            and all(t.text[:1].isupper() for t in place)
            and after < len(toks)
            and toks[after].low == ","
        ):
            close = after
            break
    reach = 4
    if close + 1 < len(toks) and toks[close + 1].low in _SAID:
        reach = 8  # "…, said Tuesday it has signed an agreement with Amazon"
    found = next((c for c in cues if close < c.first <= close + reach), None)
    if found is None and not any(t.head >= 0 for t in toks):
        return _after_long_incise(toks, k, cues)
    return found


def _after_long_incise(toks: list[Tok], k: int, cues: list[Cue]) -> Cue | None:
    """Without a parse: a longer incise, with its own commas ("Wegmans, the grocer from
    Rochester, New York, which …, was approached by Amazon"), ends at the comma that a
    finite verb follows; that verb's cue, just after, is the name's."""
    for j in range(k + 1, min(len(toks) - 1, k + 45)):
        low = toks[j].low
        if low in CLAUSE_ENDS or low in (":", ".") or (toks[j].ent >= 0 and not toks[j].actor):
            return None  # another clause, or another company the incise is about
        if low == "," and toks[j + 1].low in _FINITE:
            return next((c for c in cues if j < c.first <= j + 4), None)
    return None


_SAID = {"said", "says", "announced", "confirmed", "told", "indique", "annonce", "confirme"}

# Finite verbs that open the predicate after an English incise.
_FINITE = _SAID | {"was", "were", "is", "are", "has", "have", "had", "would", "could", "will"}


_RELATIVES = {"qui", "dont", "lequel", "laquelle", "which", "who", "whose"}

_REPORTING = _SAID | {"noted", "added", "reported", "wrote", "believe", "believed", "expect"}


def others_say_between(toks: list[Tok], span: range) -> bool:
    """Without a parse: a clause of other speakers opens between the name and the cue
    ("Metcash supplies IGA stores, and analysts said a supply deal with Amazon…")."""
    for k in span:
        if toks[k].low == "," and k + 3 < len(toks) and toks[k + 1].low in ("and", "but"):
            said = [j for j in (k + 3, k + 4) if j < len(toks) and toks[j].low in _REPORTING]
            if said and all(toks[j].ent < 0 for j in range(k + 2, said[0])):
                return True
    return False


def relative_incise(toks: list[Tok], r: int) -> range | None:
    """The tokens of the relative clause set off by commas that holds token ``r`` ("Ocado,
    which ended its supply deal with Waitrose in 2020, turned down…"), if it is in one."""
    lo = r - 1
    while lo >= 0 and toks[lo].low not in _RELATIVES:
        if toks[lo].low in (",", ";", ":"):
            return None
        lo -= 1
    if lo < 1 or toks[lo - 1].low != ",":
        return None
    hi = next((j for j in range(r + 1, len(toks)) if toks[j].low in (",", ";", ":")), None)
    return None if hi is None else range(lo, hi)


def segment_has_other(toks: list[Tok], kinds: dict[int, str], r: int, first: int) -> bool:
    """Another name shares the cue's comma segment: the cue is that name's."""
    lo = first
    while lo > 0 and toks[lo - 1].low not in (",", ";", ":"):
        lo -= 1
    hi = first
    while hi + 1 < len(toks) and toks[hi + 1].low not in (",", ";", ":"):
        hi += 1
    others = [
        k for k in range(lo, hi + 1) if kinds.get(k) == "retailer" and toks[k].ent != toks[r].ent
    ]
    return any(not enumerated_with(toks, r, k) for k in others)


def cue_has_own_subject(toks: list[Tok], kinds: dict[int, str], r: int, first: int) -> bool:
    """Another retailer stands right before the cue, as its subject ("…, Cora dément")."""
    k = first - 1
    return k >= 0 and k != r and kinds.get(k) == "retailer" and toks[k].ent != toks[r].ent


def has_predicate(toks: list[Tok], r: int) -> bool:
    """The name is the subject of a verb of its own comma segment ("Lidl relance…")."""
    head = toks[r].head
    return (
        head >= 0
        and toks[r].dep.startswith("nsubj")
        and toks[head].pos == "VERB"
        and not comma_between(toks, r, head)
    )


def enumerated_with(toks: list[Tok], a: int, b: int) -> bool:
    """Only names and list glue between ``a`` and ``b`` ("Casino, Intermarché et Système U")."""
    lo, hi = min(a, b), max(a, b)
    return all(toks[k].ent >= 0 or toks[k].low in LIST_GLUE for k in range(lo + 1, hi))


def under_group(toks: list[Tok], k: int, r: int) -> bool:
    """``k`` lies under ``r`` or under the name ``r`` is listed with ("Auchan et Picard, cités
    comme des cibles, ont démenti")."""
    return under(toks, k, r) or (toks[r].dep == "conj" and under(toks, k, toks[r].head))


def gerund_subjects(toks: list[Tok], cue: Cue) -> list[int]:
    """The subjects of a gerund's clause ("Intermarché reconnaissait avoir été sollicité tout
    en fermant la porte": "fermant" is Intermarché's)."""
    k = cue.first
    if toks[k].dep != "advcl" or not any(
        t.head == k and t.dep == "mark" and t.low == "en" for t in toks
    ):
        return []
    v, steps = toks[k].head, 0
    while v >= 0 and steps < 4:
        subjects = subjects_of(toks, v)
        if subjects:
            return subjects
        if toks[v].dep not in ("xcomp", "advcl"):
            break
        v, steps = toks[v].head, steps + 1
    return []


def verb_after(toks: list[Tok], r: int) -> int | None:
    """The predicate of a verb or auxiliary right after token ``r`` ("Carrefour a préféré":
    "préféré"), or None when none follows."""
    nxt = r + 1
    if nxt >= len(toks) or toks[nxt].pos not in ("AUX", "VERB"):
        return None
    return toks[nxt].head if toks[nxt].dep.startswith(("aux", "cop")) else nxt


def _verb_as_adjective(toks: list[Tok], r: int) -> bool:
    """The word after the name is a present-tense verb the small model read as the name's
    adjective ("Monoprix débarque sur Prime Now, Carrefour ferme la porte")."""
    nxt = r + 1
    return (
        nxt < len(toks)
        and toks[nxt].pos in ("ADJ", "VERB")
        and toks[nxt].dep == "amod"
        and toks[nxt].head == r
        and not PARTICIPLE_END.search(toks[nxt].text.lower())
    )


def own_predicate(toks: list[Tok], r: int, cue: Cue) -> bool:
    """The name is the subject of a verb of its own comma segment, not the cue's verb."""
    head = toks[r].head
    pred = verb_after(toks, r)
    if r < cue.first and _verb_as_adjective(toks, r):
        return r + 1 not in cue.tokens  # its own verb, then a comma, then the cue's clause
    if not toks[r].dep.startswith("nsubj") and pred is not None and toks[r + 1].head >= 0:
        # "Si Monoprix a signé…, Carrefour a préféré…" however the parser hung the name: the
        # verb right after it is its own
        return pred not in cue.tokens and pred != verb_of(toks, cue)
    if head < 0 or not toks[r].dep.startswith("nsubj") or head in cue.tokens:
        return False
    return head != verb_of(toks, cue) and not comma_between(toks, r, head)


def comma_between(toks: list[Tok], a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(toks[k].low in (",", ";", ":") for k in range(lo + 1, hi))
