"""``detect_article``: prefilter, deep reading, merge, relevance.

Deep reading parses only the sentences that may state a relation: a cue word (by stem), a
retailer (or, for a follow-up, the one before's), and the actor taking part. Where the actor is
only nearby (the paragraph, or the headline when the article has one naming it), only an
answer or an approach can be read, so such sentences are parsed only with one of those words.
Beyond :mod:`.relations`:
- a retailer whose relation with the actor is on the record (the watchlist's ``settled``:
  Whole Foods, acquired) takes that status, confirmed, from any sentence naming it with a cue of
  it ("sept ans après le rachat de Whole Foods"), the actor named there or not;
- an unknown name after a purchase word is a retailer once the parse makes it the object of
  the actor's acquisition ("Amazon a racheté les Halles Dupont"), in grocery news only;
- "le distributeur", "l'enseigne" as the subject of a deal in a sentence naming the actor and
  no retailer speaks for the one retailer of the sentence before (or the topic retailer);
- a headline compresses: a status it states as fact that the body only reports is reported.

Relevance is :mod:`.relevance`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial

from .cues import competitor, find_cues, reference, words_of
from .entities import OPENING_ADVERBIAL, Ent
from .lexicon import Lexicon, fold, normalize_text
from .model import DEALS, Detection, Mention, merge
from .parties import (
    COORDINATORS,
    DEFINITE,
    KIN_WORDS,
    MANAGEMENT,
    RETAIL_DESCRIPTIONS,
    bought_by_actor,
    described_object,
    described_partner,
    described_subject,
    kin,
    kin_subject,
)
from .prefilter import is_candidate
from .reader import (
    DEEP_LANGS,
    Article,
    actor_presence,
    english_sentence,
    guess_language,
    parse_french,
    prepare,
)
from .relations import assign
from .relevance import actor_in_title, relevant, title_end
from .sentences import Sentence, is_aside, sentence_text
from .speakers import speaker_at
from .speech import cue_reported, reported_markers
from .tokens import CLAUSE_BREAK, ENDED_DEALS, Cue, Tok, clause_before


def read_article(lex: Lexicon, title: str | None, text: str, lang: str | None) -> Detection:
    """The full detection of one article (the caller has a compiled lexicon)."""
    raw = ((title or "").strip() + "\n\n" + (text or "")).strip()
    full = normalize_text(raw)
    folded = fold(full)
    if not is_candidate(lex, folded):
        return Detection(False, [])
    language = (lang or "").lower()[:2] or guess_language(folded)
    article = prepare(lex, full, language, title_end(title))
    mentions: list[Mention] = []
    if language in DEEP_LANGS and any(e.kind == "retailer" for e in article.ents):
        in_title = actor_in_title(article, title)
        mentions = _read_relations(lex, article, in_title, bool((title or "").strip()))
    return Detection(relevant(lex, article, title, mentions), mentions)


@dataclass
class _Plan:
    """Which sentences to parse, and what each may speak of."""

    picked: list[Sentence] = field(default_factory=list)
    presences: dict[int, str] = field(default_factory=dict)
    carried: dict[int, list[Ent]] = field(default_factory=dict)
    topical: set[int] = field(default_factory=set)
    spoken: dict[int, Ent] = field(default_factory=dict)  # a retailer's own words, no name
    stand_ins: set[int] = field(default_factory=set)  # "Elle a refusé": the one named last


def _plan(lex: Lexicon, article: Article, topic: Ent | None, in_title: bool = False) -> _Plan:
    """Sentences worth parsing: a retailer (or the one before's, or the topic retailer by a
    description), a word a cue could inflect, and the actor taking part."""
    plan = _Plan()
    previous: list[Ent] = []
    headline = _headline_retailer(article) if in_title else None
    stems = lex.cue_stems.get(article.lang)
    for sentence in article.sentences:
        ents = [e for e in article.ents if sentence.start <= e.start and e.end <= sentence.end]
        retailers = [e for e in ents if e.kind == "retailer"]
        before, previous = previous, retailers
        if is_aside(article.text, sentence):
            continue  # "Lire aussi : …", a caption: another story's words
        if stems is not None and not stems.search(article.folded, sentence.start, sentence.end):
            continue  # no word that any cue could be an inflection of: nothing to parse
        if (
            retailers
            and _DEAL_SUBJECT.match(article.folded, sentence.start)
            and (antecedent := before[0] if before else _antecedent(article, sentence))
            and antecedent.id not in {e.id for e in retailers}
        ):
            # "L'essai a pris fin, quelques mois avant la cession de l'enseigne à Aldi": the
            # deal of the retailer named before ends; the one named after is another matter
            plan.carried[sentence.index] = [antecedent]
            plan.stand_ins.add(sentence.index)
        if not retailers:
            # a sentence that may answer for the retailers of the one before, or that names
            # the article's one retailer by a description ("la chaîne", "the grocer"), or a
            # retailer's own words on its deal ("Le partenariat avec Amazon a pris fin")
            prev = article.sentences[sentence.index - 1] if sentence.index else None
            speaker = speaker_at(article.speeches, sentence.start)
            if (
                speaker is not None
                and speaker.kind == "retailer"
                and any(e.kind == "actor" for e in ents)
            ):
                plan.spoken[sentence.index] = speaker
            elif (
                _PRONOUN_SUBJECT.match(article.folded, sentence.start)
                and (any(e.kind == "actor" for e in ents) or _answers(lex, article, sentence))
                and (antecedent := before[0] if before else _antecedent(article, sentence))
            ):
                # "Monoprix étend son offre. Elle avait signé avec Amazon un accord…": the
                # pronoun is the retailer named last; with the actor a paragraph away, only
                # for an answer ("Amazon l'a approchée. Elle a refusé.")
                plan.carried[sentence.index] = [antecedent]
                plan.stand_ins.add(sentence.index)
            elif (
                (
                    _DEAL_SUBJECT.match(article.folded, sentence.start)
                    or _MANAGEMENT_SUBJECT.match(article.folded, sentence.start)
                )
                and _answers(lex, article, sentence)
                and (antecedent := before[0] if before else _antecedent(article, sentence))
            ):
                # "L'accord a pris fin en janvier", "La direction a démenti": the deal or the
                # answer of the retailer named last
                plan.carried[sentence.index] = [antecedent]
                plan.stand_ins.add(sentence.index)
            elif before and prev is not None and prev.paragraph == sentence.paragraph:
                # it may answer for them, or describe one ("le distributeur met fin…")
                segment = (article.folded, sentence.start, sentence.end)
                if (
                    not _answers(lex, article, sentence)
                    and not lex.retail_noun_re.search(*segment)
                    and not _DESCRIPTION.search(*segment)
                ):
                    continue
                plan.carried[sentence.index] = _as_group(lex, article, sentence, before)
                if _DESCRIPTION.search(*segment):
                    plan.stand_ins.add(sentence.index)  # "Le distributeur avait démenti"
            elif topic is not None and any(e.kind == "actor" for e in ents):
                segment = (article.folded, sentence.start, sentence.end)
                if not lex.retail_noun_re.search(*segment) and not _DESCRIPTION.search(*segment):
                    continue
                plan.topical.add(sentence.index)  # "a contacté l'entreprise familiale"
            elif _DESCRIPTION.search(article.folded, sentence.start, sentence.end) and (
                antecedent := _antecedent(article, sentence)
                or headline
                or (topic if _actor_named(lex, article, sentence) else None)
            ):
                # "Selon nos informations, l'enseigne de produits frais serait en discussions
                # avec l'américain": the retailer named last, a few sentences up, or else the
                # one retailer of the headline ("Casino : ce qu'il reste de l'alliance…"), or
                # the article's topic retailer where the sentence names the actor ("Le géant
                # américain a contacté l'entreprise familiale")
                plan.carried[sentence.index] = [antecedent]
                plan.stand_ins.add(sentence.index)
            else:
                continue
        presence = actor_presence(lex, article, sentence.index)
        if not presence and in_title:
            presence = "paragraph"  # the headline's subject: a retailer's answer is to the actor
        if presence == "paragraph" and not _answers(lex, article, sentence):
            presence = ""  # only an answer or an approach may be read without the actor: none
        if not presence and any(_settled(lex, e) for e in retailers):
            presence = "settled"  # a relation on the record needs no actor in the sentence
        if presence:
            plan.picked.append(sentence)
            plan.presences[sentence.index] = presence
    return plan


def _actor_named(lex: Lexicon, article: Article, sentence: Sentence) -> bool:
    """The sentence names the actor, or a description or pronoun of it."""
    return actor_presence(lex, article, sentence.index) in ("named", "periphrase", "pronoun")


def _answers(lex: Lexicon, article: Article, sentence: Sentence) -> bool:
    """The sentence holds a word an answer or an approach could inflect (a language without
    such stems rules nothing out)."""
    answers = lex.answer_stems.get(article.lang)
    return answers is None or bool(answers.search(article.folded, sentence.start, sentence.end))


# A personal subject pronoun opening a sentence, not the impersonal "il" ("il y a", "il
# s'agit", "il n'a jamais été question").
_PRONOUN_SUBJECT = re.compile(
    r"(?:(?:" + "|".join(sorted(COORDINATORS)) + r") |" + OPENING_ADVERBIAL + r")?"
    r"(?:elle|il|celle-ci|celui-ci|ce dernier|cette derniere) "
    r"(?!y |s'agit|faut|fallait|est |etait|reste|semble|parait|lui faut|leur faut|ne serait|"
    r"ne sera|"
    r"n'y|ne s'agit|n'est|ne faut|vaut|convient|importe|serait question|aurait ete|a ete "
    r"question|n'a (?:jamais |pas )?ete)"
)


# A deal opening a sentence as its subject ("Mais le contrat a été résilié", "Last year, the
# tie-up was wound down"), after a short adverbial at most.
_DEAL_SUBJECT = re.compile(
    r"(?:(?:mais|puis|finalement|but|then|eventually)[ ,]+|" + OPENING_ADVERBIAL + r")?"
    r"(?:l'|le |la |the )(?:" + "|".join(sorted(ENDED_DEALS)) + r")(?![\w])"
)


# A company's management opening a sentence ("Son cofondateur a démenti").
_MANAGEMENT_SUBJECT = re.compile(
    r"(?:la |le |sa |son |leur |l'|the |its )(?:" + "|".join(sorted(MANAGEMENT)) + r")(?![\w])"
)


# A definite description of a retailer as a sentence's subject.
_DESCRIPTION = re.compile(
    r"(?<![\w])(?:l'|le |la |the )(?:" + "|".join(sorted(RETAIL_DESCRIPTIONS)) + r")(?![\w])"
)


_DEMONSTRATIVES = {"ce", "cet", "cette", "ces", "this", "these", "that", "those"}


def _told_before(toks: list[Tok], cue: Cue) -> bool:
    """A cue noun under a demonstrative ("ces discussions", "these talks") points back."""
    return (
        cue.first > 0
        and toks[cue.first - 1].low in _DEMONSTRATIVES
        and (toks[cue.first].pos not in ("VERB", "AUX"))
    )


def _from_sources(toks: list[Tok]) -> bool:
    """The sentence is told on anonymous sources' word ("de source proche du dossier")."""
    return any(t.low in ("source", "sources", "familiar") for t in toks)


