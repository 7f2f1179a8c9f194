"""Status cues in one sentence: lemma matching, negation, mood, goals, reported speech.

A sentence arrives as a list of :class:`Tok` (from spaCy for French: lemma, part of speech,
dependency, ``Mood=Cnd``; from a small rule tokenizer for English: lemma by suffix rule). A cue
is a lemma sequence from the watchlist; what it means here depends on its surroundings:

- negation in its clause ("n'a pas été approché", "no approach", "sans … suite") turns a
  positive cue into nothing, or into the status the watchlist gives it under negation
  (approach denied; "ne pas vendre" → declined);
- the conditional mood (``Mood=Cnd``, or would/could/might) marks the status as reported;
- a deal under a modal or after a goal word ("pourrait racheter", "pour nouer un partenariat")
  is only a possibility: it becomes ``rumored``, or gives way to a courtship cue of the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from .lexicon import _ELISION, Lexicon, VenueWords, fold, fold_phrase
from .model import DEALS
from .tokens import (
    BE,
    CLAUSE_BREAK,
    CLAUSE_DEPS,
    DETERMINERS,
    ENDED_DEALS,
    JOINS,
    LOCKERS,
    OFFER_NOUNS,
    SUITOR_LINKS,
    Cue,
    FoundCue,
    Tok,
    as_verb,
    clause_before,
    future_forms,
    phrase_key,
)
from .venue import GOODS, venue_cues, word_in


def _window(
    toks: list[Tok], first: int, size: int, consumed: set[int], stop: set[int] | None = None
) -> list[int]:
    """Indices of up to ``size`` tokens before ``first``, stopping at a clause break or at
    another cue (which owns the negation before it: "n'a pas donné suite à cette démarche")."""
    out: list[int] = []
    i = first - 1
    while i >= 0 and len(out) < size:
        if toks[i].low in CLAUSE_BREAK or (stop and i in stop):
            break
        if i not in consumed:
            out.append(i)
        i -= 1
    return out


@dataclass(frozen=True)
class _Words:
    negations: set[str]
    modals: set[str]
    purpose: set[str]
    intention: set[str]
    stake: set[str]
    reporting: set[str]
    competition: set[str]
    speech: set[str]
    reference: set[str]
    trade: frozenset[str]  # the venue's trade words: under "ne … plus" a deal that ended


_WORDS_CACHE: dict[tuple[int, str], _Words] = {}


def words_of(lex: Lexicon, lang: str) -> _Words:
    key = (id(lex), lang)
    if key not in _WORDS_CACHE:
        _WORDS_CACHE[key] = _build_words(lex, lang)
    return _WORDS_CACHE[key]


def _build_words(lex: Lexicon, lang: str) -> _Words:
    markers = lex.watchlist.markers.get(lang)
    goal = lex.watchlist.cues[lang].goal
    negations = {fold_phrase(w).rstrip("'") for w in (markers.negation if markers else [])}
    modals = {fold_phrase(w) for w in (markers.modals if markers else []) + goal.modals}
    return _Words(
        negations | {"n"},
        modals,
        {w for p in goal.purpose for w in fold_phrase(p).split()[-1:]},
        {fold_phrase(w) for w in goal.markers},
        {fold_phrase(w) for w in goal.stake},
        {fold_phrase(v) for v in (markers.reporting_verbs if markers else [])},
        {fold_phrase(v).split()[0] for v in (markers.competition if markers else [])},
        {w for v in (markers.speech if markers else []) for w in fold_phrase(v).split()[-1:]},
        {fold_phrase(v) for v in (markers.reference if markers else [])},
        venue.trade if (venue := lex.venues.get(lang)) else frozenset(),
    )


def _in_name(toks: list[Tok], i: int, titled: bool) -> bool:
    """A capitalised word after another that is no known name, inside a sentence not written
    in title case, is part of a name ("Mile End", "West End"): no verb or noun of a deal."""
    return (
        not titled
        and i > 1
        and toks[i].text[:1].isupper()
        and toks[i - 1].text[:1].isupper()
        and toks[i - 1].text.isalpha()
        and toks[i - 1].ent < 0
    )


def _title_case(toks: list[Tok]) -> bool:
    """A headline in title case ("Amazon Ends Its Deal With Kroger")."""
    words = [t.text for t in toks if t.text[:1].isalpha()]
    return len(words) > 2 and sum(w[0].isupper() for w in words) * 2 > len(words)


def find_cues(lex: Lexicon, lang: str, toks: list[Tok]) -> list[Cue]:
    """Every cue of the sentence, longest match first, each resolved to a status or dropped."""
    if lang not in lex.cues:
        return []
    index = lex.cues[lang]
    words = words_of(lex, lang)
    if lang == "fr":
        for tok in toks:
            tok.cnd = tok.cnd or _conditional_form(tok)
    found: list[FoundCue] = []
    taken = _idiom_tokens(toks, lex.idioms.get(lang, {}))
    titled = _title_case(toks)
    for i, tok in enumerate(toks):
        if tok.ent >= 0 or i in taken or _in_name(toks, i, titled):
            continue
        best: tuple[list[int], list[tuple[tuple[str, ...], str, bool]]] | None = None
        keys = _keys(toks, i)
        phrase_only = phrase_key(tok)
        for key in keys | ({phrase_only} if phrase_only else set()):
            for lemmas, status, needs_neg in index.get(key, []):
                if key == phrase_only and key not in keys and len(lemmas) == 1:
                    continue
                span = _match_rest(toks, i, lemmas, taken)
                if span is None:
                    continue
                if best is None or len(span) > len(best[0]):
                    best = (span, [(lemmas, status, needs_neg)])
                elif len(span) == len(best[0]):
                    best[1].append((lemmas, status, needs_neg))
        if best is not None:
            taken.update(best[0])
            found.append((i, best[0], best[1]))
    found += _removed_again(toks, taken)
    found += _deal_pronoun(toks, taken)
    venue = lex.venues.get(lang)
    if venue is not None:
        # a cue word that counts only under negation ("ne vend pas") may still be a trade word
        free = {f[0] for f in found if all(o[2] for o in f[2])}
        found += venue_cues(toks, venue, taken - free)
    # Only negation words inside a cue ("pas question", "dire non") are hidden from the
    # negation check of the other cues; a cue's ordinary words stay visible as context.
    hidden = {k for f in found for k in f[1] if toks[k].low.rstrip("'") in words.negations}
    spans = [set(f[1]) for f in found]
    resolved = [
        (f, _resolve(toks, f[1], f[2], hidden, words, set().union(*spans) - own))
        for f, own in zip(found, spans, strict=True)
    ]
    for f, c in resolved:
        if c is None or f[2][0][0] != GOODS[0]:
            continue
        window = toks[max(0, c.first - 8) : c.first]
        if any(t.lemma in _ABLE for t in window):
            # "les clients pourront commander des références Monoprix": what the actor's
            # customers can do is the deal in use, not an intention; only the mood hedges it
            c.goal = ""
            c.conditional = any(t.cnd for t in window)
    # a deal negated away ("n'a signé aucun accord … pour l'installation de consignes"): the
    # deal nouns its verb governs after it are not signed either
    unsigned = [
        (f[1][-1], f[1][-1] if toks[f[1][-1]].pos == "VERB" else toks[f[1][-1]].head)
        for f, c in resolved
        if c is None and any(o[1] in DEALS and not o[2] for o in f[2])
    ]
    cues = [
        c
        for f, c in resolved
        if c is not None
        and not (
            c.base in DEALS
            and any(at < c.first and verb in _ancestors(toks, c.last, 4) for at, verb in unsigned)
        )
    ]
    cues = [c for c in cues if not _maxim(toks, c) and not _none_made(toks, c)]
    cues = [
        c
        for c in cues
        if not (c.base == "declined" and (_no_comment(toks, c, words) or _fears(toks, c, words)))
    ]
    cues = [
        c
        for c in cues
        if not (
            c.base == "declined"
            and (_refuses_other(toks, c, index) or _refuses_suitors_offer(toks, c))
        )
    ]
    cues = [c for c in cues if not _merged_party(toks, c) and not _takes_part(toks, c)]
    cues = [c for c in cues if not (c.base == "in_talks" and _talks_with_other(toks, c))]
    cues = [c for c in cues if not (c.base == "partnership" and _between_retailers(toks, c))]
    cues = [c for c in cues if not _speaks(toks, c) and not _rather_than(toks, c)]
    cues = [c for c in cues if not _too_much(toks, c) and not _rating(toks, c)]
    if venue is not None:
        cues = [c for c in cues if not _sells_goods(toks, c, venue)]
    cues = [c for c in cues if not _supposed(toks, c) and not _its_own_time(toks, c)]
    if _hypothesis(toks, lang) and not (toks and toks[-1].low == "?"):
        # (a question supposing a deal asks about a possibility: see the pipeline)
        cues = [c for c in cues if c.base not in _SUPPOSABLE]
    cues = [c for c in cues if not (c.base == "declined" and _closed_down(toks, c))]
    talks = [c for c in cues if c.status in ("approached", "in_talks")]
    rumours = [c for c in cues if c.base == "rumored" and not c.negated]
    for cue in cues:
        if (
            cue.status in DEALS
            and not _held(toks, cue.first)
            and any(
                0 < cue.first - t.first <= 6
                or abs(t.first - cue.first) <= 2
                or _topic_of(toks, t, cue)
                for t in talks
            )
        ):
            cue.goal = cue.goal or "purpose"  # the deal is what the approach or the talks are about
        if cue.base in DEALS and any(
            (
                0 < cue.first - r.first <= 10
                and not _held(toks, cue.first)
                and not any(t.low in CLAUSE_BREAK for t in toks[r.last + 1 : cue.first])
            )
            or r.first - cue.last == 1
            for r in rumours
        ):
            # "une rumeur prête à Amazon l'envie de racheter X", "takeover rumours"; not "après
            # des semaines de rumeurs, Amazon a finalisé l'acquisition de X"
            cue.goal = "intention"
    for end in [c for c in cues if c.base == "ended"]:
        for deal in [c for c in cues if c.base == "partnership" and 0 < c.first - end.last <= 4]:
            end.tokens, end.last = end.tokens + deal.tokens, deal.last
            cues.remove(deal)  # "pulled out of its partnership with X": one cue, ended
        for deal in [c for c in cues if c.base == "partnership" and _subject_of(toks, c, end)]:
            end.tokens = end.tokens + deal.tokens
            cues.remove(deal)  # "le partenariat entre X et Amazon a pris fin": one cue, ended
    refusals = [c for c in cues if c.base in ("declined", "denied")]
    cues = [
        c
        for c in cues
        if not (
            c.base not in ("declined", "denied", "ended")
            and any(
                0 < c.first - r.last <= 4
                and not any(t.low in CLAUSE_BREAK for t in toks[r.last + 1 : c.first])
                for r in refusals
            )
        )
    ]  # "dément toute discussion", "refused any talks", "n'a jamais été question de s'allier":
    # the talks or the deal are what is refused
    left_open = [c for c in cues if c.base == "rumored" and c.negated]
    cues = [
        c
        for c in cues
        if not any(
            0 < c.first - d.last <= 6
            and not any(t.low in _LEFT_OPEN_ENDS for t in toks[d.last + 1 : c.first])
            for d in left_open
        )
    ]  # "n'exclut pas qu'Amazon fasse une offre", "would not rule out Amazon making a move":
    # the approach or the deal is only what is left open, a possibility
    courtship = any(c.status not in DEALS for c in cues if not c.goal)
    kept: list[Cue] = []
    for cue in cues:
        if cue.goal and courtship:
            continue
        if cue.goal == "intention":
            cue.status, cue.rule = "rumored", "intention"
        kept.append(cue)
    return kept


def _none_made(toks: list[Tok], cue: Cue) -> bool:
    """ "Lidl n'a pas annoncé de partenariat avec Amazon": a deal noun after the partitive
    "de" of a negated verb is a deal that does not exist, neither made nor denied."""
    k = cue.first
    if cue.negated or cue.base not in DEALS or k < 4 or toks[k - 1].low not in ("de", "d'"):
        return False
    verb = toks[k - 2]
    before = [t.low for t in toks[max(0, k - 6) : k - 2]]
    return (
        verb.pos in ("VERB", "")
        and ("pas" in before or "jamais" in before)
        and ("ne" in before or "n'" in before)
    )


def _subject_of(toks: list[Tok], deal: Cue, end: Cue) -> bool:
    """The deal noun is the subject of the verb that ends it."""
    tok = toks[deal.first]
    return tok.dep.startswith("nsubj") and tok.head in end.tokens


# What talks or an approach are about: "in talks with X about selling through Amazon".
_ABOUT = {"about", "over", "on", "regarding", "sur", "concernant", "autour", "portant"}


def _topic_of(toks: list[Tok], talks: Cue, deal: Cue) -> bool:
    """The deal is what the talks are about, told further on in the same clause (an incise
    between two commas allowed: "approached Waitrose, the upmarket chain, about a deal")."""
    between = toks[talks.last + 1 : deal.first]
    breaks = [t.low for t in between if t.low in CLAUSE_BREAK]
    return (
        0 < deal.first - talks.first <= 20
        and any(t.low in _ABOUT for t in between)
        and set(breaks) <= {","}
        and len(breaks) % 2 == 0
    )


def _no_longer(toks: list[Tok], first: int, head: int) -> bool:
    """ "ne … plus", "no longer": what the cue says held before and holds no more."""
    window = toks[max(0, first - 4) : head + 3]
    return any(t.low == "plus" for t in window) or any(
        a.low == "no" and b.low == "longer" for a, b in pairwise(window)
    )


def _maxim(toks: list[Tok], cue: Cue) -> bool:
    """An infinitive opening a general statement ("Refuser Amazon par principe, c'est laisser
    la place à d'autres"): a view, not something that happened."""
    tok = toks[cue.first]
    # the parser may read a capitalised infinitive after a quote mark as an adverb
    infinitive = tok.pos == "VERB" or tok.low.endswith(("er", "ir", "re"))
    if not infinitive or tok.low != tok.lemma:
        return False
    if cue.first > 0 and toks[cue.first - 1].low not in ("«", '"', "“", ":"):
        return False
    return any(
        toks[k].low in ("c'", "c") and toks[k + 1].lemma == "etre"
        for k in range(cue.last + 1, len(toks) - 1)
    )


_CND_ENDINGS = ("ait", "aient", "ais", "ions", "iez")


def _conditional_form(tok: Tok) -> bool:
    """A French conditional the tagger missed (headlines, short clauses): the infinitive's
    stem, then -rait ("négocierait", "prendrait"), unlike the imperfect ("négociait")."""
    if tok.pos not in ("VERB", "AUX") or not tok.lemma.endswith(("er", "ir", "re")):
        return False
    stem = tok.lemma[:-1] if tok.lemma.endswith("re") else tok.lemma
    return any(tok.low == stem + end for end in _CND_ENDINGS)


def _idiom_tokens(toks: list[Tok], idioms: dict[str, list[tuple[str, ...]]]) -> set[int]:
    """Tokens of fixed phrases that only look like cues ("à plusieurs reprises", "sans
    contact"): they are taken before the cue search."""
    out: set[int] = set()
    if not idioms:
        return out
    words = [k for k, t in enumerate(toks) if t.low != "-"]  # a hyphen the parser split off
    for j, i in enumerate(words):
        tok = toks[i]
        for key in {tok.lemma, tok.low, _ELISION.get(tok.low, tok.low)}:
            for lemmas in idioms.get(key, ()):
                n = len(lemmas)
                span = words[j : j + n]
                if len(span) == n and all(
                    w in (toks[k].lemma, toks[k].low, _ELISION.get(toks[k].low, toks[k].low))
                    for w, k in zip(lemmas, span, strict=True)
                ):
                    out.update(range(span[0], span[-1] + 1))
    return out


def _refuses_other(toks: list[Tok], cue: Cue, index: dict[str, object]) -> bool:
    """A refusal to do something that is no deal ("a toujours refusé de se lancer dans la
    livraison express"): its infinitive is no cue word."""
    if cue.negated:
        return False
    k = cue.last + 1
    if k >= len(toks) or toks[k].low not in ("de", "d'", "to"):
        return False
    k += 1
    clitics = set()
    while k < len(toks) and toks[k].low in ("se", "s'", "en", "y", "le", "la", "l'", "les"):
        clitics.add(toks[k].low)
        k += 1
    if "y" in clitics:
        return False  # "a refusé de s'y engager": "y" is the offer told before
    if k >= len(toks) or toks[k].pos not in ("VERB", ""):
        return False
    if toks[k].lemma in index or toks[k].low in index:
        return False
    # "a refusé d'accueillir les consignes de l'américain": the infinitive's object is the deal
    for tok in toks[k + 1 : k + 5]:
        if tok.low in CLAUSE_BREAK:
            break
        if tok.lemma in _DEAL_OBJECTS or tok.low in _DEAL_OBJECTS or tok.actor:
            return False
    return True


def _refuses_suitors_offer(toks: list[Tok], cue: Cue) -> bool:
    """ "a rejeté une offre de 5,5 milliards de livres du fonds américain CD&R": the refusal's
    object is an offer its own words give to another suitor, whoever else the sentence names
    ("Amazon envisagerait de se joindre à la course")."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 8)):
        if toks[k].low in CLAUSE_BREAK:
            return False
        if toks[k].low in OFFER_NOUNS:
            return _suitor_after(toks, k)
    return False


def _suitor_after(toks: list[Tok], k: int) -> bool:
    """The offer at ``k`` is another suitor's: after its amount, "du fonds américain X", "from
    private equity firm X" (a name the actor does not bear)."""
    for m in range(k + 1, min(len(toks), k + 10)):
        if toks[m].low in _OFFER_ENDS or toks[m].pos in ("VERB", "AUX"):
            return False  # "les offres de collaboration et Leclerc", "venues de Seattle"
        if toks[m].low not in SUITOR_LINKS:
            continue
        for n in range(m + 1, min(len(toks), m + 4)):
            if toks[n].low in _SUITOR_ENDS or toks[n].pos == "VERB":
                break
            if toks[n].text[:1].isupper():
                return not toks[n].actor
    return False


_FROM_PLACE = {"venu", "venue", "venus", "venues", "venant", "provenant", "coming"}
_OFFER_ENDS = CLAUSE_BREAK | JOINS | _FROM_PLACE  # where an offer's words end
_SUITOR_ENDS = SUITOR_LINKS | CLAUSE_BREAK | JOINS  # where a suitor's name would have begun
_LEFT_OPEN_ENDS = CLAUSE_BREAK - {"que", "qu'"}  # "n'exclut pas qu'…" goes on


def _merged_party(toks: list[Tok], cue: Cue) -> bool:
    """ "the merged group", "the merging chains": the participle names the parties to a merger
    as the regulator speaks of them, no purchase by anyone."""
    k = cue.first
    return (
        len(cue.tokens) == 1
        and toks[k].lemma == "merge"
        and toks[k].low.endswith(("ed", "ing"))
        and 0 < k < len(toks) - 1
        and toks[k - 1].low in ("the", "a", "its", "their")
        and toks[k + 1].low.isalpha()
        and toks[k + 1].text.islower()
    )


def _takes_part(toks: list[Tok], cue: Cue) -> bool:
    """ "leur participation à la violation", "sa participation au salon": taking part in
    something, no stake; "participation au capital" or in a deal is one."""
    k = cue.last
    if toks[k].lemma != "participation":
        return False
    k += 1
    if k < len(toks) and toks[k].low in ("de", "du", "d'", "des"):
        k += 1  # "la participation de Casino à…": whose part it is
        while k < len(toks) and (toks[k].ent >= 0 or toks[k].low in ("la", "l'", "le")):
            k += 1
    if k >= len(toks) or toks[k].low not in ("à", "a", "au", "aux"):
        return False
    return not any(
        t.ent >= 0 or t.actor or t.lemma in _DEAL_OBJECTS or t.lemma in _SHARED
        for t in toks[k + 1 : k + 5]
    )


def _talks_with_other(toks: list[Tok], cue: Cue) -> bool:
    """ "les négociations avec les fournisseurs", "talks with the unions": the talks name their
    other side, a class of people that is neither the actor nor a company."""
    k = cue.last + 1
    if k >= len(toks) or toks[k].low not in ("avec", "with"):
        return False
    k += 1
    while k < len(toks) and toks[k].low in ("les", "leurs", "ses", "the", "its", "their"):
        k += 1
    if k >= len(toks) or toks[k].lemma not in _OTHER_SIDES:
        return False
    for tok in toks[k + 1 : k + 5]:
        if tok.low in CLAUSE_BREAK:
            break
        if tok.ent >= 0 or tok.actor:
            return False  # "avec les fournisseurs d'Amazon": the actor's side after all
    return True


def _between_retailers(toks: list[Tok], cue: Cue) -> bool:
    """ "Ocado signed with Morrisons in 2013": a retailer just before, a retailer just after
    "with": their deal with each other, not with the actor."""
    k = cue.last if toks[cue.last].low in ("avec", "with") else cue.last + 1
    if k >= len(toks) or toks[k].low not in ("avec", "with"):
        return False
    k += 1
    while k < len(toks) and toks[k].low in DETERMINERS:
        k += 1
    before = cue.first - 1
    while before >= 0 and (toks[before].pos in ("AUX", "ADV") or toks[before].low in _VERB_AIDS):
        before -= 1  # "Ocado has now signed with"
    return (
        k < len(toks)
        and toks[k].ent >= 0
        and not toks[k].actor
        and before >= 0
        and toks[before].ent >= 0
        and not toks[before].actor
    )


# What stands between a subject and its verb in an unparsed sentence ("has now signed").
_VERB_AIDS = BE | {"has", "have", "had", "now", "also", "just", "already", "recently"}


# Those a retailer bargains with when it is not the actor.
_OTHER_SIDES = {
    "fournisseur",
    "industriel",
    "producteur",
    "agriculteur",
    "eleveur",
    "syndicat",
    "salarie",
    "bailleur",
    "banque",
    "creancier",
    "supplier",
    "producer",
    "farmer",
    "union",
    "landlord",
    "lender",
    "creditor",
    "bank",
}


# What a stake is taken in, besides a deal ("participation au capital", "au programme").
_SHARED = {"capital", "programme", "pilote", "test", "experimentation", "experience"}


# Objects that make a refused act the deal itself ("refusé d'accueillir les consignes").
_DEAL_OBJECTS = {
    "consigne",
    "casier",
    "locker",
    "partenariat",
    "accord",
    "partnership",
    "deal",
    "offre",
    "offer",
    "proposition",
}


# Subjects before which "talks" is a verb ("None of them talks publicly about Amazon").
_SPEAKERS = {"them", "he", "she", "it", "who", "one", "nobody", "everyone", "anyone", "someone"}


def _speaks(toks: list[Tok], cue: Cue) -> bool:
    """English "talks" after a subject pronoun: someone speaking, not negotiations."""
    return toks[cue.first].low == "talks" and cue.first > 0 and toks[cue.first - 1].low in _SPEAKERS


_RATHER = {
    ("rather", "than"),
    ("instead", "of"),
    ("plutot", "que"),
    ("plutot", "qu'"),
    ("au", "lieu"),
}


def _rather_than(toks: list[Tok], cue: Cue) -> bool:
    """The cue is what is set aside ("a rival rather than a partner", "plutôt qu'un
    partenaire")."""
    words = [fold(t.low) for t in toks[max(0, cue.first - 4) : cue.first]]
    return any(pair in _RATHER for pair in pairwise(words))


def _fears(toks: list[Tok], cue: Cue, words: _Words) -> bool:
    """ "On ne voudrait pas que nos magasins deviennent des entrepôts": a wish that something
    not happen, with a clause of its own; no offer is turned down."""
    if not cue.negated:
        return False
    rest = [
        t for t in toks[cue.last + 1 : cue.last + 4] if t.low.rstrip("'") not in words.negations
    ]
    return bool(rest) and rest[0].low in ("que", "qu'")


def _no_comment(toks: list[Tok], cue: Cue, words: _Words) -> bool:
    """A refusal to speak, not a refusal of the deal: the refusal's complement, within a few
    words of its clause, is a speech word ("n'a pas souhaité réagir", "declined to comment")."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 5)):
        tok = toks[k]
        if tok.low in CLAUSE_BREAK or tok.ent >= 0:
            return False
        if tok.lemma in words.speech or tok.low.split("'")[-1] in words.speech:
            if k >= 2 and toks[k - 1].low == "les" and toks[k - 2].low in ("toutes", "tous"):
                return False  # "a décliné toutes les sollicitations": every approach
            return not _someone_elses(toks, k)
        if tok.low in ("nos", "notre"):
            return True  # "n'a pas donné suite à nos demandes d'entretien": the newsroom's
    return False


def _someone_elses(toks: list[Tok], k: int) -> bool:
    """The speech noun is a party's, not the press's: "aux sollicitations du géant américain"
    (an approach) against "à nos sollicitations" (a journalist's questions)."""
    if toks[k].pos == "VERB" or (k > 0 and toks[k - 1].low in _OUR):
        return False
    return k + 1 < len(toks) and toks[k + 1].low in ("du", "de", "d'", "des", "from", "by")


_OUR = {"nos", "notre", "vos", "votre", "our", "my", "mes"}


_AUX = {
    "a",
    "ont",
    "avait",
    "avaient",
    "aurait",
    "auraient",
    "est",
    "sont",
    "ete",
    "etait",
    "serait",
    "avoir",
    "etre",
}


def competitor(toks: list[Tok], r: int, words: _Words) -> bool:
    """The name is governed by a competition word ("concurrence désormais Carrefour")."""
    head = toks[r].head
    for n in range(r - 1, max(0, r - 4), -1):  # "le concurrent (vosgien) Thiriet"
        if toks[n].lemma in words.competition or toks[n].low in words.competition:
            if (
                n > 0
                and toks[n - 1].low in DETERMINERS
                and all(toks[m].pos == "ADJ" for m in range(n + 1, r))
            ):
                return False  # an apposition names the party
            break
    if head < 0 and _rivals_act(toks, r, words):
        return False  # unparsed "after rival Morrisons signed a supply deal": the rival acts
    near = [
        t
        for k, t in enumerate(toks[max(0, r - 3) : r], start=max(0, r - 3))
        if not (k + 1 < r and toks[k + 1].low in OFFER_NOUNS)
    ] + ([toks[head]] if head >= 0 else [])
    return any(t.lemma in words.competition or t.low in words.competition for t in near)


def _rivals_act(toks: list[Tok], r: int, words: _Words) -> bool:
    """Unparsed, a bare "rival(s)" before the name (or the list it opens) whose verb follows
    the list: "after rival Morrisons signed…", "Rivals Morrisons and the Co-op have both
    expanded…"."""
    listed = [t.ent >= 0 or t.low in LIST_GLUE or t.low == "the" for t in toks]
    n = r - 1
    while n >= 0 and listed[n]:
        n -= 1
    if n < 0 or toks[n].low not in words.competition:
        return False
    k = r + 1
    while k < len(toks) and listed[k]:
        k += 1
    if k < len(toks) and toks[k].low in ("both", "all", "also"):
        k += 1
    return _acts(toks, k)


def _acts(toks: list[Tok], k: int) -> bool:
    """Without a parse, the token at ``k`` reads as the finite verb of the name before it."""
    if k >= len(toks):
        return False
    low = toks[k].low
    return low in ("has", "have", "had", "is", "are", "was", "were", "will", "would") or (
        low.endswith("ed") and len(low) > 4
    )


# A reference word that may also introduce examples after a noun ("des enseignes comme Cora").
_EXEMPLIFYING = {"comme", "like"}
LIST_GLUE = {",", "et", "and", "&", "ou", "or"}


def reference(toks: list[Tok], r: int, words: _Words) -> bool:
    """The name is a point of reference, not a party: the object of "après", "comme", "à
    l'instar de", "contrairement à", "after", "like", "unlike" (itself or the list it is part
    of: "Après Leclerc et Système U, …"); "comme"/"like" only where it opens a clause ("Comme
    Cora, …", ", like Tesco,"), not after a noun ("des enseignes comme Cora" names examples)."""
    if _affected(toks, r):
        return True
    if not words.reference:
        return False
    if toks[r].head >= 0:
        n, steps = r, 0
        while toks[n].dep == "conj" and toks[n].head >= 0 and steps < 6:
            n, steps = toks[n].head, steps + 1
        for j in range(n):
            t = toks[j]
            if t.head != n or t.dep not in ("case", "advmod", "mark", "fixed"):
                continue
            if t.low in words.reference or t.lemma in words.reference:
                return t.low not in _EXEMPLIFYING or _opens_clause(toks, j)
        head = toks[n].head
        return (
            head >= 0
            and (toks[n].dep.startswith("nmod") or toks[n].dep == "dep")
            and toks[head].lemma in words.reference - _EXEMPLIFYING
        )
    j = r - 1
    if j >= 0 and toks[j].low == "," and not _listed_on(toks, r):
        return False  # "Unlike Tesco, Ocado signed…": the comma closes the reference
    while j >= 0 and (toks[j].ent >= 0 or toks[j].low in LIST_GLUE or toks[j].low in _BEFORE_NAME):
        j -= 1
    if j < 0 or toks[j].low not in words.reference:
        return False
    return toks[j].low not in _EXEMPLIFYING or _opens_clause(toks, j)


def _affected(toks: list[Tok], r: int) -> bool:
    """ "ce que la rumeur change pour Carrefour et Casino", "what it means for Tesco": the
    ones an event bears on, not its parties."""
    j = r - 1
    while j >= 0 and (toks[j].ent >= 0 or toks[j].low in LIST_GLUE):
        j -= 1
    if j < 1 or toks[j].low not in ("pour", "for"):
        return False
    return any(
        t.lemma in _EFFECTS or t.low in _EFFECTS
        for t in toks[max(0, j - 5) : j]
        if t.low not in CLAUSE_BREAK
    )


# What an event does to those it bears on ("ce que ça change pour", "the read-across for").
_EFFECTS = {
    "changer",
    "change",
    "changes",
    "signifier",
    "mean",
    "means",
    "consequence",
    "consequences",
    "implication",
    "implications",
    "impact",
    "read-across",
}


def _listed_on(toks: list[Tok], r: int) -> bool:
    """The list goes on after the name ("Tesco, Asda and Lidl"): a comma before it joins."""
    return r + 2 < len(toks) and toks[r + 1].low in LIST_GLUE and toks[r + 2].ent >= 0


def _opens_clause(toks: list[Tok], j: int) -> bool:
    return j == 0 or toks[j - 1].low in CLAUSE_BREAK


def _keys(toks: list[Tok], i: int) -> set[str]:
    """Lemma and surface form; for unaccented text ("a approche") the first-group infinitive
    of a participle that follows an auxiliary."""
    tok = toks[i]
    keys = {tok.lemma, tok.low, _ELISION.get(tok.low, tok.low)}  # "s'offrant": se, offrir
    low = tok.low
    if low.endswith(("e", "es", "ee", "ees")) and any(
        t.low in _AUX for t in toks[max(0, i - 3) : i]
    ):
        keys.add(low.rstrip("s").removesuffix("ee").removesuffix("e") + "er")
    keys.add(as_verb(tok))
    keys.update(future_forms(tok))
    if (
        tok.pos not in ("NOUN", "ADJ", "PROPN")
        and tok.lemma == low
        and low.endswith("e")
        and len(low) > 4
        and not (i + 1 < len(toks) and toks[i + 1].low == "à")
    ):
        # a present the lemmatizer left as it was ("signe"), or tagged as the conjunction
        # "quitte à" though no "à" follows ("Biocoop quitte Amazon")
        keys.add(low + "r")
    return keys


# Verbs that carry a negation on to their noun object ("n'a eu aucun contact", "n'a pas engagé
# de discussions"); another verb keeps the negation ("n'ont jamais dépassé le stade des
# premiers contacts": the contacts happened).
_LIGHT_VERBS = {
    "avoir",
    "etre",
    "faire",
    "engager",
    "mener",
    "entamer",
    "nouer",
    "tenir",
    "exister",
    "prendre",
    "recevoir",
    "y",
    "have",
    "be",
    "hold",
    "make",
    "receive",
    "get",
}


def _governs(toks: list[Tok], k: int, first: int, speech: set[str] | None = None) -> bool:
    """The negation at ``k`` bears on the cue at ``first``: no other full verb between (nor,
    without a parse, a speech word: "has not commented on the Asda talks")."""
    between = range(k + 1, first)
    if speech and any(toks[j].lemma in speech or toks[j].low in speech for j in between):
        return False
    if toks[first].pos in ("VERB", "AUX"):
        return True
    return not any(toks[j].pos == "VERB" and toks[j].lemma not in _LIGHT_VERBS for j in between)


def _ni_subject(toks: list[Tok], head: int) -> bool:
    """The cue is a noun listed by "ni … ni" before the negated verb it is subject of: a
    "ne"/"n'" follows it in its clause."""
    if toks[head].pos in ("VERB", "AUX"):
        return False
    for k in range(head + 1, min(len(toks), head + 5)):
        if toks[k].low in ("ne", "n'", "n"):
            return True
        if toks[k].low in (";", ":", "."):
            return False
    return False


def _without(toks: list[Tok], first: int) -> bool:
    """The cue sits in a "sans que" clause ("…, sans qu'aucune offre ne soit formulée")."""
    for k in range(first - 1, max(-1, first - 6), -1):
        if toks[k].low in ("que", "qu'") and k > 0 and toks[k - 1].low == "sans":
            return True
        if toks[k].low in (",", ";", ":"):
            return False
    return False


# Conjunctions after which a lone "ne" is expletive: "avant que le contrat ne soit rompu"
# says it was broken.
_EXPLETIVE_AFTER = {"avant", "moins", "peur", "crainte"}


def _expletive(toks: list[Tok], negations: list[int], first: int) -> bool:
    """A lone "ne" in an "avant que" (à moins que, de peur que) clause denies nothing."""
    if any(toks[k].low.rstrip("'") not in ("ne", "n") for k in negations):
        return False
    for k in range(first - 1, max(0, first - 7), -1):
        if toks[k].low in ("que", "qu'") and toks[k - 1].low in _EXPLETIVE_AFTER:
            return True
        if toks[k].low in (",", ";", ":"):
            return False
    return False


def _restrictive(toks: list[Tok], negations: list[int], head: int, words: _Words) -> bool:
    """ "ne … que" restricts ("Mercadona ne propose qu'un service limité"), it does not deny;
    "n'exclut pas qu'Amazon…" has its "pas" before the "que", and denies."""
    if any(toks[k].low.rstrip("'") not in ("ne", "n") for k in negations):
        return False
    for t in toks[head + 1 : head + 5]:
        if t.low.rstrip("'") in words.negations:
            return False
        if t.low in ("que", "qu'"):
            return True
    return False


def _match_rest(
    toks: list[Tok], i: int, lemmas: tuple[str, ...], taken: set[int]
) -> list[int] | None:
    span = [i]
    j = i
    for lemma in lemmas[1:]:
        for k in range(j + 1, min(len(toks), j + 4)):
            tok = toks[k]
            forms = (tok.lemma, tok.low, _ELISION.get(tok.low, tok.low), as_verb(tok))
            forms += future_forms(tok)
            if k not in taken and tok.ent < 0 and lemma in forms:
                span.append(k)
                j = k
                break
        else:
            return None
    return span


def _long(toks: list[Tok], span: list[int]) -> bool:
    """The cue is a state that lasted ("Longtemps, les associés ont refusé…", "had long
    resisted"): background to what changed since."""
    if span[0] and toks[span[0] - 1].low == "long":
        return True
    return any(t.low == "longtemps" and t.head in span for t in toks)


def _resolve(
    toks: list[Tok],
    span: list[int],
    options: list[tuple[tuple[str, ...], str, bool]],
    consumed: set[int],
    words: _Words,
    others: set[int] | None = None,
) -> Cue | None:
    first, head = span[0], span[-1]
    if all(o[1] in ("partnership", "acquired") for o in options) and _denied_after(
        toks, head, words
    ):
        return None
    window = _window(toks, first, 6, consumed, others or set())
    negations = [
        k for k in window if _negation(toks, k, words) and _governs(toks, k, first, words.speech)
    ]
    if toks[head].head >= 0:
        negations += [
            k
            for k, t in enumerate(toks)
            if k not in span
            and k not in negations
            and t.head == head
            and t.dep.startswith("advmod")
            and t.lemma in words.negations
            and _negation(toks, k, words)
        ]
    negations = [
        k
        for k in negations
        if not (k < first and any(t.lemma in _CONFIRM for t in toks[k + 1 : first]))
    ]  # "Neither company has acknowledged the contacts": unconfirmed, not denied
    if _ni_subject(toks, head):
        # "Ni l'entreprise ni ses actionnaires n'ont confirmé": "ni … ni" lists the subjects
        # of the verb after; the negation is that verb's, not the noun's
        negations = [k for k in negations if toks[k].low not in ("ni", "neither", "nor")]
    if any(toks[k].low.rstrip("'") in words.negations for k in span):
        # the cue holds its own negation ("n'est pas question", "n'a jamais été question"):
        # the "ne" before it is that negation's first half
        negations = [k for k in negations if toks[k].low.rstrip("'") not in ("ne", "n")]
    negated = (
        bool(negations)
        and not _restrictive(toks, negations, head, words)
        and not _expletive(toks, negations, first)
    )
    if negated and _without(toks, first):
        return None  # "sans qu'aucune négociation ne s'engage": nothing followed, nobody denies
    if negated and any(
        t.low in _UNATTESTED and t.pos not in ("VERB", "AUX")
        for k in negations
        for t in toks[k + 1 : min(first, k + 4)]
    ):
        # "les auteurs n'ont trouvé aucune trace de discussions", "no evidence that one was
        # discussed": a writer who found nothing denies nothing for the parties
        return None
    if (
        negated
        and first > 0
        and toks[first - 1].low in ("se", "s'")
        and any(o[0][-1] in words.trade or o[1] == "in_talks" for o in options)
    ):
        # "les hypermarchés ne se vendent pas": they find no buyer, nobody refuses; "la
        # souveraineté ne se négocie pas": not negotiable, no talks denied
        return None
    wanted = [o for o in options if o[2] == negated]
    if (
        negated
        and _no_longer(toks, first, head)
        and any(o[1] == "partnership" or o[0][-1] in words.trade for o in options)
    ):
        wanted = [(options[0][0], "ended", True)]  # "ne vend plus sur Amazon": a deal that ended
    if not wanted:
        return None
    status = wanted[0][1]
    near = window[:4]
    conditional = any(toks[k].cnd for k in window) or any(toks[k].cnd for k in span)
    modal = any(toks[k].low in words.modals or toks[k].lemma in words.modals for k in near)
    if not modal and all(t.head < 0 for t in toks):  # no parse: a modal earlier in the clause
        conditional = any(toks[k].low in words.modals for k in _window(toks, first, 14, consumed))
    gov = head if toks[head].pos in ("VERB", "AUX") else toks[head].head
    if gov >= 0 and toks[gov].pos == "VERB" and toks[gov].low == toks[gov].lemma:
        # an infinitive ("pourrait, pourquoi pas, devenir notre logisticien") under a modal
        # that an incise or a broken parse keeps out of the window
        modal = modal or any(
            toks[k].low in words.modals or toks[k].lemma in words.modals
            for k in range(max(0, gov - 6), gov)
        )
    intent = False  # the deal is the object of a wish: "voulait racheter", "envisage de"
    modal_verbs: list[int] = []
    for k in _ancestors(toks, head, 3):
        if toks[k].pos in ("VERB", "AUX"):
            conditional = conditional or toks[k].cnd
            if toks[k].lemma in words.modals:
                modal = True
                modal_verbs.append(k)
            intent = intent or toks[k].lemma in words.intention
    if any(toks[k].low in _IN_USE for k in range(max(0, first - 4), first)) or any(
        toks[k].low in _IN_USE for m in modal_verbs for k in range(m + 1, min(first, m + 4))
    ):
        # "peut déjà s'appuyer sur Monoprix", "peuvent depuis cette semaine se faire livrer":
        # a possibility already in use
        modal = False
    text = " ".join(toks[k].text for k in span)
    cue = Cue(status, first, head, text, negated, conditional or modal, tokens=span, base=status)
    cue.background = any(toks[k].plup for k in [*span, *_ancestors(toks, head, 3)]) or _long(
        toks, span
    )
    if negated:
        cue.rule = "negation"
    if status in ("approached", "in_talks") and not negated and _possible(toks, first, head):
        cue.status = cue.base = "rumored"  # "une éventuelle offre", "a possible bid"
        cue.rule = "possibility"
    elif (
        status == "approached"
        and not negated
        and modal
        and not any(toks[k].lemma in ("avoir", "have") for k in range(max(0, first - 2), first))
    ):
        # "pourrait faire une offre", "could make an approach": an approach only possible, as
        # "pourrait racheter" is a takeover (not "pourrait avoir approché": one that happened)
        cue.status = cue.base = "rumored"
        cue.rule = "possibility"
    if status in DEALS and not negated:
        after = range(head + 1, min(len(toks), head + 5))
        if status == "acquired" and any(
            toks[k].lemma in words.stake or toks[k].low == "%" for k in after
        ):
            cue.status = cue.base = "partnership"
            cue.rule = "stake"
        # a wish word just before counts even when it is a cue of its own ("voulait racheter":
        # "vouloir" is a refusal under negation), so look past the other cues
        near_all = _window(toks, first, 4, consumed)
        before = {toks[k].lemma for k in near_all} | {toks[k].low for k in near_all}
        follow = {toks[k].lemma for k in after if k <= head + 2}
        expected = modal and not intent and _expected(toks, near + modal_verbs)
        if expected:
            cue.conditional = True  # "devrait accueillir des casiers": the deal, reported
        elif modal or intent or before & words.intention or follow & words.intention:
            cue.goal = "intention"
        elif any(toks[k].low in words.purpose and not _after_purpose(toks, k) for k in near):
            cue.goal = "purpose"
        if status == "partnership" and _possessed(toks, first):
            # "it would extend its supply deal": the deal is presupposed, whatever befalls it
            cue.goal, cue.conditional = "", False
    return cue


# After a modal, a possibility that is already open ("peuvent désormais commander").
_IN_USE = {"deja", "already", "desormais", "dorenavant", "depuis"}


# Modals of expectation rather than possibility: the deal keeps its status, reported.
_EXPECTATION = {
    "devoir",
    "devrait",
    "devraient",
    "doit",
    "doivent",
    "devra",
    "devront",
    "should",
    "would",  # "Morrisons said it would supply…": the future of reported speech
}
_MODAL_FORMS = _EXPECTATION | {"pouvoir", "pourrait", "pourraient", "peut", "peuvent", "pourra"}
_MODAL_FORMS |= {"could", "might", "may", "would", "can"}


def _expected(toks: list[Tok], near: list[int]) -> bool:
    """Every modal near the cue is one of expectation ("devrait signer"), not of possibility."""
    modals = [k for k in near if toks[k].lemma in _MODAL_FORMS or toks[k].low in _MODAL_FORMS]
    return bool(modals) and all(
        toks[k].lemma in _EXPECTATION or toks[k].low in _EXPECTATION for k in modals
    )


_POSSESSIVES = {"son", "sa", "ses", "leur", "leurs", "its", "their", "his", "her"}
_BEFORE_NAME = _POSSESSIVES | {"the"}  # "before its Whole Foods deal"


def _held(toks: list[Tok], first: int) -> bool:
    """A deal noun someone holds: "son rachat", "Amazon's purchase of …" (a fact, not a wish)."""
    if toks[first].pos in ("VERB", "AUX"):
        return False
    return (
        _possessed(toks, first)
        or (first > 0 and toks[first - 1].ent >= 0)
        or (  # "Amazon's grocery tie-up": one modifier between the holder and the deal
            first > 1
            and toks[first - 2].ent >= 0
            and toks[first - 1].text[:1].islower()
            and toks[first - 1].low not in DETERMINERS | CLAUSE_BREAK | _LINKS
        )
    )


# Words after a name that make it no holder of the deal that follows ("with Amazon a deal").
_LINKS = {"a", "an", "un", "une", "with", "avec", "and", "et", "to", "à", "for", "pour", "over"}


def _possessed(toks: list[Tok], first: int) -> bool:
    """A deal noun under a possessive ("son partenariat", "its supply deal")."""
    if toks[first].pos in ("VERB", "AUX"):
        return False
    return any(toks[k].low in _POSSESSIVES for k in range(max(0, first - 2), first))


_NOUN_DETERMINERS = DETERMINERS | {"ce", "du", "au", "premier", "dernier"}
# Adjectives that make an offer or talks a hypothesis ("une éventuelle offre", "possible talks").
_POSSIBLE = {"eventuel", "possible", "potentiel", "hypothetique", "potential", "would-be"}
_NOT_NEGATING_AFTER = _NOUN_DETERMINERS | {"pourquoi", "why"}


def _possible(toks: list[Tok], first: int, last: int) -> bool:
    """The cue is a noun qualified by a possibility adjective, just before or just after."""
    near = [k for k in (first - 1, first - 2, last + 1) if 0 <= k < len(toks)]
    forms = {f for k in near for w in (toks[k].lemma, toks[k].low) for f in _inflections(w)}
    return bool(forms & _POSSIBLE) and toks[first].pos not in ("VERB", "AUX")


def _inflections(word: str) -> set[str]:
    """A French adjective and its masculine singular ("éventuelles" → "eventuel")."""
    return {word} | {
        word.removesuffix(end) for end in ("s", "les", "le", "es", "e") if word.endswith(end)
    }


def _denied_after(toks: list[Tok], head: int, words: _Words) -> bool:
    """A deal that a relative clause negates ("the deal that never was", "l'accord qui n'a
    jamais vu le jour"): there was none. An offer or talks that came to nothing still were."""
    after = toks[head + 1 : head + 5]
    return (
        len(after) > 1
        and after[0].low in ("that", "which", "qui")
        and any(_negation(toks, head + 1 + k, words) for k in range(1, len(after)))
    )


# Nouns of evidence: a negation through them ("aucune trace de", "no evidence that", a few
# words on at most) says nothing was found, not that nothing was.
_UNATTESTED = {"trace", "preuve", "indice", "evidence", "proof", "sign", "indication"}


# Verbs of confirming: a negation of them leaves what they govern unconfirmed, not untrue.
_CONFIRM = {
    "confirmer",
    "reconnaitre",
    "commenter",
    "confirm",
    "acknowledge",
    "acknowledg",
    "comment",
}


def _negation(toks: list[Tok], k: int, words: _Words) -> bool:
    """A negation word, unless a determiner makes it a noun ("franchir le pas", "la personne")
    or "pourquoi pas", "why not" make it a suggestion."""
    tok = toks[k]
    if tok.low.rstrip("'") not in words.negations and tok.lemma not in words.negations:
        return False
    return k == 0 or toks[k - 1].low not in _NOT_NEGATING_AFTER


def _ancestors(toks: list[Tok], start: int, depth: int) -> list[int]:
    """Up to ``depth`` heads above ``start``, not leaving its clause."""
    out: list[int] = []
    i = start
    while toks[i].head >= 0 and len(out) < depth and toks[i].dep not in CLAUSE_DEPS:
        i = toks[i].head
        out.append(i)
    return out


def _its_own_time(toks: list[Tok], cue: Cue) -> bool:
    """ "X avait sondé Amazon avant sa reprise": a deal of the subject's dates the sentence; it
    is a deal of the actor's only if a party follows ("since its purchase of Whole Foods")."""
    k = cue.first
    return (
        cue.base in DEALS
        and k >= 2
        and toks[k - 1].low in _POSSESSIVES
        and toks[k - 2].low in ("avant", "apres", "depuis", "before", "after", "since")
        and not any(t.ent >= 0 for t in toks[cue.last + 1 : cue.last + 4])
    )


# "les partenariats …, à l'image de ceux conclus avec Monoprix": a deal told by a pronoun.
_DEAL_PRONOUNS = {"celui", "celle", "ceux", "celles"}
_DEAL_MADE = {"conclure", "signer", "nouer", "passer", "sceller"}


def _deal_pronoun(toks: list[Tok], taken: set[int]) -> list[FoundCue]:
    """ "celui conclu par Monoprix", "ceux signés avec Morrisons": the deal noun said before in
    the sentence, made with the name after."""
    out: list[FoundCue] = []
    for i in range(1, len(toks) - 2):
        made, link = toks[i + 1], toks[i + 2]
        if (
            toks[i].low in _DEAL_PRONOUNS
            and i + 1 not in taken
            and (made.lemma in _DEAL_MADE or made.low.rstrip("es") in ("conclu", "sign", "nou"))
            and link.low in ("avec", "par")
            and any(t.lemma in ENDED_DEALS or t.low.rstrip("s") in ENDED_DEALS for t in toks[:i])
        ):
            taken.update((i, i + 1))
            out.append((i + 1, [i + 1], [(("conclure",), "partnership", False)]))
    return out


def _removed_again(toks: list[Tok], taken: set[int]) -> list[FoundCue]:
    """ "avait installé des consignes…, avant de les retirer": removing, by a clitic, the
    lockers the sentence installed ends the deal."""
    out: list[FoundCue] = []
    for i, tok in enumerate(toks):
        if i in taken or tok.lemma not in _REMOVE or i == 0:
            continue
        clitic = toks[i - 1].low in ("les", "l'") and any(_locker(t) for t in toks[:i])
        # "retirer les consignes", "les casiers … seront retirés": the lockers themselves
        lockers = _removes_lockers(toks, i)
        if clitic or lockers:
            out.append((i, [i], [((tok.lemma,), "ended", False)]))
    return out


def _removes_lockers(toks: list[Tok], i: int) -> bool:
    """The removal verb at ``i`` has the lockers for object, or, passive, for subject earlier
    in its clause (a broken parse may give the passive subject to another noun)."""
    if any(t.head == i and t.dep == "obj" and _locker(t) for t in toks):
        return True
    passive = any(t.head == i and t.dep == "aux:pass" for t in toks)
    if not passive and toks[i - 1].low not in BE:
        return False
    return any(_locker(t) for t in clause_before(toks, i))


def _locker(tok: Tok) -> bool:
    return tok.lemma in LOCKERS or tok.low in LOCKERS


_REMOVE = {"retirer", "enlever", "demonter", "debrancher", "remove"}


def _supposed(toks: list[Tok], cue: Cue) -> bool:
    """An infinitive or a gerund opening the sentence as its subject, under a conditional
    ("Vendre nos produits sur Amazon serait contraire à…", "Selling on Amazon would mean…"):
    a deal supposed, not one made."""
    if any(t.low not in _OPENERS for t in toks[: cue.first]):
        return False
    word = toks[cue.first]
    if not (word.low == word.lemma and word.pos == "VERB") and not word.low.endswith("ing"):
        return False
    for tok in toks[cue.last + 1 :]:
        if tok.low in CLAUSE_BREAK:
            return False
        if tok.cnd or tok.low in _WOULD:
            return True
    return False


_OPENERS = {"«", "“", '"', "—", "–", "-"}
# The English conditional, which has no mood of its own for the tagger ("would mean…").
_WOULD = {"would", "could", "might"}

_ABLE = {"pouvoir", "can", "able"}

# What a hypothesis may make up: a deal, an approach, talks (a refusal or a denial in it is
# still somebody's answer: "s'il venait frapper à la porte, nous dirions non").
_SUPPOSABLE = {*DEALS, "approached", "in_talks"}
# Words that open a hypothesis wherever they stand ("Imaginons qu'Amazon rachète…",
# "Suppose Amazon bought…", "what if").
_SUPPOSING = {"imaginons", "imaginez", "supposons", "admettons", "imagine", "suppose", "picture"}
_IF = {"si", "s'", "if"}
_PAST_EN = {"were", "was", "had", "did"}
_IMPERFECT = ("ait", "aient")
# Before "si": a concession or a question, not a supposition ("même si", "savoir si").
_NOT_SUPPOSING = {"meme", "comme", "savoir", "demander", "dire", "voir", "preciser", "whether"}


def _hypothesis(toks: list[Tok], lang: str) -> bool:
    """The sentence supposes rather than tells: "si Amazon rachetait Ocado, il deviendrait…"
    (an "if" with the imperfect or the past), "Imaginons qu'Amazon décide de racheter…"."""
    for i, tok in enumerate(toks):
        before = toks[i - 1].low if i else ""
        if tok.low in _SUPPOSING and (not before or before in ("et", "and", "what", ",")):
            return True
        if tok.low in ("what", "et") and i + 1 < len(toks) and toks[i + 1].low in ("si", "if"):
            return True  # "what if", "et si"
        if tok.low not in _IF or before in _NOT_SUPPOSING or (i and toks[i - 1].pos == "VERB"):
            continue  # "même si", "savoir si", "dira si": no hypothesis
        if tok.low == "s'" and (i + 1 >= len(toks) or toks[i + 1].low not in ("il", "ils")):
            continue  # "s'est allié": the reflexive, not "s'il"
        # the main clause in the conditional: "si X vendait déjà sur Amazon, Y refusait" in
        # the imperfect is a contrast between two facts, not a supposition
        consequence = any(t.cnd or t.low in _WOULD for t in toks[i + 2 :])
        for nxt in toks[i + 2 : i + 7]:  # a subject first: "if confirmed" is no supposition
            if nxt.low in CLAUSE_BREAK or not consequence:
                break
            if lang == "fr" and nxt.pos in ("VERB", "AUX") and nxt.low.endswith(_IMPERFECT):
                return True
            if lang == "en" and (
                nxt.low in _PAST_EN
                or (  # "bought", "acquired"; not "buys", "is", "selling"
                    nxt.low != nxt.lemma
                    and nxt.lemma != "be"
                    and not nxt.low.endswith(("s", "ing"))
                )
            ):
                return True
    return False


# What may follow a company that "shut down" and closed: the end of a clause, or a time.
_AFTER_CLOSING = {",", ".", ";", "and", "or", "but", "in", "last", "this", "after", "when"}


def _closed_down(toks: list[Tok], cue: Cue) -> bool:
    """ "Rivals have since merged or shut down": a company that closed refuses nothing; a
    refusal shuts something down ("shut down the talks", "the bid was shut down")."""
    if toks[cue.last].low != "down" or cue.last - cue.first != 1:
        return False  # "turned the offer down" has its object inside
    after = toks[cue.last + 1].low if cue.last + 1 < len(toks) else "."
    passive = any(t.lemma in ("be", "get") for t in toks[max(0, cue.first - 2) : cue.first])
    return after in _AFTER_CLOSING and not passive


def _too_much(toks: list[Tok], cue: Cue) -> bool:
    """ "trop gros pour intéresser Amazon", "too small to attract a bid": what the cue says
    is ruled out by the degree, not stated."""
    k = cue.first - 1
    if k < 1 or toks[k].low not in ("pour", "to", "for"):
        return False
    for j in range(k - 1, max(-1, k - 7), -1):
        if toks[j].low in CLAUSE_BREAK:
            return False
        if toks[j].low in ("trop", "too"):
            return True
    return False


def _rating(toks: list[Tok], cue: Cue) -> bool:
    """ "rates the stock a sell": an analyst's rating, not a sale; "price target", "target
    cut to $22": the price an analyst expects, not a takeover target."""
    k = cue.first
    if toks[k].low in ("target", "targets"):
        near = toks[max(0, k - 2) : k] + toks[k + 1 : k + 5]  # "a 185p target", "cut to $22"
        return (k > 0 and toks[k - 1].low == "price") or any(
            ch.isdigit() for t in near for ch in t.text
        )
    return toks[k].low == "sell" and k > 0 and toks[k - 1].low == "a"


def _sells_goods(toks: list[Tok], cue: Cue, venue: VenueWords) -> bool:
    """ "refusent de vendre leurs produits sur internet", "without selling a single yoghurt
    online", "could stop buying Brazilian beef": a shop's trade in goods, not a company sold
    or bought; the verb's object says which."""
    if cue.last != cue.first:
        return False
    v = cue.first
    if toks[v].lemma not in _TRADED:
        k = v + 1
        while k < min(len(toks), v + 3) and toks[k].pos == "ADV":
            k += 1  # "refusent toujours de vendre"
        if not (
            cue.base == "declined"
            and k + 1 < len(toks)
            and toks[k].low in ("de", "d'", "to")
            and toks[k + 1].lemma in _TRADED
        ):
            return False  # "refuse de vendre ses fruits", "refused to sell food"
        v = k + 1
    for k in range(v + 1, min(len(toks), v + 5)):
        if toks[k].ent >= 0 or toks[k].actor or toks[k].low in _GOODS_ENDS:
            return False
        if word_in(toks[k], venue.goods) and not (k + 1 < len(toks) and toks[k + 1].low in _FIRMS):
            # not "to buy organic grocery chain Whole Foods": the goods word qualifies a firm;
            # not "refuse de vendre ses produits sur Amazon / sur les places de marché": the
            # actor, or platforms like it, as the place of sale
            rest = toks[k + 1 : k + 8]
            ends = [m for m, t in enumerate(rest) if t.low in CLAUSE_BREAK] + [len(rest)]
            rest = rest[: ends[0]]
            return not any(
                t.actor
                or (
                    t.low in venue.places
                    and any(word_in(u, venue.platforms) for u in rest[m + 1 : m + 4])
                )
                for m, t in enumerate(rest)
            )
    return False


_TRADED = {"vendre", "acheter", "sell", "buy"}
_OBJECT_ENDS = {"to", "in", "of", "on", "from", "by", "with", "à", "au", "aux", "sur", "par"}
_OBJECT_ENDS |= {"avec", "dans", "pour", "for"}
_GOODS_ENDS = CLAUSE_BREAK | _OBJECT_ENDS
_FIRMS = {"chain", "chains", "business", "arm", "unit", "division", "operation", "retailer"}
_FIRMS |= {"group", "company", "firm", "store", "stores", "delivery", "service", "platform"}


def _after_purpose(toks: list[Tok], k: int) -> bool:
    """The purpose word is no aim: "pour l'acquisition de X" names a deal (where "pour racheter
    X" states an aim), "is understood to have sold" tells a past deal, and "agreed to buy",
    "a accepté de céder" a deal signed."""
    if k > 0 and toks[k - 1].lemma in _AGREED:
        return True
    return k + 1 < len(toks) and toks[k + 1].low in DETERMINERS | {"have", "having", "avoir"}


_AGREED = {"agree", "accepter", "consentir"}
