"""The watchlist compiled for matching: text normalisation, accent folding, one regex per list.

Names are matched on *folded* text (lowercase, accents dropped, one character for one, so
offsets in the folded text are offsets in the normalised text). Each list becomes one regex
built as a trie, so a scan costs about the same whatever the number of names. The options that
keep ambiguous names quiet (case, strict context, rejected neighbours, first names) are checked
on the normalised text around each hit.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from config.watchlist import STATUSES, Retailer, Watchlist

_TRANSLATE = {
    **{ord(c): "'" for c in "’‘ʼ´`′"},
    **{ord(c): " " for c in "\t\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000"},
    **{ord(c): None for c in "\u200b\u200c\u200d\ufeff\u00ad\u2060"},
    ord("œ"): "oe",
    ord("Œ"): "Oe",
    ord("æ"): "ae",
    ord("Æ"): "Ae",
    ord("ß"): "ss",
    ord("\r"): "\n",
}


_RUNS = re.compile(r"(?<=\S) {2,}(?=\S)")


_ODD = re.compile("[" + "".join(chr(k) for k in _TRANSLATE) + "]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _odd(match: re.Match[str]) -> str:
    return match.group(0).translate(_TRANSLATE)


def normalize_text(text: str) -> str:
    """The text the detector reads: NFKC (ligatures, odd spaces), one apostrophe, no ZW chars."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = _ODD.sub(_odd, text)
    return _RUNS.sub(" ", text)


def _fold_char(ch: str) -> str:
    low = ch.lower()
    if len(low) != 1:
        low = ch
    base = unicodedata.normalize("NFD", low)[0]
    return base.lower() if base.isascii() else low


_FOLD = {i: _fold_char(chr(i)) for i in range(0x80, 0x250)}


def _fold_match(match: re.Match[str]) -> str:
    ch = match.group(0)
    return _FOLD.get(ord(ch)) or ch


def fold(text: str) -> str:
    """Lowercase without accents, one character for one (offsets are kept)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low if low.isascii() else _NON_ASCII.sub(_fold_match, low)


def fold_phrase(text: str) -> str:
    """A lexicon phrase as it is searched: normalised, folded, single spaces."""
    return " ".join(fold(normalize_text(text)).split())


def trie_pattern(phrases: list[str]) -> str:
    """One regex alternation shaped as a trie, longest alternatives first."""
    trie: dict[str, dict] = {}
    for phrase in phrases:
        node = trie
        for ch in phrase:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


def bounded(phrases: list[str]) -> re.Pattern[str]:
    """A regex matching any phrase as whole words of folded text."""
    return re.compile(r"(?<![\w])(?:" + trie_pattern(sorted(set(phrases))) + r")(?![\w])")


@dataclass(frozen=True)
class Entry:
    """What a folded alias stands for."""

    kind: str  # "actor" (a name), "actor_p" (a periphrase), "retailer", "retailer_d" or "rival"
    id: str
    forms: tuple[str, ...]  # the spellings as written in the watchlist
    retailer: Retailer | None = None
    short: bool = False


@dataclass
class Lexicon:
    """Everything the prefilter and the reader need, compiled once per watchlist."""

    watchlist: Watchlist
    names: re.Pattern[str]
    entries: dict[str, list[Entry]]
    actor_any: re.Pattern[str]
    retailers_any: re.Pattern[str]
    context: re.Pattern[str]
    weak: re.Pattern[str]
    pronouns: re.Pattern[str]
    retail_nouns: list[str]
    retail_noun_re: re.Pattern[str]
    cues: dict[str, dict[str, list[tuple[tuple[str, ...], str, bool]]]] = field(
        default_factory=dict
    )
    cue_stems: dict[str, re.Pattern[str]] = field(default_factory=dict)
    lemma_stems: dict[str, re.Pattern[str]] = field(default_factory=dict)
    # per language, fixed phrases that only look like cues, indexed by their first word
    idioms: dict[str, dict[str, list[tuple[str, ...]]]] = field(default_factory=dict)
    # the cues a sentence that only has the actor nearby can carry (an answer, an approach)
    answer_stems: dict[str, re.Pattern[str]] = field(default_factory=dict)
    weak_phrases: list[list[str]] = field(default_factory=list)  # folded words, longest first
    venues: dict[str, VenueWords] = field(default_factory=dict)


@dataclass(frozen=True)
class VenueWords:
    """A language's venue words (see ``Venue`` in the watchlist), folded."""

    trade: frozenset[str]
    places: frozenset[str]
    platforms: frozenset[str]
    audience: frozenset[str]
    to: frozenset[str]
    chosen: frozenset[str]
    adopted: frozenset[str]
    goods: frozenset[str]
    carrying: frozenset[str]


