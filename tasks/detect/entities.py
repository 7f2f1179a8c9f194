"""Finding the actor, the retailers and the rivals in normalised text.

One regex scan of the folded text finds every alias; each hit is then checked against the
retailer's options on the text around it, so an ambiguous name (casino, métro, Match, Cora,
Target, Iceland, Co-op…) only counts where the text uses it as a retailer. Unknown retailers are
picked up from retail appositions ("l'enseigne X", "the grocer X") and flagged as discovered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import pairwise

from config.watchlist import slugify

from .lexicon import Entry, Lexicon, fold, fold_phrase, trie_pattern

_TITLES = {"m.", "mme", "mlle", "mr", "mrs", "ms", "dr", "sir", "madame", "monsieur"}
_STARTERS = {
    "selon",
    "chez",
    "pour",
    "et",
    "mais",
    "le",
    "la",
    "les",
    "des",
    "avec",
    "par",
    "depuis",
    "comme",
    "dont",
    "quant",
    "with",
    "by",
    "and",
    "the",
    "for",
    "from",
    "at",
    "like",
    "après",
    "avant",
    "face",
    "contre",
    "entre",
    "à",
    "a",
    "au",
    "aux",
    "du",
    "de",
    "en",
    "sur",
    "ou",
    "or",
    "but",
    "outre",
    "hier",
    "mardi",
    "lundi",
    "mercredi",
    "jeudi",
    "vendredi",
    "samedi",
    "dimanche",
    "oui",
    "non",
    "d'après",
    "ainsi",
    "même",
    "alors",
    "pourtant",
    # capitalised at a sentence's start, no first name: "Rivals Morrisons and the Co-op…"
    "rival",
    "rivals",
    "concurrent",
    "concurrents",
    "unlike",
    "after",
    "before",
    "since",
    "while",
    "when",
    "as",
    "if",
    "both",
    "neither",
    "only",
    "even",
    "including",
    "besides",
    "meanwhile",
}
_ENUM_GAP = re.compile(r"^\s*(?:,|;|/|&|\bet\b|\bou\b|\band\b|\bor\b|,\s*(?:et|and|ou|or)\b)\s*$")
_WORD = re.compile(r"[\w.'&-]+")
# A name: capitalised words, joined by a function word or an elision only when a capitalised word
# follows ("Marks & Spencer", "Grande Épicerie de Paris", "Maison d'Alice"): a lowercase word
# or an elision before a lowercase word ("Halles Delvaux d'un rachat", "X de la région") ends it.
_CAP = r"[A-ZÀ-ÖØ-Ý][\w&-]*(?:'[A-ZÀ-ÖØ-Ý][\w&-]*)?"
_NAME = re.compile(_CAP + r"(?:(?: |-|(?: (?:de|du|des|&) )|(?: d'))" + _CAP + r"){0,3}")
_NAME_STOP = {
    "Le",
    "La",
    "Les",
    "L",
    "Un",
    "Une",
    "En",
    "Au",
    "Aux",
    "Du",
    "Des",
    "Et",
    "The",
    "A",
    "An",
    "In",
    "Il",
    "Elle",
    "Ils",
    "Selon",
    "Amazon",
    "Si",
    "Ce",
    "Cette",
    "Son",
    "Sa",
    "Ses",
    "Leur",
    "Leurs",
    "Outre",
    # roles: "Patron des Halles Cévenoles, une chaîne…" names the shop after them
    "Patron",
    "Patronne",
    "Président",
    "Présidente",
    "Directeur",
    "Directrice",
    "Fondateur",
    "Fondatrice",
    "Gérant",
    "Gérante",
    "PDG",
    "CEO",
    # days and months ("on Thursday, the grocer said")
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Lundi",
    "Mardi",
    "Mercredi",
    "Jeudi",
    "Vendredi",
    "Samedi",
    "Dimanche",
    # nationality adjectives capitalised in English ("takeover of French start-up X")
    "French",
    "British",
    "German",
    "Spanish",
    "Italian",
    "American",
    "European",
    "Belgian",
    "Dutch",
    "Indian",
    "Its",
    "It",
    "This",
    "That",
    "But",
    "And",
    "Or",
    "Dans",
    "Pour",
    # points of the compass: "les magasins du Grand Est" name a region
    "Est",
    "Ouest",
    "Nord",
    "Sud",
}
# Prepositions of place: the name after them is a town ("À Caen, une épicerie fine…").
_PLACE_WORDS = {"À", "A", "Au", "Aux", "En", "In", "At"}


@dataclass(frozen=True)
class Ent:
    """One reference in the text: the actor, a retailer or a rival, with its char span."""

    kind: str
    id: str
    start: int
    end: int
    text: str
    discovered: bool = False
    by_deal: bool = False  # discovered only as the object of a purchase: stands if the parse agrees
    voice: bool = False  # "nous" in the company's own words (see :mod:`.speakers`)
    described: bool = False  # a watchlist description ("le distributeur breton"), not a name


def _prev_word(text: str, start: int) -> str:
    words = _WORD.findall(text[max(0, start - 40) : start])
    if not words or not text[:start].endswith(words[-1] + " "):
        return ""  # "Pour Amazon, Picard …": punctuation between, no first name
    return words[-1]


def _next_word(text: str, end: int) -> str:
    match = _WORD.match(text, end + 1) if text[end : end + 1] == " " else None
    return match.group(0).rstrip(".") if match else ""  # "son porte-parole, Nicolas Dumont."


def _strip_accents_keep_case(text: str, folded: str) -> str:
    return "".join(f.upper() if c.isupper() else f for c, f in zip(text, folded, strict=True))


def _case_ok(entry: Entry, original: str, folded_span: str) -> bool:
    """The capitals of the alias are there (a leading common word may be lowercase:
    "les supermarchés Match"); an all-capitals alias needs all capitals."""
    plain = _strip_accents_keep_case(original, folded_span).split()
    for form in entry.forms:
        words = _strip_accents_keep_case(form, fold_phrase(form)).split()
        if len(words) != len(plain):
            continue
        if all(
            _word_case_ok(w, g, k == 0 and len(words) > 1)
            for k, (w, g) in enumerate(zip(words, plain, strict=True))
        ):
            return True
    return False


def _word_case_ok(want: str, got: str, may_be_lower: bool) -> bool:
    if want.isupper() and len(want) > 1:
        return got.isupper()
    return not want[:1].isupper() or got[:1].isupper() or may_be_lower


def _rejected(r_before: list[str], r_after: list[str], folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 40) : start].rstrip()
    for word in r_before:
        if before.endswith(word) and (
            len(before) == len(word) or not before[-len(word) - 1].isalnum()
        ):
            return True
    after = folded[end : end + 40]
    for word in r_after:
        if after.startswith(" " + word) and not after[len(word) + 1 : len(word) + 2].isalnum():
            return True
    return False


_BARE_AFTER = re.compile(
    r"(?:\s*[.,;:!?)]|\s+(?:and|or|is|was|has|had|have|in|to|where|which|itself)\b)"
)


def _sense_word(lex: Lexicon, folded: str, start: int, end: int) -> bool:
    """The name was rejected for a word of another sense (the river, the forest, a figure of
    speech: written in lower case in the watchlist), not for one of the actor's businesses
    ("Web Services", capitalised)."""
    actor = lex.watchlist.actor
    before = [w.lower() for w in _fold_list([w for w in actor.reject_before if w.islower()])]
    after = [w.lower() for w in _fold_list([w for w in actor.reject_after if w.islower()])]
    return _rejected(before, after, folded, start, end)


def _bare_the(folded: str, start: int, end: int) -> bool:
    """ "the Amazon" with nothing of a company's after it: a full stop, "and", a verb."""
    return folded[max(0, start - 4) : start] == "the " and bool(_BARE_AFTER.match(folded, end))


