"""Who is a party to a deal and who only qualifies one, describes one or buys one.

:mod:`.relations` gives each retailer the cue that governs it; these tests say whether the
retailer is a party at all, and for sentences naming no retailer which description speaks for
one:
- kinship qualifies and is no party: "Monoprix, filiale de Casino, …", "owned by", "l'enseigne
  du groupe X";
- a retailer listed with the actor ("les plateformes partenaires (Amazon, Uber Eats, …)") is a
  peer, not a party; a retailer that offers something itself ("Tesco has never offered the
  lockers") is not the one denying an approach;
- a definite description ("le distributeur", "l'enseigne", "the grocer") as the subject or the
  object of a deal is a retailer the text is speaking of;
- an unknown name after a purchase word is a retailer only where the parse makes it the object
  of the actor's acquisition.
"""

from __future__ import annotations

from .lexicon import fold
from .syntax import (
    CLAUSE_ENDS,
    LIST_GLUE,
    ancestor_distance,
    is_passive,
    subjects_of,
    time_clause,
    under,
    verb_of,
)
from .tokens import BE, ENDED_DEALS, Cue, Tok, clause_before

# Nouns a retailer is described by ("le distributeur", "the grocer"): as a subject or an object
# they stand for a retailer named nearby; as the active subject of a purchase they make a
# retailer the buyer, so the purchase is not the actor's.
RETAIL_DESCRIPTIONS = {
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
    "leader",
    "groupe",
    "group",
    "discounter",
    "discompteur",
    "reseau",
    "specialist",
    "epicerie",
    "entreprise",
    "company",
    "magasin",
    "hypermarche",
    "hyper",
    "superette",
    "store",
    "banniere",  # Quebec's word for a chain ("la bannière à escompte")
    "banner",
    # a shop by its trade, or its trader ("Le boucher a signé un contrat avec la plateforme")
    "epicier",
    "boucher",
    "boulanger",
    "fromager",
    "primeur",
    "caviste",
    "boucherie",
    "boulangerie",
    "fromagerie",
    "conserverie",
    "butcher",
    "deli",
    "cheesemonger",
    "greengrocer",
}


# Who answers for a company ("La direction a démenti", "Son cofondateur a refusé").
MANAGEMENT = {
    "direction",
    "dirigeant",
    "pdg",
    "patron",
    "patronne",
    "fondateur",
    "fondatrice",
    "cofondateur",
    "cofondatrice",
    "president",
    "presidente",
    "directeur",
    "directrice",
    "porte-parole",
    "management",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "boss",
}