def _venue_words(watchlist: Watchlist) -> dict[str, VenueWords]:
    def words(items: list[str]) -> frozenset[str]:
        return frozenset(fold_phrase(w) for w in items)

    return {
        lang: VenueWords(
            words(v.trade),
            words(v.places),
            words(v.platforms),
            words(v.audience),
            words(v.to),
            words(v.chosen),
            words(v.adopted),
            words(v.goods),
            words(v.carrying),
        )
        for lang, cues in watchlist.cues.items()
        if (v := cues.venue).trade
    }


_ELISION = {"s'": "se", "d'": "de", "l'": "le", "n'": "ne", "qu'": "que", "j'": "je", "c'": "ce"}


def cue_lemmas(cue: str) -> tuple[str, ...]:
    """A cue string as the folded lemma sequence it matches ("s'associer" → se, associer)."""
    parts = re.findall(r"\w+'|\w+(?:-\w+)*", fold_phrase(cue))
    return tuple(_ELISION.get(p, p.rstrip("'")) for p in parts)


def _compile_cues(
    watchlist: Watchlist,
) -> dict[str, dict[str, list[tuple[tuple[str, ...], str, bool]]]]:
    """Per language, cues indexed by their first lemma: (lemmas, status, needs_negation)."""
    out: dict[str, dict[str, list[tuple[tuple[str, ...], str, bool]]]] = {}
    for lang, cues in watchlist.cues.items():
        index: dict[str, list[tuple[tuple[str, ...], str, bool]]] = {}
        for negated, table in ((False, cues), (True, cues.negated)):
            for status, items in table.model_dump().items():
                if status not in STATUSES or not isinstance(items, list):
                    continue
                for cue in items:
                    lemmas = cue_lemmas(cue)
                    if lemmas:
                        index.setdefault(lemmas[0], []).append((lemmas, status, negated))
        for bucket in index.values():
            bucket.sort(key=lambda item: -len(item[0]))
        out[lang] = index
    return out


