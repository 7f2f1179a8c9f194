"""The storyline as data: ``watchlist.toml`` read into pydantic models.

The watchlist names the actor (Amazon: names, periphrases, pronouns, rivals that share its
periphrases), the retailers (aliases, parent group, country, and the options that keep an
ambiguous name such as *casino* or *Target* from firing on its other meaning), the grocery
context terms and the status cues in French and English. Detection code reads only this, so
another storyline is another file. A mistake is one line naming the file, the key and what was
expected (:class:`tasks.errors.ConfigError`).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from tasks.errors import ConfigError

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_WATCHLIST_FILE = CONFIG_DIR / "watchlist.toml"
STATUSES = (
    "rumored",
    "approached",
    "in_talks",
    "declined",
    "denied",
    "partnership",
    "acquired",
    "ended",
)
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_POSSESSIVE = re.compile(r"'s(?![a-z])", re.IGNORECASE)


def slugify(name: str) -> str:
    """The retailer id of a name: lowercase ASCII, accents dropped, words joined by ``-``; "&"
    is no word ("Brun & Fils" is ``brun-fils``), a possessive is one ("Harlow's" is
    ``harlows``) and any other apostrophe parts words ("Halles d'Isidore" is
    ``halles-d-isidore``), as the corpus's writers spell them."""
    text = _POSSESSIVE.sub("s", name.replace("’", "'"))
    text = unicodedata.normalize("NFKD", text)
    text = text.encode("ascii", "ignore").decode().lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Actor(_Strict):
    """The company the storyline follows, and every way the press refers to it."""

    id: str
    name: str
    names: list[str] = Field(min_length=1)
    periphrases: list[str] = []
    weak_periphrases: list[str] = []
    pronouns: list[str] = []
    rivals: list[str] = []
    # The actor's businesses outside grocery: never discovered as a retailer it bought.
    holdings: list[str] = []
    # Words that, just before or after a name, give it another meaning ("Amazon rainforest",
    # "l'Amazon suisse": the company takes no article in French).
    reject_before: list[str] = []
    reject_after: list[str] = []


class Context(_Strict):
    """Words that make an article about grocery retail, and the heads of retail appositions."""

    terms: list[str] = Field(min_length=1)
    retail_nouns: list[str] = []


class Retailer(_Strict):
    """One retailer; the options tell when an ambiguous alias really names it."""

    id: str
    name: str
    aliases: list[str] = Field(min_length=1)
    short_aliases: list[str] = []
    # Definite descriptions the press uses for this retailer alone ("le groupe stéphanois",
    # "the Bradford-based grocer"): read in any case, the French article contracted.
    descriptions: list[str] = []
    group: str | None = None
    flagship: str | None = None
    country: str = Field(min_length=2, max_length=2)
    case_sensitive: bool = False
    strict: bool = False
    person_name: bool = False
    # Languages whose ordinary words the name collides with ("Iceland" in English): there
    # `strict` applies; elsewhere the capitalised name is the retailer. Empty: every language.
    strict_in: list[str] = []
    reject_before: list[str] = []
    reject_after: list[str] = []
    # A relation with the actor that is on the record (Whole Foods: acquired in 2017): stated,
    # it is a fact, never a rumour, whoever the sentence's subject is.
    settled: Literal["partnership", "acquired", "ended"] | None = None

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError("a slug: lowercase ASCII words joined by '-'")
        return value


class StatusCues(_Strict):
    """Lemmas (or lemma sequences) for each status; ``negated`` ones count only under negation."""

    rumored: list[str] = []
    approached: list[str] = []
    in_talks: list[str] = []
    declined: list[str] = []
    denied: list[str] = []
    partnership: list[str] = []
    acquired: list[str] = []
    ended: list[str] = []


class GoalMarkers(_Strict):
    """Words that make a deal a goal or a possibility rather than a fact."""

    purpose: list[str] = []
    markers: list[str] = []
    modals: list[str] = []
    stake: list[str] = []