def _person(text: str, start: int, end: int) -> bool:
    prev = _prev_word(text, start)
    if prev.lower() in _TITLES:
        return True
    imperative = prev.lower().endswith(("ez", "ons"))  # "Regardez Picard : …"
    if prev and prev[0].isupper() and prev.isalpha() and prev.lower() not in _STARTERS:
        return not imperative
    if _AGE.match(text, end):
        return True  # "Cora, 34 ans, préparatrice", "Iris, 29, a cashier"
    nxt = _next_word(text, end)
    return bool(nxt and nxt[0].isupper() and nxt.isalpha() and nxt.lower() not in _STARTERS)


_AGE = re.compile(r",? \d{1,2}(?: ans)?,")


_COMPANY_PEOPLE = re.compile(
    r"(?:'s)? (?:spokes(?:man|woman|person)|porte-parole|managing director|chief executive|ceo"
    r"|chief|boss|founder|chairman|chairwoman)\b"
)


_NEXT_NOUN = re.compile(r" ([a-z-]+)")
# What a grocer's name qualifies as a noun's modifier ("Co-op groceries", "Booths shoppers").
_TRADE_AFTER = {"groceries", "grocery", "products", "produce", "shoppers", "supermarkets"}


def _retail_context(lex: Lexicon, text: str, folded: str, start: int, end: int) -> bool:
    """A retail noun just before the name, a retail apposition just after it, or the name as
    the subject of a sentence that speaks of a retailer."""
    before = folded[max(0, start - 45) : start]
    for match in lex.retail_noun_re.finditer(before):
        tail = before[match.end() :]
        if not re.search(r"[.,;:!?()]", tail) and len(tail.split()) <= 3:
            return True
    after = folded[end : end + 70]
    if _COMPANY_PEOPLE.match(after):
        return True  # "an Iceland spokesman", "Iceland's managing director": a company's people
    head_noun = _NEXT_NOUN.match(after)
    if head_noun and (
        head_noun.group(1) in _TRADE_AFTER or lex.retail_noun_re.fullmatch(head_noun.group(1))
    ):
        return True  # "Co-op groceries", "Booths stores": the name qualifies its trade
    if after.startswith(","):
        clause = re.split(r"[.;:!?()]", after[1:])[0]
        words = clause.split()
        head = " ".join(words[:6])
        if lex.retail_noun_re.search(head):
            return True
    prev = folded[max(0, start - 8) : start].rstrip(" ")
    opening = not prev or prev[-1] in ".!?\n"
    if opening and re.match(r" [a-z]|, (?:qui|which|who) ", text[end : end + 6]):
        # "Iceland has rebuffed an approach …, the chain's managing director said", "Cactus,
        # qui a retiré les casiers de ses magasins, …": the subject of a sentence that speaks
        # of a retailer is one
        sentence = re.split(r"[.!?\n]", folded[end : end + 200])[0]
        return bool(lex.retail_noun_re.search(sentence))
    return False


def find_entities(lex: Lexicon, text: str, folded: str, lang: str = "") -> list[Ent]:
    """Every validated reference in ``text`` (normalised) given its folded twin."""
    raw: list[tuple[Entry, int, int]] = []
    for match in lex.names.finditer(folded):
        for entry in lex.entries[match.group(0)]:
            raw.append((entry, match.start(), match.end()))
            break
    seen_full: set[str] = set()
    other_sense = False
    actor_before = [f.lower() for f in _fold_list(lex.watchlist.actor.reject_before)]
    actor_after = [f.lower() for f in _fold_list(lex.watchlist.actor.reject_after)]
    kept: list[tuple[Entry, int, int]] = []
    for entry, start, end in raw:
        original = text[start:end]
        if entry.kind in ("actor", "rival") and not original[:1].isupper():
            continue
        if entry.kind == "actor" and _rejected(actor_before, actor_after, folded, start, end):
            other_sense = other_sense or _sense_word(lex, folded, start, end)
            continue  # "the Amazon rainforest"
        retailer = entry.retailer
        if retailer is not None and entry.kind != "retailer_d":
            if entry.short and retailer.id not in seen_full:
                continue
            if retailer.case_sensitive and not _case_ok(entry, original, folded[start:end]):
                continue
            r_before = [f.lower() for f in _fold_list(retailer.reject_before)]
            r_after = [f.lower() for f in _fold_list(retailer.reject_after)]
            if _rejected(r_before, r_after, folded, start, end):
                continue
            if retailer.person_name and " " not in original and _person(text, start, end):
                continue
            if not entry.short:
                seen_full.add(retailer.id)
        kept.append((entry, start, end))
    if other_sense:
        # "deforestation in the Brazilian Amazon … protect the Amazon and other forests": once
        # the article means the river or the forest, a bare "the Amazon" means it too
        kept = [k for k in kept if not (k[0].kind == "actor" and _bare_the(folded, k[1], k[2]))]
    # a strict name licensed once ("les supermarchés Match") is the retailer in the whole article
    licensed_ids = {
        entry.retailer.id
        for i, (entry, start, end) in enumerate(kept)
        if entry.retailer is not None
        and entry.retailer.strict
        and (
            " " in text[start:end].strip()  # a long alias: "Supermarchés Match"
            or _retail_context(lex, text, folded, start, end)
            or _enumerated(kept, i, folded)
        )
    }
    # and so is one the article describes as the watchlist does ("le numéro deux suisse")
    licensed_ids |= {e.retailer.id for e, _, _ in kept if e.kind == "retailer_d" and e.retailer}
    out: list[Ent] = []
    for entry, start, end in kept:
        retailer = entry.retailer
        licensed = retailer is not None and retailer.id in licensed_ids
        single = " " not in text[start:end].strip()
        strict = retailer is not None and retailer.strict
        if strict and retailer.strict_in and lang and lang not in retailer.strict_in:
            strict = False  # "Iceland" in a French text is the grocer: the country is Islande
        if strict and single and not licensed:
            continue
        if entry.kind == "retailer_d":
            if _NAME_NEXT.match(text, end):
                continue  # "le distributeur breton Kerfrais": an apposition to another name
            # the parse reads the determiner ("du groupe stéphanois") as it does before a name
            start += len(_LEADING.match(folded, start).group(0))
        kind = {"actor_p": "actor", "retailer_d": "retailer"}.get(entry.kind, entry.kind)
        described = entry.kind == "retailer_d"
        out.append(Ent(kind, entry.id, start, end, text[start:end], described=described))
    return out


