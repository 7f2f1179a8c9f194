"""Is the article about the actor and grocery retail?

Not the same as "does it state a relation": a story about Sainsbury's buying Asda that recalls
Amazon's purchase of Whole Foods in passing states a relation but is not about the actor. So an
article is relevant when it is grocery news (context words or retailers) *and* the actor is one
of its subjects: in the title, or named in several sentences, or party to a relation the article
states beyond a single passing sentence.
"""

from __future__ import annotations

import re

from .lexicon import Lexicon, normalize_text
from .model import Mention
from .reader import DEEP_LANGS, Article, actor_presence
from .sentences import sentence_text


def title_end(title: str | None) -> int:
    """Where the headline ends in the article's text (the headline comes first)."""
    return len(normalize_text(title.strip())) if title and title.strip() else 0


def actor_in_title(article: Article, title: str | None) -> bool:
    """The headline names the actor (a validated reference: not "the Amazon rainforest")."""
    end = title_end(title)
    return any(e.kind == "actor" and e.end <= end for e in article.ents)


# The actor as a yardstick, not a subject: "face à Amazon", "l'effet Amazon", "comme Amazon".
_COMPARED = re.compile(
    r"(?:face a|comme|effet|concurrence d[eu]?|concurrent d[eu]?|a la maniere d[eu]?"
    r"|a l'instar d[eu]?|contre|menace d[eu]?|peur d[eu]?|ombre d[eu]?|modele d[eu]?"
    r"|rivaliser avec|like|unlike"
    r"|threat from|rivals? such as|compete with|against)\W*(?:l'|d'|de |du )?$"
)


def _grocery_title(lex: Lexicon, article: Article, title: str | None) -> bool:
    """The headline itself is about grocery: a context word or a retailer in it."""
    end = title_end(title)
    return bool(lex.context.search(article.folded, 0, end)) or any(
        e.kind == "retailer" and e.end <= end for e in article.ents
    )


def _shop_title(lex: Lexicon, article: Article, title: str | None) -> bool:
    """The headline names a kind of shop ("une épicerie fine", "a grocer")."""
    end = title_end(title)
    return bool(lex.retail_noun_re.search(article.folded, 0, end))


def relevant(lex: Lexicon, article: Article, title: str | None, mentions: list[Mention]) -> bool:
    actor_sentences = {
        s.index
        for s in article.sentences
        for e in article.ents
        if e.kind == "actor"
        and s.start <= e.start < s.end
        and not _COMPARED.search(article.folded[max(0, e.start - 30) : e.start])
    }
    named = len(actor_sentences)
    in_title = actor_in_title(article, title)
    # distinct words, so a masthead repeated in a footer ("enseigne par enseigne") counts once
    context = len({word.rstrip("sx") for word in lex.context.findall(article.folded)})
    retailers = [e for e in article.ents if e.kind == "retailer"]
    if context < 2 and not retailers and not (in_title and _shop_title(lex, article, title)):
        return False  # but "une épicerie fine lyonnaise se lance sur Amazon" is the story
    if in_title and (context >= 3 or mentions or _grocery_title(lex, article, title)):
        return True  # not a warehouse strike with a supermarket car park in passing
    if article.lang not in DEEP_LANGS:
        return named >= 2
    if mentions and named < 2:
        # "le groupe américain", "l'américain": the actor told again without its name
        named += sum(
            actor_presence(lex, article, s.index) == "periphrase"
            for s in article.sentences
            if s.index not in actor_sentences
        )
    if mentions and named:
        # the actor, named or described, is party to a relation: one paragraph of a long
        # article on results or prices is enough to follow the story
        return True
    lead = {sentence_text(article.text, s) for s in article.sentences[:2]}
    if any(m.sentence in lead and not m.reported for m in mentions):
        return True  # the lead states the relation: that is what the article is about
    counts: dict[str, int] = {}
    for e in retailers:
        counts[e.id] = counts.get(e.id, 0) + 1
    top = max(counts.values(), default=0)
    return named >= 3 and named * 2 >= top and context >= 2