def _index_idioms(idioms: list[str]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for idiom in idioms:
        # "fusions-acquisitions" as one token or as the parser's three ("fusions", "-", …)
        for form in {idiom, idiom.replace("-", " ")}:
            lemmas = cue_lemmas(form)
            if lemmas:
                out.setdefault(lemmas[0], []).append(lemmas)
    return out


_STOP = {
    "le",
    "la",
    "de",
    "se",
    "un",
    "une",
    "du",
    "des",
    "en",
    "a",
    "the",
    "to",
    "of",
    "on",
    "out",
}


# A target ("cité comme une cible") is someone's: with the actor nearby, the actor's, so a
# sentence that has one is read with the actor a paragraph away (the nouns, not "targeting").
TARGET_NOUNS = frozenset({"cible", "cibles", "target", "targets"})


def _cue_stems(
    watchlist: Watchlist,
    with_markers: bool = False,
    only: tuple[str, ...] = (),
    also: tuple[str, ...] = (),
) -> dict[str, re.Pattern[str]]:
    """Per language, one regex of 4-letter word starts that any inflection of a cue shares, so a
    sentence with none of them is not worth parsing (and, ``with_markers``, a word with none of
    them, nor of the marker words, is not worth lemmatizing)."""
    out: dict[str, re.Pattern[str]] = {}
    for lang, cues in watchlist.cues.items():
        stems: set[str] = set(also)
        if with_markers:
            markers = watchlist.markers.get(lang)
            extra = cues.goal.purpose + cues.goal.markers + cues.goal.modals + cues.goal.stake
            extra += cues.venue.platforms + cues.venue.audience
            if markers is not None:
                extra += markers.reported + markers.reporting_verbs + markers.competition
                extra += markers.speech + markers.reference
            for phrase in extra:
                stems.update(w[:4] for w in cue_lemmas(phrase) if len(w) >= 3)
        venue = {
            "partnership": cues.venue.trade
            + cues.venue.chosen
            + cues.venue.adopted
            + cues.venue.goods
        }
        for table in (cues.model_dump(), cues.negated.model_dump(), venue):
            for status, items in table.items():
                if (
                    status not in STATUSES
                    or not isinstance(items, list)
                    or (only and status not in only)
                ):
                    continue
                for cue in items:
                    words = cue_lemmas(cue)
                    for word in words:
                        if word == "pas" and len(words) > 1:
                            continue  # "pas question": the other word is rarer
                        if word not in _STOP and len(word) >= 3:
                            stems.add(
                                _stem(word) if lang == "fr" and not with_markers else word[:4]
                            )
                            if lang == "fr" and word.endswith(("frir", "vrir")):
                                stems.add((word[:-3] + "ert")[:4])  # offrir: "s'est offert"
        if lang == "en":  # an irregular past of a cue's verb: "wound down", "bought"
            irregular = watchlist.english.irregular.items()
            stems.update(form[:4] for form, lemma in irregular if lemma[:4] in stems)
        out[lang] = re.compile(r"(?<![\w])(?:" + trie_pattern(sorted(stems)) + ")")
    return out


def _stem(word: str) -> str:
    """What every inflection of a French cue word starts with: a first-group verb's stem
    ("négocier" → "negoci", "racheter" → "rachet"), four letters of another verb (irregular:
    "reprendre", "repris"), a noun or adjective less its last letter ("intérêt" → "intere", not
    the "inter" of "Intermarché")."""
    if word.endswith("er") and len(word) >= 6:
        return word[:-2]
    if word.endswith(("ir", "re")):
        return word[:4]
    return word[: max(4, len(word) - 1)]


def _contracted(phrases: list[str]) -> list[str]:
    """French contractions of a description's article: "le géant de Seattle" is also read in
    "l'offre du géant de Seattle" and "au géant de Seattle"."""
    out = []
    for phrase in phrases:
        if phrase.startswith("le "):
            out += ["du " + phrase[3:], "au " + phrase[3:]]
    return out


def compile_lexicon(watchlist: Watchlist) -> Lexicon:
    """Build the regexes and tables of one watchlist."""
    entries: dict[str, list[Entry]] = {}

    def add(forms: list[str], entry_of: object) -> None:
        for form in forms:
            key = fold_phrase(form)
            if key:
                entries.setdefault(key, []).append(entry_of)  # type: ignore[arg-type]

    actor = watchlist.actor
    periphrases = actor.periphrases + _contracted(actor.periphrases)
    actor_forms = actor.names + periphrases
    add(actor.names, Entry("actor", actor.id, tuple(actor.names)))
    add(periphrases, Entry("actor_p", actor.id, tuple(periphrases)))
    for retailer in watchlist.retailers:
        add(retailer.aliases, Entry("retailer", retailer.id, tuple(retailer.aliases), retailer))
        if retailer.short_aliases:
            entry = Entry("retailer", retailer.id, tuple(retailer.short_aliases), retailer, True)
            add(retailer.short_aliases, entry)
        if retailer.descriptions:
            described = retailer.descriptions + _contracted(retailer.descriptions)
            add(described, Entry("retailer_d", retailer.id, tuple(described), retailer))
    add(actor.rivals, Entry("rival", "", tuple(actor.rivals)))
    nouns = [fold_phrase(n) for n in watchlist.context.retail_nouns]
    return Lexicon(
        watchlist=watchlist,
        names=bounded(list(entries)),
        entries=entries,
        actor_any=bounded([fold_phrase(f) for f in actor_forms]),
        retailers_any=bounded(
            [fold_phrase(a) for r in watchlist.retailers for a in r.aliases + r.descriptions]
        ),
        context=bounded([fold_phrase(t) for t in watchlist.context.terms]),
        weak=bounded(
            [fold_phrase(t) for t in actor.weak_periphrases + _contracted(actor.weak_periphrases)]
        ),
        pronouns=bounded([fold_phrase(t) for t in actor.pronouns]),
        retail_nouns=nouns,
        retail_noun_re=bounded(nouns),
        cues=_compile_cues(watchlist),
        idioms={lang: _index_idioms(c.idioms) for lang, c in watchlist.cues.items()},
        cue_stems=_cue_stems(watchlist),
        lemma_stems=_cue_stems(watchlist, with_markers=True),
        answer_stems=_cue_stems(
            watchlist,
            only=("approached", "declined", "denied", "ended"),
            also=tuple(sorted({w[:4] for w in TARGET_NOUNS})),
        ),
        venues=_venue_words(watchlist),
        weak_phrases=sorted(
            (  # "l'américain" is two tokens to the parser: "l'" and "américain"
                p
                for t in actor.weak_periphrases
                if len(p := _ELIDED.sub(r"\1 ", fold_phrase(t)).split()) >= 2
            ),
            key=len,
            reverse=True,
        ),
    )


_ELIDED = re.compile(r"(?<![\w])([ld]')")
_COMPILED: dict[int, Lexicon] = {}


def lexicon_for(watchlist: Watchlist) -> Lexicon:
    """The compiled lexicon of a watchlist, built once per watchlist object."""
    lex = _COMPILED.get(id(watchlist))
    if lex is None or lex.watchlist is not watchlist:
        if len(_COMPILED) > 16:
            _COMPILED.clear()
        lex = _COMPILED[id(watchlist)] = compile_lexicon(watchlist)
    return lex