def _retailers(toks: list[Tok], ents: list[Ent]) -> tuple[set[str], set[str]]:
    """The sentence's retailers that may be parties, and those that only qualify another
    ("L'enseigne de centre-ville, propriété de Casino, a signé…")."""
    parsed = any(t.head >= 0 for t in toks)
    parties: set[str] = set()
    qualifiers: set[str] = set()
    for i, t in enumerate(toks):
        if t.ent >= 0 and ents[t.ent].kind == "retailer":
            (qualifiers if kin(toks, i, parsed) else parties).add(ents[t.ent].id)
    return parties, qualifiers


_THE_GROUP = re.compile(r"(?<![\w])(?:le|du|au|the) group(?:e)?(?![\w])")


def _as_group(lex: Lexicon, article: Article, sentence: Sentence, before: list[Ent]) -> list[Ent]:
    """ "Le propriétaire d'Albert Heijn et de Delhaize … Le groupe a démenti": "le groupe"
    after banners of one listed group is that group, not its banners."""
    weak = [m.span() for m in lex.weak.finditer(article.folded, sentence.start, sentence.end)]
    if not any(
        not any(a <= m.start() < b for a, b in weak)  # "avec le groupe américain": the actor
        for m in _THE_GROUP.finditer(article.folded, sentence.start, sentence.end)
    ):
        return before
    parents = {lex.watchlist.group_of(e.id) for e in before}
    if len(parents) != 1 or None in parents:
        return before
    return [replace(before[0], id=parents.pop(), discovered=False)]