_NAME_NEXT = re.compile(r" [A-ZÀ-Ý]")
_LEADING = re.compile(r"(?:(?:le|la|les|du|des|au|aux|the) |l'|)")


_FOLD_CACHE: dict[tuple[str, ...], list[str]] = {}


def _fold_list(words: list[str]) -> list[str]:
    key = tuple(words)
    if key not in _FOLD_CACHE:
        _FOLD_CACHE[key] = [fold_phrase(w) for w in words]
    return _FOLD_CACHE[key]


def _enumerated(kept: list[tuple[Entry, int, int]], i: int, folded: str) -> bool:
    """The name stands in a list with another retailer ("Cora, Match et Auchan")."""
    _, start, end = kept[i]
    for j in (i - 1, i + 1):
        if 0 <= j < len(kept):
            other, o_start, o_end = kept[j]
            if other.kind != "retailer" or (other.retailer and other.retailer.strict):
                continue
            gap = folded[o_end:start] if j < i else folded[end:o_start]
            if _ENUM_GAP.match(gap):
                return True
    return False


def discover(lex: Lexicon, text: str, folded: str, known: list[Ent]) -> list[Ent]:
    """Unknown retailers named in a retail apposition: "l'enseigne X", "the grocer X"."""
    pattern = _discovery_re(lex)
    taken = [(e.start, e.end) for e in known]
    out: list[Ent] = []
    for match in pattern.finditer(folded):
        # the adjectives are lowercase in the text: a capital among them starts the name
        # ("l'enseigne rochelaise Biofrais Atlantique": "Biofrais" looks like an adjective)
        in_name = _trade_in_name(text, match.start())
        trade = _TRADE_NOUN.match(text, match.start())
        if (
            not in_name
            and not (trade and trade.group("link"))
            and _CAPITAL.search(text, match.start("mods"), match.start("adj"))
        ):
            continue  # "les dark stores de Minute Courses": the name began in the complement
        capital = _CAPITAL.search(text, match.start("adj"), match.end())
        start = capital.start() if capital else match.end()
        if in_name and _title_case_line(text, match.start()):
            continue  # "Supermarket Takeovers": a headline capitalises every word
        if in_name:
            start = match.start()  # "Grocery Outlet", "Épicerie Lemoine": the noun is the name's
        name_match = _NAME.match(text, trade.end() if trade else start)
        if not name_match:
            continue
        if trade and _POSSESSED.search(folded, max(0, match.start() - 7), match.start()):
            continue  # "sa boucherie des Chartrons": the owner's shop, named elsewhere
        name = name_match.group(0).rstrip(" -'")
        if trade and (" " not in name or trade.group("link")):
            # "la fromagerie Bouvet", "la Fruitière des Rousses": named by the trade; a name
            # of its own keeps none ("la conserverie Maison Ferrand" is Maison Ferrand)
            start = match.start()
            name = trade.group(0) + name
        elif trade:
            start = name_match.start()
        words = _name_words(name)
        if not words or len(name) < 3 or (words[0] in _NAME_STOP and not _titled(words)):
            continue
        name = " ".join(words)
        end = start + len(name)
        if any(s < end and start < e for s, e in taken + [(o.start, o.end) for o in out]):
            continue  # "l'enseigne Épicerie Lemoine": one name, not "Lemoine" again
        if lex.names.fullmatch(folded[start:end]):
            continue
        if words[0] in _NAME_ARTICLES and _NAME_GOES_ON.match(text, end):
            continue  # "Du Champ à la Porte": only part of the name is capitalised
        if _PLACE_NAME.search(name):
            continue  # "les magasins des Hauts-de-France": a region, not a shop's name
        out.append(Ent("retailer", _slug(name), start, end, name, discovered=True))
    out += _discover_after(lex, text, folded, taken + [(e.start, e.end) for e in out])
    out += _discover_headed(lex, text, folded, taken + [(e.start, e.end) for e in out])
    out += _discover_operator(lex, text, folded, taken + [(e.start, e.end) for e in out])
    out += _discover_defined(lex, text, folded, taken + [(e.start, e.end) for e in out])
    out = [e for e in out if not _speaking_person(text, folded, e.text)]
    found = _with_article(text, _everywhere(text, out, taken))
    grocery = len(lex.context.findall(folded)) >= 2 or any(e.kind == "retailer" for e in known)
    if grocery:  # grocery news: a purchase may name a grocer
        spans = taken + [(e.start, e.end) for e in found]
        found += _everywhere(text, _discover_purchased(lex, text, folded, spans), spans)
    return found


# A French place name joins its words by hyphens around a particle ("Hauts-de-France",
# "Saint-Jean-sur-Richelieu", "Aix-en-Provence"); shop names do not.
_PLACE_NAME = re.compile(r"\w-(?:de|du|des|sur|sous|en|les|lès|la|le|d')-?\w")
_POSSESSED = re.compile(r"\b(?:sa|son|ses|leur|leurs|his|her|its|their) $")


# Articles that open a shop's name right after its retail noun ("l'épicerie Le Panier de
# Louise", "la chaîne de primeurs Au Jardin de Bercy").
_NAME_ARTICLES = {"Le", "La", "Les", "Au", "Aux", "Du"}
_NAME_GOES_ON = re.compile(r" (?:à|aux?|sur|sous|en) ")


def _title_case_line(text: str, pos: int) -> bool:
    """The line holding ``pos`` capitalises each of its words of four letters or more (an
    English headline): a capital there starts no name. A name found there is found again in
    the body, and every place it occurs is then taken."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    words = [w for w in text[start : end if end >= 0 else len(text)].split() if len(w) >= 4]
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def _titled(words: list[str]) -> bool:
    """The name opens on an article of its own: another capitalised word follows it."""
    return words[0] in _NAME_ARTICLES and len(words) > 1 and words[1][:1].isupper()


def _name_words(name: str) -> list[str]:
    """A name's words, without a link word left dangling at its end ("Halles Dupont de")."""
    words = name.split()
    while words and words[-1] in {"de", "du", "des", "d'", "&"}:
        words.pop()
    return words


