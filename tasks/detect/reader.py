"""Deep reading of a candidate article: who, which status, reported or confirmed, which sentence.

Only the sentences that name a retailer near a reference to the actor are parsed (spaCy's
``fr_core_news_sm``, loaded once per process on first use, NER left out: the watchlist's own
matcher finds the names and its spans are merged into single tokens and set as ``doc.ents``
before the parser runs, so "Système U" or "E.Leclerc" is one proper noun, never a person).
English sentences go through a rule tokenizer with an English lemma rule. Other languages get
relevance only.

This module prepares an article (names, sentences), tells how the actor takes part in a
sentence — named, described ("le géant de Seattle"), a weak description ("l'américain") or a
pronoun that resolves to it (the nearest organisation before it is the actor), or only named
in the same paragraph — and turns sentences into tokens. Which cue concerns which retailer is
:mod:`.relations`; the orchestration is :mod:`.pipeline`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .entities import Ent, discover, find_entities, named_then_described, short_of_known
from .lexicon import Lexicon, fold
from .sentences import Sentence, split_sentences
from .speakers import Speech, voices
from .tokens import JOINS, PARTICIPLE_END, Tok, english_tokens

_NLP: Any = None
DEEP_LANGS = ("fr", "en")  # read deeply; other languages get relevance only
_SPACES = re.compile(r"\s")
_FR_HINTS = ("le", "la", "les", "des", "est", "une", "pour", "dans", "qui", "avec")
_EN_HINTS = ("the", "and", "is", "was", "with", "for", "that", "has", "of", "to")


def get_nlp() -> Any:
    """The French pipeline, loaded on first use and kept for the life of the process.

    Three settings make it fast without changing what it says (the same parses, tags and
    lemmas; ``tests/test_detect_reader.py`` checks it): matrix products go to numpy's BLAS
    (OpenBLAS in numpy's wheels: several times the speed of thinc's bundled BLIS on this
    hardware, and most of the time of a parse is there), that BLAS runs on one thread (a few
    hundred tokens are too small a product to share, and idle threads compete with the rest of
    the process), and the lemmatizer's word lists are sets (spaCy keeps lists it scans for
    every word).
    """
    global _NLP
    if _NLP is None:
        import spacy
        from thinc.api import NumpyOps
        from threadpoolctl import threadpool_limits

        # NER: the watchlist finds the names; attribute_ruler changes no lemma we read. The
        # lemmatizer is run by hand (see _lemma) so its slow rules run once per word form.
        nlp = spacy.load("fr_core_news_sm", exclude=["ner", "senter", "attribute_ruler"])
        nlp.disable_pipe("lemmatizer")
        ops = NumpyOps(use_blis=False)
        for _, pipe in nlp.pipeline:
            model = getattr(pipe, "model", None)
            if model is not None and hasattr(model, "walk"):
                for node in model.walk():
                    node.ops = ops
        index = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_index")
        for pos in list(index.keys()):
            index[pos] = frozenset(index[pos])
        threadpool_limits(limits=1, user_api="blas")
        _NLP = nlp
    return _NLP


def guess_language(folded: str) -> str:
    """fr, en or other, from the commonest function words when the feed gives no language."""
    sample = " " + " ".join(folded[:3000].split()) + " "
    fr = sum(sample.count(f" {w} ") for w in _FR_HINTS)
    en = sum(sample.count(f" {w} ") for w in _EN_HINTS)
    if fr == en == 0:
        return "other"
    return "fr" if fr >= en else "en"


@dataclass
class Article:
    """A normalised article and everything found in it."""

    text: str
    folded: str
    sentences: list[Sentence]
    ents: list[Ent]
    lang: str
    speeches: list[Speech] = field(default_factory=list)


def prepare(lex: Lexicon, text: str, lang: str, title_end: int = 0) -> Article:
    """Sentences and references of a normalised text (its headline ends at ``title_end``),
    the first person of a company's own words included."""
    folded = fold(text)
    ents = find_entities(lex, text, folded, lang)
    ents = sorted(ents + discover(lex, text, folded, ents), key=lambda e: e.start)
    sentences = split_sentences(text)
    spans = [(s.start, s.end) for s in sentences]
    described = named_then_described(lex, text, folded, ents, spans)
    ents = short_of_known(sorted(ents + described, key=lambda e: e.start))
    ents = _described_discovered(ents, sentences)
    ents = sorted(ents + _ordinals(text, folded, ents), key=lambda e: e.start)
    ents = sorted(ents + _parents(lex, text, folded, ents), key=lambda e: e.start)
    said, speeches = voices(text, folded, sentences, ents, title_end)
    ents = sorted(ents + said, key=lambda e: e.start)
    return Article(text, folded, sentences, ents, lang, speeches)