def _headline_retailer(article: Article) -> Ent | None:
    """The one retailer the headline names, if it names one."""
    named = [e for e in article.ents if e.kind == "retailer" and e.start < article.sentences[0].end]
    return named[0] if len({e.id for e in named}) == 1 and not named[0].discovered else None


def _antecedent(article: Article, sentence: Sentence) -> Ent | None:
    """The retailer named last before the sentence, within its paragraph or the one before."""
    floor = sentence.paragraph - 1
    starts = [s.start for s in article.sentences if s.paragraph >= floor]
    lo = starts[0] if starts else 0
    before = [
        e
        for e in article.ents
        if e.kind == "retailer"
        and not e.by_deal
        and lo <= e.start < sentence.start
        and not _KIN_BEFORE.search(article.folded, max(0, e.start - 40), e.start)
    ]
    if len(before) >= 2 and _LISTED.fullmatch(article.folded, before[-2].end, before[-1].start):
        return None  # "à Intermarché, Auchan et Carrefour": no one of a list is "le groupe"
    return before[-1] if before else None


_LISTED = re.compile(r"(?:,| et| and| ou| or) ")


# A name that qualifies another company ("Naturalia, l'enseigne bio de Monoprix"): the kin
# noun, up to two modifiers, then "de"/"du"; it is not the one a description refers back to.
_KIN_BEFORE = re.compile(
    r"(?<![\w])(?:"
    + "|".join(sorted(KIN_WORDS))
    + r")(?: [\w-]+){0,2} (?:de |du |d'|of )(?:la |le |l'|the )?(?:groupe |group )?$"
)


# A sentence that is only a quote: « Amazon rachète Aldi, les prix vont exploser ».
_UNSAID = re.compile(r"[«“\"][^«»“”\"]+[»”\"]\s*[.!]?")


def _read_relations(
    lex: Lexicon, article: Article, in_title: bool = False, titled: bool = False
) -> list[Mention]:
    topic = _topic_retailer(article)
    plan = _plan(lex, article, topic, in_title)
    picked, presences, carried, topical = plan.picked, plan.presences, plan.carried, plan.topical
    if not picked:
        return []
    if article.lang == "fr":
        parsed = parse_french(lex, article, picked)
    else:
        parsed = [english_sentence(lex, article, s) for s in picked]
    all_ents = [
        [e for e in article.ents if sentence.start <= e.start and e.end <= sentence.end]
        for sentence in picked
    ]
    for sentence, toks, ents in zip(picked, parsed, all_ents, strict=True):
        # the actor told by a description or a pronoun is marked before the cues are read, so
        # that "vend sur la place de marché de l'américain" has its venue
        if presences[sentence.index] == "periphrase":
            _mark_description(lex, toks, ents)
        elif presences[sentence.index] == "named":
            _mark_description(lex, toks, ents, national=True)
        elif presences[sentence.index] == "pronoun":
            _mark_pronoun(toks, ents)
    all_cues = [
        [c for c in find_cues(lex, article.lang, toks) if not _about_other(toks, c)]
        for toks in parsed
    ]
    bought = _bought(picked, parsed, all_ents, all_cues, presences)
    found: list[Mention] = []
    last_reported: dict[str, bool] = {}
    told_by_kin: dict[int, tuple[str, Ent]] = {}
    for sentence, toks, ents, cues in zip(picked, parsed, all_ents, all_cues, strict=True):
        reported_now: dict[str, bool] = {}
        if not cues:
            last_reported = reported_now
            continue
        by_press, markers = reported_markers(lex, article.lang, toks)
        ents = [replace(e, kind="other") if e.by_deal and e.id not in bought else e for e in ents]
        text = sentence_text(article.text, sentence)
        if _prompt(article, sentence, text):
            last_reported = reported_now
            continue
        # « Amazon rachète Aldi, les prix vont exploser ». with no one to say it: a claim
        # quoted, not the newsroom's own statement
        by_press = by_press or (
            _UNSAID.fullmatch(text.strip()) is not None
            and speaker_at(article.speeches, sentence.start) is None
        )
        presence = presences[sentence.index]
        extra = carried.get(sentence.index)
        words = words_of(lex, article.lang)
        rivalry = partial(competitor, toks, words=words)
        referenced = partial(reference, toks, words=words)
        speaker = plan.spoken.get(sentence.index)
        hedged = partial(_press_hedged, toks, by_press, markers)
        if speaker is not None:
            found += _own_words(toks, cues, speaker, text)
            continue
        if sentence.index in topical and topic is not None:
            found += _topical(lex, toks, cues, topic, text, by_press, markers)
            # "En 2016, il avait fermé la porte à Amazon": in the article about one retailer,
            # a pronoun answering the actor is that retailer (or the head who speaks for it)
            answers = [c for c in cues if c.base in ("declined", "denied")]
            others = [c for c in cues if c not in answers]
            found += _by_description(toks, others, [topic], text, hedged)
            found += _by_description(toks, answers, [topic], text, hedged, pronoun=True)
            continue
        found += _on_record(lex, toks, ents, cues, text)
        parties, qualifiers = _retailers(toks, ents)
        if extra and sentence.index - 1 in told_by_kin:
            # "…l'enseigne du groupe Louis Delhaize discutait… La direction a démenti": Cora
            qualifier, company = told_by_kin[sentence.index - 1]
            extra = [company if e.id == qualifier else e for e in extra]
        if presence in ("named", "periphrase", "pronoun") and not parties and qualifiers:
            told = _told_by_kin(lex, article, sentence, toks, ents, cues)
            if told is not None:
                told_by_kin[sentence.index] = told
                found += _by_description(toks, cues, [told[1]], text, hedged, by_kin=True)
                continue
        if presence == "paragraph" and sentence.index in plan.stand_ins:
            # the actor a paragraph away: only an answer or an end ("Elle a refusé.")
            answers = [c for c in cues if c.base in ("declined", "denied", "ended")]
            found += _by_description(toks, answers, extra or [], text, hedged, True, deal=True)
        if presence in ("named", "periphrase", "pronoun") and not parties:
            # "l'enseigne, filiale de Casino, …" describes a retailer that is not Casino
            known = [e for e in extra or [] if e.id not in qualifiers]
            if not known and topic is not None and topic.id not in qualifiers:
                known = [topic]
            pronoun = presence in ("named", "periphrase")
            deal = sentence.index in plan.stand_ins
            found += _by_description(toks, cues, known, text, hedged, pronoun, deal=deal)
        if presence == "settled":
            continue
        assigned = assign(toks, ents, cues, presence, by_press, extra, rivalry, referenced)
        if not assigned and len(parties) == 1:
            one = [e for e in ents if e.id in parties][:1]
            if presence in ("named", "periphrase"):
                # "Shoppers can order Morrisons groceries…, as the supermarket extends its
                # tie-up"
                found += _by_description(toks, cues, one, text, hedged)
            elif presence == "paragraph" and sentence.index not in plan.stand_ins:
                # "as Dia fought off bankruptcy, the tie-up was wound down": its one deal
                ends = [c for c in cues if c.base == "ended"]
                found += _by_description(toks, ends, one, text, hedged, deal=True)
        for ent, cue, rule, rep in assigned:
            rep = rep or cue_reported(toks, cue, markers)
            if "follow-up" in rule and cue.base != "denied":
                # "X aurait refusé. Le distributeur n'a pas donné suite": as hedged as the
                # sentence before; a denial is on the record whatever it denies
                rep = rep or last_reported.get(ent.id, False)
            if _told_before(toks, cue):
                # "ces discussions": the talks told before, as sure as they were told then
                prior = [m for m in found if m.retailer == ent.id and m.status == cue.status]
                rep = rep or (bool(prior) and all(m.reported for m in prior))
            if (
                ent.discovered
                and presence not in ("named", "periphrase", "paragraph")
                and not ent.by_deal
                and not (presence == "pronoun" and "+syntax" in rule)
            ):
                continue  # a discovered name needs the actor told, or the parse to link them
            if ent.discovered:
                lex.watchlist.remember_discovered(ent.id, ent.text)
            if cue.background:
                rule += "+background"
            if cue.status == "denied" and cue.negated and _from_sources(toks):
                continue  # "X n'a pas été approché, selon une source": no one denies anything
            settled = _settled(lex, ent)
            status = cue.status
            if status == "partnership" and settled == "acquired":
                status = settled  # "Amazon's deal for Whole Foods": the deal is the purchase
            if status == settled:
                rep = False  # on the record: a fact whoever reports it
            elif settled is not None and status not in DEALS:
                continue  # bought long ago: the speculation of the day is about someone else
            if titled and sentence.paragraph == 0:
                rule += "+headline"
            if status == "partnership" and _ends_the_deal(toks, cues, ents):
                # "Its supply deal with Morrisons … was wound down": the one deal it ends
                status, rule = "ended", rule + "+ended"
            if _asks(text):
                # "Amazon rachètera-t-il Carrefour ?": a question states nothing; a deal asked
                # about is a possibility
                rep, rule = True, rule + "+question"
                status = "rumored" if status in DEALS else status
            found.append(Mention(ent.id, status, rep, text, ent.discovered, cue.text, rule))
            reported_now[ent.id] = rep
        last_reported = reported_now
    found += _same_as_before(article, found)
    found = _talks_not_held(_foreground(_fold_groups(lex, article, found)))
    return merge(_hedged(_refused_deals(found)))


