"""``detect_article``: prefilter, deep reading, merge, relevance.

Relevance answers "is this article about the actor and grocery retail?", which is not the same
as "does it state a relation": a story about Sainsbury's buying Asda that recalls Amazon's
purchase of Whole Foods in passing states a relation but is not about the actor. So an article
is relevant when it is grocery news (context words or retailers) *and* the actor is one of its
subjects: in the title, or named in several sentences, or party to a relation the article
states beyond a single passing sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

from .cues import Cue, Tok, competitor, find_cues, words_of
from .entities import Ent
from .lexicon import Lexicon, fold, normalize_text
from .model import Detection, Mention
from .prefilter import is_candidate
from .reader import Article, actor_presence, english_sentence, guess_language, parse_french, prepare
from .relations import assign, merge
from .sentences import Sentence, sentence_text
from .speech import cue_reported, reported_markers

_DEEP_LANGS = ("fr", "en")


def read_article(lex: Lexicon, title: str | None, text: str, lang: str | None) -> Detection:
    """The full detection of one article (the caller has a compiled lexicon)."""
    raw = ((title or "").strip() + "\n\n" + (text or "")).strip()
    full = normalize_text(raw)
    folded = fold(full)
    if not is_candidate(lex, folded):
        return Detection(False, [])
    language = (lang or "").lower()[:2] or guess_language(folded)
    article = prepare(lex, full, language)
    mentions: list[Mention] = []
    if language in _DEEP_LANGS and any(e.kind == "retailer" for e in article.ents):
        mentions = _read_relations(lex, article)
    return Detection(_relevant(lex, article, title, mentions), mentions)


@dataclass
class _Plan:
    """Which sentences to parse, and what each may speak of."""

    picked: list[Sentence] = field(default_factory=list)
    presences: dict[int, str] = field(default_factory=dict)
    carried: dict[int, list[Ent]] = field(default_factory=dict)
    topical: set[int] = field(default_factory=set)


def _plan(lex: Lexicon, article: Article, topic: Ent | None) -> _Plan:
    """Sentences worth parsing: a retailer (or the one before's, or the topic retailer by a
    description), a word a cue could inflect, and the actor taking part."""
    plan = _Plan()
    previous: list[Ent] = []
    stems = lex.cue_stems.get(article.lang)
    for sentence in article.sentences:
        ents = [e for e in article.ents if sentence.start <= e.start and e.end <= sentence.end]
        retailers = [e for e in ents if e.kind == "retailer"]
        before, previous = previous, retailers
        if stems is not None and not stems.search(article.folded, sentence.start, sentence.end):
            continue  # no word that any cue could be an inflection of: nothing to parse
        if not retailers:
            # a sentence that may answer for the retailers of the one before, or that names
            # the article's one retailer by a description ("la chaîne", "the grocer")
            prev = article.sentences[sentence.index - 1] if sentence.index else None
            if before and prev is not None and prev.paragraph == sentence.paragraph:
                plan.carried[sentence.index] = before
            elif topic is not None and any(e.kind == "actor" for e in ents):
                if not lex.retail_noun_re.search(article.folded, sentence.start, sentence.end):
                    continue
                plan.topical.add(sentence.index)
            else:
                continue
        presence = actor_presence(lex, article, sentence.index)
        if presence:
            plan.picked.append(sentence)
            plan.presences[sentence.index] = presence
    return plan


def _read_relations(lex: Lexicon, article: Article) -> list[Mention]:
    topic = _topic_retailer(article)
    plan = _plan(lex, article, topic)
    picked, presences, carried, topical = plan.picked, plan.presences, plan.carried, plan.topical
    if not picked:
        return []
    if article.lang == "fr":
        parsed = parse_french(lex, article, picked)
    else:
        parsed = [english_sentence(lex, article, s) for s in picked]
    found: list[Mention] = []
    last_reported: dict[str, bool] = {}
    for sentence, toks in zip(picked, parsed, strict=True):
        reported_now: dict[str, bool] = {}
        cues = find_cues(lex, article.lang, toks)
        if not cues:
            last_reported = reported_now
            continue
        by_press, markers = reported_markers(lex, article.lang, toks)
        ents = [e for e in article.ents if sentence.start <= e.start and e.end <= sentence.end]
        text = sentence_text(article.text, sentence)
        presence = presences[sentence.index]
        extra = carried.get(sentence.index)
        words = words_of(lex, article.lang)
        rivalry = partial(competitor, toks, words=words)
        if sentence.index in topical and topic is not None:
            found += _topical(lex, toks, cues, topic, text, by_press, markers)
            continue
        for ent, cue, rule, rep in assign(toks, ents, cues, presence, by_press, extra, rivalry):
            rep = rep or cue_reported(toks, cue, markers)
            if "follow-up" in rule:
                rep = rep or last_reported.get(ent.id, False)
            if ent.discovered and presence != "named":
                continue
            if ent.discovered:
                lex.watchlist.remember_discovered(ent.id, ent.text)
            if cue.background:
                rule += "+background"
            found.append(Mention(ent.id, cue.status, rep, text, ent.discovered, cue.text, rule))
            reported_now[ent.id] = rep
        last_reported = reported_now
    return merge(_foreground(_fold_groups(lex, article, found)))


def _foreground(found: list[Mention]) -> list[Mention]:
    """A status told in the pluperfect ("Leclerc avait été approché") recalls what had happened
    before the article's news: it stands only for a retailer the article says nothing newer of."""
    fresh = {m.retailer for m in found if "+background" not in m.rule}
    return [m for m in found if "+background" not in m.rule or m.retailer not in fresh]


