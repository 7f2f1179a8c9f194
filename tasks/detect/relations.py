"""From cues to (retailer, status) findings in a sentence (the per-article merge is
:func:`.model.merge`).

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
(:func:`.parties.bought_by_actor`).

Where the parse and the comma segments disagree (headlines, incises, lists), the segments win: a
name takes a cue of its own comma segment before one across a comma, never a cue whose segment
has a retailer of its own as subject, and a name set apart by an incise ("X, cité comme une
cible, a démenti") also takes the predicate that follows the incise; a participle set apart
("Lidl, approché…") and a gerund ("… tout en fermant la porte") are their subject's. The
geometry (clauses, segments, lists, subjects) is :mod:`.syntax`.
"""

from __future__ import annotations

from collections.abc import Callable

from .entities import Ent
from .lexicon import TARGET_NOUNS
from .model import DEALS
from .parties import (
    DEFINITE,
    RAISING,
    RETAIL_DESCRIPTIONS,
    active_offer,
    hyphen_names,
    kin,
    listed_with_actor,
)
from .syntax import (
    after_incise,
    ancestor_distance,
    clause_end,
    comma_between,
    cue_has_own_subject,
    gerund_subjects,
    has_predicate,
    is_passive,
    others_say_between,
    own_predicate,
    relative_incise,
    same_clause,
    segment_has_other,
    subject_of,
    subjects_of,
    time_clause,
    under,
    under_group,
    verb_after,
    verb_of,
)
from .tokens import (
    BE,
    CLAUSE_BREAK,
    DETERMINERS,
    ENDED_DEALS,
    LOCKERS,
    OFFER_NOUNS,
    SUITOR_LINKS,
    Cue,
    Tok,
    clause_before,
)

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
_LIGHT = {"DET", "ADP", "PUNCT", "CCONJ", "SPACE"}
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
        and not any(same_clause(toks, a, cue.first) for a in actor_toks)
    ):
        return True  # "Amazon est …, alors que Waitrose est une coopérative dont … les associés"
    if (cue.base in DEALS or cue.base == "ended") and _partner_elsewhere(toks, kinds, cue):
        return True  # "Ocado, which ended its supply deal with Waitrose, …": not the actor's
    if cue.base in ("declined", "approached", "in_talks") and _offer_from_other(toks, kinds, cue):
        return True  # "rejected a takeover proposal from private equity firm CD&R"
    if (
        toks[cue.last].lemma == "discuss"
        and cue.last + 1 < len(toks)
        and kinds.get(cue.last + 1) == "retailer"
    ):
        return True  # "executives had discussed Target internally": spoke of it, not with it
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
        if cue.first > 0 and toks[cue.first - 1].low in BE and cue.base == "acquired":
            return False  # passive: "was bought by"
        near = range(max(0, cue.first - 6), min(len(toks), cue.last + 7))
        if any(k in actor_toks for k in near):
            return False
        end = next(
            (k for k in range(cue.last + 1, len(toks)) if toks[k].low in CLAUSE_BREAK),
            len(toks),
        )
        # further in the clause, the actor as the channel or the partner: "in talks with the
        # US group about selling … through Amazon's service"
        later = range(cue.last + 1, end)
        return not any(k in actor_toks and toks[k - 1].low in _CHANNEL for k in later)
    verb = verb_of(toks, cue)
    attached = {k for k in kinds if _nearest_cue(toks, k, cues) is cue}
    attached |= set(subjects_of(toks, verb, cue)) & set(kinds)
    attached |= {  # "des contacts avec les équipes européennes d'Amazon Fresh"
        a
        for a in actor_toks
        if toks[a].head >= 0
        and toks[toks[a].head].lemma in _PROXIES
        and ancestor_distance(toks, toks[a].head, set(cue.tokens)) is not None
    }
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
    subj = subject_of(toks, verb)
    if (
        subj is not None
        and subj[1] == "nsubj"
        and cue.base == "acquired"
        and toks[subj[0]].lemma in RETAIL_DESCRIPTIONS
        and not attached & actor_toks
    ):
        return True  # "l'enseigne reprend la place laissée par X": a retailer is the buyer
    if subj is None or subj[1] != "nsubj" or kinds.get(subj[0]) not in ("rival", "retailer"):
        return False
    # "Auchan a eu des contacts avec Amazon": contacts, as a noun, go both ways
    symmetric = cue.base in ("partnership", "in_talks") or (
        cue.base == "approached" and toks[cue.first].pos == "NOUN"
    )
    k = subj[0]
    joined = any(  # "Amazon et Monoprix ont signé": the actor is the other subject
        0 <= j < len(toks) and j in actor_toks and toks[(j + k) // 2].low in ("et", "and", "&")
        for j in (k - 2, k + 2)
    )
    return cue.base in _AGENTIVE and not ((bool(attached & actor_toks) or joined) and symmetric)


# People who act for a company: "les équipes d'Amazon", "Amazon's executives".
_PROXIES = {
    "equipe",
    "equipes",
    "dirigeant",
    "dirigeants",
    "representant",
    "representants",
    "emissaire",
    "emissaires",
    "responsable",
    "responsables",
    "team",
    "teams",
    "executive",
    "executives",
    "representative",
    "representatives",
    "official",
    "officials",
}


def _partner_elsewhere(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> bool:
    """The deal's "with" partner is a company that is not the actor, and its other party is
    not the actor either: another company named before the cue, or, where the actor is named
    earlier in the sentence, a company, pronoun or description in the cue's own clause
    ("Amazon a rompu son contrat avec Monoprix" and "Depuis l'accord conclu avec Monoprix,
    Amazon…" stay)."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 6)):
        if toks[k].low in CLAUSE_BREAK:
            return False
        if toks[k].low not in ("avec", "with"):
            continue
        group = []
        for j in range(k + 1, min(len(toks), k + 8)):
            if toks[j].low in CLAUSE_BREAK:
                break
            if j in kinds:
                group.append(j)
        if not group or any(kinds[j] == "actor" for j in group):
            return False
        before = [kinds[i] for i in kinds if i < cue.first]
        if "actor" not in before:
            return any(k in ("retailer", "rival") for k in before)
        return _other_party_before(toks, kinds, cue)
    return False


def _offer_from_other(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> bool:
    """The offer the cue answers or makes comes from a company that is not the actor: "from"
    (or "de la part de", "émanant de") and a capitalised name that is not the actor's."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 12)):
        low = toks[k].low
        if low in CLAUSE_BREAK:
            return False
        if low in ("from", "emanant") or (low == "part" and toks[k - 1].low == "la"):
            source = toks[k + 1 : k + 7]
            if any(t.actor for t in source):
                return False
            return any(t.text[:1].isupper() for t in source if t.low not in ("de", "d'", "du"))
    return False


# Words that open a clause of its own before a deal ("… after the chain ended its deal with X"),
# folded as the tokens' ``low`` is.
_SUBORDINATORS = {"after", "before", "when", "since", "as", "apres", "avant", "quand", "lorsque"}
_SUBJECT_PRONOUNS = {"it", "il", "elle", "they", "ils", "elles"}


def _other_party_before(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> bool:
    """In the cue's own clause, the party before it is not the actor: another company, a
    pronoun or a description ("months before it agreed its merger with Asda", "after the chain
    ended its long relationship with Ocado"), though the actor is named earlier."""
    for k in range(cue.first - 1, max(-1, cue.first - 8), -1):
        low = toks[k].low
        if k in kinds:
            return kinds[k] != "actor"
        if low in CLAUSE_BREAK or low in _SUBORDINATORS:
            return False
        if low in _SUBJECT_PRONOUNS or (
            toks[k].lemma in RETAIL_DESCRIPTIONS and k and toks[k - 1].low in DETERMINERS
        ):
            return True
    return False


_CHANNEL = {"through", "via", "with", "on", "avec", "sur"}


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
    for j in subjects_of(toks, verb, cue):
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
        d: float | None = ancestor_distance(toks, k, set(cue.tokens))
        if d is None:
            # through the verb a noun cue hangs on: a weaker tie than the cue itself
            via = ancestor_distance(toks, k, {verb_of(toks, cue)})
            d = None if via is None else via + 0.5
        if d is not None and (best is None or d < best[0]):
            best = (d, cue)
    return best[1] if best else None


def _before_incise(toks: list[Tok], k: int) -> int:
    """The token before a short incise set off by commas that ends just before ``k`` (or
    before the modal that governs it: "Carrefour, dont on disait…, dut démentir")."""
    if k > 1 and toks[k - 1].low in _MODALS:
        k -= 1
    if k < 1 or toks[k - 1].low != ",":
        return -1
    opening = next((j for j in range(k - 2, max(-1, k - 16), -1) if toks[j].low == ","), None)
    return -1 if opening is None else opening - 1


# A modal between an incise and its verb: "…, dut démentir", "…, must deny"
_MODALS = {"dut", "doit", "devait", "put", "pouvait", "must"}
_AUX_FORMS = {"a", "ont", "avait", "avaient", "aurait", "auraient", "has", "have", "had"}


def _responders(toks: list[Tok], kinds: dict[int, str], cue: Cue, parsed: bool) -> str:
    """Who refuses or denies: "named" (the retailer named as subject), "all" (an anaphor or no
    subject: every retailer of the sentence), or "other" (someone else: a court, a rival)."""
    if not parsed:
        window = range(max(0, cue.first - 10), cue.first)
        if any(toks[k].low in _ANAPHORS and not _indefinite(toks, k) for k in window):
            return "all"
        return "named"
    verb = verb_of(toks, cue)
    subjects = subjects_of(toks, verb, cue)
    if not subjects and toks[verb].dep in ("advcl", "xcomp", "acl") and toks[verb].head >= 0:
        subjects = subjects_of(toks, toks[verb].head)
    if not subjects:
        below = [k for k in kinds if ancestor_distance(toks, k, set(cue.tokens)) is not None]
        if any(kinds[k] == "retailer" for k in below):
            return "named"
        just_before = [k for k in range(max(0, cue.first - 3), cue.first) if k in kinds]
        if just_before and kinds[just_before[-1]] == "retailer":
            return "named"  # "Intermarché dément…" even when the tagger misreads the verb
        if kinds.get(_before_incise(toks, cue.first)) == "retailer":
            return "named"  # "Système U, de son côté, dément…"
        after_aux = any(
            t.low in _AUX_FORMS for t in toks[max(0, cue.first - 4) : cue.first]
        )  # "a en revanche démenti": a participle the tagger misread
        if toks[verb].pos not in ("VERB", "AUX", "ADJ") and not after_aux:
            return "other"  # a bare noun ("droit de refus") says nobody refused
        earlier = [j for j in range(cue.first) if toks[j].dep.startswith("nsubj")]
        if earlier and earlier[-1] in kinds:
            return "named" if kinds[earlier[-1]] == "retailer" else "other"
        if earlier and _a_class(toks, earlier[-1]):
            return "other"
        return "all"
    if any(kinds.get(j) == "retailer" for j in subjects):
        return "named"
    if cue.status == "denied" and cue.negated and any(kinds.get(j) == "actor" for j in subjects):
        return "named"  # "Amazon n'a jamais approché Système U": the one it never approached
    if any(j in kinds for j in subjects):
        return "other"
    if any(
        kind == "retailer" and k < min(subjects) and _apposition_subjects(toks, k, verb)
        for k, kind in kinds.items()
    ):
        return "named"  # "Biocoop, premier réseau bio, a refusé": the apposition is no subject
    for index in subjects:
        subtree = [k for k in kinds if ancestor_distance(toks, k, {index}) is not None]
        if any(kinds[k] == "retailer" for k in subtree):
            return "named"
        if _a_class(toks, index):
            return "other"
        if _indefinite(toks, index):
            return "other"  # "Une enseigne qui refuse s'expose…": some company, none named
        if (
            toks[index].lemma in _ANAPHORS
            or toks[index].low in _ANAPHORS
            or toks[index].pos == "PRON"
        ):
            return "all"
        definite = any(t.head == index and t.lemma in DEFINITE for t in toks)
        if (
            toks[index].pos == "NOUN"
            and toks[index].text[:1].islower()
            and definite
            and toks[index].lemma not in _NOT_RETAILERS
        ):
            return "all"  # "le mouvement coopératif a décliné": a description of the retailer
    return "other"


# Determiners that bring in a new or any company, never the one just named.
_INDEFINITES = {"a", "an", "any", "every", "un", "une", "chaque"}


def _indefinite(toks: list[Tok], k: int) -> bool:
    """ "A company that is not in talks has no duty to deny…": an indefinite noun is some
    company or any, not the retailer of the sentence before. A relative pronoun stands for
    its antecedent."""
    if toks[k].pos == "PRON" and toks[k].head >= 0 and toks[toks[k].head].dep.endswith("relcl"):
        if toks[toks[k].head].head != k - 1:
            return False  # the parse's antecedent is not the noun just before: trust neither
        k -= 1
    if any(t.head == k and t.dep == "det" for t in toks):
        return any(t.head == k and t.dep == "det" and t.low in _INDEFINITES for t in toks)
    return k > 0 and toks[k - 1].low in _INDEFINITES


def _a_class(toks: list[Tok], index: int) -> bool:
    """A subject given by examples ("Les grossistes régionaux, comme ceux de…", "grocers such
    as…") is a class of companies, not the retailer the text spoke of."""
    return any(t.low in ("comme", "such") and under(toks, k, index) for k, t in enumerate(toks))


def _time_clause_apart(toks: list[Tok], r: int, cue: Cue) -> bool:
    """The name lies in an infinitive clause of time ("Avant de retenir l'offre de Carrefour,
    la direction de Match aurait sondé Amazon") that the cue is not in: a past or later step
    of the subject's, not a party to the cue."""
    k, steps = r, 0
    while k >= 0 and steps < 6:
        if time_clause(toks, k):
            return ancestor_distance(toks, cue.first, {k}) is None
        k, steps = toks[k].head, steps + 1
    return False


# Subjects that are never a retailer answering the actor ("le ministre a fermé la porte").
_NOT_RETAILERS = {
    "ministre",
    "gouvernement",
    "etat",
    "autorite",
    "tribunal",
    "juge",
    "cour",
    "commission",
    "regulateur",
    "syndicat",
    "analyste",
    "elu",
    "maire",
    "prefet",
    "depute",
    "consommateur",
    "client",
    "association",
    "federation",
    "industriel",
    "fournisseur",
    "producteur",
    "banque",
    "fonds",
    "investisseur",
    "actionnaire",
    "creancier",
}


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
            if who.get(id(cue)) == "all" and not _answers_other(toks, cue):
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
        if kin(toks, r, parsed):
            continue  # "Monoprix, filiale de Casino, …": the group qualifies, it is no party
        picks: list[tuple[Cue, str]] = []
        choice = _governing(toks, r, live, parsed, kinds)
        if choice is not None and not _time_clause_apart(toks, r, choice[0]):
            picks.append(choice)
        # "Colruyt, qui avait accueilli des consignes Amazon, y a mis fin": the relative
        # clause's cue governs by the parse, the main verb's by the dislocated subject
        second = _dislocated(toks, r, live) if parsed else None
        if second is not None and all(second[0] is not p[0] for p in picks):
            picks.append(second)
        after = after_incise(toks, r, live)
        if (
            after is not None
            and (not parsed or after.base in _RESPONSES)
            and all(after is not p[0] for p in picks)
        ):
            picks.append((after, "after-incise"))
        if not parsed and picks:
            joined = _coordinated(toks, picks[0][0], live)
            if joined is not None and all(joined is not p[0] for p in picks):
                picks.append((joined, "coordinated"))
        if parsed:
            picks += [
                (c, "gerund")
                for c in live
                if c.base in _RESPONSES
                and all(c is not p[0] for p in picks)
                and r in gerund_subjects(toks, c)
            ]
        picks += [
            (c, "collective")
            for c in live
            if who.get(id(c)) == "all"
            and c not in [p[0] for p in picks]
            and same_clause(toks, r, c.first)
        ]
        for cue, how in picks:
            if (
                how == "nearest"
                and who.get(id(cue)) == "named"
                and comma_between(toks, r, cue.first)
                and r not in _named_subjects(toks, kinds, cue)
            ):
                continue  # "Casino et U auraient dit non, seul Leclerc serait partant"
            if listed_with_actor(toks, kinds, r):
                continue  # "les plateformes partenaires (Amazon, Uber Eats, Deliveroo)"
            pair = hyphen_names(toks, cue)
            if pair and (r not in pair or not any(toks[k].actor for k in pair)):
                continue  # "Casino salué après l'accord Monoprix-Amazon": Monoprix's deal
            passive_approach = cue.base == "approached" and (
                toks[r].dep == "nsubj:pass"
                or (how == "syntax" and is_passive(toks, cue))
                or (parsed and toks[cue.first].head == r)  # "Lidl, approché selon le site, …"
            )
            if cue.status == "denied" and cue.negated and active_offer(toks, r, cue, parsed):
                continue  # "Tesco has never offered the lockers": Tesco offers, nobody denies
            if presence == "paragraph" and cue.base == "declined" and _other_suitor(toks, kinds):
                continue  # "recommended a bid from CD&R after rejecting a lower offer"
            if (
                presence == "paragraph"
                and cue.status not in _RESPONSES
                and not passive_approach
                and not _named_target(toks, cue)
                and not _contrasted(toks, r, cue)
                and not (
                    cue.status == "ended"
                    and len({toks[k].ent for k, kind in kinds.items() if kind == "retailer"}) == 1
                    and _ends_its_deal(toks, cue)
                )
            ):
                continue
            if (
                cue.base == "acquired"
                and parsed
                and toks[r].dep == "nsubj"
                and toks[r].head in cue.tokens
            ):
                continue
            if _invests_itself(toks, r, cue):
                continue  # "deux segments où Carrefour investit massivement": its own money
            rule = f"{cue.rule}+{how}+actor:{presence}"
            out.append(
                (ents[tok.ent], cue, rule, reported or cue.conditional or cue.status == "rumored")
            )
    return out


def _invests_itself(toks: list[Tok], r: int, cue: Cue) -> bool:
    """The retailer just before "investit"/"invests", no actor after it: the retailer puts
    money into its own business ("où Carrefour investit massivement"), no stake with the
    actor ("Amazon investit dans Deliveroo", "Tesco invests with Amazon" are)."""
    verb = toks[cue.first]
    return (
        verb.lemma in ("investir", "invest")
        and 0 < cue.first - r <= 2
        and not any(t.actor for t in toks[cue.last + 1 : cue.last + 6])
    )


# What a retailer ends that is its deal with the actor told before ("a mis fin à sa boutique
# sur la plateforme", "met fin au contrat des consignes").
_ITS_DEALS = ENDED_DEALS | LOCKERS | {"boutique", "store"}


def _ends_its_deal(toks: list[Tok], cue: Cue) -> bool:
    """The end's object, just after it, is a deal (or the shop or lockers it ran), or its
    passive subject is; a deal cue it took in ("a mis fin à sa boutique sur…") counts."""
    if is_passive(toks, cue) and any(  # "les casiers … seront retirés": the subject, earlier
        tok.lemma in _ITS_DEALS or tok.low in _ITS_DEALS for tok in clause_before(toks, cue.first)
    ):
        return True
    for tok in toks[cue.first + 1 : cue.last + 4]:
        if tok.low in CLAUSE_BREAK or tok.ent >= 0:
            return False
        if tok.lemma in _ITS_DEALS or tok.low in _ITS_DEALS:
            return True
    return False


def _coordinated(toks: list[Tok], cue: Cue, cues: list[Cue]) -> Cue | None:
    """Without a parse: the cue of a verb joined to the name's own by "but"/"and" with no
    subject of its own ("Sainsbury's held talks with Amazon but walked away")."""
    for k in range(cue.last + 1, min(len(toks) - 1, cue.last + 10)):
        low = toks[k].low
        if low in ("but", "and"):
            nxt = k + 1
            if nxt < len(toks) and (toks[nxt].low.endswith("ly") or toks[nxt].low == "then"):
                nxt += 1  # "but eventually walked away"
            return next((c for c in cues if c.first == nxt), None)
        if (toks[k].ent >= 0 and not toks[k].actor) or low in CLAUSE_BREAK:
            return None
    return None


def _answers_other(toks: list[Tok], cue: Cue) -> bool:
    """A refusal of what the clause before says ("…, ce que refusent les distributeurs"), or
    by those who choose ("Ceux qui le souhaitent pourront refuser"): no answer to the actor."""
    for k in range(cue.first - 1, max(0, cue.first - 5), -1):
        if toks[k].low in ("que", "qui", "qu'") and toks[k - 1].low in ("ce", "ceux", "celles"):
            return True
        if toks[k].low in CLAUSE_BREAK:
            break
    return False


def _named_subjects(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> set[int]:
    """The retailers that are the subject of a response cue, with those listed with them."""
    if not any(t.head >= 0 for t in toks):
        return set(kinds)
    heads = subjects_of(toks, verb_of(toks, cue), cue)
    out = {j for j in heads if j in kinds}
    for j, tok in enumerate(toks):
        if j in kinds and tok.dep == "conj" and tok.head in out | set(heads):
            out.add(j)
    return out or set(kinds)


def _agent_before(toks: list[Tok], kinds: dict[int, str], cue: Cue) -> int | None:
    for k in range(cue.first - 1, max(-1, cue.first - 7), -1):
        if toks[k].low in (",", ";", ":"):
            return None
        if k in kinds:
            return k
    return None


def _class_apposed(toks: list[Tok], cue: Cue, r: int) -> bool:
    """ "…avec les fournisseurs, Michel-Édouard Leclerc, président de…": one name the parse
    hangs on a class noun in the plural ("les fournisseurs", "the suppliers") is no member of
    it; a list of names would be."""
    k = cue.first
    return (
        toks[r].head == k
        and toks[r].dep == "appos"
        and toks[k].pos == "NOUN"
        and any(t.head == k and t.dep == "det" and t.low in ("les", "the") for t in toks)
        and not any(t.head == r and t.dep == "conj" for t in toks)
    )


def _governing(
    toks: list[Tok], r: int, cues: list[Cue], parsed: bool, kinds: dict[int, str] | None = None
) -> tuple[Cue, str] | None:
    """The cue that governs token ``r``: by the parse when there is one, else by distance."""
    if parsed:
        own = _conjunct_verb(toks, r, cues)
        if own is not None:
            return own, "own-verb"
        for cue in cues:
            if (
                toks[cue.first].head == r
                and toks[cue.first].dep == "acl"
                and toks[cue.first].pos == "VERB"
            ):
                return cue, "participle"  # "Naturalia, approché selon le journal, …"
        best: tuple[int, Cue] | None = None
        for cue in cues:
            if not same_clause(toks, r, cue.first):
                continue  # "Biocoop dément tandis que Naturalia …"
            if _bought_other(toks, cue, r):
                continue  # "Depuis le rachat de Whole Foods par Amazon, Kroger a multiplié…"
            if _class_apposed(toks, cue, r):
                continue  # "avec les fournisseurs, Michel-Édouard Leclerc, …": no supplier
            d = ancestor_distance(toks, r, set(cue.tokens))
            if d is None:
                verb = verb_of(toks, cue)
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
                if lo < c.first < hi and c is not cue and not under_group(toks, verb_of(toks, c), r)
            ]
            if between:  # a cue between the parse's choice and the name: the parse went astray
                return min(between, key=lambda c: abs(c.first - r)), "between"
            own = [c for c in cues if not comma_between(toks, r, c.first)]
            if comma_between(toks, r, cue.first) and own:
                # "Lidl dément, Aldi discuterait avec Amazon": the name's own segment has a cue
                return min(own, key=lambda c: abs(c.first - r)), "segment"
            if comma_between(toks, r, cue.first) and own_predicate(toks, r, cue):
                return None  # "Aldi dément, Lidl se tait": Lidl has a verb of its own
            return cue, "syntax"
    nearest: tuple[tuple[bool, int], Cue] | None = None
    incise = relative_incise(toks, r)
    aside = _aside_after(toks, r)  # "Mercasol (MSOL.MC), the …": no distance
    for cue in cues:
        span = range(r + 1, cue.first) if r < cue.first else range(cue.last + 1, r)
        if any(clause_end(toks, k) for k in span) or (
            not parsed and others_say_between(toks, span)
        ):
            continue
        if incise is not None and cue.first not in incise:
            continue  # "Ocado, which … with Waitrose, turned down Amazon": Waitrose turns nothing
        if _bought_other(toks, cue, r) or (parsed and _class_apposed(toks, cue, r)):
            continue  # "its purchase of Whole Foods Market last month, Kroger stock…"
        held = relative_incise(toks, cue.first)
        if held is not None and r not in held and r != held.start - 2:
            continue  # "Morrisons, which has supplied Amazon, and … Aldi": Morrisons's cue
        if comma_between(toks, r, cue.first) and (
            cue_has_own_subject(toks, kinds or {}, r, cue.first)
            or (
                parsed
                and has_predicate(toks, r)
                and segment_has_other(toks, kinds or {}, r, cue.first)
            )
        ):
            continue  # "Lidl relance la guerre des prix, Picard dans le viseur d'Amazon"
        if (
            parsed
            and cue.first < r
            and comma_between(toks, r, cue.first)
            and own_predicate(toks, r, cue)
        ):
            continue  # "Auchan dément, Cora se tait" (after the name, a comma may open an incise)
        d = sum(
            1
            for k in span
            if toks[k].pos not in _LIGHT and toks[k].low not in _PUNCT and k not in aside
        )
        # a cue of the name's own comma segment first, then the nearest
        rank = (comma_between(toks, r, cue.first), d)
        if d <= (8 if parsed else 10) and (nearest is None or rank < nearest[0]):
            nearest = (rank, cue)
    if nearest is not None:
        return nearest[1], "nearest"
    return _dislocated(toks, r, cues) if parsed else None


def _aside_after(toks: list[Tok], r: int) -> set[int]:
    """The parenthesis right after the name ("Mercasol (MSOL.MC), …"): its ticker or town."""
    if r + 1 >= len(toks) or toks[r + 1].low != "(":
        return set()
    for k in range(r + 2, min(len(toks), r + 8)):
        if toks[k].low == ")":
            return set(range(r + 1, k + 1))
    return set()


# Sentence adverbials that set a party against the ones just told ("Intermarché, en revanche,
# aurait engagé des discussions").
_CONTRASTS = (
    ("en", "revanche"),
    ("de", "son", "cote"),
    ("pour", "sa", "part"),
    ("quant", "a"),
    ("however",),
    ("for", "its", "part"),
    ("by", "contrast"),
    ("in", "contrast"),
)


def _contrasted(toks: list[Tok], r: int, cue: Cue) -> bool:
    """The retailer set against the parties of the sentence before ("Leclerc a refusé de
    donner suite à l'américain. Intermarché, en revanche, aurait engagé des discussions"):
    the contrast carries the other party over, so the talks are with the actor the paragraph
    names. The retailer opens the sentence, the adverbial beside it, before a cue of talks
    ("Carrefour, de son côté, a développé son propre réseau de casiers" is its own)."""
    if r > 3 or cue.first <= r or cue.base != "in_talks":
        return False
    if any(t.low in ("avec", "with") for t in toks[cue.last + 1 : cue.last + 4]):
        return False  # "en discussions avec plusieurs plateformes": talks with others
    if toks[cue.first - 1].low in ("ces", "these", "those"):
        return False  # "reste à l'écart de ces tractations": the others' talks
    words = [t.low for t in toks[: cue.first]]
    for phrase in _CONTRASTS:
        n = len(phrase)
        for k in range(len(words) - n + 1):
            if tuple(words[k : k + n]) == phrase and (k + n <= r or r < k <= r + 2):
                return True
    return False


def _other_suitor(toks: list[Tok], kinds: dict[int, str]) -> bool:
    """The sentence names a suitor that is not the actor ("a bid from Clayton, Dubilier &
    Rice", "l'offre de Fortress"): with the actor only a paragraph away, a refusal there
    answers that suitor."""
    for k in range(len(toks) - 2):
        if (
            toks[k].low in OFFER_NOUNS
            and toks[k + 1].low in SUITOR_LINKS
            and toks[k + 2].text[:1].isupper()
            and kinds.get(k + 2) != "actor"
        ):
            return True
    return False


def _named_target(toks: list[Tok], cue: Cue) -> bool:
    """ "Le groupe est cité comme une cible potentielle", "figure parmi les cibles": a target
    is someone's, and with the actor in the paragraph, the actor's, unless the text names
    another hunter ("la cible de KKR")."""
    if cue.base != "rumored" or toks[cue.first].low not in TARGET_NOUNS:
        return False
    after = toks[cue.last + 1 : cue.last + 4]
    return not any(t.low in ("de", "d'", "du", "of", "for") for t in after[:2])


def _bought_other(toks: list[Tok], cue: Cue, r: int) -> bool:
    """A purchase buys what it names, not another name nearby: the company right after it
    ("purchase of X", "le rachat de X"), or an object of its own before a comma ("s'offre la
    Ligue 1, Leader Price…"); one made from, at or next to a retailer buys nothing of it."""
    if cue.base != "acquired":
        return False
    k = cue.last + 1
    if k + 1 < len(toks) and toks[k].low in ("of", "de", "d'"):
        return toks[k + 1].ent >= 0 and k + 1 != r
    if cue.last < r and any(t.low in _BOUGHT_BESIDE for t in toks[cue.last + 1 : r]):
        return True  # "can buy sponsored placements next to Morrisons' ranges", "buy from X"
    verb = verb_of(toks, cue)
    return any(
        t.head == verb
        and t.dep == "obj"
        and t.ent < 0
        and t.pos in ("NOUN", "PROPN")
        and t.low not in _NOT_ITS_OWN
        and toks[r].head != o
        and comma_between(toks, o, r)
        and not comma_between(toks, verb, o)
        for o, t in enumerate(toks)
    )  # "Amazon s'offre la Ligue 1, Leader Price devient Aldi": the league is what it bought


# Where a purchase is made, not what it takes: "buy groceries from X", "acheter chez X".
_BOUGHT_BESIDE = {"from", "at", "next", "beside", "alongside", "chez", "aupres"}
# What a purchase takes of a company named further on ("une participation, minoritaire, dans X").
_STAKES = {"participation", "part", "parts", "capital", "stake", "share", "shares", "%", "totalite"}
# An object that is no purchase of its own: a description of a company, or a stake in one.
_NOT_ITS_OWN = _ANAPHORS | _STAKES


def _conjunct_verb(toks: list[Tok], r: int, cues: list[Cue]) -> Cue | None:
    """A name the parse joined to the object before it, though a verb of its own follows it
    ("Leclerc a refusé toute discussion et Auchan serait en négociations"): that verb's cue."""
    pred = verb_after(toks, r)
    if toks[r].dep != "conj" or pred is None:
        return None
    return next((c for c in cues if pred in c.tokens or verb_of(toks, c) == pred), None)


# Verbs that may stand between a dislocated subject and the cue's verb ("pourrait être racheté").
_BEFORE_VERB = RAISING | {"vouloir", "aller"}


def _dislocated(toks: list[Tok], r: int, cues: list[Cue]) -> tuple[Cue, str] | None:
    """The sentence's first name, set apart by an apposition or a relative clause, is the
    subject of a verb the parse left without one ("L'enseigne X, qui compte onze magasins,
    a mis fin à son partenariat avec Amazon")."""
    if any(t.ent >= 0 for t in toks[:r]):
        return None
    for cue in cues:
        verb = verb_of(toks, cue)
        if verb <= r or toks[verb].pos != "VERB" or not _apposition_subjects(toks, r, verb):
            continue
        between = toks[r + 1 : min(cue.first, verb)]
        if any(t.ent >= 0 for t in between) or not any(t.low == "," for t in between):
            continue
        k = min(cue.first, verb) - 1
        while k > r and (
            toks[k].dep.startswith("aux")
            or toks[k].pos in ("ADV", "AUX")
            or toks[k].lemma in _BEFORE_VERB
            or toks[k].low in ("ne", "n'")
        ):
            k -= 1  # "…, pourrait être racheté", "…, n'aurait jamais été approché"
        if toks[k].low == ",":
            return cue, "dislocated"
    return None


def _apposition_subjects(toks: list[Tok], r: int, verb: int) -> bool:
    """The verb has no subject, or only the apposition that sets the name apart, which the
    parser took for one ("Biocoop, premier réseau bio, a toujours refusé…")."""
    subjects = subjects_of(toks, verb)
    if not subjects:
        return True
    if r + 1 >= len(toks) or toks[r + 1].low != ",":
        return False
    return all(
        r + 1 < j < verb and toks[j].ent < 0 and any(t.low == "," for t in toks[j + 1 : verb])
        for j in subjects
    )