class Venue(_Strict):
    """Selling through the actor, told by the sentence's structure rather than one phrase: a
    trade word whose place is the actor ("vend ses surgelés sur Amazon", "a shop on Amazon's
    marketplace", "livre les abonnés de Prime Now"), or the actor chosen ("a choisi Amazon")."""

    trade: list[str] = []
    places: list[str] = []  # "sur", "via": the actor is where the trade happens
    platforms: list[str] = []  # "sur le site d'Amazon", "on Amazon's marketplace"
    audience: list[str] = []  # "aux abonnés d'Amazon": the actor's customers
    to: list[str] = []  # the words that lead to the audience ("à", "aux", "to")
    chosen: list[str] = []
    adopted: list[str] = []  # "adopte Just Walk Out": the actor's product, taken up
    goods: list[str] = []  # "livre les produits de Monoprix": a retailer's goods, carried
    carrying: list[str] = []  # "livrer", "commander", "order": carrying or buying them


class LanguageCues(StatusCues):
    """The cues of one language."""

    negated: StatusCues = StatusCues()
    goal: GoalMarkers = GoalMarkers()
    venue: Venue = Venue()
    # Fixed phrases whose words look like cues but are none ("à plusieurs reprises").
    idioms: list[str] = []


class Markers(_Strict):
    """Negation, reported speech and the press as a source, for one language."""

    negation: list[str] = []
    reported: list[str] = []
    media: list[str] = []
    reporting_verbs: list[str] = []
    modals: list[str] = []
    competition: list[str] = []
    speech: list[str] = []
    reference: list[str] = []


class English(_Strict):
    """What the small English lemma rule cannot guess."""

    irregular: dict[str, str] = {}


class Watchlist(_Strict):
    """The whole of watchlist.toml."""

    actor: Actor
    context: Context
    retailers: list[Retailer] = Field(min_length=1)
    cues: dict[str, LanguageCues]
    markers: dict[str, Markers] = {}
    english: English = English()
    _discovered: dict[str, str] = PrivateAttr(default_factory=dict)

    @field_validator("retailers")
    @classmethod
    def _unique(cls, retailers: list[Retailer]) -> list[Retailer]:
        seen: set[str] = set()
        for retailer in retailers:
            if retailer.id in seen:
                raise ValueError(f"distinct retailer ids ({retailer.id} appears twice)")
            seen.add(retailer.id)
        known = seen
        for retailer in retailers:
            if retailer.group is not None and retailer.group not in known:
                raise ValueError(f"a listed retailer id as group of {retailer.id}")
            if retailer.flagship is not None and retailer.flagship not in known:
                raise ValueError(f"a listed retailer id as flagship of {retailer.id}")
        return retailers

    def retailer(self, slug: str) -> Retailer | None:
        """The retailer with this id, or None."""
        for retailer in self.retailers:
            if retailer.id == slug:
                return retailer
        return None

    def group_of(self, slug: str) -> str | None:
        """The id of the group a listed retailer belongs to, if the list says."""
        retailer = self.retailer(slug)
        return retailer.group if retailer is not None else None

    def remember_discovered(self, slug: str, name: str) -> None:
        """Keep the display name of a retailer found in the text but not in the list."""
        if len(self._discovered) < 10_000:
            self._discovered.setdefault(slug, name)

    def retailer_name(self, slug: str) -> str:
        """The display name of a retailer id: the listed name, else as found in the text."""
        retailer = self.retailer(slug)
        if retailer is not None:
            return retailer.name
        if slug in self._discovered:
            return self._discovered[slug]
        return " ".join(part.capitalize() for part in slug.split("-"))


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown key"
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = "expected " + msg.removeprefix("Value error, ")
    elif error["type"] == "missing":
        msg = "missing (required)"
    return f"{key}: {msg}"


def parse_watchlist(data: dict[str, Any], source: str) -> Watchlist:
    """Validate loaded TOML data; ``source`` names the file in the error."""
    try:
        return Watchlist.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        more = len(exc.errors()) - 1
        tail = f" (and {more} more)" if more else ""
        raise ConfigError(f"{source}: {_describe(first)}{tail}") from None


def load_watchlist(path: Path | None = None) -> Watchlist:
    """Read and validate a watchlist; the bundled config/watchlist.toml by default."""
    p = Path(path) if path is not None else DEFAULT_WATCHLIST_FILE
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{p}: file not found (pass --watchlist or restore it)") from None
    except OSError as exc:
        raise ConfigError(f"{p}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid TOML: {exc}") from None
    return parse_watchlist(data, str(p))