# A name that runs a counted number of shops: "Bio Comptoir, qui exploite 37 magasins",
# "Vracothèque vend des produits d'épicerie dans trois boutiques", "X operates 12 stores".
_COUNT = (
    r"(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze"
    r"|seize|cent"
    r"|(?:vingt|trente|quarante|cinquante|soixante)(?:-et-un|-[a-z]+)?"
    r"|une (?:dizaine|quinzaine|vingtaine|trentaine|centaine) d[e']|plusieurs|several"
    r"|a dozen|a handful of|dozens of)"
)
_OPERATOR = re.compile(
    r",? (?:qui |which |that )?(?:exploite|exploitait|gere|gerait|possede|compte|detient|reunit"
    r"|vend|vendait|tient|operates|operated|runs|ran|owns|sells|c'est|c'etait)\b"
    r"[^.;:!?()«»\"]{0,70}?\b"
    + _COUNT
    + r" ?(?:[a-z-]+ )?(?:magasins|boutiques|supermarches|superettes|epiceries|hypermarches"
    r"|points de vente|stores|shops|supermarkets)\b"
)


def _discover_operator(
    lex: Lexicon, text: str, folded: str, taken: list[tuple[int, int]]
) -> list[Ent]:
    """A capitalised name whose verb says it runs shops, counted: a retailer. The name opens
    its clause or follows a company noun (else the shops are its head noun's); it is not a
    place's second part, the short form of a name already found, the actor, or a person (a
    role or a title before it, an age after it); the shops carry no banner of their own."""
    out: list[Ent] = []
    for match in _NAME.finditer(text):
        op = _OPERATOR.match(folded, match.end())
        if op is None or _BRANDED.match(text, op.end()):
            continue  # "exploite trois magasins Leclerc": a franchisee's shops, not a chain
        words = _name_words(match.group(0))
        name = " ".join(words)
        start, end = match.start(), match.start() + len(name)
        if not words or words[0] in _NAME_STOP or len(name) < 3:
            continue
        if any(s < end and start < e for s, e in taken) or lex.names.fullmatch(folded[start:end]):
            continue
        if not (
            _CLAUSE_OPENS.search(text, max(0, start - 3), start)
            or _HEAD_BEFORE.search(folded, max(0, start - 40), start)
        ):
            continue  # "le discounteur de Nuremberg, qui exploite…": the head noun runs them
        if _AFTER_NAME.search(text, max(0, start - 30), start):
            continue  # "based in West Des Moines, Iowa, which runs…": a place's second part
        if any(text[a:b].startswith(name + " ") for a, b in taken):
            continue  # "Waverley, which operates…": the short form of a name known already
        if lex.actor_any.search(folded, start, end) or _person(text, start, end):
            continue
        if _person_or_place(folded, start, end):
            continue  # (a name that speaks or has an age: ``discover`` drops it for all finders)
        out.append(Ent("retailer", _slug(name), start, end, name, discovered=True))
    return out


_AFTER_NAME = re.compile(r"[A-ZÀ-Þ][\w'-]*, $")
_CLAUSE_OPENS = re.compile(r"(?:[.!?\n,»] ?|^ ?)$")
# "le groupe familial Fabre Marché, qui exploite…": a company's noun heads the name, or
# the name is an example ("notamment Viveco, qui exploite…")
_HEAD_BEFORE = re.compile(
    r"\b(?:(?:groupe|group|enseigne|chaine|distributeur|grocer|chain) (?:[a-z-]+ )?"
    r"|(?:notamment|including|comme|dont|such as) )$"
)
_BRANDED = re.compile(r" (?:sous (?:l'enseigne|la bannière) )?[A-ZÀ-Þ]")


def _discover_purchased(
    lex: Lexicon, text: str, folded: str, taken: list[tuple[int, int]]
) -> list[Ent]:
    """Unknown names right after a purchase word ("a racheté les Halles Dupont", "le rachat
    de Maison Dupont"): candidates only (``by_deal``), kept where the parse makes the name the
    object of the actor's acquisition (see pipeline)."""
    out: list[Ent] = []
    for match in _purchase_re(lex).finditer(folded):
        if _in_title(text, match.start()):
            continue  # "the Takeover Code", "the Takeover Panel": a title's word, no purchase
        start = match.end()
        name_match = _NAME.match(text, start)
        if not name_match:
            continue
        words = _name_words(name_match.group(0).rstrip(" -'"))
        if not words or words[0] in _NAME_STOP or (words[0].isupper() and len(words) == 1):
            continue
        name = " ".join(words)
        end = start + len(name)
        if len(name) < 4 or any(s < end and start < e for s, e in taken):
            continue
        if _NUMBERED.match(text, end):
            continue  # "s'offre la Ligue 1": a competition, a channel, a model, not a shop
        if len(words) == 1 and _DEMONYM.search(name) and _LOWER_NEXT.match(text, end):
            continue  # "acquisition of Scottish convenience chain X": an adjective of place
        if lex.names.fullmatch(folded[start:end]) or lex.names.match(folded, start):
            continue
        if _holdings(lex).match(folded, start):
            continue  # one of the actor's other businesses (MGM, Zoox…): not a grocer
        taken.append((start, end))
        out.append(Ent("retailer", _slug(name), start, end, name, True, by_deal=True))
    return out


_DEMONYM = re.compile(r"(?:sh|ian|ean|can|ese|ch|rman|wiss|reek)$")
_LOWER_NEXT = re.compile(r" [a-z]")
_NUMBERED = re.compile(r" \d+\b(?![.,]\d| ?%| ?€| (?:millions?|milliards?|euros|dollars))")
_PURCHASE: dict[int, re.Pattern[str]] = {}
_HOLDINGS: dict[int, re.Pattern[str]] = {}


def _in_title(text: str, k: int) -> bool:
    """The word at ``k`` is capitalised inside a sentence: part of a proper name or a title."""
    before = text[max(0, k - 3) : k].rstrip()
    return text[k : k + 1].isupper() and bool(before) and before[-1] not in '.!?:«"“\n'


def _holdings(lex: Lexicon) -> re.Pattern[str]:
    key = id(lex)
    if key not in _HOLDINGS:
        forms = sorted({fold_phrase(n) for n in lex.watchlist.actor.holdings}) or ["\x00"]
        _HOLDINGS[key] = re.compile(r"(?:" + trie_pattern(forms) + r")(?![\w])")
    return _HOLDINGS[key]


