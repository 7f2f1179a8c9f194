"""Detection: is an article about the storyline, which retailers, which status, which sentence.

Public API::

    from tasks.detect import detect_article, prefilter, load_default_watchlist

Pure: the only I/O is reading the watchlist file and loading spaCy's French model (once per
process, on the first candidate that needs it).
"""

from __future__ import annotations

from functools import lru_cache

from config.watchlist import Watchlist, load_watchlist

from .lexicon import lexicon_for
from .model import Detection, Mention
from .pipeline import read_article
from .prefilter import prefilter


@lru_cache(maxsize=1)
def load_default_watchlist() -> Watchlist:
    """The bundled config/watchlist.toml, read once."""
    return load_watchlist(None)


def detect_article(
    title: str | None,
    text: str,
    lang: str | None = None,
    watchlist: Watchlist | None = None,
) -> Detection:
    """Read one article: relevance and the retailers' relations with the actor."""
    lex = lexicon_for(watchlist or load_default_watchlist())
    return read_article(lex, title, text or "", lang)


__all__ = ["Detection", "Mention", "detect_article", "load_default_watchlist", "prefilter"]