# A subject is what a verb follows (a pronoun "le premier", an adjective "le premier
# distributeur français" otherwise).
_VERB_AFTER = (
    r"(?= (?:a|aurait|avait|est|serait|etait|sera|va|ne|n'|s'|se|l'|y|lui|elle|aussi"
    r"|has|had|is|was|would|will|said|says|did|does|[a-z]+(?:ait|aient|ed))\b)"
)
# "le premier … le second", "the former … the latter", standing for a pair just named; a verb
# after it tells the pronoun from the adjective ("le premier distributeur français").
_ORDINAL = re.compile(
    r"(?<![\w'])(?:(?:le|la) (?P<fr>premier|premiere|second|seconde|deuxieme)"
    r"|the (?P<en>former|latter))" + _VERB_AFTER
)
# Two names joined as a pair: "Auchan et Cora", "Tesco and Asda".
_PAIR_GAP = re.compile(r"\s*(?:et|and|ou|or|&)\s*(?:l'|le |la |les )?")


def _ordinals(text: str, folded: str, ents: list[Ent]) -> list[Ent]:
    """ "Amazon aurait approché Auchan et Cora ; le premier aurait décliné tandis que le second
    serait en discussions": each ordinal is the name of the pair it points back to."""
    out: list[Ent] = []
    retailers = [e for e in ents if e.kind == "retailer" and not e.voice]
    for match in _ORDINAL.finditer(folded):
        before = [e for e in retailers if e.end <= match.start()]
        pair = next(
            (
                (a, b)
                for a, b in zip(before[-2::-1], before[::-1], strict=False)
                if a.id != b.id and _PAIR_GAP.fullmatch(folded[a.end : b.start])
            ),
            None,
        )
        if pair is None or match.start() - pair[1].end > 300:
            continue
        word = match.group("fr") or match.group("en")
        first = word in ("premier", "premiere", "former")
        ref = pair[0] if first else pair[1]
        start, end = match.span()
        out.append(replace(ref, start=start, end=end, text=text[start:end]))
    return out


# A banner's owner told without its name: "Monoprix livre via Prime Now, et la maison mère a
# accepté des consignes", "Provigo … its parent company".
_PARENT = re.compile(
    r"(?<![\w'])(?:(?:la|sa) maison mere|the parent company|its parent(?: company| group)?)"
    + _VERB_AFTER
)


def _parents(lex: Lexicon, text: str, folded: str, ents: list[Ent]) -> list[Ent]:
    """ "la maison mère", "its parent company": the listed group of the banner named last,
    within the paragraph and a few hundred characters."""
    out: list[Ent] = []
    for match in _PARENT.finditer(folded):
        start, end = match.span()
        before = [
            e
            for e in ents
            if e.kind == "retailer" and e.end <= start and not e.voice and not e.discovered
        ]
        if not before or start - before[-1].end > 300 or "\n" in text[before[-1].end : start]:
            continue
        group = lex.watchlist.group_of(before[-1].id)
        if group is not None:
            out.append(Ent("retailer", group, start, end, text[start:end], described=True))
    return out


def _described_discovered(ents: list[Ent], sentences: list[Sentence]) -> list[Ent]:
    """A description of a known retailer the article never names, just after a discovered one
    ("les Comptoirs Armoricains, une chaîne du Finistère. Le distributeur breton a signé…"),
    is that discovered one: the writer describes the shop just named, not a famous other."""
    named = {e.id for e in ents if e.kind == "retailer" and not e.described}
    if not any(e.described and e.id not in named for e in ents):
        return ents  # the usual case: every description is of a retailer the article names
    where: dict[int, Sentence] = {}
    for sentence in sentences:
        for e in ents:
            if sentence.start <= e.start < sentence.end:
                where[id(e)] = sentence
    out: list[Ent] = []
    last: Ent | None = None
    for e in ents:
        here = where.get(id(e))
        if e.described and e.id not in named and last is not None and here is not None:
            there = where.get(id(last))
            if (
                there is not None
                and there.paragraph == here.paragraph
                and here.index - there.index <= 2
            ):
                e = replace(e, id=last.id, discovered=True, described=False)
        if e.kind == "retailer":
            last = e if e.discovered else None
        out.append(e)
    return out


