"""The token and cue records every stage shares, and the little that reads a token alone.

A sentence is a list of :class:`Tok`, from spaCy for French (lemma, part of speech, dependency,
``Mood=Cnd``) or from a rule tokenizer for English (lemma by suffix rule); a :class:`Cue` is a
status word found among them (:mod:`.cues`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexicon import fold

# "que" opens a subordinate clause: the negation of "on ne cache plus qu'Amazon a pris contact"
# is not the contact's.
CLAUSE_BREAK = {
    ",",
    ";",
    ":",
    "mais",
    "but",
    "tandis",
    "whereas",
    "while",
    "—",
    "–",
    "(",
    ")",
    "que",
    "qu'",
}


# A past participle or a present one, told from a present-tense verb by its ending
# ("associé", "racheté" against "achète", "débarque").
PARTICIPLE_END = re.compile(r"(?:é|i|(?<!q)u)e?s?$|ante?s?$")

CLAUSE_DEPS = {"conj", "parataxis", "advcl", "ccomp", "acl:relcl", "acl"}

# Forms of "to be" (a passive's auxiliary, a copula), folded as the tokens' ``low`` is.
BE = frozenset({"be", "is", "was", "were", "been", "being", "are", "etre", "ete"})

# The actor's lockers, a deal of their own ("les casiers Amazon").
LOCKERS = frozenset({"consigne", "consignes", "casier", "casiers", "locker", "lockers"})


def clause_before(toks: list[Tok], k: int) -> list[Tok]:
    """The tokens before ``k`` in its clause, nearest first (back to a clause break)."""
    out = []
    for tok in reversed(toks[:k]):
        if tok.low in CLAUSE_BREAK:
            break
        out.append(tok)
    return out


# Deals whose end the press tells with the deal as subject ("L'accord a pris fin en janvier").
ENDED_DEALS = {
    "accord",
    "partenariat",
    "contrat",
    "collaboration",
    "alliance",
    "experience",
    "experimentation",
    "essai",
    "aventure",
    "dispositif",
    "test",
    "pilote",
    "arrangement",
    "deal",
    "partnership",
    "tie-up",
    "trial",
    "pilot",
    "agreement",
    "contract",
}


# A cue found in a sentence before it is resolved: its first token, its tokens, and the lexicon
# entries it matched (lemmas, status, whether it counts only under negation).
FoundCue = tuple[int, list[int], list[tuple[tuple[str, ...], str, bool]]]


DETERMINERS = {
    "le",
    "la",
    "l'",
    "les",
    "un",
    "une",
    "son",
    "sa",
    "ses",
    "leur",
    "the",
    "a",
    "an",
    "its",
    "their",
    "this",
}


_EN_TOKEN = re.compile(r"\w+(?=n't\b)|n't|\w+(?:[-']\w+)*|[^\w\s]")


@dataclass
class Tok:
    """One token, whatever produced it; ``head`` is -1 without a parse."""

    text: str
    lemma: str
    low: str
    pos: str = ""
    dep: str = ""
    head: int = -1
    cnd: bool = False
    ent: int = -1  # index into the sentence's entities, -1 for none
    actor: bool = False  # the entity is the actor
    plup: bool = False  # a verb in the pluperfect ("avait approché"): background, not news
    poss: bool = False  # a name with its own "'s" ("Casino's"): an owner, in English


@dataclass
class Cue:
    """A status cue found in a sentence and what its surroundings make of it."""

    status: str
    first: int
    last: int
    text: str
    negated: bool = False
    conditional: bool = False
    goal: str = ""  # "", "purpose" or "intention"
    rule: str = "lemma"
    tokens: list[int] = field(default_factory=list)
    base: str = ""  # the status before goal handling
    background: bool = False  # told in the pluperfect: a recap of what had happened


# Stem endings that lost a silent "e" before -ed/-ing, and the longer endings that did not.
_SILENT_E = (
    "at",
    "us",
    "ir",
    "iv",
    "ur",
    "rg",
    "ac",
    "lv",
    "os",
    "uc",
    "in",
    "ak",
    "as",
    "ov",
    "ar",
    "nc",
    "ic",
)
_NO_SILENT_E = ("our", "ain", "oin", "ein", "eak", "oak", "ear")


def english_lemma(word: str, irregular: dict[str, str]) -> str:
    """A rough English lemma: irregular table, then -ies/-ied/-ing/-ed/-es/-s suffix rules."""
    w = word.lower()
    if w in irregular:
        return irregular[w]
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ying", "y")):
        if w.endswith(suffix):
            return w[: -len(suffix)] + repl
    if w.endswith("eed"):  # "agreed", "freed", "guaranteed"; "proceed", "exceed" are bases
        return w[:-1] if w.endswith(("agreed", "creed", "freed", "teed")) else w
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[: -len(suffix)]
            if len(stem) >= 2 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
                return stem[:-1]
            if stem.endswith(_SILENT_E) and not stem.endswith(_NO_SILENT_E):
                return stem + "e"  # "declined" → "decline", but "joined" → "join"
            return stem
    if w.endswith(("ches", "shes", "sses", "xes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def english_tokens(sentence: str, irregular: dict[str, str]) -> list[tuple[Tok, int]]:
    """English tokens with their character offsets in ``sentence``."""
    out = []
    for match in _EN_TOKEN.finditer(sentence):
        word = match.group(0)
        low = fold(word)
        out.append((Tok(word, english_lemma(low, irregular), low), match.start()))
    return out


def phrase_key(tok: Tok) -> str:
    """A present-tense verb the tagger took for a noun or an adjective ("Leclerc ferme la
    porte"): its infinitive, tried only for cues of several words, where the words after it
    confirm the reading (alone, "approche" stays the noun)."""
    if tok.pos in ("VERB", "AUX") or len(tok.low) < 4 or not tok.low.endswith("e"):
        return ""
    return tok.low + "r"


def as_verb(tok: Tok) -> str:
    """A verb the tagger took for a noun ("Système U et Amazon négocient…", "se séparent"):
    its first-group infinitive, from a plural or imperfect ending."""
    low = tok.low
    if tok.pos not in ("VERB", "AUX") and len(low) > 5:
        for end in ("aient", "ait", "ent"):
            if low.endswith(end):
                return low.removesuffix(end) + "er"
    return tok.lemma


_FUTURE = ("raient", "rait", "ront", "ra")


def future_forms(tok: Tok) -> tuple[str, ...]:
    """A future or conditional the tagger took for a noun ("prendra fin", "signera"): the
    infinitive is the stem before the ending, or that stem plus "e" ("prendr" + "e")."""
    low = tok.low
    if tok.pos in ("VERB", "AUX") or tok.lemma != low or len(low) < 6:
        return ()
    for end in _FUTURE:
        if low.endswith(end):
            stem = low[: len(low) - len(end) + 1]
            return (stem, stem + "e")
    return ()


# What links an offer to whoever makes it ("a bid from CD&R", "l'offre du fonds X").
SUITOR_LINKS = {"from", "by", "de", "d'", "du", "des", "par"}

# Conjunctions that join two names as two ("les offres de collaboration et Leclerc",
# "l'américain et Ostrowski").
JOINS = {"et", "ou", "and", "or"}

# Nouns of an offer for a company ("a rival bid for X", "a bid from CD&R", "l'offre de X"),
# read on the folded word
OFFER_NOUNS = {
    "bid",
    "bids",
    "offer",
    "offers",
    "approach",
    "proposal",
    "suitor",
    "suitors",
    "offre",
    "offres",
    "proposition",
    "approche",
}