# A numbered question, or the first of a list of questions under its heading ("Questions : 1.",
# "Discussion questions. (1)", "(2)", "3)").
_PROMPT = re.compile(
    r"\s*(?:(?:[\w'-]+ ){0,3}?[\w'-]+ ?[:.] ?)?(?:\(\d{1,2}\)|\d{1,2}[.)](?!\d)|[a-f]\))(?:\s|$)"
)


def _asks(text: str) -> bool:
    """The sentence is a question (its mark may stand inside closing quotes)."""
    return text.rstrip(' »"”').endswith("?")


def _prompt(article: Article, sentence: Sentence, text: str) -> bool:
    """A numbered question put to the reader ("(2) Should Morrisons have signed with Amazon?",
    "Questions : 1. Fallait-il accepter l'offre ?"): a case study's or a quiz's, it asks for an
    opinion and reports nothing. The number may stand as a sentence of its own before it."""
    if not _asks(text):
        return False
    if _PROMPT.match(text):
        return True
    if sentence.index == 0:
        return False
    before = article.sentences[sentence.index - 1]
    return before.paragraph == sentence.paragraph and bool(
        _PROMPT.fullmatch(sentence_text(article.text, before))
    )


# "Cora a fait de même", "lui a emboîté le pas", "Sainsbury's followed suit": the status of
# the sentence before, taken up by a retailer that does what another did.
_SAME_AS_BEFORE = re.compile(
    r"\b(?:fai[ts]|faire|fera|feront|firent|font|faisait)\s+(?:de meme|pareil)\b"
    r"|\ben (?:a|ont|avait|avaient|fera|feront|aurait|auraient|fit|firent)\s+(?:\w+\s+)?fait"
    r"\s+autant\b|\bemboite\w*\s+le\s+pas\b"
    r"|\b(?:did|does|do|done|doing)\s+the\s+same\b|\bfollow(?:ed|s|ing)?\s+suit\b"
)
_NOT_SAME = re.compile(r"\b(?:n'|ne\b|not\b|never\b|n't\b|refus|declin|sans\b)")


def _same_as_before(article: Article, found: list[Mention]) -> list[Mention]:
    """A retailer that did the same as the one of the sentence before takes its status."""
    out: list[Mention] = []
    for sentence in article.sentences[1:]:
        match = _SAME_AS_BEFORE.search(article.folded, sentence.start, sentence.end)
        if match is None:
            continue
        head = article.folded[sentence.start : match.start()]
        if _NOT_SAME.search(head + match.group(0)):
            continue  # "Lidl n'a pas fait de même": the opposite
        named = [
            e
            for e in article.ents
            if e.kind == "retailer" and sentence.start <= e.start and e.end <= match.start()
        ]
        prev = sentence_text(article.text, article.sentences[sentence.index - 1])
        model = [m for m in found + out if m.sentence == prev]
        text = sentence_text(article.text, sentence)
        if not named or not model or any(m.sentence == text for m in found):
            continue  # no one to copy, or the sentence states a status of its own
        last = model[-1]
        for ent in {e.id: e for e in named if e.id not in {m.retailer for m in model}}.values():
            rule = f"{last.rule}+same-as-before"
            out.append(
                Mention(
                    ent.id, last.status, last.reported, text, ent.discovered, match.group(0), rule
                )
            )
    return out


