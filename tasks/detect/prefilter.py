"""The cheap first stage, run on every article: is it worth reading closely?

One regex (a trie of the actor's names and unambiguous descriptions) over the folded text;
only when it hits does a second regex look for grocery context words or retailer names. No
reference to the actor, or no grocery context: not a candidate, and not relevant. Ambiguous
names are not checked here (that needs the text around them); the deep reader does it.
"""

from __future__ import annotations

from config.watchlist import Watchlist

from .lexicon import Lexicon, fold, lexicon_for, normalize_text


def is_candidate(lex: Lexicon, folded: str) -> bool:
    """True when folded text names the actor and has grocery context or a retailer name."""
    if lex.actor_any.search(folded) is None:
        return False
    return lex.context.search(folded) is not None or lex.retailers_any.search(folded) is not None


def prefilter(text: str, watchlist: Watchlist | None = None) -> bool:
    """True when ``text`` is a candidate for deep reading (the public, one-call form)."""
    from . import load_default_watchlist

    lex = lexicon_for(watchlist or load_default_watchlist())
    return is_candidate(lex, fold(normalize_text(text)))