def _ents_in(article: Article, sentence: Sentence) -> list[Ent]:
    return [e for e in article.ents if sentence.start <= e.start and e.end <= sentence.end]


def actor_presence(lex: Lexicon, article: Article, idx: int, depth: int = 0) -> str:
    """How the actor takes part in sentence ``idx``: named, weak, pronoun, paragraph or ''."""
    sentences = article.sentences
    sentence = sentences[idx]
    ents = _ents_in(article, sentence)
    actors = [e for e in ents if e.kind == "actor"]
    if actors and not all(_with_rival(article, e, ents) for e in actors):
        return "named"
    seg = article.folded[sentence.start : sentence.end]
    previous = sentences[idx - 1] if idx > 0 else None
    for match in lex.weak.finditer(seg):
        pos = sentence.start + match.start()
        end = sentence.start + match.end()
        if any(
            _apposed(article.folded[end : e.start])
            for e in article.ents
            if end <= e.start <= end + 12
        ):
            continue  # "le géant chinois Alibaba": an apposition, not a reference back
        # a generic description ("the group", "le groupe") may be any company named before;
        # an American one ("le géant américain") no French retailer
        generic = match.group(0).strip() in _GENERIC
        kinds = ("actor", "rival", "retailer") if generic else ("actor", "rival")
        if _last_org_is_actor(article, pos, sentence.paragraph - 3, kinds):
            return "periphrase"
    if previous is not None and previous.paragraph >= sentence.paragraph - 1:
        for match in lex.pronouns.finditer(seg):
            pos = sentence.start + match.start()
            orgs = [
                e for e in _ents_in(article, previous) if e.kind in ("actor", "rival", "retailer")
            ]
            if not _no_org_between(article, sentence.start, pos):
                continue
            if orgs and orgs[0].kind == "actor":
                return "pronoun"
            # a recap told with "il" sentence after sentence ("Au Royaume-Uni, il s'approvisionne
            # auprès de Morrisons. Il a pris une participation dans Deliveroo."): the chain holds
            # while each sentence's subject is that pronoun
            # ("Les marchés ont prêté à l'américain des ambitions. Des notes envisageaient
            # qu'il puisse racheter Ocado"): a description of the actor, with no company
            # named beside it, opens it as well
            chain = ("pronoun",) if orgs else ("pronoun", "periphrase")
            if depth < 3 and actor_presence(lex, article, idx - 1, depth + 1) in chain:
                return "pronoun"
        if _she_after_description(lex, article, previous, sentence, depth):
            return "pronoun"
    same_paragraph = [s for s in sentences if s.paragraph == sentence.paragraph]
    near = same_paragraph + [s for s in (previous,) if s is not None]
    if idx + 1 < len(sentences):
        near.append(sentences[idx + 1])
    for other in near:
        if any(e.kind == "actor" for e in _ents_in(article, other)):
            return "paragraph"
    beside = [k for k in (idx - 1, idx + 1) if 0 <= k < len(sentences)]
    if depth == 0 and any(actor_presence(lex, article, k, 3) == "periphrase" for k in beside):
        return "paragraph"  # "Lidl et l'américain discutaient… Lidl a démenti": a description
    return ""


_LIST_GAP = re.compile(r"\s*(?:ou|or)\s*(?:d'|de |du |l')?\s*")


def _with_rival(article: Article, actor: Ent, ents: list[Ent]) -> bool:
    """The actor named as one of the platforms, or a rival ("face aux plateformes, qu'il
    s'agisse d'Amazon ou d'Alibaba", "Amazon or Walmart"): the class, no party to a retailer's
    deal in that sentence; only the paragraph holds the actor. A list ("les plateformes
    partenaires (Amazon, Uber Eats, Deliveroo)") names partners, each of them."""
    for other in ents:
        if other.kind != "rival":
            continue
        gap = (
            article.folded[actor.end : other.start]
            if actor.end <= other.start
            else (article.folded[other.end : actor.start])
        )
        if _LIST_GAP.fullmatch(gap):
            return True
    return False


_ELLE = re.compile(r"(?<![\w'])elle(?![\w-])")