_TALKS = {
    "discussion",
    "discussions",
    "talks",
    "talk",
    "negociation",
    "negociations",
    "negotiations",
}


def _talks_not_held(found: list[Mention]) -> list[Mention]:
    """ "Approached, but no talks followed": saying no talks took place, a retailer that
    confirms the approach denies nothing."""
    confirmed = {m.retailer for m in found if m.status == "approached" and not m.reported}
    return [
        m
        for m in found
        if not (
            m.retailer in confirmed
            and m.status == "denied"
            and "negation" in m.rule
            and (fold(m.cue).split() or [""])[-1] in _TALKS
        )
    ]


def _refused_deals(found: list[Mention]) -> list[Mention]:
    """ "Nous avons décliné … l'accord aurait fait de nous un préparateur de commandes", "une
    publication affirme qu'Amazon a racheté X; X dément": where a retailer says it refused or
    denies, a relation only supposed is the one it refused or denied."""
    refused = {m.retailer for m in found if m.status in ("declined", "denied") and not m.reported}
    return [
        m
        for m in found
        if not (m.retailer in refused and m.reported and m.status not in ("declined", "denied"))
    ]


def _hedged(found: list[Mention]) -> list[Mention]:
    """A headline compresses: where it states as fact what the body only reports ("Amazon
    rachète X" over "Amazon serait en passe de racheter X"), the body's hedge stands."""
    body: dict[tuple[str, str], bool] = {}
    for m in found:
        if "+headline" not in m.rule:
            key = (m.retailer, m.status)
            body[key] = body.get(key, True) and m.reported
    return [
        replace(m, reported=True)
        if "+headline" in m.rule and not m.reported and body.get((m.retailer, m.status))
        else m
        for m in found
    ]


def _press_hedged(toks: list[Tok], by_press: bool, markers: list[int], cue: Cue) -> bool:
    """The sentence's press frame or a report marker over the cue hedges it."""
    return by_press or cue_reported(toks, cue, markers)


def _by_description(
    toks: list[Tok],
    cues: list[Cue],
    known: list[Ent],
    text: str,
    hedged: Callable[[Cue], bool],
    pronoun: bool = False,
    by_kin: bool = False,
    deal: bool = False,
) -> list[Mention]:
    """A deal whose subject is "le distributeur", "l'enseigne", "the grocer" (or, with
    ``pronoun``, "elle"): the one retailer ``known`` it stands for, that of the sentence before,
    the article's topic retailer, or the one retailer named earlier in the sentence. With
    ``by_kin``, the subject is told by its kin ("le propriétaire de Safeway") and ``known`` is
    the company the watchlist says that is. With ``deal``, the sentence opens on a deal whose
    end it tells ("L'accord a pris fin"): the deal of the retailer ``known``."""
    if len({e.id for e in known}) != 1:
        return []
    ent = known[0]
    out = []
    for cue in cues:
        if (
            not by_kin
            and cue.base == "in_talks"
            and not cue.negated
            and not cue.goal
            and described_partner(toks, cue)
        ):
            rep = cue.conditional or hedged(cue)
            out.append(Mention(ent.id, cue.status, rep, text, False, cue.text, "described-partner"))
            continue
        if _with_another(toks, cue):
            continue
        if (
            cue.status in _DESCRIBED
            and not cue.goal
            and (
                kin_subject(toks, cue) is not None
                if by_kin
                else described_subject(toks, cue, pronoun, deal)
            )
        ):
            rep = cue.conditional or hedged(cue)
            rule = "described+background" if cue.background else "described"
            out.append(Mention(ent.id, cue.status, rep, text, False, cue.text, rule))
        elif (
            not by_kin
            and cue.base in _AIMED
            and not cue.negated
            and cue.goal != "purpose"
            and described_object(toks, cue)
        ):
            rep = cue.conditional or cue.status == "rumored" or hedged(cue)
            rule = "described-object+background" if cue.background else "described-object"
            out.append(Mention(ent.id, cue.status, rep, text, False, cue.text, rule))
    return out


def _told_by_kin(
    lex: Lexicon,
    article: Article,
    sentence: Sentence,
    toks: list[Tok],
    ents: list[Ent],
    cues: list[Cue],
) -> tuple[str, Ent] | None:
    """The company a kin subject tells (the named kin's id, that company): the owner of a
    banner ("le propriétaire de Safeway": Albertsons), or a group's banner the article named
    last ("l'enseigne du groupe Louis Delhaize", after Cora)."""
    group_of = lex.watchlist.group_of
    for cue in cues:
        told = kin_subject(toks, cue)
        if told is None:
            continue
        kin_ent = ents[toks[told[1]].ent]
        if kin_ent.kind != "retailer":
            return None
        if told[0] == "owner":
            owner = group_of(kin_ent.id)
            return (kin_ent.id, replace(kin_ent, id=owner, discovered=False)) if owner else None
        banners = [
            e
            for e in article.ents
            if e.kind == "retailer" and group_of(e.id) == kin_ent.id and e.start < sentence.start
        ]
        return (kin_ent.id, banners[-1]) if banners else None
    return None