def _purchase_re(lex: Lexicon) -> re.Pattern[str]:
    """An acquisition word (any inflection of the watchlist's one-word acquisition cues, by
    their first five letters) and the determiner or "de" before its object."""
    key = id(lex)
    if key not in _PURCHASE:
        stems: set[str] = set()
        for lang, cues in lex.watchlist.cues.items():
            for cue in cues.acquired:
                words = fold_phrase(cue).replace("'", " ").split()
                verb = words[-1] if words[0] in ("s", "se") else words[0]
                if len(words) <= 2 and len(verb) >= 5:
                    stems.add(verb[:5])
                    if verb.endswith(("frir", "vrir")):
                        stems.add(verb[:4])  # "s'offre", "s'est offert"
            if lang == "en":
                irregular = lex.watchlist.english.irregular
                stems.update(w for w, lemma in irregular.items() if lemma in cues.acquired)
        det = r"(?:(?:de|des|du|of)\s+|d'|)(?:(?:la|les|le|the)\s+|l')?"
        _PURCHASE[key] = re.compile(
            r"(?<![\w])(?:" + trie_pattern(sorted(stems)) + r")[a-z]*\s+" + det + r"(?=[a-z])"
        )
    return _PURCHASE[key]


# Finite auxiliaries, modals and verbs of saying: after "X, l'enseigne …" they make the
# description a subject ("… by March, the grocer said").
_FINITE = {
    "said",
    "says",
    "told",
    "added",
    "confirmed",
    "indique",
    "precise",
    "affirme",
    "explique",
    "ajoute",
    "confirme",
    "assure",
    "a",
    "ont",
    "aurait",
    "auraient",
    "avait",
    "est",
    "sont",
    "serait",
    "seraient",
    "etait",
    "sera",
    "va",
    "doit",
    "devrait",
    "pourrait",
    "has",
    "is",
    "was",
    "would",
}


def _trade_in_name(text: str, start: int) -> bool:
    """The retail noun is capitalised with no article before it ("Grocery Outlet (GO) has…",
    "…, and Grocery Outlet's management"): the first word of a name."""
    if not text[start : start + 1].isupper():
        return False
    name = _NAME.match(text, start)
    if name is None or " " not in name.group(0).strip():
        return False  # "Épicier fin installé à Lyon": the noun alone opens the sentence
    before = text[max(0, start - 12) : start].split()
    last = before[-1].lower() if before else ""
    if before and before[-1][:1].isupper() and last != "l'":
        return False  # a headline's capitals ("German Grocer Hollmann")
    # a French article leaves the capital to the name ("avec les Épiceries Voisin"), an
    # elided one at a sentence's start too ("L'Épicerie du Vieux-Port")
    return not before or last in _FRENCH_ARTICLES or last not in _ARTICLES


_ARTICLES = {"the", "a", "an", "le", "la", "les", "l'", "un", "une", "des", "du", "de", "d'"}
_FRENCH_ARTICLES = {"le", "la", "les", "l'", "des", "du", "de"}


def _discover_after(
    lex: Lexicon, text: str, folded: str, taken: list[tuple[int, int]]
) -> list[Ent]:
    """The apposition after the name: "les Halles Dupont, chaîne de supermarchés belge"."""
    out: list[Ent] = []
    matches = list(_apposition_after_re(lex).finditer(folded))
    qualified = _QUALIFIED_AFTER.finditer(folded)
    matches += [m for m in qualified if _about_food(lex, folded, m.start(), m.end())]
    for match in matches:
        comma = match.start()
        if set(folded[comma + 2 : match.end()].split()) & _ROLES:
            continue  # "Thierry Muller, directeur du magasin": a person's role
        if _PLACE_BASED.match(text, comma):
            continue  # "the Boise, Idaho-based grocer": a city, then its state
        rest = re.findall(r"[\w']+", folded[match.end() : match.end() + 40])[:3]
        closed = folded[match.end() : match.end() + 1] == ","  # "X, the chain, has ended"
        if not closed and any(word in _FINITE for word in rest):
            continue  # "Selon la lettre X, l'enseigne nordiste aurait…": a new clause's subject
        if re.match(
            r"\s*(?:(?!(?:de|du|des|d'|in|at|of|à|en|au|based|basée?s?)\b)[a-zà-ÿ-]+\s+){0,2}"
            r"[A-ZÀ-Þ]",
            text[match.end() : match.end() + 40],
        ):
            # "à Paris, l'enseigne lyonnaise Comptoir Rhodanien": it introduces its own name;
            # "a grocery chain based in Columbus" names a place
            continue
        aside = _BRACKETED.search(text, max(0, comma - 40), comma)
        end = aside.start() if aside else comma  # "Frischeland (FRL, Francfort), chaîne…"
        found = _NAME_BEFORE.search(text[max(0, end - 60) : end])
        if not found:
            continue
        words = found.group(1).split()
        if words and words[0] in _PLACE_WORDS:
            continue  # "À Caen, une épicerie fine…": a place, then the shop
        while words and (words[0] in _NAME_STOP or words[0] in ("de", "du", "des", "d'")):
            words.pop(0)
        name = " ".join(words)
        if len(name) < 3 or name.split()[0] in _NAME_STOP:
            continue
        start = end - len(name)
        if any(s < end and start < e for s, e in taken) or lex.names.fullmatch(folded[start:end]):
            continue
        if _ASKED_BY.search(folded, max(0, start - 40), start):
            continue  # "Interrogé par l'AFP, le groupement dément": who asked, then who answers
        if _IN_PLACE.search(folded, max(0, start - 10), start):
            # "le coup de tonnerre de 2017 aux États-Unis, chaque distributeur…", "dix-neuf
            # supermarchés dans le Morbihan, une centrale d'achat…": a place, not the company
            continue
        out.append(Ent("retailer", _slug(name), start, end, name, discovered=True))
    return out


_IN_PLACE = re.compile(r"\b(?:aux|au|en|dans (?:le|la|les)) $")
# A short aside between a name and its apposition: a ticker, a market, a town
_BRACKETED = re.compile(r" \([^()]{1,30}\)$")
# A participle and its agent that open the sentence: the one asked, not an apposition's head
_ASKED_BY = re.compile(r"\b[a-z]+(?:e|ee|es|ees|ed) (?:par|by) (?:l'|le |la |les )?$")
# "the Boise, Idaho-based grocer": the state after the city; with an article after the comma
# it is an apposition ("Szybko, the Warsaw-based grocery app")
_PLACE_BASED = re.compile(r", [A-Z][\w.-]*-based\b")

