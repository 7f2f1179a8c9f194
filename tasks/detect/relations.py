"""From cues to (retailer, status) findings in a sentence, and the per-article merge.

In a sentence a retailer takes the cue that governs it in the parse (the cue is an ancestor of
the name without leaving its clause, or the name is the subject of the cue's verb; a cue lying
between the two wins over a parse that reached across it), else the nearest cue of its clause.
A cue is dropped when its deal belongs to others: another company is its active subject, its
"par"/"by" agent or its partner while the actor is absent, only compared ("Comme Amazon, …")
or named as the competition. A refusal or a denial belongs to the retailer that is its
subject; with an anaphoric subject ("le groupe", "aucun", "ces interlocuteurs") or none, it
answers for every retailer of the clause — or of the sentence before, when this one names
none. A retailer governed by a competition word ("concurrence Carrefour") is no party, nor one
introduced as a point of reference ("Après Leclerc et Système U, Amazon…", "à l'instar de X",
"contrairement à X", "unlike X"; "comme"/"like" only where they open a clause: "des enseignes
comme X" names examples, who are parties). An unknown name found after a purchase word stands
as a retailer only where the parse makes it the object of the actor's acquisition
(:func:`bought_by_actor`).

Merge rule (why several mentions per retailer may come out): FORMAT.md scores (id, retailer,
status) triples and its labels keep two statuses for one retailer when the text states two
different kinds of link, e.g. an existing partnership (lockers in Leclerc's stores) *and* a new
approach. So statuses fall on two axes: the courtship (rumored < approached < in_talks <
declined/denied) and the deal (partnership < acquired < ended). An article yields at most one
status per axis per retailer, the most definite one; an acquisition or an end supersedes a
rumour, an approach or talks (they led to it). Within a status a confirmed sentence beats a
reported one. Where a single status per (retailer, article) is wanted (DESIGN.md), take the
deal status when there is one (it is the standing link), else the courtship status.
"""

from __future__ import annotations

from collections.abc import Callable

from .cues import Cue, Tok
from .entities import Ent
from .lexicon import fold
from .model import COURTSHIP, DEALS, DEFINITENESS, Mention

_AGENTIVE = {"approached", "acquired", "rumored", "partnership", "in_talks"}
_RESPONSES = {"declined", "denied"}
_ANAPHORS = {
    "groupe",
    "groupement",
    "cooperative",
    "mouvement",
    "distributeur",
    "enseigne",
    "societe",
    "entreprise",
    "chaine",
    "il",
    "ils",
    "elle",
    "elles",
    "aucun",
    "aucune",
    "celui-ci",
    "interlocuteur",
    "tous",
    "board",
    "company",
    "group",
    "chain",
    "partnership",
    "they",
    "it",
    "none",
    "neither",
    "both",
    "retailer",
    "grocer",
}
# Descriptions of a retailer: as the active subject of a purchase they make a retailer the
# buyer, so the purchase is not the actor's.
_RETAIL_DESCRIPTIONS = {
    "enseigne",
    "distributeur",
    "chaine",
    "detaillant",
    "retailer",
    "grocer",
    "chain",
    "groupement",
    "cooperative",
    "specialiste",
    "numero",
    "supermarket",
    "supermarche",
}
_PREDICATES = {"VERB", "AUX", "ADJ"}
_CLAUSE_DEPS = {"conj", "parataxis", "advcl", "ccomp", "acl:relcl", "acl"}
_LIGHT = {"DET", "ADP", "PUNCT", "CCONJ", "SPACE"}
_CLAUSE_ENDS = {";", "tandis", "whereas", "while", "alors"}
_PUNCT = {",", ".", ";", ":", "(", ")", "«", "»", '"', "the", "a", "an", "of", "to", "in"}
_COMPARE = {
    "comme",
    "like",
    "unlike",
    "instar",
    "contrairement",
    "face",
    "contre",
    "rival",
    "rivals",
}
_DEFINITE = {
    "le",
    "la",
    "les",
    "l'",
    "ce",
    "cet",
    "cette",
    "son",
    "sa",
    "leur",
    "the",
    "this",
    "its",
}
_BE = {"be", "is", "was", "were", "been", "being", "are", "etre", "ete"}