def _with_another(toks: list[Tok], cue: Cue) -> bool:
    """The deal's counterpart, after "avec"/"with", is not the actor ("une alliance avec le
    chinois Alibaba", "technology deals with retailers in France")."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 4)):
        if toks[k].low in ("avec", "with"):
            after = toks[k + 1 : k + 8]  # "avec la branche professionnelle du géant américain"
            end = next((j for j, t in enumerate(after) if t.low in CLAUSE_BREAK), len(after))
            return not any(t.actor for t in after[:end])
    return False


def _own_words(toks: list[Tok], cues: list[Cue], speaker: Ent, text: str) -> list[Mention]:
    """In a retailer's own words, a deal "with the actor" whose holder goes unsaid is the
    speaker's ("Le partenariat avec Amazon a pris fin", says Picard's director), and so is
    the deal it denies ("Il n'y a aucune discussion avec Amazon")."""
    with_actor = {
        word
        for i, t in enumerate(toks[:-2])
        for word in (t.lemma, t.low)
        if any(toks[k].actor for k in range(i + 2, min(len(toks), i + 4)))
        and toks[i + 1].low in ("avec", "with")
    }
    out = []
    for cue in cues:
        if cue.goal:
            continue
        if cue.status in ("partnership", "ended", "in_talks") and not cue.negated:
            nouns = _DEAL_NOUNS
        elif cue.status == "denied":
            nouns = _DEAL_NOUNS | _TALKS_NOUNS  # "aucune discussion avec Amazon"
        else:
            continue
        if with_actor & nouns:
            rule = "lemma+own-words"
            out.append(
                Mention(speaker.id, cue.status, cue.conditional, text, False, cue.text, rule)
            )
    return out


_TALKS_NOUNS = {"discussion", "negociation", "contact", "talks", "negotiation"}


_DESCRIBED = {
    "partnership",
    "ended",
    "in_talks",
    "acquired",
    "approached",
    "declined",
    "denied",
    "rumored",
}
_AIMED = {"acquired", "approached"}  # what the actor does to a retailer it names by description


# An article contracted with a preposition before a description.
_CONTRACTED = {"le": ("du", "au"), "les": ("des", "aux")}


# Words that make a weak description the actor's wherever the actor is named in the sentence
# ("Monoprix a signé avec l'américain, … sur Prime Now").
_ITS_NATION = {"americain", "americaine", "american", "us"}


def _mark_description(
    lex: Lexicon, toks: list[Tok], ents: list[Ent], national: bool = False
) -> None:
    """In a sentence whose actor is a description ("le groupe américain"), the description's
    noun stands for the actor: a refusal it suffers ("a essuyé des refus") is not the
    retailers'. With ``national``, only a description by the actor's nationality."""
    lows = [t.low for t in toks]
    for words in lex.weak_phrases:
        if national and not _ITS_NATION & set(words):
            continue
        heads = {words[0], *_CONTRACTED.get(words[0], ())}  # "du géant américain"
        for i in range(len(toks) - len(words) + 1):
            if (
                lows[i] in heads
                and lows[i + 1 : i + len(words)] == words[1:]
                and all(t.ent < 0 for t in toks[i : i + len(words)])
            ):
                span = range(i, i + len(words))
                noun = next((k for k in span if toks[k].pos == "NOUN"), None)
                if noun is None and toks[span[-1]].pos in ("ADJ", "PROPN"):
                    noun = span[-1]  # "l'américain" tagged as an adjective
                if span[-1] + 1 < len(toks) and toks[span[-1] + 1].ent >= 0:
                    return  # "l'américain DoorDash": an apposition to another name
                if noun is not None:
                    ents.append(Ent("actor", "actor-description", -1, -1, " ".join(words)))
                    toks[noun].ent, toks[noun].actor = len(ents) - 1, True
                return


# Object and subject pronouns that stand for the actor once the sentence's presence says so.
_ACTOR_PRONOUNS = {"il", "lui", "celui-ci", "it", "them"}


def _mark_pronoun(toks: list[Tok], ents: list[Ent]) -> None:
    """In a sentence whose actor is a pronoun ("Monoprix signe avec lui un partenariat"), the
    pronoun is the actor's token, so the deal has its partner."""
    for tok in toks:
        if tok.ent < 0 and tok.low in _ACTOR_PRONOUNS:
            ents.append(Ent("actor", "actor-pronoun", -1, -1, tok.text))
            tok.ent, tok.actor = len(ents) - 1, True


def _ends_the_deal(toks: list[Tok], cues: list[Cue], ents: list[Ent]) -> bool:
    """The sentence ends a deal (a firm ``ended`` cue; those ending another thing are already
    dropped, see ``_about_other``) and names one retailer: its deal is the one ended."""
    # an "ended" cue under negation is one that ends only so ("n'a pas été renouvelé")
    ends = any(c.status == "ended" and not c.goal for c in cues)
    return ends and len({e.id for e in ents if e.kind == "retailer"}) == 1


_DEAL_NOUNS = {
    "partenariat",
    "accord",
    "alliance",
    "contrat",
    "collaboration",
    "relation",
    "cooperation",
    "partnership",
    "deal",
    "agreement",
    "arrangement",
    "tie-up",
    "relationship",
}


def _about_other(toks: list[Tok], cue: Cue) -> bool:
    """The cue's object, a few words on, is something that is no deal: an ended inquiry
    ("mettant un terme à une enquête", "ending the speculation"), a signed market move ("signant
    la plus forte hausse du SBF 120"), a signed goal or a rejected argument."""
    if cue.base in ("declined", "approached") and _suitor_named(toks, cue):
        return True
    if cue.negated and cue.status == "declined" and _online_at_all(toks, cue):
        return True  # "Lidl et Aldi ne vendent pas en ligne": no answer to anyone
    if _agent_not_actor(toks, cue.first):
        return True
    if cue.negated and cue.status == "declined" and _actors_own(toks, cue):
        return True  # "none of which fits Amazon's plans": the actor's plans, no refusal
    if cue.negated and cue.status == "denied" and _goods_offered(toks, cue.last):
        return True  # "n'a jamais proposé de service de retrait": no offer made to anyone
    if cue.base == "partnership" and toks[cue.last].lemma in ("investir", "invest"):
        span = range(cue.last + 1, min(len(toks), cue.last + 4))
        into = next((k for k in span if toks[k].low in ("dans", "in")), None)
        if into is not None and not any(t.ent >= 0 for t in toks[into + 1 : into + 5]):
            return True  # "ont investi massivement dans les outils": no stake in a company
    if cue.base == "acquired" and _shops_in_general(toks, cue):
        return True  # "it will pay handsomely for grocery stores": shops of no one named
    taken = toks[cue.first].lemma in ("prise", "prendre")  # "la prise de contrôle de X": X
    if (
        cue.base == "acquired"
        and toks[cue.last].lemma in _HANDS
        and not taken
        and not _into_actor(toks, cue)
    ):
        return True  # "passer sous le contrôle d'un consortium": another owner
    if cue.base == "approached" and any(
        t.lemma in _DEAL_NOUNS or t.low in _DEAL_NOUNS
        for t in toks[max(0, cue.first - 2) : cue.first]
    ):
        return True  # "the Amazon partnership offered the Co-op a way to…": no one approaches
    if cue.base == "ended":
        others = _NOT_DEALS
    elif cue.base == "declined":
        others = _ARGUMENTS  # "the inquiry rejected that framing", "a écarté ce moyen"
    elif cue.base == "partnership" and toks[cue.first].lemma in ("signer", "sign"):
        others = _NOT_SIGNED
    else:
        return False
    for tok in toks[cue.last + 1 : cue.last + 5]:
        if tok.lemma in _DEAL_NOUNS or tok.low in _DEAL_NOUNS or tok.ent >= 0:
            return False
        if tok.lemma in others or tok.low in others:
            return True
    return False