def _she_after_description(
    lex: Lexicon, article: Article, previous: Sentence, sentence: Sentence, depth: int
) -> bool:
    """ "En France, la firme s'est contentée de partenariats avec Monoprix. Au Royaume-Uni,
    elle s'est associée à Morrisons": "elle" after a sentence a feminine description of the
    actor opened, before any other company."""
    if depth >= 3:
        return False
    she = _ELLE.search(article.folded, sentence.start, sentence.end)
    if she is None or not _no_org_between(article, sentence.start, she.start()):
        return False
    orgs = [e for e in _ents_in(article, previous) if e.kind in ("actor", "rival", "retailer")]
    if orgs and orgs[0].kind == "actor":  # "la firme de Seattle", a name of the actor
        return fold(orgs[0].text).startswith(_FEMININE)
    weak = lex.weak.search(article.folded, previous.start, previous.end)
    if weak is None or not weak.group(0).startswith(_FEMININE):
        return False
    if orgs and orgs[0].start < weak.start():
        return False
    return actor_presence(lex, article, previous.index, depth + 1) == "periphrase"


_FEMININE = ("la ", "l'entreprise", "l'enseigne")


_GENERIC = {
    "the company",
    "the group",
    "the firm",
    "le groupe",
    "du groupe",
    "au groupe",
    "la firme",
    "la societe",
    "l'entreprise",
    "le geant",
    "du geant",
    "au geant",
}


_AUXILIARIES = {"a", "ont", "est", "sont", "avait", "has", "have", "had", "is", "was"}


def _apposed(gap: str) -> bool:
    """Only an adjective, or nothing, between a description and a name ("le géant chinois
    Alibaba"); not a verb ("l'américain a racheté Whole Foods")."""
    words = gap.split()
    if any(c in gap for c in '.;:!?()«»"—'):
        return False  # "…les casiers de l'américain. Carrefour, …": the next sentence's name
    if words and words[0] in JOINS:
        return False  # "l'américain et Ostrowski seraient en négociations": two parties
    return len(gap) <= 12 and len(words) <= 1 and not (words and words[0] in _AUXILIARIES)


def _last_org_is_actor(
    article: Article, pos: int, min_paragraph: int, kinds: tuple[str, ...]
) -> bool:
    """The nearest actor or rival before ``pos`` (within a few paragraphs) is the actor; with
    none that near, the article's opening names a company and the last one named is the
    actor ("Système U et Amazon se parlent" … five paragraphs on, "la plateforme")."""
    starts = {s.paragraph: s.start for s in reversed(article.sentences)}
    floor = starts.get(max(min_paragraph, 0), 0)
    before = [e for e in article.ents if floor <= e.start < pos and e.kind in kinds]
    if not before:
        opening = starts.get(1, len(article.text))
        before = [e for e in article.ents if e.start < pos and e.kind in kinds]
        if not before and "retailer" not in kinds:
            return _first_org_after_is_actor(article, pos, kinds)
        return bool(before) and before[-1].kind == "actor" and before[0].start < opening
    return before[-1].kind == "actor"


def _first_org_after_is_actor(article: Article, pos: int, kinds: tuple[str, ...]) -> bool:
    """A description no company precedes reads forward ("le géant américain aurait approché
    Système U" … the next paragraph, "l'intérêt d'Amazon"): the first actor or rival named
    after it, within the next paragraph, is the actor. Only for a description no retailer
    fits ("américain"), never for "le groupe"."""
    here = next((s.paragraph for s in article.sentences if s.start <= pos < s.end), None)
    if here is None:
        return False
    last = max((s.end for s in article.sentences if s.paragraph <= here + 1), default=pos)
    after = [e for e in article.ents if pos < e.start < last and e.kind in kinds]
    return bool(after) and after[0].kind == "actor"


def _no_org_between(article: Article, start: int, pos: int) -> bool:
    return not any(start <= e.start < pos for e in article.ents if e.kind != "retailer")


def parse_french(lex: Lexicon, article: Article, picked: list[Sentence]) -> list[list[Tok]]:
    """Parse the picked sentences in one batch, names merged into single tokens."""
    nlp = get_nlp()
    docs = [_make_doc(nlp, article, sentence) for sentence in picked]
    lemmatizer = nlp.get_pipe("lemmatizer")
    worth = lex.lemma_stems.get("fr")
    return [
        _tokens(doc, sentence.start, _ents_in(article, sentence), lemmatizer, worth)
        for sentence, doc in zip(picked, nlp.pipe(docs), strict=True)
    ]