# A firm's generic noun in an apposition, a retailer's when the apposition is about food:
# "Zestio, la pépite du quick-commerce bordelais", "X, the fruit and vegetable delivery service".
_QUALIFIED_AFTER = re.compile(
    r", (?:la |le |l'|une |un |the |an |a )(?:[a-z0-9-]+ ){0,4}(?:plateforme|pepite|application"
    r"|appli|app|service|site|platform|societe|entreprise|company|firm|marketplace|business)\b"
)


def _about_food(lex: Lexicon, folded: str, start: int, end: int) -> bool:
    """The apposition (up to its clause's end) or its modifiers name food or grocery."""
    stop = _APPOSITION_END.search(folded, end, end + 100)
    last = stop.start() if stop else end + 100
    if _OWNS.search(folded, start, last):
        return False  # "the holding company that controls supermarket chain X": X is the grocer
    return lex.context.search(folded, start, last) is not None


_APPOSITION_END = re.compile(r"[.;:!?)]|, (?!et |and )")
_OWNS = re.compile(
    r"\b(?:holding|controls?|owns?|owner|parent|detient|controle|possede|proprietaire"
    r"|maison mere|actionnaire)\b"
)


# A sentence that defines its subject: "X est une chaîne de quinze magasins", "X was a chain of
# twelve grocery stores". The copula's subject opens the sentence (after a short adverbial).
_DEFINED = re.compile(
    r"(?:^|(?<=[.!?\n])\s*|(?<=[.!?]) )(?:[\w'-]+ ){0,3}?(?:[\w'-]+, )?"
    r"(?P<name>" + _NAME.pattern + r") (?:est|était|fut|reste|devient|is|was|remains|became)"
    r" (?:alors |then |still |now |aujourd'hui |today )?(?:un|une|le|la|l'|a|an|the) ?"
    r"(?:[a-zà-ÿ0-9'-]+ ){0,4}?(?P<noun>chaîne|chaine|enseigne|réseau|distributeur|épicerie"
    r"|épicier|coopérative|grocer|chain|retailer|network|e-grocer|online grocer)\b"
)


def _discover_defined(
    lex: Lexicon, text: str, folded: str, taken: list[tuple[int, int]]
) -> list[Ent]:
    """The subject of a defining copula whose attribute is a food retailer: "Dubreuil est une
    chaîne de quinze magasins de fruits et légumes"."""
    out: list[Ent] = []
    for match in _DEFINED.finditer(text):
        start, end = match.span("name")
        words = _name_words(text[start:end])
        if not words or words[0] in _NAME_STOP or len(" ".join(words)) < 3:
            continue
        name = " ".join(words)
        start = end - len(name)
        if any(s < end and start < e for s, e in taken) or lex.names.fullmatch(folded[start:end]):
            continue
        if lex.actor_any.search(folded[start:end]) or not _about_food(
            lex, folded, match.start("noun"), match.end()
        ):
            continue
        out.append(Ent("retailer", _slug(name), start, end, name, discovered=True))
    return out


# Food trades whose shops are named by the trade: "la fromagerie Bouvet" is Fromagerie Bouvet.
_FOOD_TRADES = (
    "fromagerie", "boucherie", "charcuterie", "poissonnerie", "crèmerie", "fruitière",
    "laiterie", "boulangerie", "chocolaterie", "biscuiterie", "conserverie", "cidrerie",
)  # fmt: skip
_TRADE_NOUN = re.compile(
    "(?i:" + "|".join(_FOOD_TRADES) + r")s? +(?P<link>du |de la |des |de |d')?(?=[A-ZÀ-Þ])"
)


# A name that carries its trade: "Drakes Supermarkets", "Calgary Co-op", "Greenleaf Grocers",
# "Marché Beauchemin", "Épiceries Etxea", "la Ferme du Goëlo".
_CAPWORD = r"[A-ZÀ-ÖØ-Þ][\w'’&-]*"
_HEADED = re.compile(
    r"(?<![\w'’-])(?:"
    r"(?P<en>(?:" + _CAPWORD + r" ){1,3}(?:Supermarkets?|Grocers|Grocery|Markets?|Co-op|Foods)"
    r"(?! (?!(?:Ltd|Inc|Group|plc)\b)" + _CAPWORD + "))"
    r"|(?P<fr>(?:Supermarchés?|Épiceries?|Epiceries?|Marchés?|Ferme|Comptoirs?|Halles?"
    r"|Primeurs?|Maison|" + "|".join(t.capitalize() + "s?" for t in _FOOD_TRADES) + ")"
    r"(?: (?:du |de la |des |de |d'|l')?" + _CAPWORD + r"){1,2})"
    r")(?![\w-])(?!['’]\w)"
)
# Capitalised words before a trade that make no shop's name ("the Single Market").
_NOT_NAMES = {
    "single",
    "common",
    "stock",
    "free",
    "black",
    "super",
    "fresh",
    "whole",
    "the",
    "a",
    "an",
    "our",
    "his",
    "her",
    "their",
    "its",
    "all",
    "new",
    "big",
    "le",
    "la",
    "les",
    "un",
    "une",
    "prime",
    "amazon",
    "world",
    "european",
    "global",
    "international",
    "national",
    "emerging",
    "blanche",
}


def _discover_headed(
    lex: Lexicon, text: str, folded: str, taken: list[tuple[int, int]]
) -> list[Ent]:
    """A capitalised name whose own words say it is a shop: "Drakes Supermarkets"."""
    out: list[Ent] = []
    for match in _HEADED.finditer(text):
        start, end = match.span()
        words = match.group(0).split()
        if match.group("en"):
            while words and words[0].lower() in _NOT_NAMES:
                start += len(words.pop(0)) + 1
            if len(words) < 2:
                continue
        elif words[-1].lower() in _NOT_NAMES:
            continue
        if any(s < end and start < e for s, e in taken) or lex.names.fullmatch(folded[start:end]):
            continue
        if lex.actor_any.search(folded, start, end):
            continue  # "Amazon Fresh Market": the actor's own shop
        name = text[start:end]
        out.append(Ent("retailer", _slug(name), start, end, name, discovered=True))
    return out


# Roles that make an apposition a person's ("directeur du magasin", "manager of the store").
_ROLES = {
    "directeur",
    "directrice",
    "gerant",
    "gerante",
    "patron",
    "patronne",
    "responsable",
    "president",
    "presidente",
    "fondateur",
    "fondatrice",
    "employe",
    "employee",
    "salarie",
    "salariee",
    "client",
    "cliente",
    "manager",
    "owner",
    "director",
    "founder",
    "boss",
    "head",
    "chef",
    "caissier",
    "caissiere",
    "adjoint",
    "adjointe",
}