def _shops_in_general(toks: list[Tok], cue: Cue) -> bool:
    """A purchase whose object is shops in the plural with no article of their own or an
    indefinite one ("pay for grocery stores", "racheter des supermarchés"), and no company
    named on: a kind of asset, not a retailer bought."""
    after = toks[cue.last + 1 : cue.last + 4]
    for k, tok in enumerate(after):
        if tok.low in _SHOPS or tok.lemma in _SHOPS:
            for t in toks[cue.last + 2 + k : cue.last + 6 + k]:
                if t.pos == "PUNCT" or t.low in (",", ";", ".", "and", "et"):
                    break
                if t.ent >= 0 or t.text[:1].isupper() or t.low in ("de", "d'", "of", "du"):
                    return False  # "des magasins bio Whole Foods", "stores of Kroger"
            return True
        if tok.ent >= 0 or tok.text[:1].isupper() or tok.low in _OWNED:
            return False
    return False


# (tokens' words and lemmas are folded: no accents)
_SHOPS = {
    "stores",
    "shops",
    "supermarkets",
    "grocers",
    "magasins",
    "supermarches",
    "hypermarches",
    "boutiques",
}
_OWNED = DEFINITE | {"ses", "leurs", "their"}  # "les magasins", "its stores": shops of someone


# What a court or a regulator rejects when it rejects no offer.
_ARGUMENTS = {
    "argument",
    "arguments",
    "argumentation",
    "these",
    "moyen",
    "moyens",
    "grief",
    "griefs",
    "allegation",
    "allegations",
    "accusation",
    "accusations",
    "objection",
    "objections",
    "interpretation",
    "raisonnement",
    "framing",
    "claim",
    "claims",
    "contention",
    "view",
    "thesis",
    "reasoning",
    "submission",
    "submissions",
    "theory",
    "premise",
}


# Whose hands a retailer passes into ("sous pavillon américain", "dans le giron d'Amazon").
_HANDS = {"pavillon", "controle", "giron"}


# What an offer made or not bears on when it is an approach: a deal, talks, or a takeover.
_PROPOSALS = {
    "rachat",
    "reprise",
    "acquisition",
    "fusion",
    "rapprochement",
    "participation",
    "mariage",
    "investissement",
}


def _actors_own(toks: list[Tok], cue: Cue) -> bool:
    """The wish or plan is the actor's ("Amazon's plans", "les projets d'Amazon"), or, with
    no parse, the actor is the last name before it in its clause ("Amazon has no plans to
    buy Tesco")."""
    if cue.first > 0 and toks[cue.first - 1].actor and toks[cue.first].pos in ("NOUN", ""):
        return True
    # a name, not "it" taken for the actor
    names = [t for t in clause_before(toks, cue.first) if t.ent >= 0 and t.text[:1].isupper()]
    if toks[cue.first].head < 0 and names and names[0].actor:
        return True
    after = toks[cue.last + 1 : cue.last + 3]
    return len(after) == 2 and after[0].low in ("d'", "de", "du", "of") and after[1].actor


def _goods_offered(toks: list[Tok], verb: int) -> bool:
    """What the verb of offering offers is goods or a service ("n'a jamais proposé de service
    de retrait", "des produits frais que le service d'Amazon n'offre pas"): a trade not made,
    not an approach denied. "ne nous a rien proposé", "proposé de racheter" stay denials."""
    if toks[verb].lemma not in ("proposer", "offrir"):
        return False
    thing = next(
        (
            k
            for k, t in enumerate(toks)
            if t.head == verb and t.dep in ("obj", "obl:arg") and t.pos == "NOUN"
        ),
        None,
    )
    if thing is None:  # a relative clause: the noun before its "que"
        for k in range(verb - 1, max(0, verb - 11), -1):
            if toks[k].low in ("que", "qu'"):
                j = k - 1 if toks[k - 1].pos != "ADJ" else k - 2
                thing = j if j >= 0 and toks[j].pos == "NOUN" else None
                break
            if toks[k].low in CLAUSE_BREAK:
                break
    if thing is None:
        return False
    offered = {toks[thing].lemma, toks[thing].low}
    return not offered & (_PROPOSALS | _DEAL_NOUNS | _TALKS_NOUNS | _OFFERS)


def _into_actor(toks: list[Tok], cue: Cue) -> bool:
    """The new owner, just after the cue, is the actor (named, or by its nationality)."""
    after = toks[cue.last + 1 : cue.last + 5]
    return any(t.actor or t.low in ("americain", "american") for t in after)


def _online_at_all(toks: list[Tok], cue: Cue) -> bool:
    """The trade denied is selling online at all ("ne vend quasiment rien en ligne", "does not
    sell online"), the actor named nowhere after it."""
    after = toks[cue.last + 1 : cue.last + 5]
    if any(t.actor for t in toks[cue.last + 1 :]):
        return False
    words = f" {' '.join(t.low for t in after)} "
    return " online " in words or " en ligne " in words


def _agent_not_actor(toks: list[Tok], verb: int) -> bool:
    """The verb's agent is someone else ("détenu par le fonds X", "approché par Auchan"): it
    is that one's act, not the actor's. A pronoun agent may be the actor."""
    agents = [
        a
        for a, t in enumerate(toks)
        if t.head == verb
        and t.dep == "obl:agent"
        and any(c.head == a and c.low in ("par", "by") for c in toks[max(0, a - 4) : a])
    ]
    return bool(agents) and not any(
        toks[k].actor or toks[k].pos == "PRON" or (k == a and _bare_group(toks, a))
        for a in agents
        for k, t in enumerate(toks)
        if k == a or t.head == a or (t.head >= 0 and toks[t.head].head == a)
    )


def _bare_group(toks: list[Tok], a: int) -> bool:
    """A bare "le groupe", "the group", naming no company: it may be the actor ("la chaîne
    rachetée par le groupe en 2017", the actor's Whole Foods)."""
    return toks[a].lemma in ("groupe", "group", "company") and not any(
        t.ent >= 0 and t.head == a for t in toks
    )


_OFFERS = {"approach", "offer", "bid", "approche", "offre", "proposition", "avance", "avances"}