def _make_doc(nlp: Any, article: Article, sentence: Sentence) -> Any:
    """The sentence's tokens, each name merged into one proper noun and set as an entity."""
    from spacy.util import filter_spans

    doc = nlp.make_doc(_SPACES.sub(" ", article.text[sentence.start : sentence.end]))
    ranges = [
        (e.start - sentence.start, e.end - sentence.start)
        for e in _ents_in(article, sentence)
        if not e.voice  # "nous" stays the pronoun the parser knows
    ]
    spans = filter_spans(
        [s for a, b in ranges if (s := doc.char_span(a, b, "ORG", alignment_mode="expand"))]
    )
    with doc.retokenize() as retok:
        for span in spans:
            if len(span) > 1:
                retok.merge(span, attrs={"POS": "PROPN"})
    merged = [doc.char_span(a, b, "ORG", alignment_mode="expand") for a, b in ranges]
    doc.ents = filter_spans([s for s in merged if s is not None])
    return doc


def _tokens(
    doc: Any, offset: int, ents: list[Ent], lemmatizer: Any, worth: re.Pattern[str] | None
) -> list[Tok]:
    """A parsed sentence as :class:`Tok` (``offset``: where it starts in the article)."""
    toks = []
    for token in doc:
        text = token.text
        low = fold(text)
        pos = token.pos_
        head = token.head.i
        if _verb_read_as_adjective(token):
            token.pos_ = "VERB"  # the verb's rule lemma ("achète" → acheter), the parse kept
            lemma = _lemma(lemmatizer, token)
            token.pos_ = pos
        elif _verb_read_as_adverb(token):
            token.pos_ = pos = "VERB"  # "l'enseigne dément formellement les bruits"
            lemma = _lemma(lemmatizer, token)
        else:
            lemma = _lemma(lemmatizer, token) if _worth(pos, low, worth) else low
        tok = Tok(
            text,
            lemma,
            low,
            pos,
            token.dep_,
            head if head != token.i else -1,
            _conditional(token),
        )
        if ents:
            start = offset + token.idx
            for k, ent in enumerate(ents):
                if ent.start <= start < ent.end:
                    tok.ent, tok.actor = k, ent.kind == "actor"
        toks.append(tok)
    for i, tok in enumerate(toks):
        if tok.low in _IMPERFECT_AUX and tok.dep.startswith("aux"):
            toks[tok.head if tok.head >= 0 else i].plup = True  # "avait racheté", "s'était heurté"
    _unhang_adverbials(toks)
    _rejoin_subject(toks)
    return toks


# Sentence adverbials made of a preposition and a noun ("en effet", "en fait", "de fait").
_ADVERBIALS = {
    ("en", "effet"),
    ("en", "fait"),
    ("de", "fait"),
    ("en", "outre"),
    ("en", "revanche"),
    ("en", "realite"),
    ("par", "ailleurs"),
    ("du", "reste"),
}


def _unhang_adverbials(toks: list[Tok]) -> None:
    """The parser may read "en effet" as the predicate ("l'enseigne serait en effet en
    discussions": subject and copula hung on "effet", the talks its modifier): the phrase
    after it takes back the predicate's place, and the adverbial becomes its modifier."""
    for i in range(1, len(toks)):
        if (toks[i - 1].low, toks[i].low) not in _ADVERBIALS or toks[i - 1].head != i:
            continue
        kids = [k for k, t in enumerate(toks) if t.head == i and k != i - 1]
        if not any(toks[k].dep in ("cop", "nsubj", "aux") for k in kids):
            continue
        pred = next((k for k in kids if k > i and toks[k].dep in ("nmod", "obl", "obl:mod")), None)
        if pred is None:
            continue
        toks[pred].head, toks[pred].dep = toks[i].head, toks[i].dep
        for k in kids:
            if k != pred:
                toks[k].head = pred
        toks[i].head, toks[i].dep = pred, "advmod"


def _rejoin_subject(toks: list[Tok]) -> None:
    """The parser may cut a name that opens the sentence before a comma off as a root of its
    own ("Intermarché, en revanche, n'a jamais été approché"): with a verb root later and no
    subject of that verb, the name is its subject."""
    if len(toks) < 4 or toks[0].ent < 0 or toks[0].head >= 0 or toks[1].low != ",":
        return
    root = next((k for k in range(2, len(toks)) if toks[k].head < 0), None)
    if root is None or toks[root].pos not in ("VERB", "AUX"):
        return
    kids = [t for t in toks if t.head == root]
    if any(t.dep.startswith(("nsubj", "expl")) for t in kids):
        return
    passive = any(t.dep == "aux:pass" for t in kids)
    toks[0].head, toks[0].dep = root, "nsubj:pass" if passive else "nsubj"