DEFINITE = {
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


_BANNERS = {
    "enseigne",
    "marque",
    "banner",
    "brand",
    "chaine",
    "chain",
    "distributeur",
    "retailer",
    "grocer",
}


# A company told by its kin: its owner ("le propriétaire de Safeway") or one of its banners
# ("l'enseigne du groupe Louis Delhaize", "la filiale de Monoprix").
_OWNERS = {"proprietaire", "maison-mere", "mere", "parent", "owner"}
_OFFSPRING = {"filiale", "enseigne", "marque", "branche", "subsidiary", "banner", "brand", "chain"}
_BANNER_NOUNS = _BANNERS | _OFFSPRING  # what a group's possessive may own ("group's chain")


# Nouns that qualify a company by another ("filiale du groupe Casino", "owner of Monoprix"):
# the kin above, and "propriété de"/"unit of"; "chain of" names shops, not a company.
KIN_WORDS = (_OWNERS | _OFFSPRING | {"propriete", "unit"}) - {"chain"}


def kin(toks: list[Tok], r: int, parsed: bool) -> bool:
    """The name is the genitive complement of a kinship noun ("filiale du groupe Casino",
    "l'enseigne parisienne du groupe Casino"): it qualifies another company. An apposition
    ("son enseigne Monoprix") names the company itself."""
    if parsed:
        head = toks[r].head
        if toks[r].dep == "conj" and 0 <= head < r and toks[head].ent >= 0:
            return kin(toks, head, parsed)  # "propriétaire d'Albert Heijn et de Delhaize"
        if 0 <= head < r and toks[head].lemma in ("groupe", "group") and toks[head].ent < 0:
            return kin(toks, head, parsed)  # "propriété du groupe belge Louis Delhaize"
        if (
            r >= 3
            and toks[r - 1].low in ("de", "d'", "du", "of")
            and toks[r - 2].low in ("et", "and")
            and toks[r - 3].ent >= 0
        ):
            return kin(toks, r - 3, parsed)  # the same, however the parser joined them
        if (
            0 <= head < r
            and toks[head].lemma in _HELD
            and toks[head].dep == "acl"
            and toks[r - 1].low in ("par", "by", "au", "à", "to")
        ):
            # "l'enseigne alors détenue par Casino", "appartenant au groupe LVMH": the owner
            return True
        genitive = any(
            t.head == r and t.dep == "case" and t.low in ("de", "du", "d'", "des", "of")
            for t in toks[max(0, r - 3) : r]
        )
        if head < 0 or not genitive or not toks[r].dep.startswith("nmod"):
            return _banner_of_group(toks, r) or _owner_before(toks, r)
        noun = toks[head].lemma if toks[head].lemma in KIN_WORDS else toks[head].low
        if noun not in KIN_WORDS and toks[head].dep.startswith("nmod") and toks[head].head >= 0:
            up = toks[toks[head].head]  # "l'enseigne de proximité du groupe Casino"
            noun = up.lemma if up.lemma in KIN_WORDS else up.low
        if noun in _BANNERS:  # "l'enseigne du groupe Casino", not "l'enseigne d'hypermarchés X"
            return _named_group(toks, r) or _apposed_to_name(toks, head)
        if noun in _OWNERS and _owner_is_no_company(toks, head):
            return False  # "la famille Mulliez, propriétaire d'Auchan": Auchan is the party
        return noun in KIN_WORDS or _banner_of_group(toks, r)
    before = [t.low for t in toks[max(0, r - 3) : r]]
    if _owner_of_banner(toks, r) or _banner_of_group(toks, r):
        return True  # "the Casino group's chain", "Casino's Monoprix", "… of the Casino group"
    if r + 1 < len(toks) and toks[r + 1].low in _HELD_HYPHEN:
        return True  # "the Loblaw-owned banner": the owner qualifies the banner
    if "by" in before and any(w in ("owned", "controlled") for w in before):
        return True  # "the upmarket chain owned by the John Lewis Partnership"
    if "behind" in before:
        return True  # "the wholesaler behind the SuperValu and Centra chains"
    if (
        r >= 2
        and toks[r - 1].low in ("and", ",")
        and toks[r - 2].ent >= 0
        and kin(toks, r - 2, parsed)
    ):
        return True  # "the owner of Asda and Morrisons"
    return any(w in KIN_WORDS for w in before) and any(w in ("de", "du", "of") for w in before)


_HELD_HYPHEN = {"-owned", "-backed", "-controlled"}
_HELD = {"detenir", "controler", "posseder", "appartenir", "own", "control", "belong"}


def _owner_before(toks: list[Tok], r: int) -> bool:
    """ "Sobeys, propriétaire des épiceries IGA", however the parser hung it: the owner noun a
    few words before, then its genitive (the banner qualifies the owner, who is the party)."""
    k = r - 1
    while k >= 0 and r - k <= 3 and toks[k].ent < 0 and toks[k].lemma not in _OWNERS:
        if toks[k].pos == "PUNCT":
            return False
        k -= 1
    return (
        k >= 0
        and toks[k].lemma in _OWNERS
        and toks[k + 1].low in ("de", "des", "du", "d'", "of")
        and not _owner_is_no_company(toks, k)
    )


def _apposed_to_name(toks: list[Tok], noun: int) -> bool:
    """The banner noun describes a name just before it ("La Grande Épicerie de Paris,
    l'enseigne de LVMH, …"), however the parser hung it: its genitive is the owner."""
    if noun < 3 or toks[noun - 1].low not in DEFINITE | {"l'"} or toks[noun - 2].low != ",":
        return False
    return any(t.ent >= 0 for t in toks[max(0, noun - 6) : noun - 2])


def _owner_is_no_company(toks: list[Tok], noun: int) -> bool:
    """The owner stands beside a family or a person, not a company ("la famille Mulliez,
    propriétaire d'Auchan", "the Walton family, owners of Walmart"): whoever deals with them
    deals for the company they own."""
    if toks[noun].dep == "appos" and toks[noun].head >= 0:
        host = toks[toks[noun].head]
        return host.ent < 0 and host.lemma in _OWNER_PEOPLE
    if noun < 2 or toks[noun - 1].low != ",":
        return False
    before = toks[max(0, noun - 4) : noun - 1]  # however the parser hung it
    return not any(t.ent >= 0 for t in before) and any(t.lemma in _OWNER_PEOPLE for t in before)


_OWNER_PEOPLE = {"famille", "family", "heritier", "heir", "fondateur", "founder", "actionnaire"}


def _named_group(toks: list[Tok], r: int) -> bool:
    after = toks[r + 1].low if r + 1 < len(toks) else ""
    return after == "group" or any(
        w in ("groupe", "group") for w in (fold(toks[r].text).split()[0], toks[r - 1].low)
    )


def _owner_of_banner(toks: list[Tok], r: int) -> bool:
    """ "the Casino group's city-centre chain", "Casino's Monoprix banner": the possessive
    names the owner of the banner the sentence is about. (A name's own "'s" stays inside the
    name's token, marked ``poss``; "group's" the tokenizer keeps whole.)"""
    k = r + 1
    if toks[r].poss and k < len(toks) and toks[k].ent >= 0 and not toks[k].actor:
        return True  # "Casino's Monoprix banner"
    if k >= len(toks) or toks[k].low not in ("group's", "group’s"):
        return False
    for m in range(k + 1, min(len(toks), k + 4)):
        if toks[m].ent >= 0 or toks[m].low in (",", ";", ":", "("):
            return False
        if toks[m].lemma in _BANNER_NOUNS or toks[m].low in _BANNER_NOUNS:
            return True
    return False


def _banner_of_group(toks: list[Tok], r: int) -> bool:
    """ "la chaîne de magasins spécialisés du groupe Casino", however the parser hung it: a
    banner noun (or "part of": "Monoprix, part of the Casino group") a few words before "du
    groupe X", in the same apposition."""
    if r < 1 or not _named_group(toks, r):
        return False
    for k in range(r - 1, max(-1, r - 8), -1):
        if toks[k].low in (",", ";", ":", "(") or toks[k].ent >= 0:
            return False
        if toks[k].lemma in _BANNERS or toks[k].low in _BANNERS:
            return True
        if toks[k].low in _PART_OF and (k == 0 or toks[k - 1].low not in _QUANTIFIERS):
            return True  # "part of the Casino group", not "une partie des magasins du groupe"
    return False


# Belonging to a group: "part of the Casino group", "qui fait partie du groupe Casino".
_PART_OF = {"part", "partie", "membre", "member"}
_QUANTIFIERS = {"une", "la", "a", "the", "grande", "large", "bonne", "small", "petite"}


def listed_with_actor(toks: list[Tok], kinds: dict[int, str], r: int) -> bool:
    """The name is one of a list of three or more that the actor belongs to ("les plateformes
    (Amazon, Uber Eats, Deliveroo)"): a peer of the actor. Two names joined ("entre Monoprix
    et Amazon") are the two parties."""
    lo = hi = r
    while lo > 0 and (toks[lo - 1].ent >= 0 or toks[lo - 1].low in LIST_GLUE):
        lo -= 1
    while hi + 1 < len(toks) and (toks[hi + 1].ent >= 0 or toks[hi + 1].low in LIST_GLUE):
        hi += 1
    members = [k for k in range(lo, hi + 1) if toks[k].ent >= 0]
    first = members[0]
    if (
        kinds.get(first) == "actor"
        and first > 0
        and toks[first - 1].low in _PREPOSITIONS
        and _conj_root(toks, r) != _conj_root(toks, first)
    ):
        # "pour livrer via Prime Now, Leclerc et Système U ont décliné": the actor closes
        # one clause, the names open the next
        return False
    return len(members) >= 3 and any(kinds.get(k) == "actor" for k in members)


_PREPOSITIONS = {"via", "avec", "sur", "par", "de", "d'", "chez", "with", "on", "by", "through"}


def hyphen_names(toks: list[Tok], cue: Cue) -> list[int]:
    """ "l'accord Monoprix-Amazon", "the Sainsbury's-Asda deal": the names joined by a hyphen
    right beside the cue are its parties, and no other name is; without the actor among
    them, the deal is theirs with each other."""
    for at in (cue.last + 1, cue.first - 3):
        trio = toks[at : at + 3] if at >= 0 else []
        if len(trio) == 3 and trio[1].low == "-" and trio[0].ent >= 0 and trio[2].ent >= 0:
            return [at, at + 2]
    return []


def _conj_root(toks: list[Tok], k: int) -> int:
    """The first member of the coordination the token belongs to, by the parse."""
    seen = 0
    while toks[k].dep == "conj" and toks[k].head >= 0 and seen < len(toks):
        k, seen = toks[k].head, seen + 1
    return k


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


def active_offer(toks: list[Tok], r: int, cue: Cue, parsed: bool) -> bool:
    """A negated approach word whose active subject is the retailer itself."""
    if toks[cue.first].lemma not in _APPROACH_WORDS:
        return False
    if parsed:
        subject, steps = r, 0
        while toks[subject].dep == "conj" and toks[subject].head >= 0 and steps < 4:
            subject, steps = toks[subject].head, steps + 1  # "Leclerc et Système U ne proposent"
        verb = verb_of(toks, cue)
        if toks[cue.first].pos != "VERB":
            return False
        if toks[subject].dep == "nsubj":
            return toks[subject].head in (cue.first, verb)
        # "Leclerc et Système U, très implantés ici, ne proposent pas…": a name set apart
        # before a verb the parse left without a subject
        return toks[subject].dep == "ROOT" and subject < cue.first and not subjects_of(toks, verb)
    span = toks[r + 1 : cue.first] if r < cue.first else []
    return bool(span) and not any(t.low in BE for t in span)


# Verbs whose infinitive tells their subject's own state or act ("pourrait devenir une cible",
# "reconnaît avoir engagé des discussions").
RAISING = {"pouvoir", "devoir", "sembler", "paraitre", "reconnaitre", "confirmer", "admettre"}


def clause_subjects(toks: list[Tok], cue: Cue) -> list[int]:
    """The subjects of the cue's verb, or of the verb governing it ("Elle a refondu son site
    et a ouvert…", "reconnaît avoir engagé des discussions", "pourrait devenir une cible")."""
    verb = verb_of(toks, cue)
    subjects = subjects_of(toks, verb, cue)
    for _ in range(2):
        head = toks[verb].head
        if subjects or head < 0:
            break
        if (
            toks[verb].dep != "conj"
            and not (toks[verb].dep == "xcomp" and toks[head].lemma in RAISING)
            and not time_clause(toks, verb)
        ):
            break  # "n'a pas souhaité commenter des spéculations": a wish, not the deal
        verb = head
        subjects = subjects_of(toks, verb)
    if not subjects:
        # "L'enseigne du groupe X, présente dans l'Est, reconnaît…": the parser hung the
        # subject on the incise before the verb
        incises = [k for k, t in enumerate(toks) if t.head == verb and t.dep == "advcl"]
        subjects = [j for k in incises if k < verb for j in subjects_of(toks, k) if j < k]
    return subjects


def described_subject(toks: list[Tok], cue: Cue, pronoun: bool = False, deal: bool = False) -> bool:
    """The cue's verb has for subject a definite description of a retailer ("le distributeur
    met un terme à…", "l'enseigne a signé…"): the retailer the text is speaking of. With
    ``pronoun`` (the actor is named otherwise), a subject pronoun is that retailer too ("Elle
    avait signé avec Amazon un accord"). With ``deal``, a deal that ends is its party's ("Le
    contrat a été résilié")."""
    if not any(t.head >= 0 for t in toks):
        return _described_before(toks, cue) or (
            deal and cue.status == "ended" and _deal_before(toks, cue)
        )
    if _time_adjunct(toks, cue):
        return False  # "Après des mois de discussions, le distributeur accueille…": the past
    for j in clause_subjects(toks, cue):
        tok = toks[j]
        if pronoun and _opens(toks, j) and tok.dep == "nsubj" and tok.low in _SHE_HE:
            return True
        if (
            deal
            and cue.status == "ended"
            and tok.dep.startswith("nsubj")
            and tok.lemma in ENDED_DEALS
        ):
            return _definite(toks, j)  # "L'accord a pris fin": the deal of the one spoken of
        if cue.base in ("declined", "denied") and tok.dep == "nsubj" and tok.lemma in MANAGEMENT:
            return _definite(toks, j)  # "La direction a démenti": the company's answer
        if pronoun and j == 1 and tok.low in ("dernier", "derniere") and toks[0].low in _THIS:
            return True  # "Ce dernier dément toute négociation avec l'américain"
        # "l'enseigne nordiste aurait été approchée", "serait citée comme une cible"
        passive = tok.dep == "nsubj:pass" and (
            cue.base in ("approached", "rumored") or not is_passive(toks, cue)
        )  # or the parser's mistake: "le discounter allemand a décliné"
        if (tok.dep == "nsubj" or passive) and tok.ent < 0 and tok.lemma in RETAIL_DESCRIPTIONS:
            # "le réseau logistique d'Amazon" is the actor's
            owned = any(t.actor and t.head == j and t.dep.startswith("nmod") for t in toks)
            return _definite(toks, j) and not owned
    return False


def kin_subject(toks: list[Tok], cue: Cue) -> tuple[str, int] | None:
    """The cue's subject is a company told by its kin ("le propriétaire de Safeway pourrait
    devenir une cible", "l'enseigne du groupe Louis Delhaize reconnaît avoir engagé des
    discussions"): ("owner" or "offspring", the kin's name token). The caller knows from the
    watchlist which company that is."""
    if not any(t.head >= 0 for t in toks):
        return _kin_before(toks, cue)
    for j in clause_subjects(toks, cue):
        relation = _kin_relation(toks[j].lemma)
        if relation is None or toks[j].ent >= 0:
            continue
        if not _definite(toks, j):
            continue
        for r in range(j + 1, min(len(toks), j + 6)):
            if toks[r].ent >= 0 and under(toks, r, j):
                return relation, r
    return None


def _kin_relation(noun: str) -> str | None:
    return "owner" if noun in _OWNERS else "offspring" if noun in _OFFSPRING else None


def _kin_before(toks: list[Tok], cue: Cue) -> tuple[str, int] | None:
    """Without a parse: "the owner of Safeway" just before the cue, in its clause."""
    for j in range(cue.first - 3, max(0, cue.first - 9), -1):
        if toks[j + 2].ent < 0 or toks[j + 1].low != "of" or j == 0 or toks[j - 1].low != "the":
            continue
        relation = _kin_relation(toks[j].low)
        between = toks[j + 3 : cue.first]
        if relation and not any(t.low in CLAUSE_ENDS or t.low in (";", ":") for t in between):
            return relation, j + 2
    return None


def _definite(toks: list[Tok], j: int) -> bool:
    """The noun has a definite determiner, however the parser hung it ("le leader français")."""
    return any(t.head == j and t.lemma in DEFINITE | {"l'"} for t in toks) or (
        j > 0 and toks[j - 1].low in DEFINITE | {"l'"}
    )


def _described_before(toks: list[Tok], cue: Cue) -> bool:
    """Without a parse (English): "the grocer" a verb or two before the cue, in its clause
    ("…, as the supermarket extends its tie-up with the online giant")."""
    for k in range(cue.first - 1, max(0, cue.first - 5), -1):
        tok = toks[k]
        if tok.low in CLAUSE_ENDS or tok.low in (",", ";", ":") or tok.ent >= 0:
            return False
        if tok.low in _NEW_SUBJECT:
            return False  # "The company says it offers…": another clause's subject
        if tok.low in RETAIL_DESCRIPTIONS or tok.low.rstrip("s") in RETAIL_DESCRIPTIONS:
            # up to two modifiers: "the frozen food specialist may have discussed…"
            before = [t.low for t in toks[max(0, k - 3) : k]]
            the = [i for i, w in enumerate(before) if w in ("the", "its")]
            if tok.low == "company" and not _actor_after(toks, cue):
                return False  # any firm: "the company was investing in lower prices"
            return bool(the) and k + 1 < cue.first and "," not in before[the[-1] :]
    return False


def _deal_before(toks: list[Tok], cue: Cue) -> bool:
    """Without a parse: "the tie-up", "its supply deal" a few words before the cue that ends it,
    in its clause ("the tie-up was quietly wound down")."""
    words = clause_before(toks, cue.first)
    for n, tok in enumerate(words[:4]):
        if tok.ent >= 0:
            return False
        if tok.lemma in ENDED_DEALS or tok.low in ENDED_DEALS:
            return any(t.low in ("the", "its", "this", "that") for t in words[n + 1 : n + 4])
    return False


def _actor_after(toks: list[Tok], cue: Cue) -> bool:
    """The actor is the cue's counterpart, a few words after it ("held talks with Amazon")."""
    return any(t.actor for t in toks[cue.last + 1 : cue.last + 7])


_NEW_SUBJECT = {"it", "he", "she", "they", "that", "which", "who", "we", "i"}


_SHE_HE = {"elle", "il", "celle-ci", "celui-ci", "celle", "celui"}  # "celle-ci" split


def _opens(toks: list[Tok], j: int) -> bool:
    """Token ``j`` opens the sentence, or follows a short opening adverbial and its comma
    ("En 2016, il avait fermé la porte")."""
    if j == 0 or (j == 1 and toks[0].low in COORDINATORS):
        return True  # "Et elle appartient désormais à Amazon"
    return (
        j <= 6
        and toks[j - 1].low == ","
        and not any(t.pos in ("VERB", "AUX") or t.ent >= 0 for t in toks[: j - 1])
    )


_THIS = {"ce", "cette"}
# Coordinators that may open a sentence before its subject ("Et elle…", "Mais il…")
COORDINATORS = {"et", "mais", "puis"}


_TIME_CASES = {"apres", "avant", "depuis", "malgre", "after", "before", "despite"}


def _time_adjunct(toks: list[Tok], cue: Cue) -> bool:
    """The cue sits in an adjunct of time or concession ("Après des mois de discussions")."""
    k = cue.first
    for _ in range(3):
        if any(t.head == k and t.dep == "case" and t.low in _TIME_CASES for t in toks):
            return True
        if k < 0 or toks[k].head < 0 or toks[k].dep.startswith(("nsubj", "obj", "ROOT")):
            return False
        k = toks[k].head
    return False


def described_object(toks: list[Tok], cue: Cue) -> bool:
    """The cue's object, a few words after it, is a definite description of a retailer
    ("racheter le distributeur de Minneapolis", "approached the grocer"), or a share of one
    ("racheter tout ou partie de l'enseigne nordiste")."""
    start = cue.last + 1
    while start < len(toks) and toks[start].low in _SHARE_OF:
        start += 1
    return _description_at(toks, start)


def _description_at(toks: list[Tok], start: int) -> bool:
    """A definite description of a retailer within three words of ``start``."""
    for k in range(start, min(len(toks), start + 3)):
        tok = toks[k]
        if tok.low in CLAUSE_ENDS or tok.low in (",", ";", ":") or tok.ent >= 0:
            return False
        if tok.lemma in RETAIL_DESCRIPTIONS or tok.low in RETAIL_DESCRIPTIONS:
            # one adjective may stand between ("approached the upmarket grocer")
            return any(toks[j].lemma in DEFINITE | {"l'"} for j in (k - 1, k - 2) if j >= start)
    return False


def described_partner(toks: list[Tok], cue: Cue) -> bool:
    """Talks "avec"/"with" a definite description of a retailer, or with its owners ("en
    négociations exclusives avec les actionnaires familiaux de cette chaîne", "in talks with
    the grocer"): an adjective or two may stand between the cue and "avec"."""
    k = cue.last + 1
    while k < min(len(toks), cue.last + 3) and toks[k].pos in ("ADJ", "ADV"):
        k += 1
    if k >= len(toks) or toks[k].low not in ("avec", "with"):
        return False
    k += 1
    if k + 1 < len(toks) and toks[k + 1].lemma in _TALKS_FOR:
        k += 2  # "avec les actionnaires familiaux de" + the description
        while k < len(toks) and toks[k].pos == "ADJ" and toks[k].ent < 0:
            k += 1
        if k >= len(toks) or toks[k].low not in ("de", "d'", "of"):
            return False
        k += 1
    return _description_at(toks, k)


# Those who talk for a retailer in a deal: its owners and its heads.
_TALKS_FOR = _OWNERS | _OWNER_PEOPLE | {"shareholder", "dirigeant", "direction"}


# The words of a share ("tout ou partie de", "part of", "a stake in"); "du" is left to
# the description it makes definite ("une partie du distributeur").
_SHARE_OF = {"tout", "ou", "une", "partie", "de", "d'", "part", "of", "a", "stake", "in"}


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
        verb = verb_of(toks, cue)
        if ancestor_distance(toks, r, set(cue.tokens) | {verb}) is None:
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
        if toks[k].low in CLAUSE_ENDS or toks[k].low in (",", ";", ":"):
            break
    chain = [verb]
    if toks[verb].dep in ("xcomp", "advcl", "ccomp") and toks[verb].head >= 0:
        chain.append(toks[verb].head)
    for v in chain:
        subjects = subjects_of(toks, v, cue)
        if not subjects:
            continue
        if any(kinds.get(j) == "actor" for j in subjects):
            return True
        return described and all(j not in kinds and toks[j].text[:1].islower() for j in subjects)
    before = [j for j in range(cue.first) if j in kinds]
    return bool(before) and kinds[before[-1]] == "actor"