def _suitor_named(toks: list[Tok], cue: Cue) -> bool:
    """The approach or the offer is another company's, named after it ("rebuffed an earlier
    approach from Clayton, Dubilier & Rice", "an offer from Fortress"): not the actor's."""
    start = cue.first if cue.base == "approached" else cue.last + 1
    for k in range(start, min(len(toks) - 2, cue.last + 4)):
        tok = toks[k]
        if tok.lemma not in _OFFERS and tok.low not in _OFFERS:
            continue
        by, name = toks[k + 1], toks[k + 2]
        return (
            by.low in ("from", "by", "de", "d'", "du")
            and name.ent < 0
            and name.text[:1].isupper()
            and name.pos in ("PROPN", "")
        )
    return False


# What one signs that is no deal: a market's move, a record, a goal.
_NOT_SIGNED = {
    "hausse",
    "baisse",
    "progression",
    "recul",
    "repli",
    "rebond",
    "chute",
    "record",
    "performance",
    "seance",
    "but",
    "victoire",
    "rise",
    "fall",
    "gain",
    "drop",
    "goal",
    "win",
}


# What a sentence may end that is no deal with the actor.
_NOT_DEALS = {
    "enquete",
    "procedure",
    "investigation",
    "greve",
    "conflit",
    "rumeur",
    "rumeurs",
    "speculation",
    "speculations",
    "suspense",
    "incertitude",
    "polemique",
    "feuilleton",
    "inquiry",
    "probe",
    "review",
    "examen",
    "strike",
    "rumour",
    "rumours",
    "uncertainty",
    "silence",
    "attente",
    "mois",
    "semaines",
    "annees",
    "doute",
    "doutes",
    "flou",
    "cote",
    "bourse",
    "nasdaq",
    "nyse",
    "stock",
    "exchange",
}


def _bought(
    picked: list[Sentence],
    parsed: list[list[Tok]],
    all_ents: list[list[Ent]],
    all_cues: list[list[Cue]],
    presences: dict[int, str],
) -> set[str]:
    """The unknown names found after a purchase word (``by_deal``) that the parse confirms as
    bought by the actor somewhere in the article: those are retailers, wherever named."""
    out: set[str] = set()
    if not any(e.by_deal for ents in all_ents for e in ents):
        return out
    for sentence, toks, ents, cues in zip(picked, parsed, all_ents, all_cues, strict=True):
        kinds = {i: ents[t.ent].kind for i, t in enumerate(toks) if t.ent >= 0}
        presence = presences[sentence.index]
        for r, tok in enumerate(toks):
            candidate = tok.ent >= 0 and ents[tok.ent].by_deal and ents[tok.ent].id not in out
            if candidate and bought_by_actor(toks, kinds, r, cues, presence):
                out.add(ents[tok.ent].id)
    return out


def _settled(lex: Lexicon, ent: Ent) -> str | None:
    """The status of the retailer's relation with the actor that is on the record, if any."""
    if ent.kind != "retailer" or ent.discovered:
        return None
    retailer = lex.watchlist.retailer(ent.id)
    return retailer.settled if retailer is not None else None


def _on_record(
    lex: Lexicon, toks: list[Tok], ents: list[Ent], cues: list[Cue], text: str
) -> list[Mention]:
    """A retailer whose relation with the actor is on the record (the watchlist's ``settled``:
    Whole Foods, acquired), named in a sentence with an affirmative cue of that status ("sept
    ans après le rachat de Whole Foods", "depuis qu'il s'est offert Whole Foods"): that status,
    confirmed, whether or not the sentence names the actor, unless another company is the
    agent of the deal ("racheté par Kroger")."""
    out: list[Mention] = []
    for k, tok in enumerate(toks):
        if tok.ent < 0 or tok.ent >= len(ents):
            continue
        ent = ents[tok.ent]
        status = _settled(lex, ent)
        if status is None:
            continue
        for cue in cues:
            # its base: "ses ambitions depuis le rachat de Whole Foods" is no wish of a purchase
            if cue.base != status or cue.negated or _other_agent(toks, ents, cue, k):
                continue
            out.append(Mention(ent.id, status, False, text, False, cue.text, "lemma+on-record"))
            break
    return out


def _other_agent(toks: list[Tok], ents: list[Ent], cue: Cue, name: int) -> bool:
    """Another named company (not the actor, not the retailer itself) is the deal's agent
    ("par Kroger") or the subject of its verb."""
    for k in range(cue.last + 1, min(len(toks), cue.last + 6)):
        if toks[k].low in ("par", "by"):
            nxt = next((j for j in range(k + 1, min(len(toks), k + 4)) if toks[j].ent >= 0), None)
            return nxt is not None and nxt != name and ents[toks[nxt].ent].kind != "actor"
    for j, t in enumerate(toks):
        if t.ent >= 0 and j != name and t.dep == "nsubj" and t.head in cue.tokens:
            return ents[t.ent].kind != "actor"
    return False


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
    """The retailer the article is about: named at least twice, more often than any other. A
    retailer found by its apposition is the topic only where the article names no other (the
    family grocer of a founder's obituary, "les supermarchés Ravel")."""
    counts: dict[str, list[Ent]] = {}
    for e in article.ents:
        if e.kind == "retailer" and not e.voice:
            counts.setdefault(e.id, []).append(e)
    if len(counts) == 1 and next(iter(counts.values()))[0].discovered:
        ranked = list(counts.values())
    else:
        ranked = sorted(
            (ents for ents in counts.values() if not ents[0].discovered), key=len, reverse=True
        )
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
        if cue.base != "acquired" or cue.negated or cue.goal == "purpose":
            continue
        after = toks[cue.last + 1 : cue.last + 6]
        noun = next((k for k, t in enumerate(after) if t.lemma in nouns or t.low in nouns), None)
        if noun is not None and not any(t.low in _INDEFINITE for t in after[:noun]):
            # "pourrait racheter le distributeur de Minneapolis": a possible purchase, rumored
            rep = by_press or cue.conditional or cue_reported(toks, cue, markers)
            rep = rep or cue.status == "rumored"
            out.append(Mention(topic.id, cue.status, rep, text, False, cue.text, "lemma+topic"))
    return out


# "s'offrir un distributeur français", "acheter n'importe quel distributeur": any retailer,
# not the one the article is about.
_INDEFINITE = {
    "un",
    "une",
    "des",
    "d'autres",
    "plusieurs",
    "quel",
    "quelle",
    "chaque",
    "tout",
    "toute",
    "a",
    "an",
    "another",
    "other",
    "some",
    "any",
    "every",
}