def _verb_read_as_adjective(token: Any) -> bool:
    """The small model reads a present-tense verb right after a name as the name's adjective
    ("Amazon achète Whole Foods", "Amazon acquiert X"): a word that modifies the name just
    before it and is no participle ("Carrefour associé") is the verb."""
    head = token.head
    return (
        token.pos_ == "ADJ"
        and token.dep_ == "amod"
        and head.i == token.i - 1
        and head.pos_ == "PROPN"
        and not PARTICIPLE_END.search(token.text.lower())
    )


def _verb_read_as_adverb(token: Any) -> bool:
    """An "adverb" with a subject or an object of its own is a verb the tagger misread
    ("l'enseigne dément formellement les bruits")."""
    return token.pos_ == "ADV" and any(c.dep_ in ("nsubj", "obj") for c in token.children)


_CONDITIONAL: dict[int, bool] = {}


def _conditional(token: Any) -> bool:
    """``Mood=Cnd`` in the token's morphology, read once per morphology (a handful)."""
    key = token.morph.key
    cnd = _CONDITIONAL.get(key)
    if cnd is None:
        cnd = _CONDITIONAL[key] = "Cnd" in token.morph.get("Mood")
    return cnd


# The auxiliaries of the pluperfect: a status told in it is background ("Casino avait été
# approché"), what had happened before the news the article reports.
_IMPERFECT_AUX = {
    f"{stem}{end}" for stem in ("av", "et") for end in ("ais", "ait", "ions", "iez", "aient")
}
_LEMMAS: dict[tuple[str, str], str] = {}


def _worth(pos: str, low: str, stems: re.Pattern[str] | None) -> bool:
    """Lemmatize verbs (irregular: "met", "pris", "dit") and words that may be a cue or a
    marker; spaCy's French rules are slow on a word's first sight, and the rest is not read."""
    return pos in ("VERB", "AUX") or stems is None or stems.match(low) is not None


def _lemma(lemmatizer: Any, token: Any) -> str:
    """spaCy's French rule lemma, folded, computed once per (word, part of speech)."""
    key = (token.text, token.pos_)
    lemma = _LEMMAS.get(key)
    if lemma is None:
        if len(_LEMMAS) > 200_000:
            _LEMMAS.clear()
        lemma = _LEMMAS[key] = fold(lemmatizer.rule_lemmatize(token)[0])
    return lemma


def english_sentence(lex: Lexicon, article: Article, sentence: Sentence) -> list[Tok]:
    """Rule tokens of an English sentence, names as single tokens."""
    text = article.text[sentence.start : sentence.end]
    ents = _ents_in(article, sentence)
    toks: list[Tok] = []
    skip_until = -1
    for tok, offset in english_tokens(text, lex.watchlist.english.irregular):
        start = sentence.start + offset
        if start < skip_until:
            continue
        tail: list[Tok] = []
        for k, ent in enumerate(ents):
            if ent.start <= start < ent.end:
                rest = tok.text[ent.end - start :]
                skip_until = ent.end
                if rest.startswith("-"):
                    pair = next((j for j, e in enumerate(ents) if e.start == ent.end + 1), None)
                    if pair is not None:
                        # "the Monoprix-Amazon tie-up": two names, each its own token
                        tail = [Tok("-", "-", "-", "PUNCT"), _ent_tok(ents, pair)]
                        skip_until = ents[pair].end
                    elif len(rest) > 1:
                        tail = [Tok(rest, fold(rest), fold(rest))]  # "Loblaw-owned": the owner
                tok = _ent_tok(ents, k)
                tok.poss = rest in ("'s", "’s")
                break
        toks.append(tok)
        toks.extend(tail)
    return toks


def _ent_tok(ents: list[Ent], k: int) -> Tok:
    """A name as one token, the actor's marked as such."""
    ent = ents[k]
    tok = Tok(ent.text, fold(ent.text), fold(ent.text), "PROPN", ent=k)
    tok.actor = ent.kind == "actor"
    return tok