def _fold_groups(lex: Lexicon, article: Article, found: list[Mention]) -> list[Mention]:
    """A group known by its main banner (the watchlist's ``flagship``: Les Mousquetaires for
    Intermarché) speaks for the banner where the article names it: one party, not two. A group
    without a flagship (Casino selling Monoprix) stays a party of its own."""
    flagships = {r.id: r.flagship for r in lex.watchlist.retailers if r.flagship}
    if not flagships:
        return found
    named = {e.id for e in article.ents if e.kind == "retailer"}
    out = []
    for m in found:
        banner = flagships.get(m.retailer)
        if banner is not None and banner in named:
            m = replace(m, retailer=banner, rule=m.rule + "+flagship")
        out.append(m)
    return out


def _topic_retailer(article: Article) -> Ent | None:
    """The retailer the article is about: named at least twice, more often than any other."""
    counts: dict[str, list[Ent]] = {}
    for e in article.ents:
        if e.kind == "retailer" and not e.discovered:
            counts.setdefault(e.id, []).append(e)
    ranked = sorted(counts.values(), key=len, reverse=True)
    if not ranked or len(ranked[0]) < 2 or (len(ranked) > 1 and len(ranked[1]) == len(ranked[0])):
        return None
    return ranked[0][0]


def _topical(
    lex: Lexicon,
    toks: list[Tok],
    cues: list[Cue],
    topic: Ent,
    text: str,
    by_press: bool,
    markers: list[int],
) -> list[Mention]:
    """An acquisition by the actor of "la chaîne", "les magasins", "the grocer": the article's
    topic retailer, when the sentence names no other."""
    out = []
    nouns = {w for n in lex.retail_nouns for w in n.split()[-1:]}
    for cue in cues:
        if cue.status != "acquired" or cue.negated or cue.goal:
            continue
        after = toks[cue.last + 1 : cue.last + 6]
        if any(t.lemma in nouns or t.low in nouns for t in after):
            rep = by_press or cue.conditional or cue_reported(toks, cue, markers)
            out.append(Mention(topic.id, "acquired", rep, text, False, cue.text, "lemma+topic"))
    return out


def _relevant(lex: Lexicon, article: Article, title: str | None, mentions: list[Mention]) -> bool:
    actor_sentences = {
        s.index
        for s in article.sentences
        for e in article.ents
        if e.kind == "actor" and s.start <= e.start < s.end
    }
    named = len(actor_sentences)
    in_title = bool(title) and lex.actor_any.search(fold(normalize_text(title or ""))) is not None
    context = len(lex.context.findall(article.folded))
    retailers = [e for e in article.ents if e.kind == "retailer"]
    if context < 2 and not retailers:
        return False
    if in_title:
        return True
    if article.lang not in _DEEP_LANGS:
        return named >= 2
    if mentions and (named >= 2 or named * 4 >= len(article.sentences)):
        return True  # the actor is party to a relation and not just a passing name
    counts: dict[str, int] = {}
    for e in retailers:
        counts[e.id] = counts.get(e.id, 0) + 1
    top = max(counts.values(), default=0)
    return named >= 3 and named * 2 >= top