def _everywhere(text: str, found: list[Ent], taken: list[tuple[int, int]]) -> list[Ent]:
    """A name once introduced by an apposition is that retailer wherever the article repeats it."""
    out = list(found)
    spans = taken + [(e.start, e.end) for e in found]
    for name in {e.text: e for e in found}.values():
        forms = sorted({name.text, _short(name.text), _bare(name.text)}, key=len, reverse=True)
        alternatives = "|".join(re.escape(form) for form in forms)
        pattern = re.compile(r"(?<![\w'])(?:" + alternatives + r")(?![\w])")
        for match in pattern.finditer(text):
            a, b = match.span()
            if any(s < b and a < e for s, e in spans):
                continue
            spans.append((a, b))
            out.append(Ent("retailer", name.id, a, b, match.group(0), discovered=True))
    return out


def _with_article(text: str, found: list[Ent]) -> list[Ent]:
    """ "l'épicerie en ligne Le Panier Francilien … le rachat du Panier Francilien": a capital
    article inside a sentence belongs to the name, wherever the article contracts it."""
    ids: dict[str, str] = {}
    for name in {e.text for e in found}:
        if name.split()[0].lower() in ("le", "la", "les", "l'"):
            continue
        pattern = r"(?<=[a-zà-ÿ,:] )(Le|La|Les) " + re.escape(name) + r"(?![\w])"
        article = re.search(pattern, text)
        if article:
            ids[name] = slugify(article.group(1) + " " + _short(name))
    if not ids:
        return found
    by_id = {e.id: ids[e.text] for e in found if e.text in ids}
    return [replace(e, id=by_id[e.id]) if e.id in by_id else e for e in found]


# A company's generic tail: "Wegmans Food Markets" is Wegmans, wherever the article says it.
_GENERIC_TAIL = re.compile(
    r" (?:Food Markets?|Supermarkets?|Stores|Inc\.?|Ltd|plc|PLC|Group|Groupe|SA|SAS)$"
)
_GENERIC_HEADS = {"fresh", "food", "super", "grand", "best", "big", "new", "the", "les", "la", "le"}


def _short(name: str) -> str:
    """The name without its generic tail, when what remains is a name of its own."""
    short = _GENERIC_TAIL.sub("", name)
    words = short.split()
    if short == name or not words or len(short) < 4 or words[-1].lower() in _GENERIC_HEADS:
        return name
    return short


# A trade word that ends a name and that the article may drop when it repeats it: "Pacific
# Crest Grocers … Pacific Crest turned the offer down" (the id keeps the full name).
_TRADE_TAIL = re.compile(r" (?:Grocers|Grocery|(?:Fine )?Foods|Markets?|Food Halls?)$")


def _bare(name: str) -> str:
    """The name without its trade word, when two capitalised words of its own remain."""
    bare = _TRADE_TAIL.sub("", _short(name))
    words = bare.split()
    if len(words) < 2 or words[0].lower() in _GENERIC_HEADS or not words[-1][:1].isupper():
        return name
    return bare


def _slug(name: str) -> str:
    """The id drops a generic tail but keeps "Stores", which is the name's own word in usage
    ("Kellaway Stores", "Dunnes Stores")."""
    return slugify(name if name.endswith(" Stores") else _short(name))


# The name before an apposition, elided article allowed ("la direction d'Alpestre, la chaîne…"),
# an English possessive name too ("Harwell's, the family-owned grocer").
# "Dorsey's Fresh Market": a founder's possessive may open the name
_NAME_BEFORE = re.compile(
    r"(?:(?<=\bd')|(?<=\bl')|(?<![\w']))((?:" + _CAP + r"'s )?" + _NAME.pattern + r"(?:'s)?)$"
)
_AFTER: dict[int, re.Pattern[str]] = {}


def _apposition_after_re(lex: Lexicon) -> re.Pattern[str]:
    key = id(lex)
    if key not in _AFTER:
        singular = sorted({n for n in lex.retail_nouns if not n.endswith("s")})
        _AFTER[key] = re.compile(
            # three modifiers only after "the" or "an" ("the family-owned South
            # Australian supermarket chain"); in French they would be a verb phrase; a noun's
            # complement is not its head ("Erwan Guillou, adhérent du groupement…")
            r", (?:(?:an|the) (?:[a-z0-9-]+ ){0,3}|(?:(?:la|le|une|un|l'|a|an|the) ?)?"
            r"(?:(?!(?:de|du|des|of) )[a-z0-9-]+ ){0,2})(?:" + trie_pattern(singular) + r")\b"
            r"(?!'s)"  # "Gareth Pryce, the retailer's director": the retailer's man
        )
    return _AFTER[key]


_DISCOVERY: dict[int, re.Pattern[str]] = {}
_CAPITAL = re.compile(r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ]")


def _discovery_re(lex: Lexicon) -> re.Pattern[str]:
    key = id(lex)
    if key not in _DISCOVERY:
        nouns = trie_pattern(sorted(set(lex.retail_nouns)))
        # complements ("de supermarchés", "d'épiceries") and adjectives of place or kind
        # ("rochelaise", "fines écossaise", "régionale"), recognised by their endings
        adjective = (
            r"(?:[a-z-]{2,}(?:ais|aise|ois|oise|ien|ienne|ain|aine|al|ale|aux|ique|if|ive|el"
            r"|elle|on|onne|ouse|eux|euse|ard|arde|in|ine|ee)|fine|bio|discount|alimentaire"
            r"|belge|suisse|familiale?|independante?|locale?|en ligne)s?"
        )
        # a complement is a common noun, not an article opening a place ("la chaîne de
        # supérettes de La Roche-sur-Yon")
        complement = r"(?: +(?:(?:de|du|des) +|d' *)(?!(?:la|le|les)\b)[a-z-]+)"
        adjs = r"(?P<mods>" + complement + r"{0,2})(?P<adj>(?: +" + adjective + r"){0,2})"
        media = r"(?! +(?:de|d') *(?:television|tele|radio|info|information)\b)"
        _DISCOVERY[key] = re.compile(r"(?<![\w])(?:" + nouns + r")" + media + adjs + r" +(?=[a-z])")
    return _DISCOVERY[key]