def _ancestor_distance(toks: list[Tok], start: int, targets: set[int]) -> int | None:
    """Steps from ``start`` up to one of ``targets``, not leaving the clause on the way."""
    i, steps = start, 0
    while i >= 0 and steps < 10:
        if i in targets and steps > 0:
            return steps
        if steps > 0 and toks[i].pos in _PREDICATES and toks[i].dep in _CLAUSE_DEPS:
            return None
        i = toks[i].head
        steps += 1
    return None


def _verb_of(toks: list[Tok], cue: Cue) -> int:
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


def _subject(toks: list[Tok], verb: int, cue: Cue | None = None) -> tuple[int, str] | None:
    heads = {verb} | set(cue.tokens if cue else [])
    for j, tok in enumerate(toks):
        if tok.head in heads and tok.dep in ("nsubj", "nsubj:pass"):
            return j, tok.dep
    return None


def _subjects(toks: list[Tok], verb: int, cue: Cue | None = None) -> list[int]:
    heads = {verb} | set(cue.tokens if cue else [])
    return [j for j, t in enumerate(toks) if t.head in heads and t.dep in ("nsubj", "nsubj:pass")]


def _same_clause(toks: list[Tok], a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(_clause_end(toks, k) for k in range(lo + 1, hi))


def _clause_end(toks: list[Tok], k: int) -> bool:
    """ ";", "tandis que", "whereas"; "alors" only as "alors que" ("alors propriété de…")."""
    low = toks[k].low
    if low == "alors":
        return k + 1 < len(toks) and toks[k + 1].low in ("que", "qu'")
    return low in _CLAUSE_ENDS


def _blocked(
    toks: list[Tok],
    kinds: dict[int, str],
    cue: Cue,
    cues: list[Cue],
    parsed: bool,
    rivalry: Callable[[int], bool],
) -> bool:
    """The cue's deal is someone else's: another company is its subject, its "par" agent or
    its partner, while the actor is absent, a comparison ("Comme Amazon, …") or the
    competition ("pour mieux résister à Amazon")."""
    actor_toks = {
        i
        for i, k in kinds.items()
        if k == "actor"
        and not any(t.low in _COMPARE for t in toks[max(0, i - 3) : i])
        and not rivalry(i)
    }
    if (
        cue.base in DEALS
        and actor_toks
        and not any(_same_clause(toks, a, cue.first) for a in actor_toks)
    ):
        return True  # "Amazon est …, alors que Waitrose est une coopérative dont … les associés"
    if cue.base in DEALS:
        for k in range(cue.last + 1, min(len(toks), cue.last + 5)):
            if toks[k].low in ("par", "by"):
                agent = next((j for j in range(k + 1, min(len(toks), k + 5)) if j in kinds), None)
                joint = cue.base == "partnership" and bool(actor_toks)
                if agent is not None and kinds[agent] != "actor" and not joint:
                    return True  # "racheté par Kroger"; but "l'accord conclu par X avec Amazon"
                noun = next(
                    (j for j in range(k + 1, min(len(toks), k + 4)) if toks[j].pos == "NOUN"),
                    None,
                )
                if agent is None and noun is not None and toks[noun].ent < 0 and not joint:
                    return True  # "détenu par des fonds": someone else holds it
                break
    if not parsed:
        agent = _agent_before(toks, kinds, cue)
        if agent is None or kinds[agent] == "actor" or cue.base not in _AGENTIVE - {"rumored"}:
            return False
        if cue.first > 0 and toks[cue.first - 1].low in _BE and cue.base == "acquired":
            return False  # passive: "was bought by"
        near = range(max(0, cue.first - 6), min(len(toks), cue.last + 7))
        return not any(k in actor_toks for k in near)
    verb = _verb_of(toks, cue)
    attached = {k for k in kinds if _nearest_cue(toks, k, cues) is cue}
    attached |= set(_subjects(toks, verb, cue)) & set(kinds)
    if cue.base in _AGENTIVE and not attached & actor_toks:
        others = {k for k in attached if kinds[k] in ("rival", "retailer")}
        if any(kinds[k] == "rival" for k in others):
            return True  # "Carrefour a signé avec Google": a rival is the other party
        subjects = {k for k in others if toks[k].dep.startswith("nsubj")}
        if subjects and len({toks[k].lemma for k in others}) >= 2:
            return True  # "Auchan discute avec Casino": two retailers, the actor is not party
    if cue.base == "acquired" and _someone_else_buys(toks, kinds, cue, verb):
        return True  # "ce que les Parisiens achètent": shoppers, not the actor
    if _receptive(toks, cue, verb) or not _direct(toks, cue, verb):
        return False  # "X a reçu la visite de…", "X grimpe sur fond de rumeur": X is no agent
    subj = _subject(toks, verb)
    if (
        subj is not None
        and subj[1] == "nsubj"
        and cue.base == "acquired"
        and toks[subj[0]].lemma in _RETAIL_DESCRIPTIONS
        and not attached & actor_toks
    ):
        return True  # "l'enseigne reprend la place laissée par X": a retailer is the buyer
    if subj is None or subj[1] != "nsubj" or kinds.get(subj[0]) not in ("rival", "retailer"):
        return False
    symmetric = cue.base in ("partnership", "in_talks")
    return cue.base in _AGENTIVE and not (bool(attached & actor_toks) and symmetric)


# Verbs and nouns whose subject undergoes the cue: "X a reçu une offre", "X fait l'objet d'une
# approche", "X received an approach".
_RECEPTIVE = {"recevoir", "objet", "essuyer", "receive", "get", "face"}
# Arguments of a verb that make a noun cue the verb's own deal ("Carrefour signe un accord"),
# unlike an adjunct ("Carrefour grimpe sur fond de rumeur Amazon").
_ARGUMENTS = {"obj", "xcomp", "ccomp", "iobj", "nsubj", "nsubj:pass"}


def _someone_else_buys(toks: list[Tok], kinds: dict[int, str], cue: Cue, verb: int) -> bool:
    """The purchase verb's subject is a common noun that names no company ("les clients")."""
    if verb not in cue.tokens:
        return False
    for j in _subjects(toks, verb, cue):
        tok = toks[j]
        if j in kinds or tok.pos != "NOUN" or not tok.text[:1].islower():
            return False
        return tok.lemma not in _ANAPHORS and tok.low not in _ANAPHORS
    return False


def _receptive(toks: list[Tok], cue: Cue, verb: int) -> bool:
    """The subject undergoes the cue: a receiving verb, or a copula ("X est la cible de…")."""
    if any(t.dep == "cop" and t.head in cue.tokens for t in toks):
        return True
    return any(toks[k].lemma in _RECEPTIVE for k in [verb, *cue.tokens])


def _direct(toks: list[Tok], cue: Cue, verb: int) -> bool:
    """The cue is the verb, or a direct argument of it, so the verb's subject is its agent."""
    if verb in cue.tokens or toks[verb].pos not in ("VERB", "AUX"):
        return True
    return any(toks[k].head == verb and toks[k].dep in _ARGUMENTS for k in cue.tokens)


def _nearest_cue(toks: list[Tok], k: int, cues: list[Cue]) -> Cue | None:
    """The cue a name hangs under in the parse (the closest one up its chain of heads)."""
    best: tuple[float, Cue] | None = None
    for cue in cues:
        d: float | None = _ancestor_distance(toks, k, set(cue.tokens))
        if d is None:
            # through the verb a noun cue hangs on: a weaker tie than the cue itself
            via = _ancestor_distance(toks, k, {_verb_of(toks, cue)})
            d = None if via is None else via + 0.5
        if d is not None and (best is None or d < best[0]):
            best = (d, cue)
    return best[1] if best else None


_AUX_FORMS = {"a", "ont", "avait", "avaient", "aurait", "auraient", "has", "have", "had"}


def _responders(toks: list[Tok], kinds: dict[int, str], cue: Cue, parsed: bool) -> str:
    """Who refuses or denies: "named" (the retailer named as subject), "all" (an anaphor or no
    subject: every retailer of the sentence), or "other" (someone else: a court, a rival)."""
    if not parsed:
        window = range(max(0, cue.first - 10), cue.first)
        if any(toks[k].low in _ANAPHORS for k in window):
            return "all"
        return "named"
    verb = _verb_of(toks, cue)
    subjects = _subjects(toks, verb, cue)
    if not subjects and toks[verb].dep in ("advcl", "xcomp", "acl") and toks[verb].head >= 0:
        subjects = _subjects(toks, toks[verb].head)
    if not subjects:
        below = [k for k in kinds if _ancestor_distance(toks, k, set(cue.tokens)) is not None]
        if any(kinds[k] == "retailer" for k in below):
            return "named"
        just_before = [k for k in range(max(0, cue.first - 3), cue.first) if k in kinds]
        if just_before and kinds[just_before[-1]] == "retailer":
            return "named"  # "Intermarché dément…" even when the tagger misreads the verb
        after_aux = any(
            t.low in _AUX_FORMS for t in toks[max(0, cue.first - 4) : cue.first]
        )  # "a en revanche démenti": a participle the tagger misread
        if toks[verb].pos not in ("VERB", "AUX", "ADJ") and not after_aux:
            return "other"  # a bare noun ("droit de refus") says nobody refused
        earlier = [j for j in range(cue.first) if toks[j].dep.startswith("nsubj")]
        if earlier and earlier[-1] in kinds:
            return "named" if kinds[earlier[-1]] == "retailer" else "other"
        return "all"
    if any(kinds.get(j) == "retailer" for j in subjects):
        return "named"
    if any(j in kinds for j in subjects):
        return "other"
    for index in subjects:
        subtree = [k for k in kinds if _ancestor_distance(toks, k, {index}) is not None]
        if any(kinds[k] == "retailer" for k in subtree):
            return "named"
        if (
            toks[index].lemma in _ANAPHORS
            or toks[index].low in _ANAPHORS
            or toks[index].pos == "PRON"
        ):
            return "all"
        definite = any(t.head == index and t.lemma in _DEFINITE for t in toks)
        if toks[index].pos == "NOUN" and toks[index].text[:1].islower() and definite:
            return "all"  # "le mouvement coopératif a décliné": a description of the retailer
    return "other"


def assign(
    toks: list[Tok],
    ents: list[Ent],
    cues: list[Cue],
    presence: str,
    reported: bool,
    carried: list[Ent] | None = None,
    rivalry: Callable[[int], bool] | None = None,
    referenced: Callable[[int], bool] | None = None,
) -> list[tuple[Ent, Cue, str, bool]]:
    """(retailer, cue, rule, reported) for each retailer of the sentence that a cue concerns.

    ``carried``: the retailers of the sentence before, for a sentence that names none but
    answers for them ("Le distributeur a refusé", "ces interlocuteurs n'ont pas donné suite")."""
    parsed = any(t.head >= 0 for t in toks)
    kinds = {i: ents[t.ent].kind for i, t in enumerate(toks) if t.ent >= 0}
    rivalry = rivalry or (lambda _: False)
    live = [c for c in cues if not _blocked(toks, kinds, c, cues, parsed, rivalry)]
    who = {id(c): _responders(toks, kinds, c, parsed) for c in live if c.base in _RESPONSES}
    live = [c for c in live if who.get(id(c)) != "other"]
    out: list[tuple[Ent, Cue, str, bool]] = []
    if carried and not any(k == "retailer" for k in kinds.values()):
        for cue in live:
            if who.get(id(cue)) == "all":
                for ent in carried:
                    rule = f"{cue.rule}+follow-up+actor:{presence}"
                    out.append((ent, cue, rule, reported or cue.conditional))
        return out
    seen_ents: set[int] = set()
    for r, tok in enumerate(toks):
        if tok.ent < 0 or kinds[r] != "retailer" or tok.ent in seen_ents:
            continue
        seen_ents.add(tok.ent)
        if rivalry is not None and rivalry(r):
            continue  # named as a competitor, not as a party
        if referenced is not None and referenced(r):
            continue  # "Après Leclerc, Amazon approche Auchan": a point of reference
        if _kin(toks, r, parsed):
            continue  # "Monoprix, filiale de Casino, …": the group qualifies, it is no party
        picks: list[tuple[Cue, str]] = []
        choice = _governing(toks, r, live, parsed, kinds)
        if choice is not None:
            picks.append(choice)
        # "Colruyt, qui avait accueilli des consignes Amazon, y a mis fin": the relative
        # clause's cue governs by the parse, the main verb's by the dislocated subject
        second = _dislocated(toks, r, live) if parsed else None
        if second is not None and all(second[0] is not p[0] for p in picks):
            picks.append(second)
        after = _after_incise(toks, r, live)
        if (
            after is not None
            and (not parsed or after.base in _RESPONSES)
            and all(after is not p[0] for p in picks)
        ):
            picks.append((after, "after-incise"))
        if parsed:
            picks += [
                (c, "gerund")
                for c in live
                if c.base in _RESPONSES
                and all(c is not p[0] for p in picks)
                and r in _gerund_subjects(toks, c)
            ]
        picks += [
            (c, "collective")
            for c in live
            if who.get(id(c)) == "all"
            and c not in [p[0] for p in picks]
            and _same_clause(toks, r, c.first)
        ]
        for cue, how in picks:
            if (
                how == "nearest"
                and who.get(id(cue)) == "named"
                and _comma_between(toks, r, cue.first)
                and r not in _named_subjects(toks, kinds, cue)
            ):
                continue  # "Casino et U auraient dit non, seul Leclerc serait partant"
            if _listed_with_actor(toks, kinds, r):
                continue  # "les plateformes partenaires (Amazon, Uber Eats, Deliveroo)"
            passive_approach = cue.base == "approached" and (
                toks[r].dep == "nsubj:pass"
                or (how == "syntax" and _passive(toks, cue))
                or (parsed and toks[cue.first].head == r)  # "Lidl, approché selon le site, …"
            )
            if cue.status == "denied" and cue.negated and _active_offer(toks, r, cue, parsed):
                continue  # "Tesco has never offered the lockers": Tesco offers, nobody denies
            if presence == "paragraph" and cue.status not in _RESPONSES and not passive_approach:
                continue
            if (
                cue.base == "acquired"
                and parsed
                and toks[r].dep == "nsubj"
                and toks[r].head in cue.tokens
            ):
                continue
            rule = f"{cue.rule}+{how}+actor:{presence}"
            out.append(
                (ents[tok.ent], cue, rule, reported or cue.conditional or cue.status == "rumored")
            )
    return out


_BANNERS = {"enseigne", "marque", "banner", "brand"}
# Nouns that qualify a company by another ("filiale du groupe Casino", "owner of Monoprix").
_KIN = {
    "filiale",
    "proprietaire",
    "propriete",
    "mere",
    "maison-mere",
    "branche",
    "parent",
    "owner",
    "subsidiary",
    "unit",
    "enseigne",
    "marque",
    "banner",
    "brand",
}


def _kin(toks: list[Tok], r: int, parsed: bool) -> bool:
    """The name is the genitive complement of a kinship noun ("filiale du groupe Casino",
    "l'enseigne parisienne du groupe Casino"): it qualifies another company. An apposition
    ("son enseigne Monoprix") names the company itself."""
    if parsed:
        head = toks[r].head
        genitive = any(
            t.head == r and t.dep == "case" and t.low in ("de", "du", "d'", "des", "of")
            for t in toks[max(0, r - 3) : r]
        )
        if head < 0 or not genitive or not toks[r].dep.startswith("nmod"):
            return False
        noun = toks[head].lemma if toks[head].lemma in _KIN else toks[head].low
        if noun in _BANNERS:  # "l'enseigne du groupe Casino", not "l'enseigne d'hypermarchés X"
            return any(
                w in ("groupe", "group") for w in (fold(toks[r].text).split()[0], toks[r - 1].low)
            )
        return noun in _KIN
    before = [t.low for t in toks[max(0, r - 3) : r]]
    if "by" in before and any(w in ("owned", "controlled") for w in before):
        return True  # "the upmarket chain owned by the John Lewis Partnership"
    return any(w in _KIN for w in before) and any(w in ("de", "du", "of") for w in before)


def _named_subjects(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> set[int]:
    """The retailers that are the subject of a response cue, with those listed with them."""
    if not any(t.head >= 0 for t in toks):
        return set(kinds)
    heads = _subjects(toks, _verb_of(toks, cue), cue)
    out = {j for j in heads if j in kinds}
    for j, tok in enumerate(toks):
        if j in kinds and tok.dep == "conj" and tok.head in out | set(heads):
            out.add(j)
    return out or set(kinds)


def _listed_with_actor(toks: list[Tok], kinds: dict[int, str], r: int) -> bool:
    """The name is one of a list of three or more that the actor belongs to ("les plateformes
    (Amazon, Uber Eats, Deliveroo)"): a peer of the actor. Two names joined ("entre Monoprix
    et Amazon") are the two parties."""
    lo = hi = r
    while lo > 0 and (toks[lo - 1].ent >= 0 or toks[lo - 1].low in _LIST_GLUE):
        lo -= 1
    while hi + 1 < len(toks) and (toks[hi + 1].ent >= 0 or toks[hi + 1].low in _LIST_GLUE):
        hi += 1
    members = [k for k in range(lo, hi + 1) if toks[k].ent >= 0]
    return len(members) >= 3 and any(kinds.get(k) == "actor" for k in members)


_LIST_GLUE = {",", "et", "and", "&", "ou", "or"}


# Approach words whose active subject is the one who approaches.
_APPROACH_WORDS = {
    "approcher",
    "demarcher",
    "proposer",
    "offrir",
    "solliciter",
    "offer",
    "approach",
}


def _active_offer(toks: list[Tok], r: int, cue: Cue, parsed: bool) -> bool:
    """A negated approach word whose active subject is the retailer itself."""
    if toks[cue.first].lemma not in _APPROACH_WORDS:
        return False
    if parsed:
        return (
            toks[cue.first].pos == "VERB"
            and toks[r].dep == "nsubj"
            and toks[r].head in (cue.first, _verb_of(toks, cue))
        )
    span = toks[r + 1 : cue.first] if r < cue.first else []
    return bool(span) and not any(t.low in _BE for t in span)


def _passive(toks: list[Tok], cue: Cue) -> bool:
    """The cue's verb is passive ("avoir été approché")."""
    verb = _verb_of(toks, cue)
    return any(t.head == verb and t.dep == "aux:pass" for t in toks)


def described_subject(toks: list[Tok], cue: Cue) -> bool:
    """The cue's verb has for subject a definite description of a retailer ("le distributeur
    met un terme à…", "l'enseigne a signé…"): the retailer the text is speaking of."""
    if not any(t.head >= 0 for t in toks):
        return False
    for j in _subjects(toks, _verb_of(toks, cue), cue):
        tok = toks[j]
        # "l'enseigne nordiste aurait été approchée", "serait citée comme une cible"
        passive = tok.dep == "nsubj:pass" and cue.base in ("approached", "rumored")
        if (tok.dep == "nsubj" or passive) and tok.ent < 0 and tok.lemma in _RETAIL_DESCRIPTIONS:
            return any(t.head == j and t.lemma in _DEFINITE | {"l'"} for t in toks)
    return False


def described_object(toks: list[Tok], cue: Cue) -> bool:
    """The cue's object, a few words after it, is a definite description of a retailer
    ("racheter le distributeur de Minneapolis", "approached the grocer")."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 4)):
        tok = toks[k]
        if tok.low in _CLAUSE_ENDS or tok.low in (",", ";", ":") or tok.ent >= 0:
            return False
        if tok.lemma in _RETAIL_DESCRIPTIONS or tok.low in _RETAIL_DESCRIPTIONS:
            return k > 0 and toks[k - 1].lemma in _DEFINITE | {"l'"}
    return False


def bought_by_actor(
    toks: list[Tok], kinds: dict[int, str], r: int, cues: list[Cue], presence: str
) -> bool:
    """Token ``r`` (an unknown name) is the object of an acquisition whose agent is the actor:
    under the cue in the parse ("Amazon a racheté X", "le rachat de X par Amazon"), the actor
    being the subject of its verb (or of the verb it depends on), its "par" agent, or — no
    subject at all — the last company named before it. A pronoun or a description ("il", "le
    groupe américain") stands for the actor where the sentence's presence says so."""
    if presence not in ("named", "periphrase", "pronoun") or not any(t.head >= 0 for t in toks):
        return False
    for cue in cues:
        if cue.status != "acquired" or cue.negated or cue.goal:
            continue
        verb = _verb_of(toks, cue)
        if _ancestor_distance(toks, r, set(cue.tokens) | {verb}) is None:
            continue
        agent = _deal_agent(toks, kinds, cue, verb, presence)
        if agent:
            return True
    return False


def _deal_agent(toks: list[Tok], kinds: dict[int, str], cue: Cue, verb: int, presence: str) -> bool:
    described = presence in ("periphrase", "pronoun")
    for k in range(cue.last + 1, min(len(toks), cue.last + 8)):
        if toks[k].low in ("par", "by"):
            nxt = next((j for j in range(k + 1, min(len(toks), k + 4)) if j in kinds), None)
            if nxt is not None:
                return kinds[nxt] == "actor"
            return described
        if toks[k].low in _CLAUSE_ENDS or toks[k].low in (",", ";", ":"):
            break
    chain = [verb]
    if toks[verb].dep in ("xcomp", "advcl", "ccomp") and toks[verb].head >= 0:
        chain.append(toks[verb].head)
    for v in chain:
        subjects = _subjects(toks, v, cue)
        if not subjects:
            continue
        if any(kinds.get(j) == "actor" for j in subjects):
            return True
        return described and all(j not in kinds and toks[j].text[:1].islower() for j in subjects)
    before = [j for j in range(cue.first) if j in kinds]
    return bool(before) and kinds[before[-1]] == "actor"


def _agent_before(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> int | None:
    for k in range(cue.first - 1, max(-1, cue.first - 7), -1):
        if toks[k].low in (",", ";", ":"):
            return None
        if k in kinds:
            return k
    return None


def _governing(
    toks: list[Tok], r: int, cues: list[Cue], parsed: bool, kinds: dict[int, str] | None = None
) -> tuple[Cue, str] | None:
    """The cue that governs token ``r``: by the parse when there is one, else by distance."""
    if parsed:
        for cue in cues:
            if (
                toks[cue.first].head == r
                and toks[cue.first].dep == "acl"
                and toks[cue.first].pos == "VERB"
            ):
                return cue, "participle"  # "Naturalia, approché selon le journal, …"
        best: tuple[int, Cue] | None = None
        for cue in cues:
            if not _same_clause(toks, r, cue.first):
                continue  # "Biocoop dément tandis que Naturalia …"
            d = _ancestor_distance(toks, r, set(cue.tokens))
            if d is None:
                verb = _verb_of(toks, cue)
                if toks[r].head == verb and toks[r].dep.startswith("nsubj"):
                    d = 1
                elif toks[verb].dep in ("xcomp", "ccomp") and toks[r].head == toks[verb].head:
                    d = 2 if toks[r].dep.startswith("nsubj") else None
            if d is not None and (best is None or d < best[0]):
                best = (d, cue)
        if best is not None:
            cue = best[1]
            lo, hi = sorted((r, cue.first))
            between = [
                c
                for c in cues
                if lo < c.first < hi
                and c is not cue
                and not _under_group(toks, _verb_of(toks, c), r)
            ]
            if between:  # a cue between the parse's choice and the name: the parse went astray
                return min(between, key=lambda c: abs(c.first - r)), "between"
            own = [c for c in cues if not _comma_between(toks, r, c.first)]
            if _comma_between(toks, r, cue.first) and own:
                # "Lidl dément, Aldi discuterait avec Amazon": the name's own segment has a cue
                return min(own, key=lambda c: abs(c.first - r)), "segment"
            if _comma_between(toks, r, cue.first) and _own_predicate(toks, r, cue):
                return None  # "Aldi dément, Lidl se tait": Lidl has a verb of its own
            return cue, "syntax"
    nearest: tuple[tuple[bool, int], Cue] | None = None
    for cue in cues:
        span = range(r + 1, cue.first) if r < cue.first else range(cue.last + 1, r)
        if any(_clause_end(toks, k) for k in span):
            continue
        if _comma_between(toks, r, cue.first) and (
            _cue_has_own_subject(toks, kinds or {}, r, cue.first)
            or (
                parsed
                and _has_predicate(toks, r)
                and _segment_has_other(toks, kinds or {}, r, cue.first)
            )
        ):
            continue  # "Lidl relance la guerre des prix, Picard dans le viseur d'Amazon"
        if (
            parsed
            and cue.first < r
            and _comma_between(toks, r, cue.first)
            and _own_predicate(toks, r, cue)
        ):
            continue  # "Auchan dément, Cora se tait" (after the name, a comma may open an incise)
        d = sum(1 for k in span if toks[k].pos not in _LIGHT and toks[k].low not in _PUNCT)
        # a cue of the name's own comma segment first, then the nearest
        rank = (_comma_between(toks, r, cue.first), d)
        if d <= (8 if parsed else 10) and (nearest is None or rank < nearest[0]):
            nearest = (rank, cue)
    if nearest is not None:
        return nearest[1], "nearest"
    return _dislocated(toks, r, cues) if parsed else None


def _dislocated(toks: list[Tok], r: int, cues: list[Cue]) -> tuple[Cue, str] | None:
    """The sentence's first name, set apart by an apposition or a relative clause, is the
    subject of a verb the parse left without one ("L'enseigne X, qui compte onze magasins,
    a mis fin à son partenariat avec Amazon")."""
    if any(t.ent >= 0 for t in toks[:r]):
        return None
    for cue in cues:
        verb = _verb_of(toks, cue)
        if verb <= r or toks[verb].pos != "VERB" or _subjects(toks, verb):
            continue
        between = toks[r + 1 : min(cue.first, verb)]
        if any(t.ent >= 0 for t in between) or not any(t.low == "," for t in between):
            continue
        k = min(cue.first, verb) - 1
        while k > r and toks[k].dep.startswith("aux"):
            k -= 1
        if toks[k].low == ",":
            return cue, "dislocated"
    return None


def _under(toks: list[Tok], k: int, r: int) -> bool:
    """Token ``k`` lies in the subtree of ``r`` (a relative clause or an apposition of it)."""
    steps = 0
    while k >= 0 and steps < 12:
        if k == r:
            return True
        k = toks[k].head
        steps += 1
    return False


def _after_incise(toks: list[Tok], r: int, cues: list[Cue]) -> Cue | None:
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
    return next((c for c in cues if close < c.first <= close + 4), None)


def _segment_has_other(toks: list[Tok], kinds: dict[int, str], r: int, first: int) -> bool:
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
    return any(not _enumerated_with(toks, r, k) for k in others)


def _cue_has_own_subject(toks: list[Tok], kinds: dict[int, str], r: int, first: int) -> bool:
    """Another retailer stands right before the cue, as its subject ("…, Cora dément")."""
    k = first - 1
    return k >= 0 and k != r and kinds.get(k) == "retailer" and toks[k].ent != toks[r].ent


def _has_predicate(toks: list[Tok], r: int) -> bool:
    """The name is the subject of a verb of its own comma segment ("Lidl relance…")."""
    head = toks[r].head
    return (
        head >= 0
        and toks[r].dep.startswith("nsubj")
        and toks[head].pos == "VERB"
        and not _comma_between(toks, r, head)
    )


def _enumerated_with(toks: list[Tok], a: int, b: int) -> bool:
    """Only names and list glue between ``a`` and ``b`` ("Casino, Intermarché et Système U")."""
    lo, hi = min(a, b), max(a, b)
    return all(toks[k].ent >= 0 or toks[k].low in _LIST_GLUE for k in range(lo + 1, hi))


def _under_group(toks: list[Tok], k: int, r: int) -> bool:
    """``k`` lies under ``r`` or under the name ``r`` is listed with ("Auchan et Picard, cités
    comme des cibles, ont démenti")."""
    return _under(toks, k, r) or (toks[r].dep == "conj" and _under(toks, k, toks[r].head))


def _gerund_subjects(toks: list[Tok], cue: Cue) -> list[int]:
    """The subjects of a gerund's clause ("Intermarché reconnaissait avoir été sollicité tout
    en fermant la porte": "fermant" is Intermarché's)."""
    k = cue.first
    if toks[k].dep != "advcl" or not any(
        t.head == k and t.dep == "mark" and t.low == "en" for t in toks
    ):
        return []
    v, steps = toks[k].head, 0
    while v >= 0 and steps < 4:
        subjects = _subjects(toks, v)
        if subjects:
            return subjects
        if toks[v].dep not in ("xcomp", "advcl"):
            break
        v, steps = toks[v].head, steps + 1
    return []


def _own_predicate(toks: list[Tok], r: int, cue: Cue) -> bool:
    """The name is the subject of a verb of its own comma segment, not the cue's verb."""
    head = toks[r].head
    if head < 0 or not toks[r].dep.startswith("nsubj") or head in cue.tokens:
        return False
    return head != _verb_of(toks, cue) and not _comma_between(toks, r, head)


def _comma_between(toks: list[Tok], a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return any(toks[k].low in (",", ";", ":") for k in range(lo + 1, hi))


def merge(found: list[Mention]) -> list[Mention]:
    """One status per axis per retailer, the most definite; confirmed beats reported."""
    by_retailer: dict[str, dict[str, Mention]] = {}
    order: list[str] = []
    for mention in found:
        axis = "deal" if mention.status in DEALS else "courtship"
        slot = by_retailer.setdefault(mention.retailer, {})
        if mention.retailer not in order:
            order.append(mention.retailer)
        current = slot.get(axis)
        if current is None or _better(mention, current):
            slot[axis] = mention
    out: list[Mention] = []
    for retailer in order:
        slot = by_retailer[retailer]
        deal = slot.get("deal")
        court = slot.get("courtship")
        superseded = court is not None and court.status in COURTSHIP[:3]
        if deal is not None and deal.status in ("acquired", "ended") and superseded:
            court = None
        out.extend(m for m in (court, deal) if m is not None)
    return out


def _better(new: Mention, old: Mention) -> bool:
    rank_new, rank_old = DEFINITENESS[new.status], DEFINITENESS[old.status]
    if rank_new != rank_old:
        return rank_new > rank_old
    return old.reported and not new.reported