# A short adverbial before a sentence's subject: "Six ans plus tard, ", "Last year, ".
OPENING_ADVERBIAL = r"(?:[a-z0-9]+ ){0,3}[a-z0-9]+, "
# A sentence that opens on a company's description, after a short adverbial at most: "La
# start-up nantaise, qui livre…", "The grocer said…". Stores and shops are left out: "le
# magasin" is one of a chain's shops.
_DESCRIBED_OPENING = re.compile(
    r"\s*[«\"“]?\s*(?:" + OPENING_ADVERBIAL + r")?"
    r"(?:la |le |l'|cette |ce |the |this )(?:jeune |petite |small |young )?"
    r"(?:start-up|startup|jeune pousse|pepite|enseigne|chaine|distributeur|epicerie"
    r"|epicier|cooperative|e-commercant|grocer|chain|retailer|e-grocer|online grocer)\b"
)
# Where a capitalised name is a person or a place rather than a company: after a role, a
# preposition of place or a verb of saying that follows a quote ("», tranche Anne Roux"),
# before a role or an age, or as a dateline ("Lille : …").
_ROLE = (
    r"(?:co-?)?fondat(?:eur|rice)|(?:co-?)?founder|directeur|directrice|president|presidente"
    r"|pdg|patron|patronne|ceo|boss|analyste|analyst|gerant|gerante|dirigeante?|proprietaire"
    r"|owner|manager|m\.|mme|mr|mrs|ms"
)
# "», tranche Anne Roux": a verb of saying, after a quote, before its speaker
_SAID_AFTER_QUOTE = r"[»\"”],? [a-z-]+(?: [a-z-]+)?,?"
_PERSON_BEFORE = re.compile(
    r"(?:(?:" + _ROLE + r")(?:,)?|\b(?:par|by)|" + _SAID_AFTER_QUOTE + r") $"
)
_PLACE_BEFORE = re.compile(r"\b(?:a|au|en|in|near|pres de|downtown|vers) $")
_PERSON_AFTER = re.compile(r"(?:, (?:\d{1,2}\b|" + _ROLE + r"|son |sa |its |his |her )| :)")


def named_then_described(
    lex: Lexicon, text: str, folded: str, ents: list[Ent], spans: list[tuple[int, int]]
) -> list[Ent]:
    """An unknown name that the next sentence takes up as a company ("Les commandes de Bocal
    Vrac ont quintuplé. La start-up nantaise, qui livre…") is that company, a retailer once the
    description is one: the writer describes the firm just named. ``spans``: the article's
    sentences in order. Only a name the article repeats counts, never as a person or a place,
    and only when the sentence before names no other unknown firm."""
    out: list[Ent] = []
    taken = [(e.start, e.end) for e in ents]
    known = [e.text for e in ents]
    for (p_start, p_end), (start, _) in pairwise(spans):
        if not _DESCRIBED_OPENING.match(folded, start):
            continue
        names = [
            (name, at)
            for name, at in _unknown_names(text, p_start, p_end, taken)
            if not any(name in k for k in known)  # "Namdhari" of "Namdhari's Fresh"
            and not lex.names.fullmatch(fold(name))
            and not lex.actor_any.search(fold(name))
            and not _holdings(lex).match(fold(name))
        ]
        if len({n for n, _ in names}) != 1:
            continue
        name, at = names[0]
        where = [a for a, _ in _occurrences(text, name)]
        if len(where) < 2 or any(_person_or_place(folded, a, a + len(name)) for a in where):
            continue
        out.append(Ent("retailer", _slug(name), at, at + len(name), name, discovered=True))
        taken.append((at, at + len(name)))
    return _with_article(text, _everywhere(text, out, taken[: len(ents)])) if out else []


def _occurrences(text: str, name: str) -> list[tuple[int, int]]:
    """Where the name stands as whole words (not inside "l'X" or another name)."""
    return [m.span() for m in re.finditer(r"(?<![\w'])" + re.escape(name) + r"(?![\w])", text)]


# A name that speaks or has an age is a person's: "», tranche Julien Marchetti", "Julien
# Marchetti, 38 ans": so is then "Julien Marchetti, l'épicier du vrac".
_SPEAKER_BEFORE = re.compile(_SAID_AFTER_QUOTE + r" $")
# "Fondée en 1979 par Robert Sorbier", "founded by Jane Hale": who founds a shop is a person
_FOUNDER_BEFORE = re.compile(
    r"\b(?:fonde|fondee|fondes|fondees|cree|creee|founded|started)\b[^.;:!?]{0,25} (?:par|by) $"
)


def _speaking_person(text: str, folded: str, name: str) -> bool:
    return " " in name and any(
        _SPEAKER_BEFORE.search(folded, max(0, a - 30), a)
        or _AGE.match(text, b)
        or _FOUNDER_BEFORE.search(folded, max(0, a - 45), a)
        for a, b in _occurrences(text, name)
    )


def _person_or_place(folded: str, start: int, end: int) -> bool:
    return bool(
        _PERSON_BEFORE.search(folded, max(0, start - 40), start)
        or _PLACE_BEFORE.search(folded, max(0, start - 12), start)
        or _PERSON_AFTER.match(folded, end)
    )


_LOWER_BEFORE = re.compile(r"(?:\b(?:la|le|les|de|du|des|à|au)|\bl'|\bd') ?$")


def _unknown_names(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[tuple[str, int]]:
    """Capitalised names in ``text[start:end]`` that no reference covers; a sentence's
    capitalised first word left out, and names a title or a capital beside tells a person."""
    out: list[tuple[str, int]] = []
    for match in _NAME.finditer(text, start, end):
        a = match.start()
        words = _name_words(match.group(0).rstrip(" -'"))
        if not words or words[0] in _NAME_STOP or words[0] in _PLACE_WORDS:
            continue
        name = " ".join(words)
        b = a + len(name)
        if any(s < b and a < e for s, e in taken) or len(name) < 3 or text[b : b + 1] in ("'", "’"):
            continue  # "Namdhari's will supply": the name or its possessive, who can tell
        if len(words) == 1 and (
            not text[start:a].strip(' «"“') or _LOWER_BEFORE.search(text, max(0, a - 6), a)
        ):
            # "Fin de course pour…": a sentence's first word is capitalised anyway; "à la
            # Porte", "club de Ligue 2": one capitalised word after an article is a common noun
            continue
        if _person(text, a, b):
            continue
        out.append((name, a))
    return out


def short_of_known(ents: list[Ent]) -> list[Ent]:
    """A discovered name that is the first or last words of a watchlist name the article uses
    ("Life Corporation … Life", "les supermarchés More … More") is that retailer, told short."""
    known = {
        tuple(e.text.split()): e.id
        for e in ents
        if e.kind == "retailer" and not e.discovered and not e.described and not e.voice
    }
    if not known:
        return ents
    out: list[Ent] = []
    for e in ents:
        if e.kind == "retailer" and e.discovered and not e.voice:
            words = tuple(e.text.split())
            n = len(words)
            same = [
                i for k, i in known.items() if len(k) > n and (k[:n] == words or k[-n:] == words)
            ]
            if len(set(same)) == 1:
                e = replace(e, id=same[0], discovered=False)
        out.append(e)
    return out
